//! The ledger as an .xlsx laid out to print as offices file it (docs/reports.md): each sheet
//! under a title row (思蒙镇2026年重点工作督办台账) and the day it runs to, a 序号 column, a
//! project's rows sharing one merged cell, A4 landscape fitted one page wide with the header row
//! on every page. Built in constant memory (rows go to a temporary file as they are written) on
//! a blocking thread, then kept in an unnamed temporary file until it is sent.

use std::io::{Seek, SeekFrom};

use chrono::{Datelike, NaiveDate};
use jiandu_domain::Light;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use tokio::sync::mpsc;

use super::{Cell, Page, Row, SHEETS, Sheet, fill};

/// What every sheet's title says: the organisation (思蒙镇) and the day the ledger runs to.
pub struct Heading {
    pub place: String,
    pub as_of: NaiveDate,
}

/// The rows above the header: the title, and the day.
const HEADER_ROW: u32 = 2;
/// A4, as Excel numbers paper sizes.
const A4: u8 = 9;

/// A sheet being written: its formats, made once, and the rows written so far.
struct Writing<'a> {
    worksheet: &'a mut Worksheet,
    /// Text and date formats by light (red, yellow, green, grey).
    formats: [(Format, Format); 4],
    /// A merged project cell: not filled by any one row's light.
    project: Format,
    /// Rows written under the header.
    rows: u32,
    merge_projects: bool,
    /// Each column's width, 序号 first: what a row's wrapped text needs is reckoned from them.
    widths: Vec<f64>,
}

impl<'a> Writing<'a> {
    fn start(
        worksheet: &'a mut Worksheet,
        sheet: &Sheet,
        heading: &Heading,
    ) -> Result<Self, XlsxError> {
        worksheet.set_name(sheet.name)?;
        let last_col = u16::try_from(sheet.columns.len()).unwrap_or(u16::MAX);
        let title = Format::new()
            .set_bold()
            .set_font_size(16)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter);
        worksheet.set_row_height(0, 30)?;
        worksheet.merge_range(
            0,
            0,
            0,
            last_col,
            &format!("{}{}年{}", heading.place, heading.as_of.year(), sheet.title),
            &title,
        )?;
        let day = Format::new().set_align(FormatAlign::Right);
        worksheet.merge_range(
            1,
            0,
            1,
            last_col,
            &format!(
                "截至日期：{}",
                jiandu_domain::notice::written_date(heading.as_of)
            ),
            &day,
        )?;
        let header = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color(Color::RGB(0xD9E1F2))
            .set_border(FormatBorder::Thin);
        let columns: Vec<(&str, f64)> = std::iter::once(&("序号", 5.0))
            .chain(sheet.columns)
            .copied()
            .collect();
        let widths: Vec<f64> = columns.iter().map(|(_, width)| *width).collect();
        let names = columns.iter().map(|(name, _)| *name);
        worksheet.set_row_height(HEADER_ROW, height(names.clone(), &widths))?;
        for (col, name) in names.enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            worksheet.write_string_with_format(HEADER_ROW, col, name, &header)?;
            worksheet.set_column_width(col, widths[usize::from(col)])?;
        }
        worksheet.set_paper_size(A4);
        worksheet.set_landscape();
        worksheet.set_print_fit_to_pages(1, 0);
        worksheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
        worksheet.set_print_center_horizontally(true);
        worksheet.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
        worksheet.set_footer("&C第 &P 页，共 &N 页");
        let body = Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        let formats = [Light::Red, Light::Yellow, Light::Green, Light::Grey].map(|light| {
            let mut text = body.clone();
            if let Some(color) = fill(light) {
                text = text.set_background_color(color);
            }
            let date = text.clone().set_num_format("yyyy-mm-dd");
            (text, date)
        });
        Ok(Writing {
            worksheet,
            formats,
            project: body,
            rows: 0,
            merge_projects: sheet.merge_projects,
            widths,
        })
    }

    fn write(&mut self, rows: Vec<Row>) -> Result<(), XlsxError> {
        let mut rows = rows.into_iter().peekable();
        while let Some((light, cells)) = rows.next() {
            // The rows after this one of the same project share its merged cell.
            let mut group = vec![(light, cells)];
            while let Some(next) = rows.next_if(|(_, next)| self.same_project(&group[0].1, next)) {
                group.push(next);
            }
            let first = self.rows + HEADER_ROW + 1;
            let merged = group.len() > 1;
            if merged && let Some(Cell::Text(project)) = group[0].1.first() {
                let last = first + u32::try_from(group.len() - 1).unwrap_or(0);
                self.worksheet
                    .merge_range(first, 1, last, 1, project, &self.project)?;
            }
            for (light, cells) in group {
                self.row(light, &cells, merged)?;
            }
        }
        Ok(())
    }

    /// Whether `next` continues the project of `first` (on a sheet that merges them).
    fn same_project(&self, first: &[Cell], next: &[Cell]) -> bool {
        self.merge_projects
            && matches!((first.first(), next.first()), (Some(Cell::Text(a)), Some(Cell::Text(b))) if a == b)
    }

    /// One row: its 序号, then its cells (the project's left to its merged cell).
    fn row(&mut self, light: Light, cells: &[Cell], merged: bool) -> Result<(), XlsxError> {
        self.rows += 1;
        let row = self.rows + HEADER_ROW;
        let (text, date) = &self.formats[match light {
            Light::Red => 0,
            Light::Yellow => 1,
            Light::Green => 2,
            Light::Grey => 3,
        }];
        // Tall enough for its longest wrapped text: spreadsheets do not all reckon it on opening
        // (LibreOffice keeps the default height), and a row's text must not run over the next.
        let texts = cells.iter().enumerate().map(|(i, cell)| match cell {
            Cell::Text(value) if !(merged && i == 0) => value.as_str(),
            _ => "",
        });
        let needs = height(std::iter::once("").chain(texts), &self.widths);
        let sheet = &mut *self.worksheet;
        sheet.set_row_height(row, needs)?;
        sheet.write_number_with_format(row, 0, f64::from(self.rows), text)?;
        for (i, cell) in cells.iter().enumerate() {
            if merged && i == 0 {
                continue;
            }
            let col = u16::try_from(i + 1).unwrap_or(u16::MAX);
            match cell {
                Cell::Text(value) => sheet.write_string_with_format(row, col, value, text),
                Cell::Number(n) => sheet.write_number_with_format(row, col, *n, text),
                Cell::Date(day) => sheet.write_datetime_with_format(row, col, day, date),
                Cell::Empty => sheet.write_blank(row, col, text),
            }?;
        }
        Ok(())
    }

    /// The title and header rows frozen, and filters over every row written.
    fn finish(self, sheet: &Sheet) -> Result<(), XlsxError> {
        let last_col = u16::try_from(sheet.columns.len()).unwrap_or(0);
        self.worksheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
        self.worksheet
            .autofilter(HEADER_ROW, 0, HEADER_ROW + self.rows, last_col)?;
        Ok(())
    }
}

