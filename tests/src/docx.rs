//! Reading a .docx back with another implementation of the format (docx-rs's reader), as a
//! user's word processor would open it.

use docx_rs::{
    DocumentChild, ParagraphChild, RunChild, TableCellContent, TableChild, TableRowChild,
};
use serde_json::Value;

/// One paragraph as read: its text, and each run's properties (fonts, size, colour) as JSON.
#[derive(Debug)]
pub struct Paragraph {
    pub text: String,
    pub runs: Vec<Value>,
}

impl Paragraph {
    /// The East Asian font of its first run.
    pub fn font(&self) -> Option<&str> {
        self.runs.first()?["fonts"]["eastAsia"].as_str()
    }
}

/// The paragraphs of a .docx; panics when it is not one.
pub fn paragraphs(bytes: &[u8]) -> Vec<Paragraph> {
    let document = docx_rs::read_docx(bytes).expect("a .docx a word processor opens");
    document
        .document
        .children
        .iter()
        .filter_map(|child| match child {
            DocumentChild::Paragraph(p) => Some(p),
            _ => None,
        })
        .map(|p| {
            let mut text = String::new();
            let mut runs = Vec::new();
            for child in &p.children {
                if let ParagraphChild::Run(run) = child {
                    runs.push(serde_json::to_value(&run.run_property).unwrap());
                    for piece in &run.children {
                        match piece {
                            RunChild::Text(t) => text.push_str(&t.text),
                            RunChild::Tab(_) => text.push('\t'),
                            _ => {}
                        }
                    }
                }
            }
            Paragraph { text, runs }
        })
        .collect()
}

/// The page size and margins of the document's section, as JSON.
pub fn section(bytes: &[u8]) -> Value {
    let document = docx_rs::read_docx(bytes).expect("a .docx");
    serde_json::to_value(&document.document.section_property).unwrap()
}

/// The tables of a .docx, each as its rows of cells' text; panics when it is not one.
pub fn tables(bytes: &[u8]) -> Vec<Vec<Vec<String>>> {
    let document = docx_rs::read_docx(bytes).expect("a .docx a word processor opens");
    let text_of = |p: &docx_rs::Paragraph| {
        let mut text = String::new();
        for child in &p.children {
            if let ParagraphChild::Run(run) = child {
                for piece in &run.children {
                    if let RunChild::Text(t) = piece {
                        text.push_str(&t.text);
                    }
                }
            }
        }
        text
    };
    document
        .document
        .children
        .iter()
        .filter_map(|child| match child {
            DocumentChild::Table(table) => Some(table),
            _ => None,
        })
        .map(|table| {
            table
                .rows
                .iter()
                .map(|TableChild::TableRow(row)| {
                    row.cells
                        .iter()
                        .map(|TableRowChild::TableCell(cell)| {
                            cell.children
                                .iter()
                                .filter_map(|content| match content {
                                    TableCellContent::Paragraph(p) => Some(text_of(p)),
                                    _ => None,
                                })
                                .collect::<Vec<_>>()
                                .join("\n")
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}
