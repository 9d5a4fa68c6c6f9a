//! The sample's deputies' suggestions: a year of them in every state — concluded, redone after a
//! dissatisfied rating, concluded on a B answer and made a project, answered and waiting for the
//! deputy, assigned and on time, assigned and overdue, just registered, withdrawn. Each step is
//! taken on its own day (the clock stopped then) by the account that would take it; the
//! constituents' letters and visits are in `super::contacts`.

use jiandu_domain::Rating;
use jiandu_domain::suggestion::{AnswerClass, SuggestionSource};

use super::Town;
use super::data::ACCOUNTS;
use crate::error::AppError;
use crate::service::suggestions::{self, Answer, Assignment, NewSuggestion, ProjectOfSuggestion};
use crate::service::{Actor, Ctx};

pub struct Suggestion {
    pub title: &'static str,
    pub content: &'static str,
    pub category: &'static str,
    pub source: SuggestionSource,
    pub lead: &'static str,
    pub cosigners: &'static [&'static str],
    pub received: i64,
    pub steps: &'static [Step],
}

/// A step in a suggestion's life, on a day (an offset from today).
pub enum Step {
    /// By the presidium; due `suggestionAnswerWorkingDays` on unless `due` is given.
    Assign {
        on: i64,
        unit: &'static str,
        leader: &'static str,
        key: bool,
        due: Option<i64>,
    },
    /// By the leader it is assigned to.
    Answer {
        on: i64,
        class: AnswerClass,
        text: &'static str,
        met: bool,
    },
    /// By the lead deputy (the presidium enters a paper form for a deputy without an account).
    Rate {
        on: i64,
        rating: Rating,
        note: Option<&'static str>,
    },
    Conclude {
        on: i64,
    },
    Withdraw {
        on: i64,
        reason: &'static str,
    },
    Project {
        on: i64,
        title: &'static str,
        location: &'static str,
    },
}

use Step::{Assign, Conclude, Project, Rate, Withdraw};

pub const SUGGESTIONS: [Suggestion; 8] = [
    Suggestion {
        title: "思蒙场镇老街增设路灯",
        content: "思蒙场镇老街自农贸市场至思蒙河桥头约八百米没有路灯，群众夜间出行不便，冬季尤其存在安全隐患。建议增设太阳能路灯二十盏。",
        category: "城乡建设",
        source: SuggestionSource::CongressSession,
        lead: "杨秀英",
        cosigners: &["吴德华"],
        received: -150,
        steps: &[
            Assign {
                on: -148,
                unit: "村建办",
                leader: "李明",
                key: false,
                due: None,
            },
            Step::Answer {
                on: -110,
                class: AnswerClass::A,
                text: "已纳入场镇亮化工程，老街增设太阳能路灯二十二盏，已全部安装并投入使用。",
                met: true,
            },
            Rate {
                on: -105,
                rating: Rating::Satisfied,
                note: None,
            },
            Conclude { on: -104 },
        ],
    },
    Suggestion {
        title: "修复三组至五组村道",
        content: "白果村三组至五组村道长约两公里，路面破损严重，雨天积水，农产品运输困难。建议尽快修复并加装错车道。",
        category: "交通",
        source: SuggestionSource::CongressSession,
        lead: "吴德华",
        cosigners: &[],
        received: -140,
        steps: &[
            Assign {
                on: -138,
                unit: "村建办",
                leader: "李明",
                key: false,
                due: None,
            },
            Step::Answer {
                on: -100,
                class: AnswerClass::C,
                text: "该路段不在今年通村公路改造计划内，暂时难以安排资金。",
                met: false,
            },
            Rate {
                on: -96,
                rating: Rating::Dissatisfied,
                note: Some("群众出行困难，希望先行修补坑洼路段"),
            },
            Step::Answer {
                on: -85,
                class: AnswerClass::A,
                text: "已协调镇村两级资金先行修补坑洼路段一点二公里，新增错车道三处，已于上月完工。",
                met: true,
            },
            Rate {
                on: -82,
                rating: Rating::BasicallySatisfied,
                note: None,
            },
            Conclude { on: -80 },
        ],
    },
    Suggestion {
        title: "解决白果村四组安全饮水问题",
        content: "白果村四组三十余户群众饮用山泉水，枯水期经常断水，水质也未经检测。建议接通场镇自来水管网。",
        category: "民生保障",
        source: SuggestionSource::LiaisonStation,
        lead: "杨秀英",
        cosigners: &["吴德华"],
        received: -120,
        steps: &[
            Assign {
                on: -118,
                unit: "社会事务办",
                leader: "张丽",
                key: true,
                due: None,
            },
            Step::Answer {
                on: -60,
                class: AnswerClass::B,
                text: "已列入明年农村饮水安全巩固提升工程，先行安排送水车在枯水期定时送水。",
                met: true,
            },
            Rate {
                on: -57,
                rating: Rating::Satisfied,
                note: None,
            },
            Conclude { on: -55 },
            Project {
                on: -50,
                title: "白果村四组安全饮水工程",
                location: "白果村四组",
            },
        ],
    },
    Suggestion {
        title: "湿地公园增设公共厕所",
        content: "思蒙国家湿地公园健身步道沿线没有公共厕所，节假日游客较多，建议在风雨桥和停车场附近各建一座。",
        category: "城乡建设",
        source: SuggestionSource::Intersession,
        lead: "杨秀英",
        cosigners: &[],
        received: -45,
        steps: &[
            Assign {
                on: -43,
                unit: "村建办",
                leader: "李明",
                key: false,
                due: None,
            },
            Step::Answer {
                on: -3,
                class: AnswerClass::A,
                text: "风雨桥旁公共厕所已随风雨桥工程一并设计，停车场附近一座已选址，年内建成。",
                met: true,
            },
        ],
    },
    Suggestion {
        title: "农贸市场增设停车位",
        content: "思蒙农贸市场逢场天车辆乱停乱放，堵塞场镇主街。建议利用市场后侧空地规划停车位。",
        category: "城乡建设",
        source: SuggestionSource::Intersession,
        lead: "吴德华",
        cosigners: &["杨秀英"],
        received: -40,
        steps: &[Assign {
            on: -38,
            unit: "经发办",
            leader: "陈刚",
            key: false,
            due: Some(-6),
        }],
    },
    Suggestion {
        title: "思蒙小学门口增设交通安全设施",
        content: "思蒙小学校门正对县道，上下学时段车速快，学生过马路危险。建议增设减速带、人行横道和警示标志。",
        category: "教育",
        source: SuggestionSource::LiaisonStation,
        lead: "杨秀英",
        cosigners: &[],
        received: -12,
        steps: &[Assign {
            on: -10,
            unit: "村建办",
            leader: "李明",
            key: true,
            due: None,
        }],
    },
    Suggestion {
        title: "调整乡村客运班次",
        content: "思蒙至县城的乡村客运早班车发车太晚，学生和务工群众赶不上，建议增开早上六点半一班。",
        category: "交通",
        source: SuggestionSource::Intersession,
        lead: "吴德华",
        cosigners: &[],
        received: -1,
        steps: &[],
    },
    Suggestion {
        title: "场镇生活垃圾清运",
        content: "场镇东街垃圾收集点清运不及时，夏季异味大。建议增加清运频次。",
        category: "环境保护",
        source: SuggestionSource::Intersession,
        lead: "杨秀英",
        cosigners: &[],
        received: -70,
        steps: &[Withdraw {
            on: -66,
            reason: "镇政府已调整清运频次为每日两次，问题已解决",
        }],
    },
];

