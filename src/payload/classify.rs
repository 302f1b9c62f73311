//! Which kind of code a scanned text is: dispatch to the format parsers, or name a non-payment kind.

use super::error::err;
use super::ErrorCode;
use super::{crypto, emv, epc, swiss, urls, Code, NotPayment, ParseError, Payment};

fn first_line(text: &str) -> &str {
    text.split(['\n', '\r']).next().unwrap_or("")
}

fn scheme_is(text: &str, s: &str) -> bool {
    text.trim_start().get(..s.len()).is_some_and(|p| p.eq_ignore_ascii_case(s))
}

pub fn parse(text: &str, now_ms: Option<i64>) -> Result<Code, ParseError> {
    let pay = |r: Result<Payment, ParseError>| r.map(Code::Payment);
    if emv::looks_like_emv(text) {
        return pay(emv::parse(text, now_ms));
    }
    if let Some(r) = urls::parse_upi(text) {
        return pay(r);
    }
    if let Some(r) = urls::parse(text) {
        return pay(r);
    }
    let head = first_line(text.trim_start());
    if head == "BCD" {
        return pay(epc::parse(text.trim_start()));
    }
    if head == "SPC" {
        return pay(swiss::parse(text.trim_start()));
    }
    if scheme_is(text, "bitcoin:") {
        return pay(crypto::parse_bip21(text, now_ms));
    }
    if scheme_is(text, "lightning:") || crypto::looks_like_bolt11(text) {
        return pay(crypto::parse_bolt11(text, now_ms));
    }
    if scheme_is(text, "ethereum:") {
        return pay(crypto::parse_eip681(text));
    }
    Ok(Code::NotPayment(not_payment(text)))
}

pub fn not_payment(text: &str) -> NotPayment {
    let what = if super::cpm::looks_like_cpm(text) { "emv_cpm" } else { not_payment_kind(text) };
    let mut warnings = Vec::new();
    if what == "url" {
        urls::check_url(text.trim(), "url", &mut warnings);
    }
    NotPayment { what: what.into(), text: text.into(), warnings }
}

/// Parse `text` as the `expected` format or scheme; other kinds of text are `wrong_format` errors.
pub fn parse_as(expected: &str, text: &str, now_ms: Option<i64>) -> Result<Payment, ParseError> {
    let p = match expected {
        "emv_mpm" | "emv" => emv::parse(text, now_ms)?,
        "epc" | "sepa" => epc::parse(text)?,
        "swiss_qr" => swiss::parse(text)?,
        "bip21" | "bitcoin" => crypto::parse_bip21(text, now_ms)?,
        "bolt11" | "lightning" => crypto::parse_bolt11(text, now_ms)?,
        "eip681" | "ethereum" => crypto::parse_eip681(text)?,
        "upi" if !emv::looks_like_emv(text) => match urls::parse_upi(text) {
            Some(r) => r?,
            None => return Err(err(ErrorCode::WrongFormat, 0, "", "not a upi:// link")),
        },
        _ => match parse(text, now_ms)? {
            Code::Payment(p) => p,
            Code::NotPayment(n) => return Err(err(ErrorCode::WrongFormat, 0, "", format!("not a {expected} code (looks like {})", n.what))),
        },
    };
    if p.format != expected && !p.schemes.iter().any(|s| s.id == expected) && !matches!(expected, "emv" | "sepa" | "bitcoin" | "lightning" | "ethereum") {
        return Err(err(ErrorCode::WrongFormat, 0, "", format!("not a {expected} code (format {}, schemes {})", p.format, p.schemes.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(","))));
    }
    Ok(p)
}

/// Kinds of non-payment texts, so the widget can show them safely.
pub fn not_payment_kind(text: &str) -> &'static str {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let starts = |p: &str| lower.starts_with(p);
    if starts("http://") || starts("https://") || starts("www.") {
        "url"
    } else if starts("begin:vcard") || starts("mecard:") || starts("bizcard:") {
        "contact"
    } else if starts("begin:vevent") || starts("begin:vcalendar") {
        "event"
    } else if starts("wifi:") {
        "wifi"
    } else if starts("mailto:") || starts("matmsg:") || is_email(t) {
        "email"
    } else if starts("tel:") {
        "phone"
    } else if starts("sms:") || starts("smsto:") || starts("mms:") || starts("mmsto:") {
        "sms"
    } else if starts("geo:") {
        "geo"
    } else if t.is_empty() {
        "empty"
    } else if has_uri_scheme(t) {
        "uri"
    } else {
        "text"
    }
}

fn is_email(t: &str) -> bool {
    let mut parts = t.split('@');
    matches!((parts.next(), parts.next(), parts.next()), (Some(a), Some(b), None) if !a.is_empty() && b.contains('.') && !t.contains(char::is_whitespace))
}

fn has_uri_scheme(t: &str) -> bool {
    match t.split_once(':') {
        Some((s, rest)) => {
            !s.is_empty() && !rest.is_empty() && s.len() <= 32 && s.as_bytes()[0].is_ascii_alphabetic() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        }
        None => false,
    }
}
