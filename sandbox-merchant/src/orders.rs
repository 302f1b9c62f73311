//! Pure order rules (no I/O): reading `POST /api/orders`, deciding whose code it is, and the price.
//!
//! The price is never taken from the browser's parsed copy, and for a code this server issued
//! (a bill) never from the QR text either: the bill record says the amount and the payee.
//! Tips and fees (EMVCo tags 55/56/57) are recomputed here with the same pure function the widget uses
//! ([`interpay::checkout::fee`]); the total the shopper pays is `base_amount + tip + fee`.

use crate::error::ApiError;
use interpay::payload::{Code, Initiation, Payment, TipRule};
use interpay::wallet::WalletId;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;
use std::str::FromStr;

/// Largest raw QR payload accepted (a version-40 QR code holds at most 7089 characters).
pub const MAX_PAYLOAD_CHARS: usize = 8 * 1024;
/// Largest `Idempotency-Key` accepted.
pub const MAX_IDEMPOTENCY_KEY: usize = 200;

/// The merchant this server collects for: its own codes (static stickers, till bills) name this account.
#[derive(Debug, Clone)]
pub struct Merchant {
    pub name: String,
    pub city: String,
    pub country: String,
    pub currency: String,
    pub mcc: String,
    /// Scheme id and merchant account of the merchant's codes (EMVCo merchant account information).
    pub scheme: String,
    pub account: String,
    /// Largest order, in major units.
    pub max_amount: Decimal,
}

impl Merchant {
    /// Sandbox Café (the demo's till sticker `www/demo/codes/unionpay-static.svg`: UnionPay account 12345678).
    pub fn sandbox_cafe() -> Merchant {
        Merchant {
            name: "SANDBOX CAFE".into(),
            city: "BEIJING".into(),
            country: "CN".into(),
            currency: "CNY".into(),
            mcc: "5814".into(),
            scheme: "unionpay".into(),
            account: "12345678".into(),
            max_amount: Decimal::from(1_000_000),
        }
    }

    /// Whether the code pays this merchant's account.
    pub fn is_payee_of(&self, p: &Payment) -> bool {
        p.payee.accounts.iter().any(|a| a.scheme == self.scheme && a.value == self.account)
    }
}

/// `POST /api/orders` as read (amounts exact decimals, nothing trusted yet).
#[derive(Debug, Clone, Default)]
pub struct OrderRequest {
    pub payload: String,
    pub wallet: String,
    pub wallet_id: Option<WalletId>,
    /// The total the shopper pays (`base_amount + tip + fee`).
    pub amount: Option<Decimal>,
    pub currency: Option<String>,
    pub base_amount: Option<Decimal>,
    pub tip: Option<Decimal>,
    pub fee: Option<Decimal>,
    /// The order id of an earlier attempt this one replaces (voided if still open).
    pub replaces: Option<String>,
    /// The shopper's identity for wallets that need it (WeChat openid, Alipay buyer_open_id), or a code for it.
    pub payer: Option<crate::gateways::PayerRequest>,
}

fn decimal_field(v: &Value, name: &str) -> Result<Option<Decimal>, ApiError> {
    let bad = || ApiError::bad_request(&format!("bad_{name}"), format!("{name} must be a decimal string"));
    match v.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Decimal::from_str(s.trim()).map(Some).map_err(|_| bad()),
        Some(Value::Number(n)) => Decimal::from_str(&n.to_string()).map(Some).map_err(|_| bad()),
        Some(_) => Err(bad()),
    }
}

/// Read the request body (already size-limited by the server).
pub fn read_request(v: &Value) -> Result<OrderRequest, ApiError> {
    if !v.is_object() {
        return Err(ApiError::bad_request("bad_json", "request body must be a JSON object"));
    }
    let payload = match v.get("payload") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err(ApiError::bad_request("missing_payload", "payload (the raw QR text) is required")),
    };
    if payload.chars().count() > MAX_PAYLOAD_CHARS {
        return Err(ApiError::unprocessable("payload_too_long", "payload is longer than any QR code can hold"));
    }
    let (wallet, wallet_id) = match v.get("wallet") {
        Some(w @ Value::String(s)) => match serde_json::from_value::<WalletId>(w.clone()) {
            Ok(id) => (s.clone(), Some(id)),
            Err(_) => return Err(ApiError::bad_request("unknown_wallet", format!("unknown wallet {w}"))),
        },
        _ => return Err(ApiError::bad_request("missing_wallet", "wallet is required")),
    };
    let currency = match v.get("currency") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(ApiError::bad_request("bad_currency", "currency must be a string")),
    };
    let replaces = match v.get("replaces") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.len() <= 64 => Some(s.clone()),
        Some(_) => return Err(ApiError::bad_request("bad_replaces", "replaces must be an order id")),
    };
    Ok(OrderRequest {
        payload,
        wallet,
        wallet_id,
        amount: decimal_field(v, "amount")?,
        currency,
        base_amount: decimal_field(v, "base_amount")?,
        tip: decimal_field(v, "tip")?,
        fee: decimal_field(v, "fee")?,
        replaces,
        payer: crate::gateways::read_payer(v.get("payer"))?,
    })
}

