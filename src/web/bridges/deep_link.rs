//! App hand-off from a plain mobile browser: navigate to the wallet's link (`upi://pay?…`,
//! `bitcoin:…`, `lightning:…`, `ethereum:…`, WeChat Pay H5 `h5_url`, Alipay `alipay.trade.wap.pay`…)
//! with a way back: `return_url` (default: this page `#interpay_order=<id>`). A `{return_url}`
//! placeholder in `url` is replaced by the encoded return URL (for wallets that take it as a
//! parameter, e.g. WeChat H5's `redirect_url`).
//! - http(s) links leave the page; the shopper comes back on the return URL, where the widget reads
//!   [`super::returned`] and asks the merchant's status endpoint.
//! - app schemes keep the page: if it is not hidden within [`OPEN_MS`], the app did not open
//!   (`app_not_opened`); otherwise we wait for the shopper to come back.

use serde_json::Value;

use super::handoff;
use super::runner::WALLET_MS as TIMEOUT_MS;
use crate::wallet::{params, FailureCode, Outcome};
use crate::web::js;

pub const OPEN_MS: i32 = 2_500;
const GRACE_MS: i32 = 1_000;

/// Schemes a link may never use: they would run code in or read from this page.
fn scheme_allowed(url: &str) -> bool {
    let scheme = url.split_once(':').map(|(s, _)| s.trim().to_ascii_lowercase()).unwrap_or_default();
    !scheme.is_empty()
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        && !matches!(scheme.as_str(), "javascript" | "data" | "vbscript" | "file" | "blob" | "about")
}

fn resolve(url: &str) -> Option<String> {
    let base = js::href();
    web_sys::Url::new_with_base(url, &base).ok().map(|u| u.href())
}

/// Navigate to the wallet's link and wait for the shopper to come back.
pub async fn pay(p: &Value) -> Outcome {
    let Some(raw) = p.get("url").and_then(Value::as_str).filter(|u| !u.is_empty()) else {
        return js::failed(FailureCode::BadWalletParams, "wallet_params.url is missing");
    };
    let order_id = p.get("order_id").and_then(Value::as_str).unwrap_or("");
    let back = match p.get("return_url").and_then(Value::as_str) {
        Some(r) => match resolve(r) {
            Some(r) => r,
            None => return js::failed(FailureCode::BadWalletParams, format!("bad return_url {r:?}")),
        },
        None => params::return_url(&js::href(), order_id),
    };
    let url = raw.replace("{return_url}", &params::encode_component(&back));
    let Some(url) = resolve(&url) else {
        return js::failed(FailureCode::BadWalletParams, format!("bad url {raw:?}"));
    };
    if !scheme_allowed(&url) {
        return js::failed(FailureCode::BadWalletParams, "refusing a javascript:/data: link");
    }
    // A verdict left on the URL by an earlier hand-off must not answer this one.
    handoff::clear_returned();
    let Some(window) = web_sys::window() else {
        return js::missing("window");
    };
    let web = url.starts_with("https:") || url.starts_with("http:");
    if let Err(e) = window.location().set_href(&url) {
        return js::threw("location.href", &e);
    }
    let mut away = false;
    if !web {
        // Did the app open? The page goes hidden (or loses focus) when it does.
        let ev = js::wait_events(&["blur", "pagehide", "document:visibilitychange"], OPEN_MS).await;
        if ev.is_none() && js::page_visible() {
            return js::failed(FailureCode::AppNotOpened, "No app opened this payment link: is the wallet app installed?");
        }
        away = true;
    }
    handoff::wait_for_return(order_id, TIMEOUT_MS, GRACE_MS, away).await
}

