//! The year's figures as the 年度报告 says them (docs/reports.md): in parts, each figure with how
//! it is counted in words and the list behind it, so the page and the .docx say the same.

use jiandu_domain::InspectionKind;
use jiandu_domain::report::{Label, YearFigures, percent};
use uuid::Uuid;

use super::behind::Figure;

/// One figure: what it is, its value, how it is counted, and where its records are listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub label: String,
    pub value: String,
    pub formula: String,
    pub href: Option<String>,
}

/// A part of the report: its heading and its figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub heading: &'static str,
    pub lines: Vec<Line>,
}

/// A share as the report writes it, or — when there was nothing to divide by.
fn rate(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".into(), percent)
}

/// The parts of `figures`, for `organization` (`None`: the reader's own scope), the lists linked
/// from each figure.
pub fn parts(figures: &YearFigures, organization: Option<Uuid>) -> Vec<Part> {
    let year = figures.year;
    let scope = organization.map_or_else(String::new, |org| format!("&organization={org}"));
    let list = |figure: Figure| Some(format!("/report/{}?year={year}{scope}", figure.slug()));
    let page = |path: &str| Some(format!("{path}?year={year}"));
    let line = |label: &str, value: String, formula: &str, href: Option<String>| Line {
        label: label.into(),
        value,
        formula: formula.into(),
        href,
    };
    let mut inspections = vec![line(
        "视察检查",
        format!("{}次", figures.inspections()),
        "本年度组织的视察、检查、评估、执法检查次数（以活动日期计）",
        list(Figure::Inspections(None)),
    )];
    for (kind, n) in &figures.inspections_by_kind {
        inspections.push(line(
            &format!("其中{}", kind.label()),
            format!("{n}次"),
            kind_formula(*kind),
            list(Figure::Inspections(Some(*kind))),
        ));
    }
    inspections.extend([
        line(
            "发现问题",
            format!("{}个", figures.findings_raised),
            "本年度视察检查提出的问题",
            list(Figure::FindingsRaised),
        ),
        line(
            "已整改落实",
            format!("{}个", figures.findings_verified),
            "上述问题中经代表核实已整改的",
            list(Figure::FindingsVerified),
        ),
        line(
            "整改率",
            rate(figures.rectification_rate()),
            "已整改落实 ÷ 发现问题",
            None,
        ),
    ]);
    let items = vec![
        line(
            "应完成督办事项",
            format!("{}项", figures.items_due),
            "按期期限（遇节假日顺延）在本年度内的督办事项，已取消的不计",
            list(Figure::ItemsDue),
        ),
        line(
            "按期办结",
            format!("{}项", figures.items_closed_on_time),
            "上述事项中在期限内办结（已销号，或无需销号的已报办结）的",
            list(Figure::ItemsClosedOnTime),
        ),
        line(
            "按期办结率",
            rate(figures.on_time_closed_rate()),
            "按期办结 ÷ 应完成督办事项",
            None,
        ),
        line(
            "项目竣工、办结",
            format!(
                "{}个（其中工程项目竣工{}个）",
                figures.projects_completed, figures.construction_completed
            ),
            "完成日期在本年度内的监督项目",
            None,
        ),
    ];
    let s = &figures.suggestions;
    let suggestions = vec![
        line(
            "代表建议",
            format!("{}件", s.received),
            "本年度登记的代表建议，撤回的不计",
            list(Figure::Suggestions),
        ),
        line(
            "已交办",
            format!("{}件", s.assigned),
            "上述建议中已交承办单位办理的",
            None,
        ),
        line(
            "已办结",
            format!("{}件", s.concluded),
            "上述建议中已办结的",
            list(Figure::SuggestionsConcluded),
        ),
        line("办结率", rate(s.concluded_rate()), "已办结 ÷ 已交办", None),
        line(
            "满意率",
            rate(s.satisfied_rate()),
            "（满意＋基本满意）÷ 代表已测评的答复",
            None,
        ),
    ];
    let c = &figures.contacts;
    let contacts = vec![
        line(
            "群众来访",
            format!("{}次", c.visits),
            "本年度接待的来访",
            list(Figure::Visits),
        ),
        line(
            "群众来信",
            format!("{}件", c.letters),
            "本年度收到的来信",
            list(Figure::Letters),
        ),
        line(
            "来电、网上留言",
            format!("{}件", c.calls + c.online),
            "本年度的来电和网上留言",
            None,
        ),
        line(
            "答复率",
            rate(c.reply_rate()),
            "已答复 ÷ 应答复（来信、网上留言和转办的）",
            None,
        ),
    ];
    let g = &figures.congress;
    let congress = vec![
        line(
            "召开会议",
            format!("{}次", g.meetings_held),
            "本年度召开的人代会、主席团会议和听取汇报会",
            page("/meetings"),
        ),
        line(
            "听取政府工作汇报",
            format!("{}次", g.reports_heard),
            "上述会议中听取本级政府工作汇报的",
            page("/meetings"),
        ),
        line(
            "票决民生实事项目",
            format!("{}件，通过{}件", g.voted, g.passed),
            "本年度提交表决的候选项目及获通过的",
            page("/livelihood"),
        ),
        line(
            "满意度测评满意率",
            rate(g.satisfaction_rate()),
            "（满意＋基本满意）÷ 本年度各次测评的有效票",
            page("/livelihood"),
        ),
        line(
            "审议意见",
            format!(
                "{}条，已落实{}条",
                g.opinion_points, g.opinion_points_implemented
            ),
            "本年度交办的审议意见条数及评议为落实的",
            page("/meetings"),
        ),
    ];
    let d = &figures.deputies;
    let deputies = vec![
        line(
            "在任代表",
            format!("{}名，{}名有履职记录", d.total, d.active),
            "代表名册上的在任代表，及本年度有任何履职记录的",
            Some("/deputies".into()),
        ),
        line(
            "走访选民",
            format!("{}次", d.visits),
            "代表登记的走访选民活动",
            Some("/deputies".into()),
        ),
        line(
            "培训学习",
            format!("{}人次", d.trainings),
            "代表参加培训学习的人次",
            Some("/deputies".into()),
        ),
    ];
    vec![
        Part {
            heading: "视察检查",
            lines: inspections,
        },
        Part {
            heading: "督办事项",
            lines: items,
        },
        Part {
            heading: "代表建议办理",
            lines: suggestions,
        },
        Part {
            heading: "群众来信来访",
            lines: contacts,
        },
        Part {
            heading: "会议、票决和审议意见",
            lines: congress,
        },
        Part {
            heading: "代表履职",
            lines: deputies,
        },
    ]
}

