//! A generated township's year of deputies' suggestions (registered, withdrawn, assigned and
//! open — some overdue —, answered and waiting for the deputy, concluded) with their answers, and
//! its letters and visits, all received this year.

use chrono::{Datelike, Duration, NaiveDate};
use rand::Rng;
use uuid::Uuid;

use jiandu_domain::Rating;
use jiandu_domain::suggestion::{
    AnswerClass, ContactKind, ContactStatus, SuggestionSource, SuggestionStatus, suggestion_number,
};

use super::{Generator, noon};
use crate::entity::{
    Stored, constituent_contact, contact_receiver, suggestion, suggestion_answer,
    suggestion_sequence,
};

const SUGGESTIONS_PER_TOWN: i32 = 12;
const CONTACTS_PER_TOWN: usize = 20;
const CLASSES: [AnswerClass; 4] = [
    AnswerClass::A,
    AnswerClass::A,
    AnswerClass::B,
    AnswerClass::C,
];
const KINDS: [ContactKind; 4] = [
    ContactKind::Visit,
    ContactKind::Visit,
    ContactKind::Letter,
    ContactKind::Phone,
];

/// Who in the township the rows name.
pub(super) struct People<'a> {
    pub town: Uuid,
    pub leaders: &'a [Uuid],
    pub deputies: &'a [Uuid],
    pub units: &'a [Uuid],
    pub actor: Uuid,
}

#[derive(Default)]
pub(super) struct Rows {
    pub suggestions: Vec<suggestion::Model>,
    pub answers: Vec<suggestion_answer::Model>,
    pub sequences: Vec<suggestion_sequence::Model>,
    pub contacts: Vec<constituent_contact::Model>,
    pub receivers: Vec<contact_receiver::Model>,
}

impl Generator {
    /// A day this year, `from..=to` days from today.
    fn this_year(&mut self, from: i64, to: i64) -> NaiveDate {
        let first = NaiveDate::from_ymd_opt(self.today.year(), 1, 1).unwrap_or(self.today);
        self.day(from, to).max(first)
    }

    fn pick(&mut self, from: &[Uuid]) -> Uuid {
        from[self.rng.random_range(0..from.len())]
    }
}

pub(super) fn generate(g: &mut Generator, people: &People<'_>) -> Rows {
    let mut rows = Rows::default();
    let year = g.today.year();
    for sequence in 1..=SUGGESTIONS_PER_TOWN {
        suggestion(g, people, &mut rows, year, sequence);
    }
    rows.sequences.push(suggestion_sequence::Model {
        organization_id: people.town,
        year,
        last_number: SUGGESTIONS_PER_TOWN,
    });
    for _ in 0..CONTACTS_PER_TOWN {
        contact(g, people, &mut rows);
    }
    rows
}

