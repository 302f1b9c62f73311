//! EMVCo Merchant-Presented Mode (MPM v1.1): structure, CRC, root objects and their data formats.
//! Scheme profiles (PIX, PromptPay …) are applied afterwards by [`super::schemes`].

use super::crc::crc16_hex;
use super::currency;
use super::error::err;
use super::tlv::{find, parse_children, parse_level, Field, LengthUnit};
use super::{ErrorCode, Initiation, ParseError, Payee, Payment, References, TipRule, Warning, WarningCode};
use rust_decimal::Decimal;

/// Cheap test: does this text claim to be an EMVCo MPM payload?
pub fn looks_like_emv(text: &str) -> bool {
    let t = text.trim_end_matches(['\r', '\n']);
    let b = t.as_bytes();
    if b.len() >= 4 && t.starts_with("00") && b[2].is_ascii_digit() && b[3].is_ascii_digit() && b.len() >= 6 && b[4..6].iter().all(u8::is_ascii_digit) {
        // "0002" + value, or a broken PFI length: still EMV-like when it carries a CRC object.
        return t.starts_with("0002") || t.contains("6304");
    }
    // A payload whose header is missing but that ends with a CRC object.
    b.len() >= 16 && b[..4].iter().all(u8::is_ascii_digit) && t.len() >= 8 && t.get(t.len() - 8..t.len() - 4) == Some("6304")
}

pub(crate) fn warn(w: &mut Vec<Warning>, code: WarningCode, tag: Option<&str>, message: impl Into<String>) {
    w.push(Warning { code, message: message.into(), tag: tag.map(str::to_string) });
}

/// Exact decimal from "23.72" / "100" / "100." (EMVCo numeric with optional '.').
pub fn parse_decimal(s: &str) -> Option<Decimal> {
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    let dots = s.bytes().filter(|&b| b == b'.').count();
    if digits == 0 || dots > 1 || digits + dots != s.len() || digits > 28 {
        return None;
    }
    let t = s.strip_suffix('.').unwrap_or(s);
    let t = if t.starts_with('.') { format!("0{t}") } else { t.to_string() };
    Decimal::from_str_exact(&t).ok()
}

/// The parsed structure, before scheme profiles.
pub struct Parsed {
    pub root: Vec<Field>,
    pub unit: LengthUnit,
}

fn is_template(id: u32) -> bool {
    (26..=51).contains(&id) || id == 62 || id == 64 || (65..=99).contains(&id)
}

fn structure(chars: &[char], unit: LengthUnit) -> Result<Vec<Field>, ParseError> {
    let mut root = parse_level(chars, 0, "", unit)?;
    for f in root.iter_mut() {
        let id: u32 = f.id.parse().unwrap_or(0);
        if !is_template(id) {
            continue;
        }
        let strict = (26..=51).contains(&id) || id == 62 || id == 64;
        match parse_children(f, unit) {
            Ok(()) => {}
            Err(e) if strict => return Err(e),
            Err(_) => f.children = None,
        }
        // VietQR (NAPAS): 38.01 is itself a template {00 BIN, 01 account}.
        let napas = f.child_value("00").is_some_and(|g| g.eq_ignore_ascii_case("A000000727"));
        if napas {
            if let Some(k) = f.children.as_mut().and_then(|c| c.iter_mut().find(|k| k.id == "01")) {
                parse_children(k, unit)?;
            }
        }
        if id == 62 {
            if let Some(kids) = f.children.as_mut() {
                for k in kids.iter_mut() {
                    let kid: u32 = k.id.parse().unwrap_or(0);
                    if (50..=99).contains(&kid) && parse_children(k, unit).is_err() {
                        k.children = None;
                    }
                }
            }
        }
    }
    Ok(root)
}

