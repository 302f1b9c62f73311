//! WeChat Pay API v3 (merchant side).
//!
//! Strings exactly as the official SDKs (wechatpay-apiv3/wechatpay-go, wechatpay-java) build them:
//! - request signature: `METHOD\nURL\ntimestamp\nnonce_str\nbody\n` (URL = path + query, body empty for
//!   GET), header `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",timestamp="…",serial_no="…",signature="…"`;
//! - response / notification signature: `timestamp\nnonce\nbody\n` from `Wechatpay-Timestamp`,
//!   `Wechatpay-Nonce`, `Wechatpay-Signature`, the key named by `Wechatpay-Serial` (a platform
//!   certificate serial or a `PUB_KEY_ID_…` WeChat Pay public key id);
//! - notification `resource`: AEAD_AES_256_GCM, key = the APIv3 key (32 bytes), nonce = `resource.nonce`
//!   (12 ASCII bytes), AAD = `resource.associated_data`, `ciphertext` = base64(ciphertext ‖ 16-byte tag);
//! - page `paySign`: `appId\ntimeStamp\nnonceStr\npackage\n`, SHA256withRSA, `signType: "RSA"`;
//! - platform certificates: `GET /v3/certificates` (a signed request like any other) answers
//!   `{"data":[{"serial_no","effective_time","expire_time","encrypt_certificate":{"algorithm":"AEAD_AES_256_GCM",
//!   "nonce","associated_data","ciphertext"}}]}`; each certificate PEM is decrypted like a notification
//!   resource, and the set replaces the downloaded one (wechatpay-go `core/downloader/downloader.go`,
//!   `DownloadCertificates` / `updateCertificates`). wechatpay-go's first download skips the answer's
//!   signature (`NullValidator`); here the answer must verify against the known keys or the certificates
//!   it carries, which only WeChat Pay could have encrypted with the merchant's APIv3 key.

use crate::keys::{Certificate, PrivateKey, PublicKey, Secret};
use crate::{Error, Result};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use http::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const LIVE_BASE: &str = "https://api.mch.weixin.qq.com";
pub const LIVE_OAUTH_BASE: &str = "https://api.weixin.qq.com";
/// How far a signed timestamp may be from our clock (WeChat's SDKs use 5 minutes).
pub const WINDOW_SECS: i64 = 300;
pub const SCHEME: &str = "WECHATPAY2-SHA256-RSA2048";
/// The least time between two certificate downloads that an unknown `Wechatpay-Serial` triggers: a
/// stream of made-up serials must not become a stream of downloads.
pub const REFRESH_MIN_INTERVAL: Duration = Duration::from_secs(60);

/// A key WeChat Pay signs with, named by its serial.
#[derive(Debug, Clone)]
pub struct PlatformKey {
    pub serial: String,
    pub key: PublicKey,
}

