//! `bench ledger-import [ROWS]`: an office's 督办台账 of ROWS rows (10 000 by default: the most a
//! ledger may have) imported into a new township on SQLite through the real server, as the
//! workbench sends it — the preview, then the import — each timed whole and its answer checked.
//! The target: the import in under 2 s (release build).

use std::time::Instant;

use anyhow::{Context, bail};
use jiandu_tests::town::Town;
use jiandu_tests::{Backend, TestApp};
use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;

/// Items a project has in the generated ledger.
const ITEMS_PER_PROJECT: usize = 50;

/// An office's ledger of `rows` rows: a merged title giving the year, 序号, its own headers, the
/// township's leaders and units written as offices write them, deadlines and progress in words.
fn office_ledger(rows: usize) -> anyhow::Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.merge_range(0, 0, 0, 7, "思蒙镇2030年重点工作督办台账", &Format::new())?;
    let header = [
        "序号",
        "重点工作",
        "目标任务",
        "牵头领导",
        "承办单位",
        "时间节点",
        "进展情况",
        "备注",
    ];
    for (c, text) in header.iter().enumerate() {
        sheet.write_string(1, c as u16, *text)?;
    }
    let leaders = ["李明", "陈刚", "李 明"];
    let units = ["村建办", "思蒙镇经发办", "（思蒙镇）村建办"];
    let deadlines = [
        "2030年8月底前",
        "年底前",
        "三季度",
        "2030.9.30",
        "长期坚持",
        "上半年",
    ];
    let progress = ["正在推进", "完成60%", "", "完成投资的30%"];
    for i in 0..rows {
        let r = i as u32 + 2;
        sheet.write_number(r, 0, i as f64 + 1.0)?;
        sheet.write_string(r, 1, format!("重点工作{}", i / ITEMS_PER_PROJECT + 1))?;
        sheet.write_string(r, 2, format!("目标任务{}", i % ITEMS_PER_PROJECT + 1))?;
        sheet.write_string(r, 3, leaders[i % leaders.len()])?;
        sheet.write_string(r, 4, units[i % units.len()])?;
        sheet.write_string(r, 5, deadlines[i % deadlines.len()])?;
        sheet.write_string(r, 6, progress[i % progress.len()])?;
        if i % 7 == 0 {
            sheet.write_string(r, 7, "按月报送进展")?;
        }
    }
    Ok(workbook.save_to_buffer()?)
}

/// Sends `bytes` as the presidium's import (a preview when `dry_run`); the seconds it took and
/// the milestones it says it creates.
async fn timed(
    app: &TestApp,
    token: &str,
    bytes: Vec<u8>,
    dry_run: bool,
) -> anyhow::Result<(f64, i64)> {
    let started = Instant::now();
    let answer: Value = app.import_ledger(token, bytes, dry_run).await;
    let seconds = started.elapsed().as_secs_f64();
    if answer.get("errors").is_some() {
        bail!("the import was refused: {answer}");
    }
    let created = answer["data"]["importLedger"]["milestonesCreated"]
        .as_i64()
        .context("an import's answer")?;
    Ok((seconds, created))
}

pub(crate) async fn run(rows: usize) -> anyhow::Result<()> {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let town = Town::setup(&app, "思蒙镇").await;
    let bytes = office_ledger(rows)?;
    let size_kib = bytes.len() / 1024;
    let (preview, would) = timed(&app, &town.presidium, bytes.clone(), true).await?;
    let (import, created) = timed(&app, &town.presidium, bytes, false).await?;
    if (would, created) != (rows as i64, rows as i64) {
        bail!(
            "{rows} rows: the preview would create {would} milestones, the import created {created}"
        );
    }
    println!(
        "\n## An office's ledger of {rows} rows ({size_kib} KiB) into a new township, SQLite\n"
    );
    println!("| step | seconds |");
    println!("|---|---:|");
    println!("| preview (dry run, kept as a draft) | {preview:.2} |");
    println!("| import | {import:.2} |");
    let verdict = if import < 2.0 { "met" } else { "NOT met" };
    println!("\nTarget: the import in under 2 s — {verdict}.");
    Ok(())
}
