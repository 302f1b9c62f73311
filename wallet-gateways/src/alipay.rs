//! Alipay OpenAPI (merchant side), RSA2.
//!
//! As the official SDKs (alipay-sdk-java-all `AlipaySignature`, alipay-easysdk) build them:
//! - request: common parameters (`app_id`, `method`, `format=JSON`, `charset=utf-8`, `sign_type=RSA2`,
//!   `timestamp` = `yyyy-MM-dd HH:mm:ss` Beijing time, `version=1.0`, `notify_url`, `return_url`) and
//!   `biz_content` (JSON); the signed content is every non-empty parameter except `sign`, sorted by
//!   name, joined as `k=v&k=v` (raw values, not URL-encoded); `sign` = base64(SHA256withRSA(content))
//!   with the app private key;
//! - response: `{"<method with _>_response": {…}, "sign": "…"}`; the signature covers the exact text
//!   of the `*_response` value, verified with Alipay's public key;
//! - asynchronous notification (form POST): drop `sign` and `sign_type`, sort, join, verify; answer
//!   the text `success` (anything else makes Alipay retry, up to 8 times over 25 hours);
//! - public-key-certificate mode ([`crate::alipay_cert`]): every request also carries (and signs)
//!   `app_cert_sn` and `alipay_root_cert_sn`; answers carry `alipay_cert_sn`, which must name the Alipay
//!   certificate whose key we verify with (the SDKs then fetch the new one; we refuse it as unknown).

use crate::alipay_cert::CertMode;
use crate::keys::{PrivateKey, PublicKey};
use crate::{Error, Result};
use serde::Deserialize;
use serde_json::{json, value::RawValue, Value};
use std::collections::BTreeMap;

pub const LIVE_GATEWAY: &str = "https://openapi.alipay.com/gateway.do";
/// The body a merchant answers a verified notification with.
pub const NOTIFY_SUCCESS: &str = "success";

#[derive(Debug, Clone)]
pub struct AlipayConfig {
    pub app_id: String,
    pub private_key: PrivateKey,
    /// Alipay's public key (not the app's own).
    pub alipay_public_key: PublicKey,
    pub gateway: String,
    /// Public-key-certificate mode; `None` = public-key mode.
    pub cert_mode: Option<CertMode>,
}

impl AlipayConfig {
    /// `INTERPAY_ALIPAY_APP_ID`, `INTERPAY_ALIPAY_KEY_FILE` (app private key, PEM or Alipay's bare
    /// base64), `INTERPAY_ALIPAY_GATEWAY`, and Alipay's key: either `INTERPAY_ALIPAY_PUBLIC_KEY_FILE`
    /// (public-key mode) or the certificates of public-key-certificate mode,
    /// `INTERPAY_ALIPAY_APP_CERT_FILE` (`appCertPublicKey_<appid>.crt`), `INTERPAY_ALIPAY_ROOT_CERT_FILE`
    /// (`alipayRootCert.crt`) and `INTERPAY_ALIPAY_CERT_FILE` (`alipayCertPublicKey_RSA2.crt`).
    pub fn from_env() -> Result<AlipayConfig> {
        let get = |n: &str| std::env::var(n).ok().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let need = |n: &str| get(n).ok_or_else(|| Error::Config(format!("{n} is not set")));
        let read = |n: &str| -> Result<String> {
            let p = need(n)?;
            std::fs::read_to_string(&p).map_err(|e| Error::Config(format!("{n}: cannot read {p}: {e}")))
        };
        let (alipay_public_key, cert_mode) = if get("INTERPAY_ALIPAY_APP_CERT_FILE").is_some() {
            let (mode, key) = CertMode::from_pems(&read("INTERPAY_ALIPAY_APP_CERT_FILE")?, &read("INTERPAY_ALIPAY_ROOT_CERT_FILE")?, &read("INTERPAY_ALIPAY_CERT_FILE")?)?;
            (key, Some(mode))
        } else {
            (PublicKey::from_pem(&read("INTERPAY_ALIPAY_PUBLIC_KEY_FILE")?)?, None)
        };
        Ok(AlipayConfig {
            app_id: need("INTERPAY_ALIPAY_APP_ID")?,
            private_key: PrivateKey::from_pem(&read("INTERPAY_ALIPAY_KEY_FILE")?)?,
            alipay_public_key,
            gateway: get("INTERPAY_ALIPAY_GATEWAY").unwrap_or_else(|| LIVE_GATEWAY.into()),
            cert_mode,
        })
    }
}

