//! The payment payload engine: QR text → [`Code`] (a [`Payment`] or a [`NotPayment`]).
//!
//! CONTRACT (used by the widget, the CLI and the sandbox merchant): the field names of
//! [`Payment`], [`Currency`], [`Payee`] and [`ParseError`] below are relied on elsewhere;
//! extend them, do not rename them.
//!
//! # Entry points
//! - [`parse`] / [`parse_at`]: any scanned text → `Code::Payment`, `Code::NotPayment { what }`, or a
//!   typed [`ParseError`] for a payment code that breaks its rules. Never panics (fuzzed).
//! - [`parse_as`]: the same, insisting on one format or scheme ("emv_mpm", "pix", "bip21" …).
//! - [`generate`]: a [`Payment`] → EMVCo MPM payload with CRC; `parse(generate(p)) == p`.
//! - [`cpm::parse`]: the BER-TLV tree of an EMVCo consumer-presented code (reported as not_payment).
//!
//! # Formats (`Payment::format`) and stages (one file each)
//! `tlv` (ID/length/value by characters, positions in characters) → `emv` (structure, order, CRC-16/CCITT-FALSE
//! over UTF-8 bytes, root objects 00–64 and their data formats) → `schemes` (profiles recognised by their
//! identifiers: PIX, PromptPay, PayNow/SGQR (+ GrabPay, Dash, NETS…), DuitNow, QRIS (+ acquirer wallets),
//! VietQR/NAPAS, KHQR/Bakong, QR Ph, HK FPS, JPQR, UPI/Bharat QR, UnionPay, Visa, Mastercard, Discover,
//! Amex, JCB, RuPay, Alipay). Other formats: `urls` (wechat_pay, alipay, unionpay_url, hebao, upi),
//! `epc` (SEPA "BCD"), `swiss` ("SPC"), `crypto` (bip21, bolt11, eip681). `classify` dispatches and names
//! non-payment kinds: url, contact, event, wifi, email, phone, sms, geo, uri, text, empty, emv_cpm.
//!
//! # Error and warning codes
//! [`ParseError::code`] is an [`ErrorCode`], [`Warning::code`] a [`WarningCode`]: typed enums whose serde
//! form (JSON, CLI, wasm events) is the stable snake_case name (`bad_crc`, `lookalike_domain` …, see
//! `as_str`), each variant documented in `codes.rs`; `ErrorCode::ALL` / `WarningCode::ALL` list them.
//! `position` is in characters; `tag` is a path like "54", "26.01", "99.01" or a field name like "am".
//! Which rule is an error and which a warning, per scheme, and why: docs/payload-policy.md.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use codes::{ErrorCode, WarningCode};

mod classify;
mod codes;
pub mod crypto;
pub mod deep;
pub mod epc;
pub mod swiss;
pub mod urls;
pub mod cpm;
pub mod crc;
pub mod currency;
pub mod emv;
pub mod generate;
mod error;
pub mod schemes;
pub mod tlv;

/// What a scanned text is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Code {
    Payment(Payment),
    NotPayment(NotPayment),
}

/// A normalised payment request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payment {
    /// The wire format: "emv_mpm", "wechat_pay", "alipay", "unionpay_url", "upi", "epc", "swiss_qr", "bip21", "bolt11", "eip681".
    pub format: String,
    /// Every scheme / wallet family that can pay this code, most specific first.
    pub schemes: Vec<Scheme>,
    pub payee: Payee,
    /// Exact amount in major units (e.g. 23.72), when the code carries one.
    pub amount: Option<Decimal>,
    pub currency: Option<Currency>,
    /// EMVCo point of initiation: Static (01 = 11 or absent: a reusable code) or Dynamic (01 = 12: one
    /// transaction). A static code may still carry a fixed amount: the shopper types the amount exactly
    /// when `amount` is `None`. Non-EMVCo formats: Dynamic when the code fixes the amount or an order.
    pub initiation: Initiation,
    pub references: References,
    pub tip: Option<TipRule>,
    pub warnings: Vec<Warning>,
    /// The raw TLV tree (EMVCo only), for developers.
    pub tlv: Option<Vec<Tlv>>,
    /// Crypto network (e.g. "bitcoin", "testnet", "regtest", "ethereum:1"), when the format names one.
    #[serde(default)]
    pub network: Option<String>,
}