/// A merchant's WeChat Pay credentials and endpoints.
#[derive(Debug, Clone)]
pub struct WechatConfig {
    pub mchid: String,
    /// The official account's app id (JSAPI, H5, OAuth).
    pub appid: String,
    /// The mini-program's app id (`wechat_mini_program` orders, `code2session`).
    pub mini_appid: Option<String>,
    /// Serial of the merchant API certificate whose private key signs requests.
    pub serial_no: String,
    pub private_key: PrivateKey,
    pub apiv3_key: Secret,
    /// Platform certificates and/or the WeChat Pay public key.
    pub platform: Vec<PlatformKey>,
    /// The official account's AppSecret (OAuth) and the mini-program's (code2session).
    pub app_secret: Option<Secret>,
    pub mini_secret: Option<Secret>,
    pub base_url: String,
    pub oauth_base_url: String,
    /// Platform-certificate mode: download `/v3/certificates` when a response or notification names a
    /// serial we do not hold (rate-limited, [`REFRESH_MIN_INTERVAL`]). Off in WeChat Pay public-key mode.
    pub download_certificates: bool,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn env_file(name: &str) -> Result<Option<String>> {
    match env(name) {
        None => Ok(None),
        Some(path) => std::fs::read_to_string(&path).map(Some).map_err(|e| Error::Config(format!("{name}: cannot read {path}: {e}"))),
    }
}

fn need(name: &str) -> Result<String> {
    env(name).ok_or_else(|| Error::Config(format!("{name} is not set")))
}

impl WechatConfig {
    /// From the environment: `INTERPAY_WECHAT_MCHID`, `_APPID`, `_MINI_APPID`, `_SERIAL_NO`,
    /// `_KEY_FILE` (merchant API private key, PEM), `_APIV3_KEY` (or `_APIV3_KEY_FILE`),
    /// `_PLATFORM_CERT_FILE` and/or `_PUBLIC_KEY_FILE` + `_PUBLIC_KEY_ID`, `_APP_SECRET`, `_MINI_SECRET`,
    /// `_BASE_URL`, `_OAUTH_BASE_URL` (defaults: WeChat's).
    pub fn from_env() -> Result<WechatConfig> {
        let key = env_file("INTERPAY_WECHAT_KEY_FILE")?.ok_or_else(|| Error::Config("INTERPAY_WECHAT_KEY_FILE is not set".into()))?;
        let apiv3 = match env_file("INTERPAY_WECHAT_APIV3_KEY_FILE")? {
            Some(s) => s.trim().to_string(),
            None => need("INTERPAY_WECHAT_APIV3_KEY")?,
        };
        if apiv3.len() != 32 {
            return Err(Error::Config("the APIv3 key must be 32 bytes".into()));
        }
        let mut platform = Vec::new();
        if let Some(pem) = env_file("INTERPAY_WECHAT_PLATFORM_CERT_FILE")? {
            let c = Certificate::from_pem(&pem)?;
            platform.push(PlatformKey { serial: c.serial, key: c.key });
        }
        if let Some(pem) = env_file("INTERPAY_WECHAT_PUBLIC_KEY_FILE")? {
            platform.push(PlatformKey { serial: need("INTERPAY_WECHAT_PUBLIC_KEY_ID")?, key: PublicKey::from_pem(&pem)? });
        }
        // Platform certificates are downloaded unless the merchant verifies with the WeChat Pay public
        // key (`INTERPAY_WECHAT_CERTIFICATES=download|off` overrides).
        let public_key_mode = platform.iter().any(|k| k.serial.starts_with("PUB_KEY_ID_"));
        let download_certificates = match env("INTERPAY_WECHAT_CERTIFICATES").as_deref() {
            None => !public_key_mode,
            Some("download") => true,
            Some("off") => false,
            Some(other) => return Err(Error::Config(format!("INTERPAY_WECHAT_CERTIFICATES={other:?} is not download or off"))),
        };
        if platform.is_empty() && !download_certificates {
            return Err(Error::Config("set INTERPAY_WECHAT_PUBLIC_KEY_FILE + _PUBLIC_KEY_ID or INTERPAY_WECHAT_PLATFORM_CERT_FILE, or let the platform certificates be downloaded".into()));
        }
        Ok(WechatConfig {
            mchid: need("INTERPAY_WECHAT_MCHID")?,
            appid: need("INTERPAY_WECHAT_APPID")?,
            mini_appid: env("INTERPAY_WECHAT_MINI_APPID"),
            serial_no: need("INTERPAY_WECHAT_SERIAL_NO")?,
            private_key: PrivateKey::from_pem(&key)?,
            apiv3_key: Secret::new(apiv3),
            platform,
            app_secret: env("INTERPAY_WECHAT_APP_SECRET").map(Secret::new),
            mini_secret: env("INTERPAY_WECHAT_MINI_SECRET").map(Secret::new),
            base_url: env("INTERPAY_WECHAT_BASE_URL").unwrap_or_else(|| LIVE_BASE.into()),
            oauth_base_url: env("INTERPAY_WECHAT_OAUTH_BASE_URL").unwrap_or_else(|| LIVE_OAUTH_BASE.into()),
            download_certificates,
        })
    }
}

/// The message a request signature covers.
pub fn request_message(method: &str, path_and_query: &str, timestamp: i64, nonce: &str, body: &str) -> String {
    format!("{method}\n{path_and_query}\n{timestamp}\n{nonce}\n{body}\n")
}

/// The `Authorization` header value for a request.
pub fn authorization(cfg: &WechatConfig, method: &str, path_and_query: &str, body: &str, timestamp: i64, nonce: &str) -> Result<String> {
    let signature = cfg.private_key.sign(request_message(method, path_and_query, timestamp, nonce, body).as_bytes())?;
    Ok(format!(
        "{SCHEME} mchid=\"{}\",nonce_str=\"{nonce}\",timestamp=\"{timestamp}\",serial_no=\"{}\",signature=\"{signature}\"",
        cfg.mchid, cfg.serial_no
    ))
}

/// The fields of an `Authorization: WECHATPAY2-SHA256-RSA2048 …` header (the mock reads them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthFields {
    pub mchid: String,
    pub nonce_str: String,
    pub timestamp: String,
    pub serial_no: String,
    pub signature: String,
}

