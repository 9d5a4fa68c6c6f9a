//! Evidence: photos and documents attached over the GraphQL multipart request spec, typed by
//! their bytes, and downloaded only with a token of someone who may read the record.

use exif::experimental::Writer;
use exif::{Field, In, Rational, Tag, Value};
use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, code, e2e, texts};
use serde_json::json;
use sha2::{Digest, Sha256};

/// A real 16×16 JPEG with EXIF: taken 2026-11-20 09:30 (camera clock, no offset) at
/// 30°7'24.24"N 103°34'4.08"E.
fn site_photo() -> Vec<u8> {
    let ascii = |tag: Tag, text: &str| Field {
        tag,
        ifd_num: In::PRIMARY,
        value: Value::Ascii(vec![text.as_bytes().to_vec()]),
    };
    let dms = |tag: Tag, d: u32, m: u32, s_hundredths: u32| Field {
        tag,
        ifd_num: In::PRIMARY,
        value: Value::Rational(vec![
            Rational::from((d, 1)),
            Rational::from((m, 1)),
            Rational::from((s_hundredths, 100)),
        ]),
    };
    let fields = [
        ascii(Tag::Make, "Jiandu test camera"),
        ascii(Tag::DateTimeOriginal, "2026:11:20 09:30:00"),
        ascii(Tag::GPSLatitudeRef, "N"),
        dms(Tag::GPSLatitude, 30, 7, 2424),
        ascii(Tag::GPSLongitudeRef, "E"),
        dms(Tag::GPSLongitude, 103, 34, 408),
    ];
    let mut writer = Writer::new();
    for field in &fields {
        writer.push_field(field);
    }
    let mut tiff = std::io::Cursor::new(Vec::new());
    writer.write(&mut tiff, false).unwrap();

    let pixels: Vec<u8> = (0..16 * 16)
        .flat_map(|i| [(i * 7 % 256) as u8, 120, (255 - i % 256) as u8])
        .collect();
    let mut jpeg = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut jpeg, 85);
    encoder.add_exif_metadata(&tiff.into_inner()).unwrap();
    encoder
        .encode(&pixels, 16, 16, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    jpeg
}

/// Yesterday's visit to the bridge, with one finding for Li; returns `{id findings{id}}`.
async fn visit(app: &TestApp, town: &Town) -> serde_json::Value {
    let finding = json!({ "description": "防护栏缺失", "responsibleLeaderId": town.li,
                          "responsibleUnitId": town.cunjian, "deadline": day(7) });
    town.visit(app, &day(-1), finding).await
}

/// The names of the files attached to inspection `id`, as the deputy reads them.
async fn file_names(app: &TestApp, town: &Town, id: &str) -> Vec<String> {
    let listed = app
        .ok(
            &town.deputy,
            "query($id:ID!){ inspection(id:$id){ attachments{ fileName } } }",
            json!({ "id": id }),
        )
        .await;
    texts(&listed["inspection"]["attachments"], "fileName")
        .into_iter()
        .map(String::from)
        .collect()
}

