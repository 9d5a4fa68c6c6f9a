//! A deputy's yearly report to their constituents (述职报告, docs/deputies.md), drafted from their
//! record: who they are and where they were elected, the year in a sentence and a table, their
//! visits, suggestions and trainings one by one, and a part for the deputy to write themselves.
//! It is their own report, not the presidium's: no organisation's mark, signed with their name.

use chrono::NaiveDate;
use jiandu_domain::deputies::{DeputyLevel, DutyActivityKind, DutyYear};
use jiandu_domain::report::Label;
use uuid::Uuid;

use super::{Block, Document, Table, written_date};
use crate::error::AppError;
use crate::service::deputies::{self, RecordView, Signed};
use crate::service::views::{ActivityView, DeputyView};
use crate::service::{Actor, Ctx};

/// Where the report of deputy `person` on `year` is downloaded.
pub fn duty_report_url(person: Uuid, year: i32) -> String {
    format!("/documents/deputies/{person}/{year}.docx")
}

/// What a report is drafted from.
pub struct Drafting<'a> {
    pub name: &'a str,
    /// The organisation whose congress they sit in: 思蒙镇(人大主席团), or 丹棱县(人大常委会) for
    /// a county deputy.
    pub congress: &'a str,
    pub deputy: &'a DeputyView,
    pub record: &'a RecordView,
    pub activities: &'a [ActivityView],
    pub suggestions: &'a [Signed],
    /// The day it is drafted, its date.
    pub today: NaiveDate,
}

/// The report of deputy `person` on `year`, for a user who may read their record: the deputy
/// themselves, or the presidium and those above.
pub async fn duty_report(
    ctx: &Ctx,
    actor: &Actor,
    person: Uuid,
    year: i32,
) -> Result<Document, AppError> {
    let record = deputies::deputy_record(ctx, actor, person, year).await?;
    let deputy = deputies::profiles_of(ctx, actor, &[person])
        .await?
        .pop()
        .ok_or_else(|| AppError::not_found("deputy"))?;
    let activities = deputies::duty_activities(ctx, actor, year, Some(person)).await?;
    let suggestions = deputies::suggestions_signed(ctx, actor, person, year).await?;
    let name = ctx
        .people
        .find(&ctx.db, person, |p| p.id)
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    let organization = deputy.organization_id;
    let township = ctx
        .organizations
        .find(&ctx.db, organization, |o| o.id)
        .await?
        .ok_or_else(|| AppError::not_found("organization"))?;
    // A county deputy on a township's roster sits in the congress of the county above it; on
    // a county's own roster, in its own.
    let on_township_roster = jiandu_domain::notice::issuer(&township.name).ends_with("主席团");
    let county = match (deputy.level, township.parent_id) {
        (DeputyLevel::County, Some(parent)) if on_township_roster => ctx
            .organizations
            .find(&ctx.db, parent, |o| o.id)
            .await?
            .map(|o| o.name),
        _ => None,
    };
    Ok(draft(&Drafting {
        name: &name,
        congress: county.as_deref().unwrap_or(&township.name),
        deputy: &deputy,
        record: &record,
        activities: &activities,
        suggestions: &suggestions,
        today: actor.today_in(organization, ctx.now(), None),
    }))
}