impl Town<'_> {
    /// The account of the person `name`, if they have one.
    pub(super) fn account_of(&self, name: &str) -> Option<&Actor> {
        ACCOUNTS
            .iter()
            .find(|a| a.person == Some(name))
            .and_then(|a| self.accounts.get(a.username))
    }

    /// The context with its clock stopped at noon on the day `offset` days from today.
    pub(super) fn on(&self, offset: i64) -> Ctx {
        self.ctx.stopped_at(self.noon(offset))
    }
}

/// Registers each suggestion and takes its steps, each on its day.
pub(super) async fn enter_suggestions(town: &Town<'_>) -> Result<(), AppError> {
    for spec in &SUGGESTIONS {
        let renda = town.presidium()?;
        // A deputy with an account registers, rates and withdraws their own.
        let deputy = town.account_of(spec.lead).unwrap_or(renda);
        let new = NewSuggestion {
            title: spec.title.into(),
            content: spec.content.into(),
            category: Some(spec.category.into()),
            source: spec.source,
            lead_deputy_id: town.person(spec.lead)?,
            co_signer_ids: spec
                .cosigners
                .iter()
                .map(|name| town.person(name))
                .collect::<Result<_, _>>()?,
            received_on: town.day(spec.received),
        };
        let mut s = suggestions::register_suggestion(&town.on(spec.received), deputy, new).await?;
        let mut leader = renda;
        for step in spec.steps {
            s = match *step {
                Assign {
                    on,
                    unit,
                    leader: who,
                    key,
                    due,
                } => {
                    leader = town.account_of(who).unwrap_or(renda);
                    let assignment = Assignment {
                        lead_unit_id: town.unit(unit)?,
                        co_unit_ids: Vec::new(),
                        responsible_leader_id: town.person(who)?,
                        key_item: key,
                        deadline: due.map(|d| town.day(d)),
                    };
                    suggestions::assign_suggestion(&town.on(on), renda, s.id, s.version, assignment)
                        .await?
                }
                Step::Answer {
                    on,
                    class,
                    text,
                    met,
                } => {
                    let answer = Answer {
                        answer_class: class,
                        text: text.into(),
                        answered_on: town.day(on),
                        met_deputy: met,
                    };
                    suggestions::answer_suggestion(&town.on(on), leader, s.id, s.version, answer)
                        .await?
                }
                Rate { on, rating, note } => {
                    suggestions::record_feedback(
                        &town.on(on),
                        deputy,
                        s.id,
                        s.version,
                        rating,
                        note,
                    )
                    .await?
                }
                Conclude { on } => {
                    suggestions::conclude_suggestion(&town.on(on), renda, s.id, s.version).await?
                }
                Withdraw { on, reason } => {
                    suggestions::withdraw_suggestion(&town.on(on), deputy, s.id, s.version, reason)
                        .await?
                }
                Project {
                    on,
                    title,
                    location,
                } => {
                    let project = ProjectOfSuggestion {
                        title: Some(title.into()),
                        location: Some(location.into()),
                        ..ProjectOfSuggestion::default()
                    };
                    suggestions::make_project(&town.on(on), renda, s.id, s.version, project).await?
                }
            };
        }
    }
    Ok(())
}
