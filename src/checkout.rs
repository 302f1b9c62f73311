//! Checkout decisions the widget makes, kept pure so they are tested natively (`cargo test`):
//! the typed amount (decimal string → exact [`Decimal`], never a float), the tip / convenience fee,
//! the amount string sent to the merchant, which camera to open, the merchant contract messages,
//! and the final outcome once the merchant's status endpoint has spoken.
//!
//! The browser edge (`crate::web`, wasm only) is glue around these functions.

use crate::payload::{Payment, TipRule};
use crate::wallet::{Outcome, WalletId};
use rust_decimal::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

/// The largest amount the widget accepts from the keyboard (major units).
pub const MAX_TYPED_AMOUNT: i64 = 1_000_000_000;

/// Why a typed amount is refused. Each variant is one i18n message in the widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    Empty,
    NotANumber,
    /// More decimals than the currency has (`max` = minor units; 0 means whole amounts only).
    TooManyDecimals { max: u8 },
    Zero,
    TooLarge,
}

/// Parse what the shopper typed into an exact amount for a currency with `minor_units` decimals.
///
/// Accepts `12`, `12.5`, `12.50`, `12,50` (one decimal separator, `.` or `,`), surrounding and
/// grouping spaces. Refuses signs, exponents, letters, several separators, too many decimals, zero.
pub fn parse_amount(input: &str, minor_units: u8) -> Result<Decimal, AmountError> {
    let cleaned: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\t'))
        // Full-width digits / separators from CJK keyboards.
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' | '。' => '.',
            '，' => ',',
            _ => c,
        })
        .collect();
    if cleaned.is_empty() {
        return Err(AmountError::Empty);
    }
    let mut int_part = String::new();
    let mut frac_part: Option<String> = None;
    for c in cleaned.chars() {
        match c {
            '0'..='9' => match frac_part.as_mut() {
                Some(f) => f.push(c),
                None => int_part.push(c),
            },
            '.' | ',' if frac_part.is_none() => frac_part = Some(String::new()),
            _ => return Err(AmountError::NotANumber),
        }
    }
    let frac = frac_part.unwrap_or_default();
    if int_part.is_empty() && frac.is_empty() {
        return Err(AmountError::NotANumber);
    }
    // Trailing zeros beyond the minor units are harmless ("12.500" CNY) but digits are not.
    let significant = frac.trim_end_matches('0');
    if significant.len() > minor_units as usize {
        return Err(AmountError::TooManyDecimals { max: minor_units });
    }
    let int_digits = int_part.trim_start_matches('0');
    if int_digits.len() > 12 {
        return Err(AmountError::TooLarge);
    }
    let text = format!(
        "{}.{}",
        if int_digits.is_empty() { "0" } else { int_digits },
        if significant.is_empty() { "0" } else { significant }
    );
    let value = Decimal::from_str(&text).map_err(|_| AmountError::NotANumber)?;
    if value.is_zero() {
        return Err(AmountError::Zero);
    }
    if value > Decimal::from(MAX_TYPED_AMOUNT) {
        return Err(AmountError::TooLarge);
    }
    Ok(value)
}

/// `value` rounded to `minor_units` decimals and written with exactly that many ("23.7" → "23.70",
/// JPY "500"): the amount string of the merchant contract.
pub fn amount_string(value: Decimal, minor_units: u8) -> String {
    let dp = u32::from(minor_units.min(28));
    let mut v = value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    v.rescale(dp);
    v.to_string()
}

/// The convenience fee for a rule, in major units rounded to the currency (`Prompt` → the tip the
/// shopper typed, if any).
pub fn fee(rule: &TipRule, base: Decimal, typed_tip: Option<Decimal>, minor_units: u8) -> Decimal {
    let dp = u32::from(minor_units.min(28));
    let raw = match rule {
        TipRule::Prompt => typed_tip.unwrap_or_default(),
        TipRule::Fixed { amount } => *amount,
        TipRule::Percentage { percent } => base.checked_mul(*percent).and_then(|v| v.checked_div(Decimal::ONE_HUNDRED)).unwrap_or_default(),
    };
    raw.max(Decimal::ZERO).round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// What the shopper is about to pay.
#[derive(Debug, Clone, PartialEq)]
pub struct Total {
    /// The amount of the code (dynamic) or typed (static).
    pub base: Decimal,
    /// Tip / convenience fee included in `total`.
    pub fee: Decimal,
    pub total: Decimal,
    pub currency: String,
    pub minor_units: u8,
}

impl Total {
    /// The `amount` string of the order request.
    pub fn amount_string(&self) -> String {
        amount_string(self.total, self.minor_units)
    }
}

/// Why the confirm button is not ready.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotalError {
    /// The code names no currency: nothing can be paid.
    NoCurrency,
    /// The code's own amount is missing or not positive (dynamic code).
    BadCodeAmount,
    Amount(AmountError),
    Tip(AmountError),
}

