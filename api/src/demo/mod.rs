//! The Simeng sample (DESIGN.md §7): the three livelihood projects the town's congress voted in
//! 2021, split into milestones with leaders and units, in a mix of states relative to the day it
//! is loaded: done on time, done late and verified, rescheduled, overdue, due soon, behind pace;
//! and the deputies' inspections with their findings.

mod inspections;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, NaiveDate};
use jiandu_domain::{ProjectOrigin, Role};
use rand::RngCore;
use uuid::Uuid;

use crate::error::AppError;
use crate::service::accounts::{self, NewUser};
use crate::service::milestones::{self, NewMilestone};
use crate::service::organizations::{self, NewOrganization, NewPerson};
use crate::service::projects::{self, NewProject};
use crate::service::views::MilestoneView;
use crate::service::{Actor, Ctx};

pub const DEMO_PASSWORD: &str = "jiandu-demo";
pub const DEMO_ORG: &str = "思蒙镇人大主席团";

pub fn random_password() -> String {
    let mut bytes = [0u8; 12];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Loads the sample unless the database already has accounts; prints the demo accounts.
pub async fn load_if_empty(ctx: &Ctx) -> anyhow::Result<()> {
    if accounts::user_count(ctx).await? > 0 {
        println!("The database already has data; the demo sample was not loaded again.");
    } else {
        load(ctx).await?;
        println!("Loaded the Simeng (思蒙镇) 2021 sample.");
    }
    println!("Demo accounts (password `{DEMO_PASSWORD}`):");
    for (username, who) in DEMO_ACCOUNTS {
        println!("  {username:<12} {who}");
    }
    Ok(())
}

const DEMO_ACCOUNTS: [(&str, &str); 6] = [
    ("renda", "PRESIDIUM  周敏, 人大主席"),
    ("liming", "LEADER     李明, 副镇长 (风雨桥)"),
    ("chengang", "LEADER     陈刚, 副镇长 (二桥至思蒙路段)"),
    ("zhangli", "LEADER     张丽, 副镇长 (旅游通道用地)"),
    ("yangxiuying", "DEPUTY     杨秀英, 人大代表"),
    ("xianrenda", "VIEWER     县人大常委会"),
];

struct Demo<'a> {
    ctx: &'a Ctx,
    today: NaiveDate,
}

impl Demo<'_> {
    fn day(&self, offset: i64) -> NaiveDate {
        self.today + Duration::days(offset)
    }

    async fn account(
        &self,
        org: Uuid,
        username: &str,
        role: Role,
        person: Option<Uuid>,
    ) -> Result<Actor, AppError> {
        let user = accounts::insert_user(
            self.ctx,
            None,
            org,
            NewUser {
                username: username.into(),
                password: DEMO_PASSWORD.into(),
                role,
                person_id: person,
            },
        )
        .await?;
        accounts::actor_for(self.ctx, user).await
    }
}

struct Node<'a> {
    title: &'a str,
    leader: Uuid,
    unit: Uuid,
    person: Option<Uuid>,
    start: Option<i64>,
    deadline: i64,
}

async fn add(
    demo: &Demo<'_>,
    presidium: &Actor,
    project: Uuid,
    parent: Option<Uuid>,
    node: Node<'_>,
) -> Result<MilestoneView, AppError> {
    milestones::add_milestone(
        demo.ctx,
        presidium,
        NewMilestone {
            project_id: project,
            parent_id: parent,
            title: node.title.into(),
            description: None,
            responsible_leader_id: node.leader,
            responsible_unit_id: node.unit,
            responsible_person_id: node.person,
            start_date: node.start.map(|d| demo.day(d)),
            deadline: demo.day(node.deadline),
            weight: None,
        },
    )
    .await
}

async fn done(
    demo: &Demo<'_>,
    who: &Actor,
    m: &MilestoneView,
    on: i64,
    note: &str,
) -> Result<MilestoneView, AppError> {
    milestones::complete_milestone(
        demo.ctx,
        who,
        m.id,
        m.version,
        Some(note),
        Some(demo.day(on)),
    )
    .await
}

