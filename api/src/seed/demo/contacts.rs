//! The sample's constituents' letters and visits (来信来访): a few transferred, replied and
//! closed, each step on its own day by the account that would take it.

use jiandu_domain::suggestion::ContactKind;

use super::Town;
use crate::error::AppError;
use crate::service::contacts::{self, NewContact};

pub struct Contact {
    pub kind: ContactKind,
    pub received: i64,
    pub name: Option<&'static str>,
    pub phone: Option<&'static str>,
    pub summary: &'static str,
    pub receivers: &'static [&'static str],
    pub steps: &'static [ContactStep],
}

pub enum ContactStep {
    Transfer {
        on: i64,
        unit: &'static str,
        due: i64,
    },
    Reply {
        on: i64,
        text: &'static str,
    },
    Close {
        on: i64,
    },
}

pub const CONTACTS: [Contact; 5] = [
    Contact {
        kind: ContactKind::Visit,
        received: -60,
        name: Some("王德福"),
        phone: Some("13808161234"),
        summary: "反映白果村二组村道雨后积水，老人小孩出行不便。",
        receivers: &["杨秀英"],
        steps: &[
            ContactStep::Transfer {
                on: -59,
                unit: "村建办",
                due: -45,
            },
            ContactStep::Reply {
                on: -50,
                text: "村建办已组织清淤并修补排水沟，积水问题已解决，已电话告知来访人。",
            },
            ContactStep::Close { on: -48 },
        ],
    },
    Contact {
        kind: ContactKind::Letter,
        received: -30,
        name: Some("李秀芳"),
        phone: None,
        summary: "来信反映场镇夜市噪音扰民，希望规定收摊时间。",
        receivers: &["周敏"],
        steps: &[
            ContactStep::Transfer {
                on: -29,
                unit: "社会事务办",
                due: -15,
            },
            ContactStep::Reply {
                on: -20,
                text: "已与夜市经营户座谈，约定晚上十点半前收摊，并由社会事务办每周巡查。",
            },
        ],
    },
    Contact {
        kind: ContactKind::Visit,
        received: -14,
        name: Some("张大贵"),
        phone: Some("13981712345"),
        summary: "反映风雨桥施工便道占用承包地，补偿款尚未到位。",
        receivers: &["杨秀英", "吴德华"],
        steps: &[ContactStep::Transfer {
            on: -13,
            unit: "经发办",
            due: 5,
        }],
    },
    Contact {
        kind: ContactKind::Phone,
        received: -2,
        name: None,
        phone: Some("13551234567"),
        summary: "来电反映场镇自来水停水未提前通知。",
        receivers: &["周敏"],
        steps: &[],
    },
    Contact {
        kind: ContactKind::Visit,
        received: -8,
        name: Some("陈玉兰"),
        phone: None,
        summary: "咨询城乡居民养老保险缴费档次。",
        receivers: &["杨秀英"],
        steps: &[
            ContactStep::Reply {
                on: -8,
                text: "当场作了政策解释，并告知可到便民服务中心办理。",
            },
            ContactStep::Close { on: -8 },
        ],
    },
];

/// Logs each letter and visit (by the deputy who received it, when they have an account) and
/// takes its steps.
pub(super) async fn enter_contacts(town: &Town<'_>) -> Result<(), AppError> {
    for spec in &CONTACTS {
        let renda = town.presidium()?;
        let by = spec
            .receivers
            .iter()
            .find_map(|name| town.account_of(name))
            .unwrap_or(renda);
        let new = NewContact {
            kind: spec.kind,
            received_on: town.day(spec.received),
            constituent_name: spec.name.map(str::to_string),
            constituent_phone: spec.phone.map(str::to_string),
            summary: spec.summary.into(),
            received_by: spec
                .receivers
                .iter()
                .map(|name| town.person(name))
                .collect::<Result<_, _>>()?,
        };
        let mut c = contacts::log_contact(&town.on(spec.received), by, new).await?;
        for step in spec.steps {
            c = match *step {
                ContactStep::Transfer { on, unit, due } => {
                    let unit = town.unit(unit)?;
                    contacts::transfer_contact(
                        &town.on(on),
                        renda,
                        c.id,
                        c.version,
                        unit,
                        town.day(due),
                    )
                    .await?
                }
                ContactStep::Reply { on, text } => {
                    contacts::reply_contact(
                        &town.on(on),
                        renda,
                        c.id,
                        c.version,
                        text,
                        town.day(on),
                    )
                    .await?
                }
                ContactStep::Close { on } => {
                    contacts::close_contact(&town.on(on), renda, c.id, c.version).await?
                }
            };
        }
    }
    Ok(())
}