/// The total to pay: the code's amount for dynamic codes (or a static code that carries one),
/// the typed amount otherwise, plus the tip / fee rule of the code.
pub fn checkout_total(payment: &Payment, typed_amount: &str, typed_tip: &str) -> Result<Total, TotalError> {
    let currency = payment.currency.as_ref().ok_or(TotalError::NoCurrency)?;
    let mu = currency.minor_units;
    let base = match payment.amount {
        Some(a) if a > Decimal::ZERO => a,
        Some(_) if typed_amount.trim().is_empty() && payment.initiation == crate::payload::Initiation::Dynamic => {
            return Err(TotalError::BadCodeAmount)
        }
        _ => parse_amount(typed_amount, mu).map_err(TotalError::Amount)?,
    };
    let tip = match (&payment.tip, typed_tip.trim().is_empty()) {
        (Some(TipRule::Prompt), false) => Some(parse_amount(typed_tip, mu).map_err(TotalError::Tip)?),
        _ => None,
    };
    let fee = payment.tip.as_ref().map(|r| fee(r, base, tip, mu)).unwrap_or_default();
    let total = base.checked_add(fee).ok_or(TotalError::Amount(AmountError::TooLarge))?;
    Ok(Total { base, fee, total, currency: currency.code.clone(), minor_units: mu })
}

/// Whether the amount is typed by the shopper (static code without an amount).
pub fn needs_typed_amount(payment: &Payment) -> bool {
    !matches!(payment.amount, Some(a) if a > Decimal::ZERO)
}

// ---------------------------------------------------------------------------------------------
// Camera choice

/// A video input as `enumerateDevices()` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CameraDevice {
    #[serde(rename = "deviceId")]
    pub device_id: String,
    pub label: String,
}

const BACK_WORDS: &[&str] = &["back", "rear", "environment", "arrière", "arriere", "后", "後", "背面", "rück", "trasera", "traseira"];
const FRONT_WORDS: &[&str] = &["front", "user", "avant", "前", "facetime", "selfie"];
/// Lenses that are bad at reading a code held at hand distance: ultra-wide (0.5×, blurry close
/// up on many phones), telephoto (cannot focus close), depth / infrared sensors, and the iOS
/// virtual multi-lens cameras that may hop to the ultra-wide.
const AVOID_WORDS: &[&str] = &[
    "ultra", "wide", "0.5", "0,5", "grand-angle", "grand angle", "广角", "廣角", "広角", "tele", "长焦", "長焦", "望遠",
    "depth", "infrared", " ir ", "dual", "triple", "macro",
];

fn is_back(label: &str) -> bool {
    let l = label.to_lowercase();
    BACK_WORDS.iter().any(|w| l.contains(w))
}

fn is_front(label: &str) -> bool {
    let l = label.to_lowercase();
    FRONT_WORDS.iter().any(|w| l.contains(w))
}

fn avoid_score(label: &str) -> usize {
    let l = format!(" {} ", label.to_lowercase());
    AVOID_WORDS.iter().filter(|w| l.contains(*w)).count()
}

/// Pick the back camera to open when a phone has several (labels are only known once the camera
/// permission is granted): the first back camera whose label names no ultra-wide / telephoto /
/// multi-lens, else the one with the fewest such words. `None` = keep `facingMode: environment`.
pub fn preferred_camera(devices: &[CameraDevice]) -> Option<&str> {
    let back: Vec<&CameraDevice> = devices.iter().filter(|d| is_back(&d.label) && !is_front(&d.label)).collect();
    if back.len() < 2 {
        return None;
    }
    back.iter().min_by_key(|d| avoid_score(&d.label)).map(|d| d.device_id.as_str())
}

