//! Wallet-specific order parameters the merchant server returns to the widget.
//! Real wallets need them signed server-side with the merchant's key; the key never reaches the browser.
//!
//! Each shape is the one the wallet's own API takes (see docs/merchant-contract.md, docs/wallets.md):
//! - `wechat_jsapi` / `wechat_mini_program`: WeChat Pay API v3 JSAPI / mini-program payment
//!   parameters `{appId, timeStamp, nonceStr, package: "prepay_id=…", signType: "RSA", paySign}`, where
//!   `paySign = base64(SHA256withRSA(appId + "\n" + timeStamp + "\n" + nonceStr + "\n" + package + "\n"))`
//!   signed with the merchant's API private key. Here: a sandbox RSA-2048 key that only this server
//!   holds (override with `INTERPAY_WECHAT_KEY_PKCS8` = path of a PKCS#8 DER key).
//! - `alipay_app` / `alipay_mini_program`: `{tradeNO}` (the Alipay trade number from `alipay.trade.create`).
//! - `unionpay`: `{tn}` (UnionPay gateway order number).
//! - `payment_request`: `{methodData, details}` for `new PaymentRequest(methodData, details)`.
//! - `deep_link`: `{url, return_url?}` (app hand-off with a way back; the sandbox's "app" is
//!   `www/miniprogram/sandbox-app/`).
//! - `sandbox`: `{order_id, amount, currency, merchant}`.
//!
//! Every shape also carries `order_id` (bridges use it to match a hand-off's return).

use serde_json::{json, Value};
use std::time::{SystemTime, UNIX_EPOCH};

/// The sandbox WeChat Pay app id (a real one is `wx` + 16 hex digits, issued by WeChat).
pub const SANDBOX_WECHAT_APP_ID: &str = "wx5a3d0c1e2f304b6c";
/// The sandbox merchant's display name.
pub const SANDBOX_MERCHANT: &str = "Interpay Sandbox Merchant";
/// URL-based payment method identifier of the sandbox Payment Request order (`.invalid`: RFC 2606;
/// no real payment handler answers it, so real browsers say `no_payment_handler`). Override with
/// `INTERPAY_PAYMENT_METHOD`.
pub const SANDBOX_PAYMENT_METHOD: &str = "https://pay.interpay.invalid/sandbox";
/// The mini-program page the WeChat web-view hands the order to (`www/miniprogram/wechat/`).
pub const WECHAT_PAY_PAGE: &str = "/pages/pay/pay";

/// SANDBOX ONLY: a throw-away RSA-2048 key (PKCS#8 DER, base64) standing in for the merchant's WeChat
/// Pay API private key. It is server-side only and signs nothing real.
const SANDBOX_WECHAT_KEY_PKCS8_B64: &str = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDXVP6VYRwX1NAwrVMjPO/XgGrFgnbGYwCoeta9jJnNNlx7nWCbi21ka0YJCE9+FkGeXQXEUhOQdAUMSEtYJp0jRaMKMDDujaNQumEDkBdOvQFkMd4XQ1v0vXeSV4qQ+E19uHPMNeqyezKlrXEKUlLqVlPAasV5GIuwd8lCWUfcOq6H64Ko46pQULqyhCE7pN3IXAnuwK+OV7efDoVAvnlSgWYgzBAMtsHKJ9GrOQD3FyKPOFyZ2m45czDkSiULfb/37UM+1cdP8r6MrgRyi+nEL8C3y3ek2TGUbFzOQP+pUCy7xTrC8rozI5S9jhqJZ3RdGkakHsCPvfrtjfgs7XB1AgMBAAECggEAGWTd4B5zanEPu0nZddykGUk87j14ReWbiILyC6kG409PoUlaQQW0mSTYfcyz2TYFN4iXW0NlqMGx7bSh5AuruOLnuxYbUyqzcZwFQF8QDJpYDWmfHCW2tLpaXVEDF50cwGCOEW1jV/iU7LpzTAkQ269iEZ1V2/XT1XQO8UrnoVY33uL9YxvxkpwcHKBDWX0YrjNAdoL1DhFtWmdjBjgDAZaOshonHI3cndCsOj2+6fSOsdmfHOR2iKsq3uTpkwaXzMZA8RN+ydeqW7QNou137s03i1vzOPCri8H+tuNr4lrxbCf1mWTFbic6DtRSTCE9hCwTAgf9ApG4BnZHk/8/4QKBgQD0LlhoQeYxKiJS4ZcWdJtQySX4jgT9TYREDw4zp7p994zGwP9a4fnAWAK/wrXxHU5PsheFUsfi/OZ8OFJaT0ebZ1AMnB0mvXWDFqKCYX5aa9NyP+m4qumBqrnLzi1sWSmb/MniV5gzaf0L32SyKwTvUctPLaxnoC2a6CVtyMgB1QKBgQDhwS4RlHtkk/QRhc6T9OgCD4SuG4iPcsSU7ms+D1R65HSkYxeVZ0FLJ8pcacaR5L/IzkMZhfh8m7r8VNyGPzuKFU/KEnSpxO3LXmGmYv75TiMbqcpKyt83mH60ciO7AH7QCntEPFb2nJyA91Kd7Arv/CS0M+kqs81mttrr6bZkIQKBgQDxmVmH7owgYRwM/YBMi5uRVzTmtT5ikmwoGu1mVrLDKEh170e5WJWQpoQx0CnNI730RLXZCIsWIDy8880n5gFn1dTyZRTC2/qFdcPdVTF7rexMwsgyG4lm7tFeweVXqvDskjX+acUCOgBR2vr6/m2njTqoYPyQm4AEIWXHNj4O8QKBgHMdWGpqdkkhEJFm06Gqfiue0h8dtxK+iPMQZ+rrUj6gA8JXLQ1n62lxTsS0wyZdqFWyp5B6Oe0AU+abNx/VWnzcxSTbKFXxLvhGljCLxkxFxa0zdQ2SSSRGREWq9gFDDWb0EUsIIaf6z+sLMjuIw0MAJY8l8T1vFcvMbfFh6TlBAoGAROAH3NMjzoao/NZo+MrXjg9BTyZNMgPxPs0gziJMVxgM8xIRhGX43N6j8Tu7BnSamr4hxejsX8Z728pcpgYJQ+v1TSsAroJJ3HmWhM+3MkOmZ84vK1KZ4jx7w56HlKFzttKNcs1e9ilAjPGjPnlb8vqKNLETSNgrA7pmv93fCpQ=";

