//! What the commands share: the first start's presidium account and secret, finding an
//! organisation by name, importing a ledger file.

use anyhow::{Context, bail};
use uuid::Uuid;

use crate::app::open_database;
use crate::config::Config;
use crate::service::accounts::{self, NewUser};
use crate::service::organizations::{self, NewOrganization, NewPerson};
use crate::service::views::OrganizationView;

/// `jiandu import ledger FILE --org NAME`: the file's rows into the organisation, as its first
/// presidium account, each row's outcome printed.
pub(super) async fn import_ledger(
    config: &Config,
    file: &std::path::Path,
    org: &str,
    options: crate::service::import::Options,
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
    let done = crate::service::import::import_ledger(&ctx, &actor, bytes, options)
        .await
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    for row in &done.rows {
        match row.sheet {
            crate::service::import::LEDGER_SHEET => println!("row {:>5}  {}", row.row, row.message),
            sheet => println!("row {:>5}  {sheet}：{}", row.row, row.message),
        }
    }
    for name in &done.new_names {
        match &name.matched_to {
            Some(record) => println!("name  {} = {record}", name.name),
            None => println!("name  {} (new)", name.name),
        }
    }
    println!(
        "{} {} projects, {} milestones, {} findings ({} inspections), {} suggestions, {} people \
         and {} units into {} (as {username}){}",
        if done.dry_run {
            "would create"
        } else {
            "created"
        },
        done.projects_created,
        done.milestones_created,
        done.findings_created,
        done.inspections_created,
        done.suggestions_created,
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

/// The organisation an operator means by `--org` or `--parent`: its id, or a name only one
/// organisation has. Names are unique only below one parent, and a township chooses its own
/// names, so an ambiguous one is refused with each candidate's id rather than guessed.
pub(super) async fn organization_named(
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
pub(super) async fn describe(
    ctx: &crate::service::Ctx,
    org: &OrganizationView,
) -> anyhow::Result<String> {
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

pub(super) fn host_of(bind: &str) -> &str {
    bind.rsplit_once(':').map_or(bind, |(host, _)| host)
}

/// On an empty database, creates an organisation and a presidium account `admin` with a
/// one-time password, so a newcomer can sign in at once. The password goes to a file only the
/// server's user may read, never to the log stream; it must be changed at the first sign-in.
pub(super) async fn first_start(
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
    // A presidium account names its holder (separation of duties goes by person): 管理员 until
    // the presidium adds its people.
    let holder = organizations::insert_person(
        ctx,
        None,
        org.id,
        NewPerson {
            name: FIRST_ADMIN_PERSON.into(),
            title: None,
            unit_id: None,
        },
    )
    .await?;
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
            person_id: Some(holder.id),
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

/// Who holds the first admin account, as the organisation's people list them.
const FIRST_ADMIN_PERSON: &str = "管理员";

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