e2e!(a_site_photo_keeps_its_capture_time_and_place);
async fn a_site_photo_keeps_its_capture_time_and_place(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let inspection = visit(&app, &town).await;
    let photo = site_photo();
    let (status, body) = app
        .upload(
            &town.deputy,
            inspection["id"].as_str().unwrap(),
            "桥头现场.jpg",
            photo.clone(),
            Some("桥头防护栏缺失"),
        )
        .await;
    assert_eq!(status, 200, "{body:#}");
    assert!(body.get("errors").is_none(), "{body:#}");
    let attachment = &body["data"]["attachFile"];
    assert_eq!(attachment["fileName"], "桥头现场.jpg");
    assert_eq!(attachment["contentType"], "image/jpeg");
    assert_eq!(attachment["size"], photo.len());
    assert_eq!(attachment["sha256"], hex::encode(Sha256::digest(&photo)));
    assert_eq!(attachment["caption"], "桥头防护栏缺失");
    // No offset in the EXIF: the camera's clock is read in the town's zone (UTC+8).
    assert_eq!(attachment["takenAt"], "2026-11-20T01:30:00+00:00");
    let latitude = attachment["latitude"].as_f64().unwrap();
    let longitude = attachment["longitude"].as_f64().unwrap();
    assert!(
        (latitude - (30.0 + 7.0 / 60.0 + 24.24 / 3600.0)).abs() < 1e-9,
        "{latitude}"
    );
    assert!(
        (longitude - (103.0 + 34.0 / 60.0 + 4.08 / 3600.0)).abs() < 1e-9,
        "{longitude}"
    );

    let listed = app
        .ok(
            &town.viewer,
            "query($id:ID!){ inspection(id:$id){ attachments{ id url uploadedBy{ username } } } }",
            json!({ "id": inspection["id"] }),
        )
        .await;
    let url = listed["inspection"]["attachments"][0]["url"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(url, attachment["url"].as_str().unwrap());

    // Anyone who may read the inspection downloads the same bytes; nobody else does.
    let response = app.get(Some(&town.viewer), &url).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("UTF-8''%E6%A1%A5")
    );
    assert_eq!(response.bytes().await.unwrap().as_ref(), photo.as_slice());
    let response = app.get(None, &url).await;
    assert_eq!(response.status().as_u16(), 401);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(code(&body), "UNAUTHENTICATED");
    assert_eq!(
        app.get(Some("forged-token"), &url).await.status().as_u16(),
        401
    );
    let other = Town::setup(&app, "汉阳镇").await;
    assert_eq!(
        app.get(Some(&other.presidium), &url)
            .await
            .status()
            .as_u16(),
        404
    );
    assert_eq!(
        app.get(Some(&town.viewer), "/attachments/not-an-id")
            .await
            .status()
            .as_u16(),
        404
    );
}

e2e!(evidence_is_typed_by_its_bytes_and_bounded_in_size);
async fn evidence_is_typed_by_its_bytes_and_bounded_in_size(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let inspection = visit(&app, &town).await;
    let id = inspection["id"].as_str().unwrap();

    // A Windows executable renamed to .jpg, and an ELF binary renamed to .pdf.
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
    exe.extend(std::iter::repeat_n(0u8, 512));
    for (name, bytes) in [
        ("现场照片.jpg", exe),
        ("报告.pdf", b"\x7fELF\x02\x01\x01\0".to_vec()),
    ] {
        let (status, body) = app.upload(&town.deputy, id, name, bytes, None).await;
        assert_eq!(status, 200, "{body:#}");
        assert_eq!(code(&body), "VALIDATION_FAILED", "{name}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "file");
    }

    // One byte over the 20 MiB default is refused while it streams in.
    let mut oversized = site_photo();
    oversized.resize(20 * 1024 * 1024 + 1, 0);
    let (status, body) = app
        .upload(&town.deputy, id, "大图.jpg", oversized, None)
        .await;
    assert_eq!(status, 413, "{body:#}");
    assert_eq!(code(&body), "VALIDATION_FAILED");
    assert_eq!(body["errors"][0]["extensions"]["field"], "file", "{body:#}");

    // A PDF is accepted as it is; nothing refused above was kept.
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    let (_, body) = app
        .upload(&town.deputy, id, "整改通知书.pdf", pdf.to_vec(), None)
        .await;
    assert_eq!(
        body["data"]["attachFile"]["contentType"], "application/pdf",
        "{body:#}"
    );
    assert!(body["data"]["attachFile"]["takenAt"].is_null());
    assert_eq!(file_names(&app, &town, id).await, ["整改通知书.pdf"]);
}

e2e!(evidence_goes_on_findings_and_milestones_by_those_who_answer_for_them);
async fn evidence_goes_on_findings_and_milestones_by_those_who_answer_for_them(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let inspection = visit(&app, &town).await;
    let finding = inspection["findings"][0]["id"].as_str().unwrap();
    let node = town
        .milestone(&app, json!({ "title": "桥面铺装", "deadline": day(30) }))
        .await;
    let milestone = node["id"].as_str().unwrap();
    let photo = site_photo();

    // The responsible leader documents the rectification and the work; a viewer cannot, and a
    // leader cannot add to another leader's finding.
    let (_, body) = app
        .upload(
            &town.liming,
            finding,
            "整改后.jpg",
            photo.clone(),
            Some("已安装防护栏"),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body:#}");
    let (_, body) = app
        .upload(&town.liming, milestone, "铺装.jpg", photo.clone(), None)
        .await;
    assert!(body.get("errors").is_none(), "{body:#}");
    let (_, body) = app
        .upload(&town.viewer, finding, "x.jpg", photo.clone(), None)
        .await;
    assert_eq!(code(&body), "FORBIDDEN");
    let (_, body) = app
        .upload(&town.chengang, finding, "x.jpg", photo.clone(), None)
        .await;
    assert_eq!(code(&body), "FORBIDDEN");
    let other = Town::setup(&app, "汉阳镇").await;
    let (_, body) = app
        .upload(&other.presidium, finding, "x.jpg", photo.clone(), None)
        .await;
    assert_eq!(code(&body), "NOT_FOUND");
    let (_, body) = app
        .upload(
            &town.deputy,
            &uuid::Uuid::now_v7().to_string(),
            "x.jpg",
            photo,
            None,
        )
        .await;
    assert_eq!(code(&body), "NOT_FOUND");

    let seen = app
        .ok(
            &town.viewer,
            "query($f:FindingFilter,$m:ID!){ findings(filter:$f){ nodes{ attachments{ caption sha256 } } } milestone(id:$m){ attachments{ fileName } } }",
            json!({ "m": milestone }),
        )
        .await;
    assert_eq!(
        seen["findings"]["nodes"][0]["attachments"][0]["caption"],
        "已安装防护栏"
    );
    assert_eq!(
        seen["milestone"]["attachments"],
        json!([{ "fileName": "铺装.jpg" }])
    );
    // The same photo twice is one stored file.
    let files = walk(&app.data_dir().join("files"));
    assert_eq!(files, 1, "content-addressed storage keeps one copy");
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    let path = e.path();
                    if path.is_dir() { walk(&path) } else { 1 }
                })
                .sum()
        })
        .unwrap_or(0)
}