/// Parameters for `wallet` (a `interpay::wallet::WalletId` in snake_case) for this order.
pub fn for_wallet(wallet: &str, order_id: &str, amount: &str, currency: &str) -> Value {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    match wallet {
        "wechat_jsapi" => wechat(order_id, now, None),
        "wechat_mini_program" => wechat(order_id, now, Some(WECHAT_PAY_PAGE)),
        "alipay_app" | "alipay_mini_program" => json!({ "tradeNO": alipay_trade_no(order_id, now), "order_id": order_id }),
        "unionpay" => json!({ "tn": unionpay_tn(order_id, now), "order_id": order_id }),
        "payment_request" => {
            let method = std::env::var("INTERPAY_PAYMENT_METHOD").unwrap_or_else(|_| SANDBOX_PAYMENT_METHOD.into());
            json!({
                "methodData": [{ "supportedMethods": method, "data": { "merchant": SANDBOX_MERCHANT, "order_id": order_id } }],
                "details": {
                    "id": order_id,
                    "total": { "label": SANDBOX_MERCHANT, "amount": { "currency": currency, "value": amount } }
                },
                "order_id": order_id,
            })
        }
        "deep_link" => json!({
            // The sandbox "wallet app" page (www/miniprogram/sandbox-app/); `{return_url}` is filled
            // in by the widget with the page to come back to. A real merchant returns the wallet's own
            // link (WeChat Pay H5 `h5_url` + `&redirect_url=`, Alipay `alipay.trade.wap.pay` with
            // `return_url`, `upi://pay?…`).
            "url": format!(
                "/miniprogram/sandbox-app/?order_id={}&amount={}&currency={}&return_url={{return_url}}",
                enc(order_id), enc(amount), enc(currency)
            ),
            "order_id": order_id,
        }),
        // "sandbox" and anything else (the server validates wallet ids before calling).
        _ => json!({ "order_id": order_id, "amount": amount, "currency": currency, "merchant": SANDBOX_MERCHANT }),
    }
}

fn enc(s: &str) -> String {
    interpay::wallet::params::encode_component(s)
}

/// FNV-1a, to derive stable sandbox ids from the order id.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// `YYYYMMDDhhmmss` (UTC) for Unix seconds `t` (the gateways' civil-date helper).
fn stamp(t: u64) -> String {
    let (y, m, d, h, mi, sec) = wallet_gateways::time::civil(t as i64);
    format!("{y:04}{m:02}{d:02}{h:02}{mi:02}{sec:02}")
}

