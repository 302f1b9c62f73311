//! The one result every wallet bridge maps into ([`Outcome`]), with a typed failure code
//! ([`FailureCode`]) and the picker's typed reasons ([`Reason`]).
//!
//! On the wire (the `outcome` of the `interpay:*` events, the merchant contract) both are plain
//! snake_case strings: `{"status": "failed", "code": "bad_wallet_params", "message": "…"}`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The one result type every bridge maps into. Success is only final once the merchant confirms it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    Succeeded,
    Cancelled,
    Failed { code: FailureCode, message: String },
    Pending,
}

impl Outcome {
    pub fn failed(code: FailureCode, message: impl Into<String>) -> Outcome {
        Outcome::Failed { code, message: message.into() }
    }
}

/// Who a failure comes from: it decides what the shopper is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureSource {
    /// The widget could not reach the merchant's server.
    Network,
    /// The merchant's server refused or garbled the order.
    Order,
    /// The merchant's status endpoint says the payment did not go through.
    Merchant,
    /// The page could not drive the wallet (missing bridge, bad parameters, exception…).
    Bridge,
    /// The wallet itself declined or failed.
    Wallet,
}

macro_rules! failure_codes {
    ($( $(#[$doc:meta])* $variant:ident = $wire:literal => $source:ident, )*) => {
        /// Why a payment did not go through. Known codes are variants; a merchant's order-refusal
        /// code and a wallet's own code are carried as they came ([`FailureCode::OrderRefused`],
        /// [`FailureCode::Wallet`]).
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum FailureCode {
            $( $(#[$doc])* $variant, )*
            /// The merchant refused to create the order: its API error code (`amount_mismatch`,
            /// `wallet_not_supported`, `http_502`…).
            OrderRefused(String),
            /// A wallet-specific code (`card_declined`, `invalid_appid`, `alipay_1234`…).
            Wallet(String),
        }

        impl FailureCode {
            /// Every code with a fixed name.
            pub const KNOWN: &'static [FailureCode] = &[$( FailureCode::$variant, )*];

            /// The wire string.
            pub fn as_str(&self) -> &str {
                match self {
                    $( FailureCode::$variant => $wire, )*
                    FailureCode::OrderRefused(c) | FailureCode::Wallet(c) => c,
                }
            }

            /// A wire string read back: a known name, else a wallet's own code.
            pub fn from_wire(s: &str) -> FailureCode {
                match s {
                    $( $wire => FailureCode::$variant, )*
                    other => FailureCode::Wallet(other.to_string()),
                }
            }

            pub fn source(&self) -> FailureSource {
                match self {
                    $( FailureCode::$variant => FailureSource::$source, )*
                    FailureCode::OrderRefused(_) => FailureSource::Order,
                    FailureCode::Wallet(_) => FailureSource::Wallet,
                }
            }
        }
    };
}

failure_codes! {
    /// No answer from the merchant's order endpoint (offline, timeout).
    NetworkError = "network_error" => Network,
    /// The merchant's 2xx answer is not an order.
    BadOrderResponse = "bad_order_response" => Order,
    /// The merchant's status endpoint says `failed`.
    MerchantFailed = "merchant_failed" => Merchant,
    /// The merchant's status endpoint says `declined` (or its completion endpoint refused a Payment
    /// Request response).
    MerchantDeclined = "merchant_declined" => Merchant,
    /// The merchant's status endpoint says `expired`.
    MerchantExpired = "merchant_expired" => Merchant,
    /// The wallet's JS API is not on this page.
    BridgeMissing = "bridge_missing" => Bridge,
    /// The wallet's JS API threw.
    BridgeException = "bridge_exception" => Bridge,
    /// The wallet answered something unreadable.
    BadBridgeResponse = "bad_bridge_response" => Bridge,
    /// The merchant's `wallet_params` lack what the wallet API needs.
    BadWalletParams = "bad_wallet_params" => Bridge,
    /// The wallet answered a status nobody documents.
    UnknownResult = "unknown_result" => Bridge,
    /// No bridge for this wallet id.
    UnknownWallet = "unknown_wallet" => Bridge,
    /// `wx.miniProgram.navigateTo` failed.
    NavigateFailed = "navigate_failed" => Bridge,
    /// A payment link opened no app.
    AppNotOpened = "app_not_opened" => Bridge,
    /// No Payment Request handler can pay.
    NoPaymentHandler = "no_payment_handler" => Bridge,
    /// The browser does not allow the payment here (Payment Request `SecurityError`).
    NotAllowed = "not_allowed" => Bridge,
    /// Another payment sheet is showing.
    Busy = "busy" => Bridge,
    /// Payment Request `show()` without a user activation.
    NeedsUserGesture = "needs_user_gesture" => Bridge,
    /// Another Payment Request error.
    PaymentRequestError = "payment_request_error" => Bridge,
    /// JSAPI payment inside a mini-program web-view: the mini-program must pay.
    UseMiniProgramPayment = "use_mini_program_payment" => Bridge,
    /// The wallet says the payment failed (Alipay 4000…).
    PaymentFailed = "payment_failed" => Wallet,
    /// The wallet saw this request already (Alipay 5000).
    DuplicateRequest = "duplicate_request" => Wallet,
    /// The wallet says "fail" without a reason.
    Fail = "fail" => Wallet,
}

impl std::fmt::Display for FailureCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for FailureCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FailureCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(FailureCode::from_wire(&String::deserialize(d)?))
    }
}

/// Why a wallet row of the picker cannot pay here (each one is a message in the widget).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Open this page in WeChat to pay with WeChat Pay.
    OpenInWechat,
    /// Open the merchant's WeChat mini-program to pay.
    OpenInWechatMiniProgram,
    /// Inside a mini-program web-view the in-app (JSAPI / AlipayJSBridge) payment is refused: use the mini-program row.
    UseMiniProgramPayment,
    /// The page runs in a WeChat mini-program but did not load the WeChat JS-SDK (`wx.miniProgram`).
    WechatJssdkMissing,
    /// Open this page in the Alipay app.
    OpenInAlipay,
    /// Open the merchant's Alipay mini-program.
    OpenInAlipayMiniProgram,
    /// In an Alipay mini-program web-view without `https://appx/web-view.min.js` (`my`).
    AlipayJssdkMissing,
    /// Open this page in UnionPay's Cloud QuickPass (云闪付) app.
    OpenInUnionpayApp,
    /// In Cloud QuickPass but the page did not load `upsdk.js`.
    UnionpaySdkMissing,
    /// This browser has no Payment Request API / payment handler.
    NoPaymentHandler,
    /// In-app browsers block links to other apps: open the page in the phone's browser.
    OpenInMobileBrowser,
    /// App hand-off needs a phone.
    OpenOnPhone,
    /// This wallet cannot pay this kind of code.
    NotSupportedForScheme,
    /// The sandbox wallet script is not on this page.
    SandboxNotLoaded,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_codes_are_plain_strings_on_the_wire() {
        for code in FailureCode::KNOWN {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, serde_json::Value::String(code.as_str().into()));
            assert_eq!(&FailureCode::from_wire(code.as_str()), code, "{code} reads back");
        }
        let o = Outcome::failed(FailureCode::Wallet("card_declined".into()), "Declined");
        let json = serde_json::to_value(&o).unwrap();
        assert_eq!(json, serde_json::json!({"status": "failed", "code": "card_declined", "message": "Declined"}));
        assert_eq!(serde_json::from_value::<Outcome>(json).unwrap(), o);
        assert_eq!(FailureCode::OrderRefused("amount_mismatch".into()).as_str(), "amount_mismatch");
        assert_eq!(FailureCode::OrderRefused("x".into()).source(), FailureSource::Order);
        assert_eq!(FailureCode::MerchantExpired.source(), FailureSource::Merchant);
        assert_eq!(FailureCode::from_wire("merchant_failed"), FailureCode::MerchantFailed);
    }

    #[test]
    fn reasons_are_snake_case() {
        assert_eq!(serde_json::to_value(Reason::NotSupportedForScheme).unwrap(), "not_supported_for_scheme");
        assert_eq!(serde_json::from_str::<Reason>("\"open_in_wechat\"").unwrap(), Reason::OpenInWechat);
    }
}
