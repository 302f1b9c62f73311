//! Wallet bridges: one implementation per wallet family, behind one interface.
//!
//! CONTRACT (called by the widget): [`detect_environment`] and [`pay`].
//! Each family lives in its own file and implements [`WalletBridge`]; routing decisions (which wallet
//! can pay which code here) are pure and live in [`crate::wallet`].

use std::future::Future;
use std::pin::Pin;

use serde_json::Value;

use crate::wallet::{Environment, Outcome, WalletId};

pub mod alipay_app;
pub mod alipay_miniprogram;
pub mod deep_link;
pub mod handoff;
pub mod js;
pub mod payment_request;
pub mod sandbox;
pub mod unionpay;
pub mod wechat_jsapi;
pub mod wechat_miniprogram;

pub use handoff::{clear_returned, returned};

/// A boxed, single-threaded future (wasm has one thread; JS values are not `Send`).
pub type BoxOutcome<'a> = Pin<Box<dyn Future<Output = Outcome> + 'a>>;

/// One wallet family's JS bridge.
pub trait WalletBridge {
    fn id(&self) -> WalletId;
    /// Can this bridge be driven on this page right now? (The pure rules in [`crate::wallet::routing`].)
    fn is_available(&self, env: &Environment) -> bool {
        crate::wallet::routing::availability(self.id(), env).is_ok()
    }
    /// Hand the merchant's `wallet_params` to the wallet. Never panics: a missing bridge, a thrown
    /// exception or a malformed answer is `Outcome::Failed { code, message }`; no answer in time is
    /// `Outcome::Pending` (the widget then asks the merchant's status endpoint).
    fn pay<'a>(&'a self, params: &'a Value) -> BoxOutcome<'a>;
}

/// The bridge for `wallet`.
pub fn bridge_for(wallet: WalletId) -> Box<dyn WalletBridge> {
    match wallet {
        WalletId::Sandbox => Box::new(sandbox::Sandbox),
        WalletId::WechatJsapi => Box::new(wechat_jsapi::WechatJsapi),
        WalletId::WechatMiniProgram => Box::new(wechat_miniprogram::WechatMiniProgram),
        WalletId::AlipayApp => Box::new(alipay_app::AlipayApp),
        WalletId::AlipayMiniProgram => Box::new(alipay_miniprogram::AlipayMiniProgram),
        WalletId::Unionpay => Box::new(unionpay::Unionpay),
        WalletId::PaymentRequest => Box::new(payment_request::PaymentRequest),
        WalletId::DeepLink => Box::new(deep_link::DeepLink),
    }
}

/// Inspect the page (user agent, `window.__wxjs_environment`, the JS bridges present).
pub fn detect_environment() -> Environment {
    let mut env = Environment::default();
    if let Some(w) = web_sys::window() {
        env.user_agent = w.navigator().user_agent().unwrap_or_default();
        env.wxjs_environment = js::global(&["__wxjs_environment"]).and_then(|v| v.as_string());
        env.has_weixin_js_bridge = js::global(&["WeixinJSBridge"]).is_some();
        env.has_wx_mini_program = js::global(&["wx", "miniProgram", "navigateTo"]).is_some();
        env.has_alipay_js_bridge = js::global(&["AlipayJSBridge"]).is_some();
        env.has_my_mini_program = js::global(&["my", "postMessage"]).is_some() || js::global(&["my", "tradePay"]).is_some();
        env.has_unionpay_bridge = js::global(&["upsdk", "pay"]).is_some();
        // Payment Request only exists in secure contexts; a polyfilled constructor elsewhere is useless.
        env.has_payment_request = js::global(&["PaymentRequest"]).is_some()
            && js::global(&["isSecureContext"]).and_then(|v| v.as_bool()).unwrap_or(false);
        env.has_sandbox_wallet = js::global(&["SandboxWalletJSBridge"]).is_some();
    }
    env
}

/// Hand the merchant's wallet parameters to `wallet`'s JS bridge; resolves with the bridge's outcome
/// (never trusted as final: the widget confirms with the merchant's status endpoint).
pub async fn pay(wallet: WalletId, wallet_params: &serde_json::Value) -> Outcome {
    bridge_for(wallet).pay(wallet_params).await
}

/// Test entry points (browser tests in `tests/e2e/bridges.test.mjs` drive each bridge through a
/// stand-in object with the real API's shape). They do only what the widget does.
mod test_exports {
    use super::*;
    use wasm_bindgen::prelude::*;

    fn out<T: serde::Serialize>(v: &T) -> JsValue {
        v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
    }

    /// `__interpay_test_pay("wechat_jsapi", wallet_params)` → the bridge's outcome JSON.
    #[wasm_bindgen(js_name = "__interpay_test_pay")]
    pub async fn test_pay(wallet: String, wallet_params: JsValue) -> JsValue {
        let outcome = match crate::wallet::WalletId::parse(&wallet) {
            Some(w) => pay(w, &js::from_js(&wallet_params)).await,
            None => js::failed("unknown_wallet", format!("unknown wallet {wallet:?}")),
        };
        out(&outcome)
    }

    /// `__interpay_test_environment(payment)` → `{environment, detected, wallets}` (the picker's rows).
    #[wasm_bindgen(js_name = "__interpay_test_environment")]
    pub fn test_environment(payment: JsValue) -> JsValue {
        let env = detect_environment();
        let d = env.detect();
        let wallets = serde_json::from_value::<crate::payload::Payment>(js::from_js(&payment))
            .map(|p| crate::wallet::rank_wallets(&p, &env))
            .map_err(|e| e.to_string());
        out(&serde_json::json!({
            "environment": env,
            "detected": {
                "wechat": d.wechat, "wechat_mini_program": d.wechat_mini_program, "alipay": d.alipay,
                "alipay_mini_program": d.alipay_mini_program, "unionpay": d.unionpay, "mobile": d.mobile,
                "plain_mobile_browser": d.plain_mobile_browser,
            },
            "wallets": match wallets { Ok(w) => serde_json::to_value(w).unwrap_or_default(), Err(e) => serde_json::json!({"error": e}) },
        }))
    }

    /// `__interpay_test_returned()` → `{order_id, outcome}` from the page URL, or null.
    #[wasm_bindgen(js_name = "__interpay_test_returned")]
    pub fn test_returned() -> JsValue {
        match returned() {
            Some(r) => out(&serde_json::json!({"order_id": r.order_id, "outcome": r.outcome})),
            None => JsValue::NULL,
        }
    }
}
