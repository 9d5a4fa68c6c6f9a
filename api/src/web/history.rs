//! An item's history as its page tells it (a milestone's or a finding's): every recorded step with
//! the reason or note it was taken with, each deadline move with its dates, oldest first; and the
//! extension requests asked on it.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use jiandu_domain::ExtensionStatus;
use uuid::Uuid;

use crate::error::AppError;
use crate::service::kernel::audit::{self, Action};
use crate::service::page::PageRequest;
use crate::service::views::{AuditEventView, DeadlineChangeView, ExtensionView};
use crate::service::{Actor, Ctx};

/// One line of the history.
pub struct Event {
    pub at: String,
    pub who: String,
    pub what: String,
}

/// An extension request as an item's page lists it.
pub struct Extension {
    pub id: Uuid,
    pub asked: String,
    pub proposed: NaiveDate,
    pub reason: String,
    pub status: &'static str,
    pub pending: bool,
    pub mine: bool,
    pub note: Option<String>,
}

fn extension_status(status: ExtensionStatus) -> &'static str {
    match status {
        ExtensionStatus::Pending => "待主席团决定",
        ExtensionStatus::Approved => "已同意",
        ExtensionStatus::Refused => "未同意",
        ExtensionStatus::Withdrawn => "已撤回",
    }
}

/// The reason or note a step was taken with, as its audit event keeps it.
pub fn remark(_action: Option<Action>, event: &AuditEventView) -> Option<&str> {
    let after = event.after.as_ref()?;
    ["reason", "note"]
        .iter()
        .find_map(|key| after.get(*key).and_then(|v| v.as_str()))
        .filter(|said| !said.is_empty())
}

/// What an item's page tells of its past: the recorded steps, and the names of the accounts that
/// took them (and asked for its extensions).
pub struct Trail<'a> {
    actor: &'a Actor,
    organization: Uuid,
    recorded: Vec<AuditEventView>,
    users: HashMap<Uuid, String>,
    events: Vec<(DateTime<Utc>, Event)>,
}

/// The most steps an item's page lists (an item takes a few dozen in a year).
const MOST_STEPS: u64 = 100;

impl<'a> Trail<'a> {
    /// The recorded steps of the item `id` of `organization`, with the names of their accounts
    /// and of those who asked for its `extensions`.
    pub async fn of(
        ctx: &Ctx,
        actor: &'a Actor,
        organization: Uuid,
        id: Uuid,
        extensions: &[ExtensionView],
    ) -> Result<Trail<'a>, AppError> {
        let page = PageRequest {
            first: MOST_STEPS,
            after: None,
        };
        let recorded: Vec<AuditEventView> = audit::history(ctx, actor, id, page)
            .await?
            .items
            .into_iter()
            .map(|(_, e)| e)
            .collect();
        let mut user_ids: Vec<Uuid> = recorded.iter().filter_map(|e| e.actor_id).collect();
        user_ids.extend(extensions.iter().map(|e| e.requested_by));
        // Each step by the person who took it, with their title, not by account.
        let users = super::names::holders(ctx, actor, &user_ids).await?;
        Ok(Trail {
            actor,
            organization,
            recorded,
            users,
            events: Vec::new(),
        })
    }

    /// Who took a step (李明（副镇长）); "系统" for steps nobody signed in took (start-up,
    /// migrations).
    pub fn who(&self, id: Option<Uuid>) -> String {
        id.and_then(|id| self.users.get(&id).cloned())
            .unwrap_or_else(|| "系统".into())
    }

    /// An instant in the item's organisation's zone, to the minute.
    pub fn when(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.actor.zone_of(self.organization).tz())
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    /// Adds the recorded steps, named by `words` with what was `said` taking them, except those
    /// `told_elsewhere` (a deadline move or a progress report, which their own rows tell with
    /// their numbers). A step `words` does not name (or an action this server no longer writes)
    /// is shown as stored.
    pub fn steps(
        &mut self,
        words: fn(Action) -> Option<&'static str>,
        said: fn(Option<Action>, &AuditEventView) -> Option<&str>,
        told_elsewhere: &[Action],
    ) {
        let told: Vec<(DateTime<Utc>, Event)> = self
            .recorded
            .iter()
            .map(|e| (Action::parse(&e.action), e))
            .filter(|(action, _)| !action.is_some_and(|a| told_elsewhere.contains(&a)))
            .map(|(action, e)| {
                let named = action.and_then(words).unwrap_or(e.action.as_str());
                let what = match said(action, e) {
                    Some(said) => format!("{named}：{said}"),
                    None => named.to_string(),
                };
                let event = Event {
                    at: self.when(e.at),
                    who: self.who(e.actor_id),
                    what,
                };
                (e.at, event)
            })
            .collect();
        self.events.extend(told);
    }

    /// Adds each deadline move with its dates and reason.
    pub fn moves(&mut self, changes: &[(Uuid, DeadlineChangeView)]) {
        for (_, c) in changes {
            let late = if c.late_change {
                "（逾期后调整）"
            } else {
                ""
            };
            let event = Event {
                at: self.when(c.changed_at),
                who: self.who(Some(c.changed_by)),
                what: format!("截止日期 {} → {}{late}：{}", c.from, c.to, c.reason),
            };
            self.events.push((c.changed_at, event));
        }
    }

    /// Adds a line told by the page itself (a progress report).
    pub fn add(&mut self, at: DateTime<Utc>, who: Uuid, what: String) {
        let event = Event {
            at: self.when(at),
            who: self.who(Some(who)),
            what,
        };
        self.events.push((at, event));
    }

    /// The extension requests as the page lists them.
    pub fn extensions(&self, asked: Vec<ExtensionView>) -> Vec<Extension> {
        asked
            .into_iter()
            .map(|e| Extension {
                id: e.id,
                asked: format!(
                    "{} {}",
                    self.when(e.requested_at),
                    self.users.get(&e.requested_by).cloned().unwrap_or_default()
                ),
                proposed: e.proposed_deadline,
                reason: e.reason,
                status: extension_status(e.status),
                pending: e.status == ExtensionStatus::Pending,
                mine: e.requested_by == self.actor.user_id(),
                note: e.decision_note,
            })
            .collect()
    }

    /// The history, oldest first.
    pub fn events(mut self) -> Vec<Event> {
        self.events.sort_by_key(|(at, _)| *at);
        self.events.into_iter().map(|(_, e)| e).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{finding, milestone, opinion, suggestion};
    use super::*;

    /// How a page tells an action in words.
    type Words = fn(Action) -> Option<&'static str>;

    /// The actions on records of `kind` (`milestone`, `finding`, …) that `words` does not tell.
    fn untold(kind: &str, words: Words) -> Vec<&'static str> {
        let prefix = format!("{kind}.");
        Action::ALL
            .into_iter()
            .filter(|action| action.as_str().starts_with(&prefix) && words(*action).is_none())
            .map(Action::as_str)
            .collect()
    }

    #[test]
    fn every_step_on_an_item_is_told_in_words_on_its_page() {
        let pages: [(&str, Words); 4] = [
            ("milestone", milestone::action_words),
            ("finding", finding::action_words),
            ("suggestion", suggestion::action_words),
            ("opinion", opinion::action_words),
        ];
        for (kind, words) in pages {
            assert_eq!(untold(kind, words), Vec::<&str>::new(), "{kind}");
        }
    }
}