/// Parse the raw payload on the server and check the wallet can settle it (`sandbox`: the sandbox
/// wallet exists in sandbox mode only).
pub fn parse_payment(req: &OrderRequest, sandbox: bool) -> Result<Payment, ApiError> {
    if req.wallet_id == Some(WalletId::Sandbox) && !sandbox {
        return Err(ApiError::unprocessable("wallet_not_supported", "the sandbox wallet exists in sandbox mode only"));
    }
    let payment = match interpay::payload::parse(&req.payload) {
        Ok(Code::Payment(p)) => p,
        Ok(Code::NotPayment(n)) => {
            return Err(ApiError::unprocessable("not_payment", format!("the scanned code is not a payment code ({})", n.what)))
        }
        Err(e) => return Err(ApiError::unprocessable("invalid_payload", format!("invalid payment code: {e}"))),
    };
    if let Some(w) = req.wallet_id {
        // A WeChat Pay order for a PIX code would take the shopper's money to the wrong network.
        if !payment.schemes.iter().any(|s| interpay::wallet::routing::supports_scheme(w, &s.id)) {
            let schemes: Vec<&str> = payment.schemes.iter().map(|s| s.name.as_str()).collect();
            return Err(ApiError::unprocessable(
                "wallet_not_supported",
                format!("the {} wallet cannot pay this code ({})", req.wallet, schemes.join(", ")),
            ));
        }
    }
    Ok(payment)
}

/// Why a code claiming one of this server's bills is not the code the bill issued.
pub fn tamper_reason(issued: &Payment, presented: &Payment) -> String {
    let mut diffs = Vec::new();
    if issued.amount != presented.amount {
        diffs.push(format!(
            "amount {} (issued {})",
            presented.amount.map(|a| a.to_string()).unwrap_or_else(|| "none".into()),
            issued.amount.map(|a| a.to_string()).unwrap_or_else(|| "none".into())
        ));
    }
    if issued.currency.as_ref().map(|c| &c.code) != presented.currency.as_ref().map(|c| &c.code) {
        diffs.push("currency".into());
    }
    if issued.payee.accounts != presented.payee.accounts {
        diffs.push("payee account".into());
    }
    if issued.payee.name != presented.payee.name {
        diffs.push("payee name".into());
    }
    if issued.tip != presented.tip {
        diffs.push("tip / fee rule".into());
    }
    if diffs.is_empty() {
        diffs.push("other fields".into());
    }
    diffs.join(", ")
}

/// The price of an order: what the shopper pays and how it splits.
#[derive(Debug, Clone, PartialEq)]
pub struct Price {
    pub currency: String,
    pub minor_units: u8,
    pub base: Decimal,
    pub tip: Decimal,
    pub fee: Decimal,
    pub total: Decimal,
}

impl Price {
    pub fn s(&self, d: Decimal) -> String {
        interpay::checkout::amount_string(d, self.minor_units)
    }
}

fn fee_for(rule: &Option<TipRule>, base: Decimal, mu: u8) -> Decimal {
    match rule {
        Some(r @ (TipRule::Fixed { .. } | TipRule::Percentage { .. })) => interpay::checkout::fee(r, base, None, mu),
        _ => Decimal::ZERO,
    }
}