pub fn parse_authorization(header: &str) -> Option<AuthFields> {
    let rest = header.strip_prefix(SCHEME)?.strip_prefix(' ')?;
    let mut f = AuthFields::default();
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        let v = v.strip_prefix('"')?.strip_suffix('"')?.to_string();
        match k {
            "mchid" => f.mchid = v,
            "nonce_str" => f.nonce_str = v,
            "timestamp" => f.timestamp = v,
            "serial_no" => f.serial_no = v,
            "signature" => f.signature = v,
            _ => {}
        }
    }
    (!f.mchid.is_empty() && !f.signature.is_empty() && !f.serial_no.is_empty()).then_some(f)
}

/// The message a response or notification signature covers.
pub fn response_message(timestamp: &str, nonce: &str, body: &str) -> String {
    format!("{timestamp}\n{nonce}\n{body}\n")
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> Result<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok()).ok_or_else(|| Error::Signature(format!("missing {name}")))
}

/// Verify a WeChat Pay response or notification: the serial names one of `keys`, the timestamp is
/// within [`WINDOW_SECS`] of `now`, and the signature covers `timestamp\nnonce\nbody\n`.
pub fn verify(keys: &[PlatformKey], headers: &HeaderMap, body: &str, now: i64) -> Result<()> {
    let serial = header(headers, "wechatpay-serial")?;
    let ts = header(headers, "wechatpay-timestamp")?;
    let nonce = header(headers, "wechatpay-nonce")?;
    let sig = header(headers, "wechatpay-signature")?;
    let key = keys.iter().find(|k| k.serial == serial).ok_or_else(|| Error::UnknownSerial(serial.to_string()))?;
    let t: i64 = ts.parse().map_err(|_| Error::Signature(format!("bad Wechatpay-Timestamp {ts:?}")))?;
    if (now - t).abs() > WINDOW_SECS {
        return Err(Error::Replay(t));
    }
    // WeChat's signature probes ("WECHATPAY/SIGNTEST/…") must fail, and do: they are not valid signatures.
    if !key.key.verify(response_message(ts, nonce, body).as_bytes(), sig) {
        return Err(Error::Signature("Wechatpay-Signature".into()));
    }
    Ok(())
}

/// A notification's encrypted `resource`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Resource {
    pub algorithm: String,
    pub ciphertext: String,
    #[serde(default)]
    pub associated_data: String,
    #[serde(default)]
    pub original_type: String,
    pub nonce: String,
}

fn gcm_key(key: &[u8]) -> Result<ring::aead::LessSafeKey> {
    let alg = match key.len() {
        32 => &ring::aead::AES_256_GCM,
        16 => &ring::aead::AES_128_GCM,
        _ => return Err(Error::Decrypt),
    };
    Ok(ring::aead::LessSafeKey::new(ring::aead::UnboundKey::new(alg, key).map_err(|_| Error::Decrypt)?))
}

/// AES-GCM open of WeChat's layout (base64(ciphertext ‖ tag), ASCII nonce). The key length picks
/// AES-256 (the APIv3 key) or AES-128 (only the SDK's own test vector uses that).
pub fn gcm_open(key: &[u8], nonce: &str, aad: &str, ciphertext_b64: &str) -> Result<String> {
    let nonce = ring::aead::Nonce::try_assume_unique_for_key(nonce.as_bytes()).map_err(|_| Error::Decrypt)?;
    let mut buf = B64.decode(ciphertext_b64).map_err(|_| Error::Decrypt)?;
    let plain = gcm_key(key)?.open_in_place(nonce, ring::aead::Aad::from(aad.as_bytes()), &mut buf).map_err(|_| Error::Decrypt)?;
    String::from_utf8(plain.to_vec()).map_err(|_| Error::Decrypt)
}

