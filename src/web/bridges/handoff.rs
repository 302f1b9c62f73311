//! Coming back from a hand-off (mini-program page, wallet app): the verdict arrives on the page URL
//! (`#interpay_order=…&interpay_result=…`), or not at all — then the status endpoint decides.

use crate::web::js;
use crate::wallet::params::{self, Returned};
use crate::wallet::Outcome;

/// The Interpay return parameters on the current URL (hash first, then query), if any.
pub fn returned() -> Option<Returned> {
    let loc = web_sys::window()?.location();
    let hash = loc.hash().unwrap_or_default();
    params::parse_return(&hash).or_else(|| params::parse_return(&loc.search().unwrap_or_default()))
}

fn verdict_for(order_id: &str) -> Option<Outcome> {
    let r = returned()?;
    let mine = order_id.is_empty() || r.order_id.as_deref().map(|o| o == order_id).unwrap_or(true);
    (mine && r.outcome != Outcome::Pending).then_some(r.outcome)
}

/// After handing the order off: wait for the verdict on the URL (`hashchange`), or for the shopper
/// to come back to this page (visible again) — then give the hand-off a moment to write the URL —
/// or for the timeout. No verdict is `Pending`: the widget asks the merchant's status endpoint.
/// `away`: the caller already saw the shopper leave (the page lost focus or went hidden).
pub async fn wait_for_return(order_id: &str, timeout_ms: i32, grace_ms: i32, away: bool) -> Outcome {
    let deadline = js::now_ms() + f64::from(timeout_ms);
    let mut went_away = away || !js::page_visible();
    loop {
        if let Some(o) = verdict_for(order_id) {
            return o;
        }
        let left = (deadline - js::now_ms()).max(0.0) as i32;
        if left == 0 {
            return Outcome::Pending;
        }
        let ev = js::wait_events(&["hashchange", "pageshow", "focus", "blur", "pagehide", "document:visibilitychange"], left).await;
        match ev.as_deref() {
            None => return verdict_for(order_id).unwrap_or(Outcome::Pending),
            Some("hashchange") => continue,
            Some("blur") | Some("pagehide") => went_away = true,
            Some(_) if !js::page_visible() => went_away = true,
            Some(_) if went_away => {
                js::sleep(grace_ms.max(0) as u32).await;
                return verdict_for(order_id).unwrap_or(Outcome::Pending);
            }
            Some(_) => continue,
        }
    }
}

/// Remove the Interpay return parameters from the page URL (without a navigation or a history entry),
/// so a verdict is read once: before a new hand-off, and by the widget after it consumed one.
pub fn clear_returned() {
    let Some(loc) = web_sys::window().map(|w| w.location()) else { return };
    let hash = loc.hash().unwrap_or_default();
    if !hash.contains("interpay_") {
        return;
    }
    let kept: Vec<String> = hash
        .trim_start_matches('#')
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("interpay_"))
        .map(str::to_string)
        .collect();
    let href = loc.href().unwrap_or_default();
    let base = href.split('#').next().unwrap_or("");
    let url = if kept.is_empty() { base.to_string() } else { format!("{base}#{}", kept.join("&")) };
    if let Some(history) = js::global(&["history"]) {
        if let Some(replace) = js::method(&history, "replaceState") {
            let _ = replace.call3(&history, &wasm_bindgen::JsValue::NULL, &"".into(), &url.as_str().into());
        }
    }
}