impl Payment {
    /// An empty payment of wire format `format` (no scheme, payee, amount or currency; static), to fill in
    /// before [`generate`] or as a parser's starting point.
    pub fn new(format: &str) -> Self {
        Payment {
            format: format.into(),
            schemes: vec![],
            payee: Payee::default(),
            amount: None,
            currency: None,
            initiation: Initiation::Static,
            references: References::default(),
            tip: None,
            warnings: vec![],
            tlv: None,
            network: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scheme {
    /// Stable identifier: "unionpay", "pix", "promptpay", "paynow", "sgqr", "duitnow", "qris", "vietqr",
    /// "khqr", "qrph", "fps", "jpqr", "upi", "wechat_pay", "alipay", "sepa", "swiss_qr", "bitcoin",
    /// "lightning", "ethereum", "visa", "mastercard", "emvco" …
    pub id: String,
    /// Human name, e.g. "UnionPay", "PIX".
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Payee {
    pub name: Option<String>,
    pub city: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub postal_code: Option<String>,
    /// Name / city in the alternate language (EMVCo tag 64), with its language code.
    pub name_alt: Option<String>,
    pub city_alt: Option<String>,
    pub language_alt: Option<String>,
    pub mcc: Option<String>,
    pub accounts: Vec<Account>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// Scheme id this account belongs to.
    pub scheme: String,
    /// What the value is: "pix_key", "phone", "national_id", "iban", "vpa", "address", "merchant_id" …
    pub kind: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Currency {
    /// ISO 4217 alpha code ("CNY"), or a ticker for crypto ("BTC").
    pub code: String,
    /// ISO 4217 numeric code ("156"), when there is one.
    pub numeric: Option<String>,
    /// Digits after the decimal point (CNY 2, JPY 0, BTC 8).
    pub minor_units: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Initiation {
    Static,
    Dynamic,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct References {
    pub bill_number: Option<String>,
    pub reference: Option<String>,
    pub order: Option<String>,
    pub txid: Option<String>,
    pub terminal: Option<String>,
    pub purpose: Option<String>,
    /// A URL the code carries (PIX dynamic location, WeChat/Alipay pay URL …).
    pub url: Option<String>,
    /// EMVCo 62-02 mobile number, 62-03 store label, 62-04 loyalty number, 62-06 customer label.
    #[serde(default)]
    pub mobile: Option<String>,
    #[serde(default)]
    pub store: Option<String>,
    #[serde(default)]
    pub loyalty: Option<String>,
    #[serde(default)]
    pub customer: Option<String>,
    /// EMVCo 62-09: what the payer's app must provide (A address, M mobile, E e-mail).
    #[serde(default)]
    pub consumer_data_request: Option<String>,
    /// EMVCo 62-10 / 62-11.
    #[serde(default)]
    pub merchant_tax_id: Option<String>,
    #[serde(default)]
    pub merchant_channel: Option<String>,
    /// Expiry as the code writes it (PayNow YYYYMMDD[hhmmss], KHQR milliseconds since epoch).
    #[serde(default)]
    pub expires: Option<String>,
    /// PIX Automático recurrence location (tag 80-25), with https://.
    #[serde(default)]
    pub recurrence_url: Option<String>,
    /// Free-form message for the payee (UPI tn, BIP21 message, EPC remittance …).
    #[serde(default)]
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case", try_from = "TipRuleWire")]
pub enum TipRule {
    /// The shopper is prompted for a tip.
    Prompt,
    /// A fixed convenience fee in major units.
    Fixed { amount: Decimal },
    /// A percentage convenience fee.
    Percentage { percent: Decimal },
}

/// [`TipRule`]'s JSON read as a flat struct: the same `{"rule": …}` form, without serde's buffering of
/// internally tagged enums (which costs the widget module tens of KB of generic code).
#[derive(Deserialize)]
struct TipRuleWire {
    rule: String,
    #[serde(default)]
    amount: Option<Decimal>,
    #[serde(default)]
    percent: Option<Decimal>,
}

impl TryFrom<TipRuleWire> for TipRule {
    type Error = String;
    fn try_from(w: TipRuleWire) -> Result<Self, String> {
        match (w.rule.as_str(), w.amount, w.percent) {
            ("prompt", _, _) => Ok(TipRule::Prompt),
            ("fixed", Some(amount), _) => Ok(TipRule::Fixed { amount }),
            ("percentage", _, Some(percent)) => Ok(TipRule::Percentage { percent }),
            (r, _, _) => Err(format!("bad tip rule {r:?} (prompt, fixed with amount, percentage with percent)")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Warning {
    /// Stable code, e.g. `amount_zero_dynamic`, `country_currency_mismatch`, `lookalike_domain` (serialised
    /// as that snake_case string).
    pub code: WarningCode,
    pub message: String,
    /// The EMVCo tag path or field the warning is about, when there is one.
    #[serde(default)]
    pub tag: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tlv {
    pub tag: String,
    pub length: usize,
    pub value: String,
    pub children: Option<Vec<Tlv>>,
}

/// A scanned text that is not a payment code; safe to show, never navigated to by itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotPayment {
    /// "url", "text", "contact", "wifi", "email", "phone", "sms", "geo" …
    pub what: String,
    pub text: String,
    /// E.g. a URL whose host imitates a payment provider ("lookalike_domain").
    #[serde(default)]
    pub warnings: Vec<Warning>,
}

/// Why a text that looks like a payment code is not a valid one.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[error("{message} (at position {position}{})", tag.as_ref().map(|t| format!(", tag {t}")).unwrap_or_default())]
pub struct ParseError {
    /// Stable machine code: `bad_crc`, `truncated`, `non_numeric_amount`, `unknown_currency`, `duplicate_tag` …
    /// (serialised as that snake_case string).
    pub code: ErrorCode,
    /// Character position in the payload where the rule is broken.
    pub position: usize,
    /// The EMVCo tag path (e.g. "54", "26.01") or field name, when there is one.
    pub tag: Option<String>,
    pub message: String,
}

/// Parse scanned text. `Ok(Code::NotPayment)` for ordinary texts; `Err` for payment codes that break their rules.
/// Time-dependent rules (KHQR expiry) use the current clock.
pub fn parse(text: &str) -> Result<Code, ParseError> {
    parse_at(text, now_ms())
}

/// [`parse`] with an explicit clock (milliseconds since the Unix epoch), or `None` to skip expiry checks.
pub fn parse_at(text: &str, now_ms: Option<i64>) -> Result<Code, ParseError> {
    unless_deep_check_skipped(|| classify::parse(text, now_ms))
}

/// `read` (a parse), or the `deep_check_needed` error when it needed a check this build leaves out
/// ([`deep`]): a reading made without that check is never returned.
fn unless_deep_check_skipped<T>(read: impl FnOnce() -> Result<T, ParseError>) -> Result<T, ParseError> {
    let (read, needed) = deep::tracking(read);
    if needed {
        return Err(error::err(
            ErrorCode::DeepCheckNeeded,
            0,
            "",
            "this code needs checks that are not in this build (IDNA, confusables, secp256k1, Keccak)",
        ));
    }
    read
}

/// Parse `text` as a given format / scheme (e.g. "emv_mpm", "pix", "bip21"): like [`parse`], but a text
/// that is not that kind of code is an error (`wrong_format`) instead of `NotPayment`.
pub fn parse_as(expected: &str, text: &str) -> Result<Payment, ParseError> {
    unless_deep_check_skipped(|| classify::parse_as(expected, text, now_ms()))
}

/// Current time in ms; `None` where no clock is available.
pub fn now_ms() -> Option<i64> {
    #[cfg(target_arch = "wasm32")]
    {
        Some(js_sys::Date::now() as i64)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok().map(|d| d.as_millis() as i64)
    }
}

/// Generate an EMVCo MPM payload (with CRC) from a payment; see [`generate::generate`].
pub fn generate(p: &Payment) -> Result<String, ParseError> {
    generate::generate(p)
}

#[cfg(test)]
mod tip_rule_wire {
    use super::TipRule;

    /// The hand-read form accepts exactly what the derived, internally tagged form writes.
    #[test]
    fn tip_rules_round_trip_and_bad_ones_are_refused() {
        for rule in [TipRule::Prompt, TipRule::Fixed { amount: "1.50".parse().unwrap() }, TipRule::Percentage { percent: "3".parse().unwrap() }] {
            let json = serde_json::to_string(&rule).unwrap();
            assert_eq!(serde_json::from_str::<TipRule>(&json).unwrap(), rule, "{json}");
        }
        assert_eq!(serde_json::to_string(&TipRule::Fixed { amount: "1.50".parse().unwrap() }).unwrap(), r#"{"rule":"fixed","amount":"1.50"}"#);
        for bad in [r#"{"rule":"fixed"}"#, r#"{"rule":"percentage","amount":"1"}"#, r#"{"rule":"bribe"}"#, r#"{}"#] {
            assert!(serde_json::from_str::<TipRule>(bad).is_err(), "{bad}");
        }
    }
}