/// The report laid out: the opening, then 一 to 五, then the closing line.
pub fn draft(d: &Drafting<'_>) -> Document {
    let year = d.record.year;
    let deputy = d.deputy;
    let figures = &d.record.figures;
    let mut who = format!(
        "我是{}{}人民代表大会代表{}",
        jiandu_domain::notice::place(d.congress),
        deputy.term,
        d.name
    );
    if let Some(constituency) = &deputy.constituency {
        who.push_str(&format!("，由{constituency}选民选出"));
    }
    if let Some(group) = &deputy.group {
        who.push_str(&format!("，编在{group}"));
    }
    if !deputy.villages.is_empty() {
        who.push_str(&format!("，分工联系{}", deputy.villages.join("、")));
    }
    let mut body = vec![
        Block::Paragraph(format!(
            "{who}。现将{year}年履行代表职务的情况报告如下，请予评议。"
        )),
        Block::Heading("一、履职总体情况".into()),
        Block::Paragraph(if figures.total() == 0 {
            format!("{year}年，本人尚无记录在案的履职活动。")
        } else {
            format!("{year}年，本人{}", figures.sentence())
        }),
        Block::Table(table_of(figures)),
        Block::Heading("二、走访选民、联系群众情况".into()),
    ];
    let of_kind = |kind: DutyActivityKind| {
        let mut found: Vec<&ActivityView> =
            d.activities.iter().filter(|a| a.kind == kind).collect();
        found.sort_by_key(|a| a.on);
        found
    };
    let visits = of_kind(DutyActivityKind::ConstituentVisit);
    if visits.is_empty() {
        body.push(Block::Paragraph("本年度未记录走访选民活动。".into()));
    }
    for visit in visits {
        let mut line = written_date(visit.on);
        line.push('，');
        if let Some(village) = &visit.village {
            line.push_str(&format!("到{village}"));
        }
        line.push_str("走访选民");
        if let Some(people) = visit.people {
            line.push_str(&format!("{people}人"));
        }
        body.push(Block::Paragraph(format!(
            "{line}，{}",
            sentence_of(&visit.topic)
        )));
    }
    body.push(Block::Heading("三、提出建议情况".into()));
    if d.suggestions.is_empty() {
        body.push(Block::Paragraph("本年度未领衔或联名提出建议。".into()));
    }
    for signed in d.suggestions {
        body.push(Block::Paragraph(format!(
            "{}提出{}（{}号），{}。",
            if signed.led { "领衔" } else { "联名" },
            quoted(&signed.title),
            signed.number,
            signed.status.label()
        )));
    }
    body.push(Block::Heading("四、学习培训情况".into()));
    let trainings = of_kind(DutyActivityKind::Training);
    if trainings.is_empty() {
        body.push(Block::Paragraph("本年度未记录参加培训学习。".into()));
    }
    for training in trainings {
        // To the tenth, as the table says them.
        let hours = training
            .minutes
            .map(|m| {
                let tenths = (f64::from(m) / 6.0).round() / 10.0;
                format!("（{tenths}小时）")
            })
            .unwrap_or_default();
        body.push(Block::Paragraph(format!(
            "{}，参加{}{hours}。",
            written_date(training.on),
            training.topic.trim_end_matches(['。', '；', '，'])
        )));
    }
    body.push(Block::Heading("五、存在的不足和今后打算".into()));
    body.push(Block::Paragraph("（此部分由代表本人填写。）".into()));
    body.push(Block::Paragraph("以上报告，请各位选民评议。".into()));
    Document {
        issuer: None,
        number: None,
        title: format!("{}代表{year}年度述职报告", d.name),
        addressee: Some("各位选民：".into()),
        body,
        signature: format!("述职人：{}", d.name),
        date: d.today,
        copied_to: Vec::new(),
        printed_by: None,
    }
}

/// The year's figures, one row each, every figure shown (a zero too) and their total.
fn table_of(figures: &DutyYear) -> Table {
    let rows = [
        ("参加视察检查", format!("{}次", figures.inspections)),
        ("领衔和联名提出建议", format!("{}件", figures.suggestions)),
        (
            "接待群众来信来访",
            format!("{}件", figures.contacts_received),
        ),
        ("走访选民", format!("{}次", figures.constituent_visits)),
        (
            "参加培训学习",
            format!(
                "{}次（{}小时）",
                figures.trainings,
                figures.training_hours()
            ),
        ),
        ("出席会议", format!("{}次", figures.meetings_attended)),
    ];
    let mut table = Table {
        header: vec!["序号".into(), "履职事项".into(), "数量".into()],
        rows: rows
            .into_iter()
            .enumerate()
            .map(|(n, (what, count))| vec![(n + 1).to_string(), what.into(), count])
            .collect(),
    };
    table.rows.push(vec![
        String::new(),
        "合计".into(),
        format!("{}项", figures.total()),
    ]);
    table
}

/// What was raised, ended as a sentence.
fn sentence_of(text: &str) -> String {
    let text = text.trim_end_matches(['。', '；', '，', '.', ';', ',']);
    format!("{text}。")
}

/// A title in 《》, unless it is already.
fn quoted(title: &str) -> String {
    if title.starts_with('《') {
        title.into()
    } else {
        format!("《{title}》")
    }
}

#[cfg(test)]
mod tests {
    use chrono::Datelike;
    use jiandu_domain::suggestion::SuggestionStatus;

    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn deputy(villages: &[&str]) -> DeputyView {
        DeputyView {
            id: Uuid::from_u128(1),
            organization_id: Uuid::from_u128(2),
            person_id: Uuid::from_u128(3),
            level: DeputyLevel::Township,
            term: "第二届".into(),
            constituency: Some("第三选区".into()),
            group: Some("第一代表小组".into()),
            villages: villages.iter().map(|v| v.to_string()).collect(),
            active: true,
            version: 1,
        }
    }