/// Structure + CRC. Falls back to UTF-8 byte lengths (with a warning) when only that reading is consistent.
pub fn parse_structure(text: &str, warnings: &mut Vec<Warning>) -> Result<Parsed, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() < 14 {
        return Err(err(ErrorCode::TooShort, chars.len(), "", format!("{} characters: an EMVCo payload needs at least ID 00 and the CRC (14)", chars.len())));
    }
    if !text.starts_with("00") {
        return Err(err(ErrorCode::BadHeader, 0, "00", "an EMVCo payload must start with the payload format indicator (ID 00)"));
    }
    let (root, unit) = match structure(&chars, LengthUnit::Chars) {
        Ok(r) => (r, LengthUnit::Chars),
        Err(e) => {
            if text.is_ascii() {
                return Err(e);
            }
            match structure(&chars, LengthUnit::Bytes) {
                Ok(r) if check_crc(text, &r).is_ok() => {
                    warn(warnings, WarningCode::LengthCountsBytes,
                        None,
                        "TLV lengths count UTF-8 bytes, not characters as EMVCo requires; read leniently because the CRC confirms this reading",
                    );
                    (r, LengthUnit::Bytes)
                }
                _ => return Err(e),
            }
        }
    };
    check_order(&root)?;
    check_crc(text, &root)?;
    if let Some(crc) = find(&root, "63") {
        if crc.value.bytes().any(|b| b.is_ascii_lowercase()) {
            warn(warnings, WarningCode::CrcLowercase, Some("63"), "CRC written in lowercase hex; EMVCo requires uppercase");
        }
    }
    Ok(Parsed { root, unit })
}

fn check_order(root: &[Field]) -> Result<(), ParseError> {
    let first = root.first().ok_or_else(|| err(ErrorCode::TooShort, 0, "", "empty payload"))?;
    if first.id != "00" {
        return Err(err(ErrorCode::BadOrder, first.pos, &first.id, "the payload format indicator (ID 00) must come first"));
    }
    match root.iter().position(|f| f.id == "63") {
        None => Err(err(ErrorCode::MissingCrc, root.last().map(|f| f.pos).unwrap_or(0), "63", "no CRC (ID 63): it must be the last data object")),
        Some(i) if i + 1 != root.len() => {
            let f = &root[i];
            Err(err(ErrorCode::BadOrder, f.pos, "63", "the CRC (ID 63) must be the last data object"))
        }
        Some(_) => Ok(()),
    }
}

fn check_crc(text: &str, root: &[Field]) -> Result<(), ParseError> {
    let f = find(root, "63").ok_or_else(|| err(ErrorCode::MissingCrc, 0, "63", "no CRC (ID 63)"))?;
    if f.len != 4 || f.value.chars().count() != 4 {
        return Err(err(ErrorCode::BadCrcLength, f.pos + 2, "63", format!("the CRC must have length 04, found {:02}", f.len)));
    }
    let found = f.value.clone();
    // 63 is last and its value is 4 characters: cut them off by characters.
    let cut = text.char_indices().rev().nth(3).map(|(i, _)| i).unwrap_or(0);
    let expected = crc16_hex(&text[..cut]);
    if !found.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(err(ErrorCode::BadCrc, f.value_pos, "63", format!("CRC {found:?} is not 4 hex digits (expected {expected})")));
    }
    if !found.eq_ignore_ascii_case(&expected) {
        return Err(err(ErrorCode::BadCrc, f.value_pos, "63", format!("CRC mismatch: expected {expected}, found {found}")));
    }
    Ok(())
}

fn max_len(f: &Field, max: usize, what: &str) -> Result<(), ParseError> {
    let n = f.value.chars().count();
    if n > max {
        return Err(err(ErrorCode::TooLong, f.pos + 2, &f.path, format!("{what} is {n} characters; at most {max} allowed")));
    }
    Ok(())
}

/// A display field (name, city) longer than EMVCo's limit: read, with a `too_long` warning.
fn long_display(f: &Field, max: usize, what: &str, w: &mut Vec<Warning>) {
    let n = f.value.chars().count();
    if n > max {
        warn(w, WarningCode::TooLong, Some(&f.path), format!("{what} is {n} characters; EMVCo allows {max} (read as written)"));
    }
}

fn digits(f: &Field, n: usize, code: ErrorCode, what: &str) -> Result<(), ParseError> {
    if f.value.len() != n || !f.value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(code, f.value_pos, &f.path, format!("{what} must be {n} digits, found {:?}", f.value)));
    }
    Ok(())
}

