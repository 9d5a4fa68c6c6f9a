//! The roster and the deputies' duties on the workbench: the presidium puts a deputy on 代表名册
//! (a refusal keeps what was typed), a deputy logs their own visit on 我的履职 (a village they do
//! not link is taken and marked; a refused training keeps what was typed), the presidium logs
//! for a deputy, a leader reads without a form.

use jiandu_tests::town::{Town, day};
use jiandu_tests::web::Visitor;
use jiandu_tests::{TestApp, e2e};

e2e!(the_roster_is_kept_and_duties_are_logged_on_the_workbench);
async fn the_roster_is_kept_and_duties_are_logged_on_the_workbench(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let presidium = Visitor::new(&app, Some(&town.presidium));
    let refused = presidium
        .submit(
            "/deputies",
            "/deputies",
            &[
                ("person", &town.yang),
                ("level", "TOWNSHIP"),
                ("term", " "),
                ("group", "第一代表小组"),
                ("villages", "思蒙村、红岩村"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    assert!(
        refused.refusal().unwrap().contains("届次"),
        "{:?}",
        refused.refusal()
    );
    assert!(refused.html.contains("思蒙村、红岩村"), "kept as typed");
    let saved = presidium
        .submit(
            "/deputies",
            "/deputies",
            &[
                ("person", &town.yang),
                ("level", "TOWNSHIP"),
                ("term", "第二届"),
                ("constituency", "第三选区"),
                ("group", "第一代表小组"),
                ("villages", "思蒙村、红岩村"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.html);
    let roster = presidium.get("/deputies").await.html;
    assert!(
        roster.contains("杨秀英")
            && roster.contains("第一代表小组")
            && roster.contains("思蒙村、红岩村"),
        "{roster}"
    );
    let editing = presidium
        .get(&format!("/deputies?person={}", town.yang))
        .await
        .html;
    assert!(
        editing.contains("value=\"第三选区\""),
        "opened with her profile"
    );

    // 杨秀英 logs her visit on 我的履职.
    let deputy = Visitor::new(&app, Some(&town.deputy));
    let mine = deputy.get("/duties").await.html;
    assert!(
        mine.contains("我的履职") && mine.contains("<option value=\"红岩村\">"),
        "her villages are offered: {mine}"
    );
    let on = day(-1);
    let logged = deputy
        .submit(
            "/duties",
            "/duties",
            &[
                ("kind", "CONSTITUENT_VISIT"),
                ("on", &on),
                ("village", "白马村"),
                ("people", "15"),
                ("topic", "群众反映灌溉渠堵塞"),
            ],
        )
        .await;
    assert_eq!(logged.status, 303, "{}", logged.html);
    let training = deputy
        .submit(
            "/duties",
            "/duties",
            &[
                ("kind", "TRAINING"),
                ("on", &on),
                ("topic", "代表履职能力培训"),
            ],
        )
        .await;
    assert_eq!(training.status, 422, "{}", training.html);
    assert!(
        training.refusal().unwrap().contains("时长") && training.html.contains("代表履职能力培训"),
        "{}",
        training.html
    );
    let listed = deputy.get("/duties").await.html;
    assert!(
        listed.contains("群众反映灌溉渠堵塞") && listed.contains("非分工联系村"),
        "{listed}"
    );
    assert!(
        listed.contains("走访选民1次") && listed.contains("合计1项"),
        "her year in a sentence: {listed}"
    );
    // Her 述职报告 draft, downloaded with the workbench's session.
    let report = format!(
        "/documents/deputies/{}/{}.docx",
        town.yang,
        chrono::Datelike::year(&jiandu_tests::town::today())
    );
    assert!(listed.contains(&format!("href=\"{report}\"")), "{listed}");
    assert_eq!(deputy.get(&report).await.status, 200);

    // The presidium logs for her; a leader reads without a form.
    let for_her = presidium
        .submit(
            "/duties",
            "/duties",
            &[
                ("deputy", &town.yang),
                ("kind", "TRAINING"),
                ("on", &on),
                ("topic", "学习代表法"),
                ("hours", "2.5"),
            ],
        )
        .await;
    assert_eq!(for_her.status, 303, "{}", for_her.html);
    let leader = Visitor::new(&app, Some(&town.liming)).get("/duties").await;
    assert_eq!(leader.status, 200);
    assert!(
        leader.html.contains("学习代表法") && leader.html.contains("2.5小时"),
        "{}",
        leader.html
    );
    assert!(!leader.html.contains("action=\"/duties\""));
    // The presidium's table of the year marks a deputy with nothing done.
    app.ok(
        &town.presidium,
        "mutation($p:ID!){ setDeputyProfile(personId:$p, input:{level:COUNTY, term:\"第二届\"}){ id } }",
        serde_json::json!({ "p": town.liu }),
    )
    .await;
    let year_table = presidium.get("/deputies").await.html;
    let marked = year_table
        .split("<tr>")
        .find(|row| row.contains("刘芳") && row.contains("合计"))
        .unwrap_or_default();
    assert!(marked.contains("本年度无履职记录"), "{year_table}");
    let hers = year_table
        .split("<tr>")
        .find(|row| row.contains("杨秀英") && row.contains("合计"))
        .unwrap_or_default();
    assert!(!hers.contains("本年度无履职记录"), "{hers}");
    assert!(hers.contains(&format!("href=\"{report}\"")), "{hers}");
    assert!(!leader.html.contains("action=\"/deputies\""));
}

e2e!(a_visit_on_the_workbench_raises_a_suggestion_and_takes_in_a_letter);
/// From the same form a visit raises a suggestion and logs a letter or visit; a part left
/// half-typed is refused by its name with everything kept as typed, and nothing written.
async fn a_visit_on_the_workbench_raises_a_suggestion_and_takes_in_a_letter(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    town.on_roster(&app, &town.yang, &["红岩村"]).await;
    let deputy = Visitor::new(&app, Some(&town.deputy));
    let form = deputy.get("/duties").await.html;
    assert!(
        form.contains("name=\"s_title\"") && form.contains("name=\"c_summary\""),
        "{form}"
    );
    let on = day(-1);
    let visit = |extra: &[(&'static str, &'static str)]| {
        let mut fields = vec![
            ("kind", "CONSTITUENT_VISIT".to_string()),
            ("on", on.clone()),
            ("village", "红岩村".to_string()),
            ("people", "12".to_string()),
            ("topic", "群众反映村道破损".to_string()),
        ];
        fields.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
        fields
    };
    let half = visit(&[
        ("s_title", "关于修复红岩村村道的建议"),
        ("c_kind", "VISIT"),
        ("c_summary", "反映路灯不亮"),
    ]);
    let fields: Vec<(&str, &str)> = half.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = deputy.submit("/duties", "/duties", &fields).await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    assert!(
        refused
            .refusal()
            .unwrap()
            .contains("代表建议的「建议内容」"),
        "{:?}",
        refused.refusal()
    );
    assert!(
        refused.html.contains("<details id=\"raise\" open>")
            && refused.html.contains("value=\"关于修复红岩村村道的建议\"")
            && refused.html.contains("反映路灯不亮"),
        "kept as typed: {}",
        refused.html
    );
    assert!(
        !deputy
            .get("/duties")
            .await
            .html
            .contains("群众反映村道破损")
    );

    let whole = visit(&[
        ("s_title", "关于修复红岩村村道的建议"),
        ("s_content", "三组村道破损，雨天难行"),
        ("c_kind", "VISIT"),
        ("c_name", "王大爷"),
        ("c_summary", "反映路灯不亮"),
    ]);
    let fields: Vec<(&str, &str)> = whole.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let logged = deputy.submit("/duties", "/duties", &fields).await;
    assert_eq!(logged.status, 303, "{}", logged.html);
    let listed = deputy.get("/duties").await.html;
    assert!(
        listed.contains("已提出代表建议") && listed.contains("已登记来信来访"),
        "{listed}"
    );
    let suggestions = Visitor::new(&app, Some(&town.presidium))
        .get("/suggestions?all=1")
        .await
        .html;
    assert!(
        suggestions.contains("关于修复红岩村村道的建议"),
        "{suggestions}"
    );
    let contacts = Visitor::new(&app, Some(&town.presidium))
        .get("/contacts")
        .await
        .html;
    assert!(
        contacts.contains("反映路灯不亮") && contacts.contains("王大爷"),
        "{contacts}"
    );
}
