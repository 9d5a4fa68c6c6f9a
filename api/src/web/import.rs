//! 导入台账: the presidium brings its Excel 督办台账 in — first as a preview (what each row would
//! create, or every cell that cannot be read, with its row and column), then for real. Nothing
//! is written unless every row can be.

use askama::Template;
use jiandu_domain::Reason;
use jiandu_domain::field;
use poem::http::StatusCode;
use poem::web::Data;
use poem::{Request, Response, handler};

use super::form::Refusal;
use super::page::{self, Me, Page, Signed};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::import::{self, Failure, LedgerImport};

/// Rows of an outcome listed on the page: a township's ledger whole, a county's in part.
const ROWS_SHOWN: usize = 500;

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    max_rows: u32,
    /// Rows (or problems) listed on the page; the rest are counted.
    rows_shown: usize,
    done: Option<LedgerImport>,
    /// The cells that kept the ledger out: (row, column, reason).
    problems: Vec<(u32, String, String)>,
    refusal: Option<Refusal>,
    /// Why the file could not be read, below the sentence.
    detail: Option<String>,
}

fn render(signed: &Signed, status: StatusCode, outcome: Outcome) -> Response {
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
            if matches!(error, AppError::Conflict(_)) {
                refusal.message =
                    "另一份台账正在导入本单位，这次未写入任何内容；请等它完成后再导入。".into();
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
            rows_shown: ROWS_SHOWN,
            done,
            problems,
            refusal,
            detail,
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
pub async fn form(signed: Signed) -> Page {
    if !signed.me.manages {
        return Err(signed.refuse(&AppError::Forbidden(
            "only the presidium imports a ledger".into(),
        )));
    }
    Ok(render(&signed, StatusCode::OK, Outcome::Form))
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
                return Ok(render(&signed, status, Outcome::Refused(error)));
            }
        },
    };
    let Some(file) = posted.file else {
        return Ok(render(
            &signed,
            StatusCode::UNPROCESSABLE_ENTITY,
            Outcome::NoFile,
        ));
    };
    Ok(
        match import::try_import(
            ctx,
            &signed.actor,
            file.bytes.to_vec(),
            import::Options { dry_run, year },
        )
        .await
        {
            Ok(done) => render(&signed, StatusCode::OK, Outcome::Done(done)),
            Err(Failure::File(why)) => render(
                &signed,
                StatusCode::UNPROCESSABLE_ENTITY,
                Outcome::Unreadable(why),
            ),
            Err(Failure::Rows(problems)) => render(
                &signed,
                StatusCode::UNPROCESSABLE_ENTITY,
                Outcome::Rows(problems),
            ),
            Err(Failure::Refused(AppError::Forbidden(_))) => page::error_page(
                Some(&signed.me),
                &AppError::Forbidden("only the presidium imports a ledger".into()),
            ),
            Err(Failure::Refused(error)) => {
                let status = Refusal::new("import", &error).status;
                render(&signed, status, Outcome::Refused(error))
            }
        },
    )
}
