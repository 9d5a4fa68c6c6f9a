//! Where an item stands today, in the few words a list has room for: 逾期 5 天, 还剩 3 天, 按期完成.
//! The lists of items say it, and so does a notice about an item (the compact notice list a phone
//! shows: number, 项目·节点, days overdue).

use std::collections::HashMap;

use jiandu_domain::report::Label;
use jiandu_domain::{DeadlineState, Today, Tracked};
use uuid::Uuid;

use crate::error::AppError;
use crate::service::views::NoticeView;
use crate::service::{Actor, Ctx, congress, findings, milestones, suggestions};

/// `tracked` judged on `today`: days overdue while late, days left while open, else its state.
pub fn days(tracked: &Tracked, today: &Today) -> String {
    let state = tracked.deadline_state(today);
    match state {
        DeadlineState::Overdue => format!("逾期 {} 天", tracked.days_overdue(today.date)),
        DeadlineState::Upcoming | DeadlineState::DueSoon => tracked
            .days_left(today.date)
            .map_or(String::new(), |left| format!("还剩 {left} 天")),
        DeadlineState::DoneOnTime | DeadlineState::DoneLate | DeadlineState::Cancelled => {
            state.label().into()
        }
    }
}

/// A notice and the item it is about (one of them, or none for a letter).
struct About {
    notice: Uuid,
    milestone: Option<Uuid>,
    finding: Option<Uuid>,
    suggestion: Option<Uuid>,
    opinion: Option<Uuid>,
}

/// Where the item of each of `notices` stands today, by the notice's id (a notice about a
/// letter or about an item no longer readable has none).
pub async fn of_notices<'a>(
    ctx: &Ctx,
    actor: &Actor,
    notices: impl IntoIterator<Item = &'a NoticeView>,
) -> Result<HashMap<Uuid, String>, AppError> {
    let notices: Vec<About> = notices
        .into_iter()
        .map(|n| About {
            notice: n.id,
            milestone: n.milestone_id,
            finding: n.finding_id,
            suggestion: n.suggestion_id,
            opinion: n.opinion_id,
        })
        .collect();
    let ids =
        |item: fn(&About) -> Option<Uuid>| notices.iter().filter_map(item).collect::<Vec<_>>();
    let (milestone_ids, finding_ids, suggestion_ids, opinion_ids) = (
        ids(|a| a.milestone),
        ids(|a| a.finding),
        ids(|a| a.suggestion),
        ids(|a| a.opinion),
    );
    let now = ctx.now();
    let mut tracked: HashMap<Uuid, (Uuid, Tracked)> = HashMap::new();
    if !milestone_ids.is_empty() {
        for m in milestones::milestones_by_ids(ctx, actor, &milestone_ids).await? {
            tracked.insert(m.id, (m.organization_id, m.tracked()));
        }
    }
    if !finding_ids.is_empty() {
        for f in findings::findings_by_ids(ctx, actor, &finding_ids).await? {
            tracked.insert(f.id, (f.organization_id, f.tracked()));
        }
    }
    if !suggestion_ids.is_empty() {
        for s in suggestions::suggestions_by_ids(ctx, actor, &suggestion_ids).await? {
            if let Some(t) = s.tracked() {
                tracked.insert(s.id, (s.organization_id, t));
            }
        }
    }
    if !opinion_ids.is_empty() {
        for o in congress::opinions_by_ids(ctx, actor, &opinion_ids).await? {
            tracked.insert(o.id, (o.organization_id, o.tracked()));
        }
    }
    Ok(notices
        .iter()
        .filter_map(|a| {
            let item = a.milestone.or(a.finding).or(a.suggestion).or(a.opinion)?;
            let (organization, t) = tracked.get(&item)?;
            Some((
                a.notice,
                days(t, &actor.judging_day(*organization, now, None)),
            ))
        })
        .collect())
}

/// The item a notice's title names (关于督办“风雨桥·竣工验收”的通知 → 风雨桥·竣工验收), or the
/// whole title when it quotes none.
pub fn subject(title: &str) -> &str {
    match (title.find('“'), title.rfind('”')) {
        (Some(open), Some(close)) if open < close => &title[open + '“'.len_utf8()..close],
        _ => title,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notices_subject_is_the_item_its_title_quotes() {
        assert_eq!(
            subject("关于督办“思蒙国家湿地公园健身步道风雨桥·竣工验收”的通知"),
            "思蒙国家湿地公园健身步道风雨桥·竣工验收"
        );
        assert_eq!(subject("3月督办通报"), "3月督办通报");
        assert_eq!(subject("”倒“"), "”倒“");
    }
}
