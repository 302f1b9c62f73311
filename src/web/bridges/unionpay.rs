//! UnionPay Cloud QuickPass (云闪付) and UnionPay-based bank apps: the public UPSDK
//! (`https://open.95516.com/s/open/js/upsdk.js`, loaded by the merchant page).
//! `upsdk.config({appId, timestamp, nonceStr, signature, debug})` (signature made server-side from
//! the merchant's UnionPay credentials), `upsdk.ready(fn)` / `upsdk.error(fn)`, then
//! `upsdk.pay({tn, success(), fail(err)})` where `tn` is the order number UnionPay's gateway gave
//! the merchant server.

use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::runner::{Call, CallbackBridge, LocalFuture, READY_MS};
use crate::wallet::{params, results, FailureCode, Outcome};
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

/// Apply the merchant's signed `config` (if any), then wait for `upsdk.ready` or `upsdk.error` (a
/// config the SDK refuses, e.g. a bad signature, fails at once instead of after the ready timeout;
/// not ready in time: try anyway, `pay()` reports its own failure).
fn configure<'a>(sdk: &'a JsValue, wallet_params: &'a Value) -> LocalFuture<'a, Result<(), Outcome>> {
    Box::pin(async move {
        if let (Some(cfg), Some(config)) = (wallet_params.get("config").filter(|c| c.is_object()), js::method(sdk, "config")) {
            if let Err(e) = config.call1(sdk, &js::to_js(cfg)) {
                return Err(js::threw("upsdk.config", &e));
            }
        }
        let Some(ready) = js::method(sdk, "ready") else { return Ok(()) };
        let on_error = js::method(sdk, "error");
        let settled = js::call_with_callback(READY_MS, |cb| {
            if let Some(error) = &on_error {
                // The error callback's argument is wrapped so it cannot be taken for ready().
                let cb = cb.clone();
                let wrap = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
                    let _ = cb.call1(&JsValue::NULL, &js::obj(&[("upsdk_error", if e.is_undefined() { JsValue::TRUE } else { e })]));
                });
                let _ = error.call1(sdk, wrap.as_ref());
                wrap.forget();
            }
            ready.call1(sdk, cb)
        })
        .await;
        match settled {
            js::Called::Threw(e) => Err(js::threw("upsdk.ready", &e)),
            js::Called::Back(v) if !js::get(&v, "upsdk_error").is_undefined() => {
                let detail = js::from_js(&js::get(&v, "upsdk_error"));
                Err(Outcome::failed(FailureCode::BridgeException, format!("upsdk.error: {detail}")))
            }
            _ => Ok(()),
        }
    })
}
