//! The main menu: every page a role may open, the four it uses most first (always in sight, one
//! row even on a phone), the rest behind 更多.

/// An entry of the main menu: its address, the page's `nav` key, its words.
pub struct Entry {
    pub href: &'static str,
    pub nav: &'static str,
    pub label: &'static str,
    who: Who,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Who {
    Everyone,
    Presidium,
    Inspectors,
}

/// The whole menu, in the order 更多 lists it.
const MENU: [Entry; 25] = [
    entry("/", "board", "督办看板", Who::Everyone),
    entry("/mine", "mine", "我的督办事项", Who::Everyone),
    entry("/items?state=overdue", "overdue", "逾期", Who::Everyone),
    entry("/items?state=due_soon", "due_soon", "临期", Who::Everyone),
    entry(
        "/items?state=reported",
        "reported",
        "待核验销号",
        Who::Everyone,
    ),
    entry("/extensions", "extensions", "延期申请", Who::Presidium),
    entry("/findings", "findings", "整改问题", Who::Everyone),
    entry("/notices", "notices", "督办通知", Who::Everyone),
    entry("/suggestions", "suggestions", "代表建议", Who::Everyone),
    entry("/contacts", "contacts", "来信来访", Who::Everyone),
    entry("/meetings", "meetings", "会议", Who::Everyone),
    entry("/livelihood", "livelihood", "民生实事", Who::Everyone),
    entry("/deputies", "deputies", "代表名册", Who::Everyone),
    entry("/duties", "duties", "代表履职", Who::Everyone),
    entry("/projects/new", "new_project", "新建项目", Who::Presidium),
    entry("/inspections", "inspection", "记录视察", Who::Inspectors),
    entry("/dashboard", "dashboard", "督办统计", Who::Everyone),
    entry("/report", "report", "年度报告", Who::Everyone),
    entry("/work-calendar", "calendar", "工作日历", Who::Everyone),
    entry("/import", "import", "导入台账", Who::Presidium),
    entry("/historical", "historical", "历史事项", Who::Presidium),
    entry("/people", "people", "人员与账号", Who::Presidium),
    entry("/settings", "settings", "规则设置", Who::Everyone),
    entry("/password", "password", "修改密码", Who::Everyone),
    entry("/notices/bulletin", "bulletin", "月度通报", Who::Everyone),
];

const fn entry(href: &'static str, nav: &'static str, label: &'static str, who: Who) -> Entry {
    Entry {
        href,
        nav,
        label,
        who,
    }
}

/// The menu of `role`: its four entries first, then the rest it may open.
pub(super) fn menu_of(role: jiandu_domain::Role) -> (Vec<&'static Entry>, Vec<&'static Entry>) {
    use jiandu_domain::Role;
    let first: [&str; 4] = match role {
        Role::Presidium => ["board", "reported", "notices", "extensions"],
        Role::Leader => ["mine", "notices", "findings", "board"],
        Role::Deputy => ["board", "inspection", "findings", "suggestions"],
        Role::Viewer => ["board", "dashboard", "overdue", "suggestions"],
    };
    let may = |e: &&Entry| match e.who {
        Who::Everyone => true,
        Who::Presidium => role == Role::Presidium,
        Who::Inspectors => matches!(role, Role::Presidium | Role::Deputy),
    };
    let menu = first
        .iter()
        .filter_map(|nav| MENU.iter().find(|e| e.nav == *nav))
        .collect();
    let more = MENU
        .iter()
        .filter(may)
        .filter(|e| !first.contains(&e.nav))
        .collect();
    (menu, more)
}
