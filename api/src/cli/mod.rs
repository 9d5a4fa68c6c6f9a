//! The `jiandu` command line. Every option also reads a `JIANDU_…` environment variable. The
//! commands are declared here, carried out in [`dispatch`], with the first start's set-up and
//! the lookups they share in [`setup`].

mod dispatch;
mod setup;

use clap::{Args, Parser, Subcommand, ValueEnum};
use jiandu_domain::Zone;
use uuid::Uuid;

use crate::config::{Config, parse_zone};
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
        /// The ledger's year, for dates written without one (8月31日, 年底前) when the sheet's
        /// title gives none
        #[arg(long, value_parser = clap::value_parser!(i32).range(2000..=2100))]
        year: Option<i32>,
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
        /// The person (leader, deputy, presidium staff) who holds this account, by id; every
        /// account but a VIEWER's names one
        #[arg(long, conflicts_with = "person")]
        person_id: Option<Uuid>,
        /// A person to add to the organisation as the holder of this account, by name (周敏)
        #[arg(long)]
        person: Option<String>,
        /// Read the password from standard input (required: passwords never go on the command line)
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let telemetry = telemetry::init(cli.config.log_json, cli.config.otlp_endpoint.as_deref())?;
    let result = dispatch::dispatch(cli.config, cli.command).await;
    telemetry.shutdown();
    result
}
