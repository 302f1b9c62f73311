//! What the shopper pays: the typed amount (decimal string → exact [`Decimal`], never a float),
//! the tip / convenience fee of the code, and the total sent to the merchant.

use crate::payload::{Payment, TipRule};
use rust_decimal::prelude::*;
use rust_decimal::Decimal;

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
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Total {
    /// The amount of the code (dynamic) or typed (static).
    pub base: Decimal,
    /// The shopper's tip, for a code that prompts for one (zero when none was typed).
    pub tip: Option<Decimal>,
    /// The code's convenience fee (fixed or percentage; zero when the code has none).
    pub fee: Decimal,
    /// `base + tip + fee`.
    pub total: Decimal,
    pub currency: String,
    pub minor_units: u8,
}

impl Total {
    /// The `amount` string of the order request.
    pub fn amount_string(&self) -> String {
        amount_string(self.total, self.minor_units)
    }

    /// `base_amount` of the order request.
    pub fn base_string(&self) -> String {
        amount_string(self.base, self.minor_units)
    }

    /// `tip` of the order request (only for a code that prompts for one).
    pub fn tip_string(&self) -> Option<String> {
        self.tip.map(|t| amount_string(t, self.minor_units))
    }

    /// `fee` of the order request (only for a code with a convenience fee).
    pub fn fee_string(&self, rule: Option<&TipRule>) -> Option<String> {
        matches!(rule, Some(TipRule::Fixed { .. } | TipRule::Percentage { .. })).then(|| amount_string(self.fee, self.minor_units))
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
    let (tip, fee) = match &payment.tip {
        Some(TipRule::Prompt) if typed_tip.trim().is_empty() => (Some(Decimal::ZERO), Decimal::ZERO),
        Some(TipRule::Prompt) => (Some(parse_amount(typed_tip, mu).map_err(TotalError::Tip)?), Decimal::ZERO),
        Some(rule) => (None, fee(rule, base, None, mu)),
        None => (None, Decimal::ZERO),
    };
    let total = base
        .checked_add(fee)
        .and_then(|t| t.checked_add(tip.unwrap_or_default()))
        .ok_or(TotalError::Amount(AmountError::TooLarge))?;
    Ok(Total { base, tip, fee, total, currency: currency.code.clone(), minor_units: mu })
}

/// Whether the amount is typed by the shopper (static code without an amount).
pub fn needs_typed_amount(payment: &Payment) -> bool {
    !matches!(payment.amount, Some(a) if a > Decimal::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
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
        let dynamic = crate::checkout::test_payment(Some("23.72"), None, 2);
        let t = checkout_total(&dynamic, "", "").unwrap();
        assert_eq!(t.amount_string(), "23.72");
        assert_eq!(t.currency, "CNY");
        assert!(!needs_typed_amount(&dynamic));

        let stat = crate::checkout::test_payment(None, Some(TipRule::Percentage { percent: d("10") }), 2);
        assert!(needs_typed_amount(&stat));
        assert_eq!(checkout_total(&stat, "", ""), Err(TotalError::Amount(AmountError::Empty)));
        let t = checkout_total(&stat, "20", "").unwrap();
        assert_eq!((t.base, t.tip, t.fee, t.amount_string()), (d("20"), None, d("2"), "22.00".to_string()));
        assert_eq!((t.base_string(), t.tip_string(), t.fee_string(stat.tip.as_ref())), ("20.00".into(), None, Some("2.00".into())));

        let prompt = crate::checkout::test_payment(None, Some(TipRule::Prompt), 2);
        let t = checkout_total(&prompt, "20", "3").unwrap();
        assert_eq!((t.amount_string(), t.tip_string(), t.fee_string(prompt.tip.as_ref())), ("23.00".into(), Some("3.00".into()), None));
        assert_eq!(checkout_total(&prompt, "20", "").unwrap().amount_string(), "20.00");
        assert_eq!(checkout_total(&prompt, "20", "x"), Err(TotalError::Tip(AmountError::NotANumber)));

        let mut none = crate::checkout::test_payment(Some("1"), None, 2);
        none.currency = None;
        assert_eq!(checkout_total(&none, "", ""), Err(TotalError::NoCurrency));

        let zero_dynamic = crate::checkout::test_payment(Some("0"), None, 2);
        assert_eq!(checkout_total(&zero_dynamic, "", ""), Err(TotalError::BadCodeAmount));
        let yen = crate::checkout::test_payment(None, None, 0);
        assert_eq!(checkout_total(&yen, "1200", "").unwrap().amount_string(), "1200");
    }
}
