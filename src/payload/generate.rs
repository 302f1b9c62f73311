//! EMVCo MPM generation: a [`Payment`] → payload text with CRC. Round trip: `parse(generate(p)) == p`
//! for payments that came from a canonical payload (see tests/payload_generate.rs).
//!
//! When `p.tlv` holds a tree (a parsed code), objects the normalised fields do not describe (merchant
//! account templates, RFU and unreserved templates, unknown 62 sub-IDs) are kept as they are and the
//! described ones are rewritten from the fields. Without a tree, merchant account templates are built
//! from `payee.accounts` by scheme.

use super::crc::crc16_hex;
use super::error::err;
use super::{currency, Account, ErrorCode, Initiation, ParseError, Payment, TipRule, Tlv};
use rust_decimal::Decimal;

fn obj(id: &str, value: &str) -> Result<String, ParseError> {
    let n = value.chars().count();
    if n == 0 || n > 99 {
        return Err(err(ErrorCode::BadLength, 0, id, format!("value of {id} must be 1-99 characters, is {n}")));
    }
    Ok(format!("{id}{n:02}{value}"))
}

fn leaf(id: &str, value: impl Into<String>) -> Tlv {
    let value = value.into();
    Tlv { tag: id.to_string(), length: value.chars().count(), value, children: None }
}

fn node(id: &str, kids: Vec<Tlv>) -> Result<Tlv, ParseError> {
    let value = encode_level(&kids)?;
    Ok(Tlv { tag: id.to_string(), length: value.chars().count(), value, children: Some(kids) })
}

/// Serialise TLVs (children take precedence over a stale `value`).
pub fn encode_level(items: &[Tlv]) -> Result<String, ParseError> {
    let mut s = String::new();
    for t in items {
        let v = match &t.children {
            Some(k) if !k.is_empty() => encode_level(k)?,
            _ => t.value.clone(),
        };
        if t.tag.len() != 2 || !t.tag.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err(ErrorCode::BadTag, 0, &t.tag, format!("tag must be two digits, found {:?}", t.tag)));
        }
        s.push_str(&obj(&t.tag, &v)?);
    }
    Ok(s)
}

fn set(items: &mut Vec<Tlv>, t: Tlv) {
    match items.iter_mut().find(|x| x.tag == t.tag) {
        Some(x) => *x = t,
        None => {
            let at = items.iter().position(|x| x.tag > t.tag && x.tag != "00").unwrap_or(items.len());
            items.insert(at, t);
        }
    }
}

fn remove(items: &mut Vec<Tlv>, tag: &str) {
    items.retain(|x| x.tag != tag);
}

fn fmt_amount(a: &Decimal, id: &str) -> Result<String, ParseError> {
    if a.is_sign_negative() {
        return Err(err(ErrorCode::NegativeAmount, 0, id, "amount must not be negative"));
    }
    let s = a.to_string();
    if s.chars().count() > 13 {
        return Err(err(ErrorCode::TooLong, 0, id, format!("amount {s} is longer than 13 characters")));
    }
    Ok(s)
}