    fn record(figures: DutyYear) -> RecordView {
        RecordView {
            person_id: Uuid::from_u128(3),
            organization_id: Uuid::from_u128(2),
            active: true,
            year: 2026,
            figures,
        }
    }

    fn activity(kind: DutyActivityKind, on: NaiveDate, topic: &str) -> ActivityView {
        let visit = kind == DutyActivityKind::ConstituentVisit;
        ActivityView {
            id: Uuid::from_u128(on.ordinal().into()),
            organization_id: Uuid::from_u128(2),
            deputy_id: Uuid::from_u128(3),
            kind,
            on,
            village: visit.then(|| "红岩村".into()),
            village_linked: visit.then_some(true),
            topic: topic.into(),
            people: visit.then_some(25),
            // 1.67 hours, as typed: said to the tenth.
            minutes: (!visit).then_some(100),
            suggestion_id: None,
            contact_id: None,
        }
    }

    #[test]
    fn a_report_tells_the_year_in_sentences_and_a_table() {
        let figures = DutyYear {
            inspections: 1,
            suggestions: 1,
            contacts_received: 0,
            constituent_visits: 2,
            trainings: 1,
            training_minutes: 180,
            meetings_attended: 2,
        };
        let record = record(figures);
        let deputy = deputy(&["思蒙村", "红岩村"]);
        let activities = [
            activity(
                DutyActivityKind::ConstituentVisit,
                day(7, 2),
                "汛期走访山洪灾害隐患点群众",
            ),
            activity(
                DutyActivityKind::Training,
                day(4, 10),
                "镇人大代表履职能力培训",
            ),
            activity(
                DutyActivityKind::ConstituentVisit,
                day(3, 12),
                "群众反映村道破损、路灯不亮。",
            ),
        ];
        let suggestions = [Signed {
            led: false,
            number: "2026-003".into(),
            title: "关于修复红岩村村道的建议".into(),
            status: SuggestionStatus::Answered,
        }];
        let document = draft(&Drafting {
            name: "杨秀英",
            congress: "思蒙镇人大主席团",
            deputy: &deputy,
            record: &record,
            activities: &activities,
            suggestions: &suggestions,
            today: day(12, 7),
        });
        assert_eq!(document.title, "杨秀英代表2026年度述职报告");
        assert_eq!(document.issuer, None, "a deputy's own report has no mark");
        assert_eq!(document.file_name(), "杨秀英代表2026年度述职报告.docx");
        let text = document.text();
        for expected in [
            "各位选民：",
            "我是思蒙镇第二届人民代表大会代表杨秀英，由第三选区选民选出，编在第一代表小组，\
             分工联系思蒙村、红岩村。现将2026年履行代表职务的情况报告如下，请予评议。",
            "2026年，本人参加视察检查1次，领衔和联名提出建议1件，走访选民2次，\
             参加培训学习1次（3小时），出席会议2次，合计7项。",
            "序号　履职事项　数量",
            "3　接待群众来信来访　0件",
            "5　参加培训学习　1次（3小时）",
            "　合计　7项",
            "2026年3月12日，到红岩村走访选民25人，群众反映村道破损、路灯不亮。\n\
             \u{3000}\u{3000}2026年7月2日，到红岩村走访选民25人，汛期走访山洪灾害隐患点群众。",
            "联名提出《关于修复红岩村村道的建议》（2026-003号），已答复。",
            "2026年4月10日，参加镇人大代表履职能力培训（1.7小时）。",
            "五、存在的不足和今后打算",
            "述职人：杨秀英\n2026年12月7日",
        ] {
            assert!(text.contains(expected), "{expected:?} missing from\n{text}");
        }
        assert!(!text.contains("思蒙镇人大主席团"));
        assert!(
            crate::service::formats::docx::render(&document)
                .unwrap()
                .starts_with(b"PK")
        );
    }

    #[test]
    fn a_year_with_nothing_says_so_in_every_part() {
        let record = record(DutyYear::default());
        let deputy = deputy(&[]);
        let document = draft(&Drafting {
            name: "何永清",
            congress: "思蒙镇",
            deputy: &deputy,
            record: &record,
            activities: &[],
            suggestions: &[],
            today: day(12, 7),
        });
        let text = document.text();
        for expected in [
            "由第三选区选民选出，编在第一代表小组。现将",
            "2026年，本人尚无记录在案的履职活动。",
            "　合计　0项",
            "本年度未记录走访选民活动。",
            "本年度未领衔或联名提出建议。",
            "本年度未记录参加培训学习。",
        ] {
            assert!(text.contains(expected), "{expected:?} missing from\n{text}");
        }
    }
}
