//! A [`Document`] as a Word file (.docx, Office Open XML) in the layout of the national standard
//! for official documents (GB/T 9704-2012): A4 with its margins, the issuing organisation's mark
//! in red over a red rule (a person's own report has none), the title in 方正小标宋简体 二号, text
//! in 仿宋_GB2312 三号 on a fixed line pitch with two-character first-line indents, headings in 黑体
//! and 楷体_GB2312, tables ruled in 四号, the signature and date to the right, the copies between
//! rules at the foot.

use std::io::{Cursor, Write};

use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

use jiandu_domain::validate::xml_can_carry;

use crate::error::AppError;
use crate::service::documents::{Block, Document};

mod parts;

use parts::{imprint, table};

/// Font names as official documents give them (a machine without one substitutes its own).
const TITLE_FONT: &str = "方正小标宋简体";
const BODY_FONT: &str = "仿宋_GB2312";
const HEADING_FONT: &str = "黑体";
const SUBHEADING_FONT: &str = "楷体_GB2312";
/// Latin letters and digits.
const LATIN_FONT: &str = "Times New Roman";

/// Sizes in half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt; the mark at 26 pt.
const MARK_SIZE: u32 = 52;
const TITLE_SIZE: u32 = 44;
const BODY_SIZE: u32 = 32;
const FOOT_SIZE: u32 = 28;

/// Two characters of 三号 text, in twentieths of a point.
const TWO_CHARACTERS: u32 = 640;
/// The standard's 22 lines to a page: a fixed pitch of 28.95 pt.
const LINE_PITCH: u32 = 579;
const RED: &str = "FF0000";

/// The width the margins leave for text, in twentieths of a point.
const TEXT_WIDTH: u32 = 11906 - 1587 - 1474;