fn account_templates(accounts: &[Account], items: &mut Vec<Tlv>) -> Result<(), ParseError> {
    let mut next = 26u32;
    let mut free = |items: &Vec<Tlv>, pref: u32| -> String {
        if !items.iter().any(|t| t.tag == format!("{pref:02}")) && pref != 0 {
            return format!("{pref:02}");
        }
        while items.iter().any(|t| t.tag == format!("{next:02}")) {
            next += 1;
        }
        format!("{next:02}")
    };
    let by = |scheme: &str, kind: &str| accounts.iter().find(|a| a.scheme == scheme && (kind.is_empty() || a.kind == kind)).map(|a| a.value.clone());
    let mut seen: Vec<&str> = Vec::new();
    for a in accounts {
        if seen.contains(&a.scheme.as_str()) && a.scheme != "emvco" {
            continue;
        }
        seen.push(a.scheme.as_str());
        let t = match a.scheme.as_str() {
            "visa" => leaf(&free(items, 2), a.value.clone()),
            "mastercard" => leaf(&free(items, 4), a.value.clone()),
            "discover" => leaf(&free(items, 9), a.value.clone()),
            "amex" => leaf(&free(items, 11), a.value.clone()),
            "jcb" => leaf(&free(items, 13), a.value.clone()),
            "unionpay" => leaf(&free(items, 15), a.value.clone()),
            "pix" => {
                let mut k = vec![leaf("00", "br.gov.bcb.pix")];
                if a.kind == "url" {
                    k.push(leaf("25", a.value.trim_start_matches("https://")));
                } else {
                    k.push(leaf("01", a.value.clone()));
                }
                node(&free(items, 26), k)?
            }
            "promptpay" => {
                let (sub, v) = match a.kind.as_str() {
                    "phone" => {
                        let d: String = a.value.chars().filter(char::is_ascii_digit).collect();
                        let d = d.strip_prefix("66").map(str::to_string).unwrap_or_else(|| d.trim_start_matches('0').to_string());
                        ("01", format!("{:0>13}", format!("66{}", d.trim_start_matches('0'))))
                    }
                    "national_id" => ("02", a.value.clone()),
                    "ewallet_id" => ("03", a.value.clone()),
                    _ => ("04", a.value.clone()),
                };
                node(&free(items, 29), vec![leaf("00", "A000000677010111"), leaf(sub, v)])?
            }
            "paynow" => {
                let kind = if a.kind == "uen" { "2" } else { "0" };
                node(&free(items, 26), vec![leaf("00", "SG.PAYNOW"), leaf("01", kind), leaf("02", a.value.clone()), leaf("03", "0")])?
            }
            "duitnow" => {
                let mut k = vec![leaf("00", "A0000006150001")];
                if let Some(v) = by("duitnow", "participant_id") {
                    k.push(leaf("01", v));
                }
                if let Some(v) = by("duitnow", "merchant_id") {
                    k.push(leaf("02", v));
                }
                node(&free(items, 26), k)?
            }
            "vietqr" => {
                let bin = by("vietqr", "bank_bin").ok_or_else(|| err(ErrorCode::BadSchemeField, 0, "38.01.00", "VietQR needs a bank_bin account"))?;
                let (acct, svc) = match by("vietqr", "card") {
                    Some(c) => (c, "QRIBFTTC"),
                    None => (by("vietqr", "account").ok_or_else(|| err(ErrorCode::BadSchemeField, 0, "38.01.01", "VietQR needs an account"))?, "QRIBFTTA"),
                };
                node(&free(items, 38), vec![leaf("00", "A000000727"), node("01", vec![leaf("00", bin), leaf("01", acct)])?, leaf("02", svc)])?
            }
            "khqr" => {
                let acc = by("khqr", "bakong_account").ok_or_else(|| err(ErrorCode::BadSchemeField, 0, "29.00", "KHQR needs a bakong_account"))?;
                let mut k = vec![leaf("00", acc)];
                let merchant = by("khqr", "merchant_id");
                if let Some(v) = merchant.clone().or_else(|| by("khqr", "account_information")) {
                    k.push(leaf("01", v));
                }
                if let Some(v) = by("khqr", "acquiring_bank") {
                    k.push(leaf("02", v));
                }
                node(&free(items, if merchant.is_some() { 30 } else { 29 }), k)?
            }
            "qrph" => {
                let mut k = vec![leaf("00", "ph.ppmi.p2m")];
                if let Some(v) = by("qrph", "bic") {
                    k.push(leaf("01", v));
                }
                if let Some(v) = by("qrph", "account") {
                    k.push(leaf("03", v));
                }
                node(&free(items, 28), k)?
            }
            "fps" => {
                let sub = match a.kind.as_str() {
                    "mobile" => "03",
                    "email" => "04",
                    _ => "02",
                };
                node(&free(items, 26), vec![leaf("00", "hk.com.hkicl"), leaf(sub, a.value.clone())])?
            }
            "upi" => node(&free(items, 26), vec![leaf("00", "A000000524"), leaf("01", a.value.clone())])?,
            "qris" => {
                let mut k = vec![leaf("00", "ID.CO.QRIS.WWW"), leaf("02", a.value.clone())];
                k.push(leaf("03", "UMI"));
                node(&free(items, 51), k)?
            }
            "sgqr" => node(&free(items, 51), vec![leaf("00", "SG.SGQR"), leaf("01", a.value.clone())])?,
            _ => {
                // "GUID:value" generic template, or a bare merchant ID under the scheme name.
                let (g, v) = a.value.split_once(':').unwrap_or((a.scheme.as_str(), a.value.as_str()));
                if g.len() == 2 && g.bytes().all(|b| b.is_ascii_digit()) {
                    leaf(g, v)
                } else {
                    let mut k = vec![leaf("00", g)];
                    if !v.is_empty() {
                        k.push(leaf("01", v));
                    }
                    node(&free(items, 0), k)?
                }
            }
        };
        items.push(t);
        items.sort_by(|a, b| a.tag.cmp(&b.tag));
    }
    Ok(())
}