/// Whether a device label says it faces the shopper (the preview is then mirrored).
pub fn faces_user(label: &str) -> bool {
    is_front(label) && !is_back(label)
}

// ---------------------------------------------------------------------------------------------
// Merchant contract

/// `POST {order-url}` body.
#[derive(Debug, Clone, Serialize)]
pub struct OrderRequest<'a> {
    pub payload: &'a str,
    pub payment: &'a Payment,
    pub wallet: WalletId,
    pub amount: String,
    pub currency: String,
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    })
}

/// `201` answer of `POST {order-url}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    #[serde(deserialize_with = "string_or_number")]
    pub order_id: String,
    #[serde(default, deserialize_with = "string_or_number")]
    pub amount: String,
    #[serde(default)]
    pub currency: String,
    #[serde(default)]
    pub wallet: Option<String>,
    #[serde(default)]
    pub wallet_params: serde_json::Value,
    pub status_url: String,
}

/// `GET {status_url}` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderStatus {
    #[serde(default, deserialize_with = "string_or_number")]
    pub order_id: String,
    pub status: String,
    #[serde(default, deserialize_with = "string_or_number")]
    pub amount: String,
    #[serde(default)]
    pub currency: String,
}

/// `4xx` body: `{ "error": { "code", "message" } }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: String,
    #[serde(default)]
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    pub error: ApiError,
}

/// Read a `4xx` / `5xx` body (anything unreadable becomes `http_<status>`).
pub fn api_error(status: u16, body: &str) -> ApiError {
    serde_json::from_str::<ApiErrorBody>(body)
        .map(|b| b.error)
        .unwrap_or_else(|_| ApiError { code: format!("http_{status}"), message: String::new() })
}

/// The merchant's status, as an outcome when it is final.
pub fn status_outcome(status: &str) -> Option<Outcome> {
    match status {
        "paid" | "succeeded" | "success" => Some(Outcome::Succeeded),
        "cancelled" | "canceled" => Some(Outcome::Cancelled),
        "failed" | "declined" | "expired" => Some(Outcome::Failed {
            code: format!("merchant_{status}"),
            message: "The merchant reports that the payment did not go through.".into(),
        }),
        _ => None,
    }
}

/// Delays (ms) before each status check after the wallet answered. A wallet that says "paid" (or
/// does not know yet) gets a few checks with a short backoff; a cancel / failure is checked once
/// (the merchant may still know better, e.g. a late notification).
pub fn status_poll_delays(bridge: &Outcome) -> &'static [u32] {
    match bridge {
        Outcome::Succeeded | Outcome::Pending => &[0, 400, 800, 1200, 1600, 2400, 3200],
        Outcome::Cancelled | Outcome::Failed { .. } => &[0, 600],
    }
}

/// The outcome shown to the shopper. The merchant's final status wins; while the merchant still
/// says "created", a wallet "success" is only [`Outcome::Pending`] (never shown as paid), and a
/// wallet cancel / failure stands.
pub fn final_outcome(bridge: &Outcome, merchant: Option<&Outcome>) -> Outcome {
    match (merchant, bridge) {
        (Some(Outcome::Failed { code, .. }), Outcome::Failed { message, .. }) if !message.is_empty() => {
            Outcome::Failed { code: code.clone(), message: message.clone() }
        }
        (Some(m), _) if *m != Outcome::Pending => m.clone(),
        (_, Outcome::Succeeded) | (_, Outcome::Pending) => Outcome::Pending,
        (_, other) => other.clone(),
    }
}

/// Whether polling can stop after this merchant status.
pub fn poll_done(merchant: Option<&Outcome>) -> bool {
    matches!(merchant, Some(o) if *o != Outcome::Pending)
}

/// The result screens of the widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultScreen {
    Success,
    Cancelled,
    Failed,
    /// Paid in the wallet but not confirmed by the merchant yet.
    Pending,
}

pub fn result_screen(outcome: &Outcome) -> ResultScreen {
    match outcome {
        Outcome::Succeeded => ResultScreen::Success,
        Outcome::Cancelled => ResultScreen::Cancelled,
        Outcome::Failed { .. } => ResultScreen::Failed,
        Outcome::Pending => ResultScreen::Pending,
    }
}

