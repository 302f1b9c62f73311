//! WeChat mini-program `<web-view>`: a web page cannot call `wx.requestPayment` itself, so the order
//! is handed to a page of the merchant's mini-program (sample: `www/miniprogram/wechat/`):
//! `wx.miniProgram.navigateTo({url: '/pages/pay/pay?order=…&params=<signed JSON>&return=<this URL>'})`.
//! That page calls `wx.requestPayment`, stores the verdict, and navigates back; the web-view host
//! page then re-points the web-view at `<this URL>#interpay_order=…&interpay_result=ok|cancel|fail…`
//! (a same-document hash change: `hashchange` here, or a reload that [`super::returned`] reads).
//! `wx.miniProgram.postMessage` is not used for the verdict: WeChat only delivers it to the
//! mini-program on back / share / destroy, never to the web page.

use serde_json::Value;

use super::handoff;
use super::runner::WALLET_MS;
use crate::wallet::{params, FailureCode, Outcome};
use crate::web::js::{self, Settled};

const NAVIGATE_MS: i32 = 10_000;
const GRACE_MS: i32 = 1_500;
pub const DEFAULT_PAGE: &str = "/pages/pay/pay";

/// Hand the order to the mini-program's pay page and wait for the verdict on the return URL.
pub async fn pay(wallet_params: &Value) -> Outcome {
    let args = match params::pick(wallet_params, params::WECHAT_REQUEST_PAYMENT) {
        Ok(a) => a,
        Err(o) => return o,
    };
    let order_id = wallet_params.get("order_id").and_then(Value::as_str).unwrap_or("");
    let page = wallet_params.get("page").and_then(Value::as_str).unwrap_or(DEFAULT_PAGE);
    let Some(mp) = js::global(&["wx", "miniProgram"]) else {
        return js::missing("wx.miniProgram (load the WeChat JS-SDK in the web-view page)");
    };
    let Some(navigate) = js::method(&mp, "navigateTo") else {
        return js::missing("wx.miniProgram.navigateTo");
    };
    // A verdict left on the URL by an earlier hand-off must not answer this one.
    handoff::clear_returned();
    let back_to = params::return_url(&js::href(), order_id);
    let url = params::mini_program_page_url(page, order_id, &args, &back_to);
    match js::call_with_callbacks(NAVIGATE_MS, |opts| {
        js::set(opts, "url", &url.as_str().into());
        navigate.call1(&mp, opts)
    })
    .await
    {
        Settled::Fail(e) => {
            return js::failed(FailureCode::NavigateFailed, format!("wx.miniProgram.navigateTo failed: {}", js::error_message(&e)))
        }
        Settled::Threw(e) => return js::threw("wx.miniProgram.navigateTo", &e),
        // Older SDKs never call back on success: carry on and wait for the return.
        Settled::Success(_) | Settled::TimedOut => {}
    }
    handoff::wait_for_return(order_id, WALLET_MS, GRACE_MS, false).await
}
