//! The workbench's static files, inside the binary.

use poem::http::{StatusCode, header};
use poem::web::Path;
use poem::{Response, handler};

/// (name, content type, bytes).
const ASSETS: [(&str, &str, &[u8]); 2] = [
    (
        "style.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/web/style.css"),
    ),
    (
        "live.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/web/live.js"),
    ),
];

#[handler]
pub async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(file, _, _)| *file == name) {
        Some((_, content_type, bytes)) => Response::builder()
            .content_type(*content_type)
            .header(header::CACHE_CONTROL, "public, max-age=3600")
            .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
            .body(*bytes),
        None => Response::builder().status(StatusCode::NOT_FOUND).finish(),
    }
}
