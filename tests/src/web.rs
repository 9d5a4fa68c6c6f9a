//! The workbench as a browser without JavaScript uses it: pages fetched with the session cookie,
//! forms posted with the CSRF token the page carries, redirects seen rather than followed.

use crate::TestApp;

/// What a page request answered.
pub struct Answer {
    pub status: u16,
    /// Where a redirect points.
    pub location: Option<String>,
    pub set_cookies: Vec<String>,
    pub headers: reqwest::header::HeaderMap,
    pub html: String,
}

impl Answer {
    /// The CSRF token of the first form on the page.
    pub fn csrf(&self) -> String {
        csrf_of(&self.html).unwrap_or_else(|| panic!("a form with a CSRF token:\n{}", self.html))
    }

    /// The value that first follows `marker` on the page, up to the next quote: the id in
    /// `id="finding-<id>"`, the version in `name="version" value="<n>"`.
    pub fn after(&self, marker: &str) -> String {
        self.html
            .split(marker)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("no {marker} on the page:\n{}", self.html))
            .to_string()
    }

    /// The text of the page's refusal next to a form (`class="refusal"`), if any.
    pub fn refusal(&self) -> Option<String> {
        let start = self.html.find("class=\"refusal\"")?;
        let text = &self.html[start..];
        let open = text.find('>')? + 1;
        let close = text[open..].find('<')? + open;
        Some(text[open..close].to_string())
    }
}

pub fn csrf_of(html: &str) -> Option<String> {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

/// The hidden inputs of the form on `html` that posts to `action`.
pub fn hidden_fields(html: &str, action: &str) -> Option<Vec<(String, String)>> {
    let start = html.find(&format!("action=\"{action}\""))?;
    let form = &html[start..start + html[start..].find("</form>")?];
    let attribute = |tag: &str, name: &str| {
        let marker = format!("{name}=\"");
        let from = tag.find(&marker)? + marker.len();
        Some(tag[from..from + tag[from..].find('"')?].to_string())
    };
    Some(
        form.split("<input")
            .skip(1)
            .filter(|tag| tag.contains("type=\"hidden\""))
            .filter_map(|tag| Some((attribute(tag, "name")?, attribute(tag, "value")?)))
            .collect(),
    )
}

/// A client that never follows redirects, so a test sees where a form sends the browser.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let location = headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let set_cookies = headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_string)
        .collect();
    Answer {
        status,
        location,
        set_cookies,
        headers,
        html: response.text().await.unwrap_or_default(),
    }
}

/// Someone at the workbench: the session token is the cookie's value (`None`: not signed in).
pub struct Visitor<'a> {
    pub app: &'a TestApp,
    pub session: Option<String>,
    client: reqwest::Client,
}

impl<'a> Visitor<'a> {
    pub fn new(app: &'a TestApp, session: Option<&str>) -> Visitor<'a> {
        Visitor {
            app,
            session: session.map(str::to_string),
            client: client(),
        }
    }

    fn cookie(&self, extra: Option<&str>) -> String {
        let mut cookies: Vec<String> = Vec::new();
        if let Some(token) = &self.session {
            cookies.push(format!("jiandu_session={token}"));
        }
        cookies.extend(extra.map(str::to_string));
        cookies.join("; ")
    }

    pub async fn get(&self, path: &str) -> Answer {
        let response = self
            .client
            .get(format!("{}{path}", self.app.base))
            .header("cookie", self.cookie(None))
            .send()
            .await
            .expect("the server answers");
        answer(response).await
    }

    /// Posts `fields` as a urlencoded form, with `extra_cookie` beside the session's.
    pub async fn post_with(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        extra_cookie: Option<&str>,
    ) -> Answer {
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let response = self
            .client
            .post(format!("{}{path}", self.app.base))
            .header("cookie", self.cookie(extra_cookie))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("the server answers");
        answer(response).await
    }

    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        self.post_with(path, fields, None).await
    }

    /// Opens `page`, then posts the form whose action is `action` with its hidden fields (the
    /// CSRF token, the version it was rendered with) and `fields`, as the browser submits it.
    pub async fn submit(&self, page: &str, action: &str, fields: &[(&str, &str)]) -> Answer {
        let opened = self.get(page).await;
        let hidden = hidden_fields(&opened.html, action)
            .unwrap_or_else(|| panic!("{page} has no form posting to {action}:\n{}", opened.html));
        let mut all: Vec<(&str, &str)> = hidden
            .iter()
            .filter(|(name, _)| fields.iter().all(|(given, _)| given != name))
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        all.extend_from_slice(fields);
        self.post(action, &all).await
    }

    /// Posts a multipart form (text fields and files) to `action` with `page`'s CSRF token.
    pub async fn submit_multipart(
        &self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
        files: Vec<(&str, &str, Vec<u8>)>,
    ) -> Answer {
        let csrf = self.get(page).await.csrf();
        let mut form = reqwest::multipart::Form::new().text("csrf", csrf);
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        for (name, file_name, bytes) in files {
            form = form.part(
                name.to_string(),
                reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()),
            );
        }
        let response = self
            .client
            .post(format!("{}{action}", self.app.base))
            .header("cookie", self.cookie(None))
            .multipart(form)
            .send()
            .await
            .expect("the server answers");
        answer(response).await
    }
}
