//! The parts of a document that are more than a paragraph: the 版记 at its foot and the ruled
//! tables.

use super::{BODY, FOOT_SIZE, HEADING_FONT, Look, Rule, TEXT_WIDTH, paragraph};
use crate::service::documents::{Document, Table};

/// The 版记 (GB/T 9704): 抄送 and the 印发 line (the organisation, and the day to the right) in
/// 四号, the first and last rules thick and the one between them thin.
pub(super) fn imprint(out: &mut String, document: &Document) {
    let copies = (!document.copied_to.is_empty())
        .then(|| format!("抄送：{}。", document.copied_to.join("，")));
    if copies.is_none() && document.printed_by.is_none() {
        return;
    }
    paragraph(out, "", BODY);
    let foot = Look {
        size: FOOT_SIZE,
        align: "left",
        first_line: FOOT_SIZE * 10,
        right: FOOT_SIZE * 10,
        ..BODY
    };
    let last = document.printed_by.is_none();
    if let Some(copies) = copies {
        let bottom = if last { THICK } else { THIN };
        let rule = Rule::Foot { top: THICK, bottom };
        paragraph(out, &copies, Look { rule, ..foot });
    }
    if let Some(printer) = &document.printed_by {
        let top = if document.copied_to.is_empty() {
            THICK
        } else {
            0
        };
        let line = format!("{printer}\t{}印发", document.date_text());
        let rule = Rule::Foot { top, bottom: THICK };
        paragraph(
            out,
            &line,
            Look {
                rule,
                tab_right: true,
                ..foot
            },
        );
    }
}

/// The 版记's rules, in eighths of a point: about 0.35 mm and 0.25 mm.
const THICK: u32 = 8;
const THIN: u32 = 6;

/// Appends a table in 四号 text with every cell ruled, centred on the page: its header in 黑体
/// and repeated on each page, each column as wide as its longest text asks (at least three
/// characters), all of them filling the width of the text.
pub(super) fn table(out: &mut String, table: &Table) {
    let columns = table.header.len();
    if columns == 0 {
        return;
    }
    let wants: Vec<u32> = (0..columns)
        .map(|i| {
            std::iter::once(&table.header)
                .chain(&table.rows)
                .filter_map(|row| row.get(i))
                .map(|text| u32::try_from(text.chars().count()).unwrap_or(u32::MAX))
                .max()
                .unwrap_or(0)
                .clamp(3, 40)
        })
        .collect();
    let wanted: u32 = wants.iter().sum();
    let widths: Vec<u32> = wants.iter().map(|w| TEXT_WIDTH * w / wanted).collect();
    out.push_str(&format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>"#
    ));
    for edge in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        out.push_str(&format!(
            r#"<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#
        ));
    }
    out.push_str(r#"</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>"#);
    for width in &widths {
        out.push_str(&format!(r#"<w:gridCol w:w="{width}"/>"#));
    }
    out.push_str("</w:tblGrid>");
    let cell = Look {
        size: FOOT_SIZE,
        align: "center",
        first_line: 0,
        ..BODY
    };
    let header = Look {
        font: HEADING_FONT,
        ..cell
    };
    for (n, row) in std::iter::once(&table.header)
        .chain(&table.rows)
        .enumerate()
    {
        out.push_str("<w:tr>");
        if n == 0 {
            out.push_str("<w:trPr><w:tblHeader/></w:trPr>");
        }
        for (i, width) in widths.iter().enumerate() {
            out.push_str(&format!(
                r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>"#
            ));
            let text = row.get(i).map(String::as_str).unwrap_or("");
            paragraph(out, text, if n == 0 { header } else { cell });
            out.push_str("</w:tc>");
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
}