/// Points a line of the body's text takes.
const LINE: f64 = 15.0;
/// The most lines a row is made tall for (a longer text is cut off in print, not the sheet).
const MOST_LINES: usize = 12;

/// The height of a row whose cells (column by column) hold `texts`: as many lines as the cell
/// that wraps most needs, a Chinese character as wide as two Latin ones.
fn height<'t>(texts: impl Iterator<Item = &'t str>, widths: &[f64]) -> f64 {
    let lines = texts
        .zip(widths)
        .map(|(text, width)| {
            // A column fits about its width in Latin characters, less its padding.
            let fits = (width - 1.0).max(1.0);
            text.split('\n')
                .map(|line| {
                    let wide: f64 = line
                        .chars()
                        .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
                        .sum();
                    (wide / fits).ceil().max(1.0) as usize
                })
                .sum::<usize>()
        })
        .max()
        .unwrap_or(1)
        .clamp(1, MOST_LINES);
    LINE * lines as f64 + 3.0
}

/// Writes the workbook from the pages as they come (each sheet's in turn; a sheet without rows
/// still gets its title and header) into an unnamed temporary file, and hands it back rewound.
/// Runs on a blocking thread.
pub fn write_xlsx(
    mut pages: mpsc::Receiver<Page>,
    heading: &Heading,
) -> Result<std::fs::File, XlsxError> {
    let mut workbook = Workbook::new();
    let mut next = pages.blocking_recv();
    for (index, sheet) in SHEETS.iter().enumerate() {
        let worksheet = workbook.add_worksheet_with_constant_memory()?;
        let mut writing = Writing::start(worksheet, sheet, heading)?;
        while let Some(page) = next.take_if(|page| page.sheet == index) {
            writing.write(page.rows)?;
            next = pages.blocking_recv();
        }
        writing.finish(sheet)?;
    }
    let mut file = tempfile::tempfile()?;
    workbook.save_to_writer(&mut file)?;
    file.seek(SeekFrom::Start(0))?;
    Ok(file)
}
