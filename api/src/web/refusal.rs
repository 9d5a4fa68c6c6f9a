//! Why the server refused, in Chinese, for the person at the form: one sentence per error code,
//! naming the field in the form's own words when the refusal names one. The server's own
//! (English) detail goes to the log, as for every other error.

use crate::error::AppError;
use jiandu_domain::{Reason, field};

/// A form field's label, as the workbench's forms show it.
fn label(name: &str) -> &str {
    match name {
        field::TITLE => "标题",
        field::URL => "Webhook 地址",
        field::SECRET => "签名密钥",
        field::REPLY_DUE => "回复期限",
        field::REPLY => "办理情况回复",
        field::HEAD_ID => "负责人",
        field::DESCRIPTION => "说明",
        field::LOCATION => "地点",
        field::DEADLINE | field::NEW_DEADLINE => "截止日期",
        field::START_DATE | field::PLANNED_START => "开始日期",
        field::PLANNED_END => "计划完成日期",
        field::COMPLETED_ON => "完成日期",
        field::PROGRESS => "进度",
        field::NOTE => "备注",
        field::DECISION => "确认结果",
        field::REASON => "理由",
        field::USERNAME => "用户名",
        field::PASSWORD => "密码",
        field::NEW_PASSWORD => "新密码",
        field::CURRENT_PASSWORD => "当前密码",
        field::RESPONSIBLE_LEADER_ID => "责任领导",
        field::RESPONSIBLE_UNIT_ID => "责任单位",
        field::PARENT_ID => "上级节点",
        field::WEIGHT => "权重",
        field::SEARCH => "搜索",
        field::PROPOSED_DEADLINE => "申请延至日期",
        field::VISITED_ON => "视察日期",
        field::SUMMARY => "视察情况",
        field::KIND => "视察方式",
        field::ORIGIN => "项目来源",
        field::LEAD_LEADER_ID => "牵头领导",
        field::PROJECT_ID => "项目",
        field::PHOTOS | field::FILE => "照片",
        field::DRAFT_ID => "导入预览",
        field::ROWS => "粘贴的行",
        field::MAPPINGS => "对应的人员或单位",
        field::RESOLUTION => "整改情况",
        field::VERSION => "页面版本",
        field::EXTENSION => "延期申请",
        field::PARTICIPANT_IDS => "参加人员",
        field::DUE_SOON_WORKING_DAYS => "临近到期的工作日数",
        field::BEHIND_PACE_YELLOW_POINTS => "黄灯百分点",
        field::BEHIND_PACE_RED_POINTS => "红灯百分点",
        field::BACKDATE_DAYS => "补报天数",
        field::ASSESSMENT_PASS_RATE => "测评满意率合格线",
        field::ASSESSMENT_RECTIFY_DAYS => "测评整改天数",
        field::OPINION_REPLY_DAYS => "审议意见反馈工作日数",
        field::MONTH => "月份",
        field::YEAR => "年份",
        field::CONTENT => "建议内容",
        field::CATEGORY => "类别",
        field::SOURCE => "提出时间",
        field::LEAD_DEPUTY_ID => "领衔代表",
        field::CO_SIGNER_IDS => "联名代表",
        field::RECEIVED_ON => "日期",
        field::LEAD_UNIT_ID => "主办单位",
        field::CO_UNIT_IDS => "协办单位",
        field::ANSWER_CLASS => "答复类别",
        field::TEXT => "答复内容",
        field::ANSWERED_ON | field::REPLIED_ON => "答复日期",
        // A deputy's rating of an answer, or a leader's feedback on an opinion's point.
        field::FEEDBACK => "反馈",
        field::CONSTITUENT_NAME => "群众姓名",
        field::CONSTITUENT_PHONE => "联系电话",
        field::RECEIVED_BY_IDS => "接待人员",
        field::UNIT_ID => "转办单位",
        field::PROJECT => "监督项目",
        field::CONTACT_SUMMARY => "反映的问题",
        field::CONTACT_KIND => "方式",
        field::PERSON_ID => "人员",
        field::HELD_ON => "会议日期",
        field::PLACE => "地点",
        field::DEPUTIES_TOTAL => "代表总数",
        field::DEPUTIES_PRESENT => "出席代表人数",
        field::ATTENDEE_IDS => "出席代表",
        field::MEETING_ID => "会议",
        field::VOTES_FOR => "赞成票",
        field::SATISFIED => "满意票",
        field::BASICALLY_SATISFIED => "基本满意票",
        field::DISSATISFIED => "不满意票",
        field::JUDGEMENT => "评议",
        field::VOTES_AGAINST => "反对票",
        field::ABSTENTIONS => "弃权票",
        field::RESOLUTION_NUMBER => "决议文号",
        field::SUGGESTION_ID => "代表建议",
        field::POINTS => "审议意见",
        field::POINT_ID => "审议意见条目",
        field::JUDGEMENTS => "评议",
        field::REPLY_DEADLINE => "反馈期限",
        field::TERM => "届次",
        field::CONSTITUENCY => "选区",
        field::GROUP => "代表小组",
        field::VILLAGES => "分工联系村",
        field::VILLAGE => "村",
        field::LEVEL => "级别",
        field::DEPUTY_ID => "代表",
        field::ON => "日期",
        field::PEOPLE => "人数",
        field::HOURS => "时长",
        field::TOPIC => "内容",
        field::SUGGESTION => "代表建议",
        field::CONTACT => "来信来访",
        // A field without words of its own is never shown by its name.
        _ => "此项",
    }
}

