//! Server-side wallet gateways for the Interpay merchant server (`sandbox-merchant`).
//!
//! - [`wechat`]: WeChat Pay API v3: JSAPI / mini-program and H5 orders, query, close, the
//!   `WECHATPAY2-SHA256-RSA2048` request signature, verification of responses and notifications
//!   (platform certificate or WeChat Pay public key, serial checked, ±5 min replay window), the
//!   notification `resource` (AEAD_AES_256_GCM with the APIv3 key), the page's `paySign`, and the
//!   shopper's `openid` (OAuth `snsapi_base`, mini-program `code2session`).
//! - [`alipay`]: Alipay OpenAPI: RSA2 request signing, `alipay.trade.create`, `alipay.trade.wap.pay`
//!   (`return_url` inside the signed request), `alipay.trade.query`, `alipay.trade.close`, response and
//!   asynchronous-notification verification, `alipay.system.oauth.token` (the shopper's `buyer_open_id`);
//!   [`alipay_cert`]: public-key-certificate mode (`app_cert_sn`, `alipay_root_cert_sn`).
//! - [`mock`] (feature `mock`): protocol-faithful mock servers of both, for tests and the demo.
//!
//! Credentials come from configuration ([`wechat::WechatConfig::from_env`], [`alipay::AlipayConfig::from_env`]);
//! every secret type's `Debug` is redacted, and no error message carries a secret.

pub mod alipay;
pub mod alipay_cert;
pub mod keys;
pub mod time;
pub mod wechat;

#[cfg(feature = "mock")]
pub mod mock;

pub use keys::{PrivateKey, PublicKey, Secret};

/// Everything a gateway call can fail with. Messages never carry a secret.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum Error {
    #[error("configuration: {0}")]
    Config(String),
    #[error("key: {0}")]
    Key(String),
    #[error("transport: {0}")]
    Transport(String),
    #[error("signature does not verify: {0}")]
    Signature(String),
    #[error("timestamp {0} is outside the allowed window (replay?)")]
    Replay(i64),
    #[error("unknown signing key serial {0:?}")]
    UnknownSerial(String),
    #[error("cannot decrypt the notification resource")]
    Decrypt,
    /// The vendor answered with an error of its own (`code`, `message` as it sent them).
    #[error("{vendor} error {status} {code}: {message}")]
    Vendor { vendor: &'static str, status: u16, code: String, message: String },
    #[error("unexpected answer: {0}")]
    BadResponse(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// A random string of `len` characters from `[A-Za-z0-9]` (nonces).
pub fn nonce(len: usize) -> String {
    use ring::rand::SecureRandom;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut bytes = vec![0u8; len];
    ring::rand::SystemRandom::new().fill(&mut bytes).expect("the system random generator failed");
    // 62 letters: reject bytes ≥ 248 would be exact; the bias of `% 62` on 256 is < 2 % and harmless for a nonce.
    bytes.iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect()
}

/// The shared HTTP client: rustls, a bounded timeout, no redirects (a payment API never redirects).
pub fn http_client() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(15))
        .connect_timeout(std::time::Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("interpay-wallet-gateways/0")
        .build()
        .map_err(|e| Error::Transport(e.to_string()))
}
