//! A township set up over the API the way a presidium would: units, leaders, a deputy, a viewer
//! and the covered-bridge project.

use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};

use crate::{PASSWORD, TestApp};

pub struct Town {
    pub org: String,
    pub presidium: String,
    pub cunjian: String,
    pub jingfa: String,
    /// 李明, 副镇长
    pub li: String,
    /// 陈刚, 副镇长
    pub chen: String,
    /// 刘芳, 村建办主任
    pub liu: String,
    /// 杨秀英, 人大代表 (the `deputy` account)
    pub yang: String,
    pub liming: String,
    pub chengang: String,
    pub liufang: String,
    pub deputy: String,
    pub viewer: String,
    pub bridge: String,
}

pub fn day(offset: i64) -> String {
    (today() + Duration::days(offset)).to_string()
}

/// The same day as documents and notices write it: 2026年3月13日.
pub fn written_day(offset: i64) -> String {
    jiandu_domain::notice::written_date(today() + Duration::days(offset))
}

/// Asserts that `notices` (as [`Town::notices_through`] answers them) climb the whole ladder:
/// a reminder, an urge and a supervision order are among them.
pub fn assert_whole_ladder(notices: &Value) {
    let nodes = notices["nodes"].as_array().expect("a list of notices");
    for kind in ["REMINDER", "URGE", "SUPERVISION_ORDER"] {
        assert!(
            nodes.iter().any(|n| n["kind"] == kind),
            "a {kind} in {notices}"
        );
    }
}

/// Today in Asia/Shanghai, the zone test towns keep their calendar in.
pub fn today() -> NaiveDate {
    jiandu_domain::Zone::DEFAULT.date_of(chrono::Utc::now())
}

impl Town {
    pub async fn setup(app: &TestApp, name: &str) -> Town {
        Town::setup_in(app, name, None).await
    }

