//! Why the server refused, in Chinese, for the person at the form: one sentence per error code,
//! naming the field in the form's own words when the refusal names one. The server's own
//! (English) detail goes to the log, as for every other error.

use crate::error::AppError;

/// A form field's label, as the workbench's forms show it.
fn label(field: &str) -> &str {
    match field {
        "title" => "标题",
        "url" => "Webhook 地址",
        "secret" => "签名密钥",
        "replyDue" => "回复期限",
        "reply" => "办理情况回复",
        "headId" => "负责人",
        "description" => "说明",
        "location" => "地点",
        "deadline" | "newDeadline" => "截止日期",
        "startDate" | "plannedStart" => "开始日期",
        "plannedEnd" => "计划完成日期",
        "completedOn" => "完成日期",
        "progress" => "进度",
        "note" => "备注",
        "reason" => "理由",
        "username" => "用户名",
        "password" | "newPassword" | "currentPassword" => "密码",
        "responsibleLeaderId" => "责任领导",
        "responsibleUnitId" => "责任单位",
        "parentId" => "上级节点",
        "weight" => "权重",
        "search" => "搜索",
        "proposedDeadline" => "申请延至日期",
        "visitedOn" => "视察日期",
        "summary" => "视察情况",
        "kind" => "视察方式",
        "origin" => "项目来源",
        "leadLeaderId" => "牵头领导",
        "projectId" => "项目",
        "photos" | "file" => "照片",
        "resolution" => "整改情况",
        "version" => "页面版本",
        "extension" => "延期申请",
        "participantIds" => "参加人员",
        "dueSoonWorkingDays" => "临近到期的工作日数",
        "behindPaceYellowPoints" => "黄灯百分点",
        "behindPaceRedPoints" => "红灯百分点",
        "backdateDays" => "补报天数",
        "month" => "月份",
        "year" => "年份",
        "content" => "建议内容",
        "category" => "类别",
        "source" => "提出时间",
        "leadDeputyId" => "领衔代表",
        "coSignerIds" => "联名代表",
        "receivedOn" => "日期",
        "leadUnitId" => "主办单位",
        "coUnitIds" => "协办单位",
        "answerClass" => "答复类别",
        "text" => "答复内容",
        "answeredOn" | "repliedOn" => "答复日期",
        "feedback" => "评价",
        "constituentName" => "群众姓名",
        "constituentPhone" => "联系电话",
        "receivedByIds" => "接待人员",
        "unitId" => "转办单位",
        "project" => "监督项目",
        "contactSummary" => "反映的问题",
        "contactKind" => "方式",
        other => other,
    }
}

/// What the person at the form is told.
pub fn in_chinese(error: &AppError) -> String {
    match error {
        AppError::Unauthenticated(_) => "请先登录（登录已过期或已退出）。".into(),
        AppError::Forbidden(_) => "您没有权限进行此操作。".into(),
        AppError::NotFound(_) => "没有找到该记录：它可能已被删除，或您无权查看。".into(),
        AppError::Validation { field, .. } if field == "status" => {
            "这条记录现在的状态不能进行此操作（可能已被办理）。请刷新页面后再看。".into()
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
