//! A year of the congress's own cycle (docs/congress.md) in figures and in the words of the
//! year-end report: the meetings held and the government's reports heard, the livelihood projects
//! put to the vote and those passed, the satisfaction assessments, the deliberation opinions'
//! points and those carried out.

use super::{Label, percent, share};
use crate::congress::{OpinionStatus, PointJudgement};

impl Label for OpinionStatus {
    fn label(self) -> &'static str {
        match self {
            OpinionStatus::Sent => "已交办，待反馈",
            OpinionStatus::Answered => "已反馈，待评议",
            OpinionStatus::Judged => "已评议",
        }
    }
}

impl Label for PointJudgement {
    fn label(self) -> &'static str {
        match self {
            PointJudgement::Implemented => "落实",
            PointJudgement::Partly => "部分落实",
            PointJudgement::NotImplemented => "未落实",
        }
    }
}

/// A year's meetings, votes, assessments and opinions: meetings held in the year, candidates of
/// the year's vote, assessments at the year's meetings and opinions sent in the year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CongressFigures {
    pub meetings_held: u64,
    /// REPORT_HEARING meetings (听取政府工作汇报).
    pub reports_heard: u64,
    /// Candidates put to the vote (passed or rejected), and those passed with their titles in
    /// the order voted.
    pub voted: u64,
    pub passed: u64,
    pub passed_titles: Vec<String>,
    pub assessments: u64,
    /// 满意 + 基本满意, of the votes cast, over all the year's assessments.
    pub favourable: u64,
    pub cast: u64,
    pub opinion_points: u64,
    /// Points judged carried out (落实).
    pub opinion_points_implemented: u64,
}

/// The deputies' year: the serving deputies on the roster, those with anything done, their
/// visits to constituents and their trainings (人次).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeputyFigures {
    pub total: u64,
    pub active: u64,
    pub visits: u64,
    pub trainings: u64,
}

impl DeputyFigures {
    /// 全镇在任代表N名，N名有履职记录；组织代表走访选民N次，参加培训学习N人次。 — empty without a
    /// roster.
    pub fn sentence(&self) -> String {
        if self.total == 0 {
            return String::new();
        }
        let mut text = format!("在任代表{}名，{}名有履职记录", self.total, self.active);
        let mut did = Vec::new();
        if self.visits > 0 {
            did.push(format!("组织代表走访选民{}次", self.visits));
        }
        if self.trainings > 0 {
            did.push(format!("参加培训学习{}人次", self.trainings));
        }
        if !did.is_empty() {
            text.push('；');
            text.push_str(&did.join("，"));
        }
        text.push('。');
        text
    }
}

/// Passed projects named one by one up to this many; more are counted.
const NAMED: usize = 5;

impl CongressFigures {
    /// (满意 + 基本满意) ÷ votes cast over the year's assessments; `None` when none was held.
    pub fn satisfaction_rate(&self) -> Option<f64> {
        share(self.favourable, self.cast)
    }

    /// The sentence of the year-end report, e.g. "召开会议3次；依法表决了重大民生实事项目4件，
    /// 湿地公园健身步道风雨桥、二桥至思蒙路段提质改造和统溪河至思蒙黄金旅游通道通过了大会决议；
    /// 开展民生实事项目满意度测评1次，满意率86.7%；组织人大代表听取本级政府工作汇报1次，提出审议
    /// 意见3条，已落实2条。" — empty when the year had none of it.
    pub fn sentence(&self) -> String {
        let mut parts = Vec::new();
        if self.meetings_held > 0 {
            parts.push(format!("召开会议{}次", self.meetings_held));
        }
        if self.voted > 0 {
            let mut votes = format!("依法表决了重大民生实事项目{}件", self.voted);
            let titles = &self.passed_titles;
            match titles.len() {
                0 => votes.push_str("，均未获通过"),
                n if n <= NAMED && n as u64 == self.passed => {
                    let named = match titles.split_last() {
                        Some((last, [])) => last.clone(),
                        Some((last, rest)) => format!("{}和{last}", rest.join("、")),
                        None => String::new(),
                    };
                    votes.push_str(&format!("，{named}通过了大会决议"));
                }
                _ => votes.push_str(&format!("，其中{}件通过了大会决议", self.passed)),
            }
            parts.push(votes);
        }
        if let Some(rate) = self.satisfaction_rate() {
            parts.push(format!(
                "开展民生实事项目满意度测评{}次，满意率{}",
                self.assessments,
                percent(rate)
            ));
        }
        let mut heard = Vec::new();
        if self.reports_heard > 0 {
            heard.push(format!(
                "组织人大代表听取本级政府工作汇报{}次",
                self.reports_heard
            ));
        }
        if self.opinion_points > 0 {
            heard.push(format!(
                "提出审议意见{}条，已落实{}条",
                self.opinion_points, self.opinion_points_implemented
            ));
        }
        if !heard.is_empty() {
            parts.push(heard.join("，"));
        }
        if parts.is_empty() {
            return String::new();
        }
        format!("{}。", parts.join("；"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn simeng() -> CongressFigures {
        CongressFigures {
            meetings_held: 3,
            reports_heard: 1,
            voted: 4,
            passed: 3,
            passed_titles: vec![
                "湿地公园健身步道风雨桥".into(),
                "二桥至思蒙路段提质改造".into(),
                "统溪河至思蒙黄金旅游通道".into(),
            ],
            assessments: 1,
            favourable: 26,
            cast: 30,
            opinion_points: 3,
            opinion_points_implemented: 2,
        }
    }

    #[test]
    fn the_year_of_the_congress_is_told_in_the_reports_words() {
        assert_eq!(
            simeng().sentence(),
            "召开会议3次；依法表决了重大民生实事项目4件，湿地公园健身步道风雨桥、\
             二桥至思蒙路段提质改造和统溪河至思蒙黄金旅游通道通过了大会决议；\
             开展民生实事项目满意度测评1次，满意率86.7%；\
             组织人大代表听取本级政府工作汇报1次，提出审议意见3条，已落实2条。"
        );
    }

    #[test]
    fn the_deputies_year_is_told_when_there_is_a_roster() {
        assert_eq!(DeputyFigures::default().sentence(), "");
        let year = DeputyFigures {
            total: 9,
            active: 8,
            visits: 36,
            trainings: 12,
        };
        assert_eq!(
            year.sentence(),
            "在任代表9名，8名有履职记录；组织代表走访选民36次，参加培训学习12人次。"
        );
    }

    #[test]
    fn what_did_not_happen_is_not_said() {
        assert_eq!(CongressFigures::default().sentence(), "");
        assert_eq!(CongressFigures::default().satisfaction_rate(), None);
        let rejected = CongressFigures {
            voted: 1,
            ..CongressFigures::default()
        };
        assert_eq!(
            rejected.sentence(),
            "依法表决了重大民生实事项目1件，均未获通过。"
        );
        let many = CongressFigures {
            voted: 8,
            passed: 6,
            passed_titles: (1..=6).map(|i| format!("项目{i}")).collect(),
            ..CongressFigures::default()
        };
        assert_eq!(
            many.sentence(),
            "依法表决了重大民生实事项目8件，其中6件通过了大会决议。"
        );
        let one = CongressFigures {
            voted: 1,
            passed: 1,
            passed_titles: vec!["老街路灯改造".into()],
            ..CongressFigures::default()
        };
        assert_eq!(
            one.sentence(),
            "依法表决了重大民生实事项目1件，老街路灯改造通过了大会决议。"
        );
    }
}
