//! The `jiandu` command line. Every option also reads a `JIANDU_…` environment variable.

use std::io::Read;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use jiandu_domain::Zone;
use uuid::Uuid;

use crate::app::{App, open_database};
use crate::config::{Config, DEFAULT_BIND, DEFAULT_DATA_DIR, DEFAULT_DATABASE_URL};
use crate::service::accounts::{self, NewUser};
use crate::service::organizations::{self, NewOrganization};
use crate::{demo, telemetry};

#[derive(Parser, Debug)]
#[command(
    name = "jiandu",
    version,
    about = "Jiandu (监督): supervision milestones for people's congresses"
)]
pub struct Cli {
    /// Database: sqlite://FILE?mode=rwc (embedded) or postgres://USER@HOST/DB
    #[arg(long, global = true, env = "JIANDU_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,

    /// IANA time zone for organisations created without one
    #[arg(long, global = true, env = "JIANDU_TIMEZONE", default_value = "Asia/Shanghai", value_parser = parse_zone)]
    pub timezone: Zone,

    /// An open item turns DUE_SOON this many days before its deadline
    #[arg(long, global = true, env = "JIANDU_DUE_SOON_DAYS", default_value_t = jiandu_domain::DEFAULT_DUE_SOON_DAYS,
          value_parser = clap::value_parser!(u32).range(0..=365))]
    pub due_soon_days: u32,

    /// Directory for local state besides the database: evidence files go in its `files` folder
    #[arg(long, global = true, env = "JIANDU_DATA_DIR", default_value = DEFAULT_DATA_DIR)]
    pub data_dir: std::path::PathBuf,

    /// Keep evidence files in an object store instead, e.g. s3://bucket/jiandu (configured by the
    /// usual AWS_* variables); needed when several replicas serve one database
    #[arg(long, global = true, env = "JIANDU_FILES_URL")]
    pub files_url: Option<String>,

    /// Log JSON lines instead of text
    #[arg(long, global = true, env = "JIANDU_LOG_JSON")]
    pub log_json: bool,

    #[command(subcommand)]
    pub command: Command,
}

fn parse_zone(s: &str) -> Result<Zone, String> {
    s.parse::<Zone>().map_err(|e| e.to_string())
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the server (creates the first presidium account on an empty database)
    Serve(ServeArgs),
    /// Apply database migrations and exit
    Migrate,
    /// Manage organisations
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Manage user accounts
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Print the GraphQL schema (SDL)
    Schema,
    /// Fill an empty database with a large generated data set for benchmarks
    BenchData {
        /// town (1 township), county (30) or city (300)
        #[arg(long, default_value = "town")]
        scale: crate::service::bench_data::Scale,
        /// The same seed gives the same data
        #[arg(long, default_value_t = 2021)]
        seed: u64,
        /// The day deadlines are spread around (default: today in Asia/Shanghai)
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
    },
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on
    #[arg(long, env = "JIANDU_BIND", default_value = DEFAULT_BIND)]
    pub bind: String,

    /// Load the Simeng sample data into an empty database and print the demo accounts
    #[arg(long)]
    pub demo: bool,

    /// Name of the organisation created on first start
    #[arg(long, env = "JIANDU_FIRST_ORG", default_value = "人大主席团")]
    pub first_org: String,

    /// How long a sign-in lasts, in hours
    #[arg(long, env = "JIANDU_SESSION_HOURS", default_value_t = 168)]
    pub session_hours: u64,

    /// Largest request body accepted, in bytes
    #[arg(long, env = "JIANDU_MAX_BODY_BYTES", default_value_t = 256 * 1024)]
    pub max_body_bytes: usize,

    /// Requests per second one signed-in user may make on average (429 RATE_LIMITED beyond)
    #[arg(long, env = "JIANDU_USER_REQUESTS_PER_SECOND", default_value_t = 50)]
    pub user_requests_per_second: u32,

    /// Requests one signed-in user may make at once above the average
    #[arg(long, env = "JIANDU_USER_REQUEST_BURST", default_value_t = 200)]
    pub user_request_burst: u32,

    /// Behind a reverse proxy: take each client's address from X-Forwarded-For (for the limit on
    /// failed sign-ins per client)
    #[arg(long, env = "JIANDU_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,

    /// Largest evidence file accepted, in MiB
    #[arg(long, env = "JIANDU_MAX_UPLOAD_MIB", default_value_t = 20,
          value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub max_upload_mib: u64,

    /// Longest a request may run, in seconds
    #[arg(long, env = "JIANDU_REQUEST_TIMEOUT_SECS", default_value_t = 15)]
    pub request_timeout_secs: u64,

    /// How long dashboards are kept between writes, in seconds (0: computed on every request);
    /// any write, on any replica, makes them be computed again
    #[arg(long, env = "JIANDU_FIGURES_CACHE_SECS", default_value_t = 60)]
    pub figures_cache_secs: u64,
}

