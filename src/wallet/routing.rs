//! Which wallet family can pay which scheme, and in which environment. Conservative: a wallet is
//! offered for a scheme only when it can settle that scheme's payment through a public interface.
//!
//! The model: the merchant's server creates the order in the wallet's system (see
//! docs/merchant-contract.md), so "WeChat can pay a WeChat Pay code" means "the merchant behind a
//! `wxp://` code can create a WeChat Pay order". Cross-network interconnection (e.g. WeChat or Alipay
//! scanning UnionPay codes, pilots announced by the PBoC since 2023) depends on the acquirer's set-up
//! and is not assumed.

use super::{Environment, Reason, WalletChoice, WalletId};
use crate::payload::Payment;

/// Every wallet family, in the order the picker shows equally ranked rows: the wallet whose own app
/// the shopper is in comes first, the sandbox last.
pub const ALL: [WalletId; 8] = [
    WalletId::WechatMiniProgram,
    WalletId::WechatJsapi,
    WalletId::AlipayMiniProgram,
    WalletId::AlipayApp,
    WalletId::Unionpay,
    WalletId::PaymentRequest,
    WalletId::DeepLink,
    WalletId::Sandbox,
];

/// Does `wallet` settle payments of scheme `scheme` (a [`crate::payload::Scheme::id`])?
pub fn supports_scheme(wallet: WalletId, scheme: &str) -> bool {
    match wallet {
        // The demo wallet pays anything: it only exists to exercise the flow.
        WalletId::Sandbox => true,
        // `wxp://` / WeChat Pay merchant codes: only WeChat Pay settles them.
        WalletId::WechatJsapi | WalletId::WechatMiniProgram => scheme == "wechat_pay",
        // Alipay merchant codes (`https://qr.alipay.com/…`, Alipay EMVCo profile).
        WalletId::AlipayApp | WalletId::AlipayMiniProgram => scheme == "alipay",
        // UnionPay QR (EMVCo tag 15 / `https://qr.95516.com/…`): Cloud QuickPass and the bank apps
        // built on UnionPay's QR standard; `tn` orders are created through UnionPay's gateway.
        WalletId::Unionpay => scheme == "unionpay",
        // A web payment handler exists for cards (Google Pay, Apple Pay via the card networks) and
        // for UPI (`https://tez.google.com/pay` method on Android). Nothing else is public.
        WalletId::PaymentRequest => {
            matches!(scheme, "visa" | "mastercard" | "amex" | "discover" | "jcb" | "upi")
        }
        // Public, standard URI schemes that any installed wallet app registers, plus the hosted
        // mobile-web checkouts of WeChat Pay (H5 `h5_url`) and Alipay (`alipay.trade.wap.pay`).
        WalletId::DeepLink => {
            matches!(scheme, "upi" | "bitcoin" | "lightning" | "ethereum" | "wechat_pay" | "alipay")
        }
    }
}

fn pays(wallet: WalletId, payment: &Payment) -> bool {
    wallet == WalletId::Sandbox || payment.schemes.iter().any(|s| supports_scheme(wallet, &s.id))
}

/// Can `wallet` be driven in `env` (ignoring the scheme)? `Err(reason)` when not.
pub fn availability(wallet: WalletId, env: &Environment) -> Result<(), Reason> {
    let d = env.detect();
    match wallet {
        WalletId::Sandbox => env.has_sandbox_wallet.then_some(()).ok_or(Reason::SandboxNotLoaded),
        WalletId::WechatJsapi => {
            if d.wechat_mini_program {
                // JSAPI payment is refused inside a mini-program web-view: the mini-program pays.
                Err(Reason::UseMiniProgramPayment)
            } else if d.wechat {
                // `WeixinJSBridge` is injected asynchronously: the UA decides, the bridge waits for it.
                Ok(())
            } else {
                Err(Reason::OpenInWechat)
            }
        }
        WalletId::WechatMiniProgram => {
            if !d.wechat_mini_program {
                Err(Reason::OpenInWechatMiniProgram)
            } else if !env.has_wx_mini_program {
                Err(Reason::WechatJssdkMissing)
            } else {
                Ok(())
            }
        }
        WalletId::AlipayApp => {
            if d.alipay_mini_program {
                Err(Reason::UseMiniProgramPayment)
            } else if d.alipay {
                Ok(())
            } else {
                Err(Reason::OpenInAlipay)
            }
        }
        WalletId::AlipayMiniProgram => {
            if !d.alipay_mini_program {
                Err(Reason::OpenInAlipayMiniProgram)
            } else if !env.has_my_mini_program {
                Err(Reason::AlipayJssdkMissing)
            } else {
                Ok(())
            }
        }
        WalletId::Unionpay => {
            // upsdk.pay works inside the UnionPay app only: `window.upsdk` in a plain browser is not enough.
            if d.unionpay && env.has_unionpay_bridge {
                Ok(())
            } else if d.unionpay {
                Err(Reason::UnionpaySdkMissing)
            } else {
                Err(Reason::OpenInUnionpayApp)
            }
        }
        // Whether a handler can pay is only known from `canMakePayment()` (async): the bridge asks.
        WalletId::PaymentRequest => env.has_payment_request.then_some(()).ok_or(Reason::NoPaymentHandler),
        WalletId::DeepLink => {
            if d.plain_mobile_browser {
                Ok(())
            } else if d.mobile {
                // WeChat and Alipay in-app browsers block links to other apps.
                Err(Reason::OpenInMobileBrowser)
            } else {
                Err(Reason::OpenOnPhone)
            }
        }
    }
}