/// The `interpay:*` event name for a result.
pub fn result_event(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Succeeded => "interpay:succeeded",
        Outcome::Cancelled => "interpay:cancelled",
        Outcome::Failed { .. } => "interpay:failed",
        Outcome::Pending => "interpay:pending",
    }
}

/// Camera start failures, from the `DOMException` name of `getUserMedia`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CameraError {
    Denied,
    NoCamera,
    InUse,
    Insecure,
    Other,
}

impl CameraError {
    /// Map a `DOMException.name`.
    pub fn from_dom_name(name: &str) -> Self {
        match name {
            "NotAllowedError" | "PermissionDeniedError" | "SecurityError" => Self::Denied,
            "NotFoundError" | "DevicesNotFoundError" | "OverconstrainedError" | "ConstraintNotSatisfiedError" => Self::NoCamera,
            "NotReadableError" | "TrackStartError" | "AbortError" => Self::InUse,
            _ => Self::Other,
        }
    }

    /// The `code` of the `interpay:error` event.
    pub fn code(self) -> &'static str {
        match self {
            Self::Denied => "camera_denied",
            Self::NoCamera => "no_camera",
            Self::InUse => "camera_in_use",
            Self::Insecure => "insecure_context",
            Self::Other => "camera_error",
        }
    }
}

