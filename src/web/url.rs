//! The browser's own WHATWG URL parser for the payload engine ([`crate::payload::urls::use_url_parser`]):
//! links are read exactly as the shopper's browser will open them, and the reader module carries no
//! `url` crate and no IDNA tables of its own (about 200 KB of code and data before `wasm-opt`).

use crate::payload::urls::WebUrl;

fn browser_url(s: &str) -> Option<WebUrl> {
    let u = web_sys::Url::new(s).ok()?;
    let protocol = u.protocol();
    let search = u.search();
    Some(WebUrl {
        href: u.href(),
        scheme: protocol.strip_suffix(':').unwrap_or(&protocol).to_string(),
        username: u.username(),
        password: u.password(),
        host: u.hostname(),
        path: u.pathname(),
        query: search
            .strip_prefix('?')
            .filter(|q| !q.is_empty())
            .map(str::to_string),
    })
}

/// Read links with the browser's `URL` (idempotent; every reader export calls it first).
pub(crate) fn install() {
    crate::payload::urls::use_url_parser(browser_url);
}
