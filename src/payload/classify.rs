//! Which kind of code a scanned text is: dispatch to the format parsers, or name a non-payment kind.

use super::error::err;
use super::{emv, Code, NotPayment, ParseError, Payment};

pub fn parse(text: &str, now_ms: Option<i64>) -> Result<Code, ParseError> {
    if emv::looks_like_emv(text) {
        return emv::parse(text, now_ms).map(Code::Payment);
    }
    Ok(Code::NotPayment(NotPayment { what: not_payment_kind(text).into(), text: text.into() }))
}

pub fn parse_as(expected: &str, text: &str, now_ms: Option<i64>) -> Result<Payment, ParseError> {
    let p = match expected {
        "emv_mpm" | "emv" => emv::parse(text, now_ms)?,
        _ => match parse(text, now_ms)? {
            Code::Payment(p) => p,
            Code::NotPayment(n) => return Err(err("wrong_format", 0, "", format!("not a {expected} code (looks like {})", n.what))),
        },
    };
    if expected != "emv_mpm" && expected != "emv" && p.format != expected && !p.schemes.iter().any(|s| s.id == expected) {
        return Err(err("wrong_format", 0, "", format!("not a {expected} code (format {})", p.format)));
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
    } else if starts("mailto:") || starts("matmsg:") || (is_email(t)) {
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