/// AES-GCM seal in WeChat's layout (the mock encrypts notification resources with it).
pub fn gcm_seal(key: &[u8], nonce: &str, aad: &str, plaintext: &str) -> Result<String> {
    let n = ring::aead::Nonce::try_assume_unique_for_key(nonce.as_bytes()).map_err(|_| Error::Decrypt)?;
    let mut buf = plaintext.as_bytes().to_vec();
    gcm_key(key)?.seal_in_place_append_tag(n, ring::aead::Aad::from(aad.as_bytes()), &mut buf).map_err(|_| Error::Decrypt)?;
    Ok(B64.encode(buf))
}

/// Decrypt a notification resource with the APIv3 key (AEAD_AES_256_GCM only).
pub fn decrypt_resource(apiv3_key: &Secret, r: &Resource) -> Result<String> {
    if r.algorithm != "AEAD_AES_256_GCM" || apiv3_key.expose().len() != 32 {
        return Err(Error::Decrypt);
    }
    gcm_open(apiv3_key.expose().as_bytes(), &r.nonce, &r.associated_data, &r.ciphertext)
}

/// The JSAPI / mini-program page parameters for a `prepay_id` (what `getBrandWCPayRequest` and
/// `wx.requestPayment` take).
pub fn pay_params(key: &PrivateKey, appid: &str, prepay_id: &str, timestamp: i64, nonce: &str) -> Result<Value> {
    let package = format!("prepay_id={prepay_id}");
    let ts = timestamp.to_string();
    let pay_sign = key.sign(pay_sign_message(appid, &ts, nonce, &package).as_bytes())?;
    Ok(json!({ "appId": appid, "timeStamp": ts, "nonceStr": nonce, "package": package, "signType": "RSA", "paySign": pay_sign }))
}

pub fn pay_sign_message(appid: &str, time_stamp: &str, nonce_str: &str, package: &str) -> String {
    format!("{appid}\n{time_stamp}\n{nonce_str}\n{package}\n")
}

/// An order to place (amounts in fen).
#[derive(Debug, Clone, PartialEq)]
pub struct NewOrder {
    pub appid: String,
    pub out_trade_no: String,
    pub description: String,
    pub total_fen: i64,
    pub currency: String,
    pub notify_url: String,
    /// RFC 3339 expiry (`time_expire`), optional.
    pub time_expire: Option<String>,
}

impl NewOrder {
    fn body(&self, mchid: &str) -> Value {
        let mut v = json!({
            "appid": self.appid, "mchid": mchid, "description": self.description,
            "out_trade_no": self.out_trade_no, "notify_url": self.notify_url,
            "amount": { "total": self.total_fen, "currency": self.currency },
        });
        if let Some(t) = &self.time_expire {
            v["time_expire"] = json!(t);
        }
        v
    }
}

/// A transaction as query and notifications describe it (the fields the merchant needs).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Transaction {
    #[serde(default)]
    pub appid: String,
    #[serde(default)]
    pub mchid: String,
    pub out_trade_no: String,
    #[serde(default)]
    pub transaction_id: Option<String>,
    #[serde(default)]
    pub trade_type: Option<String>,
    /// SUCCESS, REFUND, NOTPAY, CLOSED, REVOKED, USERPAYING, PAYERROR.
    pub trade_state: String,
    #[serde(default)]
    pub trade_state_desc: Option<String>,
    #[serde(default)]
    pub success_time: Option<String>,
    #[serde(default)]
    pub payer: Option<Payer>,
    #[serde(default)]
    pub amount: Option<Amount>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Payer {
    #[serde(default)]
    pub openid: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Amount {
    #[serde(default)]
    pub total: i64,
    #[serde(default)]
    pub payer_total: Option<i64>,
    #[serde(default)]
    pub currency: String,
}

/// A verified, decrypted payment notification.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub id: String,
    pub event_type: String,
    pub transaction: Transaction,
}

