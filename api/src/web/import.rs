//! 导入台账: the presidium brings its Excel 督办台账 in — first as a preview (what each row would
//! create, or every cell that cannot be read, with its row and column; the names it would make
//! new, each of which may be mapped to an existing person or unit), then for real from the
//! preview's draft, without choosing the file again. Nothing is written unless every row can be.

use askama::Template;
use jiandu_domain::Reason;
use jiandu_domain::field;
use poem::http::StatusCode;
use poem::web::Data;
use poem::{Request, Response, handler};
use serde::Deserialize;
use uuid::Uuid;

use super::form::Refusal;
use super::page::{self, Me, Page, Posted, Signed};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::import::{self, Failure, LedgerImport, Mappings, NameKind};
use crate::service::organizations;

/// Rows of an outcome listed on the page: a township's ledger whole, a county's in part.
const ROWS_SHOWN: usize = 500;

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    max_rows: u32,
    draft_hours: i64,
    /// Rows (or problems) listed on the page; the rest are counted.
    rows_shown: usize,
    done: Option<LedgerImport>,
    /// The cells that kept the ledger out: (row, column, reason).
    problems: Vec<(u32, String, String)>,
    refusal: Option<Refusal>,
    /// Why the file could not be read, below the sentence.
    detail: Option<String>,
    /// The organisation's people and units, to map a new name to.
    people: Vec<(Uuid, String)>,
    units: Vec<(Uuid, String)>,
}

impl ImportPage<'_> {
    const LEDGER: &'static str = import::LEDGER_SHEET;

    fn word(kind: &NameKind) -> &'static str {
        match kind {
            NameKind::Person => "人员",
            NameKind::Unit => "责任单位",
        }
    }

    fn kind_value(kind: &NameKind) -> &'static str {
        match kind {
            NameKind::Person => "person",
            NameKind::Unit => "unit",
        }
    }

    /// How many of the names the preview lists were matched to a record.
    fn matched(done: &LedgerImport) -> usize {
        done.new_names
            .iter()
            .filter(|n| n.matched_to.is_some())
            .count()
    }

    /// What a new name of `kind` may be mapped to.
    fn choices(&self, kind: &NameKind) -> &[(Uuid, String)] {
        match kind {
            NameKind::Person => &self.people,
            NameKind::Unit => &self.units,
        }
    }
}

/// The organisation's people and units by name, as a preview's mapping offers them.
async fn records(state: &AppState, signed: &Signed) -> (Vec<(Uuid, String)>, Vec<(Uuid, String)>) {
    let (ctx, actor) = (&state.ctx, &signed.actor);
    let own = actor.organization_id();
    let mut people: Vec<(Uuid, String)> = organizations::readable_people(ctx, actor)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.organization_id == own)
        .map(|p| (p.id, p.name))
        .collect();
    let mut units: Vec<(Uuid, String)> = organizations::readable_units(ctx, actor)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|u| u.organization_id == own)
        .map(|u| (u.id, u.name))
        .collect();
    people.sort_by(|a, b| a.1.cmp(&b.1));
    units.sort_by(|a, b| a.1.cmp(&b.1));
    (people, units)
}

async fn render(
    state: &AppState,
    signed: &Signed,
    status: StatusCode,
    outcome: Outcome,
) -> Response {
    // Only a preview with new names offers the records to map them to.
    let (people, units) = match &outcome {
        Outcome::Done(done) if done.draft_id.is_some() && !done.new_names.is_empty() => {
            records(state, signed).await
        }
        _ => (Vec::new(), Vec::new()),
    };
    let (done, problems, refusal, detail) = match outcome {
        Outcome::Form => (None, Vec::new(), None, None),
        Outcome::Done(done) => (Some(done), Vec::new(), None, None),
        Outcome::Rows(problems) => (
            None,
            problems
                .into_iter()
                .map(|p| (p.row, p.column, p.reason))
                .collect(),
            None,
            None,
        ),
        Outcome::Unreadable(why) => {
            let mut refusal = Refusal::new(
                "import",
                &AppError::invalid(field::FILE, Reason::NotALedger, why.english()),
            );
            refusal.message = "这个文件无法作为台账导入，未写入任何内容：".into();
            (None, Vec::new(), Some(refusal), Some(why.chinese()))
        }
        Outcome::NoFile => {
            let mut refusal = Refusal::new(
                "import",
                &AppError::required(field::FILE, "choose the ledger's .xlsx file"),
            );
            refusal.message = "请选择台账文件（.xlsx）。".into();
            (None, Vec::new(), Some(refusal), None)
        }
        Outcome::Refused(error) => {
            let mut refusal = Refusal::new("import", &error);
            // An import refuses with CONFLICT only while another into the same ledger is
            // under way (service::import::Imports).
            if error.field() == Some(field::DRAFT_ID)
                && matches!(
                    &error,
                    AppError::Validation {
                        reason: Reason::UnknownRecord,
                        ..
                    }
                )
            {
                refusal.message = format!(
                    "这份预览已经确认导入，或已过期（预览的文件保留{}小时），未写入任何内容；请重新选择文件导入。",
                    import::DRAFT_HOURS
                );
            } else if matches!(error, AppError::Conflict(_)) {
                refusal.message =
                    "另一份台账正在导入本单位（或这份预览刚被确认导入），这次未写入任何内容；请稍后查看。".into();
            }
            (None, Vec::new(), Some(refusal), None)
        }
    };
    page::render(
        status,
        &ImportPage {
            me: Some(&signed.me),
            nav: "import",
            max_rows: import::MAX_ROWS,
            draft_hours: import::DRAFT_HOURS,
            rows_shown: ROWS_SHOWN,
            done,
            problems,
            refusal,
            detail,
            people,
            units,
        },
    )
}

