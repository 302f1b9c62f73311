//! Wallet routing: which wallets can pay a code here, and one outcome type for every bridge.
//!
//! CONTRACT (used by the widget and the sandbox merchant): [`WalletId`], [`Environment`],
//! [`WalletChoice`], [`rank_wallets`], [`Outcome`] (with [`FailureCode`]), [`Reason`]. Pure: no web-sys.

use crate::payload::Payment;
use serde::{Deserialize, Serialize};

pub mod env;
mod outcome;
pub mod params;
pub mod results;
pub mod routing;

pub use env::{Detected, Os};
pub use outcome::{FailureCode, FailureSource, Outcome, Reason};

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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Why not, or where it could pay, for the picker.
    pub reason: Option<Reason>,
}

/// Wallets for this payment in this environment, the ones that can pay first.
/// See [`routing::rank`] for the rules.
pub fn rank_wallets(payment: &Payment, env: &Environment) -> Vec<WalletChoice> {
    routing::rank(payment, env)
}

impl WalletId {
    /// The snake_case id used on the wire (`"wechat_jsapi"`), in test ids (`wallet-option-<id>`)
    /// and by the merchant server.
    pub fn as_str(self) -> &'static str {
        match self {
            WalletId::Sandbox => "sandbox",
            WalletId::WechatJsapi => "wechat_jsapi",
            WalletId::WechatMiniProgram => "wechat_mini_program",
            WalletId::AlipayApp => "alipay_app",
            WalletId::AlipayMiniProgram => "alipay_mini_program",
            WalletId::Unionpay => "unionpay",
            WalletId::PaymentRequest => "payment_request",
            WalletId::DeepLink => "deep_link",
        }
    }

    /// Parse the wire id.
    pub fn parse(s: &str) -> Option<WalletId> {
        routing::ALL.into_iter().find(|w| w.as_str() == s)
    }
}

impl std::fmt::Display for WalletId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