/// A field's label; for an entry of a list (`findings.0.deadline`) the entry's and the field's:
/// 第1条问题的「整改期限」; for a record raised with another (`suggestion.title`) the record's and
/// the field's: 代表建议的「标题」.
fn label_of(path: &str) -> String {
    let mut parts = path.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(record), Some(leaf), None, None) => {
            let leaf = match (record, leaf) {
                (field::CONTACT, field::SUMMARY) => "反映的问题",
                (field::CONTACT, field::KIND) => "方式",
                _ => label(leaf),
            };
            format!("{}的「{leaf}」", label(record))
        }
        (Some(list), Some(index), Some(leaf), None) => {
            let entry = match list {
                field::FINDINGS => "问题",
                field::POINTS => "审议意见",
                _ => "项",
            };
            let n = index.parse::<usize>().map_or(1, |i| i + 1);
            let leaf = match (list, leaf) {
                (field::FINDINGS, field::DEADLINE) => "整改期限",
                (field::FINDINGS, field::DESCRIPTION) => "问题描述",
                _ => label(leaf),
            };
            format!("第{n}条{entry}的「{leaf}」")
        }
        _ => format!("「{}」", label(path)),
    }
}

/// A day as the pages write it: 2026年12月7日.
fn day(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// The rule `reason` a value of `field` broke, in a sentence with the values it needed. Every
/// reason has its words here (the match names each), never the server's English or a path.
fn sentence(field: &str, reason: Reason) -> String {
    let label = label_of(field);
    match reason {
        Reason::Required if field == field::PERSON_ID => {
            "主席团、责任领导、人大代表的账号须关联本人，请在「人员」中选择；只有只读账号可不关联。"
                .into()
        }
        Reason::Required => format!("请填写{label}。"),
        Reason::TooLong { max } => format!("{label}最多{max}个字，请删减后再提交。"),
        Reason::ControlCharacters => {
            format!("{label}中有无法保存的特殊字符（可能是从别处复制来的），请删去后再提交。")
        }
        Reason::OutOfRange { min, max } => format!("{label}应在{min}到{max}之间。"),
        Reason::OverPresent { present } => {
            format!("各项票数合计不能超过出席代表人数（{present}人），请核对。")
        }
        Reason::BeforeStart { start } => format!("{label}不能早于开始日期{}。", day(start)),
        Reason::TooEarly { date } => format!("{label}不能早于{}。", day(date)),
        Reason::AfterDeadline { deadline } => {
            format!("{label}不能晚于截止日期{}。", day(deadline))
        }
        Reason::NotLater { date } => format!("{label}须晚于现在的期限{}。", day(date)),
        Reason::InFuture { today } => {
            format!("{label}不能晚于今天（{}）：办完了再报。", day(today))
        }
        Reason::BackdateLimit { days } => {
            format!("{label}最多可补报{days}天，更早的日期请联系主席团。")
        }
        Reason::DeadlinePassed { due_by } => format!(
            "期限（{}）已过，不能再申请延期；请向主席团说明情况，由主席团调整期限。",
            day(due_by)
        ),
        Reason::Implausible => format!("{label}的年份不对，请检查是否输错。"),
        Reason::NotInList => format!("请从列表中选择{label}。"),
        Reason::NotADate => format!("{label}应为日期，例如2026-12-07。"),
        Reason::NotANumber => format!("{label}应为整数。"),
        Reason::UnknownRecord => {
            format!("所选的{label}不存在或已不属于本单位，请刷新页面后重新选择。")
        }
        Reason::FileKind => {
            "只能上传照片（JPEG、PNG、WebP、HEIC）、PDF 和不含宏的 Office 文档。".into()
        }
        Reason::ProgressDropped { was } => {
            format!("进度比上次报告的{was}%低，请在「备注」中说明原因。")
        }
        Reason::TooMany { max } => format!("{label}最多{max}个。"),
        Reason::OpenChildren { count } => {
            format!("还有{count}个下级节点未办结，请先办结或撤销它们。")
        }
        Reason::HasChildren => "这个节点的进度由下级节点汇总而来，请在下级节点上报告。".into(),
        Reason::TooDeep { max } => format!("节点最多分{max}级，不能再往下分。"),
        Reason::Unchanged => format!("{label}与现在的相同，没有改动。"),
        Reason::WrongState => {
            "这条记录现在的状态不能进行此操作（可能已被办理）。请刷新页面后再看。".into()
        }
        Reason::Length { min, max } => format!("{label}须为{min}到{max}个字符。"),
        Reason::WrongPassword => "当前密码不对，请重新输入。".into(),
        Reason::Characters => {
            format!("{label}只能包含字母、数字、下划线（_）、点（.）和连字符（-）。")
        }
        Reason::NotAnAddress => {
            format!("{label}应为完整的网址，以 http:// 或 https:// 开头。")
        }
        Reason::HostNotAllowed => {
            format!("{label}指向本机或内部网络，通知不能发往那里；如确需发送，请由系统管理员放行。")
        }
        Reason::NotASecret => {
            format!("{label}应为接收方给出的密钥：以 whsec_ 开头，后接至少16字节的 Base64 文本。")
        }
        Reason::NotForThisKind => format!("这里不用填写{label}，请留空。"),
        Reason::OwnAccount => "不能停用自己的账号；如确需停用，请由另一位主席团成员操作。".into(),
        Reason::NotACursor => "列表的翻页位置已失效，请回到第一页重新打开。".into(),
        Reason::BadCells { count } => {
            format!("台账中有{count}处单元格无法导入，未写入任何内容；请按提示改正后再导入。")
        }
        Reason::NotALedger => {
            "这个文件无法作为台账读取（须为 Excel 的 xlsx 文件），未写入任何内容。".into()
        }
        Reason::Other if field == field::STATUS => sentence(field, Reason::WrongState),
        Reason::Other => format!("{label}填写有误，请检查后再提交。"),
    }
}

/// What the person at the form is told.
pub fn in_chinese(error: &AppError) -> String {
    match error {
        AppError::Unauthenticated(_) => "请先登录（登录已过期或已退出）。".into(),
        AppError::Forbidden(_) => "您没有权限进行此操作。".into(),
        AppError::NotFound(_) => "没有找到该记录：它可能已被删除，或您无权查看。".into(),
        AppError::Validation { field, reason, .. } => sentence(field, *reason),
        AppError::Conflict(_) => {
            "这条记录在您打开页面后已被他人修改，您的修改没有保存。请刷新页面，看过最新内容后再提交。"
                .into()
        }
        AppError::RateLimited { retry_after_secs } => {
            format!("操作过于频繁，请 {retry_after_secs} 秒后再试。")
        }
        AppError::TooLarge { max_bytes, .. } => format!(
            "上传的文件太大：每次最多 {} MB。",
            max_bytes.div_ceil(1024 * 1024)
        ),
        AppError::Unavailable(_) | AppError::TimedOut => {
            "服务器暂时繁忙，请稍后再试。".into()
        }
        AppError::BadRequest(_)
        | AppError::UnsupportedMediaType(_)
        | AppError::KeyReused(_)
        | AppError::TooComplex(_)
        | AppError::SlowBody => "请求无法处理，请刷新页面后重试。".into(),
        AppError::Internal(_) => "服务器出错，未能完成操作；请稍后再试。".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_field_is_named_in_the_forms_words() {
        let error = AppError::validation("deadline", "must not be before the start date");
        assert_eq!(in_chinese(&error), "「截止日期」填写有误，请检查后再提交。");
        assert!(in_chinese(&AppError::stale("milestone")).contains("已被他人修改"));
        let raised = AppError::required("title", "a suggestion has a title").within("suggestion");
        assert!(
            in_chinese(&raised).contains("代表建议的「标题」"),
            "{}",
            in_chinese(&raised)
        );
        let taken = AppError::required("summary", "say what was raised").within("contact");
        assert!(in_chinese(&taken).contains("来信来访的「反映的问题」"));
    }

    #[test]
    fn every_reason_is_said_in_chinese_with_its_values() {
        use jiandu_domain::validate::Param;
        for reason in Reason::every() {
            for field in [field::COMPLETED_ON, "findings.0.deadline", "somethingNew"] {
                let error = AppError::invalid(field, reason, "the server's own words");
                let said = in_chinese(&error);
                let code = reason.code();
                // The names of file formats and of what is typed as it is (http://, whsec_) are
                // the only Latin letters a sentence may hold.
                let words = [
                    "JPEG", "PNG", "WebP", "HEIC", "PDF", "Office", "https", "http", "whsec",
                    "Base64", "Excel", "xlsx",
                ]
                .iter()
                .fold(said.clone(), |left, word| left.replace(word, ""));
                assert!(
                    !words.chars().any(|c| c.is_ascii_alphabetic()),
                    "{code} on {field}: no English, no path: {said}"
                );
                for (name, param) in reason.params() {
                    let value = match param {
                        Param::Number(n) => n.to_string(),
                        Param::Date(date) => day(date),
                    };
                    assert!(said.contains(&value), "{code} says its {name}: {said}");
                }
            }
        }
        let error = AppError::invalid(
            "findings.0.deadline",
            Reason::TooEarly {
                date: chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
            },
            "",
        );
        assert_eq!(
            in_chinese(&error),
            "第1条问题的「整改期限」不能早于2026年12月7日。"
        );
        let error = AppError::invalid(field::COMPLETED_ON, Reason::BackdateLimit { days: 7 }, "");
        assert_eq!(
            in_chinese(&error),
            "「完成日期」最多可补报7天，更早的日期请联系主席团。"
        );
    }
}
