//! Wallet routing: which wallets can pay a code here, and one outcome type for every bridge.
//!
//! CONTRACT (used by the widget and the sandbox merchant): [`WalletId`], [`Environment`],
//! [`WalletChoice`], [`rank_wallets`], [`Outcome`]. Pure: no web-sys.

use crate::payload::Payment;
use serde::{Deserialize, Serialize};

pub mod env;
pub mod params;
pub mod results;
pub mod routing;

pub use env::{Detected, Os};

/// Reason message keys of [`WalletChoice::reason`] (the widget's i18n tables translate them).
pub mod reasons {
    /// Open this page in WeChat to pay with WeChat Pay.
    pub const OPEN_IN_WECHAT: &str = "open_in_wechat";
    /// Open the merchant's WeChat mini-program to pay.
    pub const OPEN_IN_WECHAT_MINI_PROGRAM: &str = "open_in_wechat_mini_program";
    /// Inside a mini-program web-view the in-app (JSAPI / AlipayJSBridge) payment is refused: use the mini-program row.
    pub const USE_MINI_PROGRAM_PAYMENT: &str = "use_mini_program_payment";
    /// The page runs in a WeChat mini-program but did not load the WeChat JS-SDK (`wx.miniProgram`).
    pub const WECHAT_JSSDK_MISSING: &str = "wechat_jssdk_missing";
    /// Open this page in the Alipay app.
    pub const OPEN_IN_ALIPAY: &str = "open_in_alipay";
    /// Open the merchant's Alipay mini-program.
    pub const OPEN_IN_ALIPAY_MINI_PROGRAM: &str = "open_in_alipay_mini_program";
    /// In an Alipay mini-program web-view without `https://appx/web-view.min.js` (`my`).
    pub const ALIPAY_JSSDK_MISSING: &str = "alipay_jssdk_missing";
    /// Open this page in UnionPay's Cloud QuickPass (云闪付) app.
    pub const OPEN_IN_UNIONPAY_APP: &str = "open_in_unionpay_app";
    /// In Cloud QuickPass but the page did not load `upsdk.js`.
    pub const UNIONPAY_SDK_MISSING: &str = "unionpay_sdk_missing";
    /// This browser has no Payment Request API / payment handler.
    pub const NO_PAYMENT_HANDLER: &str = "no_payment_handler";
    /// In-app browsers block links to other apps: open the page in the phone's browser.
    pub const OPEN_IN_MOBILE_BROWSER: &str = "open_in_mobile_browser";
    /// App hand-off needs a phone.
    pub const OPEN_ON_PHONE: &str = "open_on_phone";
    /// This wallet cannot pay this kind of code.
    pub const NOT_SUPPORTED_FOR_SCHEME: &str = "not_supported_for_scheme";
    /// The sandbox wallet script is not on this page.
    pub const SANDBOX_NOT_LOADED: &str = "sandbox_not_loaded";

    /// Every key, for i18n completeness tests.
    pub const ALL: &[&str] = &[
        OPEN_IN_WECHAT, OPEN_IN_WECHAT_MINI_PROGRAM, USE_MINI_PROGRAM_PAYMENT, WECHAT_JSSDK_MISSING,
        OPEN_IN_ALIPAY, OPEN_IN_ALIPAY_MINI_PROGRAM, ALIPAY_JSSDK_MISSING, OPEN_IN_UNIONPAY_APP,
        UNIONPAY_SDK_MISSING, NO_PAYMENT_HANDLER, OPEN_IN_MOBILE_BROWSER, OPEN_ON_PHONE,
        NOT_SUPPORTED_FOR_SCHEME, SANDBOX_NOT_LOADED,
    ];
}

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
