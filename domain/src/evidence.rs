//! Which evidence files Jiandu keeps, decided by their bytes: a renamed executable is not a photo
//! because its name ends in `.jpg`.

/// A kind of file accepted as evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Jpeg,
    Png,
    Webp,
    Heic,
    Pdf,
    Docx,
    Xlsx,
    Pptx,
    /// Word 97–2003 (`.doc`)
    Doc,
    /// Excel 97–2003 (`.xls`)
    Xls,
    /// PowerPoint 97–2003 (`.ppt`)
    Ppt,
}

impl FileKind {
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Webp => "image/webp",
            FileKind::Heic => "image/heic",
            FileKind::Pdf => "application/pdf",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            FileKind::Doc => "application/msword",
            FileKind::Xls => "application/vnd.ms-excel",
            FileKind::Ppt => "application/vnd.ms-powerpoint",
        }
    }

    /// The file name ending of this kind.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Jpeg => "jpg",
            FileKind::Png => "png",
            FileKind::Webp => "webp",
            FileKind::Heic => "heic",
            FileKind::Pdf => "pdf",
            FileKind::Docx => "docx",
            FileKind::Xlsx => "xlsx",
            FileKind::Pptx => "pptx",
            FileKind::Doc => "doc",
            FileKind::Xls => "xls",
            FileKind::Ppt => "ppt",
        }
    }

    /// `file_name` with this kind's ending in place of its own, so a file is stored and served
    /// under what it is (`整改通知.hta` holding a Word document becomes `整改通知.docx`).
    pub fn file_name(self, file_name: &str) -> String {
        let stem = match file_name.rsplit_once('.') {
            Some((stem, _)) if !stem.trim().is_empty() => stem,
            Some(_) => "证据",
            None if file_name.trim().is_empty() => "证据",
            None => file_name,
        };
        format!("{stem}.{}", self.extension())
    }

    /// The kind of `bytes`, or `None` when they are not a file Jiandu keeps. `file_name` only
    /// tells apart the legacy Office formats, which share one container; it never makes an
    /// unknown file acceptable.
    pub fn sniff(bytes: &[u8], file_name: &str) -> Option<FileKind> {
        const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(FileKind::Png)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(FileKind::Webp)
        } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" && is_heif_brand(&bytes[8..12]) {
            Some(FileKind::Heic)
        } else if bytes.starts_with(b"%PDF-") {
            Some(FileKind::Pdf)
        } else if bytes.starts_with(b"PK\x03\x04") {
            office_open_xml(bytes)
        } else if bytes.starts_with(OLE) {
            if has_macros(bytes) {
                return None;
            }
            let extension = file_name
                .rsplit_once('.')
                .map(|(_, e)| e.to_ascii_lowercase());
            match extension.as_deref() {
                Some("doc") => Some(FileKind::Doc),
                Some("xls") => Some(FileKind::Xls),
                Some("ppt") => Some(FileKind::Ppt),
                _ => None,
            }
        } else {
            None
        }
    }
}

fn is_heif_brand(brand: &[u8]) -> bool {
    matches!(
        brand,
        b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1"
    )
}

/// A zip is an Office document when its entries (read from its central directory, not guessed
/// from stray bytes) hold `[Content_Types].xml` and the main part of Word, Excel or PowerPoint.
/// Macros (`vbaProject.bin`) and anything runnable packed inside are refused, as is any other zip.
fn office_open_xml(bytes: &[u8]) -> Option<FileKind> {
    let entries = zip_entries(bytes)?;
    let has = |name: &str| entries.iter().any(|e| e == name);
    let dangerous = entries.iter().any(|entry| {
        let lower = entry.to_ascii_lowercase();
        lower.ends_with("vbaproject.bin")
            || RUNNABLE
                .iter()
                .any(|extension| lower.ends_with(&format!(".{extension}")))
    });
    if dangerous || !has("[Content_Types].xml") {
        return None;
    }
    if has("word/document.xml") {
        Some(FileKind::Docx)
    } else if has("xl/workbook.xml") {
        Some(FileKind::Xlsx)
    } else if has("ppt/presentation.xml") {
        Some(FileKind::Pptx)
    } else {
        None
    }
}

/// Endings of files a click can run, refused inside an Office document.
const RUNNABLE: [&str; 14] = [
    "exe", "dll", "bat", "cmd", "com", "scr", "msi", "ps1", "vbs", "js", "jse", "hta", "jar", "lnk",
];

/// The names in a zip's central directory, or `None` when it has none that can be read (a
/// truncated or disguised file, or a zip64 archive, which no evidence file needs).
fn zip_entries(bytes: &[u8]) -> Option<Vec<String>> {
    let u16_at = |at: usize| Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?));
    let u32_at = |at: usize| Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?));
    // The end-of-central-directory record: 22 bytes and a comment of up to 64 KiB, last.
    let earliest = bytes.len().saturating_sub(22 + usize::from(u16::MAX));
    let end = (earliest..=bytes.len().checked_sub(22)?)
        .rev()
        .find(|&at| bytes[at..].starts_with(b"PK\x05\x06"))?;
    let count = u16_at(end + 10)?;
    let mut at = usize::try_from(u32_at(end + 16)?).ok()?;
    if count == u16::MAX || at == u32::MAX as usize {
        return None;
    }
    let mut names = Vec::with_capacity(usize::from(count));
    for _ in 0..count {
        if !bytes.get(at..)?.starts_with(b"PK\x01\x02") {
            return None;
        }
        let name_len = usize::from(u16_at(at + 28)?);
        let extra_len = usize::from(u16_at(at + 30)?);
        let comment_len = usize::from(u16_at(at + 32)?);
        let name = bytes.get(at + 46..at + 46 + name_len)?;
        names.push(String::from_utf8_lossy(name).into_owned());
        at += 46 + name_len + extra_len + comment_len;
    }
    Some(names)
}