/// The content Alipay signs: non-empty values, `exclude` keys left out, sorted by key, `k=v&…`.
pub fn sign_content(params: &BTreeMap<String, String>, exclude: &[&str]) -> String {
    params
        .iter()
        .filter(|(k, v)| !k.is_empty() && !v.is_empty() && !exclude.contains(&k.as_str()))
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Verify an asynchronous notification's form fields with Alipay's public key (`sign_type` must be RSA2).
pub fn verify_notification_params(key: &PublicKey, params: &BTreeMap<String, String>) -> Result<()> {
    if params.get("sign_type").map(String::as_str) != Some("RSA2") {
        return Err(Error::Signature("sign_type is not RSA2".into()));
    }
    let sign = params.get("sign").ok_or_else(|| Error::Signature("no sign".into()))?;
    if !key.verify(sign_content(params, &["sign", "sign_type"]).as_bytes(), sign) {
        return Err(Error::Signature("notification sign".into()));
    }
    Ok(())
}

/// The response key of a method: `alipay.trade.create` → `alipay_trade_create_response`.
pub fn response_key(method: &str) -> String {
    format!("{}_response", method.replace('.', "_"))
}

/// Verify a gateway answer and return its `*_response` object. An error answer (`code` ≠ 10000) is
/// [`Error::Vendor`] with `sub_code` / `sub_msg`; Alipay leaves some error answers unsigned
/// (e.g. a bad app id), those are vendor errors too, never trusted as successes.
pub fn verify_response(key: &PublicKey, method: &str, text: &str) -> Result<Value> {
    let map: BTreeMap<String, Box<RawValue>> = serde_json::from_str(text).map_err(|e| Error::BadResponse(format!("not JSON: {e}")))?;
    let raw = map
        .get(&response_key(method))
        .or_else(|| map.get("error_response"))
        .ok_or_else(|| Error::BadResponse(format!("no {}", response_key(method))))?;
    let body: Value = serde_json::from_str(raw.get()).map_err(|e| Error::BadResponse(e.to_string()))?;
    let sign: Option<String> = map.get("sign").and_then(|s| serde_json::from_str(s.get()).ok());
    let code = body["code"].as_str().unwrap_or("");
    let vendor_err = || Error::Vendor {
        vendor: "alipay",
        status: 200,
        code: body["sub_code"].as_str().or(body["code"].as_str()).unwrap_or("").to_string(),
        message: body["sub_msg"].as_str().or(body["msg"].as_str()).unwrap_or("").chars().take(300).collect(),
    };
    match sign {
        Some(s) if key.verify(raw.get().as_bytes(), &s) => {}
        _ if code != "10000" && !code.is_empty() => return Err(vendor_err()),
        Some(_) => return Err(Error::Signature(format!("{} sign", response_key(method)))),
        None => return Err(Error::Signature("unsigned answer".into())),
    }
    // oauth.token answers have no code on success.
    if !code.is_empty() && code != "10000" {
        return Err(vendor_err());
    }
    Ok(body)
}

/// [`verify_response`], and in public-key-certificate mode the answer's `alipay_cert_sn` must be
/// `expected_cert_sn` (the certificate whose key verified it).
pub fn verify_response_cert(key: &PublicKey, method: &str, text: &str, expected_cert_sn: &str) -> Result<Value> {
    let body = verify_response(key, method, text)?;
    #[derive(Deserialize)]
    struct Sn {
        alipay_cert_sn: Option<String>,
    }
    let sn: Sn = serde_json::from_str(text).map_err(|e| Error::BadResponse(format!("not JSON: {e}")))?;
    match sn.alipay_cert_sn {
        Some(s) if s == expected_cert_sn => Ok(body),
        Some(s) => Err(Error::UnknownSerial(s)),
        None => Err(Error::Signature("no alipay_cert_sn in a certificate-mode answer".into())),
    }
}

/// `alipay.trade.create` arguments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TradeCreate {
    pub out_trade_no: String,
    /// Yuan, two decimals ("88.88").
    pub total_amount: String,
    pub subject: String,
    /// The shopper (open-id mode); `buyer_id` (2088…) for apps in user-id mode.
    pub buyer_open_id: Option<String>,
    pub buyer_id: Option<String>,
    /// The mini-program's app id when it is not the calling app (`op_app_id`).
    pub op_app_id: Option<String>,
    /// `JSAPI_PAY` for mini-programs, `FACE_TO_FACE_PAYMENT` default.
    pub product_code: Option<String>,
    pub notify_url: Option<String>,
}

