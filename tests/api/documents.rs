//! Documents to print and stamp, opened with a real .docx reader: a supervision order in
//! official layout (the red mark and rule, number, title, addressee, text, signature, date; the
//! fonts official documents name), and the monthly bulletin — its figures, the red items by
//! unit and leader, the units praised for finishing on time — whose .docx says what its text
//! says. Only those who may read them download them.

use chrono::{NaiveDate, TimeZone, Utc};
use jiandu_tests::docx::{paragraphs, section};
use jiandu_tests::town::{Town, day, today, written_day};
use jiandu_tests::{TestApp, code, e2e};
use serde_json::{Value, json};

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

async fn download(app: &TestApp, token: Option<&str>, url: &str) -> reqwest::Response {
    app.get(token, url).await
}

async fn docx(app: &TestApp, token: &str, url: &str) -> Vec<u8> {
    let response = download(app, Some(token), url).await;
    assert_eq!(response.status(), 200, "{url}");
    assert_eq!(response.headers()["content-type"], DOCX);
    response.bytes().await.unwrap().to_vec()
}

e2e!(a_supervision_order_prints_as_an_official_document);
async fn a_supervision_order_prints_as_an_official_document(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let other = Town::setup(&app, "汉阳镇").await;
    let m = town
        .milestone(&app, json!({ "title": "桥面铺装", "deadline": day(-3) }))
        .await;
    let order = app
        .ok(
            &town.presidium,
            "mutation($id:ID!,$d:Date!){ issueSupervisionOrder(entityId:$id, replyDue:$d){ number title body documentUrl } }",
            json!({ "id": m["id"], "d": day(5) }),
        )
        .await["issueSupervisionOrder"]
        .clone();
    let url = order["documentUrl"].as_str().unwrap();
    let response = download(&app, Some(&town.liming), url).await;
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename*=UTF-8''") && disposition.ends_with(".docx"),
        "{disposition}"
    );
    let bytes = docx(&app, &town.liming, url).await;
    let read = paragraphs(&bytes);
    let texts: Vec<&str> = read.iter().map(|p| p.text.as_str()).collect();
    let number = order["number"].as_str().unwrap();
    let title = order["title"].as_str().unwrap();
    let date = {
        let d: NaiveDate = today();
        format!(
            "{}年{}月{}日",
            d.format("%Y"),
            d.format("%-m"),
            d.format("%-d")
        )
    };
    assert_eq!(texts[0], "思蒙镇人大主席团", "the mark first: {texts:?}");
    assert_eq!(texts[1], number);
    let at = |text: &str| {
        texts
            .iter()
            .position(|t| *t == text)
            .unwrap_or_else(|| panic!("{text:?} in {texts:?}"))
    };
    let (title_at, addressee_at) = (at(title), at("李明同志："));
    assert!(title_at < addressee_at);
    let body = &texts[addressee_at + 1];
    assert!(
        body.contains("桥面铺装") && body.contains(&written_day(5)),
        "the order's text after the addressee: {body}"
    );
    assert_eq!(
        order["body"].as_str().unwrap().lines().nth(1),
        Some(*body),
        "the text as issued"
    );
    let signature_at = texts
        .iter()
        .rposition(|t| *t == "思蒙镇人大主席团")
        .unwrap();
    assert!(signature_at > addressee_at);
    assert_eq!(texts[signature_at + 1], date);
    // As filed: the title names the project and the item, the lateness is said, and the 版记
    // closes it — printed by the presidium on the day, the day at the right margin.
    assert_eq!(
        title,
        "关于督办“思蒙国家湿地公园健身步道风雨桥·桥面铺装”的通知"
    );
    assert!(body.contains("现已逾期3天"), "{body}");
    assert_eq!(
        texts.last().copied(),
        Some(format!("思蒙镇人大主席团\t{date}印发").as_str())
    );

    // The look of an official document: the mark in red 小标宋, the title in 小标宋 二号, the
    // text in 仿宋_GB2312 三号; A4 with the standard's margins.
    assert_eq!(read[0].font(), Some("方正小标宋简体"));
    assert_eq!(read[0].runs[0]["color"], "FF0000", "{:?}", read[0].runs);
    assert_eq!(read[title_at].font(), Some("方正小标宋简体"));
    assert_eq!(read[title_at].runs[0]["sz"], 44);
    assert_eq!(read[addressee_at + 1].font(), Some("仿宋_GB2312"));
    assert_eq!(read[addressee_at + 1].runs[0]["sz"], 32);
    let page = section(&bytes);
    assert_eq!(
        (&page["pageSize"]["w"], &page["pageSize"]["h"]),
        (&json!(11906), &json!(16838)),
        "A4: {page}"
    );
    assert_eq!(page["pageMargin"]["top"], 2098, "37 mm: {page}");

    // Anyone of the town may read it; nobody else, and not without signing in.
    assert_eq!(download(&app, Some(&town.viewer), url).await.status(), 200);
    assert_eq!(
        download(&app, Some(&other.presidium), url).await.status(),
        404
    );
    assert_eq!(download(&app, None, url).await.status(), 401);
    let nonsense = download(
        &app,
        Some(&town.presidium),
        "/documents/notices/nonsense.docx",
    )
    .await;
    assert_eq!(nonsense.status(), 404);
}