/// A legacy Office file carrying macros: its compound file holds a `_VBA_PROJECT` stream (the
/// name written in UTF-16).
fn has_macros(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "_VBA_PROJECT"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(name.len()).any(|w| w == name.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zip with these (empty, stored) entries: a local header each, then the central
    /// directory and its end record.
    fn zip(names: &[&str]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for name in names {
            let offset = out.len() as u32;
            out.extend(b"PK\x03\x04");
            out.extend([20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend([0u8; 12]);
            out.extend((name.len() as u16).to_le_bytes());
            out.extend([0, 0]);
            out.extend(name.as_bytes());
            central.extend(b"PK\x01\x02");
            central.extend([20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            central.extend([0u8; 12]);
            central.extend((name.len() as u16).to_le_bytes());
            central.extend([0u8; 12]);
            central.extend(offset.to_le_bytes());
            central.extend(name.as_bytes());
        }
        let start = out.len() as u32;
        let size = central.len() as u32;
        out.extend(central);
        out.extend(b"PK\x05\x06");
        out.extend([0u8; 4]);
        out.extend((names.len() as u16).to_le_bytes());
        out.extend((names.len() as u16).to_le_bytes());
        out.extend(size.to_le_bytes());
        out.extend(start.to_le_bytes());
        out.extend([0, 0]);
        out
    }

    #[test]
    fn a_zip_is_an_office_document_only_by_its_entries_and_never_with_macros_or_programs() {
        // Office names in the bytes, but not as entries: a disguised archive.
        let mut disguised = zip(&["payload.exe"]);
        disguised.extend(b"[Content_Types].xml word/document.xml");
        assert_eq!(FileKind::sniff(&disguised, "资料.zip"), None);
        let packed = zip(&[
            "[Content_Types].xml",
            "word/document.xml",
            "word/embeddings/run.exe",
        ]);
        assert_eq!(FileKind::sniff(&packed, "整改通知.docx"), None);
        let docm = zip(&[
            "[Content_Types].xml",
            "word/document.xml",
            "word/vbaProject.bin",
        ]);
        assert_eq!(FileKind::sniff(&docm, "整改通知.docx"), None);
        assert_eq!(FileKind::sniff(&zip(&["a.txt"]), "a.docx"), None);
        assert_eq!(
            FileKind::sniff(&zip(&[])[..10], "a.docx"),
            None,
            "truncated"
        );
        let mut macros = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0];
        macros.extend("_VBA_PROJECT".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(FileKind::sniff(&macros, "旧表.xls"), None);
    }

    #[test]
    fn a_file_is_named_for_what_it_is() {
        assert_eq!(FileKind::Docx.file_name("整改通知.hta"), "整改通知.docx");
        assert_eq!(FileKind::Jpeg.file_name("现场.JPEG"), "现场.jpg");
        assert_eq!(FileKind::Pdf.file_name("报告"), "报告.pdf");
        assert_eq!(FileKind::Pdf.file_name(".bat"), "证据.pdf");
        assert_eq!(FileKind::Pdf.file_name("a.b.bat"), "a.b.pdf");
    }

    #[test]
    fn photos_and_documents_are_known_by_their_bytes() {
        assert_eq!(
            FileKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0], "x.bin"),
            Some(FileKind::Jpeg)
        );
        assert_eq!(
            FileKind::sniff(b"\x89PNG\r\n\x1a\n....", "photo.jpg"),
            Some(FileKind::Png)
        );
        assert_eq!(
            FileKind::sniff(b"RIFF\x10\0\0\0WEBPVP8 ", "a"),
            Some(FileKind::Webp)
        );
        assert_eq!(
            FileKind::sniff(b"\0\0\0\x18ftypheic\0\0\0\0", "IMG_0001.HEIC"),
            Some(FileKind::Heic)
        );
        assert_eq!(FileKind::sniff(b"%PDF-1.7\n", "r"), Some(FileKind::Pdf));
        let docx = zip(&["[Content_Types].xml", "_rels/.rels", "word/document.xml"]);
        assert_eq!(FileKind::sniff(&docx, "a.docx"), Some(FileKind::Docx));
        let xlsx = zip(&["[Content_Types].xml", "xl/workbook.xml"]);
        assert_eq!(FileKind::sniff(&xlsx, "a.zip"), Some(FileKind::Xlsx));
    }

    #[test]
    fn executables_archives_and_text_are_refused_whatever_their_name() {
        assert_eq!(FileKind::sniff(b"MZ\x90\0\x03\0\0\0", "photo.jpg"), None);
        assert_eq!(FileKind::sniff(b"\x7fELF\x02\x01\x01", "report.pdf"), None);
        assert_eq!(FileKind::sniff(b"PK\x03\x04plain zip", "a.docx"), None);
        assert_eq!(FileKind::sniff(b"hello", "a.txt"), None);
        assert_eq!(FileKind::sniff(b"", "a.jpg"), None);
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0];
        assert_eq!(FileKind::sniff(&ole, "old.xls"), Some(FileKind::Xls));
        assert_eq!(FileKind::sniff(&ole, "old.msi"), None);
    }
}