/// A paragraph's look.
#[derive(Clone, Copy)]
struct Look {
    font: &'static str,
    size: u32,
    color: Option<&'static str>,
    align: &'static str,
    first_line: u32,
    right: u32,
    /// A rule under the paragraph (the red one under the mark), or over and under (the copies).
    rule: Rule,
    /// A stop at the right margin for a tab in the text (the 印发 line's day).
    tab_right: bool,
    /// Kept whole, on the page of the paragraph after it (a heading; the last paragraph and
    /// the signature, so that the signature is never alone on a page).
    keep_with_next: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Rule {
    None,
    RedUnder,
    /// The 版记's: over (none when 0) and under, each of its width.
    Foot {
        top: u32,
        bottom: u32,
    },
}

const BODY: Look = Look {
    font: BODY_FONT,
    size: BODY_SIZE,
    color: None,
    align: "both",
    first_line: TWO_CHARACTERS,
    right: 0,
    rule: Rule::None,
    tab_right: false,
    keep_with_next: false,
};

pub fn render(document: &Document) -> Result<Vec<u8>, AppError> {
    let mut body = String::with_capacity(8 * 1024);
    if let Some(issuer) = &document.issuer {
        let mark = Look {
            font: TITLE_FONT,
            size: MARK_SIZE,
            color: Some(RED),
            align: "center",
            first_line: 0,
            ..BODY
        };
        paragraph(&mut body, issuer, mark);
        let number = Look {
            align: "center",
            first_line: 0,
            rule: Rule::RedUnder,
            ..BODY
        };
        paragraph(&mut body, document.number.as_deref().unwrap_or(""), number);
        paragraph(&mut body, "", BODY);
    }
    let title = Look {
        font: TITLE_FONT,
        size: TITLE_SIZE,
        align: "center",
        first_line: 0,
        ..BODY
    };
    paragraph(&mut body, &document.title, title);
    paragraph(&mut body, "", BODY);
    if let Some(addressee) = &document.addressee {
        paragraph(
            &mut body,
            addressee,
            Look {
                first_line: 0,
                ..BODY
            },
        );
    }
    // The last paragraph keeps with the signature block, which is never alone on a page.
    let last = document.body.len().saturating_sub(1);
    for (i, block) in document.body.iter().enumerate() {
        let (text, look) = match block {
            Block::Table(rows) => {
                table(&mut body, rows);
                continue;
            }
            Block::Paragraph(text) => (
                text,
                Look {
                    keep_with_next: i == last,
                    ..BODY
                },
            ),
            Block::Heading(text) => (
                text,
                Look {
                    font: HEADING_FONT,
                    keep_with_next: true,
                    ..BODY
                },
            ),
            Block::Subheading(text) => (
                text,
                Look {
                    font: SUBHEADING_FONT,
                    keep_with_next: true,
                    ..BODY
                },
            ),
        };
        paragraph(&mut body, text, look);
    }
    let keep = Look {
        keep_with_next: true,
        ..BODY
    };
    paragraph(&mut body, "", keep);
    let signature = Look {
        align: "right",
        first_line: 0,
        right: TWO_CHARACTERS * 2,
        ..BODY
    };
    paragraph(
        &mut body,
        &document.signature,
        Look {
            keep_with_next: true,
            ..signature
        },
    );
    paragraph(&mut body, &document.date_text(), signature);
    imprint(&mut body, document);
    package(document, &body)
}

/// Appends one paragraph of `text` (one run) in `look`.
fn paragraph(out: &mut String, text: &str, look: Look) {
    out.push_str("<w:p><w:pPr>");
    if look.keep_with_next {
        out.push_str("<w:keepNext/><w:keepLines/>");
    }
    match look.rule {
        Rule::None => {}
        Rule::RedUnder => out.push_str(&format!(
            r#"<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="6" w:color="{RED}"/></w:pBdr>"#
        )),
        Rule::Foot { top, bottom } => {
            out.push_str("<w:pBdr>");
            for (side, size) in [("top", top), ("bottom", bottom)] {
                if size > 0 {
                    out.push_str(&format!(
                        r#"<w:{side} w:val="single" w:sz="{size}" w:space="1" w:color="000000"/>"#
                    ));
                }
            }
            out.push_str("</w:pBdr>");
        }
    }
    if look.tab_right {
        out.push_str(&format!(
            r#"<w:tabs><w:tab w:val="right" w:pos="{}"/></w:tabs>"#,
            TEXT_WIDTH - look.right
        ));
    }
    out.push_str(&format!(
        r#"<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/>"#
    ));
    if look.first_line > 0 || look.right > 0 {
        out.push_str(&format!(
            r#"<w:ind w:right="{}" w:firstLine="{}"/>"#,
            look.right, look.first_line
        ));
    }
    out.push_str(&format!(r#"<w:jc w:val="{}"/>"#, look.align));
    out.push_str("</w:pPr>");
    if !text.is_empty() {
        out.push_str("<w:r><w:rPr>");
        out.push_str(&format!(
            r#"<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{0}" w:cs="{0}"/>"#,
            look.font
        ));
        if let Some(color) = look.color {
            out.push_str(&format!(r#"<w:color w:val="{color}"/>"#));
        }
        out.push_str(&format!(
            r#"<w:sz w:val="{0}"/><w:szCs w:val="{0}"/>"#,
            look.size
        ));
        out.push_str("</w:rPr>");
        // A tab (the 印发 line's) is a run element of its own.
        for (i, piece) in text.split('\t').enumerate() {
            if i > 0 {
                out.push_str("<w:tab/>");
            }
            out.push_str(r#"<w:t xml:space="preserve">"#);
            out.push_str(&escape(piece));
            out.push_str("</w:t>");
        }
        out.push_str("</w:r>");
    }
    out.push_str("</w:p>");
}

/// Text as XML character data: markup escaped, and control characters and those XML 1.0 cannot
/// carry (U+FFFE, U+FFFF) left out.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push(' '),
            c if c.is_control() || !xml_can_carry(c) => {}
            c => out.push(c),
        }
    }
    out
}

const NAMESPACE: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// The parts of the package, zipped.
fn package(document: &Document, body: &str) -> Result<Vec<u8>, AppError> {
    // A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (twentieths of a point).
    let section = r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587" w:header="851" w:footer="992" w:gutter="0"/><w:docGrid w:type="lines" w:linePitch="579"/></w:sectPr>"#;
    let main = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{NAMESPACE}"><w:body>{body}{section}</w:body></w:document>"#
    );
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{NAMESPACE}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{BODY_FONT}" w:cs="{BODY_FONT}"/><w:sz w:val="{BODY_SIZE}"/><w:szCs w:val="{BODY_SIZE}"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>"#
    );
    let core = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>{}</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">{}T00:00:00Z</dcterms:created></cp:coreProperties>"#,
        escape(&document.title),
        escape(&document.signature),
        document.date
    );
    let parts: [(&str, &str); 6] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#,
        ),
        (
            "word/_rels/document.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#,
        ),
        ("word/document.xml", &main),
        ("word/styles.xml", &styles),
        ("docProps/core.xml", &core),
    ];
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let failed = |error: zip::result::ZipError| {
        AppError::internal(anyhow::Error::from(error).context("writing a .docx"))
    };
    for (name, content) in parts {
        zip.start_file(name, options).map_err(failed)?;
        zip.write_all(content.as_bytes())
            .map_err(|e| failed(e.into()))?;
    }
    Ok(zip.finish().map_err(failed)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        assert_eq!(
            escape("a<b>&\"c\"\u{0}\u{7}\u{FFFE}\u{FFFF}\td"),
            "a&lt;b&gt;&amp;&quot;c&quot; d"
        );
        assert_eq!(escape("思人督〔2026〕3号"), "思人督〔2026〕3号");
    }
}
