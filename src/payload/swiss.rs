//! Swiss QR-bill ("SPC", version 0200, Swiss Implementation Guidelines QR-bill v2.x).

use super::emv::{parse_decimal, warn};
use super::epc::{iban_valid, lines};
use super::error::err;
use super::urls::base_payment;
use super::{currency, Account, ErrorCode, Initiation, ParseError, Payment, WarningCode};

/// ISO 11649 creditor reference: "RF" + 2 check digits + up to 21 alphanumerics, mod 97 == 1.
pub fn rf_valid(r: &str) -> bool {
    let r: String = r.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let b = r.as_bytes();
    if b.len() < 5 || b.len() > 25 || &b[..2] != b"RF" || !b[2..4].iter().all(u8::is_ascii_digit) || !b.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let mut m: u32 = 0;
    for &c in b[4..].iter().chain(b[..4].iter()) {
        let v = if c.is_ascii_digit() { (c - b'0') as u32 } else { (c - b'A') as u32 + 10 };
        m = if v >= 10 { (m * 100 + v) % 97 } else { (m * 10 + v) % 97 };
    }
    m == 1
}

/// QR reference: 27 digits, the last one a recursive mod-10 check digit.
pub fn qrr_valid(r: &str) -> bool {
    const T: [u8; 10] = [0, 9, 4, 6, 8, 2, 7, 1, 3, 5];
    let b = r.as_bytes();
    if b.len() != 27 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut carry = 0u8;
    for &c in &b[..26] {
        carry = T[((carry + (c - b'0')) % 10) as usize];
    }
    (10 - carry) % 10 == b[26] - b'0'
}

fn is_qr_iban(iban: &str) -> bool {
    iban.get(4..9).and_then(|s| s.parse::<u32>().ok()).is_some_and(|iid| (30000..=31999).contains(&iid))
}

