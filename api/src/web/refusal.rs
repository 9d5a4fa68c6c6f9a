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
        field::REASON => "理由",
        field::USERNAME => "用户名",
        field::PASSWORD | field::NEW_PASSWORD | field::CURRENT_PASSWORD => "密码",
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
        field::RESOLUTION => "整改情况",
        field::VERSION => "页面版本",
        field::EXTENSION => "延期申请",
        field::PARTICIPANT_IDS => "参加人员",
        field::DUE_SOON_WORKING_DAYS => "临近到期的工作日数",
        field::BEHIND_PACE_YELLOW_POINTS => "黄灯百分点",
        field::BEHIND_PACE_RED_POINTS => "红灯百分点",
        field::BACKDATE_DAYS => "补报天数",
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
        field::FEEDBACK => "评价",
        field::CONSTITUENT_NAME => "群众姓名",
        field::CONSTITUENT_PHONE => "联系电话",
        field::RECEIVED_BY_IDS => "接待人员",
        field::UNIT_ID => "转办单位",
        field::PROJECT => "监督项目",
        field::CONTACT_SUMMARY => "反映的问题",
        field::CONTACT_KIND => "方式",
        field::PERSON_ID => "人员",
        other => other,
    }
}

/// What the person at the form is told.
pub fn in_chinese(error: &AppError) -> String {
    match error {
        AppError::Unauthenticated(_) => "请先登录（登录已过期或已退出）。".into(),
        AppError::Forbidden(_) => "您没有权限进行此操作。".into(),
        AppError::NotFound(_) => "没有找到该记录：它可能已被删除，或您无权查看。".into(),
        AppError::Validation { field, .. } if field == field::STATUS => {
            "这条记录现在的状态不能进行此操作（可能已被办理）。请刷新页面后再看。".into()
        }
        AppError::Validation {
            field,
            reason: Reason::Required,
            ..
        } if field == field::PERSON_ID => {
            "主席团、责任领导、人大代表的账号须关联本人，请在「人员」中选择；只有只读账号可不关联。"
                .into()
        }
        AppError::Validation { field, .. } => {
            format!("「{}」填写有误，请检查后再提交。", label(field))
        }
        AppError::Conflict(_) => {
            "这条记录在您打开页面后已被他人修改，您的修改没有保存。请刷新页面，看过最新内容后再提交。"
                .into()
        }
        AppError::RateLimited { retry_after_secs } => {
            format!("操作过于频繁，请 {retry_after_secs} 秒后再试。")
        }
        AppError::TooLarge { .. } => "上传的文件太大。".into(),
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
    }
}
