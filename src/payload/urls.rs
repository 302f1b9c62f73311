//! URL-shaped payment codes: WeChat Pay, Alipay, UnionPay (Cloud QuickPass), China Mobile Hebao, UPI;
//! and lookalike-domain detection for any URL a code carries.

use super::emv::{parse_decimal, warn};
use super::error::err;
use super::{currency, Account, ErrorCode, Initiation, ParseError, Payment, Scheme, Warning, WarningCode};

/// Percent-decoding (and '+' as space in queries). Invalid escapes are kept as written.
pub fn pct_decode(s: &str, plus_space: bool) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                let h = std::str::from_utf8(&b[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                match h {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' if plus_space => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Query parameters in order, decoded. Keys are lowercased only when `lower_keys`.
pub fn query_params(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (pct_decode(k, true), pct_decode(v, true))
        })
        .collect()
}

/// Host of an http(s) URL, lowercased, without port and credentials.
pub fn url_host(url: &str) -> Option<String> {
    let lower = url.to_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = host.split(':').next()?;
    Some(host.trim_end_matches('.').to_string())
}

pub(crate) fn base_payment(format: &str, scheme: (&str, &str)) -> Payment {
    Payment { schemes: vec![Scheme { id: scheme.0.into(), name: scheme.1.into() }], ..Payment::new(format) }
}

/// Registered domains of payment providers that phishing pages imitate.
const PAY_DOMAINS: &[&str] = &[
    "alipay.com", "alipay.hk", "alipayplus.com", "qq.com", "weixin.qq.com", "tenpay.com", "95516.com", "unionpay.com",
    "10086.cn", "paypal.com", "paypal.me", "bcb.gov.br", "npci.org.in", "paytm.com", "phonepe.com", "grab.com", "gojek.com",
    "shopee.co.id", "dana.id", "momo.vn", "gcash.com", "kakaopay.com", "paypay.ne.jp", "revolut.com", "wise.com", "bitpay.com",
    "coinbase.com", "binance.com", "stripe.com", "adyen.com", "stripe.network", "bakong.nbc.gov.kh", "nbc.gov.kh",
];

fn registered(host: &str) -> String {
    // Last two labels, or three for known second-level public suffixes.
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    let three = n >= 3 && matches!(labels[n - 2], "co" | "com" | "gov" | "org" | "ne" | "or" | "net" | "ac" | "edu");
    let k = if three { 3 } else { 2 };
    labels[n.saturating_sub(k)..].join(".")
}

fn skeleton(s: &str) -> String {
    // Common homoglyph substitutions in ASCII.
    s.replace("rn", "m").replace("vv", "w").replace('0', "o").replace(['1', '|'], "l").replace('5', "s").replace('-', "")
}

fn edit1(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a == b {
        return false;
    }
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let mut i = 0;
    while i < la.min(lb) && a[i] == b[i] {
        i += 1;
    }
    if la == lb {
        // substitution or adjacent transposition
        a[i + 1..] == b[i + 1..] || (i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] && a[i + 2..] == b[i + 2..])
    } else if la > lb {
        a[i + 1..] == b[i..]
    } else {
        a[i..] == b[i + 1..]
    }
}

/// If `host` imitates a payment provider's domain, which one.
pub fn lookalike(host: &str) -> Option<&'static str> {
    let host = host.to_lowercase();
    if host.is_empty() {
        return None;
    }
    let reg = registered(&host);
    for d in PAY_DOMAINS {
        if host == *d || host.ends_with(&format!(".{d}")) {
            return None; // the real thing (or a subdomain of it)
        }
    }
    for d in PAY_DOMAINS {
        let dreg = registered(d);
        // qr.alipay.com.evil.example, alipay.com-pay.example
        if host.starts_with(&format!("{d}.")) || host.contains(&format!(".{d}.")) || host.contains(&format!("{d}-")) {
            return Some(d);
        }
        if reg != dreg && (edit1(&reg, &dreg) || (skeleton(&reg) == skeleton(&dreg))) {
            return Some(d);
        }
        let dname = dreg.split('.').next().unwrap_or("");
        let rname = reg.split('.').next().unwrap_or("");
        // Brand on another top-level domain, or the brand glued to another word: alipay.co, alipay-secure.com.
        if dname.len() >= 5 && rname != dname && (rname.starts_with(&format!("{dname}-")) || rname.ends_with(&format!("-{dname}"))) {
            return Some(d);
        }
        if dname.len() >= 5 && rname == dname && reg != dreg && !PAY_DOMAINS.iter().any(|x| registered(x) == reg) {
            return Some(d);
        }
    }
    if !host.is_ascii() {
        // Cyrillic/Greek letters that look Latin: map them and compare with the real domains.
        let mapped: String = host
            .chars()
            .map(|c| match c {
                'а' | 'α' => 'a', 'е' | 'ε' => 'e', 'о' | 'ο' => 'o', 'р' | 'ρ' => 'p', 'с' => 'c', 'у' => 'y', 'х' => 'x',
                'і' | 'ι' => 'i', 'ӏ' => 'l', 'ԛ' => 'q', 'ԝ' => 'w', 'ѕ' => 's', 'ј' => 'j', 'ν' => 'v', 'κ' => 'k', 'τ' => 't',
                c => c,
            })
            .collect();
        for d in PAY_DOMAINS {
            if mapped == *d || mapped.ends_with(&format!(".{d}")) {
                return Some(d);
            }
        }
    }
    if host.starts_with("xn--") || host.contains(".xn--") || !host.is_ascii() {
        // Internationalised host: a classic way to imitate a brand.
        let ascii: String = host.chars().filter(char::is_ascii).collect();
        for d in PAY_DOMAINS {
            let dname = registered(d).split('.').next().unwrap_or("").to_string();
            if dname.len() >= 4 && ascii.contains(&dname[..dname.len() - 1]) {
                return Some(d);
            }
        }
    }
    None
}