#[derive(Deserialize)]
struct Envelope {
    id: String,
    event_type: String,
    resource: Resource,
}

fn vendor_error(status: u16, text: &str) -> Error {
    let v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    Error::Vendor {
        vendor: "wechat",
        status,
        code: v["code"].as_str().unwrap_or("HTTP_ERROR").to_string(),
        message: v["message"].as_str().unwrap_or("").chars().take(300).collect(),
    }
}

/// What the merchant answers WeChat: 200 with no body = received; anything else = retry later.
pub const NOTIFY_FAIL_BODY: &str = r#"{"code":"FAIL","message":"失败"}"#;

/// One entry of `GET /v3/certificates`.
#[derive(Deserialize)]
struct DownloadedCertificate {
    serial_no: String,
    encrypt_certificate: Resource,
}

#[derive(Deserialize)]
struct CertificatesAnswer {
    data: Vec<DownloadedCertificate>,
}

/// Decrypt and read the certificates of a `GET /v3/certificates` answer (each serial must be its
/// certificate's own).
pub fn read_certificates(apiv3_key: &Secret, body: &str) -> Result<Vec<PlatformKey>> {
    let answer: CertificatesAnswer = serde_json::from_str(body).map_err(|e| Error::BadResponse(format!("certificates: {e}")))?;
    let mut keys = Vec::new();
    for c in answer.data {
        let pem = decrypt_resource(apiv3_key, &c.encrypt_certificate)?;
        let cert = Certificate::from_pem(&pem)?;
        if !cert.serial.eq_ignore_ascii_case(c.serial_no.trim_start_matches('0')) {
            return Err(Error::BadResponse(format!("certificate {} is listed as {}", cert.serial, c.serial_no)));
        }
        keys.push(PlatformKey { serial: cert.serial, key: cert.key });
    }
    if keys.is_empty() {
        return Err(Error::BadResponse("no certificate in the answer".into()));
    }
    Ok(keys)
}

/// Downloaded platform certificates and when the last download was tried.
#[derive(Debug, Default)]
struct CertCache {
    downloaded: Vec<PlatformKey>,
    last_attempt: Option<Instant>,
    downloads: u64,
}

/// A WeChat Pay API v3 client.
#[derive(Debug, Clone)]
pub struct WechatPay {
    pub cfg: WechatConfig,
    http: reqwest::Client,
    certs: Arc<Mutex<CertCache>>,
    /// See [`REFRESH_MIN_INTERVAL`] (tests shorten it).
    pub refresh_interval: Duration,
}

