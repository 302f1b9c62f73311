//! Protocol-faithful mock WeChat Pay v3 and Alipay OpenAPI servers (feature `mock`), for the tests and
//! `sandbox-merchant --gateway mock`. They hold their own throw-away keys (`keys/`, TEST ONLY, they
//! sign nothing real) and the merchant's public keys, and behave as the vendors document:
//! - they check every request signature (WeChat: the `Authorization` scheme, mchid, serial, ±5 min
//!   timestamp, 401 `{"code":"SIGN_ERROR",…}`; Alipay: RSA2 over the sorted parameters, an
//!   `isv.invalid-signature` answer with HTTP 200, as Alipay answers it);
//! - they sign every answer (WeChat: `Wechatpay-*` headers with the platform certificate's key;
//!   Alipay: `sign` over the `*_response` text);
//! - a payment sends the notification to the order's `notify_url`: WeChat's encrypted with
//!   AEAD_AES_256_GCM and the APIv3 key, Alipay's form signed RSA2; both retried once when not acknowledged;
//! - `/mock/…` routes (not vendor APIs) stand in for the shopper: pay an order, the H5 / WAP cashier pages.

pub mod alipay;
pub mod wechat;

use crate::keys::{Certificate, PrivateKey, Secret};
use crate::{alipay::AlipayConfig, wechat::PlatformKey, wechat::WechatConfig};
use std::sync::Arc;

pub const MCHID: &str = "1900000109";
pub const APPID: &str = "wx5a3d0c1e2f304b6c";
pub const MINI_APPID: &str = "wx8e1f6a2b3c4d5e6f";
pub const MERCHANT_SERIAL: &str = "3775B6A45ACD588826D15E583A95F5DD2ED6DF8F";
pub const APIV3_KEY: &str = "interpayMockApiV3Key000000000000";
pub const APP_SECRET: &str = "mock-official-account-secret";
pub const MINI_SECRET: &str = "mock-mini-program-secret";
pub const ALIPAY_APP_ID: &str = "2021000000000001";

pub const WECHAT_MERCHANT_KEY: &str = include_str!("keys/wechat_merchant.key.pem");
pub const WECHAT_PLATFORM_KEY: &str = include_str!("keys/wechat_platform.key.pem");
pub const WECHAT_PLATFORM_CERT: &str = include_str!("keys/wechat_platform.cert.pem");
/// The certificate the mock rotates to (`MockWechat::rotate`): not in the merchant's configuration.
pub const WECHAT_PLATFORM2_KEY: &str = include_str!("keys/wechat_platform2.key.pem");
pub const WECHAT_PLATFORM2_CERT: &str = include_str!("keys/wechat_platform2.cert.pem");
pub const ALIPAY_APP_KEY: &str = include_str!("keys/alipay_app.key.pem");
pub const ALIPAY_PLATFORM_KEY: &str = include_str!("keys/alipay_platform.key.pem");
/// Public-key-certificate mode: `appCertPublicKey_<appid>.crt`, `alipayRootCert.crt`, `alipayCertPublicKey_RSA2.crt`.
pub const ALIPAY_APP_CERT: &str = include_str!("keys/alipay_app_cert.crt");
pub const ALIPAY_ROOT_CERT: &str = include_str!("keys/alipay_root_cert.crt");
pub const ALIPAY_CERT: &str = include_str!("keys/alipay_cert_public_key_RSA2.crt");

fn key(pem: &str) -> PrivateKey {
    PrivateKey::from_pem(pem).expect("bundled mock key")
}

/// The merchant's WeChat configuration that talks to a mock at `base` (both API and OAuth).
pub fn wechat_config(base: &str) -> WechatConfig {
    let cert = Certificate::from_pem(WECHAT_PLATFORM_CERT).expect("bundled mock certificate");
    WechatConfig {
        mchid: MCHID.into(),
        appid: APPID.into(),
        mini_appid: Some(MINI_APPID.into()),
        serial_no: MERCHANT_SERIAL.into(),
        private_key: key(WECHAT_MERCHANT_KEY),
        apiv3_key: Secret::new(APIV3_KEY),
        platform: vec![PlatformKey { serial: cert.serial, key: cert.key }],
        app_secret: Some(Secret::new(APP_SECRET)),
        mini_secret: Some(Secret::new(MINI_SECRET)),
        base_url: base.trim_end_matches('/').into(),
        oauth_base_url: base.trim_end_matches('/').into(),
        download_certificates: true,
    }
}

/// The merchant's Alipay configuration that talks to a mock at `base`.
pub fn alipay_config(base: &str) -> AlipayConfig {
    AlipayConfig {
        app_id: ALIPAY_APP_ID.into(),
        private_key: key(ALIPAY_APP_KEY),
        alipay_public_key: key(ALIPAY_PLATFORM_KEY).public_key(),
        gateway: format!("{}/gateway.do", base.trim_end_matches('/')),
        cert_mode: None,
    }
}

/// The same app in public-key-certificate mode: its app certificate, the mock's root bundle (an RSA
/// root and an ECC root, which the root SN leaves out) and the mock Alipay certificate, all issued by
/// the mock root (TEST ONLY).
pub fn alipay_cert_config(base: &str) -> AlipayConfig {
    let (mode, key) = crate::alipay_cert::CertMode::from_pems(ALIPAY_APP_CERT, ALIPAY_ROOT_CERT, ALIPAY_CERT).expect("bundled mock certificates");
    AlipayConfig { alipay_public_key: key, cert_mode: Some(mode), ..alipay_config(base) }
}

/// Both mocks on one server.
pub struct Mock {
    pub base: String,
    pub wechat: Arc<wechat::MockWechat>,
    pub alipay: Arc<alipay::MockAlipay>,
}

impl Mock {
    pub fn new(base: &str) -> Mock {
        Mock { base: base.trim_end_matches('/').into(), wechat: Arc::new(wechat::MockWechat::new(base)), alipay: Arc::new(alipay::MockAlipay::new(base)) }
    }

    pub fn router(&self) -> axum::Router {
        wechat::router(self.wechat.clone()).merge(alipay::router(self.alipay.clone()))
    }
}

/// Bind `addr` (e.g. `127.0.0.1:0`) and serve both mocks on the current tokio runtime; answers the mock.
pub async fn start(addr: &str) -> std::io::Result<Arc<Mock>> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let base = format!("http://{}", listener.local_addr()?);
    let mock = Arc::new(Mock::new(&base));
    let app = mock.router();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(mock)
}

/// The openid the mock gives a code (stable, so tests can predict it): `o` + 27 characters.
pub fn openid_for(code: &str) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, code.as_bytes());
    let s: String = d.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    format!("oMock{}", &s[..23])
}

pub(crate) fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// `url` with `extra` query pairs appended before any fragment.
pub(crate) fn append_query(url: &str, extra: &str) -> String {
    let (base, frag) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let sep = if base.contains('?') { '&' } else { '?' };
    match frag {
        Some(f) => format!("{base}{sep}{extra}#{f}"),
        None => format!("{base}{sep}{extra}"),
    }
}
