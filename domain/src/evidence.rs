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

/// A zip is an Office document when its entries include `[Content_Types].xml` and the part folder
/// of Word, Excel or PowerPoint; any other zip is refused.
fn office_open_xml(bytes: &[u8]) -> Option<FileKind> {
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    if !has(b"[Content_Types].xml") {
        return None;
    }
    if has(b"word/") {
        Some(FileKind::Docx)
    } else if has(b"xl/") {
        Some(FileKind::Xlsx)
    } else if has(b"ppt/") {
        Some(FileKind::Pptx)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let docx = b"PK\x03\x04....[Content_Types].xml....word/document.xml";
        assert_eq!(FileKind::sniff(docx, "a.docx"), Some(FileKind::Docx));
        let xlsx = b"PK\x03\x04....[Content_Types].xml....xl/workbook.xml";
        assert_eq!(FileKind::sniff(xlsx, "a.zip"), Some(FileKind::Xlsx));
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
