//! EPC069-12 SEPA credit transfer QR ("BCD" / GiroCode), versions 001 and 002; IBAN checks.

use super::emv::{parse_decimal, warn};
use super::error::err;
use super::urls::base_payment;
use super::{currency, Account, ErrorCode, Initiation, ParseError, Payment, WarningCode};

/// ISO 13616 IBAN: 2 letters, 2 check digits, up to 30 alphanumerics, mod 97 == 1.
pub fn iban_valid(iban: &str) -> bool {
    let b = iban.as_bytes();
    if b.len() < 15 || b.len() > 34 || !b[..2].iter().all(u8::is_ascii_uppercase) || !b[2..4].iter().all(u8::is_ascii_digit) {
        return false;
    }
    if !b.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
        return false;
    }
    let mut r: u32 = 0;
    for &c in b[4..].iter().chain(b[..4].iter()) {
        let v = if c.is_ascii_digit() { (c - b'0') as u32 } else { (c - b'A') as u32 + 10 };
        r = if v >= 10 { (r * 100 + v) % 97 } else { (r * 10 + v) % 97 };
    }
    r == 1
}

/// ISO 9362 BIC: 4 letters bank, 2 letters country, 2 alnum location, optional 3 alnum branch.
pub fn bic_valid(bic: &str) -> bool {
    let b = bic.as_bytes();
    (b.len() == 8 || b.len() == 11)
        && b[..6].iter().all(u8::is_ascii_uppercase)
        && b[6..].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Lines with their character positions; accepts \n, \r\n and \r.
pub fn lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start_b = 0usize;
    let mut start_c = 0usize;
    let mut chars = text.char_indices().peekable();
    let mut ci = 0usize;
    while let Some((bi, c)) = chars.next() {
        if c == '\n' || c == '\r' {
            out.push((start_c, &text[start_b..bi]));
            let mut next_b = bi + 1;
            ci += 1;
            if c == '\r' {
                if let Some(&(_, '\n')) = chars.peek() {
                    chars.next();
                    next_b += 1;
                    ci += 1;
                }
            }
            start_b = next_b;
            start_c = ci;
        } else {
            ci += 1;
        }
    }
    out.push((start_c, &text[start_b..]));
    out
}