/// Wallets for this payment in this environment: available ones first (in [`ALL`] order), then the
/// ones that could pay this code elsewhere (with the reason saying where), then the ones that
/// cannot pay this scheme at all (`not_supported_for_scheme`).
pub fn rank(payment: &Payment, env: &Environment) -> Vec<WalletChoice> {
    let mut now = Vec::new();
    let mut elsewhere = Vec::new();
    let mut never = Vec::new();
    for wallet in ALL {
        // The demo wallet is only offered where it is loaded; real shoppers never see it.
        if wallet == WalletId::Sandbox && !env.has_sandbox_wallet {
            continue;
        }
        if !pays(wallet, payment) {
            never.push(WalletChoice {
                wallet,
                available: false,
                reason: Some(Reason::NotSupportedForScheme),
            });
            continue;
        }
        match availability(wallet, env) {
            Ok(()) => now.push(WalletChoice { wallet, available: true, reason: None }),
            Err(r) => elsewhere.push(WalletChoice { wallet, available: false, reason: Some(r) }),
        }
    }
    now.extend(elsewhere);
    now.extend(never);
    now
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wallet::env::tests as ua;
    use serde_json::json;

    fn payment(schemes: &[&str]) -> Payment {
        let schemes: Vec<_> = schemes.iter().map(|s| json!({"id": s, "name": s})).collect();
        serde_json::from_value(json!({
            "format": "emv_mpm", "schemes": schemes,
            "payee": {"name": "Shop", "city": null, "country": null, "postal_code": null, "name_alt": null,
                      "city_alt": null, "language_alt": null, "mcc": null, "accounts": []},
            "amount": "12.30", "currency": null, "initiation": "dynamic",
            "references": {"bill_number": null, "reference": null, "order": null, "txid": null,
                           "terminal": null, "purpose": null, "url": null},
            "tip": null, "warnings": [], "tlv": null
        }))
        .expect("test payment")
    }

    fn env(ua: &str) -> Environment {
        Environment { user_agent: ua.into(), ..Default::default() }
    }

    fn row(r: &[WalletChoice], w: WalletId) -> WalletChoice {
        r.iter().find(|c| c.wallet == w).cloned().expect("row")
    }

    #[test]
    fn wechat_code_in_wechat_browser() {
        let r = rank(&payment(&["wechat_pay"]), &env(ua::WECHAT_IOS));
        assert_eq!(r[0], WalletChoice { wallet: WalletId::WechatJsapi, available: true, reason: None });
        assert_eq!(row(&r, WalletId::WechatMiniProgram).reason, Some(Reason::OpenInWechatMiniProgram));
        assert_eq!(row(&r, WalletId::AlipayApp).reason, Some(Reason::NotSupportedForScheme));
        // Deep links are blocked in WeChat.
        assert_eq!(row(&r, WalletId::DeepLink).reason, Some(Reason::OpenInMobileBrowser));
        // No sandbox row unless the sandbox wallet is loaded.
        assert!(r.iter().all(|c| c.wallet != WalletId::Sandbox));
        // Available rows strictly before unavailable ones.
        let first_unavailable = r.iter().position(|c| !c.available).unwrap_or(r.len());
        assert!(r[first_unavailable..].iter().all(|c| !c.available));
    }

    #[test]
    fn wechat_code_in_mini_program_needs_jssdk() {
        let mut e = env(ua::WECHAT_ANDROID_MP);
        let r = rank(&payment(&["wechat_pay"]), &e);
        assert_eq!(row(&r, WalletId::WechatMiniProgram).reason, Some(Reason::WechatJssdkMissing));
        assert_eq!(row(&r, WalletId::WechatJsapi).reason, Some(Reason::UseMiniProgramPayment));
        e.has_wx_mini_program = true;
        let r = rank(&payment(&["wechat_pay"]), &e);
        assert_eq!(r[0].wallet, WalletId::WechatMiniProgram);
        assert!(r[0].available);
    }

    #[test]
    fn wechat_code_elsewhere_explains() {
        let r = rank(&payment(&["wechat_pay"]), &env(ua::SAFARI_IOS));
        assert_eq!(r[0], WalletChoice { wallet: WalletId::DeepLink, available: true, reason: None });
        assert_eq!(row(&r, WalletId::WechatJsapi).reason, Some(Reason::OpenInWechat));
        let r = rank(&payment(&["wechat_pay"]), &env(ua::DESKTOP));
        assert!(r.iter().all(|c| !c.available));
        assert_eq!(row(&r, WalletId::DeepLink).reason, Some(Reason::OpenOnPhone));
    }

    #[test]
    fn alipay_code_in_alipay() {
        let r = rank(&payment(&["alipay"]), &env(ua::ALIPAY_ANDROID));
        assert_eq!(r[0].wallet, WalletId::AlipayApp);
        assert!(r[0].available);
        let mut e = env(ua::ALIPAY_MP);
        e.has_my_mini_program = true;
        let r = rank(&payment(&["alipay"]), &e);
        assert_eq!(r[0].wallet, WalletId::AlipayMiniProgram);
        assert_eq!(row(&r, WalletId::AlipayApp).reason, Some(Reason::UseMiniProgramPayment));
        // WeChat cannot pay an Alipay code, even inside WeChat.
        let r = rank(&payment(&["alipay"]), &env(ua::WECHAT_IOS));
        assert_eq!(row(&r, WalletId::WechatJsapi).reason, Some(Reason::NotSupportedForScheme));
        assert_eq!(row(&r, WalletId::AlipayApp).reason, Some(Reason::OpenInAlipay));
    }

    #[test]
    fn unionpay_code() {
        let p = payment(&["unionpay", "emvco"]);
        let r = rank(&p, &env(ua::UNIONPAY_ANDROID));
        assert_eq!(row(&r, WalletId::Unionpay).reason, Some(Reason::UnionpaySdkMissing));
        let mut e = env(ua::UNIONPAY_ANDROID);
        e.has_unionpay_bridge = true;
        let r = rank(&p, &e);
        assert_eq!(r[0], WalletChoice { wallet: WalletId::Unionpay, available: true, reason: None });
        // Conservative: WeChat/Alipay interconnection with UnionPay QR is not assumed.
        let r = rank(&p, &env(ua::WECHAT_IOS));
        assert_eq!(row(&r, WalletId::WechatJsapi).reason, Some(Reason::NotSupportedForScheme));
        assert_eq!(row(&r, WalletId::Unionpay).reason, Some(Reason::OpenInUnionpayApp));
        let mut chrome = env(ua::CHROME_ANDROID);
        chrome.has_unionpay_bridge = true;
        assert_eq!(row(&rank(&p, &chrome), WalletId::Unionpay).reason, Some(Reason::OpenInUnionpayApp), "upsdk.js in Chrome");
    }

    #[test]
    fn payment_request_and_deep_links() {
        let mut e = env(ua::CHROME_ANDROID);
        e.has_payment_request = true;
        let r = rank(&payment(&["upi"]), &e);
        assert_eq!(r[0].wallet, WalletId::PaymentRequest);
        assert_eq!(r[1].wallet, WalletId::DeepLink);
        assert!(r[0].available && r[1].available);
        let r = rank(&payment(&["visa"]), &env(ua::DESKTOP));
        assert_eq!(row(&r, WalletId::PaymentRequest).reason, Some(Reason::NoPaymentHandler));
        let r = rank(&payment(&["lightning"]), &env(ua::SAFARI_IOS));
        assert!(row(&r, WalletId::DeepLink).available);
        // PIX / SEPA: no public web wallet interface.
        let r = rank(&payment(&["pix"]), &e);
        assert!(r.iter().all(|c| c.reason == Some(Reason::NotSupportedForScheme)));
    }

    #[test]
    fn sandbox_pays_everything_last() {
        let mut e = env(ua::DESKTOP);
        e.has_sandbox_wallet = true;
        let r = rank(&payment(&["pix"]), &e);
        assert_eq!(r[0], WalletChoice { wallet: WalletId::Sandbox, available: true, reason: None });
        let mut e = env(ua::WECHAT_IOS);
        e.has_sandbox_wallet = true;
        let r = rank(&payment(&["wechat_pay"]), &e);
        assert_eq!(r[0].wallet, WalletId::WechatJsapi);
        assert_eq!(r[1].wallet, WalletId::Sandbox);
        // No schemes at all: only the sandbox.
        let r = rank(&payment(&[]), &e);
        assert_eq!(r.iter().filter(|c| c.available).count(), 1);
    }

    #[test]
    fn wallet_ids_round_trip() {
        for w in ALL {
            assert_eq!(WalletId::parse(w.as_str()), Some(w));
            assert_eq!(serde_json::to_value(w).unwrap(), json!(w.as_str()));
        }
        assert_eq!(WalletId::parse("nope"), None);
    }
}