#[derive(Subcommand, Debug)]
pub enum OrgCommand {
    /// Create an organisation (a township presidium, or a county above townships)
    Create {
        #[arg(long)]
        name: String,
        /// IANA zone (defaults to --timezone)
        #[arg(long = "org-timezone", value_parser = parse_zone)]
        org_timezone: Option<Zone>,
        /// Name of the organisation above this one
        #[arg(long)]
        parent: Option<String>,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RoleArg {
    Presidium,
    Deputy,
    Leader,
    Viewer,
}

impl From<RoleArg> for jiandu_domain::Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Presidium => jiandu_domain::Role::Presidium,
            RoleArg::Deputy => jiandu_domain::Role::Deputy,
            RoleArg::Leader => jiandu_domain::Role::Leader,
            RoleArg::Viewer => jiandu_domain::Role::Viewer,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create an account; the password is read from standard input
    Create {
        /// Name of the user's organisation
        #[arg(long)]
        org: String,
        #[arg(long)]
        username: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// The person (leader, deputy) this account belongs to
        #[arg(long)]
        person_id: Option<Uuid>,
        /// Read the password from standard input (required: passwords never go on the command line)
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

impl Cli {
    fn config(&self) -> Config {
        let mut config = Config::new(self.database_url.clone());
        config.settings.default_zone = self.timezone;
        config.settings.due_soon_days = self.due_soon_days;
        config.data_dir = self.data_dir.clone();
        // Only builds with the `test-hooks` feature have hooks to turn on.
        config.query.test_hooks = std::env::var_os("JIANDU_TEST_HOOKS").is_some();
        config.files_url = self.files_url.clone();
        config
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    telemetry::init(cli.log_json);
    let mut config = cli.config();
    match cli.command {
        Command::BenchData { scale, seed, today } => {
            let ctx = open_database(&config).await?;
            if accounts::user_count(&ctx).await? > 0 {
                anyhow::bail!("bench-data fills an empty database; this one has accounts");
            }
            let today = today.unwrap_or_else(|| config.settings.default_zone.date_of(ctx.now()));
            let started = std::time::Instant::now();
            let made = crate::service::bench_data::generate(&ctx, scale, seed, today).await?;
            println!(
                "generated {} organisations, {} projects, {} milestones, {} findings in {:.1} s \
                 (accounts bench-p-<county>-<town> etc., password `{}`)",
                made.organizations,
                made.projects,
                made.milestones,
                made.findings,
                started.elapsed().as_secs_f64(),
                crate::service::bench_data::BENCH_PASSWORD
            );
            Ok(())
        }
        Command::Schema => {
            print!("{}", crate::graphql::sdl());
            Ok(())
        }
        Command::Migrate => {
            open_database(&config).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::Org {
            command:
                OrgCommand::Create {
                    name,
                    org_timezone,
                    parent,
                },
        } => {
            let ctx = open_database(&config).await?;
            let parent_id = match parent {
                Some(parent) => Some(
                    organizations::find_organization_by_name(&ctx, &parent)
                        .await?
                        .with_context(|| format!("no organisation named `{parent}`"))?
                        .id,
                ),
                None => None,
            };
            let org = organizations::insert_organization(
                &ctx,
                None,
                NewOrganization {
                    name,
                    timezone: org_timezone.map(|z| z.name().to_string()),
                    parent_id,
                },
            )
            .await?;
            println!(
                "created organisation {} ({}) {}",
                org.name, org.timezone, org.id
            );
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Create {
                    org,
                    username,
                    role,
                    person_id,
                    password_stdin: _,
                },
        } => {
            let ctx = open_database(&config).await?;
            let organization = organizations::find_organization_by_name(&ctx, &org)
                .await?
                .with_context(|| format!("no organisation named `{org}`"))?;
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .context("reading the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']).to_string();
            let user = accounts::insert_user(
                &ctx,
                None,
                organization.id,
                NewUser {
                    username,
                    password,
                    role: role.into(),
                    person_id,
                },
            )
            .await?;
            println!(
                "created user {} ({}) in {}",
                user.username, user.role, organization.name
            );
            Ok(())
        }
        Command::Serve(args) => {
            config.bind = args.bind.clone();
            config.settings.session_ttl = Duration::from_secs(args.session_hours.max(1) * 3600);
            config.http.max_body_bytes = args.max_body_bytes;
            config.http.user_requests_per_second = args.user_requests_per_second;
            config.http.user_request_burst = args.user_request_burst;
            config.http.trust_forwarded_for = args.trust_forwarded_for;
            config.settings.max_upload_bytes =
                usize::try_from(args.max_upload_mib * 1024 * 1024).unwrap_or(usize::MAX);
            config.http.request_timeout = Duration::from_secs(args.request_timeout_secs.max(1));
            config.settings.figures_cache = Duration::from_secs(args.figures_cache_secs);
            let app = App::build(config).await?;
            if args.demo {
                demo::load_if_empty(app.ctx()).await?;
            } else {
                first_start(app.ctx(), &args.first_org).await?;
            }
            tracing::info!(
                port = app.port(),
                "Jiandu is listening; GraphiQL at /graphql"
            );
            println!(
                "Jiandu is listening on http://{}:{}/graphql",
                host_of(&args.bind),
                app.port()
            );
            app.run_until_stopped().await.context("serving")
        }
    }
}

fn host_of(bind: &str) -> &str {
    bind.rsplit_once(':').map_or(bind, |(host, _)| host)
}

/// On an empty database, creates an organisation and a presidium account with a one-time
/// password, so a newcomer can sign in at once.
async fn first_start(ctx: &crate::service::Ctx, org_name: &str) -> anyhow::Result<()> {
    if accounts::user_count(ctx).await? > 0 {
        return Ok(());
    }
    let org = match organizations::find_organization_by_name(ctx, org_name).await? {
        Some(org) => org,
        None => {
            organizations::insert_organization(
                ctx,
                None,
                NewOrganization {
                    name: org_name.to_string(),
                    timezone: None,
                    parent_id: None,
                },
            )
            .await?
        }
    };
    let password = demo::random_password();
    let user = accounts::insert_user(
        ctx,
        None,
        org.id,
        NewUser {
            username: "admin".into(),
            password: password.clone(),
            role: jiandu_domain::Role::Presidium,
            person_id: None,
        },
    )
    .await?;
    if user.username.is_empty() {
        bail!("could not create the first account");
    }
    println!(
        "First start: created organisation `{}` and presidium account",
        org.name
    );
    println!("  username: admin");
    println!("  password: {password}   (shown once; create personal accounts with createUser)");
    Ok(())
}