/// Alipay trade numbers are 28 digits: date, channel digits, serial.
fn alipay_trade_no(order_id: &str, now: u64) -> String {
    format!("{}2200{:016}", &stamp(now)[..8], fnv(order_id) % 10_000_000_000_000_000)
}

/// UnionPay `tn` is 21 digits: a timestamp and a serial.
fn unionpay_tn(order_id: &str, now: u64) -> String {
    format!("{}{:07}", stamp(now), fnv(order_id) % 10_000_000)
}

fn nonce() -> String {
    use ring::rand::SecureRandom;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut bytes = [0u8; 32];
    if ring::rand::SystemRandom::new().fill(&mut bytes).is_err() {
        // No OS randomness: still unique per order, never a panic.
        bytes.iter_mut().enumerate().for_each(|(i, b)| *b = (fnv(&format!("{i}{:?}", SystemTime::now())) & 0xff) as u8);
    }
    bytes.iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect()
}

fn key_pkcs8() -> Vec<u8> {
    use base64::Engine;
    if let Ok(path) = std::env::var("INTERPAY_WECHAT_KEY_PKCS8") {
        if let Ok(der) = std::fs::read(path) {
            return der;
        }
    }
    base64::engine::general_purpose::STANDARD.decode(SANDBOX_WECHAT_KEY_PKCS8_B64).unwrap_or_default()
}

/// The message WeChat Pay v3 signs for JSAPI / mini-program payment.
pub fn wechat_sign_message(app_id: &str, time_stamp: &str, nonce_str: &str, package: &str) -> String {
    format!("{app_id}\n{time_stamp}\n{nonce_str}\n{package}\n")
}

/// SHA256withRSA (PKCS#1 v1.5), base64: WeChat Pay's `signType: "RSA"`.
fn rsa_sign(message: &str) -> Result<String, String> {
    use base64::Engine;
    let key = ring::signature::RsaKeyPair::from_pkcs8(&key_pkcs8()).map_err(|e| format!("bad key: {e}"))?;
    let mut sig = vec![0u8; key.public().modulus_len()];
    key.sign(&ring::signature::RSA_PKCS1_SHA256, &ring::rand::SystemRandom::new(), message.as_bytes(), &mut sig)
        .map_err(|e| format!("signing failed: {e}"))?;
    Ok(base64::engine::general_purpose::STANDARD.encode(sig))
}

/// The sandbox key's public half (PKCS#1 RSAPublicKey DER): what WeChat would hold to verify `paySign`.
#[allow(dead_code)] // used by tests and by merchants reading this reference
pub fn wechat_public_key() -> Vec<u8> {
    use ring::signature::KeyPair;
    ring::signature::RsaKeyPair::from_pkcs8(&key_pkcs8()).map(|k| k.public_key().as_ref().to_vec()).unwrap_or_default()
}

/// Verify a `paySign` the way WeChat does (used by tests and by docs/merchant-contract.md).
#[allow(dead_code)]
pub fn verify_wechat_pay_sign(params: &Value, public_key_der: &[u8]) -> bool {
    use base64::Engine;
    let s = |k: &str| params.get(k).and_then(Value::as_str).unwrap_or("");
    let Ok(sig) = base64::engine::general_purpose::STANDARD.decode(s("paySign")) else {
        return false;
    };
    let msg = wechat_sign_message(s("appId"), s("timeStamp"), s("nonceStr"), s("package"));
    ring::signature::UnparsedPublicKey::new(&ring::signature::RSA_PKCS1_2048_8192_SHA256, public_key_der)
        .verify(msg.as_bytes(), &sig)
        .is_ok()
}

