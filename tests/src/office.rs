//! Documents as offices see them: LibreOffice renders a .docx or .xlsx to PDF and poppler reads
//! the pages back, so a test can count pages and see what each holds. `None` (said on stderr)
//! on a machine without them, which fails the test instead when `JIANDU_REQUIRE_OFFICE` is set
//! (as `.ci/run` does after installing them).

use std::path::Path;
use std::process::Command;

/// A rendered document: each page's text, in order, without the white space PDF text puts
/// between Chinese and figures and at line ends ("2026 年 3 月" reads 2026年3月).
pub struct Rendered {
    pub pages: Vec<String>,
}

fn installed() -> bool {
    ["soffice", "pdfinfo", "pdftotext"].iter().all(|tool| {
        Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// `bytes` (a file ending in `extension`: docx, xlsx) as LibreOffice prints it.
pub fn render(bytes: &[u8], extension: &str) -> Option<Rendered> {
    if !installed() {
        assert!(
            std::env::var_os("JIANDU_REQUIRE_OFFICE").is_none(),
            "JIANDU_REQUIRE_OFFICE is set but LibreOffice or poppler is missing"
        );
        eprintln!(
            "skipped: no LibreOffice and poppler on this machine (apt-get install \
             libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils to render documents)"
        );
        return None;
    }
    let dir = std::env::temp_dir().join(format!("jiandu-office-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let source = dir.join(format!("document.{extension}"));
    std::fs::write(&source, bytes).unwrap();
    // A profile of its own: LibreOffice instances sharing one refuse to run side by side.
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("profile").display()
    );
    let converted = Command::new("soffice")
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(&dir)
        .arg(&source)
        .output()
        .expect("soffice runs");
    let pdf = dir.join("document.pdf");
    assert!(
        pdf.exists(),
        "LibreOffice made no PDF: {}",
        String::from_utf8_lossy(&converted.stderr)
    );
    let pages = (1..=page_count(&pdf))
        .map(|page| {
            let n = page.to_string();
            let text = Command::new("pdftotext")
                .args(["-f", &n, "-l", &n, "-layout"])
                .arg(&pdf)
                .arg("-")
                .output()
                .expect("pdftotext runs");
            String::from_utf8_lossy(&text.stdout)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect()
        })
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    Some(Rendered { pages })
}

fn page_count(pdf: &Path) -> usize {
    let info = Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("pdfinfo runs");
    String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo gives the page count")
}
