//! WeChat in-app browser: WeChat Pay JSAPI.
//! `WeixinJSBridge.invoke('getBrandWCPayRequest', {appId, timeStamp, nonceStr, package, signType, paySign}, cb)`,
//! `cb({err_msg: "get_brand_wcpay_request:ok" | ":cancel" | ":fail"})`. The bridge is injected
//! asynchronously: if it is not there yet we wait for `document`'s `WeixinJSBridgeReady` event.

use serde_json::Value;
use wasm_bindgen::JsValue;

use super::runner::{Call, CallbackBridge, LocalFuture};
use crate::wallet::{params, results, FailureCode, Outcome};
use crate::web::js;

pub const BRIDGE: CallbackBridge = CallbackBridge {
    global: "WeixinJSBridge",
    ready_event: Some("WeixinJSBridgeReady"),
    hint: "open this page in WeChat",
    fields: Some(params::WECHAT_JSAPI),
    call: Call::Named { method: "invoke", name: "getBrandWCPayRequest" },
    on_result: results::wechat_jsapi,
    on_fail: results::wechat_jsapi,
    before: Some(refuse_mini_program),
};

/// On iOS `__wxjs_environment` is only set once the bridge is ready, so detection may have missed a
/// mini-program web-view: JSAPI is refused there, and the order was signed for the official
/// account's appId, not the mini-program's — say so instead of failing obscurely.
fn refuse_mini_program<'a>(_api: &'a JsValue, _params: &'a Value) -> LocalFuture<'a, Result<(), Outcome>> {
    Box::pin(async move {
        if js::global(&["__wxjs_environment"]).and_then(|v| v.as_string()).as_deref() == Some("miniprogram") {
            return Err(Outcome::failed(
                FailureCode::UseMiniProgramPayment,
                "This page runs in a WeChat mini-program: pay with the mini-program (wallet wechat_mini_program)",
            ));
        }
        Ok(())
    })
}