pub fn check_url(url: &str, field: &str, w: &mut Vec<Warning>) {
    if let Some(h) = url_host(url) {
        if let Some(d) = lookalike(&h) {
            warn(w, WarningCode::LookalikeDomain, Some(field), format!("{h} imitates {d}: do not trust this link"));
        }
        if url.to_ascii_lowercase().starts_with("http://") {
            warn(w, WarningCode::InsecureUrl, Some(field), format!("{url} is not HTTPS"));
        }
    }
}

/// Recognise URL-shaped payment codes. `None` when `text` is not one of them.
///
/// WeChat Pay, Alipay and UnionPay QR URLs are mainland China codes: they settle in CNY (a foreign
/// payer's wallet converts), so they carry CNY even though the text names no currency.
pub fn parse(text: &str) -> Option<Result<Payment, ParseError>> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("wxp://") {
        let mut p = base_payment("wechat_pay", ("wechat_pay", "WeChat Pay"));
        p.currency = currency::from_alpha("CNY");
        let code = &t[6..];
        if code.is_empty() {
            return Some(Err(err(ErrorCode::EmptyValue, 6, "code", "wxp:// without a code")));
        }
        p.references.url = Some(t.to_string());
        p.payee.accounts.push(Account { scheme: "wechat_pay".into(), kind: "collection_code".into(), value: code.into() });
        warn(&mut p.warnings, WarningCode::WalletOnly, None, "only the WeChat app can pay a wxp:// code (a web page cannot open it)");
        return Some(Ok(p));
    }
    if lower.starts_with("weixin://wxpay/bizpayurl") {
        let mut p = base_payment("wechat_pay", ("wechat_pay", "WeChat Pay"));
        p.currency = currency::from_alpha("CNY");
        p.initiation = Initiation::Dynamic;
        p.references.url = Some(t.to_string());
        if let Some((_, q)) = t.split_once('?') {
            for (k, v) in query_params(q) {
                if k == "pr" {
                    p.references.order = Some(v);
                }
            }
        }
        warn(&mut p.warnings, WarningCode::WalletOnly, None, "only the WeChat app can pay a weixin:// native-pay code");
        return Some(Ok(p));
    }
    let host = url_host(t)?;
    let path = {
        let after = t.split_once("://").map(|x| x.1).unwrap_or("");
        after.find('/').map(|i| &after[i..]).unwrap_or("")
    };
    let segs: Vec<&str> = path.split(['?', '#']).next().unwrap_or("").split('/').filter(|s| !s.is_empty()).collect();
    let mut p = match host.as_str() {
        "payapp.weixin.qq.com" | "wx.tenpay.com" => {
            let mut p = base_payment("wechat_pay", ("wechat_pay", "WeChat Pay"));
            p.currency = currency::from_alpha("CNY");
            if let Some(last) = segs.last() {
                p.payee.accounts.push(Account { scheme: "wechat_pay".into(), kind: "collection_code".into(), value: (*last).into() });
            }
            p
        }
        "qr.alipay.com" => {
            let mut p = base_payment("alipay", ("alipay", "Alipay"));
            p.currency = currency::from_alpha("CNY");
            let code = segs.first().copied().unwrap_or("");
            if code.is_empty() {
                return Some(Err(err(ErrorCode::EmptyValue, t.len(), "code", "Alipay URL without a code")));
            }
            let cl = code.to_ascii_lowercase();
            // bax…: an order (pre-created, amount fixed); fkx…/tsx…: a personal or merchant collection code.
            if cl.starts_with("bax") {
                p.initiation = Initiation::Dynamic;
                p.references.order = Some(code.to_string());
            }
            p.payee.accounts.push(Account { scheme: "alipay".into(), kind: if cl.starts_with("bax") { "order_code" } else { "collection_code" }.into(), value: code.into() });
            p
        }
        "qr.95516.com" => {
            let mut p = base_payment("unionpay_url", ("unionpay", "UnionPay"));
            if segs.is_empty() {
                return Some(Err(err(ErrorCode::EmptyValue, t.len(), "path", "UnionPay QR URL without a merchant path")));
            }
            p.payee.accounts.push(Account { scheme: "unionpay".into(), kind: "qr_code_id".into(), value: segs.join("/") });
            p.currency = currency::from_alpha("CNY");
            p
        }
        "p.10086.cn" => {
            let mut p = base_payment("hebao", ("hebao", "China Mobile Hebao"));
            if let Some((_, q)) = t.split_once('?') {
                for (k, v) in query_params(q) {
                    if k == "p" {
                        p.payee.accounts.push(Account { scheme: "hebao".into(), kind: "collection_code".into(), value: v });
                    }
                }
            }
            p
        }
        _ => return None,
    };
    if p.format != "hebao" && t.to_ascii_lowercase().starts_with("http://") {
        warn(&mut p.warnings, WarningCode::InsecureUrl, None, "payment URL is not HTTPS");
    }
    p.references.url = Some(t.to_string());
    Some(Ok(p))
}

