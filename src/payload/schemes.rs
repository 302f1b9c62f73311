//! Scheme profiles on top of EMVCo MPM, recognised from their identifiers: every wallet family that
//! can pay a code, the accounts it names, and each profile's own rules.
//!
//! Sources: EMVCo MPM v1.1 (IDs 02-25 card networks), BCB Manual de Padrões para Iniciação do Pix
//! (PIX), Bank of Thailand / ITMX PromptPay QR, MAS/ABS SGQR & PayNow, PayNet DuitNow QR, Bank
//! Indonesia QRIS (ASPI), NAPAS VietQR, NBC KHQR (Bakong), BSP/PPMI QR Ph, HKMA/HKICL FPS,
//! JPQR (Payments Japan), NPCI Bharat QR.

use super::emv::{parse_decimal, warn};
use super::error::err;
use super::tlv::{find, Field};
use super::{Account, ErrorCode, Initiation, ParseError, Payment, Scheme, Warning, WarningCode};

fn add_scheme(p: &mut Payment, id: &str, name: &str) {
    if !p.schemes.iter().any(|s| s.id == id) {
        p.schemes.push(Scheme { id: id.into(), name: name.into() });
    }
}

fn add_account(p: &mut Payment, scheme: &str, kind: &str, value: &str) {
    p.payee.accounts.push(Account { scheme: scheme.into(), kind: kind.into(), value: value.into() });
}

/// Known globally unique identifiers (lowercase) → (scheme id, scheme name).
fn guid_scheme(g: &str) -> Option<(&'static str, &'static str)> {
    let g = g.to_ascii_lowercase();
    Some(match g.as_str() {
        "br.gov.bcb.pix" => ("pix", "PIX"),
        "a000000677010111" | "a000000677010112" | "a000000677010113" | "a000000677010114" => ("promptpay", "PromptPay"),
        "sg.paynow" => ("paynow", "PayNow"),
        "sg.sgqr" => ("sgqr", "SGQR"),
        "com.grab" => ("grabpay", "GrabPay"),
        "sg.com.dash.www" => ("dash", "Singtel Dash"),
        "sg.com.nets" => ("nets", "NETS"),
        "sg.com.ezlink" | "sg.com.ezlink.www" => ("ezlink", "EZ-Link"),
        "sg.com.favepay" | "com.myfave" => ("favepay", "FavePay"),
        "com.alipay" | "com.alipay.hk" | "com.alipay.connect" => ("alipay", "Alipay"),
        "a0000006150001" => ("duitnow", "DuitNow"),
        "id.co.qris.www" => ("qris", "QRIS"),
        "id.co.shopee.www" => ("shopeepay", "ShopeePay"),
        "com.go-jek.www" => ("gopay", "GoPay"),
        "id.dana.www" | "id.co.dana.www" => ("dana", "DANA"),
        "id.co.ovo.www" | "id.ovo.www" => ("ovo", "OVO"),
        "id.linkaja.www" | "id.co.linkaja.www" => ("linkaja", "LinkAja"),
        "a000000727" => ("vietqr", "VietQR (NAPAS)"),
        "com.p2pqrpay" | "ph.ppmi.p2m" => ("qrph", "QR Ph"),
        "hk.com.hkicl" => ("fps", "FPS (Hong Kong)"),
        "jp.or.paymentsjapan" => ("jpqr", "JPQR"),
        "a000000524" => ("upi", "UPI"),
        _ if g.starts_with("a000000333") => ("unionpay", "UnionPay"),
        _ => return None,
    })
}

/// Primitive merchant account IDs 02–25 (EMVCo Table 4.1; 06–08 as used by NPCI Bharat QR).
fn primitive_scheme(id: u32, country: Option<&str>) -> Option<(&'static str, &'static str, &'static str)> {
    Some(match id {
        2 | 3 => ("visa", "Visa", "merchant_id"),
        4 | 5 => ("mastercard", "Mastercard", "merchant_id"),
        6 | 7 if country == Some("IN") => ("rupay", "RuPay", "merchant_id"),
        8 if country == Some("IN") => ("imps", "IMPS (IFSC + account)", "ifsc_account"),
        9 | 10 => ("discover", "Discover", "merchant_id"),
        11 | 12 => ("amex", "American Express", "merchant_id"),
        13 | 14 => ("jcb", "JCB", "merchant_id"),
        15 | 16 => ("unionpay", "UnionPay", "merchant_id"),
        _ => return None,
    })
}

