//! The workbench (工作台): Chinese pages rendered on the server, for the people who never write a
//! GraphQL query. Every page calls the same service use cases as GraphQL (so the same
//! authorisation, validation, version checks and audit); every form works without JavaScript;
//! templates (askama, compiled in) escape every value they print; the stylesheet is inside the
//! binary.
//!
//! A handler takes the signed-in person (`page::Signed`, or a form with it, `page::Posted`) and
//! answers a `page::Page`: the page, or with `?` the page to send instead (the sign-in page, a
//! refusal). The request's edge — who is calling, the cookie, CSRF tokens, the request rate —
//! is `crate::http`'s; this module builds on it and `http` knows nothing of pages.

mod assets;
mod board;
mod bulletin;
mod calendar;
mod congress_words;
mod contacts;
mod dashboard;
mod deputies;
mod duties;
mod extensions;
mod finding;
mod finding_steps;
mod findings;
mod form;
mod gantt;
mod historical;
mod historical_records;
mod history;
mod hooks;
mod import;
mod inspected;
mod inspection;
mod items;
mod livelihood;
mod livelihood_steps;
mod meeting;
mod meetings;
mod menu;
mod milestone;
mod names;
mod new_project;
mod notice_batch;
mod notice_screen;
mod notices;
mod opinion;
mod page;
mod paste;
mod people;
mod posted;
mod project;
mod refusal;
mod report;
mod settings;
mod sign_in;
mod standing;
mod steps;
mod suggestion;
mod suggestion_steps;
mod suggestions;
mod upload;

use poem::{Route, get, post};

/// `route` with the workbench's pages added.
pub fn routes(route: Route) -> Route {
    route
        .at("/", get(board::board))
        .at("/login", get(sign_in::login_form).post(sign_in::submit))
        .at("/logout", post(sign_in::sign_out))
        .at(
            "/password",
            get(sign_in::password_form).post(sign_in::change_password),
        )
        .at("/mine", get(items::mine))
        .at("/dashboard", get(dashboard::dashboard))
        .at("/report", get(report::report))
        .at("/report/:figure", get(report::behind))
        .at("/items", get(items::by_state))
        .at("/items/sign-off", post(items::sign_off_selected))
        .at("/historical", get(historical::list))
        .at("/deputies", get(deputies::list).post(deputies::submit))
        .at("/duties", get(duties::list).post(duties::submit))
        .at("/meetings", get(meetings::list).post(meetings::submit))
        .at("/meetings/:id", get(meeting::show))
        .at("/meetings/:id/opinions", post(meeting::record_opinion))
        .at("/opinions/:id", get(opinion::show))
        .at("/opinions/:id/attach", post(opinion::attach))
        .at("/opinions/:id/:step", post(opinion::take_step))
        .at(
            "/livelihood",
            get(livelihood::list).post(livelihood::submit),
        )
        .at("/livelihood/:id/:step", post(livelihood_steps::take_step))
        .at("/historical/:id", post(historical::confirm))
        .at(
            "/historical/findings/:id",
            post(historical::confirm_finding),
        )
        .at(
            "/historical/suggestions/:id",
            post(historical::confirm_suggestion),
        )
        .at("/projects", post(new_project::create))
        .at("/projects/new", get(new_project::project_form))
        .at("/projects/:id", get(project::show))
        .at("/projects/:id/milestones", post(project::add_milestone))
        .at("/projects/:id/paste", get(paste::form).post(paste::submit))
        .at("/projects/:id/edit", post(project::edit))
        .at("/milestones/:id", get(milestone::show))
        .at("/milestones/:id/:step", post(steps::take_step))
        .at(
            "/inspections",
            get(inspection::inspection_form).post(inspection::submit),
        )
        .at("/notices", get(notices::list))
        .at("/notices/run", post(notice_batch::run_now))
        .at(
            "/notices/acknowledge",
            post(notice_batch::acknowledge_selected),
        )
        .at("/notices/bulletin", get(bulletin::show))
        .at("/notices/hooks", post(hooks::add_hook))
        .at("/notices/hooks/:id/delete", post(hooks::delete_hook))
        .at("/notices/:id/:step", post(notices::answer))
        .at("/extensions", get(extensions::list))
        .at("/extensions/:id/decide", post(extensions::decide))
        .at("/work-calendar", get(calendar::show_month))
        .at("/work-calendar/feed", post(calendar::new_feed))
        .at("/import", get(import::form).post(import::submit))
        .at("/import/confirm", post(import::confirm))
        .at("/people", get(people::show))
        .at("/people/units", post(people::add_unit))
        .at("/people/units/:id/head", post(people::unit_head))
        .at("/people/people", post(people::add_person))
        .at("/people/accounts", post(people::open_account))
        .at("/people/accounts/:id/:step", post(people::account_step))
        .at("/settings", get(settings::show).post(settings::save))
        .at(
            "/suggestions",
            get(suggestions::list).post(suggestions::submit),
        )
        .at("/suggestions/:id", get(suggestion::show))
        .at("/suggestions/:id/attach", post(suggestion_steps::attach))
        .at("/suggestions/:id/:step", post(suggestion_steps::take_step))
        .at("/contacts", get(contacts::list).post(contacts::submit))
        .at("/contacts/:id/:step", post(contacts::take_step))
        .at("/findings", get(findings::list))
        .at("/findings/:id", get(finding::show))
        .at("/findings/:id/:step", post(finding_steps::take_step))
        .at("/assets/:file", get(assets::asset))
}
