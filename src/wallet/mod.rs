//! Wallet routing: which wallets can pay a code here, and one outcome type for every bridge.
//!
//! CONTRACT (used by the widget and the sandbox merchant): [`WalletId`], [`Environment`],
//! [`WalletChoice`], [`rank_wallets`], [`Outcome`]. Pure: no web-sys.

use crate::payload::Payment;
use serde::{Deserialize, Serialize};

pub mod results;

/// A wallet family Interpay can hand a payment to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WalletId {
    /// The demo / test wallet.
    Sandbox,
    /// WeChat in-app browser: `WeixinJSBridge.invoke('getBrandWCPayRequest', …)`.
    WechatJsapi,
    /// WeChat mini-program web-view: hand-off to a page calling `wx.requestPayment`.
    WechatMiniProgram,
    /// Alipay app: `AlipayJSBridge.call('tradePay', …)`.
    AlipayApp,
    /// Alipay mini-program web-view: `my.tradePay` via the mini-program page.
    AlipayMiniProgram,
    /// UnionPay Cloud QuickPass.
    Unionpay,
    /// W3C Payment Request API.
    PaymentRequest,
    /// App hand-off by deep link from a plain mobile browser.
    DeepLink,
}

/// What the widget learnt about the page it runs in (filled by the browser edge).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Environment {
    pub user_agent: String,
    /// `window.__wxjs_environment` ("miniprogram" inside a WeChat mini-program web-view).
    pub wxjs_environment: Option<String>,
    pub has_weixin_js_bridge: bool,
    pub has_wx_mini_program: bool,
    pub has_alipay_js_bridge: bool,
    pub has_my_mini_program: bool,
    pub has_unionpay_bridge: bool,
    pub has_payment_request: bool,
    pub has_sandbox_wallet: bool,
}

/// One row of the wallet picker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WalletChoice {
    pub wallet: WalletId,
    /// Can pay this code in this environment right now.
    pub available: bool,
    /// Why not, or a hint, for the picker (an i18n message key).
    pub reason: Option<String>,
}

/// The one result type every bridge maps into. Success is only final once the merchant confirms it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    Succeeded,
    Cancelled,
    Failed { code: String, message: String },
    Pending,
}

/// Wallets for this payment in this environment, the ones that can pay first.
pub fn rank_wallets(payment: &Payment, env: &Environment) -> Vec<WalletChoice> {
    let _ = payment;
    vec![WalletChoice { wallet: WalletId::Sandbox, available: env.has_sandbox_wallet, reason: None }]
}
