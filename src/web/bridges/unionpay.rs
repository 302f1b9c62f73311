//! UnionPay Cloud QuickPass (云闪付) and UnionPay-based bank apps: the public UPSDK
//! (`https://open.95516.com/s/open/js/upsdk.js`, loaded by the merchant page).
//! `upsdk.config({appId, timestamp, nonceStr, signature, debug})` (signature made server-side from
//! the merchant's UnionPay credentials), `upsdk.ready(fn)`, then
//! `upsdk.pay({tn, success(), fail(err)})` where `tn` is the order number UnionPay's gateway gave
//! the merchant server.

use serde_json::Value;
use wasm_bindgen::JsValue;

use super::runner::{Call, CallbackBridge, LocalFuture, READY_MS};
use crate::wallet::{params, results, Outcome};
use crate::web::js;

pub const BRIDGE: CallbackBridge = CallbackBridge {
    global: "upsdk",
    ready_event: None,
    hint: "load UnionPay's upsdk.js",
    fields: Some(params::UNIONPAY_PAY),
    call: Call::SuccessFail { method: "pay" },
    on_result: |_| Outcome::Succeeded,
    on_fail: results::unionpay,
    before: Some(configure),
};

/// Apply the merchant's signed `config` (if any), then wait for `upsdk.ready` (not ready in time:
/// try anyway, `pay()` reports its own failure).
fn configure<'a>(sdk: &'a JsValue, wallet_params: &'a Value) -> LocalFuture<'a, Result<(), Outcome>> {
    Box::pin(async move {
        if let (Some(cfg), Some(config)) = (wallet_params.get("config").filter(|c| c.is_object()), js::method(sdk, "config")) {
            if let Err(e) = config.call1(sdk, &js::to_js(cfg)) {
                return Err(js::threw("upsdk.config", &e));
            }
        }
        if let Some(ready) = js::method(sdk, "ready") {
            if let js::Called::Threw(e) = js::call_with_callback(READY_MS, |cb| ready.call1(sdk, cb)).await {
                return Err(js::threw("upsdk.ready", &e));
            }
        }
        Ok(())
    })
}
