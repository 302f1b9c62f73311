//! WeChat in-app browser: WeChat Pay JSAPI.
//! `WeixinJSBridge.invoke('getBrandWCPayRequest', {appId, timeStamp, nonceStr, package, signType, paySign}, cb)`,
//! `cb({err_msg: "get_brand_wcpay_request:ok" | ":cancel" | ":fail"})`. The bridge is injected
//! asynchronously: if it is not there yet we wait for `document`'s `WeixinJSBridgeReady` event.

use serde_json::Value;

use super::js::{self, Called};
use super::{BoxOutcome, WalletBridge};
use crate::wallet::{params, results, Outcome, WalletId};

const READY_MS: i32 = 5_000;
const TIMEOUT_MS: i32 = 10 * 60 * 1000;

pub struct WechatJsapi;

impl WalletBridge for WechatJsapi {
    fn id(&self) -> WalletId {
        WalletId::WechatJsapi
    }

    fn pay<'a>(&'a self, wallet_params: &'a Value) -> BoxOutcome<'a> {
        Box::pin(async move {
            let args = match params::pick(wallet_params, params::WECHAT_JSAPI) {
                Ok(a) => a,
                Err(o) => return o,
            };
            let Some(bridge) = js::wait_for_global("WeixinJSBridge", "WeixinJSBridgeReady", READY_MS).await else {
                return js::missing("WeixinJSBridge (open this page in WeChat)");
            };
            // On iOS `__wxjs_environment` is only set once the bridge is ready, so detection may have
            // missed a mini-program web-view: JSAPI is refused there, and the order was signed for the
            // official account's appId, not the mini-program's — say so instead of failing obscurely.
            if js::global(&["__wxjs_environment"]).and_then(|v| v.as_string()).as_deref() == Some("miniprogram") {
                return js::failed(
                    crate::wallet::reasons::USE_MINI_PROGRAM_PAYMENT,
                    "This page runs in a WeChat mini-program: pay with the mini-program (wallet wechat_mini_program)",
                );
            }
            let Some(invoke) = js::method(&bridge, "invoke") else {
                return js::missing("WeixinJSBridge.invoke");
            };
            let args = js::to_js(&args);
            match js::call_with_callback(TIMEOUT_MS, |cb| {
                invoke.call3(&bridge, &"getBrandWCPayRequest".into(), &args, cb)
            })
            .await
            {
                Called::Back(res) => results::wechat_jsapi(&js::from_js(&res)),
                Called::TimedOut => Outcome::Pending,
                Called::Threw(e) => js::threw("WeixinJSBridge.invoke", &e),
            }
        })
    }
}