fn suggestion(g: &mut Generator, people: &People<'_>, rows: &mut Rows, year: i32, sequence: i32) {
    let id = g.id();
    let received_on = g.this_year(-200, -1);
    // 0 registered · 1 withdrawn · 2–3 assigned · 4–5 answered · 6–9 concluded.
    let fate = g.rng.random_range(0..10);
    let assigned_on =
        (fate >= 2).then(|| (received_on + Duration::days(g.rng.random_range(1..5))).min(g.today));
    let deadline = assigned_on.map(|on| on + Duration::days(g.rng.random_range(30..90)));
    let answered_on = match (fate >= 4, assigned_on) {
        (true, Some(on)) => Some((on + Duration::days(g.rng.random_range(10..100))).min(g.today)),
        _ => None,
    };
    let concluded_on = (fate >= 6)
        .then_some(answered_on)
        .flatten()
        .map(|on| (on + Duration::days(g.rng.random_range(0..5))).min(g.today));
    let status = match fate {
        0 => SuggestionStatus::Registered,
        1 => SuggestionStatus::Withdrawn,
        2 | 3 => SuggestionStatus::Assigned,
        4 | 5 => SuggestionStatus::Answered,
        _ => SuggestionStatus::Concluded,
    };
    let leader = assigned_on.map(|_| g.pick(people.leaders));
    let lead_unit = assigned_on.map(|_| g.pick(people.units));
    if let Some(on) = answered_on {
        let rated = concluded_on.is_some();
        rows.answers.push(suggestion_answer::Model {
            id: g.id(),
            suggestion_id: id,
            round: 1,
            answered_on: on,
            answer_class: Stored(CLASSES[g.rng.random_range(0..CLASSES.len())]),
            text: "已办理并答复代表".into(),
            met_deputy: g.rng.random_bool(0.8),
            answered_by: people.actor,
            answered_at: noon(on),
            feedback: rated.then_some(Stored(if g.rng.random_bool(0.8) {
                Rating::Satisfied
            } else {
                Rating::BasicallySatisfied
            })),
            feedback_note: None,
            feedback_on: concluded_on,
            feedback_by: rated.then_some(people.actor),
        });
    }
    rows.suggestions.push(suggestion::Model {
        id,
        organization_id: people.town,
        number: suggestion_number(year, sequence),
        year,
        sequence,
        title: format!("关于改善群众出行条件的建议{sequence}"),
        content: "群众反映场镇道路照明和排水设施不足，建议统筹安排资金逐步解决。".into(),
        category: Some("城乡建设".into()),
        source: Stored(SuggestionSource::Intersession),
        lead_deputy_id: g.pick(people.deputies),
        received_on,
        status: Stored(status),
        assigned_on,
        lead_unit_id: lead_unit,
        responsible_leader_id: leader,
        key_item: fate == 2,
        deadline,
        due_by: deadline,
        on_time_deadline: deadline,
        on_time_due_by: deadline,
        round: 1,
        answered_on,
        concluded_on,
        withdrawn_reason: (fate == 1).then(|| "问题已另行解决".to_string()),
        project_id: None,
        historical: false,
        created_by: people.actor,
        created_at: noon(received_on),
        version: 1,
        updated_at: g.now,
    });
}

fn contact(g: &mut Generator, people: &People<'_>, rows: &mut Rows) {
    let id = g.id();
    let received_on = g.this_year(-200, 0);
    let kind = KINDS[g.rng.random_range(0..KINDS.len())];
    // 0–1 open · 2–3 transferred · 4–6 replied · 7–9 closed.
    let fate = g.rng.random_range(0..10);
    let transferred = fate >= 2 && g.rng.random_bool(0.7);
    let reply_due = transferred.then(|| received_on + Duration::days(g.rng.random_range(10..30)));
    let replied_on =
        (fate >= 4).then(|| (received_on + Duration::days(g.rng.random_range(0..20))).min(g.today));
    let status = match fate {
        0 | 1 => ContactStatus::Open,
        2 | 3 if transferred => ContactStatus::Transferred,
        2 | 3 => ContactStatus::Open,
        4..=6 => ContactStatus::Replied,
        _ => ContactStatus::Closed,
    };
    rows.contacts.push(constituent_contact::Model {
        id,
        organization_id: people.town,
        kind: Stored(kind),
        received_on,
        constituent_name: Some("群众".into()),
        constituent_phone: None,
        summary: "反映村道积水、路灯不亮等问题".into(),
        status: Stored(status),
        transferred_to: transferred.then(|| g.pick(people.units)),
        reply_due,
        reply: replied_on.map(|_| "已答复".to_string()),
        replied_on,
        closed_on: (status == ContactStatus::Closed)
            .then_some(replied_on)
            .flatten(),
        created_by: people.actor,
        created_at: noon(received_on),
        version: 1,
        updated_at: g.now,
    });
    rows.receivers.push(contact_receiver::Model {
        contact_id: id,
        person_id: g.pick(people.deputies),
    });
}
