//! The `jiandu` command line. Every option also reads a `JIANDU_…` environment variable.

use std::io::Read;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use jiandu_domain::Zone;
use uuid::Uuid;

use crate::app::{App, open_database};
use crate::config::{Config, parse_zone};
use crate::seed::demo;
use crate::service::accounts::{self, NewUser};
use crate::service::organizations::{self, NewOrganization};
use crate::service::views::OrganizationView;
use crate::telemetry;

#[derive(Parser, Debug)]
#[command(
    name = "jiandu",
    version,
    about = "Jiandu (监督): supervision milestones for people's congresses"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,

    #[command(subcommand)]
    pub command: Command,
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
    /// The working-day calendar: add a year's holiday notice, or set a single day
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// The daily notice scan (提醒 → 催办 → 督办单), which `serve` runs by itself at each
    /// organisation's notice hour
    Notices {
        #[command(subcommand)]
        command: NoticesCommand,
    },
    /// Copy the SQLite database to a new file while the server keeps serving (a consistent
    /// snapshot; PostgreSQL is backed up with pg_dump)
    Backup {
        /// The new file to write (must not exist)
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Put a backup in place of the SQLite database (refused while a server uses it)
    Restore {
        /// The backup file (`jiandu backup --to`)
        from: std::path::PathBuf,
    },
    /// Bring records in from elsewhere
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Print the GraphQL schema (SDL)
    Schema,
    /// Fill an empty database with a large generated data set for benchmarks
    BenchData {
        /// town (1 township), county (30) or city (300)
        #[arg(long, default_value = "town")]
        scale: crate::seed::bench::Scale,
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
    /// Load the Simeng sample data into an empty database and print the demo accounts
    #[arg(long)]
    pub demo: bool,
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
        /// The organisation above this one: its id, or its name when no other has it
        #[arg(long)]
        parent: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Read a 督办台账 kept in Excel (.xlsx, in the layout the ledger export writes or close to
    /// it) into an organisation: all rows or none, as its oldest presidium account
    Ledger {
        file: std::path::PathBuf,
        /// The organisation: its id, or its name when no other organisation has it
        #[arg(long)]
        org: String,
        /// Show what would be imported, and write nothing
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum NoticesCommand {
    /// Run the scan now for every organisation (or one); safe to repeat: nothing is issued
    /// twice, and a rest day issues nothing
    Run {
        /// The day to scan for (default: each organisation's today)
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
        /// Only this organisation (its id, or a name only one organisation has)
        #[arg(long)]
        org: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum CalendarCommand {
    /// Add the days of a holiday notice from FILE: one day or range per line, `rest` or `work`,
    /// then the name (`2027-10-01..2027-10-07 rest 国庆节`); `#` starts a comment
    Import { file: std::path::PathBuf },
    /// Make one day a working day or a rest day (`jiandu calendar set 2027-02-06 workday 春节调休`)
    Set {
        date: chrono::NaiveDate,
        #[arg(value_enum)]
        kind: DayKindArg,
        /// The holiday's or make-up day's name
        name: Vec<String>,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum DayKindArg {
    Workday,
    Rest,
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
        /// The user's organisation: its id, or its name when no other organisation has it
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

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let telemetry = telemetry::init(cli.config.log_json, cli.config.otlp_endpoint.as_deref())?;
    let result = dispatch(cli.config, cli.command).await;
    telemetry.shutdown();
    result
}

async fn dispatch(config: Config, command: Command) -> anyhow::Result<()> {
    match command {
        Command::BenchData { scale, seed, today } => {
            let ctx = open_database(&config).await?;
            if accounts::user_count(&ctx).await? > 0 {
                anyhow::bail!("bench-data fills an empty database; this one has accounts");
            }
            let today = today.unwrap_or_else(|| config.default_zone.date_of(ctx.now()));
            let started = std::time::Instant::now();
            let made = crate::seed::bench::generate(&ctx, scale, seed, today).await?;
            println!(
                "generated {} organisations, {} projects, {} milestones, {} findings, {} \
                 suggestions, {} letters and visits in {:.1} s (accounts bench-p-<county>-<town> \
                 etc., password `{}`)",
                made.organizations,
                made.projects,
                made.milestones,
                made.findings,
                made.suggestions,
                made.contacts,
                started.elapsed().as_secs_f64(),
                crate::seed::bench::BENCH_PASSWORD
            );
            Ok(())
        }
        Command::Calendar { command } => {
            let ctx = open_database(&config).await?;
            let days = match command {
                CalendarCommand::Import { file } => {
                    let text = std::fs::read_to_string(&file)
                        .with_context(|| format!("cannot read {}", file.display()))?;
                    jiandu_domain::workdays::parse(&text)
                        .map_err(|e| anyhow::anyhow!("{}: {}", file.display(), e.message))?
                }
                CalendarCommand::Set { date, kind, name } => {
                    vec![jiandu_domain::workdays::ArrangedDay {
                        date,
                        kind: match kind {
                            DayKindArg::Workday => jiandu_domain::DayKind::Workday,
                            DayKindArg::Rest => jiandu_domain::DayKind::RestDay,
                        },
                        name: (!name.is_empty()).then(|| name.join(" ")),
                    }]
                }
            };
            let count = crate::service::workdays::set_days(&ctx, days).await?;
            let years = crate::service::workdays::known_years(&ctx).await?;
            println!(
                "{count} day(s) set; the calendar now has arrangements for {}",
                years
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            Ok(())
        }
        Command::Notices {
            command: NoticesCommand::Run { as_of, org },
        } => {
            let ctx = open_database(&config).await?;
            let only = match org {
                Some(org) => Some(organization_named(&ctx, &org).await?.id),
                None => None,
            };
            let started = std::time::Instant::now();
            let run = crate::service::notices::schedule::run_everywhere(&ctx, only, as_of).await?;
            println!(
                "issued {} notices ({} reminders, {} urges, {} supervision orders) and {} copies \
                 in {:.1} s",
                run.issued(),
                run.reminders,
                run.urges,
                run.orders,
                run.copies,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Import {
            command: ImportCommand::Ledger { file, org, dry_run },
        } => import_ledger(&config, &file, &org, dry_run).await,
        Command::Schema => {
            print!("{}", crate::graphql::sdl());
            Ok(())
        }
        Command::Backup { to } => {
            if crate::db::backup::sqlite_file(&config.database_url).is_none() {
                anyhow::bail!(
                    "`jiandu backup` copies the embedded SQLite database; back up PostgreSQL \
                     with pg_dump (see the README)"
                );
            }
            // The database as it is: no migration, nothing written to it.
            let db = crate::db::Db::connect(&config.database_url, config.request_timeout()).await?;
            let started = std::time::Instant::now();
            let bytes = crate::db::backup::backup_to(&db, &to).await?;
            println!(
                "backed up the database to {} ({bytes} bytes) in {:.1} s",
                to.display(),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Restore { from } => {
            let bytes = crate::db::backup::restore(&config.database_url, &from).await?;
            println!(
                "restored the database from {} ({bytes} bytes)",
                from.display()
            );
            // The evidence files beside a backup of the server's own (`backups/files/`) go back
            // into the data dir, unless files are kept in an object store.
            let files = from.parent().map(|dir| dir.join("files"));
            if let Some(files) = files.filter(|f| f.is_dir() && config.files_url.is_none()) {
                let to = config.data_dir.join("files");
                crate::db::daily::mirror(&files, &to)
                    .with_context(|| format!("copying {} to {}", files.display(), to.display()))?;
                println!("restored the evidence files from {}", files.display());
            }
            println!("start the server to use it");
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
                Some(parent) => Some(organization_named(&ctx, &parent).await?.id),
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
            let organization = organization_named(&ctx, &org).await?;
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
                    must_change_password: false,
                },
            )
            .await?;
            println!(
                "created user {} ({}) in {}",
                user.username,
                user.role,
                describe(&ctx, &organization).await?
            );
            Ok(())
        }
        Command::Serve(args) => {
            let (bind, first_org) = (config.bind.clone(), config.first_org.clone());
            let data_dir = config.data_dir.clone();
            let app = App::build(config).await?;
            if args.demo {
                demo::load_if_empty(app.ctx()).await?;
            } else {
                first_start(app.ctx(), &first_org, &data_dir).await?;
            }
            tracing::info!(
                port = app.port(),
                "Jiandu is listening; the workbench at /, GraphQL at /graphql"
            );
            let base = format!("http://{}:{}", host_of(&bind), app.port());
            println!("Jiandu is listening on {base}/ (the workbench; GraphQL at {base}/graphql)");
            app.run_until_stopped().await.context("serving")
        }
    }
}

/// The organisation an operator means by `--org` or `--parent`: its id, or a name only one
/// organisation has. Names are unique only below one parent, and a township chooses its own
/// names, so an ambiguous one is refused with each candidate's id rather than guessed.
async fn import_ledger(
    config: &Config,
    file: &std::path::Path,
    org: &str,
    dry_run: bool,
) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let ctx = open_database(config).await?;
    let org = organization_named(&ctx, org).await?;
    let Some(user) = accounts::first_presidium(&ctx, org.id).await? else {
        bail!(
            "{} has no presidium account to import as; create one with `jiandu user create`",
            org.name
        );
    };
    let username = user.username.clone();
    let actor = accounts::actor_for(&ctx, user).await?;
    let done = crate::service::import::import_ledger(&ctx, &actor, bytes, dry_run)
        .await
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    for row in &done.rows {
        println!("row {:>5}  {}", row.row, row.message);
    }
    println!(
        "{} {} projects, {} milestones, {} people and {} units into {} (as {username}){}",
        if done.dry_run {
            "would create"
        } else {
            "created"
        },
        done.projects_created,
        done.milestones_created,
        done.people_created,
        done.units_created,
        org.name,
        if done.dry_run {
            "; nothing was written"
        } else {
            ""
        }
    );
    Ok(())
}

async fn organization_named(
    ctx: &crate::service::Ctx,
    name_or_id: &str,
) -> anyhow::Result<OrganizationView> {
    if let Ok(id) = name_or_id.trim().parse::<Uuid>() {
        return organizations::organization_by_id(ctx, id)
            .await?
            .with_context(|| format!("no organisation has the id {id}"));
    }
    let mut named = organizations::organizations_named(ctx, name_or_id).await?;
    match named.len() {
        0 => bail!("no organisation named `{name_or_id}`"),
        1 => Ok(named.remove(0)),
        _ => {
            let mut candidates = Vec::new();
            for org in &named {
                candidates.push(format!("  {}  {}", org.id, describe(ctx, org).await?));
            }
            bail!(
                "{} organisations are named `{name_or_id}`; give the id of the one you mean:\n{}",
                named.len(),
                candidates.join("\n")
            )
        }
    }
}

/// An organisation with the organisations above it: `县人大常委会 › 思蒙镇人大主席团`.
async fn describe(ctx: &crate::service::Ctx, org: &OrganizationView) -> anyhow::Result<String> {
    let mut names = vec![org.name.clone()];
    let mut parent = org.parent_id;
    // The tree is acyclic by construction; the bound only guards against a damaged database.
    for _ in 0..32 {
        let Some(id) = parent else { break };
        let Some(above) = organizations::organization_by_id(ctx, id).await? else {
            break;
        };
        names.push(above.name);
        parent = above.parent_id;
    }
    names.reverse();
    Ok(names.join(" › "))
}

fn host_of(bind: &str) -> &str {
    bind.rsplit_once(':').map_or(bind, |(host, _)| host)
}

/// On an empty database, creates an organisation and a presidium account `admin` with a
/// one-time password, so a newcomer can sign in at once. The password goes to a file only the
/// server's user may read, never to the log stream; it must be changed at the first sign-in.
async fn first_start(
    ctx: &crate::service::Ctx,
    org_name: &str,
    data_dir: &std::path::Path,
) -> anyhow::Result<()> {
    if accounts::user_count(ctx).await? > 0 {
        return Ok(());
    }
    let roots = organizations::organizations_named(ctx, org_name).await?;
    let org = match roots.into_iter().find(|org| org.parent_id.is_none()) {
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
    let password = accounts::one_time_password();
    let file = write_secret(data_dir, FIRST_PASSWORD_FILE, &password)?;
    accounts::insert_user(
        ctx,
        None,
        org.id,
        NewUser {
            username: "admin".into(),
            password,
            role: jiandu_domain::Role::Presidium,
            person_id: None,
            must_change_password: true,
        },
    )
    .await?;
    println!(
        "First start: created organisation `{}` and the presidium account `admin`",
        org.name
    );
    println!(
        "  its one-time password is in {} (readable only by this user); sign in and choose a \
         new one, then delete the file",
        file.display()
    );
    Ok(())
}

/// Where the first admin's one-time password is written, inside the data directory.
pub const FIRST_PASSWORD_FILE: &str = "first-admin-password";

/// Writes `secret` to a new file `name` in `dir` that only this user may read or write.
fn write_secret(
    dir: &std::path::Path,
    name: &str,
    secret: &str,
) -> anyhow::Result<std::path::PathBuf> {
    use std::io::Write;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("creating the data directory {}", dir.display()))?;
    let path = dir.join(name);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(&path)
        .with_context(|| format!("writing {}", path.display()))?;
    // A file left by an earlier attempt keeps its old mode through `open`; make sure.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    writeln!(file, "{secret}").with_context(|| format!("writing {}", path.display()))?;
    file.sync_all()?;
    Ok(std::fs::canonicalize(&path).unwrap_or(path))
}
