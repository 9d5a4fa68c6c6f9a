//! What the presidium and a notice's recipients do from the notices page besides a single
//! notice's step: sign for several at once (签收所选) and run the day's scan now.

use jiandu_domain::field;
use poem::handler;
use poem::web::Data;
use serde::Deserialize;
use uuid::Uuid;

use super::form;
use super::notice_screen::Shown;
use super::notices::{Refused, render, render_with};
use super::page::{self, Page, Posted};
use crate::http::AppState;
use crate::service::notices::{self, scan};

/// 签收所选: the recipient signs for the ticked notices at once (all or nothing).
#[handler]
pub async fn acknowledge_selected(posted: Posted<Shown>, Data(state): Data<&AppState>) -> Page {
    let ids: Vec<Uuid> = posted
        .list("id")
        .iter()
        .filter_map(|id| id.parse().ok())
        .collect();
    let signed = posted.signed;
    let shown = posted.form;
    if ids.is_empty() {
        let refused = Refused {
            batch: Some("请先勾选要签收的通知。".into()),
            ..Refused::default()
        };
        return Ok(render_with(state, &signed, &shown, None, refused).await);
    }
    Ok(
        match notices::acknowledge_notices(&state.ctx, &signed.actor, &ids).await {
            Ok(done) => page::redirect(&shown.link(&format!("signed={}", done.len()))),
            Err(error) => {
                let refused = Refused {
                    batch: Some(format!(
                        "没有签收任何一条。{}",
                        super::refusal::in_chinese(&error)
                    )),
                    ..Refused::default()
                };
                render_with(state, &signed, &shown, None, refused).await
            }
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RunForm {
    date: String,
}

/// The presidium runs the day's scan now (or for another day, to see what it would issue).
#[handler]
pub async fn run_now(
    Posted {
        signed, form: f, ..
    }: Posted<RunForm>,
    Data(state): Data<&AppState>,
) -> Page {
    let result = async {
        let as_of = form::optional_date(field::AS_OF, &f.date)?;
        scan::run_now(&state.ctx, &signed.actor, None, as_of).await
    }
    .await;
    Ok(match result {
        Ok(run) => {
            let said = if run.issued() + run.copies == 0 {
                format!("{} 没有需要发出的通知（非工作日不发）。", run.as_of)
            } else {
                format!(
                    "{}：发出提醒 {} 条、催办 {} 条、督办单 {} 份，抄送上级 {} 份。",
                    run.as_of, run.reminders, run.urges, run.orders, run.copies
                )
            };
            render(state, &signed, &Shown::default(), Some(said), None).await
        }
        Err(error) => page::error_page(Some(&signed.me), &error),
    })
}