impl WechatPay {
    pub fn new(cfg: WechatConfig) -> Result<WechatPay> {
        Ok(WechatPay { cfg, http: crate::http_client()?, certs: Arc::default(), refresh_interval: REFRESH_MIN_INTERVAL })
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, CertCache> {
        self.certs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The keys responses and notifications are verified with: configured ones, then downloaded ones.
    pub fn platform_keys(&self) -> Vec<PlatformKey> {
        let mut keys = self.cfg.platform.clone();
        keys.extend(self.cache().downloaded.iter().cloned());
        keys
    }

    /// How many certificate downloads completed (successful or not) since start.
    pub fn certificate_downloads(&self) -> u64 {
        self.cache().downloads
    }

    /// `GET /v3/certificates` now: decrypt the certificates with the APIv3 key, verify the answer, and
    /// keep them by serial (replacing the previous download). Answers the serials.
    pub async fn download_certificates(&self) -> Result<Vec<String>> {
        let r = self.fetch_certificates().await;
        self.cache().downloads += 1;
        let fresh = r?;
        let serials = fresh.iter().map(|k| k.serial.clone()).collect();
        self.cache().downloaded = fresh;
        Ok(serials)
    }

    async fn fetch_certificates(&self) -> Result<Vec<PlatformKey>> {
        let (status, headers, text) = self.send("GET", "/v3/certificates", None).await?;
        if !(200..300).contains(&status) {
            return Err(vendor_error(status, &text));
        }
        let fresh = read_certificates(&self.cfg.apiv3_key, &text)?;
        let mut keys = self.platform_keys();
        keys.extend(fresh.iter().cloned());
        verify(&keys, &headers, &text, crate::time::now_secs())?;
        Ok(fresh)
    }

    /// An unknown serial: download again unless disabled or done less than `refresh_interval` ago.
    /// Answers whether `serial` is known afterwards.
    async fn refresh_for(&self, serial: &str) -> bool {
        if !self.cfg.download_certificates {
            return false;
        }
        {
            let mut c = self.cache();
            if c.last_attempt.is_some_and(|t| t.elapsed() < self.refresh_interval) {
                return false;
            }
            c.last_attempt = Some(Instant::now());
        }
        self.download_certificates().await.is_ok() && self.platform_keys().iter().any(|k| k.serial == serial)
    }

    /// [`verify`] with the current keys; an unknown serial triggers one (rate-limited) download first.
    pub async fn verify_refreshing(&self, headers: &HeaderMap, body: &str, now: i64) -> Result<()> {
        match verify(&self.platform_keys(), headers, body, now) {
            Err(Error::UnknownSerial(serial)) => {
                if self.refresh_for(&serial).await {
                    verify(&self.platform_keys(), headers, body, now)
                } else {
                    Err(Error::UnknownSerial(serial))
                }
            }
            r => r,
        }
    }

    /// A signed request; the answer as it came (status, headers, body), not yet verified.
    async fn send(&self, method: &str, path_and_query: &str, body: Option<&Value>) -> Result<(u16, HeaderMap, String)> {
        let body_s = body.map(Value::to_string).unwrap_or_default();
        let ts = crate::time::now_secs();
        let nonce = crate::nonce(32);
        let auth = authorization(&self.cfg, method, path_and_query, &body_s, ts, &nonce)?;
        let url = format!("{}{path_and_query}", self.cfg.base_url.trim_end_matches('/'));
        let m = http::Method::from_bytes(method.as_bytes()).map_err(|_| Error::Config(format!("bad method {method}")))?;
        let mut rq = self.http.request(m, url).header("Authorization", auth).header("Accept", "application/json");
        if body.is_some() {
            rq = rq.header("Content-Type", "application/json").body(body_s);
        }
        let resp = rq.send().await.map_err(|e| Error::Transport(e.without_url().to_string()))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.map_err(|e| Error::Transport(e.without_url().to_string()))?;
        Ok((status, headers, text))
    }

    async fn call(&self, method: &str, path_and_query: &str, body: Option<&Value>) -> Result<(u16, String)> {
        let (status, headers, text) = self.send(method, path_and_query, body).await?;
        if (200..300).contains(&status) {
            self.verify_refreshing(&headers, &text, crate::time::now_secs()).await?;
            return Ok((status, text));
        }
        Err(vendor_error(status, &text))
    }

    fn field(text: &str, name: &str) -> Result<String> {
        let v: Value = serde_json::from_str(text).map_err(|e| Error::BadResponse(e.to_string()))?;
        v[name].as_str().map(str::to_string).ok_or_else(|| Error::BadResponse(format!("no {name} in the answer")))
    }

    /// `POST /v3/pay/transactions/jsapi` (official account or mini-program): the `prepay_id`.
    pub async fn jsapi(&self, order: &NewOrder, openid: &str) -> Result<String> {
        let mut body = order.body(&self.cfg.mchid);
        body["payer"] = json!({ "openid": openid });
        let (_, text) = self.call("POST", "/v3/pay/transactions/jsapi", Some(&body)).await?;
        Self::field(&text, "prepay_id")
    }

    /// `POST /v3/pay/transactions/h5`: the `h5_url` (the shopper opens it, with `&redirect_url=` appended).
    pub async fn h5(&self, order: &NewOrder, payer_client_ip: &str) -> Result<String> {
        let mut body = order.body(&self.cfg.mchid);
        body["scene_info"] = json!({ "payer_client_ip": payer_client_ip, "h5_info": { "type": "Wap" } });
        let (_, text) = self.call("POST", "/v3/pay/transactions/h5", Some(&body)).await?;
        Self::field(&text, "h5_url")
    }

    /// `GET /v3/pay/transactions/out-trade-no/{no}?mchid=`.
    pub async fn query(&self, out_trade_no: &str) -> Result<Transaction> {
        let path = format!("/v3/pay/transactions/out-trade-no/{}?mchid={}", enc(out_trade_no), enc(&self.cfg.mchid));
        let (_, text) = self.call("GET", &path, None).await?;
        serde_json::from_str(&text).map_err(|e| Error::BadResponse(e.to_string()))
    }

    /// `POST /v3/pay/transactions/out-trade-no/{no}/close` (204).
    pub async fn close(&self, out_trade_no: &str) -> Result<()> {
        let path = format!("/v3/pay/transactions/out-trade-no/{}/close", enc(out_trade_no));
        self.call("POST", &path, Some(&json!({ "mchid": self.cfg.mchid }))).await.map(|_| ())
    }

    /// Verify and decrypt a payment notification (`POST` to `notify_url`) with the keys held now.
    pub fn notification(&self, headers: &HeaderMap, body: &str, now: i64) -> Result<Notification> {
        verify(&self.platform_keys(), headers, body, now)?;
        self.open_notification(body)
    }

    /// [`WechatPay::notification`], downloading the platform certificates first when it names a serial
    /// we do not hold (WeChat Pay signs with a new certificate once it rotates). A serial still unknown
    /// afterwards is refused.
    pub async fn receive_notification(&self, headers: &HeaderMap, body: &str, now: i64) -> Result<Notification> {
        self.verify_refreshing(headers, body, now).await?;
        self.open_notification(body)
    }

    fn open_notification(&self, body: &str) -> Result<Notification> {
        let env: Envelope = serde_json::from_str(body).map_err(|e| Error::BadResponse(format!("notification: {e}")))?;
        let plain = decrypt_resource(&self.cfg.apiv3_key, &env.resource)?;
        let transaction: Transaction = serde_json::from_str(&plain).map_err(|e| Error::BadResponse(format!("resource: {e}")))?;
        if transaction.mchid != self.cfg.mchid {
            return Err(Error::BadResponse("notification for another merchant".into()));
        }
        Ok(Notification { id: env.id, event_type: env.event_type, transaction })
    }

    /// Page parameters for a prepay id (`paySign` with the merchant key).
    pub fn pay_params(&self, appid: &str, prepay_id: &str) -> Result<Value> {
        pay_params(&self.cfg.private_key, appid, prepay_id, crate::time::now_secs(), &crate::nonce(32))
    }

    async fn get_json(&self, url: &str) -> Result<Value> {
        let resp = self.http.get(url).send().await.map_err(|e| Error::Transport(e.without_url().to_string()))?;
        let v: Value = resp.json().await.map_err(|e| Error::BadResponse(e.without_url().to_string()))?;
        if let Some(code) = v.get("errcode").and_then(Value::as_i64).filter(|c| *c != 0) {
            return Err(Error::Vendor {
                vendor: "wechat",
                status: 200,
                code: code.to_string(),
                message: v["errmsg"].as_str().unwrap_or("").chars().take(300).collect(),
            });
        }
        Ok(v)
    }

    /// OAuth `snsapi_base`: the `code` WeChat put on the redirect → the shopper's `openid`
    /// (`GET /sns/oauth2/access_token`).
    pub async fn oauth_openid(&self, code: &str) -> Result<String> {
        let secret = self.cfg.app_secret.as_ref().ok_or_else(|| Error::Config("INTERPAY_WECHAT_APP_SECRET is not set".into()))?;
        let url = format!(
            "{}/sns/oauth2/access_token?appid={}&secret={}&code={}&grant_type=authorization_code",
            self.cfg.oauth_base_url.trim_end_matches('/'), enc(&self.cfg.appid), enc(secret.expose()), enc(code)
        );
        let v = self.get_json(&url).await?;
        v["openid"].as_str().map(str::to_string).ok_or_else(|| Error::BadResponse("no openid".into()))
    }

    /// Mini-program `wx.login` code → `openid` (`GET /sns/jscode2session`). The `session_key` is dropped.
    pub async fn code2session(&self, js_code: &str) -> Result<String> {
        let appid = self.cfg.mini_appid.as_deref().ok_or_else(|| Error::Config("INTERPAY_WECHAT_MINI_APPID is not set".into()))?;
        let secret = self.cfg.mini_secret.as_ref().ok_or_else(|| Error::Config("INTERPAY_WECHAT_MINI_SECRET is not set".into()))?;
        let url = format!(
            "{}/sns/jscode2session?appid={}&secret={}&js_code={}&grant_type=authorization_code",
            self.cfg.oauth_base_url.trim_end_matches('/'), enc(appid), enc(secret.expose()), enc(js_code)
        );
        let v = self.get_json(&url).await?;
        v["openid"].as_str().map(str::to_string).ok_or_else(|| Error::BadResponse("no openid".into()))
    }
}

/// Percent-encode a path segment or query value.
pub fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>().replace('+', "%20")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gcm_known_answer_from_wechatpay_go() {
        // wechatpay-go utils/aes_test.go: key "testAPIv3Key0000" (16 bytes, so AES-128-GCM there).
        let plain = gcm_open(b"testAPIv3Key0000", "wCq51qZv4Yfg", "Dl56FrqWQJF1t9LtC3vEUsniZKvbqdR8", "FsdXzxryWfKwvLJKf8LG/ToRPTRh8RN9wROC").unwrap();
        assert_eq!(plain, "Hello World");
        assert_eq!(gcm_open(b"testAPIv3Key1111", "wCq51qZv4Yfg", "Dl56FrqWQJF1t9LtC3vEUsniZKvbqdR8", "FsdXzxryWfKwvLJKf8LG/ToRPTRh8RN9wROC"), Err(Error::Decrypt));
        assert_eq!(gcm_open(b"testAPIv3Key0000", "wCq51qZv4Yfg", "other aad", "FsdXzxryWfKwvLJKf8LG/ToRPTRh8RN9wROC"), Err(Error::Decrypt));
        assert_eq!(gcm_seal(b"testAPIv3Key0000", "wCq51qZv4Yfg", "Dl56FrqWQJF1t9LtC3vEUsniZKvbqdR8", "Hello World").unwrap(), "FsdXzxryWfKwvLJKf8LG/ToRPTRh8RN9wROC");
        // The APIv3 path takes AES-256 only.
        let r = Resource { algorithm: "AEAD_AES_256_GCM".into(), ciphertext: "FsdXzxryWfKwvLJKf8LG/ToRPTRh8RN9wROC".into(), associated_data: "Dl56FrqWQJF1t9LtC3vEUsniZKvbqdR8".into(), original_type: "transaction".into(), nonce: "wCq51qZv4Yfg".into() };
        assert_eq!(decrypt_resource(&Secret::new("testAPIv3Key0000"), &r), Err(Error::Decrypt));
    }

    #[test]
    fn messages_and_header() {
        assert_eq!(request_message("GET", "/v3/certificates", 1554208460, "593BEC0C930BF1AFEB40B4A08C8FB242", ""),
            "GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n");
        assert_eq!(pay_sign_message("wx8888888888888888", "1414561699", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS", "prepay_id=wx201410272009395522657a690389285100"),
            "wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n");
        let h = r#"WECHATPAY2-SHA256-RSA2048 mchid="1900009191",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",signature="uOVRnA4qG/MNnYzdQxJanN+zU+lTgIcnU9BxGw5dKjK+VdEUz2FeIoC+D5sB/LN+nGzX3hfZg6r5wT1pl2ZobmIc6p0ldN7J6yDgUzbX8Uk3sD4a4eZVPTBvqNDoUqcYMlZ9uuDdCvNv4TM3c1WzsXUrExwVkI1XO5jCNbgDJ25nkT/c1gIFvqoogl7MdSFGc4W4xZsqCItnqbypR3RuGIlR9h9vlRsy7zJR9PBI83X8alLDIfR1ukt1P7tMnmogZ0cuDY8cZsd8ZlCgLadmvej58SLsIkVxFJ8XyUgx9FmutKSYTmYtWBZ0+tNvfGmbXU7cob8H/4nLBiCwIUFluw==",timestamp="1554208460",serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C""#;
        let f = parse_authorization(h).unwrap();
        assert_eq!((f.mchid.as_str(), f.timestamp.as_str(), f.serial_no.as_str()), ("1900009191", "1554208460", "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"));
        assert!(parse_authorization("Bearer x").is_none());
        assert!(parse_authorization("WECHATPAY2-SHA256-RSA2048 mchid=1").is_none());
    }
}