/// Price an order. `locked_base` is the bill's amount (a code this server issued), else the code's own
/// amount is used when it has one, else the shopper's.
///
/// Two request shapes are accepted:
/// - split: `base_amount`, `tip`, `fee` (each optional) and `amount` = their total; the server
///   recomputes the fee and checks every part;
/// - total only (today's widget): `amount` = base + fee (+ tip when the code prompts for one).
pub fn price(req: &OrderRequest, p: &Payment, locked_base: Option<Decimal>, max_amount: Decimal) -> Result<Price, ApiError> {
    // Currency: the code's, else the shopper's (static codes without currency), and they must agree.
    let (currency, mu) = match (&p.currency, &req.currency) {
        (Some(c), Some(r)) if !c.code.eq_ignore_ascii_case(r) => {
            return Err(ApiError::unprocessable(
                "currency_mismatch",
                format!("the code is in {} but the order asks for {r}", c.code),
            ))
        }
        (Some(c), _) => (c.code.clone(), c.minor_units),
        (None, Some(r)) => {
            let ok = (3..=5).contains(&r.len()) && r.chars().all(|c| c.is_ascii_uppercase());
            if !ok {
                return Err(ApiError::unprocessable("bad_currency", format!("{r:?} is not a currency code")));
            }
            (r.clone(), 2)
        }
        (None, None) => return Err(ApiError::unprocessable("missing_currency", "the code has no currency; give one")),
    };
    let code_base = locked_base.or(p.amount);
    let tip_allowed = matches!(p.tip, Some(TipRule::Prompt));
    let split = req.base_amount.is_some() || req.tip.is_some() || req.fee.is_some();
    let s = |d: Decimal| interpay::checkout::amount_string(d, mu);

    let (base, tip) = if split {
        let base = match (code_base, req.base_amount) {
            (Some(c), Some(b)) if b != c => {
                return Err(ApiError::unprocessable(
                    "amount_mismatch",
                    format!("the bill is for {} {currency}, the order asks for a base of {b}", s(c)),
                ))
            }
            (Some(c), _) => c,
            (None, Some(b)) => b,
            (None, None) => {
                return Err(ApiError::unprocessable("missing_amount", "this code has no amount: give base_amount"))
            }
        };
        (base, req.tip.unwrap_or_default())
    } else {
        match (code_base, req.amount) {
            (Some(c), None) => (c, Decimal::ZERO),
            (Some(c), Some(a)) => {
                let with_fee = c + fee_for(&p.tip, c, mu);
                if a == with_fee {
                    (c, Decimal::ZERO)
                } else if tip_allowed && a > c {
                    (c, a - c)
                } else {
                    let fee = with_fee - c;
                    let msg = if fee > Decimal::ZERO {
                        format!("the code is for {} {currency} plus a fee of {}: the total is {}, the order asks for {a}", s(c), s(fee), s(with_fee))
                    } else {
                        format!("the code is for {} {currency}, the order asks for {a}", s(c))
                    };
                    return Err(ApiError::unprocessable("amount_mismatch", msg));
                }
            }
            (None, None) => {
                return Err(ApiError::unprocessable("missing_amount", "this code has no amount: the shopper must enter one"))
            }
            (None, Some(total)) => (base_from_total(&p.tip, total, mu), Decimal::ZERO),
        }
    };

    if tip < Decimal::ZERO {
        return Err(ApiError::unprocessable("invalid_tip", "the tip cannot be negative"));
    }
    if tip > Decimal::ZERO && !tip_allowed {
        return Err(ApiError::unprocessable("tip_not_allowed", "this code does not take a tip (EMVCo tag 55 is not 01)"));
    }
    let fee = fee_for(&p.tip, base, mu);
    if let Some(f) = req.fee {
        if f != fee {
            return Err(ApiError::unprocessable(
                "fee_mismatch",
                format!("the code's fee on {} {currency} is {}, the order says {f}", s(base), s(fee)),
            ));
        }
    }
    let total = base + tip + fee;
    if split {
        if let Some(a) = req.amount {
            if a != total {
                return Err(ApiError::unprocessable(
                    "total_mismatch",
                    format!("base {} + tip {} + fee {} = {} {currency}, the order says amount {a}", s(base), s(tip), s(fee), s(total)),
                ));
            }
        }
    }
    if base <= Decimal::ZERO {
        return Err(ApiError::unprocessable("invalid_amount", "the amount must be positive"));
    }
    for (what, d) in [("amount", base), ("tip", tip), ("total", total)] {
        if d.normalize().scale() > u32::from(mu) {
            return Err(ApiError::unprocessable(
                if what == "tip" { "invalid_tip" } else { "invalid_amount" },
                format!("{currency} has {mu} decimal places, the {what} {d} has more"),
            ));
        }
    }
    if total > max_amount {
        return Err(ApiError::unprocessable("amount_too_large", format!("this merchant accepts orders up to {max_amount}")));
    }
    Ok(Price { currency, minor_units: mu, base, tip, fee, total })
}