fn scheme_err(f: &Field, msg: impl Into<String>) -> ParseError {
    err(ErrorCode::BadSchemeField, f.value_pos, &f.path, msg)
}

fn need_currency(p: &Payment, root: &[Field], allowed: &[&str], scheme: &str) -> Result<(), ParseError> {
    let c = find(root, "53");
    let num = p.currency.as_ref().and_then(|c| c.numeric.clone()).unwrap_or_default();
    if !allowed.contains(&num.as_str()) {
        let (pos, path) = c.map(|f| (f.value_pos, f.path.as_str())).unwrap_or((0, "53"));
        return Err(err(ErrorCode::BadSchemeField, pos, path, format!("{scheme} requires currency {}, found {num}", allowed.join(" or "))));
    }
    Ok(())
}

fn want_country(p: &Payment, w: &mut Vec<Warning>, cc: &str, scheme: &str) {
    if let Some(c) = &p.payee.country {
        if c != cc {
            warn(w, WarningCode::CountrySchemeMismatch, Some("58"), format!("{scheme} code with country {c} (expected {cc})"));
        }
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

pub fn apply(root: &[Field], p: &mut Payment, w: &mut Vec<Warning>, now_ms: Option<i64>) -> Result<(), ParseError> {
    let country = p.payee.country.clone();
    let mut generic_accounts = Vec::new();
    let mut acct_templates: Vec<(&Field, Option<&str>)> = Vec::new();
    for f in root {
        let Ok(id) = f.id.parse::<u32>() else { continue };
        match id {
            2..=25 => match primitive_scheme(id, country.as_deref()) {
                Some((sid, name, kind)) => {
                    add_scheme(p, sid, name);
                    add_account(p, sid, kind, &f.value);
                }
                None => generic_accounts.push(f),
            },
            26..=51 | 80..=99 => {
                let g = f.child_value("00");
                acct_templates.push((f, g));
            }
            _ => {}
        }
    }

    let mut pix: Option<&Field> = None;
    let mut pix_rec: Option<&Field> = None;
    for &(f, g) in &acct_templates {
        let id: u32 = f.id.parse().unwrap_or(0);
        let known = g.and_then(guid_scheme);
        match known {
            Some(("pix", _)) if id >= 80 => pix_rec = Some(f),
            Some((sid, name)) if id <= 51 => {
                if sid == "pix" && pix.is_none() {
                    pix = Some(f);
                }
                add_scheme(p, sid, name);
                profile(sid, f, root, p, w, now_ms)?;
            }
            Some(_) => {}
            None if id <= 51 && country.as_deref() == Some("KH") && (id == 29 || id == 30) => {
                add_scheme(p, "khqr", "KHQR (Bakong)");
                profile("khqr", f, root, p, w, now_ms)?;
            }
            None if id <= 51 => {
                if let Some(g) = g {
                    let g_l = g.to_ascii_lowercase();
                    // QRIS acquirer templates: reverse domains of Indonesian PJSPs.
                    if country.as_deref() == Some("ID") && (g_l.starts_with("id.") || g_l.starts_with("com.")) {
                        add_scheme(p, &g_l, g);
                        add_scheme(p, "qris", "QRIS");
                    }
                    add_account(p, "emvco", "merchant_account", &format!("{g}:{}", merchant_ref(f)));
                }
            }
            None => {}
        }
    }
    for f in generic_accounts {
        add_account(p, "emvco", "merchant_account", &format!("{}:{}", f.id, f.value));
    }
    if let Some(t) = pix {
        pix_profile(t, pix_rec, root, p, w)?;
    } else if let Some(r) = pix_rec {
        add_scheme(p, "pix", "PIX");
        pix_profile(r, Some(r), root, p, w)?;
    }
    // QRIS: acquirer templates of Indonesian wallets are interoperable through QRIS.
    if p.schemes.iter().any(|s| s.id == "qris") {
        need_currency(p, root, &["360"], "QRIS")?;
        want_country(p, w, "ID", "QRIS");
        let pos = p.schemes.iter().position(|s| s.id == "qris").unwrap_or(0);
        let q = p.schemes.remove(pos);
        p.schemes.insert(0, q);
    }
    // SGQR labels: SG.SGQR registry first, then the schemes it lists.
    if let Some(pos) = p.schemes.iter().position(|s| s.id == "sgqr") {
        let q = p.schemes.remove(pos);
        p.schemes.insert(0, q);
    }
    add_scheme(p, "emvco", "EMVCo MPM");
    Ok(())
}

fn merchant_ref(f: &Field) -> String {
    f.children
        .iter()
        .flatten()
        .filter(|c| c.id != "00")
        .map(|c| c.value.clone())
        .collect::<Vec<_>>()
        .join("/")
}

fn profile(sid: &str, f: &Field, root: &[Field], p: &mut Payment, w: &mut Vec<Warning>, now_ms: Option<i64>) -> Result<(), ParseError> {
    let guid = f.child_value("00").unwrap_or("").to_ascii_lowercase();
    match sid {
        "promptpay" => {
            need_currency(p, root, &["764"], "PromptPay")?;
            want_country(p, w, "TH", "PromptPay");
            if guid.ends_with("0111") {
                let mut found = false;
                for (sub, kind, n) in [("01", "phone", 13usize), ("02", "national_id", 13), ("03", "ewallet_id", 15)] {
                    if let Some(c) = f.child(sub) {
                        if c.value.len() != n || !all_digits(&c.value) {
                            return Err(scheme_err(c, format!("PromptPay {kind} must be {n} digits, found {:?}", c.value)));
                        }
                        if sub == "01" && !c.value.starts_with("0066") {
                            warn(w, WarningCode::BadSchemeField, Some(&c.path), "PromptPay phone IDs are 0066 followed by the number without its leading 0");
                        }
                        let v = if sub == "01" {
                            // 0066 + number without its leading 0.
                            format!("+{}", c.value.trim_start_matches("00"))
                        } else {
                            c.value.clone()
                        };
                        add_account(p, "promptpay", kind, &v);
                        found = true;
                    }
                }
                if let Some(c) = f.child("04") {
                    add_account(p, "promptpay", "bank_account", &c.value);
                    found = true;
                }
                if !found {
                    return Err(err(ErrorCode::BadSchemeField, f.value_pos, &f.path, "PromptPay credit transfer needs a phone (01), national ID (02), e-wallet ID (03) or account (04)"));
                }
            } else {
                // Bill payment: 01 biller ID, 02 reference 1, 03 reference 2.
                let b = f.child("01").ok_or_else(|| err(ErrorCode::BadSchemeField, f.value_pos, &format!("{}.01", f.path), "PromptPay bill payment needs a biller ID (01)"))?;
                add_account(p, "promptpay", "biller_id", &b.value);
                if let Some(r) = f.child_value("02") {
                    add_account(p, "promptpay", "reference_1", r);
                }
                if let Some(r) = f.child_value("03") {
                    add_account(p, "promptpay", "reference_2", r);
                }
            }
        }
        "paynow" => {
            need_currency(p, root, &["702"], "PayNow")?;
            want_country(p, w, "SG", "PayNow");
            let t = f.child("01").ok_or_else(|| err(ErrorCode::BadSchemeField, f.value_pos, &format!("{}.01", f.path), "PayNow needs a proxy type (01)"))?;
            let kind = match t.value.as_str() {
                "0" => "mobile",
                "2" => "uen",
                // 3: a virtual payment address hosted by a participant, e.g. "201234567A#WISE".
                "3" => "vpa",
                _ => return Err(scheme_err(t, format!("PayNow proxy type must be 0 (mobile), 2 (UEN) or 3 (VPA), found {:?}", t.value))),
            };
            let v = f.child("02").ok_or_else(|| err(ErrorCode::BadSchemeField, f.value_pos, &format!("{}.02", f.path), "PayNow needs a proxy value (02)"))?;
            add_account(p, "paynow", kind, &v.value);
            if let Some(e) = f.child("03") {
                match e.value.as_str() {
                    "0" => {}
                    "1" => {
                        if p.amount.is_some() {
                            warn(w, WarningCode::AmountEditable, Some(&e.path), "PayNow: the payer may edit the amount");
                        }
                    }
                    _ => return Err(scheme_err(e, format!("PayNow amount-editable flag must be 0 or 1, found {:?}", e.value))),
                }
            }
            if let Some(x) = f.child("04") {
                if !(x.value.len() == 8 || x.value.len() == 14) || !all_digits(&x.value) {
                    return Err(scheme_err(x, format!("PayNow expiry must be YYYYMMDD or YYYYMMDDhhmmss, found {:?}", x.value)));
                }
                p.references.expires = Some(x.value.clone());
                if let Some(now) = now_ms {
                    if x.value.as_str() < yyyymmdd(now).as_str() {
                        warn(w, WarningCode::Expired, Some(&x.path), format!("PayNow code expired on {}", x.value));
                    }
                }
            }
        }
        "sgqr" => {
            if let Some(id) = f.child_value("01") {
                add_account(p, "sgqr", "sgqr_id", id);
            }
        }
        "duitnow" => {
            need_currency(p, root, &["458"], "DuitNow")?;
            want_country(p, w, "MY", "DuitNow");
            if let Some(v) = f.child_value("01") {
                add_account(p, "duitnow", "participant_id", v);
            }
            if let Some(v) = f.child_value("02") {
                add_account(p, "duitnow", "merchant_id", v);
            }
        }
        "qris" => {
            if let Some(v) = f.child_value("02") {
                add_account(p, "qris", "nmid", v);
            }
            if let Some(c) = f.child("03") {
                if !["UMI", "UKE", "UME", "UBE", "URE"].contains(&c.value.as_str()) {
                    warn(w, WarningCode::BadSchemeField, Some(&c.path), format!("QRIS merchant criteria {:?} is not UMI/UKE/UME/UBE/URE", c.value));
                }
            }
        }
        "shopeepay" | "gopay" | "dana" | "ovo" | "linkaja" => {
            add_scheme(p, "qris", "QRIS");
            for (sub, kind) in [("01", "merchant_pan"), ("02", "merchant_id")] {
                if let Some(v) = f.child_value(sub) {
                    add_account(p, sid, kind, v);
                }
            }
        }
        "vietqr" => {
            need_currency(p, root, &["704"], "VietQR")?;
            want_country(p, w, "VN", "VietQR");
            let b = f.child("01").ok_or_else(|| err(ErrorCode::BadSchemeField, f.value_pos, &format!("{}.01", f.path), "VietQR needs beneficiary organisation data (01)"))?;
            let bin = b.child("00").ok_or_else(|| err(ErrorCode::BadSchemeField, b.value_pos, &format!("{}.00", b.path), "VietQR needs the acquirer BIN (01.00)"))?;
            if bin.value.len() != 6 || !all_digits(&bin.value) {
                return Err(scheme_err(bin, format!("VietQR bank BIN must be 6 digits, found {:?}", bin.value)));
            }
            let acct = b.child("01").ok_or_else(|| err(ErrorCode::BadSchemeField, b.value_pos, &format!("{}.01", b.path), "VietQR needs the account or card number (01.01)"))?;
            // Some generators nest the service code inside 38.01; NAPAS puts it in 38.02.
            let service = match (f.child("02"), b.child("02")) {
                (Some(s), _) => Some(s),
                (None, Some(s)) => {
                    warn(w, WarningCode::BadSchemeField, Some(&s.path), format!("VietQR service code {:?} is inside 38.01; NAPAS puts it in 38.02", s.value));
                    Some(s)
                }
                (None, None) => None,
            };
            let kind = match service.map(|s| s.value.as_str()) {
                Some("QRIBFTTA") | None => "account",
                Some("QRIBFTTC") => "card",
                Some("QRPUSH") | Some("QRCASH") => "merchant_id",
                Some(o) => return Err(scheme_err(service.unwrap_or(f), format!("VietQR service code must be QRIBFTTA (account) or QRIBFTTC (card), found {o:?}"))),
            };
            add_account(p, "vietqr", "bank_bin", &bin.value);
            add_account(p, "vietqr", kind, &acct.value);
        }
        "khqr" => khqr_profile(f, root, p, w, now_ms)?,
        "qrph" => {
            need_currency(p, root, &["608"], "QR Ph")?;
            want_country(p, w, "PH", "QR Ph");
            if let Some(b) = f.child("01") {
                if !(b.value.len() == 8 || b.value.len() == 11) || !b.value.bytes().all(|c| c.is_ascii_alphanumeric()) {
                    return Err(scheme_err(b, format!("QR Ph acquirer BIC must be 8 or 11 letters/digits, found {:?}", b.value)));
                }
                add_account(p, "qrph", "bic", &b.value);
            }
            if let Some(v) = f.child_value("02") {
                add_account(p, "qrph", "merchant_id", v);
            }
            if let Some(v) = f.child_value("03") {
                add_account(p, "qrph", "account", v);
            }
            if let Some(v) = f.child_value("04") {
                add_account(p, "qrph", "mobile", v);
            }
        }
        "fps" => {
            need_currency(p, root, &["344", "156"], "FPS")?;
            want_country(p, w, "HK", "FPS");
            let mut found = false;
            for (sub, kind) in [("01", "bank_code"), ("02", "fps_id"), ("03", "mobile"), ("04", "email")] {
                if let Some(v) = f.child_value(sub) {
                    add_account(p, "fps", kind, v);
                    found |= sub != "01";
                }
            }
            if !found {
                return Err(err(ErrorCode::BadSchemeField, f.value_pos, &f.path, "FPS needs an FPS ID (02), mobile (03) or email (04)"));
            }
        }
        "jpqr" => {
            need_currency(p, root, &["392"], "JPQR")?;
            if p.payee.country.as_deref() != Some("JP") {
                let c = find(root, "58");
                return Err(err(ErrorCode::BadSchemeField, c.map(|c| c.value_pos).unwrap_or(0), "58", "JPQR codes must have country JP"));
            }
            add_account(p, "jpqr", "merchant_id", &merchant_ref(f));
        }
        "upi" => {
            need_currency(p, root, &["356"], "UPI")?;
            if let Some(v) = f.child("01") {
                if v.value.contains('@') {
                    add_account(p, "upi", "vpa", &v.value);
                } else if p.references.reference.is_none() {
                    // Template 27: transaction reference.
                    add_account(p, "upi", "reference", &v.value);
                }
            }
            if let Some(m) = f.child("02") {
                if parse_decimal(&m.value).is_none() {
                    warn(w, WarningCode::BadSchemeField, Some(&m.path), format!("UPI minimum amount {:?} is not numeric", m.value));
                }
            }
        }
        "alipay" | "grabpay" | "dash" | "nets" | "ezlink" | "favepay" | "unionpay" => {
            add_account(p, sid, "merchant_id", &merchant_ref(f));
        }
        _ => {}
    }
    Ok(())
}

fn digits_of(s: &str) -> Vec<u32> {
    s.bytes().map(|b| (b - b'0') as u32).collect()
}

/// Brazilian CPF: 11 digits, two mod-11 check digits, not all equal.
pub fn cpf_ok(s: &str) -> bool {
    let d = digits_of(s);
    if d.len() != 11 || d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let check = |n: usize| {
        let sum: u32 = (0..n).map(|i| d[i] * (n as u32 + 1 - i as u32)).sum();
        let r = (sum * 10) % 11;
        if r == 10 { 0 } else { r }
    };
    check(9) == d[9] && check(10) == d[10]
}

/// Brazilian CNPJ: 14 digits, two mod-11 check digits.
pub fn cnpj_ok(s: &str) -> bool {
    let d = digits_of(s);
    if d.len() != 14 || d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let check = |n: usize| {
        let weights: Vec<u32> = if n == 12 { vec![5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] } else { vec![6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] };
        let sum: u32 = (0..n).map(|i| d[i] * weights[i]).sum();
        let r = sum % 11;
        if r < 2 { 0 } else { 11 - r }
    };
    check(12) == d[12] && check(13) == d[13]
}

fn pix_key_kind(k: &str) -> Option<&'static str> {
    let b = k.as_bytes();
    if k.contains('@') && k.len() <= 77 {
        return Some("email");
    }
    if k.starts_with('+') && b.len() >= 8 && b.len() <= 15 && b[1..].iter().all(u8::is_ascii_digit) {
        return Some("phone");
    }
    if b.len() == 11 && all_digits(k) {
        return Some("cpf");
    }
    if b.len() == 14 && all_digits(k) {
        return Some("cnpj");
    }
    if b.len() == 36 && b.iter().enumerate().all(|(i, c)| if [8, 13, 18, 23].contains(&i) { *c == b'-' } else { c.is_ascii_hexdigit() }) {
        return Some("evp");
    }
    None
}

fn pix_profile(t: &Field, rec: Option<&Field>, root: &[Field], p: &mut Payment, w: &mut Vec<Warning>) -> Result<(), ParseError> {
    need_currency(p, root, &["986"], "PIX")?;
    want_country(p, w, "BR", "PIX");
    if p.payee.mcc.as_deref().is_some_and(|m| m != "0000") {
        warn(w, WarningCode::BadSchemeField, Some("52"), "PIX codes use merchant category 0000");
    }
    let key = t.child("01");
    let url = t.child("25");
    if let (Some(_), Some(u)) = (key, url) {
        return Err(scheme_err(u, "PIX: a code carries a key (26.01) or a location URL (26.25), not both"));
    }
    if let Some(k) = key {
        if k.value.chars().count() > 77 {
            return Err(scheme_err(k, "PIX key longer than 77 characters"));
        }
        match pix_key_kind(&k.value) {
            Some(kind) => {
                let ok = match kind {
                    "cpf" => cpf_ok(&k.value),
                    "cnpj" => cnpj_ok(&k.value),
                    "phone" => k.value.starts_with("+55") && (k.value.len() == 13 || k.value.len() == 14),
                    _ => true,
                };
                if !ok {
                    warn(w, WarningCode::BadSchemeField, Some(&k.path), format!("PIX {kind} key {:?} fails its check (digits or +55 format)", k.value));
                }
                add_account(p, "pix", &format!("pix_key_{kind}"), &k.value)
            }
            None => {
                warn(w, WarningCode::BadSchemeField, Some(&k.path), format!("PIX key {:?} is not an e-mail, +phone, CPF, CNPJ or random (EVP) key", k.value));
                add_account(p, "pix", "pix_key", &k.value);
            }
        }
    }
    if let Some(i) = t.child("02") {
        p.references.message = Some(i.value.clone());
    }
    if let Some(f) = t.child("03") {
        add_account(p, "pix", "fss_ispb", &f.value);
    }
    if let Some(u) = url {
        if u.value.to_ascii_lowercase().starts_with("http") {
            warn(w, WarningCode::BadSchemeField, Some(&u.path), "PIX location URL must not include the scheme (https://)");
        }
        p.references.url = Some(format!("https://{}", u.value.trim_start_matches("https://")));
        p.initiation = Initiation::Dynamic;
        // The amount of a dynamic PIX code lives in the payload behind the URL.
        w.retain(|x| x.code != WarningCode::DynamicWithoutAmount);
    }
    if let Some(r) = rec {
        if let Some(u) = r.child("25") {
            p.references.recurrence_url = Some(format!("https://{}", u.value));
        }
    }
    if key.is_none() && url.is_none() && rec.and_then(|r| r.child("25")).is_none() {
        return Err(err(ErrorCode::BadSchemeField, t.value_pos, &t.path, "PIX code without a key (26.01), a location URL (26.25) or a recurrence (80)"));
    }
    // 62-05 txid: up to 25 letters/digits, or *** (none). The central bank's own BR Code example writes
    // RP12345678-2019, so other characters are read with a warning; the PSP checks the txid when paid.
    let txid = find(root, "62").and_then(|a| a.child("05"));
    match txid {
        Some(tx) => {
            let ok = tx.value == "***" || (tx.value.len() <= 25 && tx.value.bytes().all(|b| b.is_ascii_alphanumeric()));
            if !ok {
                warn(w, WarningCode::BadSchemeField, Some(&tx.path), format!("PIX txid should be up to 25 letters/digits or ***, found {:?}", tx.value));
            }
            if url.is_some() && tx.value != "***" {
                warn(w, WarningCode::BadSchemeField, Some(&tx.path), "PIX dynamic codes carry the txid in the location's payload; 62-05 should be ***");
            }
            p.references.txid = Some(tx.value.clone());
        }
        None => warn(w, WarningCode::MissingMandatoryTag, Some("62.05"), "PIX codes carry a txid in 62-05 (*** when none)"),
    }
    Ok(())
}

fn khqr_profile(f: &Field, root: &[Field], p: &mut Payment, w: &mut Vec<Warning>, now_ms: Option<i64>) -> Result<(), ParseError> {
    let acc = f.child("00").ok_or_else(|| err(ErrorCode::BadSchemeField, f.value_pos, &format!("{}.00", f.path), "KHQR needs a Bakong account ID (00)"))?;
    if acc.value.matches('@').count() != 1 || acc.value.starts_with('@') || acc.value.ends_with('@') || acc.value.chars().count() > 32 {
        return Err(scheme_err(acc, format!("Bakong account ID must look like name@bank, found {:?}", acc.value)));
    }
    need_currency(p, root, &["116", "840"], "KHQR")?;
    add_account(p, "khqr", "bakong_account", &acc.value);
    let merchant = f.id == "30";
    if let Some(v) = f.child_value("01") {
        add_account(p, "khqr", if merchant { "merchant_id" } else { "account_information" }, v);
    }
    if let Some(v) = f.child_value("02") {
        add_account(p, "khqr", "acquiring_bank", v);
    }
    let dynamic = find(root, "01").map(|x| x.value.as_str()) == Some("12");
    if dynamic && p.amount.is_none() {
        return Err(err(ErrorCode::MissingAmount, find(root, "01").map(|x| x.value_pos).unwrap_or(0), "54", "dynamic KHQR (01 = 12) must carry an amount"));
    }
    // KHQR's own limits on the display fields (the Bakong apps refuse longer ones).
    for (id, max, what) in [("59", 25, "merchant name"), ("60", 15, "merchant city")] {
        if let Some(x) = find(root, id) {
            let n = x.value.chars().count();
            if n > max {
                return Err(err(ErrorCode::TooLong, x.pos + 2, id, format!("KHQR {what} is {n} characters; at most {max}")));
            }
        }
    }
    // 99: timestamps in ms. A dynamic code needs them right (its expiry); a static code does not expire,
    // and real static codes carry 99.00 in other lengths, so there it is a warning.
    let ts = find(root, "99");
    if let Some(t) = ts {
        for k in t.children.iter().flatten() {
            if k.value.len() != 13 || !all_digits(&k.value) {
                let msg = format!("KHQR timestamp must be 13 digits (milliseconds), found {:?}", k.value);
                if dynamic {
                    return Err(err(ErrorCode::BadTimestamp, k.value_pos, &k.path, msg));
                }
                warn(w, WarningCode::BadTimestamp, Some(&k.path), msg);
            }
        }
    }
    if dynamic {
        let exp = ts.and_then(|t| t.child("01")).ok_or_else(|| {
            err(ErrorCode::MissingExpiration, ts.map(|t| t.pos).unwrap_or(0), "99.01", "dynamic KHQR must carry an expiration timestamp (99.01)")
        })?;
        p.references.expires = Some(exp.value.clone());
        if let (Some(now), Ok(e)) = (now_ms, exp.value.parse::<i64>()) {
            if e < now {
                return Err(err(ErrorCode::Expired, exp.value_pos, &exp.path, format!("this KHQR expired at {} ms since epoch", exp.value)));
            }
        }
    }
    Ok(())
}

/// "YYYYMMDDhhmmss" in UTC for a Unix time in milliseconds.
pub fn yyyymmdd(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil from days (Howard Hinnant).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}{m:02}{d:02}{:02}{:02}{:02}", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn brazilian_ids() {
        assert!(super::cnpj_ok("60701190000104"));
        assert!(!super::cnpj_ok("60701190000105"));
        assert!(super::cpf_ok("52998224725"));
        assert!(!super::cpf_ok("52998224726"));
        assert!(!super::cpf_ok("11111111111"));
    }

    #[test]
    fn civil_time() {
        assert_eq!(super::yyyymmdd(0), "19700101000000");
        assert_eq!(super::yyyymmdd(1_726_822_035_797), "20240920084715");
    }
}
