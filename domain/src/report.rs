//! The year-end figures as a work report writes them (人大工作总结): rates as the reports print
//! them ("办结率100%", "按期完成率91.7%") and the summary paragraph built from the figures.

use crate::{
    DeadlineState, FindingStatus, InspectionKind, Light, MilestoneStatus, ProjectOrigin,
    ProjectStatus, Rating,
};

/// The words a ledger (督办台账) uses for statuses, states and lights.
pub trait Label {
    fn label(self) -> &'static str;
}

impl Label for MilestoneStatus {
    fn label(self) -> &'static str {
        match self {
            MilestoneStatus::NotStarted => "未开始",
            MilestoneStatus::InProgress => "推进中",
            MilestoneStatus::Done => "已报办结（待销号）",
            MilestoneStatus::Verified => "已核验（待销号）",
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
            FindingStatus::Resolved => "已报整改（待核实）",
            FindingStatus::Verified => "已整改（已核实）",
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

impl Label for ProjectOrigin {
    fn label(self) -> &'static str {
        match self {
            ProjectOrigin::LivelihoodVote => "民生实事票决",
            ProjectOrigin::WorkReport => "政府工作报告",
            ProjectOrigin::DeputySuggestion => "代表建议",
            ProjectOrigin::Other => "其他",
        }
    }
}

impl Label for ProjectStatus {
    fn label(self) -> &'static str {
        match self {
            ProjectStatus::Planned => "计划中",
            ProjectStatus::InProgress => "推进中",
            ProjectStatus::Completed => "已完成",
            ProjectStatus::Suspended => "暂停",
            ProjectStatus::Cancelled => "已取消",
        }
    }
}

impl Label for InspectionKind {
    fn label(self) -> &'static str {
        kind_name(self)
    }
}

impl Label for Rating {
    fn label(self) -> &'static str {
        match self {
            Rating::Satisfied => "满意",
            Rating::BasicallySatisfied => "基本满意",
            Rating::Dissatisfied => "不满意",
        }
    }
}

impl Label for crate::suggestion::SuggestionStatus {
    fn label(self) -> &'static str {
        use crate::suggestion::SuggestionStatus::*;
        match self {
            Registered => "已登记",
            Assigned => "已交办",
            Answered => "已答复",
            Concluded => "已办结",
            Withdrawn => "已撤回",
        }
    }
}

impl Label for crate::suggestion::ContactKind {
    fn label(self) -> &'static str {
        use crate::suggestion::ContactKind::*;
        match self {
            Visit => "来访",
            Letter => "来信",
            Phone => "来电",
            Online => "网上留言",
        }
    }
}

impl Label for crate::suggestion::ContactStatus {
    fn label(self) -> &'static str {
        use crate::suggestion::ContactStatus::*;
        match self {
            Open => "待办理",
            Transferred => "已转办",
            Replied => "已答复",
            Closed => "已办结",
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

/// The figures of one year for one organisation (and those below it), each counted one way
/// (docs/rules.md §3): items whose on-time deadline falls in the year, and the findings the year's
/// inspections raised (one cohort, so 已整改 never exceeds 提出).
#[derive(Debug, Clone, PartialEq)]
pub struct YearFigures {
    pub year: i32,
    pub organization: String,
    pub inspections_by_kind: Vec<(InspectionKind, u64)>,
    /// Supervised items (leaves) whose on-time deadline falls in the year, CANCELLED excluded.
    pub items_due: u64,
    /// Of those, concluded (办结) with a completion on or before that deadline.
    pub items_closed_on_time: u64,
    pub findings_raised: u64,
    /// Of those, reported rectified or verified.
    pub findings_resolved: u64,
    /// Of those, verified by a deputy (已整改落实).
    pub findings_verified: u64,
    /// Projects completed in the year, construction projects included.
    pub projects_completed: u64,
    /// Of those, construction projects (工程建设项目): 竣工 rather than 办结.
    pub construction_completed: u64,
    pub suggestions: SuggestionFigures,
    pub contacts: ContactFigures,
    pub congress: CongressFigures,
    pub deputies: DeputyFigures,
}

/// A year's deputies' suggestions (代表建议办理), those received in the year, withdrawn ones
/// left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SuggestionFigures {
    pub received: u64,
    pub assigned: u64,
    /// With an answer (any round).
    pub answered: u64,
    /// Answered by the first round's deadline.
    pub answered_on_time: u64,
    pub concluded: u64,
    /// Answered with the deputy met in person (见面沟通).
    pub met: u64,
    /// The latest answer's class: A, B, C, D.
    pub classes: [u64; 4],
    /// Whose latest answer the deputy rated, and of those SATISFIED or BASICALLY_SATISFIED.
    pub rated: u64,
    pub satisfied: u64,
    /// Redone (重办) after a dissatisfied rating.
    pub redone: u64,
}

fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

impl SuggestionFigures {
    /// concluded / assigned (办结率)
    pub fn concluded_rate(&self) -> Option<f64> {
        share(self.concluded, self.assigned)
    }

    /// answered / assigned (答复率)
    pub fn answer_rate(&self) -> Option<f64> {
        share(self.answered, self.assigned)
    }