fn kind_formula(kind: InspectionKind) -> &'static str {
    match kind {
        InspectionKind::Visit => "组织代表视察的次数",
        InspectionKind::Check => "组织代表检查的次数",
        InspectionKind::Evaluation => "组织代表评估的次数",
        InspectionKind::LawEnforcement => "组织的执法检查次数",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiandu_domain::report::{ContactFigures, SuggestionFigures};

    fn figures() -> YearFigures {
        YearFigures {
            year: 2026,
            organization: "思蒙镇".into(),
            inspections_by_kind: InspectionKind::ALL.iter().map(|k| (*k, 2)).collect(),
            items_due: 8,
            items_closed_on_time: 6,
            findings_raised: 4,
            findings_resolved: 3,
            findings_verified: 3,
            projects_completed: 2,
            construction_completed: 1,
            suggestions: SuggestionFigures {
                received: 11,
                ..SuggestionFigures::default()
            },
            contacts: ContactFigures::default(),
            congress: Default::default(),
            deputies: Default::default(),
        }
    }

    #[test]
    fn each_counted_figure_links_its_list_in_the_same_scope_and_rates_say_their_division() {
        let town = Uuid::from_u128(7);
        let parts = parts(&figures(), Some(town));
        let all: Vec<&Line> = parts.iter().flat_map(|p| &p.lines).collect();
        let find = |label: &str| *all.iter().find(|l| l.label == label).unwrap();
        assert_eq!(find("视察检查").value, "8次");
        assert_eq!(
            find("代表建议").href.as_deref(),
            Some(format!("/report/suggestions?year=2026&organization={town}").as_str())
        );
        assert_eq!(find("按期办结率").value, "75%");
        assert_eq!(find("按期办结率").formula, "按期办结 ÷ 应完成督办事项");
        // Nothing to divide by: a dash, not 0%.
        assert_eq!(find("答复率").value, "—");
        // Every kind has its own line, linked to its own list.
        let kinds: Vec<&&Line> = all.iter().filter(|l| l.label.starts_with("其中")).collect();
        assert_eq!(kinds.len(), InspectionKind::ALL.len());
        assert!(kinds.iter().all(|l| l.href.is_some()));
    }
}
