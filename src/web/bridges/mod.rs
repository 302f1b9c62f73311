//! Wallet bridges: one implementation per wallet family, behind one interface.
//!
//! CONTRACT (called by the widget): [`detect_environment`] and [`pay`].
//! Each family lives in its own file: the callback-style APIs (sandbox, WeChat JSAPI, Alipay app,
//! UnionPay) are a [`runner::CallbackBridge`] spec each; the hand-offs (WeChat and Alipay
//! mini-programs, deep links) and Payment Request have their own flow. Routing decisions (which
//! wallet can pay which code here) are pure and live in [`crate::wallet`].

use crate::wallet::{Environment, Outcome, WalletId};
use crate::web::js;

pub mod alipay_app;
pub mod alipay_miniprogram;
pub mod deep_link;
pub mod handoff;
pub mod payment_request;
pub mod runner;
pub mod sandbox;
pub mod unionpay;
pub mod wechat_jsapi;
pub mod wechat_miniprogram;

pub use handoff::{clear_returned, returned};

/// Inspect the page (user agent, `window.__wxjs_environment`, the JS bridges present).
pub fn detect_environment() -> Environment {
    let mut env = Environment::default();
    if let Some(w) = web_sys::window() {
        env.user_agent = w.navigator().user_agent().unwrap_or_default();
        env.wxjs_environment = js::global(&["__wxjs_environment"]).and_then(|v| v.as_string());
        env.has_weixin_js_bridge = js::global(&["WeixinJSBridge"]).is_some();
        env.has_wx_mini_program = js::global(&["wx", "miniProgram", "navigateTo"]).is_some();
        env.has_alipay_js_bridge = js::global(&["AlipayJSBridge"]).is_some();
        env.has_my_mini_program = js::global(&["my", "postMessage"]).is_some();
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
/// Never panics: a missing bridge, a thrown exception or a malformed answer is `Outcome::Failed`;
/// no answer in time is `Outcome::Pending` (the widget then asks the merchant's status endpoint).
pub async fn pay(wallet: WalletId, wallet_params: &serde_json::Value) -> Outcome {
    match wallet {
        WalletId::Sandbox => sandbox::BRIDGE.pay(wallet_params).await,
        WalletId::WechatJsapi => wechat_jsapi::BRIDGE.pay(wallet_params).await,
        WalletId::AlipayApp => alipay_app::BRIDGE.pay(wallet_params).await,
        WalletId::Unionpay => unionpay::BRIDGE.pay(wallet_params).await,
        WalletId::WechatMiniProgram => wechat_miniprogram::pay(wallet_params).await,
        WalletId::AlipayMiniProgram => alipay_miniprogram::pay(wallet_params).await,
        WalletId::PaymentRequest => payment_request::pay(wallet_params).await,
        WalletId::DeepLink => deep_link::pay(wallet_params).await,
    }
}
