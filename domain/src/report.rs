//! The year-end figures as a work report writes them (人大工作总结): rates as the reports print
//! them ("办结率100%", "按期完成率91.7%") and the summary paragraph built from the figures.

use crate::{DeadlineState, FindingStatus, InspectionKind, Light, MilestoneStatus};

/// The words a ledger (督办台账) uses for statuses, states and lights.
pub trait Label {
    fn label(self) -> &'static str;
}

impl Label for MilestoneStatus {
    fn label(self) -> &'static str {
        match self {
            MilestoneStatus::NotStarted => "未开始",
            MilestoneStatus::InProgress => "推进中",
            MilestoneStatus::Done => "已完成",
            MilestoneStatus::Verified => "已验收",
            MilestoneStatus::Closed => "已销号",
            MilestoneStatus::Cancelled => "已取消",
        }
    }
}

impl Label for FindingStatus {
    fn label(self) -> &'static str {
        match self {
            FindingStatus::Open => "待整改",
            FindingStatus::Rectifying => "整改中",
            FindingStatus::Resolved => "已整改",
            FindingStatus::Verified => "已核实",
        }
    }
}

impl Label for DeadlineState {
    fn label(self) -> &'static str {
        match self {
            DeadlineState::Upcoming => "未到期",
            DeadlineState::DueSoon => "临近到期",
            DeadlineState::Overdue => "已逾期",
            DeadlineState::DoneOnTime => "按期完成",
            DeadlineState::DoneLate => "逾期完成",
            DeadlineState::Cancelled => "已取消",
        }
    }
}

impl Label for Light {
    fn label(self) -> &'static str {
        match self {
            Light::Red => "红灯",
            Light::Yellow => "黄灯",
            Light::Green => "绿灯",
            Light::Grey => "—",
        }
    }
}

/// A share as such reports write it: whole percentages without decimals, others to one decimal.
pub fn percent(rate: f64) -> String {
    let tenths = (rate * 1000.0).round() / 10.0;
    if tenths.fract() == 0.0 {
        format!("{tenths:.0}%")
    } else {
        format!("{tenths:.1}%")
    }
}

fn kind_name(kind: InspectionKind) -> &'static str {
    match kind {
        InspectionKind::Visit => "视察",
        InspectionKind::Check => "检查",
        InspectionKind::Evaluation => "评估",
        InspectionKind::LawEnforcement => "执法检查",
    }
}

/// The figures of one year for one organisation (and those below it).
#[derive(Debug, Clone, PartialEq)]
pub struct YearFigures {
    pub year: i32,
    pub organization: String,
    pub inspections_by_kind: Vec<(InspectionKind, u64)>,
    pub milestones_due: u64,
    pub milestones_done_on_time: u64,
    pub findings_raised: u64,
    pub findings_resolved: u64,
    pub projects_completed: u64,
}

impl YearFigures {
    pub fn inspections(&self) -> u64 {
        self.inspections_by_kind.iter().map(|(_, n)| n).sum()
    }

    /// Milestones done on time as a share of those due in the year; `None` when none were due.
    pub fn on_time_rate(&self) -> Option<f64> {
        (self.milestones_due > 0)
            .then(|| self.milestones_done_on_time as f64 / self.milestones_due as f64)
    }

    /// A paragraph for the year-end work report, e.g. "2026年，思蒙镇人大主席团共组织代表开展
    /// 视察检查6次……按期完成率100%。"
    pub fn summary(&self) -> String {
        let mut text = format!("{}年，{}", self.year, self.organization);
        let total = self.inspections();
        if total == 0 {
            text.push_str("未组织代表开展视察检查");
        } else {
            text.push_str(&format!(
                "共组织代表开展视察、检查、评估和执法检查{total}次"
            ));
            let parts: Vec<String> = self
                .inspections_by_kind
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(kind, n)| format!("{}{n}次", kind_name(*kind)))
                .collect();
            if parts.len() > 1 {
                text.push_str(&format!("（其中{}）", parts.join("、")));
            }
        }
        if self.findings_raised > 0 {
            text.push_str(&format!(
                "，代表提出整改意见{}条，已整改{}条",
                self.findings_raised, self.findings_resolved
            ));
        } else if self.findings_resolved > 0 {
            text.push_str(&format!("，整改落实代表意见{}条", self.findings_resolved));
        }
        text.push('。');
        match self.on_time_rate() {
            Some(rate) => text.push_str(&format!(
                "全年督办节点应完成{}个，按期完成{}个，按期完成率{}",
                self.milestones_due,
                self.milestones_done_on_time,
                percent(rate)
            )),
            None => text.push_str("全年无到期督办节点"),
        }
        if self.projects_completed > 0 {
            text.push_str(&format!("；{}个监督项目竣工", self.projects_completed));
        }
        text.push('。');
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_written_as_reports_write_them() {
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.5), "50%");
        assert_eq!(percent(11.0 / 12.0), "91.7%");
        assert_eq!(percent(2.0 / 3.0), "66.7%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(0.9996), "100%");
    }

    fn figures() -> YearFigures {
        YearFigures {
            year: 2021,
            organization: "思蒙镇人大主席团".into(),
            inspections_by_kind: vec![
                (InspectionKind::Visit, 4),
                (InspectionKind::Check, 2),
                (InspectionKind::Evaluation, 0),
                (InspectionKind::LawEnforcement, 0),
            ],
            milestones_due: 12,
            milestones_done_on_time: 11,
            findings_raised: 11,
            findings_resolved: 11,
            projects_completed: 3,
        }
    }

    #[test]
    fn the_summary_quotes_every_figure() {
        assert_eq!(
            figures().summary(),
            "2021年，思蒙镇人大主席团共组织代表开展视察、检查、评估和执法检查6次（其中视察4次、检查2次），\
             代表提出整改意见11条，已整改11条。全年督办节点应完成12个，按期完成11个，按期完成率91.7%；\
             3个监督项目竣工。"
        );
    }

    #[test]
    fn an_empty_year_says_so_instead_of_dividing_by_zero() {
        let empty = YearFigures {
            inspections_by_kind: vec![(InspectionKind::Visit, 0)],
            milestones_due: 0,
            milestones_done_on_time: 0,
            findings_raised: 0,
            findings_resolved: 0,
            projects_completed: 0,
            ..figures()
        };
        assert_eq!(empty.on_time_rate(), None);
        assert_eq!(
            empty.summary(),
            "2021年，思蒙镇人大主席团未组织代表开展视察检查。全年无到期督办节点。"
        );
    }
}