e2e!(the_monthly_bulletin_names_the_red_items_by_unit_and_praises_the_punctual);
/// March 2026 of 思蒙镇: 桥面铺装 (村建办, 李明, due 6 March) never done; 廊亭彩绘 (经发办, 陈刚,
/// due 20 March) done on the 18th; 栈道护栏 not due till April. The bulletin, as of 31 March,
/// counts two due and one on time, lists 桥面铺装 under 村建办 with its leader and days overdue,
/// praises 经发办, and its .docx reads line for line as its text.
async fn the_monthly_bulletin_names_the_red_items_by_unit_and_praises_the_punctual(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let other = Town::setup(&app, "汉阳镇").await;
    let late = town
        .milestone(
            &app,
            json!({ "title": "桥面铺装", "deadline": "2026-03-06" }),
        )
        .await;
    let done = town
        .milestone(
            &app,
            json!({ "title": "廊亭彩绘", "deadline": "2026-03-20",
                    "responsibleLeaderId": town.chen, "responsibleUnitId": town.jingfa }),
        )
        .await;
    town.milestone(
        &app,
        json!({ "title": "栈道护栏", "deadline": "2026-04-30" }),
    )
    .await;
    // Begun on 1 March, due 10 April, nothing done by the 31st: red, but behind pace, not late.
    town.milestone(
        &app,
        json!({ "title": "栈道基础", "startDate": "2026-03-01", "deadline": "2026-04-10" }),
    )
    .await;
    // 陈刚 reported it done on 18 March, as it happened.
    let username = app.username(&town.chengang).await;
    let on_the_18th = app
        .ctx
        .stopped_at(Utc.with_ymd_and_hms(2026, 3, 18, 2, 0, 0).unwrap());
    jiandu_api::service::milestones::complete_milestone(
        &on_the_18th,
        &app.actor(&username).await,
        done["id"].as_str().unwrap().parse().unwrap(),
        done["version"].as_i64().unwrap() as i32,
        Some("彩绘完工"),
        None,
    )
    .await
    .expect("completed on the 18th");
    // The presidium signed it off on the 19th: 办结 where sign-off is required.
    let on_the_19th = app
        .ctx
        .stopped_at(Utc.with_ymd_and_hms(2026, 3, 19, 2, 0, 0).unwrap());
    let presidium = app.username(&town.presidium).await;
    jiandu_api::service::milestones::sign_off_milestone(
        &on_the_19th,
        &app.actor(&presidium).await,
        done["id"].as_str().unwrap().parse().unwrap(),
        done["version"].as_i64().unwrap() as i32 + 1,
        None,
    )
    .await
    .expect("signed off on the 19th");
    // 桥墩加固 (村建办, due 25 March) was reported done on the 24th and waits for 销号 still.
    let waiting = town
        .milestone(
            &app,
            json!({ "title": "桥墩加固", "deadline": "2026-03-25" }),
        )
        .await;
    let on_the_24th = app
        .ctx
        .stopped_at(Utc.with_ymd_and_hms(2026, 3, 24, 2, 0, 0).unwrap());
    let liming = app.username(&town.liming).await;
    jiandu_api::service::milestones::complete_milestone(
        &on_the_24th,
        &app.actor(&liming).await,
        waiting["id"].as_str().unwrap().parse().unwrap(),
        waiting["version"].as_i64().unwrap() as i32,
        Some("加固完成"),
        None,
    )
    .await
    .expect("reported done on the 24th");
    app.ok(
        &town.presidium,
        "mutation{ runNoticesNow(asOf:\"2026-03-09\"){ issued } }",
        json!({}),
    )
    .await;

    let query = "query($o:ID){ bulletin(year:2026, month:3, organizationId:$o){ year month asOf number title text documentUrl organization { name } } }";
    let bulletin = app.ok(&town.presidium, query, json!({ "o": null })).await["bulletin"].clone();
    assert_eq!(bulletin["asOf"], "2026-03-31");
    // Its own number, first of the year, kept when it is drawn up again; the next month's the
    // next, and another township's sequence its own.
    assert_eq!(bulletin["number"], "思人通〔2026〕1号");
    let number = |token: String, month: u32| {
        let app = &app;
        async move {
            app.ok(
                &token,
                "query($m:Int!){ bulletin(year:2026, month:$m){ number } }",
                json!({ "m": month }),
            )
            .await["bulletin"]["number"]
                .clone()
        }
    };
    assert_eq!(number(town.presidium.clone(), 2).await, "思人通〔2026〕2号");
    assert_eq!(number(town.presidium.clone(), 3).await, "思人通〔2026〕1号");
    assert_eq!(
        number(other.presidium.clone(), 3).await,
        "汉人通〔2026〕1号"
    );
    assert_eq!(bulletin["organization"]["name"], "思蒙镇");
    assert_eq!(bulletin["title"], "关于2026年3月重点事项督办情况的通报");
    let text = bulletin["text"].as_str().unwrap();
    let overdue = app
        .ok(
            &town.presidium,
            "query($id:ID!){ milestone(id:$id){ daysOverdue(asOf:\"2026-03-31\") } }",
            json!({ "id": late["id"] }),
        )
        .await["milestone"]["daysOverdue"]
        .clone();
    let march = |kind: &str| {
        let app = &app;
        let token = town.presidium.clone();
        let kind = kind.to_string();
        async move {
            app.ok(
                &token,
                "query($k:[NoticeKind!]){ notices(filter:{kind:$k}){ totalCount } }",
                json!({ "k": [kind] }),
            )
            .await["notices"]["totalCount"]
                .clone()
        }
    };
    let (reminders, urges) = (march("REMINDER").await, march("URGE").await);
    assert_eq!(urges, 1, "桥面铺装 urged on its first working day overdue");
    for expected in [
        "各责任单位、各责任领导：".to_string(),
        "思人通〔2026〕1号".to_string(),
        "本月到期3项，按期办结1项，按期办结率33%；另有1项已报办结待销号。截至2026年3月31日，逾期未办结1项，进度滞后1项。"
            .to_string(),
        format!("本月发出提醒{reminders}次、催办{urges}次、督办单0份，督办单已签收0份。"),
        "（一）村建办（1项）".to_string(),
        format!(
            "1. 桥面铺装（思蒙国家湿地公园健身步道风雨桥），责任领导李明，完成时限2026年3月6日，已逾期{overdue}天，当前进度0%。"
        ),
        "三、进度滞后事项".to_string(),
        "1. 栈道基础（思蒙国家湿地公园健身步道风雨桥），责任领导李明，完成时限2026年4月10日，当前进度0%，进度滞后。"
            .to_string(),
        "四、视察发现问题整改情况".to_string(),
        "本月视察检查发现问题0个，整改完成0个，无逾期未整改问题。".to_string(),
        "五、代表建议办理情况".to_string(),
        "于2026年4月10日前将整改情况书面报思蒙镇人大主席团".to_string(),
        "经发办本月到期事项全部按期办结，予以通报表扬。".to_string(),
    ] {
        assert!(text.contains(&expected), "{expected:?} in:\n{text}");
    }
    assert!(!text.contains("栈道护栏"), "not due yet, not red:\n{text}");
    assert!(!text.contains("汉阳"), "only this town:\n{text}");

    let bytes = docx(
        &app,
        &town.presidium,
        bulletin["documentUrl"].as_str().unwrap(),
    )
    .await;
    let read: Vec<String> = paragraphs(&bytes)
        .into_iter()
        .map(|p| p.text)
        .filter(|t| !t.is_empty())
        .collect();
    let printed: Vec<String> = text
        .lines()
        .map(|l| l.trim_start_matches('　').to_string())
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(read, printed, "the .docx says what the text says");
    let heading = paragraphs(&bytes)
        .into_iter()
        .find(|p| p.text == "一、总体情况")
        .unwrap();
    assert_eq!(heading.font(), Some("黑体"));

    // Bad months and foreign organisations.
    for (year, month) in [
        (2026, 13),
        (2026, 0),
        (1999, 5),
        (
            today().format("%Y").to_string().parse::<i32>().unwrap() + 1,
            1,
        ),
    ] {
        let refused = app
            .gql(
                Some(&town.presidium),
                "query($y:Int!,$m:Int!){ bulletin(year:$y, month:$m){ text } }",
                json!({ "y": year, "m": month }),
            )
            .await;
        assert_eq!(
            code(&refused),
            "VALIDATION_FAILED",
            "{year}-{month}: {refused}"
        );
    }
    app.refused(
        &other.presidium,
        query,
        json!({ "o": org_of(&app, &town).await }),
        "NOT_FOUND",
    )
    .await;
    let url = bulletin["documentUrl"].as_str().unwrap();
    assert_eq!(
        download(&app, Some(&other.presidium), url).await.status(),
        404
    );
}

async fn org_of(app: &TestApp, town: &Town) -> Value {
    app.ok(&town.presidium, "{ me { organization { id } } }", json!({}))
        .await["me"]["organization"]["id"]
        .clone()
}