pub fn parse(text: &str) -> Result<Payment, ParseError> {
    let mut ls = lines(text);
    // A trailing line break is tolerated.
    while ls.len() > 12 && ls.last().is_some_and(|l| l.1.is_empty()) {
        ls.pop();
    }
    let line = |i: usize| ls.get(i).map(|l| l.1).unwrap_or("");
    let pos = |i: usize| ls.get(i).map(|l| l.0).unwrap_or(text.chars().count());
    let names = ["service tag", "version", "character set", "identification", "BIC", "name", "IBAN", "amount", "purpose", "structured reference", "unstructured remittance", "information"];
    let fname = |i: usize| names.get(i).copied().unwrap_or("line");
    if line(0) != "BCD" {
        return Err(err(ErrorCode::BadHeader, 0, "service tag", "EPC QR codes start with BCD"));
    }
    if ls.len() > 12 {
        return Err(err(ErrorCode::TooLong, pos(12), "lines", format!("{} lines; EPC069-12 has at most 12", ls.len())));
    }
    if text.len() > 331 {
        return Err(err(ErrorCode::TooLong, 0, "", format!("{} bytes; EPC069-12 allows 331", text.len())));
    }
    let version = line(1);
    if version != "001" && version != "002" {
        return Err(err(ErrorCode::UnsupportedVersion, pos(1), "version", format!("version must be 001 or 002, found {version:?}")));
    }
    let cs = line(2);
    if !matches!(cs, "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8") {
        return Err(err(ErrorCode::BadCharset, pos(2), "character set", format!("character set must be 1-8, found {cs:?}")));
    }
    if line(3) != "SCT" {
        return Err(err(ErrorCode::BadSchemeField, pos(3), "identification", format!("identification must be SCT, found {:?}", line(3))));
    }
    let bic = line(4);
    if bic.is_empty() && version == "001" {
        return Err(err(ErrorCode::MissingTag, pos(4), "BIC", "version 001 requires a BIC"));
    }
    if !bic.is_empty() && !bic_valid(bic) {
        return Err(err(ErrorCode::BadSchemeField, pos(4), "BIC", format!("{bic:?} is not a BIC (8 or 11 characters)")));
    }
    let name = line(5);
    if name.is_empty() {
        return Err(err(ErrorCode::MissingTag, pos(5), "name", "the beneficiary name is required"));
    }
    for (i, max) in [(5usize, 70usize), (9, 35), (10, 140), (11, 70)] {
        let n = line(i).chars().count();
        if n > max {
            return Err(err(ErrorCode::TooLong, pos(i), fname(i), format!("{} is {n} characters; at most {max}", fname(i))));
        }
    }
    let iban_raw = line(6);
    let iban: String = iban_raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    if !iban_valid(&iban) {
        return Err(err(ErrorCode::BadIban, pos(6), "IBAN", format!("{iban_raw:?} is not a valid IBAN (checksum)")));
    }
    let mut p = base_payment("epc", ("sepa", "SEPA Credit Transfer"));
    p.payee.name = Some(name.to_string());
    p.payee.country = Some(iban[..2].to_string());
    p.payee.accounts.push(Account { scheme: "sepa".into(), kind: "iban".into(), value: iban.clone() });
    if !bic.is_empty() {
        p.payee.accounts.push(Account { scheme: "sepa".into(), kind: "bic".into(), value: bic.into() });
    }
    p.currency = currency::from_alpha("EUR");
    let am = line(7);
    if !am.is_empty() {
        let Some(v) = am.strip_prefix("EUR") else {
            return Err(err(ErrorCode::UnknownCurrency, pos(7), "amount", format!("amount must be EUR followed by the value, found {am:?}")));
        };
        let a = parse_decimal(v).ok_or_else(|| err(ErrorCode::NonNumericAmount, pos(7) + 3, "amount", format!("amount {v:?} is not a decimal")))?;
        if a.scale() > 2 && a.normalize().scale() > 2 {
            return Err(err(ErrorCode::NonNumericAmount, pos(7) + 3, "amount", "at most 2 decimals"));
        }
        if a < rust_decimal::Decimal::new(1, 2) || a > rust_decimal::Decimal::new(99_999_999_999, 2) {
            return Err(err(ErrorCode::BadAmount, pos(7) + 3, "amount", format!("amount must be EUR 0.01 to 999999999.99, found {v}")));
        }
        p.amount = Some(a);
        p.initiation = Initiation::Dynamic;
    }
    // AT-44 purpose: an ISO 20022 ExternalPurpose1Code, exactly 4 letters or digits (e.g. GDDS, CHAR).
    let purpose = line(8);
    if !purpose.is_empty() {
        if purpose.chars().count() != 4 || !purpose.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(err(ErrorCode::BadSchemeField, pos(8), "purpose", format!("the purpose code must be 4 letters or digits (ISO 20022), found {purpose:?}")));
        }
        p.references.purpose = Some(purpose.to_string());
    }
    let (sref, unstr) = (line(9), line(10));
    if !sref.is_empty() && !unstr.is_empty() {
        return Err(err(ErrorCode::BadSchemeField, pos(10), "unstructured remittance", "a structured reference and an unstructured remittance cannot both be present"));
    }
    if !sref.is_empty() {
        p.references.reference = Some(sref.to_string());
        if sref.starts_with("RF") && !super::swiss::rf_valid(sref) {
            warn(&mut p.warnings, WarningCode::BadReference, Some("structured reference"), format!("{sref} fails the ISO 11649 check"));
        }
    }
    if !unstr.is_empty() {
        p.references.message = Some(unstr.to_string());
    }
    let info = line(11);
    if !info.is_empty() {
        p.references.customer = Some(info.to_string());
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    #[test]
    fn iban() {
        assert!(super::iban_valid("DE33100205000001194700"));
        assert!(super::iban_valid("CH5800791123000889012"));
        assert!(!super::iban_valid("DE33100205000001194701"));
        assert!(super::bic_valid("BFSWDE33BER"));
    }
}
