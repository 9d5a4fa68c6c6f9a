//! GraphiQL, for developers trying the API by hand: pinned copies of its scripts and styles
//! (GraphiQL 3.8.3, React 18.3.1, MIT licences beside them in `api/assets/graphiql`) served from
//! inside the binary, so it works on an intranet without internet access and loads nothing from
//! elsewhere. Every page carries a Content-Security-Policy that allows only this server's own
//! scripts, and may not be framed. `--no-graphiql` turns it off.

use poem::http::{HeaderValue, StatusCode, header};
use poem::web::Path;
use poem::{Response, handler};

const PAGE: &str = include_str!("../../assets/graphiql/index.html");

/// The files the page loads, by name: (name, content type, bytes).
const ASSETS: [(&str, &str, &[u8]); 5] = [
    (
        "graphiql.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/graphiql.min.js"),
    ),
    (
        "graphiql.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/graphiql/graphiql.min.css"),
    ),
    (
        "react.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/react-dom.production.min.js"),
    ),
    (
        "start.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/start.js"),
    ),
];

/// Scripts, styles and connections from this server only; no plugins, no framing, no other
/// form targets. GraphiQL's editor sets inline styles, hence `'unsafe-inline'` for styles alone.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; \
     connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The headers every HTML page of the server carries.
pub fn secure_html(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

#[handler]
pub async fn page() -> Response {
    secure_html(
        Response::builder()
            .content_type("text/html; charset=utf-8")
            .header(header::CACHE_CONTROL, "no-cache")
            .body(PAGE),
    )
}

#[handler]
pub async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(file, _, _)| *file == name) {
        Some((_, content_type, bytes)) => Response::builder()
            .content_type(*content_type)
            .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
            .header(header::CACHE_CONTROL, "public, max-age=86400")
            .body(*bytes),
        None => StatusCode::NOT_FOUND.into(),
    }
}