fn wechat(order_id: &str, now: u64, page: Option<&str>) -> Value {
    let time_stamp = now.to_string();
    let nonce_str = nonce();
    // Real prepay ids look like "wx201410272009395522657a690389285100" (from /v3/pay/transactions/jsapi).
    let package = format!("prepay_id=wx{}{:020x}", stamp(now), u128::from(fnv(order_id)) * 0x1_0000 + u128::from(now as u16));
    let mut v = match rsa_sign(&wechat_sign_message(SANDBOX_WECHAT_APP_ID, &time_stamp, &nonce_str, &package)) {
        Ok(pay_sign) => json!({
            "appId": SANDBOX_WECHAT_APP_ID,
            "timeStamp": time_stamp,
            "nonceStr": nonce_str,
            "package": package,
            "signType": "RSA",
            "paySign": pay_sign,
            "order_id": order_id,
        }),
        // The bridges refuse params without paySign with a clear "bad_wallet_params".
        Err(e) => json!({ "order_id": order_id, "error": { "code": "signing_failed", "message": e } }),
    };
    if let (Some(page), Some(obj)) = (page, v.as_object_mut()) {
        obj.insert("page".into(), json!(page));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(v: &Value) -> Vec<&str> {
        let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        k.sort();
        k
    }

    #[test]
    fn wechat_jsapi_shape_and_signature() {
        let v = for_wallet("wechat_jsapi", "ord_1", "12.30", "CNY");
        assert_eq!(keys(&v), ["appId", "nonceStr", "order_id", "package", "paySign", "signType", "timeStamp"]);
        assert_eq!(v["signType"], "RSA");
        assert_eq!(v["appId"], SANDBOX_WECHAT_APP_ID);
        let package = v["package"].as_str().unwrap();
        assert!(package.starts_with("prepay_id=wx") && package.len() > 30, "{package}");
        assert_eq!(v["nonceStr"].as_str().unwrap().len(), 32);
        assert!(v["timeStamp"].as_str().unwrap().parse::<u64>().unwrap() > 1_600_000_000);
        let pk = wechat_public_key();
        assert!(verify_wechat_pay_sign(&v, &pk), "paySign must verify with the sandbox public key");
        // Any tampering breaks it.
        let mut t = v.clone();
        t["package"] = json!("prepay_id=wx_other");
        assert!(!verify_wechat_pay_sign(&t, &pk));
        // Two orders never share a nonce.
        let w = for_wallet("wechat_jsapi", "ord_1", "12.30", "CNY");
        assert_ne!(v["nonceStr"], w["nonceStr"]);
        // The bridge-facing fields are exactly what interpay's bridge picks.
        assert!(interpay::wallet::params::pick(&v, interpay::wallet::params::WECHAT_JSAPI).is_ok());
    }

    #[test]
    fn wechat_mini_program_adds_page() {
        let v = for_wallet("wechat_mini_program", "ord_2", "1.00", "CNY");
        assert_eq!(v["page"], WECHAT_PAY_PAGE);
        assert!(verify_wechat_pay_sign(&v, &wechat_public_key()));
        assert!(interpay::wallet::params::pick(&v, interpay::wallet::params::WECHAT_REQUEST_PAYMENT).is_ok());
    }

    #[test]
    fn no_secret_in_any_shape() {
        for w in ["sandbox", "wechat_jsapi", "wechat_mini_program", "alipay_app", "alipay_mini_program", "unionpay", "payment_request", "deep_link"] {
            let s = for_wallet(w, "ord_3", "5.00", "CNY").to_string();
            assert!(!s.contains(&SANDBOX_WECHAT_KEY_PKCS8_B64[40..80]), "{w} leaks the key");
            assert!(!s.to_lowercase().contains("private"), "{w}: {s}");
        }
    }

    #[test]
    fn alipay_and_unionpay_numbers() {
        let v = for_wallet("alipay_app", "ord_4", "5.00", "CNY");
        let t = v["tradeNO"].as_str().unwrap();
        assert_eq!(t.len(), 28);
        assert!(t.chars().all(|c| c.is_ascii_digit()));
        assert_eq!(for_wallet("alipay_mini_program", "ord_4", "5.00", "CNY")["tradeNO"], v["tradeNO"]);
        let tn = for_wallet("unionpay", "ord_4", "5.00", "CNY")["tn"].as_str().unwrap().to_string();
        assert_eq!(tn.len(), 21);
        assert!(tn.chars().all(|c| c.is_ascii_digit()));
    }

    #[test]
    fn payment_request_and_deep_link_and_sandbox() {
        let v = for_wallet("payment_request", "ord_5", "23.72", "EUR");
        assert_eq!(v["details"]["total"]["amount"], json!({"currency": "EUR", "value": "23.72"}));
        assert!(v["methodData"][0]["supportedMethods"].as_str().unwrap().starts_with("https://"));
        let d = for_wallet("deep_link", "ord 6", "1.00", "CNY");
        let url = d["url"].as_str().unwrap();
        assert!(url.contains("order_id=ord%206") && url.ends_with("return_url={return_url}"), "{url}");
        let s = for_wallet("sandbox", "ord_7", "9.99", "CNY");
        assert_eq!(s, json!({"order_id": "ord_7", "amount": "9.99", "currency": "CNY", "merchant": SANDBOX_MERCHANT}));
    }

    #[test]
    fn stamps() {
        assert_eq!(stamp(0), "19700101000000");
        assert_eq!(stamp(1_764_118_800), "20251126010000");
        assert_eq!(stamp(951_782_400), "20000229000000");
    }
}