/// A trade as `alipay.trade.query` describes it.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
pub struct Trade {
    #[serde(default)]
    pub trade_no: String,
    #[serde(default)]
    pub out_trade_no: String,
    /// WAIT_BUYER_PAY, TRADE_CLOSED, TRADE_SUCCESS, TRADE_FINISHED.
    #[serde(default)]
    pub trade_status: String,
    #[serde(default)]
    pub total_amount: String,
    #[serde(default)]
    pub buyer_open_id: Option<String>,
}

/// A verified asynchronous notification.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub notify_id: String,
    pub app_id: String,
    pub out_trade_no: String,
    pub trade_no: String,
    pub trade_status: String,
    pub total_amount: String,
}

#[derive(Debug, Clone)]
pub struct Alipay {
    pub cfg: AlipayConfig,
    http: reqwest::Client,
}

impl Alipay {
    pub fn new(cfg: AlipayConfig) -> Result<Alipay> {
        Ok(Alipay { cfg, http: crate::http_client()? })
    }

    /// The signed parameters of a call (`extra`: common parameters such as `notify_url`, `return_url`,
    /// or the top-level ones of `alipay.system.oauth.token`).
    pub fn signed_params(&self, method: &str, biz: Option<&Value>, extra: &[(&str, &str)], timestamp: i64) -> Result<BTreeMap<String, String>> {
        let mut p = BTreeMap::new();
        for (k, v) in [("app_id", self.cfg.app_id.as_str()), ("method", method), ("format", "JSON"), ("charset", "utf-8"), ("sign_type", "RSA2"), ("version", "1.0")] {
            p.insert(k.to_string(), v.to_string());
        }
        p.insert("timestamp".into(), crate::time::alipay_timestamp(timestamp));
        if let Some(c) = &self.cfg.cert_mode {
            p.insert("app_cert_sn".into(), c.app_cert_sn.clone());
            p.insert("alipay_root_cert_sn".into(), c.alipay_root_cert_sn.clone());
        }
        if let Some(b) = biz {
            p.insert("biz_content".into(), b.to_string());
        }
        for (k, v) in extra {
            p.insert((*k).to_string(), (*v).to_string());
        }
        let sign = self.cfg.private_key.sign(sign_content(&p, &["sign"]).as_bytes())?;
        p.insert("sign".into(), sign);
        Ok(p)
    }

