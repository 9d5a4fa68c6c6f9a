//! Carrying out a command of the `jiandu` command line.

use std::io::Read;

use anyhow::Context;

use crate::app::{App, open_database};
use crate::config::Config;
use crate::seed::demo;
use crate::service::accounts::{self, NewUser};
use crate::service::organizations::{self, NewOrganization, NewPerson};

use super::setup::{describe, first_start, host_of, import_ledger, organization_named};
use super::{
    CalendarCommand, Command, DayKindArg, ImportCommand, NoticesCommand, OrgCommand, UserCommand,
};

pub(super) async fn dispatch(config: Config, command: Command) -> anyhow::Result<()> {
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
            command:
                ImportCommand::Ledger {
                    file,
                    org,
                    dry_run,
                    year,
                },
        } => {
            let options = crate::service::import::Options {
                dry_run,
                year,
                ..Default::default()
            };
            import_ledger(&config, &file, &org, options).await
        }
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
                    person,
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
            let person_id = match person {
                Some(name) => Some(
                    organizations::insert_person(
                        &ctx,
                        None,
                        organization.id,
                        NewPerson {
                            name,
                            title: None,
                            unit_id: None,
                        },
                    )
                    .await?
                    .id,
                ),
                None => person_id,
            };
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