    /// A township below `parent` (a county), when given.
    pub async fn setup_in(app: &TestApp, name: &str, parent: Option<uuid::Uuid>) -> Town {
        let (org, presidium) = app.organization(name, Some("Asia/Shanghai"), parent).await;
        let tag = &org.simple().to_string()[24..];
        let p = presidium.as_str();
        let unit = |name: &str| {
            let name = name.to_string();
            async move {
                let data = app
                    .ok(
                        p,
                        "mutation($n:String!){ createUnit(input:{name:$n}){ id } }",
                        json!({ "n": name }),
                    )
                    .await;
                data["createUnit"]["id"].as_str().unwrap().to_string()
            }
        };
        // Deadlines count as set (not rolled off rest days), so that scenarios written with
        // days relative to today give the same answers on any day of the week; the calendar's
        // own rules are tested on fixed dates.
        app.ok(
            p,
            "mutation{ updateOrganizationSettings(input:{rollDeadlinesOffRestDays:false}){ id } }",
            json!({}),
        )
        .await;
        let cunjian = unit("村建办").await;
        let jingfa = unit("经发办").await;
        let person = |name: &str, title: &str, unit: &str| {
            let vars = json!({ "n": name, "t": title, "u": unit });
            async move {
                let data = app
                    .ok(p, "mutation($n:String!,$t:String,$u:ID){ createPerson(input:{name:$n,title:$t,unitId:$u}){ id } }", vars)
                    .await;
                data["createPerson"]["id"].as_str().unwrap().to_string()
            }
        };
        let li = person("李明", "副镇长", &cunjian).await;
        let chen = person("陈刚", "副镇长", &jingfa).await;
        let liu = person("刘芳", "村建办主任", &cunjian).await;
        let yang = person("杨秀英", "人大代表", &cunjian).await;
        // The presidium gives each a first password, which they change at their first sign-in.
        let user = |username: String, role: &str, person: Option<String>| {
            let vars = json!({ "u": username, "p": FIRST_PASSWORD, "r": role, "person": person });
            async move {
                app.ok(
                    p,
                    "mutation($u:String!,$p:String!,$r:Role!,$person:ID){ createUser(input:{username:$u,password:$p,role:$r,personId:$person}){ id } }",
                    vars,
                )
                .await;
                let token = app.login(&username, FIRST_PASSWORD).await;
                app.ok(
                    &token,
                    "mutation($c:String!,$n:String!){ changePassword(currentPassword:$c, newPassword:$n) }",
                    json!({ "c": FIRST_PASSWORD, "n": PASSWORD }),
                )
                .await;
                token
            }
        };
        let liming = user(format!("liming-{tag}"), "LEADER", Some(li.clone())).await;
        let chengang = user(format!("chengang-{tag}"), "LEADER", Some(chen.clone())).await;
        let liufang = user(format!("liufang-{tag}"), "LEADER", Some(liu.clone())).await;
        let deputy = user(format!("yang-{tag}"), "DEPUTY", Some(yang.clone())).await;
        let viewer = user(format!("viewer-{tag}"), "VIEWER", None).await;
        let bridge = app
            .ok(
                p,
                "mutation($l:ID){ createProject(input:{title:\"思蒙国家湿地公园健身步道风雨桥\", origin:LIVELIHOOD_VOTE, location:\"思蒙国家湿地公园\", leadLeaderId:$l}){ id } }",
                json!({ "l": li }),
            )
            .await["createProject"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        Town {
            org: org.to_string(),
            presidium,
            cunjian,
            jingfa,
            li,
            chen,
            liu,
            yang,
            liming,
            chengang,
            liufang,
            deputy,
            viewer,
            bridge,
        }
    }

    /// Puts `person` on the roster: a township deputy of the second term linking `villages`.
    pub async fn on_roster(&self, app: &TestApp, person: &str, villages: &[&str]) {
        app.ok(
            &self.presidium,
            "mutation($p:ID!,$v:[String!]){ setDeputyProfile(personId:$p, input:{level:TOWNSHIP, term:\"第二届\", villages:$v}){ id } }",
            json!({ "p": person, "v": villages }),
        )
        .await;
    }

    /// A new person of the township titled 人大代表, without an account; returns their id.
    pub async fn new_deputy(&self, app: &TestApp, name: &str) -> String {
        app.ok(
            &self.presidium,
            "mutation($n:String!){ createPerson(input:{name:$n, title:\"人大代表\"}){ id } }",
            json!({ "n": name }),
        )
        .await["createPerson"]["id"]
            .as_str()
            .expect("a person's id")
            .to_string()
    }

    /// A visit to the bridge the deputy logged on `visited_on`, raising `finding`
    /// (`{description responsibleLeaderId responsibleUnitId deadline}`); returns
    /// `{id findings{id deadline version}}`.
    pub async fn visit(&self, app: &TestApp, visited_on: &str, finding: Value) -> Value {
        app.ok(
            &self.deputy,
            "mutation($i:LogInspectionInput!){ logInspection(input:$i){ id findings { id deadline version } } }",
            json!({ "i": {
                "kind": "VISIT", "projectId": self.bridge, "visitedOn": visited_on,
                "participantIds": [self.yang], "summary": "代表视察风雨桥",
                "findings": [finding]
            } }),
        )
        .await["logInspection"]
            .clone()
    }

    /// A finding with `deadline` raised by the deputy on a visit to the bridge today, for Li to
    /// put right; returns `{id deadline version}`.
    pub async fn finding(&self, app: &TestApp, description: &str, deadline: &str) -> Value {
        let finding = json!({ "description": description, "responsibleLeaderId": self.li,
                              "responsibleUnitId": self.cunjian, "deadline": deadline });
        self.visit(app, &day(0), finding).await["findings"][0].clone()
    }

    /// Runs the daily notice scan as the presidium on each of `days` (offsets from today), and
    /// returns the notices about `subject` with `fields` of each.
    pub async fn notices_through(
        &self,
        app: &TestApp,
        days: std::ops::RangeInclusive<i64>,
        subject: &Value,
        fields: &str,
    ) -> Value {
        let run = "mutation($d:Date!){ runNoticesNow(asOf:$d){ issued } }";
        for offset in days {
            app.ok(&self.presidium, run, json!({ "d": day(offset) }))
                .await;
        }
        let about = format!(
            "query($s:ID!){{ notices(first:100, filter:{{subjectId:$s}}){{ totalCount nodes {{ {fields} }} }} }}"
        );
        app.ok(&self.presidium, &about, json!({ "s": subject }))
            .await["notices"]
            .clone()
    }

    /// An order (reply due in four days) for a fresh item titled `title`, three days overdue;
    /// the notice's id.
    pub async fn overdue_order(&self, app: &TestApp, title: &str) -> String {
        let m = self
            .milestone(app, json!({ "title": title, "deadline": day(-3) }))
            .await;
        let issued = app
            .ok(
                &self.presidium,
                "mutation($id:ID!,$d:Date!){ issueSupervisionOrder(entityId:$id, replyDue:$d){ id } }",
                json!({ "id": m["id"], "d": day(4) }),
            )
            .await;
        issued["issueSupervisionOrder"]["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// The bridge project as `token` reads it, with `fields`.
    pub async fn bridge_as(&self, app: &TestApp, token: &str, fields: &str) -> Value {
        let query = format!("query($id:ID!){{ project(id:$id){{ {fields} }} }}");
        app.ok(token, &query, json!({ "id": self.bridge })).await["project"].clone()
    }

    /// The id of the first milestone of `project`, as the presidium reads it.
    pub async fn first_milestone(&self, app: &TestApp, project: &str) -> String {
        let data = app
            .ok(
                &self.presidium,
                "query($id:ID!){ project(id:$id){ milestones { nodes { id } } } }",
                json!({ "id": project }),
            )
            .await;
        let id = &data["project"]["milestones"]["nodes"][0]["id"];
        id.as_str().unwrap().to_string()
    }

    /// The status of the milestone `id` as the presidium reads it (`"DONE"`, `"IN_PROGRESS"`…).
    pub async fn status(&self, app: &TestApp, id: &Value) -> String {
        let read = app
            .ok(
                &self.presidium,
                "query($id:ID!){ milestone(id:$id){ status } }",
                json!({ "id": id }),
            )
            .await;
        read["milestone"]["status"].as_str().unwrap().to_string()
    }

    /// A fresh item (due in sixteen days) for each of `titles`, each reported done by Li;
    /// returns what `completeMilestone` answered for each.
    pub async fn reported(&self, app: &TestApp, titles: &[&str]) -> Vec<Value> {
        let mut reported = Vec::new();
        for title in titles {
            let m = self
                .milestone(app, json!({ "title": title, "deadline": day(16) }))
                .await;
            reported.push(app.complete(&self.liming, &m["id"], &m["version"]).await);
        }
        reported
    }

    /// Adds a milestone as the presidium and returns `{id version}`.
    pub async fn milestone(&self, app: &TestApp, spec: Value) -> Value {
        let mut input = json!({
            "projectId": self.bridge,
            "responsibleLeaderId": self.li,
            "responsibleUnitId": self.cunjian,
        });
        for (k, v) in spec.as_object().expect("an object") {
            input[k] = v.clone();
        }
        app.ok(
            &self.presidium,
            "mutation($i:AddMilestoneInput!){ addMilestone(input:$i){ id version } }",
            json!({ "i": input }),
        )
        .await["addMilestone"]
            .clone()
    }
}

/// The password the presidium gives a test town's accounts, changed to [`PASSWORD`] at once.
const FIRST_PASSWORD: &str = "given-by-the-presidium";