/// Build the EMVCo payload (with CRC) for `p`.
pub fn generate(p: &Payment) -> Result<String, ParseError> {
    let mut items: Vec<Tlv> = p.tlv.clone().unwrap_or_default();
    remove(&mut items, "63");
    let fresh = items.is_empty();
    if !items.iter().any(|t| t.tag == "00") {
        set(&mut items, leaf("00", "01"));
    }
    if let Some(pos) = items.iter().position(|t| t.tag == "00") {
        let t = items.remove(pos);
        items.insert(0, t);
    }
    // A parsed code without ID 01 keeps it absent when the initiation it implies is unchanged
    // (static; dynamic for a PIX location URL).
    let pix_url = p.references.url.is_some() && p.schemes.iter().any(|s| s.id == "pix");
    let implied = if pix_url { Initiation::Dynamic } else { Initiation::Static };
    if fresh || items.iter().any(|t| t.tag == "01") || p.initiation != implied {
        set(&mut items, leaf("01", if p.initiation == Initiation::Dynamic { "12" } else { "11" }));
    }
    if fresh {
        account_templates(&p.payee.accounts, &mut items)?;
    }
    let y = &p.payee;
    let opt = |items: &mut Vec<Tlv>, id: &str, v: &Option<String>| match v {
        Some(v) => set(items, leaf(id, v.clone())),
        None => remove(items, id),
    };
    opt(&mut items, "52", &y.mcc);
    let cur = p.currency.as_ref().ok_or_else(|| err(ErrorCode::MissingTag, 0, "53", "a currency is required"))?;
    let numeric = cur
        .numeric
        .clone()
        .or_else(|| currency::from_alpha(&cur.code).and_then(|c| c.numeric))
        .ok_or_else(|| err(ErrorCode::UnknownCurrency, 0, "53", format!("{} has no ISO 4217 numeric code", cur.code)))?;
    set(&mut items, leaf("53", numeric));
    match &p.amount {
        Some(a) => set(&mut items, leaf("54", fmt_amount(a, "54")?)),
        None => remove(&mut items, "54"),
    }
    let (t55, t56, t57) = match &p.tip {
        None => (None, None, None),
        Some(TipRule::Prompt) => (Some("01".to_string()), None, None),
        Some(TipRule::Fixed { amount }) => (Some("02".to_string()), Some(fmt_amount(amount, "56")?), None),
        Some(TipRule::Percentage { percent }) => (Some("03".to_string()), None, Some(percent.to_string())),
    };
    // Rewritten in place, so a parsed code keeps its order.
    opt(&mut items, "55", &t55);
    // A 56/57 the tip rule does not use is ignored by parsers: kept as written in a parsed code.
    if t56.is_some() || fresh {
        opt(&mut items, "56", &t56);
    }
    if t57.is_some() || fresh {
        opt(&mut items, "57", &t57);
    }
    opt(&mut items, "58", &y.country);
    opt(&mut items, "59", &y.name);
    opt(&mut items, "60", &y.city);
    opt(&mut items, "61", &y.postal_code);

    // 62: rewrite the described sub-IDs, keep the others.
    let r = &p.references;
    let mut add: Vec<Tlv> = items.iter().find(|t| t.tag == "62").and_then(|t| t.children.clone()).unwrap_or_default();
    let subs: [(&str, &Option<String>); 11] = [
        ("01", &r.bill_number),
        ("02", &r.mobile),
        ("03", &r.store),
        ("04", &r.loyalty),
        ("05", if r.reference.is_some() { &r.reference } else { &r.txid }),
        ("06", &r.customer),
        ("07", &r.terminal),
        ("08", &r.purpose),
        ("09", &r.consumer_data_request),
        ("10", &r.merchant_tax_id),
        ("11", &r.merchant_channel),
    ];
    let pix = p.schemes.iter().any(|s| s.id == "pix") || y.accounts.iter().any(|a| a.scheme == "pix");
    for (id, v) in subs {
        match v {
            Some(v) => set(&mut add, leaf(id, v.clone())),
            None => remove(&mut add, id),
        }
    }
    if pix && fresh && !add.iter().any(|t| t.tag == "05") {
        set(&mut add, leaf("05", "***"));
    }
    if add.is_empty() {
        remove(&mut items, "62");
    } else {
        let t = node("62", add)?;
        set(&mut items, t);
    }
    match (&y.language_alt, &y.name_alt) {
        (Some(l), Some(n)) => {
            // Keep sub-IDs we do not describe, and the language's case as written.
            let mut k: Vec<Tlv> = items.iter().find(|t| t.tag == "64").and_then(|t| t.children.clone()).unwrap_or_default();
            let keep_lang = k.iter().any(|t| t.tag == "00" && t.value.eq_ignore_ascii_case(l));
            if !keep_lang {
                set(&mut k, leaf("00", l.to_ascii_uppercase()));
            }
            set(&mut k, leaf("01", n.clone()));
            match &y.city_alt {
                Some(c) => set(&mut k, leaf("02", c.clone())),
                None => remove(&mut k, "02"),
            }
            if let Some(pos) = k.iter().position(|t| t.tag == "00") {
                let t = k.remove(pos);
                k.insert(0, t);
            }
            let t = node("64", k)?;
            set(&mut items, t);
        }
        _ => remove(&mut items, "64"),
    }
    // Dynamic KHQR needs creation and expiration timestamps (ms) in 99: expiry from `references.expires`,
    // else one hour from now.
    if fresh && p.initiation == Initiation::Dynamic && y.accounts.iter().any(|a| a.scheme == "khqr") && !items.iter().any(|t| t.tag == "99") {
        let now = super::now_ms().unwrap_or(0);
        let exp = p.references.expires.as_deref().and_then(|e| e.parse::<i64>().ok()).unwrap_or(now + 3_600_000);
        let t = node("99", vec![leaf("00", format!("{now:013}")), leaf("01", format!("{exp:013}"))])?;
        set(&mut items, t);
    }
    let body = encode_level(&items)? + "6304";
    let crc = crc16_hex(&body);
    Ok(body + &crc)
}
