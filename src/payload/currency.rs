//! ISO 4217 currencies (crate `iso_currency`) plus crypto tickers; country/currency agreement.

use super::Currency;
use iso_currency::{Country, Currency as Iso};
use std::str::FromStr;

fn from_iso(c: Iso) -> Currency {
    Currency { code: c.code().to_string(), numeric: Some(format!("{:03}", c.numeric())), minor_units: c.exponent().unwrap_or(0) as u8 }
}

/// From a 3-digit ISO 4217 numeric code ("156").
pub fn from_numeric(numeric: &str) -> Option<Currency> {
    if numeric.len() != 3 || !numeric.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Iso::from_numeric(numeric.parse().ok()?).map(from_iso)
}

/// From a 3-letter ISO 4217 alpha code ("CNY"), case-insensitive.
pub fn from_alpha(code: &str) -> Option<Currency> {
    if code.len() != 3 {
        return None;
    }
    Iso::from_code(&code.to_ascii_uppercase()).map(from_iso)
}

pub fn crypto(ticker: &str, minor_units: u8) -> Currency {
    Currency { code: ticker.to_string(), numeric: None, minor_units }
}

/// Whether ISO 3166 `country` uses `currency` (alpha). `None` when the country is unknown.
pub fn country_uses(country: &str, currency: &str) -> Option<bool> {
    let c = Country::from_str(country).ok()?;
    let cur = Iso::from_code(currency)?;
    Some(Iso::from_country(c).contains(&cur) || cur.used_by().contains(&c))
}

/// Whether `country` is an ISO 3166-1 alpha-2 code.
pub fn is_country(country: &str) -> bool {
    country.len() == 2 && Country::from_str(country).is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn table() {
        let c = super::from_numeric("156").unwrap();
        assert_eq!((c.code.as_str(), c.minor_units), ("CNY", 2));
        assert_eq!(super::from_numeric("392").unwrap().minor_units, 0);
        assert!(super::from_numeric("123").is_none());
        assert_eq!(super::country_uses("KH", "USD"), Some(true));
        assert_eq!(super::country_uses("CN", "USD"), Some(false));
        assert!(super::is_country("BR"));
    }
}