    /// met in person / answered (见面率)
    pub fn met_rate(&self) -> Option<f64> {
        share(self.met, self.answered)
    }

    /// (SATISFIED + BASICALLY_SATISFIED) / rated, on the latest round (满意率)
    pub fn satisfied_rate(&self) -> Option<f64> {
        share(self.satisfied, self.rated)
    }
}

/// A year's letters and visits (来信来访), those received in the year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactFigures {
    pub visits: u64,
    pub letters: u64,
    pub calls: u64,
    pub online: u64,
    /// Replied to, of every kind.
    pub replied: u64,
    /// Letters replied to (答复来信).
    pub letters_replied: u64,
    /// Letters, online messages and anything transferred: what expects a reply.
    pub expecting_reply: u64,
    /// Of those, replied to.
    pub expecting_replied: u64,
}

impl ContactFigures {
    /// replied / (letters + online + transferred) (答复率)
    pub fn reply_rate(&self) -> Option<f64> {
        share(self.expecting_replied, self.expecting_reply)
    }
}

impl YearFigures {
    pub fn inspections(&self) -> u64 {
        self.inspections_by_kind.iter().map(|(_, n)| n).sum()
    }

    /// 按期办结率: itemsClosedOnTime ÷ itemsDue; `None` when none was due.
    pub fn on_time_closed_rate(&self) -> Option<f64> {
        (self.items_due > 0).then(|| self.items_closed_on_time as f64 / self.items_due as f64)
    }

    /// 整改率: findingsVerified ÷ findingsRaised; `None` when none was raised.
    pub fn rectification_rate(&self) -> Option<f64> {
        (self.findings_raised > 0)
            .then(|| self.findings_verified as f64 / self.findings_raised as f64)
    }

    /// A paragraph for the year-end work report, e.g. "2021年，思蒙镇人大主席团共组织代表开展
    /// 视察、检查6次（其中视察4次、检查2次），视察检查发现问题11个，已整改落实11个，整改率100%。
    /// 应完成督办事项12项，按期办结11项，按期办结率91.7%；2个工程项目竣工，1个监督项目办结。"
    pub fn summary(&self) -> String {
        let mut text = format!("{}年，{}", self.year, self.organization);
        let held: Vec<(InspectionKind, u64)> = self
            .inspections_by_kind
            .iter()
            .copied()
            .filter(|(_, n)| *n > 0)
            .collect();
        match held.as_slice() {
            [] => text.push_str("未组织代表开展视察检查"),
            [(kind, n)] => text.push_str(&format!("共组织代表开展{}{n}次", kind_name(*kind))),
            kinds => {
                let names: Vec<&str> = kinds.iter().map(|(kind, _)| kind_name(*kind)).collect();
                let parts: Vec<String> = kinds
                    .iter()
                    .map(|(kind, n)| format!("{}{n}次", kind_name(*kind)))
                    .collect();
                text.push_str(&format!(
                    "共组织代表开展{}{}次（其中{}）",
                    names.join("、"),
                    self.inspections(),
                    parts.join("、")
                ));
            }
        }
        if let Some(rate) = self.rectification_rate() {
            text.push_str(&format!(
                "，视察检查发现问题{}个，已整改落实{}个，整改率{}",
                self.findings_raised,
                self.findings_verified,
                percent(rate)
            ));
        }
        text.push('。');
        match self.on_time_closed_rate() {
            Some(rate) => text.push_str(&format!(
                "应完成督办事项{}项，按期办结{}项，按期办结率{}",
                self.items_due,
                self.items_closed_on_time,
                percent(rate)
            )),
            None => text.push_str("全年无到期督办事项"),
        }
        let others = self.projects_completed - self.construction_completed;
        let finished: Vec<String> = [
            (self.construction_completed, "个工程项目竣工"),
            (others, "个监督项目办结"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, words)| format!("{n}{words}"))
        .collect();
        if !finished.is_empty() {
            text.push('；');
            text.push_str(&finished.join("，"));
        }
        text.push('。');
        let mut handled = Vec::new();
        let s = &self.suggestions;
        if s.received > 0 {
            let mut words = format!("办理代表意见建议{}件", s.received);
            if let Some(rate) = s.concluded_rate() {
                words.push_str(&format!("，办结率{}", percent(rate)));
            }
            handled.push(words);
        }
        let c = &self.contacts;
        let mut contacts = Vec::new();
        if c.visits > 0 {
            contacts.push(format!("接待群众来访{}次", c.visits));
        }
        if c.letters > 0 {
            contacts.push(format!("答复来信{}件", c.letters_replied));
        }
        if let (false, Some(rate)) = (contacts.is_empty(), c.reply_rate()) {
            contacts.push(format!("答复率{}", percent(rate)));
        }
        if !contacts.is_empty() {
            handled.push(contacts.join("，"));
        }
        if !handled.is_empty() {
            text.push_str(&handled.join("；"));
            text.push('。');
        }
        text.push_str(&self.congress.sentence());
        text.push_str(&self.deputies.sentence());
        text
    }
}

mod congress;

pub use congress::{CongressFigures, DeputyFigures};

#[cfg(test)]
mod tests;
