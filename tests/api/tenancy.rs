//! The tenant rule for every read at once: another township's presidium asks each root query
//! (the list comes from the schema itself, so a query added later fails here until it is
//! checked) and each download about 思蒙镇's records, and finds none of them.

use std::collections::BTreeSet;

use jiandu_tests::town::{Town, day, today};
use jiandu_tests::{TestApp, code, e2e};
use serde_json::{Value, json};

/// 思蒙镇's records, of every kind a query can return.
struct Theirs {
    town: Town,
    milestone: String,
    inspection: String,
    finding: String,
    extension: String,
    notice: String,
    webhook: String,
    suggestion: String,
    meeting: String,
    opinion: String,
    activity: String,
    candidate: String,
    attachment_url: String,
}

impl Theirs {
    async fn setup(app: &TestApp) -> Theirs {
        let town = Town::setup(app, "思蒙镇").await;
        let m = town
            .milestone(
                app,
                json!({ "title": "桥体及廊亭建设", "deadline": day(-2) }),
            )
            .await;
        let milestone = m["id"].as_str().unwrap().to_string();
        app.ok(
            &town.presidium,
            "mutation($id:ID!,$v:Int!,$d:Date!){ rescheduleMilestone(id:$id,expectedVersion:$v,newDeadline:$d,reason:\"汛期停工\"){ id } }",
            json!({ "id": milestone, "v": m["version"], "d": day(-1) }),
        )
        .await;
        app.ok(
            &town.liming,
            "mutation($id:ID!){ reportProgress(milestoneId:$id,progress:40,note:\"主体完成四成\"){ id } }",
            json!({ "id": milestone }),
        )
        .await;
        let logged = app
            .ok(
                &town.deputy,
                "mutation($i:LogInspectionInput!){ logInspection(input:$i){ id findings{ id } } }",
                json!({ "i": {
                    "kind": "VISIT",
                    "projectId": town.bridge,
                    "visitedOn": day(-10),
                    "participantIds": [town.yang],
                    "milestoneIds": [milestone],
                    "summary": "代表视察风雨桥建设",
                    "findings": [{
                        "description": "临河一侧防护栏缺失",
                        "responsibleLeaderId": town.li,
                        "responsibleUnitId": town.cunjian,
                        "deadline": day(-3),
                    }],
                } }),
            )
            .await["logInspection"]
            .clone();
        let pdf =
            b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
        let (status, attached) = app
            .upload(&town.deputy, &milestone, "验收报告.pdf", pdf.to_vec(), None)
            .await;
        assert_eq!(status, 200, "{attached:#}");
        let later = town
            .milestone(app, json!({ "title": "竣工验收", "deadline": day(5) }))
            .await;
        let extension = app
            .ok(
                &town.liming,
                "mutation($e:ID!,$d:Date!){ requestExtension(entityId:$e,proposedDeadline:$d,reason:\"汛期\"){ id } }",
                json!({ "e": later["id"], "d": day(20) }),
            )
            .await["requestExtension"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let notice = app
            .ok(
                &town.presidium,
                "mutation($e:ID!,$d:Date!){ issueSupervisionOrder(entityId:$e, replyDue:$d){ id } }",
                json!({ "e": milestone, "d": day(3) }),
            )
            .await["issueSupervisionOrder"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let webhook = app
            .ok(
                &town.presidium,
                "mutation{ createWebhook(input:{url:\"https://example.org/hook\", kind:WECOM}){ id } }",
                json!({}),
            )
            .await["createWebhook"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let suggestion = app
            .ok(
                &town.deputy,
                "mutation($d:ID!,$r:Date!){ registerSuggestion(input:{title:\"思蒙场镇增设路灯\",content:\"老街照明不足\",source:CONGRESS_SESSION,leadDeputyId:$d,receivedOn:$r}){ id } }",
                json!({ "d": town.yang, "r": day(-4) }),
            )
            .await["registerSuggestion"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        app.ok(
            &town.deputy,
            "mutation($p:ID!,$r:Date!){ logContact(input:{kind:VISIT,receivedOn:$r,constituentName:\"王德明\",summary:\"反映村道积水\",receivedByIds:[$p]}){ id } }",
            json!({ "p": town.yang, "r": day(-3) }),
        )
        .await;
        let meeting = app
            .ok(
                &town.presidium,
                "mutation($d:Date!){ createMeeting(input:{kind:CONGRESS_SESSION, title:\"第二届人民代表大会第一次会议\", heldOn:$d, deputiesTotal:40, deputiesPresent:35}){ id } }",
                json!({ "d": day(-2) }),
            )
            .await["createMeeting"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let hearing = app
            .ok(
                &town.presidium,
                "mutation($d:Date!){ createMeeting(input:{kind:REPORT_HEARING, title:\"听取镇政府上半年工作情况的报告\", heldOn:$d, deputiesTotal:40, deputiesPresent:12}){ id } }",
                json!({ "d": day(-2) }),
            )
            .await["createMeeting"]["id"]
            .clone();
        let opinion = app
            .ok(
                &town.presidium,
                "mutation($m:ID!,$l:ID!){ recordOpinion(input:{meetingId:$m,title:\"关于上半年工作的审议意见\",points:[\"加快道路建设\"],responsibleLeaderId:$l}){ id } }",
                json!({ "m": hearing, "l": town.li }),
            )
            .await["recordOpinion"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        app.ok(
            &town.presidium,
            "mutation($p:ID!){ setDeputyProfile(personId:$p, input:{level:TOWNSHIP, term:\"第二届\", group:\"第一代表小组\", villages:[\"思蒙村\"]}){ id } }",
            json!({ "p": town.yang }),
        )
        .await;
        let activity = app
            .ok(
                &town.deputy,
                "mutation($d:Date!){ logDutyActivity(input:{kind:CONSTITUENT_VISIT, on:$d, village:\"思蒙村\", topic:\"走访选民\", people:10}){ id } }",
                json!({ "d": day(-2) }),
            )
            .await["logDutyActivity"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let candidate = app
            .ok(
                &town.presidium,
                "mutation($y:Int!){ proposeCandidate(input:{year:$y, title:\"老街路灯改造\", source:GOVERNMENT}){ id } }",
                json!({ "y": today().format("%Y").to_string().parse::<i32>().unwrap() }),
            )
            .await["proposeCandidate"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        Theirs {
            meeting,
            opinion,
            activity,
            candidate,
            suggestion,
            extension,
            notice,
            webhook,
            milestone,
            inspection: logged["id"].as_str().unwrap().to_string(),
            finding: logged["findings"][0]["id"].as_str().unwrap().to_string(),
            attachment_url: attached["data"]["attachFile"]["url"]
                .as_str()
                .unwrap()
                .to_string(),
            town,
        }
    }

    /// Every id of theirs an answer could carry.
    fn ids(&self) -> Vec<&str> {
        let t = &self.town;
        vec![
            &t.org,
            &t.bridge,
            &t.cunjian,
            &t.jingfa,
            &t.li,
            &t.chen,
            &t.liu,
            &t.yang,
            &self.milestone,
            &self.meeting,
            &self.opinion,
            &self.activity,
            &self.candidate,
            &self.inspection,
            &self.finding,
            &self.extension,
            &self.notice,
            &self.webhook,
        ]
    }
}

/// Asks `query` as `token` and checks that no id of `theirs` appears anywhere in the answer.
async fn holds_none_of_theirs(app: &TestApp, token: &str, theirs: &Theirs, query: &str) -> Value {
    let data = app.ok(token, query, json!({})).await;
    let text = data.to_string();
    for id in theirs.ids() {
        assert!(!text.contains(id), "{query} gave {id}: {text}");
    }
    data
}

e2e!(no_query_or_download_returns_another_organisations_rows);
async fn no_query_or_download_returns_another_organisations_rows(app: TestApp) {
    let theirs = Theirs::setup(&app).await;
    // Their own records are all there for them, so an empty answer below is the rule at work.
    let own = app
        .ok(
            &theirs.town.presidium,
            "query($m:ID!,$i:ID!,$f:ID!){ milestone(id:$m){ id } inspection(id:$i){ id } finding(id:$f){ id } overdueMilestones{ totalCount } findings{ totalCount } extensionRequests{ totalCount } }",
            json!({ "m": theirs.milestone, "i": theirs.inspection, "f": theirs.finding }),
        )
        .await;
    assert_eq!(own["milestone"]["id"], theirs.milestone);
    assert_eq!(own["overdueMilestones"]["totalCount"], 1);
    assert_eq!(own["findings"]["totalCount"], 1);
    assert_eq!(own["extensionRequests"]["totalCount"], 1);
    let cycle = app
        .ok(
            &theirs.town.presidium,
            "query($m:ID!,$y:Int!){ meeting(id:$m){ id } meetings { id } opinions { id } deputies { id } dutyActivities(year:$y) { id } }",
            json!({ "m": theirs.meeting, "y": day(-2)[..4].parse::<i32>().unwrap() }),
        )
        .await;
    assert_eq!(cycle["deputies"].as_array().unwrap().len(), 1, "{cycle}");
    assert_eq!(cycle["dutyActivities"][0]["id"], theirs.activity);
    assert_eq!(cycle["meeting"]["id"], theirs.meeting);
    assert_eq!(cycle["meetings"].as_array().unwrap().len(), 2);
    assert_eq!(cycle["opinions"][0]["id"], theirs.opinion);

    let ours = Town::setup(&app, "汉阳镇").await;
    let token = ours.presidium.as_str();
    let t = &theirs.town;
    let year = today().format("%Y").to_string();
    let month = today().format("%-m").to_string();

    // Each root query, with their ids where it takes one.
    let by_id = |field: &str, id: &str| format!("{{ {field}(id:\"{id}\"){{ id }} }}");
    let checks: Vec<(&str, String)> = vec![
        ("me", "{ me { id username organization { id } } }".into()),
        ("organizations", "{ organizations { id name } }".into()),
        ("units", "{ units { id name } }".into()),
        ("people", "{ people { id name } }".into()),
        ("project", by_id("project", &t.bridge)),
        ("projects", "{ projects(first:100) { totalCount nodes { id milestones { nodes { id } } findings { nodes { id } } } } }".into()),
        ("milestone", by_id("milestone", &theirs.milestone)),
        ("milestones", "{ milestones(first:100) { totalCount nodes { id } } }".into()),
        ("overdueMilestones", "{ overdueMilestones(first:100) { totalCount nodes { id } } }".into()),
        ("historicalItems", "{ historicalItems(first:100) { totalCount nodes { id } } }".into()),
        ("inspection", by_id("inspection", &theirs.inspection)),
        ("inspections", "{ inspections(first:100) { totalCount nodes { id } } }".into()),
        ("finding", by_id("finding", &theirs.finding)),
        ("findings", "{ findings(first:100) { totalCount nodes { id } } }".into()),
        ("dashboard", "{ dashboard { projectCount milestones { total overdue } openFindings byLeader { leader { id } } byUnit { unit { id } } byOrganization { organization { id } } overdue { id } dueSoon { id } } }".into()),
        ("annualReport", format!("{{ annualReport(year:{year}) {{ inspections milestonesDue findingsRaised }} }}")),
        ("extensionRequests", "{ extensionRequests(first:100) { totalCount nodes { id milestone { id } } } }".into()),
        ("notice", by_id("notice", &theirs.notice)),
        ("suggestion", by_id("suggestion", &theirs.suggestion)),
        ("suggestions", "{ suggestions(first:100) { totalCount nodes { id } } }".into()),
        ("contacts", "{ contacts(first:100) { totalCount nodes { id } } }".into()),
        ("meeting", by_id("meeting", &theirs.meeting)),
        ("meetings", "{ meetings { id candidates { id } attendees { id } } }".into()),
        ("opinions", "{ opinions { id meeting { id } responsibleLeader { id } points { id } } }".into()),
        ("deputies", "{ deputies { id deputy { term group villages } } }".into()),
        ("dutyActivities", format!("{{ dutyActivities(year:{}) {{ id deputy {{ id }} topic }} }}", &day(-2)[..4])),
        ("deputyRecords", format!("{{ deputyRecords(year:{}) {{ deputy {{ id }} total }} }}", &day(-2)[..4])),
        ("livelihoodCandidates", format!("{{ livelihoodCandidates(year:{year}) {{ id meeting {{ id }} project {{ id }} }} }}")),
        ("suggestionStats", format!("{{ suggestionStats(year:{year}) {{ received }} }}")),
        ("webhooks", "{ webhooks { id url } }".into()),
        ("bulletin", format!("{{ bulletin(year:{year}, month:{month}) {{ text }} }}")),
        ("notices", "{ notices(first:100) { totalCount nodes { id recipient { id } milestone { id } } } }".into()),
        ("users", "{ users { id username organization { id } person { id } } }".into()),
        ("sessions", "{ sessions { id current } }".into()),
        // The national calendar: nobody's rows.
        ("workCalendar", format!("{{ workCalendar(from:\"{year}-10-01\", to:\"{year}-10-31\") {{ date kind name }} }}")),
        ("history", format!("{{ a: history(entityId:\"{}\") {{ totalCount }} b: history(entityId:\"{}\") {{ totalCount }} }}", theirs.milestone, t.bridge)),
    ];
    let mut answers = std::collections::HashMap::new();
    for (field, query) in &checks {
        answers.insert(
            *field,
            holds_none_of_theirs(&app, token, &theirs, query).await,
        );
    }
    for field in [
        "project",
        "milestone",
        "inspection",
        "finding",
        "notice",
        "suggestion",
        "meeting",
    ] {
        assert!(
            answers[field][field].is_null(),
            "{field}: {}",
            answers[field]
        );
    }
    for list in [
        "milestones",
        "overdueMilestones",
        "historicalItems",
        "inspections",
        "findings",
        "extensionRequests",
        "notices",
        "suggestions",
        "contacts",
    ] {
        assert_eq!(answers[list][list]["totalCount"], 0, "{list}");
    }
    assert_eq!(
        answers["projects"]["projects"]["totalCount"], 1,
        "only our own bridge"
    );
    assert_eq!(
        answers["organizations"]["organizations"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let dashboard = &answers["dashboard"]["dashboard"];
    assert_eq!(dashboard["milestones"]["total"], 0);
    assert_eq!(dashboard["openFindings"], 0);
    let report = &answers["annualReport"]["annualReport"];
    assert_eq!(
        (
            report["inspections"].clone(),
            report["findingsRaised"].clone()
        ),
        (json!(0), json!(0))
    );
    let tag = &t.org[24..];
    let users = answers["users"]["users"].as_array().unwrap();
    assert_eq!(users.len(), 6, "only our own accounts");
    assert!(
        users
            .iter()
            .all(|u| !u["username"].as_str().unwrap().contains(tag))
    );
    assert_eq!(answers["sessions"]["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(answers["webhooks"]["webhooks"], json!([]));
    assert_eq!(answers["meetings"]["meetings"], json!([]));
    assert_eq!(answers["opinions"]["opinions"], json!([]));
    assert_eq!(answers["deputies"]["deputies"], json!([]));
    assert_eq!(answers["dutyActivities"]["dutyActivities"], json!([]));
    assert_eq!(answers["deputyRecords"]["deputyRecords"], json!([]));
    assert_eq!(
        answers["livelihoodCandidates"]["livelihoodCandidates"],
        json!([])
    );
    assert_eq!(answers["suggestionStats"]["suggestionStats"]["received"], 0);
    let bulletin = answers["bulletin"]["bulletin"]["text"].as_str().unwrap();
    assert!(
        bulletin.contains("汉阳镇") && !bulletin.contains("桥体及廊亭建设"),
        "{bulletin}"
    );
    assert_eq!(answers["history"]["a"]["totalCount"], 0);
    assert_eq!(answers["history"]["b"]["totalCount"], 0);
    // Asking for their organisation by name is refused, not answered with nothing.
    for query in [
        "query($o:ID!){ dashboard(organizationId:$o){ projectCount } }",
        "query($o:ID!){ annualReport(year:2026, organizationId:$o){ inspections } }",
        "query($o:ID!){ milestones(filter:{organizationId:$o}){ totalCount } }",
        "query($o:ID!){ findings(filter:{organizationId:$o}){ totalCount } }",
        "query($o:ID!){ projects(filter:{organizationId:$o}){ totalCount } }",
        "query($o:ID!){ bulletin(year:2026, month:3, organizationId:$o){ text } }",
        "query($o:ID!){ suggestionStats(year:2026, organizationId:$o){ received } }",
    ] {
        let body = app.gql(Some(token), query, json!({ "o": t.org })).await;
        assert_eq!(code(&body), "NOT_FOUND", "{query}: {body}");
    }

    // Every root query of the schema is checked above.
    let schema = app
        .ok(
            token,
            "{ __schema { queryType { fields { name } } } }",
            json!({}),
        )
        .await;
    let in_schema: BTreeSet<String> = schema["__schema"]["queryType"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect();
    // Their deputy's record does not exist for us.
    let record = app
        .gql(
            Some(token),
            "query($p:ID!,$y:Int!){ deputyRecord(personId:$p, year:$y){ total } }",
            json!({ "p": t.yang, "y": day(-2)[..4].parse::<i32>().unwrap() }),
        )
        .await;
    assert_eq!(code(&record), "NOT_FOUND", "{record}");
    let mut checked: BTreeSet<String> = checks.iter().map(|(f, _)| f.to_string()).collect();
    checked.insert("deputyRecord".into());
    assert_eq!(in_schema, checked, "a root query without a tenancy check");

    // Downloads: the ledger holds none of their rows, asking for theirs is 404, and so is their
    // evidence file.
    let csv = app.get(Some(token), "/export/ledger.csv").await;
    assert_eq!(csv.status(), 200);
    let csv = csv.text().await.unwrap();
    for title in ["桥体及廊亭建设", "临河一侧防护栏缺失"] {
        assert!(!csv.contains(title), "the ledger holds {title}: {csv}");
    }
    for path in ["/export/ledger.csv", "/export/ledger.xlsx"] {
        let theirs = app
            .get(Some(token), &format!("{path}?organizationId={}", t.org))
            .await;
        assert_eq!(theirs.status(), 404, "{path} of their organisation");
    }
    let file = app.get(Some(token), &theirs.attachment_url).await;
    assert_eq!(file.status(), 404);
    for path in [
        format!("/documents/notices/{}.docx", theirs.notice),
        format!("/documents/bulletins/{}/2026-03.docx", t.org),
    ] {
        assert_eq!(app.get(Some(token), &path).await.status(), 404, "{path}");
        assert_eq!(
            app.get(Some(&t.presidium), &path).await.status(),
            200,
            "{path}"
        );
    }
    let file = app.get(Some(&t.presidium), &theirs.attachment_url).await;
    assert_eq!(file.status(), 200, "their own file is there for them");
}
