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
        items_due: 12,
        items_closed_on_time: 11,
        findings_raised: 11,
        findings_resolved: 11,
        findings_verified: 11,
        projects_completed: 3,
        construction_completed: 2,
        suggestions: SuggestionFigures::default(),
        contacts: ContactFigures::default(),
        congress: CongressFigures::default(),
        deputies: DeputyFigures::default(),
    }
}

#[test]
fn suggestions_and_letters_are_summed_up_as_the_report_does() {
    let mut year = figures();
    year.suggestions = SuggestionFigures {
        received: 11,
        assigned: 11,
        answered: 11,
        concluded: 11,
        ..SuggestionFigures::default()
    };
    year.contacts = ContactFigures {
        visits: 25,
        letters: 3,
        letters_replied: 3,
        replied: 3,
        expecting_reply: 3,
        expecting_replied: 3,
        ..ContactFigures::default()
    };
    let summary = year.summary();
    assert!(
        summary.ends_with(
            "办理代表意见建议11件，办结率100%；接待群众来访25次，答复来信3件，答复率100%。"
        ),
        "{summary}"
    );
    assert!(!figures().summary().contains("建议"), "none: not mentioned");
}

#[test]
fn the_summary_quotes_every_figure_in_one_cohort() {
    assert_eq!(
        figures().summary(),
        "2021年，思蒙镇人大主席团共组织代表开展视察、检查6次（其中视察4次、检查2次），\
         视察检查发现问题11个，已整改落实11个，整改率100%。\
         应完成督办事项12项，按期办结11项，按期办结率91.7%；2个工程项目竣工，1个监督项目办结。"
    );
    let built = YearFigures {
        construction_completed: 3,
        ..figures()
    };
    assert!(
        built
            .summary()
            .ends_with("按期办结率91.7%；3个工程项目竣工。")
    );
    let none_built = YearFigures {
        construction_completed: 0,
        ..figures()
    };
    assert!(
        none_built
            .summary()
            .ends_with("按期办结率91.7%；3个监督项目办结。")
    );
    let one_kind = YearFigures {
        inspections_by_kind: vec![(InspectionKind::Visit, 3), (InspectionKind::Check, 0)],
        findings_verified: 9,
        ..figures()
    };
    assert!(one_kind.summary().starts_with(
        "2021年，思蒙镇人大主席团共组织代表开展视察3次，视察检查发现问题11个，已整改落实9个，整改率81.8%。"
    ));
}

#[test]
fn an_empty_year_says_so_instead_of_dividing_by_zero() {
    let empty = YearFigures {
        inspections_by_kind: vec![(InspectionKind::Visit, 0)],
        items_due: 0,
        items_closed_on_time: 0,
        findings_raised: 0,
        findings_resolved: 0,
        findings_verified: 0,
        projects_completed: 0,
        construction_completed: 0,
        ..figures()
    };
    assert_eq!(empty.on_time_closed_rate(), None);
    assert_eq!(empty.rectification_rate(), None);
    assert_eq!(
        empty.summary(),
        "2021年，思蒙镇人大主席团未组织代表开展视察检查。全年无到期督办事项。"
    );
}

#[test]
fn the_congress_year_closes_the_summary() {
    let mut year = figures();
    year.congress = CongressFigures {
        meetings_held: 2,
        reports_heard: 1,
        ..CongressFigures::default()
    };
    let summary = year.summary();
    assert!(
        summary.ends_with("1个监督项目办结。召开会议2次；组织人大代表听取本级政府工作汇报1次。"),
        "{summary}"
    );
}