/// The scan square (x, y, side) in a `w`×`h` frame: `fraction` of the shorter side, centred.
pub fn scan_square(w: u32, h: u32, fraction: f64) -> (u32, u32, u32) {
    let f = if fraction.is_finite() { fraction.clamp(0.2, 1.0) } else { 0.7 };
    let side = ((w.min(h) as f64) * f).round() as u32;
    let side = side.max(1).min(w.min(h).max(1));
    (w.saturating_sub(side) / 2, h.saturating_sub(side) / 2, side)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::{Currency, Initiation, Payee, References};

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn payment(amount: Option<&str>, tip: Option<TipRule>, mu: u8) -> Payment {
        Payment {
            format: "emv_mpm".into(),
            schemes: vec![],
            payee: Payee { name: Some("BEST TRANSPORT".into()), ..Default::default() },
            amount: amount.map(d),
            currency: Some(Currency { code: if mu == 0 { "JPY".into() } else { "CNY".into() }, numeric: None, minor_units: mu }),
            initiation: if amount.is_some() { Initiation::Dynamic } else { Initiation::Static },
            references: References::default(),
            tip,
            warnings: vec![],
            tlv: None,
            network: None,
        }
    }

    #[test]
    fn typed_amounts() {
        assert_eq!(parse_amount("23.72", 2), Ok(d("23.72")));
        assert_eq!(parse_amount(" 23,7 ", 2), Ok(d("23.7")));
        assert_eq!(parse_amount("1 000.50", 2), Ok(d("1000.5")));
        assert_eq!(parse_amount("１２．５", 2), Ok(d("12.5")));
        assert_eq!(parse_amount(".5", 2), Ok(d("0.5")));
        assert_eq!(parse_amount("12.", 2), Ok(d("12")));
        assert_eq!(parse_amount("12.500", 2), Ok(d("12.5")));
        assert_eq!(parse_amount("500", 0), Ok(d("500")));
        assert_eq!(parse_amount("", 2), Err(AmountError::Empty));
        assert_eq!(parse_amount("  ", 2), Err(AmountError::Empty));
        assert_eq!(parse_amount("12.345", 2), Err(AmountError::TooManyDecimals { max: 2 }));
        assert_eq!(parse_amount("12.5", 0), Err(AmountError::TooManyDecimals { max: 0 }));
        assert_eq!(parse_amount("-5", 2), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("1e3", 2), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("1.2.3", 2), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("1,234.56", 2), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("NaN", 2), Err(AmountError::NotANumber));
        assert_eq!(parse_amount(".", 2), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("0.00", 2), Err(AmountError::Zero));
        assert_eq!(parse_amount("1000000001", 2), Err(AmountError::TooLarge));
        assert_eq!(parse_amount("99999999999999999999999", 2), Err(AmountError::TooLarge));
    }

    #[test]
    fn amount_strings_have_the_currency_decimals() {
        assert_eq!(amount_string(d("23.72"), 2), "23.72");
        assert_eq!(amount_string(d("23.7"), 2), "23.70");
        assert_eq!(amount_string(d("23"), 2), "23.00");
        assert_eq!(amount_string(d("500"), 0), "500");
        assert_eq!(amount_string(d("0.001"), 8), "0.00100000");
        assert_eq!(amount_string(d("1.005"), 2), "1.01");
    }

    #[test]
    fn fees() {
        assert_eq!(fee(&TipRule::Fixed { amount: d("2.5") }, d("10"), None, 2), d("2.5"));
        assert_eq!(fee(&TipRule::Percentage { percent: d("3") }, d("23.72"), None, 2), d("0.71"));
        assert_eq!(fee(&TipRule::Percentage { percent: d("10") }, d("1005"), None, 0), d("101"));
        assert_eq!(fee(&TipRule::Prompt, d("10"), Some(d("1.5")), 2), d("1.5"));
        assert_eq!(fee(&TipRule::Prompt, d("10"), None, 2), Decimal::ZERO);
    }

    #[test]
    fn totals() {
        let dynamic = payment(Some("23.72"), None, 2);
        let t = checkout_total(&dynamic, "", "").unwrap();
        assert_eq!(t.amount_string(), "23.72");
        assert_eq!(t.currency, "CNY");
        assert!(!needs_typed_amount(&dynamic));

        let stat = payment(None, Some(TipRule::Percentage { percent: d("10") }), 2);
        assert!(needs_typed_amount(&stat));
        assert_eq!(checkout_total(&stat, "", ""), Err(TotalError::Amount(AmountError::Empty)));
        let t = checkout_total(&stat, "20", "").unwrap();
        assert_eq!((t.base, t.fee, t.amount_string()), (d("20"), d("2"), "22.00".to_string()));

        let prompt = payment(None, Some(TipRule::Prompt), 2);
        assert_eq!(checkout_total(&prompt, "20", "3").unwrap().amount_string(), "23.00");
        assert_eq!(checkout_total(&prompt, "20", "").unwrap().amount_string(), "20.00");
        assert_eq!(checkout_total(&prompt, "20", "x"), Err(TotalError::Tip(AmountError::NotANumber)));

        let mut none = payment(Some("1"), None, 2);
        none.currency = None;
        assert_eq!(checkout_total(&none, "", ""), Err(TotalError::NoCurrency));

        let zero_dynamic = payment(Some("0"), None, 2);
        assert_eq!(checkout_total(&zero_dynamic, "", ""), Err(TotalError::BadCodeAmount));
        let yen = payment(None, None, 0);
        assert_eq!(checkout_total(&yen, "1200", "").unwrap().amount_string(), "1200");
    }

    fn cams(labels: &[&str]) -> Vec<CameraDevice> {
        labels.iter().enumerate().map(|(i, l)| CameraDevice { device_id: format!("id{i}"), label: l.to_string() }).collect()
    }

    #[test]
    fn camera_choice_avoids_the_ultra_wide() {
        // iPhone Pro.
        let c = cams(&["Front Camera", "Back Ultra Wide Camera", "Back Triple Camera", "Back Dual Wide Camera", "Back Camera", "Back Telephoto Camera"]);
        assert_eq!(preferred_camera(&c), Some("id4"));
        // Android: camera2 0 is the main back camera, 2 the ultra-wide.
        let c = cams(&["camera2 1, facing front", "camera2 0, facing back", "camera2 2, facing back"]);
        assert_eq!(preferred_camera(&c), Some("id1"));
        let c = cams(&["camera2 2 (ultra wide), facing back", "camera2 0, facing back"]);
        assert_eq!(preferred_camera(&c), Some("id1"));
        // Localised iOS labels.
        let c = cams(&["后置超广角相机", "后置相机", "前置相机"]);
        assert_eq!(preferred_camera(&c), Some("id1"));
        let c = cams(&["Caméra ultra grand-angle arrière", "Caméra arrière"]);
        assert_eq!(preferred_camera(&c), Some("id1"));
        // One back camera, no labels (no permission yet), laptops: let facingMode decide.
        assert_eq!(preferred_camera(&cams(&["Front Camera", "Back Camera"])), None);
        assert_eq!(preferred_camera(&cams(&["", ""])), None);
        assert_eq!(preferred_camera(&cams(&["Integrated Webcam", "USB Camera"])), None);
        assert!(faces_user("Front Camera"));
        assert!(!faces_user("Back Camera"));
    }

    #[test]
    fn merchant_contract_messages() {
        let o: Order = serde_json::from_str(
            r#"{"order_id":"o1","amount":"23.72","currency":"CNY","wallet":"sandbox","wallet_params":{"a":1},"status_url":"/orders/o1"}"#,
        )
        .unwrap();
        assert_eq!(o.order_id, "o1");
        assert_eq!(o.wallet_params["a"], 1);
        let o: Order = serde_json::from_str(r#"{"order_id":7,"amount":23.72,"status_url":"/s"}"#).unwrap();
        assert_eq!((o.order_id.as_str(), o.amount.as_str()), ("7", "23.72"));
        assert!(serde_json::from_str::<Order>(r#"{"amount":"1"}"#).is_err());
        let e = api_error(422, r#"{"error":{"code":"amount_mismatch","message":"Amount differs"}}"#);
        assert_eq!(e.code, "amount_mismatch");
        assert_eq!(api_error(502, "<html>").code, "http_502");
        let p = payment(Some("23.72"), None, 2);
        let body = serde_json::to_value(OrderRequest {
            payload: "000201",
            payment: &p,
            wallet: WalletId::Sandbox,
            amount: "23.72".into(),
            currency: "CNY".into(),
        })
        .unwrap();
        assert_eq!(body["wallet"], "sandbox");
        assert_eq!(body["amount"], "23.72");
        assert_eq!(body["payment"]["amount"], "23.72");
        assert_eq!(body["payment"]["payee"]["name"], "BEST TRANSPORT");
    }

    #[test]
    fn the_merchant_has_the_last_word() {
        let paid = status_outcome("paid");
        let created = status_outcome("created");
        assert_eq!(created, None);
        assert_eq!(final_outcome(&Outcome::Succeeded, paid.as_ref()), Outcome::Succeeded);
        // Wallet says paid, merchant never confirms: not shown as paid.
        assert_eq!(final_outcome(&Outcome::Succeeded, None), Outcome::Pending);
        // Wallet says cancelled, merchant says paid (late notification): paid.
        assert_eq!(final_outcome(&Outcome::Cancelled, paid.as_ref()), Outcome::Succeeded);
        assert_eq!(final_outcome(&Outcome::Cancelled, None), Outcome::Cancelled);
        let wallet_fail = Outcome::Failed { code: "insufficient_funds".into(), message: "Not enough money".into() };
        assert_eq!(final_outcome(&wallet_fail, None), wallet_fail);
        match final_outcome(&wallet_fail, status_outcome("failed").as_ref()) {
            Outcome::Failed { code, message } => assert_eq!((code.as_str(), message.as_str()), ("merchant_failed", "Not enough money")),
            o => panic!("{o:?}"),
        }
        assert!(matches!(final_outcome(&Outcome::Succeeded, status_outcome("failed").as_ref()), Outcome::Failed { .. }));
        assert_eq!(final_outcome(&Outcome::Succeeded, status_outcome("cancelled").as_ref()), Outcome::Cancelled);
        assert!(poll_done(paid.as_ref()));
        assert!(!poll_done(None));
        assert!(status_poll_delays(&Outcome::Succeeded).len() > status_poll_delays(&Outcome::Cancelled).len());
        assert_eq!(result_screen(&Outcome::Pending), ResultScreen::Pending);
        assert_eq!(result_event(&wallet_fail), "interpay:failed");
    }

    #[test]
    fn camera_errors_and_scan_square() {
        assert_eq!(CameraError::from_dom_name("NotAllowedError"), CameraError::Denied);
        assert_eq!(CameraError::from_dom_name("NotFoundError"), CameraError::NoCamera);
        assert_eq!(CameraError::from_dom_name("NotReadableError"), CameraError::InUse);
        assert_eq!(CameraError::from_dom_name("TrackStartError"), CameraError::InUse);
        assert_eq!(CameraError::from_dom_name("Weird"), CameraError::Other);
        assert_eq!(CameraError::Insecure.code(), "insecure_context");
        assert_eq!(scan_square(640, 480, 0.7), (152, 72, 336));
        assert_eq!(scan_square(480, 640, 1.0), (0, 80, 480));
        assert_eq!(scan_square(640, 480, f64::NAN), (152, 72, 336));
        assert_eq!(scan_square(0, 0, 0.7), (0, 0, 1));
    }
}