/// The base of a total that includes the code's fee (a static code with a fee, total-only request).
fn base_from_total(rule: &Option<TipRule>, total: Decimal, mu: u8) -> Decimal {
    match rule {
        Some(TipRule::Fixed { amount }) => total - *amount,
        Some(TipRule::Percentage { percent }) => {
            let dp = u32::from(mu.min(28));
            let guess = (total / (Decimal::ONE + *percent / Decimal::ONE_HUNDRED))
                .round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
            let unit = Decimal::new(1, dp);
            // The rounding of the fee can make two bases give one total: take the one that adds up.
            [guess, guess - unit, guess + unit]
                .into_iter()
                .find(|b| *b + fee_for(rule, *b, mu) == total)
                .unwrap_or(guess)
        }
        _ => total,
    }
}

/// Whether a dynamic code (one transaction) vs a static sticker.
pub fn is_dynamic(p: &Payment) -> bool {
    p.initiation == Initiation::Dynamic
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn pay(amount: Option<&str>, tip: Option<TipRule>) -> Payment {
        let mut p = Payment::new("emv_mpm");
        p.amount = amount.map(d);
        p.currency = Some(interpay::payload::Currency { code: "CNY".into(), numeric: Some("156".into()), minor_units: 2 });
        p.tip = tip;
        p
    }

    fn req(amount: Option<&str>) -> OrderRequest {
        OrderRequest { amount: amount.map(d), ..Default::default() }
    }

    #[test]
    fn todays_widget_sends_base_plus_fee_and_it_is_accepted() {
        let p = pay(Some("20.00"), Some(TipRule::Fixed { amount: d("2") }));
        let pr = price(&req(Some("22.00")), &p, None, d("1000")).unwrap();
        assert_eq!((pr.base, pr.tip, pr.fee, pr.total), (d("20"), d("0"), d("2"), d("22")));
        // Leaving the amount out does not skip the fee.
        assert_eq!(price(&req(None), &p, None, d("1000")).unwrap().total, d("22"));
        // The bare code amount (fee skipped) is refused.
        assert_eq!(price(&req(Some("20.00")), &p, None, d("1000")).unwrap_err().code, "amount_mismatch");
    }

    #[test]
    fn split_request_checks_every_part() {
        let p = pay(Some("23.72"), Some(TipRule::Percentage { percent: d("3") }));
        let mut r = OrderRequest { base_amount: Some(d("23.72")), fee: Some(d("0.71")), amount: Some(d("24.43")), ..Default::default() };
        assert_eq!(price(&r, &p, None, d("1000")).unwrap().total, d("24.43"));
        r.fee = Some(d("0.01"));
        assert_eq!(price(&r, &p, None, d("1000")).unwrap_err().code, "fee_mismatch");
        r.fee = None;
        r.amount = Some(d("24.00"));
        assert_eq!(price(&r, &p, None, d("1000")).unwrap_err().code, "total_mismatch");
        r.amount = None;
        r.tip = Some(d("1"));
        assert_eq!(price(&r, &p, None, d("1000")).unwrap_err().code, "tip_not_allowed");
    }

    #[test]
    fn tip_prompt_takes_a_tip_split_or_in_the_total() {
        let p = pay(Some("10.00"), Some(TipRule::Prompt));
        let r = OrderRequest { base_amount: Some(d("10")), tip: Some(d("1.50")), amount: Some(d("11.50")), ..Default::default() };
        let pr = price(&r, &p, None, d("1000")).unwrap();
        assert_eq!((pr.tip, pr.fee, pr.total), (d("1.5"), d("0"), d("11.5")));
        let pr = price(&req(Some("11.50")), &p, None, d("1000")).unwrap();
        assert_eq!((pr.base, pr.tip), (d("10"), d("1.5")));
        let r = OrderRequest { base_amount: Some(d("10")), tip: Some(d("-1")), ..Default::default() };
        assert_eq!(price(&r, &p, None, d("1000")).unwrap_err().code, "invalid_tip");
    }

    #[test]
    fn the_bill_amount_wins_over_the_code() {
        let p = pay(Some("0.01"), None);
        assert_eq!(price(&req(None), &p, Some(d("18.00")), d("1000")).unwrap().total, d("18"));
        assert_eq!(price(&req(Some("0.01")), &p, Some(d("18.00")), d("1000")).unwrap_err().code, "amount_mismatch");
    }

    #[test]
    fn static_code_with_a_percentage_fee_splits_the_total() {
        let p = pay(None, Some(TipRule::Percentage { percent: d("3") }));
        let pr = price(&req(Some("24.43")), &p, None, d("1000")).unwrap();
        assert_eq!((pr.base, pr.fee), (d("23.72"), d("0.71")));
        assert_eq!(price(&req(Some("2000")), &p, None, d("1000")).unwrap_err().code, "amount_too_large");
        assert_eq!(price(&req(Some("1.001")), &pay(None, None), None, d("1000")).unwrap_err().code, "invalid_amount");
    }
}