/// Decode the root objects of the EMVCo profile into a Payment (no scheme profile yet).
pub fn interpret(parsed: &Parsed, warnings: &mut Vec<Warning>) -> Result<Payment, ParseError> {
    let root = &parsed.root;
    let get = |id: &str| find(root, id);

    // 00 payload format indicator.
    let pfi = get("00").ok_or_else(|| err(ErrorCode::BadHeader, 0, "00", "missing payload format indicator"))?;
    if pfi.len != 2 || !pfi.value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(ErrorCode::BadFormatIndicator, pfi.pos + 2, "00", format!("payload format indicator must be \"01\" (length 02), found length {:02} {:?}", pfi.len, pfi.value)));
    }
    if pfi.value != "01" {
        warn(warnings, WarningCode::FormatIndicator, Some("00"), format!("payload format indicator {:?}; EMVCo defines only \"01\" (seen in DuitNow codes), read as 01", pfi.value));
    }

    // 01 point of initiation.
    let poi = match get("01") {
        None => None,
        Some(f) if f.value == "11" => Some(Initiation::Static),
        Some(f) if f.value == "12" => Some(Initiation::Dynamic),
        Some(f) => {
            return Err(err(ErrorCode::BadPointOfInitiation, f.value_pos, "01", format!("point of initiation must be 11 (static) or 12 (dynamic), found {:?}", f.value)));
        }
    };

    // Merchant account information 02–51: without any, the code names nobody to pay.
    let has_account = root.iter().any(|f| matches!(f.id.parse::<u32>(), Ok(2..=51)));
    if !has_account {
        let pos = root.iter().find(|f| f.id != "00" && f.id != "01").map(|f| f.pos).unwrap_or(0);
        return Err(err(ErrorCode::MissingMerchantAccount, pos, "", "no merchant account information (IDs 02-51): the code names nobody to pay"));
    }
    for f in root.iter().filter(|f| matches!(f.id.parse::<u32>(), Ok(26..=51))) {
        match f.child("00") {
            None => warn(warnings, WarningCode::MissingGuid, Some(&f.path), format!("template {} has no globally unique identifier (sub-ID 00)", f.id)),
            Some(g) => max_len(g, 32, "globally unique identifier")?,
        }
    }

    // 52 MCC.
    let mcc = match get("52") {
        Some(f) => {
            digits(f, 4, ErrorCode::BadMcc, "merchant category code")?;
            Some(f.value.clone())
        }
        None => {
            warn(warnings, WarningCode::MissingMandatoryTag, Some("52"), "no merchant category code (ID 52), mandatory in EMVCo");
            None
        }
    };

    // 53 currency.
    let cur_field = get("53").ok_or_else(|| err(ErrorCode::MissingTag, root.last().map(|f| f.pos).unwrap_or(0), "53", "no transaction currency (ID 53)"))?;
    let cur = currency::from_numeric(&cur_field.value)
        .ok_or_else(|| err(ErrorCode::UnknownCurrency, cur_field.value_pos, "53", format!("{:?} is not an ISO 4217 numeric currency code", cur_field.value)))?;

    // 54 amount.
    let amount = match get("54") {
        None => None,
        Some(f) => {
            max_len(f, 13, "transaction amount")?;
            let a = parse_decimal(&f.value)
                .ok_or_else(|| err(ErrorCode::NonNumericAmount, f.value_pos, "54", format!("amount must be digits with an optional '.', found {:?}", f.value)))?;
            if a.scale() > cur.minor_units as u32 && a.normalize().scale() > cur.minor_units as u32 {
                warn(warnings, WarningCode::AmountPrecision, Some("54"), format!("amount {} has more decimals than {} allows ({})", f.value, cur.code, cur.minor_units));
            }
            Some(a)
        }
    };
    // Without ID 01 a code is reusable (static); whether the amount is fixed is `amount.is_some()`.
    let initiation = poi.unwrap_or(Initiation::Static);
    if let Some(a) = amount {
        if a.is_zero() {
            let dynamic = initiation == Initiation::Dynamic;
            warn(
                warnings,
                if dynamic { WarningCode::AmountZeroDynamic } else { WarningCode::AmountZero },
                Some("54"),
                if dynamic { "dynamic code with amount 0: the merchant probably forgot the amount" } else { "amount 0: EMVCo requires a non-zero amount when present" },
            );
        }
    } else if initiation == Initiation::Dynamic {
        warn(warnings, WarningCode::DynamicWithoutAmount, Some("01"), "dynamic code (01 = 12) without an amount: the shopper types it");
    }

    // 55-57 tip or convenience fee.
    let tip = match get("55") {
        None => {
            for id in ["56", "57"] {
                if get(id).is_some() {
                    warn(warnings, WarningCode::OrphanFee, Some(id), format!("ID {id} without tip indicator 55 is ignored"));
                }
            }
            None
        }
        Some(f) => match f.value.as_str() {
            "01" => Some(TipRule::Prompt),
            "02" => {
                let v = get("56").ok_or_else(|| err(ErrorCode::MissingTag, f.pos, "56", "tip indicator 02 (fixed fee) requires ID 56"))?;
                max_len(v, 13, "convenience fee")?;
                let a = parse_decimal(&v.value).ok_or_else(|| err(ErrorCode::NonNumericAmount, v.value_pos, "56", format!("fixed fee must be numeric, found {:?}", v.value)))?;
                Some(TipRule::Fixed { amount: a })
            }
            "03" => {
                let v = get("57").ok_or_else(|| err(ErrorCode::MissingTag, f.pos, "57", "tip indicator 03 (percentage fee) requires ID 57"))?;
                max_len(v, 5, "convenience fee percentage")?;
                let p = parse_decimal(&v.value).ok_or_else(|| err(ErrorCode::NonNumericAmount, v.value_pos, "57", format!("percentage must be numeric, found {:?}", v.value)))?;
                if p <= Decimal::ZERO || p >= Decimal::ONE_HUNDRED {
                    return Err(err(ErrorCode::BadPercentage, v.value_pos, "57", format!("percentage must be between 00.01 and 99.99, found {}", v.value)));
                }
                Some(TipRule::Percentage { percent: p })
            }
            other => return Err(err(ErrorCode::BadTipIndicator, f.value_pos, "55", format!("tip indicator must be 01, 02 or 03, found {other:?}"))),
        },
    };

    // 58 country, 59 name, 60 city, 61 postal code.
    let country = match get("58") {
        Some(f) => {
            if f.value.len() != 2 || !f.value.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(err(ErrorCode::BadCountry, f.value_pos, "58", format!("country must be ISO 3166-1 alpha-2, found {:?}", f.value)));
            }
            if !currency::is_country(&f.value.to_ascii_uppercase()) {
                warn(warnings, WarningCode::UnknownCountry, Some("58"), format!("{:?} is not an ISO 3166-1 country", f.value));
            }
            Some(f.value.to_ascii_uppercase())
        }
        None => {
            let pos = root.iter().find(|f| f.id.as_str() > "58").map(|f| f.pos).unwrap_or(0);
            return Err(err(ErrorCode::MissingTag, pos, "58", "no country code (ID 58), mandatory in EMVCo: the scheme and currency rules need it"));
        }
    };
    // Display fields: longer than EMVCo allows is a warning (real generators write 31-character names),
    // not a refusal; a scheme that enforces the limit says so in its profile (KHQR).
    let mut text_field = |id: &str, max: usize, what: &str| -> Result<Option<String>, ParseError> {
        match get(id) {
            Some(f) => {
                long_display(f, max, what, warnings);
                if f.value.chars().any(char::is_control) {
                    warn(warnings, WarningCode::ControlCharacters, Some(id), format!("{what} contains control characters"));
                }
                Ok(Some(f.value.clone()))
            }
            None => {
                if id != "61" {
                    warn(warnings, WarningCode::MissingMandatoryTag, Some(id), format!("no {what} (ID {id}), mandatory in EMVCo"));
                }
                Ok(None)
            }
        }
    };
    let name = text_field("59", 25, "merchant name")?;
    let city = text_field("60", 15, "merchant city")?;
    let postal = text_field("61", 10, "postal code")?;

    if let (Some(c), Some(n)) = (&country, &cur.numeric) {
        let _ = n;
        if currency::country_uses(c, &cur.code) == Some(false) {
            warn(warnings, WarningCode::CountryCurrencyMismatch, Some("53"), format!("country {c} does not use {} ({})", cur.code, cur_field.value));
        }
    }

    // 62 additional data.
    let mut refs = References::default();
    if let Some(f) = get("62") {
        for k in f.children.iter().flatten() {
            let kid: u32 = k.id.parse().unwrap_or(0);
            let maxl = match kid {
                1..=8 => 25,
                9 => 3,
                10 => 20,
                11 => 3,
                _ => 99,
            };
            if k.value.chars().count() > maxl {
                warn(warnings, WarningCode::TooLong, Some(&k.path), format!("{} is longer than the {maxl} characters EMVCo allows", k.path));
            }
            let v = Some(k.value.clone());
            match kid {
                1 => refs.bill_number = v,
                2 => refs.mobile = v,
                3 => refs.store = v,
                4 => refs.loyalty = v,
                5 => refs.reference = v,
                6 => refs.customer = v,
                7 => refs.terminal = v,
                8 => refs.purpose = v,
                9 => {
                    if !k.value.chars().all(|c| matches!(c, 'A' | 'M' | 'E')) {
                        warn(warnings, WarningCode::BadConsumerDataRequest, Some(&k.path), format!("consumer data request must be letters A, M, E; found {:?}", k.value));
                    }
                    refs.consumer_data_request = v;
                }
                10 => refs.merchant_tax_id = v,
                11 => refs.merchant_channel = v,
                _ => {}
            }
        }
    }

    // 64 merchant information, alternate language.
    let mut payee = Payee { name, city, country, postal_code: postal, mcc, ..Default::default() };
    if let Some(f) = get("64") {
        let lang = f.child("00").ok_or_else(|| err(ErrorCode::MissingTag, f.value_pos, "64.00", "alternate-language template needs a language (64.00)"))?;
        if lang.value.chars().count() != 2 || !lang.value.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(err(ErrorCode::BadLanguage, lang.value_pos, "64.00", format!("language must be ISO 639 two letters, found {:?}", lang.value)));
        }
        let n = f.child("01").ok_or_else(|| err(ErrorCode::MissingTag, f.value_pos, "64.01", "alternate-language template needs a merchant name (64.01)"))?;
        long_display(n, 25, "alternate merchant name", warnings);
        if let Some(c) = f.child("02") {
            long_display(c, 15, "alternate merchant city", warnings);
        }
        payee.language_alt = Some(lang.value.to_ascii_lowercase());
        payee.name_alt = Some(n.value.clone());
        payee.city_alt = f.child_value("02").map(str::to_string);
    }

    if text_len(root) > 512 {
        warn(warnings, WarningCode::TooLong, None, "payload longer than the 512 characters EMVCo allows");
    }

    Ok(Payment {
        format: "emv_mpm".into(),
        schemes: Vec::new(),
        payee,
        amount,
        currency: Some(cur),
        initiation,
        references: refs,
        tip,
        warnings: Vec::new(),
        tlv: Some(root.iter().map(Field::to_tlv).collect()),
        network: None,
    })
}

fn text_len(root: &[Field]) -> usize {
    root.last().map(|f| f.value_pos + f.value.chars().count()).unwrap_or(0)
}

/// Full EMVCo parse: structure, CRC, root objects, scheme profiles.
pub fn parse(text: &str, now_ms: Option<i64>) -> Result<Payment, ParseError> {
    let text = text.trim_end_matches(['\r', '\n']);
    let mut warnings = Vec::new();
    let parsed = parse_structure(text, &mut warnings)?;
    let mut p = interpret(&parsed, &mut warnings)?;
    super::schemes::apply(&parsed.root, &mut p, &mut warnings, now_ms)?;
    p.warnings = warnings;
    Ok(p)
}