    async fn call(&self, method: &str, biz: Option<&Value>, extra: &[(&str, &str)]) -> Result<Value> {
        let p = self.signed_params(method, biz, extra, crate::time::now_secs())?;
        let form = serde_urlencoded::to_string(&p).map_err(|e| Error::BadResponse(e.to_string()))?;
        let url = format!("{}?charset=utf-8", self.cfg.gateway);
        let resp = self
            .http
            .post(url)
            .header("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
            .body(form)
            .send()
            .await
            .map_err(|e| Error::Transport(e.without_url().to_string()))?;
        let status = resp.status().as_u16();
        let text = resp.text().await.map_err(|e| Error::Transport(e.without_url().to_string()))?;
        if !(200..300).contains(&status) {
            return Err(Error::Vendor { vendor: "alipay", status, code: "HTTP_ERROR".into(), message: text.chars().take(200).collect() });
        }
        match &self.cfg.cert_mode {
            Some(c) => verify_response_cert(&self.cfg.alipay_public_key, method, &text, &c.alipay_cert_sn),
            None => verify_response(&self.cfg.alipay_public_key, method, &text),
        }
    }

    /// `alipay.trade.create` → `trade_no` (the `tradeNO` of `tradePay` / `my.tradePay`).
    pub async fn trade_create(&self, t: &TradeCreate) -> Result<String> {
        let mut biz = json!({ "out_trade_no": t.out_trade_no, "total_amount": t.total_amount, "subject": t.subject });
        for (k, v) in [("buyer_open_id", &t.buyer_open_id), ("buyer_id", &t.buyer_id), ("op_app_id", &t.op_app_id), ("product_code", &t.product_code)] {
            if let Some(v) = v {
                biz[k] = json!(v);
            }
        }
        let notify = t.notify_url.clone().unwrap_or_default();
        let v = self.call("alipay.trade.create", Some(&biz), &[("notify_url", &notify)]).await?;
        v["trade_no"].as_str().map(str::to_string).ok_or_else(|| Error::BadResponse("no trade_no".into()))
    }

    /// `alipay.trade.wap.pay`: the signed gateway URL the shopper's browser opens (a page call: no
    /// server-to-server request). `return_url` and `notify_url` are inside the signature.
    pub fn wap_pay_url(&self, out_trade_no: &str, total_amount: &str, subject: &str, return_url: &str, notify_url: &str, quit_url: Option<&str>) -> Result<String> {
        let mut biz = json!({ "out_trade_no": out_trade_no, "total_amount": total_amount, "subject": subject, "product_code": "QUICK_WAP_WAY" });
        if let Some(q) = quit_url {
            biz["quit_url"] = json!(q);
        }
        let p = self.signed_params("alipay.trade.wap.pay", Some(&biz), &[("return_url", return_url), ("notify_url", notify_url)], crate::time::now_secs())?;
        let q = serde_urlencoded::to_string(&p).map_err(|e| Error::BadResponse(e.to_string()))?;
        Ok(format!("{}?{q}", self.cfg.gateway))
    }

    /// `alipay.trade.query` by `out_trade_no`.
    pub async fn query(&self, out_trade_no: &str) -> Result<Trade> {
        let v = self.call("alipay.trade.query", Some(&json!({ "out_trade_no": out_trade_no })), &[]).await?;
        serde_json::from_value(v).map_err(|e| Error::BadResponse(e.to_string()))
    }

    /// `alipay.trade.close` by `out_trade_no`.
    pub async fn close(&self, out_trade_no: &str) -> Result<()> {
        self.call("alipay.trade.close", Some(&json!({ "out_trade_no": out_trade_no })), &[]).await.map(|_| ())
    }

    /// `my.getAuthCode` code → the shopper's id (`open_id`, or `user_id` for apps in user-id mode)
    /// via `alipay.system.oauth.token`. The access token is dropped.
    pub async fn oauth_open_id(&self, auth_code: &str) -> Result<String> {
        let v = self.call("alipay.system.oauth.token", None, &[("grant_type", "authorization_code"), ("code", auth_code)]).await?;
        v["open_id"].as_str().or(v["user_id"].as_str()).map(str::to_string).ok_or_else(|| Error::BadResponse("no open_id".into()))
    }

    /// Verify an asynchronous notification (`application/x-www-form-urlencoded` body): signed by
    /// Alipay, for this app.
    pub fn notification(&self, form_body: &str) -> Result<Notification> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(form_body).map_err(|e| Error::BadResponse(format!("form: {e}")))?;
        let p: BTreeMap<String, String> = pairs.into_iter().collect();
        verify_notification_params(&self.cfg.alipay_public_key, &p)?;
        let g = |k: &str| p.get(k).cloned().unwrap_or_default();
        if g("app_id") != self.cfg.app_id {
            return Err(Error::BadResponse("notification for another app".into()));
        }
        Ok(Notification {
            notify_id: g("notify_id"),
            app_id: g("app_id"),
            out_trade_no: g("out_trade_no"),
            trade_no: g("trade_no"),
            trade_status: g("trade_status"),
            total_amount: g("total_amount"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_content_rules() {
        let mut p = BTreeMap::new();
        for (k, v) in [("sign", "S"), ("sign_type", "RSA2"), ("b", "2"), ("a", "1"), ("empty", ""), ("biz_content", "{\"x\":\"a&b\"}")] {
            p.insert(k.to_string(), v.to_string());
        }
        assert_eq!(sign_content(&p, &["sign"]), "a=1&b=2&biz_content={\"x\":\"a&b\"}&sign_type=RSA2");
        assert_eq!(sign_content(&p, &["sign", "sign_type"]), "a=1&b=2&biz_content={\"x\":\"a&b\"}");
        assert_eq!(response_key("alipay.trade.create"), "alipay_trade_create_response");
    }

    #[test]
    fn response_text_is_verified_verbatim() {
        let alipay = PrivateKey::from_pem(include_str!("mock/keys/alipay_platform.key.pem")).unwrap();
        let pk = alipay.public_key();
        // Spacing and key order as Alipay sent them: the signature is over these exact bytes.
        let inner = r#"{"code":"10000","msg":"Success","out_trade_no":"o1", "trade_no":"2013112011001004330000121536"}"#;
        let text = format!(r#"{{"alipay_trade_create_response":{inner},"sign":"{}"}}"#, alipay.sign(inner.as_bytes()).unwrap());
        assert_eq!(verify_response(&pk, "alipay.trade.create", &text).unwrap()["trade_no"], "2013112011001004330000121536");
        assert!(matches!(verify_response(&pk, "alipay.trade.create", &text.replace("121536", "121537")), Err(Error::Signature(_))));
        assert!(matches!(verify_response(&pk, "alipay.trade.query", &text), Err(Error::BadResponse(_))));
        let err = r#"{"alipay_trade_create_response":{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_HAS_SUCCESS","sub_msg":"交易已被支付"}}"#;
        assert!(matches!(verify_response(&pk, "alipay.trade.create", err), Err(Error::Vendor { code, .. }) if code == "ACQ.TRADE_HAS_SUCCESS"));
    }
}