async fn progress(
    demo: &Demo<'_>,
    who: &Actor,
    m: &MilestoneView,
    percent: i64,
    note: &str,
) -> Result<MilestoneView, AppError> {
    milestones::report_progress(demo.ctx, who, m.id, percent, Some(note)).await
}

pub async fn load(ctx: &Ctx) -> anyhow::Result<()> {
    let org = organizations::insert_organization(
        ctx,
        None,
        NewOrganization {
            name: DEMO_ORG.into(),
            timezone: Some("Asia/Shanghai".into()),
            parent_id: None,
        },
    )
    .await?;
    let demo = Demo {
        ctx,
        today: jiandu_domain::Zone::DEFAULT.date_of(ctx.now()),
    };
    let bootstrap = demo.account(org.id, "renda", Role::Presidium, None).await?;

    let mut units = Vec::new();
    for name in ["党政办", "经发办", "社会事务办", "村建办"] {
        units.push(organizations::create_unit(ctx, &bootstrap, name).await?.id);
    }
    let [dangzheng, jingfa, shehui, cunjian] = [units[0], units[1], units[2], units[3]];
    let mut people = Vec::new();
    for (name, title, unit) in [
        ("王建国", "镇长", dangzheng),
        ("李明", "副镇长", cunjian),
        ("张丽", "副镇长", shehui),
        ("陈刚", "副镇长", jingfa),
        ("刘芳", "村建办主任", cunjian),
        ("赵强", "经发办主任", jingfa),
        ("周敏", "人大主席", dangzheng),
        ("杨秀英", "人大代表", dangzheng),
        ("吴德华", "人大代表", dangzheng),
    ] {
        let person = organizations::create_person(
            ctx,
            &bootstrap,
            NewPerson {
                name: name.into(),
                title: Some(title.into()),
                unit_id: Some(unit),
            },
        )
        .await?;
        people.push(person.id);
    }
    let [wang, li, zhang, chen, liu, zhao] = [
        people[0], people[1], people[2], people[3], people[4], people[5],
    ];
    let liming = demo
        .account(org.id, "liming", Role::Leader, Some(li))
        .await?;
    let chengang = demo
        .account(org.id, "chengang", Role::Leader, Some(chen))
        .await?;
    let zhangli = demo
        .account(org.id, "zhangli", Role::Leader, Some(zhang))
        .await?;
    let deputy = demo
        .account(org.id, "yangxiuying", Role::Deputy, Some(people[7]))
        .await?;
    let county = organizations::insert_organization(
        ctx,
        None,
        NewOrganization {
            name: "县人大常委会".into(),
            timezone: None,
            parent_id: None,
        },
    )
    .await?;
    demo.account(county.id, "xianrenda", Role::Viewer, None)
        .await?;
    let p = &bootstrap;

    // 1. The covered bridge on the wetland-park fitness trail.
    let bridge = projects::create_project(ctx, p, NewProject {
        title: "思蒙国家湿地公园健身步道风雨桥".into(),
        description: Some("民生实事票决项目：在湿地公园健身步道跨河处新建风雨桥一座，方便群众通行和休闲健身。".into()),
        origin: ProjectOrigin::LivelihoodVote,
        location: Some("思蒙国家湿地公园".into()),
        lead_leader_id: Some(li),
        planned_start: Some(demo.day(-130)),
        planned_end: Some(demo.day(30)),
    })
    .await?;
    let design = add(
        &demo,
        p,
        bridge.id,
        None,
        Node {
            title: "方案设计",
            leader: li,
            unit: cunjian,
            person: Some(liu),
            start: Some(-130),
            deadline: -90,
        },
    )
    .await?;
    done(&demo, &liming, &design, -92, "设计方案通过专家评审").await?;
    let approval = add(
        &demo,
        p,
        bridge.id,
        None,
        Node {
            title: "立项审批",
            leader: li,
            unit: cunjian,
            person: Some(liu),
            start: Some(-90),
            deadline: -70,
        },
    )
    .await?;
    let approval = done(
        &demo,
        &liming,
        &approval,
        -63,
        "县发改局批复立项，较计划推迟一周",
    )
    .await?;
    milestones::verify_milestone(
        ctx,
        &deputy,
        approval.id,
        approval.version,
        true,
        Some("批复文件齐全"),
    )
    .await?;
    let tender = add(
        &demo,
        p,
        bridge.id,
        None,
        Node {
            title: "招标采购",
            leader: li,
            unit: cunjian,
            person: Some(liu),
            start: Some(-70),
            deadline: -50,
        },
    )
    .await?;
    done(&demo, &liming, &tender, -52, "完成公开招标，确定施工单位").await?;
    let build = add(
        &demo,
        p,
        bridge.id,
        None,
        Node {
            title: "主体施工",
            leader: li,
            unit: cunjian,
            person: Some(liu),
            start: Some(-45),
            deadline: 20,
        },
    )
    .await?;
    let piers = add(
        &demo,
        p,
        bridge.id,
        Some(build.id),
        Node {
            title: "基础及桥墩施工",
            leader: li,
            unit: cunjian,
            person: Some(liu),
            start: Some(-45),
            deadline: -20,
        },
    )
    .await?;
    done(&demo, &liming, &piers, -21, "桥墩浇筑完成").await?;
    let deck = add(
        &demo,
        p,
        bridge.id,
        Some(build.id),
        Node {
            title: "桥体及廊亭建设",
            leader: li,
            unit: cunjian,
            person: Some(liu),
            start: Some(-20),
            deadline: -12,
        },
    )
    .await?;
    let deck = milestones::reschedule_milestone(
        ctx,
        p,
        deck.id,
        deck.version,
        demo.day(-2),
        "汛期河水上涨，桥墩养护期延长，廊亭吊装顺延十天",
    )
    .await?;
    progress(&demo, &liming, &deck, 70, "廊亭主体吊装完成，正在铺设桥面").await?;
    let fittings = add(
        &demo,
        p,
        bridge.id,
        Some(build.id),
        Node {
            title: "照明及附属设施安装",
            leader: li,
            unit: cunjian,
            person: Some(liu),
            start: Some(-5),
            deadline: 2,
        },
    )
    .await?;
    progress(&demo, &liming, &fittings, 30, "照明线路预埋完成").await?;
    add(
        &demo,
        p,
        bridge.id,
        None,
        Node {
            title: "竣工验收",
            leader: wang,
            unit: dangzheng,
            person: None,
            start: Some(20),
            deadline: 30,
        },
    )
    .await?;
    projects::update_project(
        ctx,
        p,
        bridge.id,
        bridge.version,
        projects::ProjectChanges {
            status: Some(jiandu_domain::ProjectStatus::InProgress),
            ..Default::default()
        },
    )
    .await?;

    // 2. Upgrading the road from the second bridge to Simeng.
    let road = projects::create_project(
        ctx,
        p,
        NewProject {
            title: "二桥至思蒙路段提质改造".into(),
            description: Some("民生实事票决项目：二桥至思蒙路段路面拓宽、黑化及管网迁改。".into()),
            origin: ProjectOrigin::LivelihoodVote,
            location: Some("二桥至思蒙场镇".into()),
            lead_leader_id: Some(chen),
            planned_start: Some(demo.day(-80)),
            planned_end: Some(demo.day(60)),
        },
    )
    .await?;
    let survey = add(
        &demo,
        p,
        road.id,
        None,
        Node {
            title: "路面勘测设计",
            leader: chen,
            unit: jingfa,
            person: Some(zhao),
            start: Some(-80),
            deadline: -60,
        },
    )
    .await?;
    done(&demo, &chengang, &survey, -61, "勘测设计完成").await?;
    let pipes = add(
        &demo,
        p,
        road.id,
        None,
        Node {
            title: "沿线管网迁改",
            leader: chen,
            unit: cunjian,
            person: Some(liu),
            start: Some(-40),
            deadline: -5,
        },
    )
    .await?;
    progress(
        &demo,
        &chengang,
        &pipes,
        60,
        "供水管网迁改完成，通信线路待协调",
    )
    .await?;
    let paving = add(
        &demo,
        p,
        road.id,
        None,
        Node {
            title: "路面拓宽及黑化",
            leader: chen,
            unit: jingfa,
            person: Some(zhao),
            start: Some(-30),
            deadline: 20,
        },
    )
    .await?;
    progress(&demo, &chengang, &paving, 10, "完成路基清表").await?;
    add(
        &demo,
        p,
        road.id,
        None,
        Node {
            title: "交通标识标线完善",
            leader: chen,
            unit: jingfa,
            person: None,
            start: Some(20),
            deadline: 60,
        },
    )
    .await?;
    projects::update_project(
        ctx,
        p,
        road.id,
        road.version,
        projects::ProjectChanges {
            status: Some(jiandu_domain::ProjectStatus::InProgress),
            ..Default::default()
        },
    )
    .await?;

    // 3. The tourism corridor from Tongxi river to Simeng.
    let corridor = projects::create_project(
        ctx,
        p,
        NewProject {
            title: "统溪河至思蒙黄金旅游通道".into(),
            description: Some("民生实事票决项目：串联统溪河与思蒙湿地公园的旅游通道。".into()),
            origin: ProjectOrigin::LivelihoodVote,
            location: Some("统溪河至思蒙".into()),
            lead_leader_id: Some(wang),
            planned_start: Some(demo.day(-100)),
            planned_end: Some(demo.day(120)),
        },
    )
    .await?;
    let plan = add(
        &demo,
        p,
        corridor.id,
        None,
        Node {
            title: "通道规划编制",
            leader: wang,
            unit: dangzheng,
            person: None,
            start: Some(-100),
            deadline: -80,
        },
    )
    .await?;
    done(&demo, &bootstrap, &plan, -82, "规划编制完成并报县审定").await?;
    let land = add(
        &demo,
        p,
        corridor.id,
        None,
        Node {
            title: "沿线用地协调",
            leader: zhang,
            unit: shehui,
            person: None,
            start: Some(-60),
            deadline: 1,
        },
    )
    .await?;
    progress(
        &demo,
        &zhangli,
        &land,
        80,
        "已完成12户协议签订，剩余3户正在协调",
    )
    .await?;
    let second = add(
        &demo,
        p,
        corridor.id,
        None,
        Node {
            title: "观景平台（二期）前期工作",
            leader: wang,
            unit: dangzheng,
            person: None,
            start: None,
            deadline: 45,
        },
    )
    .await?;
    milestones::cancel_milestone(
        ctx,
        p,
        second.id,
        second.version,
        "并入县级旅游规划统一实施",
    )
    .await?;
    add(
        &demo,
        p,
        corridor.id,
        None,
        Node {
            title: "沿线景观打造",
            leader: wang,
            unit: dangzheng,
            person: None,
            start: Some(30),
            deadline: 90,
        },
    )
    .await?;

    // A deputies' suggestion handled this year.
    projects::create_project(
        ctx,
        p,
        NewProject {
            title: "场镇农贸市场周边交通秩序整治".into(),
            description: Some("代表建议：赶场天农贸市场周边车辆乱停乱放，影响通行安全。".into()),
            origin: ProjectOrigin::DeputySuggestion,
            location: Some("思蒙场镇农贸市场".into()),
            lead_leader_id: Some(zhang),
            planned_start: None,
            planned_end: None,
        },
    )
    .await?;
    inspections::load(
        &demo,
        inspections::Cast {
            deputy: &deputy,
            presidium: p,
            liming: &liming,
            deputies: [people[7], people[8], people[6]],
            li,
            zhang,
            cunjian,
            shehui,
            bridge: bridge.id,
            bridge_nodes: [deck.id, fittings.id],
            road: road.id,
        },
    )
    .await?;
    Ok(())
}