/// An Office Open XML file with `entries` (each holding a line of text).
fn office_zip(entries: &[&str]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for entry in entries {
        zip.start_file(*entry, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"<x/>").unwrap();
    }
    zip.finish().unwrap().into_inner()
}

e2e!(evidence_is_kept_under_what_it_is_and_never_with_macros_or_programs);
/// A Word document uploaded as `整改通知.hta` is kept and served as `整改通知.docx`; a zip that is
/// not an Office document (however its bytes are arranged), one with macros and one with a
/// program packed inside are refused.
async fn evidence_is_kept_under_what_it_is_and_never_with_macros_or_programs(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let inspection = visit(&app, &town).await;
    let id = inspection["id"].as_str().unwrap();
    let word = office_zip(&["[Content_Types].xml", "_rels/.rels", "word/document.xml"]);
    let (status, body) = app
        .upload(&town.deputy, id, "整改通知.hta", word, None)
        .await;
    assert_eq!(status, 200, "{body:#}");
    let attached = &body["data"]["attachFile"];
    assert_eq!(attached["fileName"], "整改通知.docx", "{body:#}");
    let served = app
        .get(Some(&town.deputy), attached["url"].as_str().unwrap())
        .await;
    let disposition = served.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.ends_with(".docx"), "{disposition}");
    assert!(!disposition.contains(".hta"), "{disposition}");

    let mut disguised = office_zip(&["payload.exe"]);
    disguised.extend(b"[Content_Types].xml word/document.xml");
    let refused = [
        ("资料.zip", disguised),
        (
            "整改通知.docx",
            office_zip(&[
                "[Content_Types].xml",
                "word/document.xml",
                "word/vbaProject.bin",
            ]),
        ),
        (
            "整改通知.docx",
            office_zip(&[
                "[Content_Types].xml",
                "word/document.xml",
                "word/embeddings/setup.exe",
            ]),
        ),
        ("资料.zip", office_zip(&["readme.txt", "payload.bat"])),
    ];
    for (name, bytes) in refused {
        let (status, body) = app.upload(&town.deputy, id, name, bytes, None).await;
        assert_eq!(status, 200, "{body:#}");
        assert_eq!(code(&body), "VALIDATION_FAILED", "{name}: {body:#}");
    }
    assert_eq!(file_names(&app, &town, id).await, ["整改通知.docx"]);
}