/// UPI deep link: upi://pay?pa=VPA&pn=NAME&am=AMOUNT&cu=INR&tn=NOTE&tr=REF&mc=MCC&tid=TXN&url=URL
pub fn parse_upi(text: &str) -> Option<Result<Payment, ParseError>> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    if !lower.starts_with("upi://") {
        return None;
    }
    Some(upi_inner(t))
}

fn upi_inner(t: &str) -> Result<Payment, ParseError> {
    let rest = &t[6..];
    let (verb, q) = rest.split_once('?').unwrap_or((rest, ""));
    let verb = verb.trim_end_matches('/').to_ascii_lowercase();
    if verb != "pay" {
        return Err(err(ErrorCode::Unsupported, 6, "upi", format!("upi://{verb} is not a payment request (only upi://pay)")));
    }
    let mut p = base_payment("upi", ("upi", "UPI"));
    p.currency = currency::from_alpha("INR");
    let qpos = t.find('?').map(|i| i + 1).unwrap_or(t.len());
    let mut seen: Vec<String> = Vec::new();
    let mut offset = qpos;
    for part in q.split('&') {
        let here = offset;
        offset += part.chars().count() + 1;
        if part.is_empty() {
            continue;
        }
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let k = pct_decode(k, true).to_ascii_lowercase();
        let v = pct_decode(v, true);
        if seen.contains(&k) {
            return Err(err(ErrorCode::DuplicateTag, here, &k, format!("parameter {k} appears twice")));
        }
        seen.push(k.clone());
        match k.as_str() {
            "pa" => {
                let ok = v.matches('@').count() == 1 && !v.starts_with('@') && !v.ends_with('@') && v.len() <= 255 && !v.contains(char::is_whitespace);
                if !ok {
                    return Err(err(ErrorCode::BadSchemeField, here, "pa", format!("payee address {v:?} is not a VPA (name@handle)")));
                }
                p.payee.accounts.push(Account { scheme: "upi".into(), kind: "vpa".into(), value: v });
            }
            "pn" => p.payee.name = Some(v),
            "am" => {
                let a = parse_decimal(&v).ok_or_else(|| err(ErrorCode::NonNumericAmount, here, "am", format!("amount must be a decimal, found {v:?}")))?;
                if a.is_zero() {
                    warn(&mut p.warnings, WarningCode::AmountZero, Some("am"), "amount 0");
                }
                p.amount = Some(a);
                p.initiation = Initiation::Dynamic;
            }
            "mam" => {
                if parse_decimal(&v).is_none() {
                    warn(&mut p.warnings, WarningCode::BadSchemeField, Some("mam"), format!("minimum amount {v:?} is not a number; ignored"));
                }
            }
            "cu" => {
                if !v.eq_ignore_ascii_case("INR") {
                    return Err(err(ErrorCode::UnknownCurrency, here, "cu", format!("UPI pays in INR only, found {v:?}")));
                }
            }
            "tn" => p.references.message = Some(v),
            "tr" => p.references.reference = Some(v),
            "tid" => p.references.txid = Some(v),
            "mc" => {
                if v.len() != 4 || !v.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(err(ErrorCode::BadMcc, here, "mc", format!("merchant code must be 4 digits, found {v:?}")));
                }
                p.payee.mcc = Some(v);
            }
            "url" => {
                check_url(&v, "url", &mut p.warnings);
                p.references.url = Some(v);
            }
            "mid" => p.payee.accounts.push(Account { scheme: "upi".into(), kind: "merchant_id".into(), value: v }),
            "orgid" | "sign" | "mode" | "purpose" | "msid" | "mtid" | "qrmedium" | "invoiceno" | "invoicedate" | "gstin" | "ver" | "category" => {}
            _ => warn(&mut p.warnings, WarningCode::UnknownParameter, Some(&k), format!("unknown UPI parameter {k}")),
        }
    }
    if !p.payee.accounts.iter().any(|a| a.kind == "vpa") {
        return Err(err(ErrorCode::MissingTag, t.len(), "pa", "UPI link without a payee address (pa)"));
    }
    p.payee.country = Some("IN".into());
    Ok(p)
}