pub fn parse(text: &str) -> Result<Payment, ParseError> {
    let mut ls = lines(text);
    while ls.len() > 31 && ls.last().is_some_and(|l| l.1.is_empty()) {
        ls.pop();
    }
    let end = text.chars().count();
    let line = |i: usize| ls.get(i).map(|l| l.1).unwrap_or("");
    let pos = |i: usize| ls.get(i).map(|l| l.0).unwrap_or(end);
    if line(0) != "SPC" {
        return Err(err(ErrorCode::BadHeader, 0, "QRType", "Swiss QR-bills start with SPC"));
    }
    let v = line(1);
    if v.len() != 4 || !v.starts_with("02") || !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(ErrorCode::UnsupportedVersion, pos(1), "Version", format!("version must be 02xx (0200), found {v:?}")));
    }
    if line(2) != "1" {
        return Err(err(ErrorCode::BadCharset, pos(2), "Coding", format!("coding type must be 1 (UTF-8, Latin subset), found {:?}", line(2))));
    }
    if ls.len() < 31 {
        return Err(err(ErrorCode::Truncated, end, "", format!("{} lines; a QR-bill has at least 31 (up to the EPD trailer)", ls.len())));
    }
    if ls.len() > 34 {
        return Err(err(ErrorCode::TooLong, pos(34), "", format!("{} lines; at most 34", ls.len())));
    }
    if line(30) != "EPD" {
        return Err(err(ErrorCode::BadTrailer, pos(30), "Trailer", format!("line 31 must be the trailer EPD, found {:?}", line(30))));
    }
    let iban = line(3);
    if !iban_valid(iban) || !(iban.starts_with("CH") || iban.starts_with("LI")) || iban.len() != 21 {
        return Err(err(ErrorCode::BadIban, pos(3), "IBAN", format!("{iban:?} is not a valid CH/LI IBAN")));
    }
    // Creditor: address type, name, street/line 1, number/line 2, postcode, town, country.
    let atype = line(4);
    if atype != "S" && atype != "K" {
        return Err(err(ErrorCode::BadSchemeField, pos(4), "Cdtr.AdrTp", format!("address type must be S or K, found {atype:?}")));
    }
    let name = line(5);
    if name.is_empty() || name.chars().count() > 70 {
        return Err(err(ErrorCode::BadSchemeField, pos(5), "Cdtr.Name", "creditor name is required (at most 70 characters)"));
    }
    let ctry = line(10);
    if ctry.len() != 2 || !ctry.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(err(ErrorCode::BadCountry, pos(10), "Cdtr.Ctry", format!("creditor country must be ISO 3166 alpha-2, found {ctry:?}")));
    }
    let mut p = base_payment("swiss_qr", ("swiss_qr", "Swiss QR-bill"));
    p.payee.name = Some(name.to_string());
    p.payee.country = Some(ctry.to_string());
    if atype == "S" {
        p.payee.postal_code = Some(line(8).to_string()).filter(|s| !s.is_empty());
        p.payee.city = Some(line(9).to_string()).filter(|s| !s.is_empty());
    } else {
        p.payee.city = Some(line(7).to_string()).filter(|s| !s.is_empty());
    }
    p.payee.accounts.push(Account { scheme: "swiss_qr".into(), kind: if is_qr_iban(iban) { "qr_iban" } else { "iban" }.into(), value: iban.into() });
    // Lines 11-17: ultimate creditor, must be empty (reserved).
    if (11..18).any(|i| !line(i).is_empty()) {
        warn(&mut p.warnings, WarningCode::BadSchemeField, Some("UltmtCdtr"), "ultimate creditor fields are reserved and should be empty");
    }
    let am = line(18);
    if !am.is_empty() {
        let a = parse_decimal(am).ok_or_else(|| err(ErrorCode::NonNumericAmount, pos(18), "Amt", format!("amount {am:?} is not a decimal")))?;
        if a > rust_decimal::Decimal::new(99_999_999_999, 2) || (a.scale() > 2 && a.normalize().scale() > 2) || am.len() > 12 {
            return Err(err(ErrorCode::BadAmount, pos(18), "Amt", format!("amount must be 0.01 to 999999999.99 with 2 decimals, found {am}")));
        }
        if a.is_zero() {
            warn(&mut p.warnings, WarningCode::AmountZero, Some("Amt"), "amount 0.00 (a notification-only bill)");
        }
        p.amount = Some(a);
        p.initiation = Initiation::Dynamic;
    }
    let cur = line(19);
    if cur != "CHF" && cur != "EUR" {
        return Err(err(ErrorCode::UnknownCurrency, pos(19), "Ccy", format!("currency must be CHF or EUR, found {cur:?}")));
    }
    p.currency = currency::from_alpha(cur);
    let dtype = line(20);
    if !dtype.is_empty() && dtype != "S" && dtype != "K" {
        return Err(err(ErrorCode::BadSchemeField, pos(20), "UltmtDbtr.AdrTp", format!("debtor address type must be S, K or empty, found {dtype:?}")));
    }
    if !line(21).is_empty() {
        p.references.customer = Some(line(21).to_string());
    }
    let rtype = line(27);
    let reference = line(28);
    match rtype {
        "QRR" => {
            if !is_qr_iban(iban) {
                return Err(err(ErrorCode::BadSchemeField, pos(27), "RmtInf.Tp", "QRR references require a QR-IBAN (IID 30000-31999)"));
            }
            if !qrr_valid(reference) {
                return Err(err(ErrorCode::BadReference, pos(28), "RmtInf.Ref", format!("{reference:?} is not a 27-digit QR reference with a valid check digit")));
            }
        }
        "SCOR" => {
            if is_qr_iban(iban) {
                return Err(err(ErrorCode::BadSchemeField, pos(27), "RmtInf.Tp", "a QR-IBAN requires a QRR reference"));
            }
            if !rf_valid(reference) {
                return Err(err(ErrorCode::BadReference, pos(28), "RmtInf.Ref", format!("{reference:?} is not an ISO 11649 creditor reference")));
            }
        }
        "NON" => {
            if is_qr_iban(iban) {
                return Err(err(ErrorCode::BadSchemeField, pos(27), "RmtInf.Tp", "a QR-IBAN requires a QRR reference"));
            }
            if !reference.is_empty() {
                return Err(err(ErrorCode::BadReference, pos(28), "RmtInf.Ref", "reference type NON must have an empty reference"));
            }
        }
        _ => return Err(err(ErrorCode::BadSchemeField, pos(27), "RmtInf.Tp", format!("reference type must be QRR, SCOR or NON, found {rtype:?}"))),
    }
    if !reference.is_empty() {
        p.references.reference = Some(reference.to_string());
    }
    let msg = line(29);
    if msg.chars().count() > 140 {
        return Err(err(ErrorCode::TooLong, pos(29), "RmtInf.Ustrd", "unstructured message longer than 140 characters"));
    }
    if !msg.is_empty() {
        p.references.message = Some(msg.to_string());
    }
    if !line(31).is_empty() {
        p.references.bill_number = Some(line(31).to_string());
    }
    for i in 32..34 {
        let alt = line(i);
        if !alt.is_empty() {
            let scheme = alt.split(';').next().unwrap_or("").to_string();
            p.payee.accounts.push(Account { scheme: "swiss_qr".into(), kind: format!("alternative_scheme:{scheme}"), value: alt.into() });
        }
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    #[test]
    fn references() {
        assert!(super::qrr_valid("210000000003139471430009017"));
        assert!(!super::qrr_valid("210000000003139471430009018"));
        assert!(super::rf_valid("RF18539007547034"));
        assert!(!super::rf_valid("RF19539007547034"));
    }
}