enum Outcome {
    Form,
    Done(LedgerImport),
    Rows(Vec<jiandu_domain::import::Problem>),
    NoFile,
    Unreadable(import::Unreadable),
    Refused(AppError),
}

#[handler]
pub async fn form(signed: Signed, Data(state): Data<&AppState>) -> Page {
    if !signed.me.manages {
        return Err(signed.refuse(&AppError::Forbidden(
            "only the presidium imports a ledger".into(),
        )));
    }
    Ok(render(state, &signed, StatusCode::OK, Outcome::Form).await)
}

/// What an import came to, as the page shows it.
async fn answer(
    state: &AppState,
    signed: &Signed,
    result: Result<LedgerImport, Failure>,
) -> Response {
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    match result {
        Ok(done) => render(state, signed, StatusCode::OK, Outcome::Done(done)).await,
        Err(Failure::File(why)) => {
            render(state, signed, unprocessable, Outcome::Unreadable(why)).await
        }
        Err(Failure::Rows(problems)) => {
            render(state, signed, unprocessable, Outcome::Rows(problems)).await
        }
        Err(Failure::Refused(AppError::Forbidden(_))) => page::error_page(
            Some(&signed.me),
            &AppError::Forbidden("only the presidium imports a ledger".into()),
        ),
        Err(Failure::Refused(error)) => {
            let status = Refusal::new("import", &error).status;
            render(state, signed, status, Outcome::Refused(error)).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ConfirmForm {
    draft: String,
}

/// 确认导入: the preview's draft imported, each new name as the presidium chose (a new record,
/// or one of the organisation's).
#[handler]
pub async fn confirm(posted: Posted<ConfirmForm>, Data(state): Data<&AppState>) -> Page {
    let mut mappings = Mappings::default();
    let (names, kinds, targets) = (posted.list("name"), posted.list("kind"), posted.list("to"));
    for ((name, kind), to) in names.into_iter().zip(kinds).zip(targets) {
        let Ok(to) = to.parse::<Uuid>() else { continue };
        match kind.as_str() {
            "person" => mappings.people.insert(name, to),
            _ => mappings.units.insert(name, to),
        };
    }
    let signed = posted.signed;
    let draft = posted.form.draft.parse::<Uuid>().unwrap_or_default();
    let result = import::confirm(&state.ctx, &signed.actor, draft, Some(mappings)).await;
    Ok(answer(state, &signed, result).await)
}

#[handler]
pub async fn submit(
    signed: Signed,
    request: &Request,
    Data(state): Data<&AppState>,
    body: poem::Body,
) -> Page {
    let ctx = &state.ctx;
    let posted = signed
        .upload(request, body, ctx.limits.max_upload_bytes)
        .await?;
    let dry_run = posted.field("preview") == "1";
    // Not a number is out of range as well: the sentence says which years.
    let year = match posted.field("year").trim() {
        "" => None,
        text => match import::ledger_year(text.parse().unwrap_or(0)) {
            Ok(year) => Some(year),
            Err(error) => {
                let status = Refusal::new("import", &error).status;
                return Ok(render(state, &signed, status, Outcome::Refused(error)).await);
            }
        },
    };
    let Some(file) = posted.file else {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(render(state, &signed, status, Outcome::NoFile).await);
    };
    let options = import::Options {
        dry_run,
        keep_draft: dry_run,
        year,
        mappings: Mappings::default(),
        file_name: file.file_name.clone(),
    };
    let result = import::try_import(ctx, &signed.actor, file.bytes.to_vec(), options).await;
    Ok(answer(state, &signed, result).await)
}
