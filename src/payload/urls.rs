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

/// The parts of an http(s) link the payload engine reads, as a WHATWG URL parser gives them (the URL
/// Standard, which browsers implement): scheme without `:`, credentials percent-encoded, the host the
/// browser goes to (lowercase ASCII, punycode for IDN, IPv6 in brackets), path, query without `?`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebUrl {
    /// The link as the parser serialises it (what a browser would open).
    pub href: String,
    pub scheme: String,
    pub username: String,
    /// Empty when there is none.
    pub password: String,
    pub host: String,
    pub path: String,
    /// `None` when empty.
    pub query: Option<String>,
}

impl WebUrl {
    pub fn scheme(&self) -> &str {
        &self.scheme
    }
    /// The non-empty path segments.
    pub fn path_segments(&self) -> impl Iterator<Item = &str> {
        self.path.split('/').filter(|s| !s.is_empty())
    }
    pub fn query(&self) -> Option<&str> {
        self.query.as_deref()
    }
}

/// A WHATWG URL parser: an absolute URL → its parts, `None` when it does not parse.
pub type UrlParser = fn(&str) -> Option<WebUrl>;

static URL_PARSER: std::sync::OnceLock<UrlParser> = std::sync::OnceLock::new();

/// Read links with `parser` from now on (first call wins). The browser modules install the browser's
/// own `URL` (`src/web/url.rs`: the parser the shopper's browser navigates with, and no `url`/IDNA tables
/// in the wasm); native builds read links with the `url` crate.
pub fn use_url_parser(parser: UrlParser) {
    let _ = URL_PARSER.set(parser);
}

fn parse_url(s: &str) -> Option<WebUrl> {
    if let Some(p) = URL_PARSER.get() {
        return p(s);
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        url_crate(s)
    }
    #[cfg(target_arch = "wasm32")]
    {
        None
    }
}

/// [`UrlParser`] on the `url` crate (WHATWG too), for native builds.
#[cfg(not(target_arch = "wasm32"))]
pub fn url_crate(s: &str) -> Option<WebUrl> {
    let u = url::Url::parse(s).ok()?;
    let host = match u.host()? {
        url::Host::Domain(d) => d.to_string(),
        other => other.to_string(),
    };
    Some(WebUrl {
        href: u.to_string(),
        scheme: u.scheme().to_string(),
        username: u.username().to_string(),
        password: u.password().unwrap_or("").to_string(),
        host,
        path: u.path().to_string(),
        query: u.query().filter(|q| !q.is_empty()).map(str::to_string),
    })
}

/// An http(s) link as a browser reads it (WHATWG URL Standard): `\` counts as `/`, credentials end at the
/// last `@` of the authority, hosts are IDNA-mapped to lowercase ASCII (punycode).
/// A text starting with "www." is read as https://. `None` for other schemes and unparsable links.
pub fn web_url(text: &str) -> Option<WebUrl> {
    // WHATWG strips leading and trailing C0 controls and spaces.
    let t = text.trim().trim_matches(|c: char| c <= ' ');
    let www = t.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("www."));
    // Cheap test before the full parse: only http(s) links matter here.
    if !www && !t.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("http")) {
        return None;
    }
    let u = if www { parse_url(&format!("https://{t}")) } else { parse_url(t) }?;
    matches!(u.scheme(), "http" | "https").then_some(u)
}

/// Host of an http(s) URL as the browser goes to it: lowercase ASCII (punycode for IDN), without port,
/// credentials or trailing dot.
pub fn url_host(url: &str) -> Option<String> {
    host_of(&web_url(url)?)
}

fn host_of(u: &WebUrl) -> Option<String> {
    let h = u.host.trim_end_matches('.');
    (!h.is_empty()).then(|| h.to_string())
}

pub(crate) fn base_payment(format: &str, scheme: (&str, &str)) -> Payment {
    Payment { schemes: vec![Scheme { id: scheme.0.into(), name: scheme.1.into() }], ..Payment::new(format) }
}

/// Registered domains of payment providers that phishing pages imitate. The brand is the first label of
/// the registered domain; brands of 5+ letters are also caught inside a label ("loginpaypal"), brands of
/// 4+ as a label or a hyphen-separated part of one ("paypal.login.com", "secure-paypal"), every domain
/// as a label sequence of another host ("qr.alipay.com.evil.example").
const PAY_DOMAINS: &[&str] = &[
    "alipay.com", "alipay.hk", "alipayplus.com", "alipayobjects.com", "qq.com", "weixin.qq.com", "tenpay.com", "95516.com",
    "unionpay.com", "10086.cn", "paypal.com", "paypal.me", "paypalobjects.com", "bcb.gov.br", "npci.org.in", "paytm.com",
    "phonepe.com", "grab.com", "gojek.com", "shopee.co.id", "dana.id", "momo.vn", "gcash.com", "kakaopay.com", "paypay.ne.jp",
    "revolut.com", "wise.com", "bitpay.com", "coinbase.com", "binance.com", "stripe.com", "adyen.com", "stripe.network",
    "bakong.nbc.gov.kh", "nbc.gov.kh",
];

/// Brands that are also ordinary words or names (a host containing them is usually about something else).
const ORDINARY_WORDS: &[&str] = &["stripe", "wise", "grab", "momo", "dana"];

fn registered(host: &str) -> String {
    // Last two labels, or three for known second-level public suffixes.
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    let three = n >= 3 && matches!(labels[n - 2], "co" | "com" | "gov" | "org" | "ne" | "or" | "net" | "ac" | "edu");
    let k = if three { 3 } else { 2 };
    labels[n.saturating_sub(k)..].join(".")
}

/// UTS 39 confusable skeleton (unicode-security), case-folded: strings that look alike get the same
/// skeleton ("pаypal" with a Cyrillic а, "paypa1", "PAYPAL" → the skeleton of "paypal").
fn skeleton(s: &str) -> String {
    let lower: String = s.chars().flat_map(char::to_lowercase).collect();
    super::deep::skeleton(&lower).chars().flat_map(char::to_lowercase).collect()
}

/// One inserted, deleted or transposed letter apart (a typo of the brand).
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
        // An adjacent transposition (alipya). A substitution is not counted: look-alike substitutions are
        // the skeleton's business, other ones make ordinary words (finance / binance).
        i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] && a[i + 2..] == b[i + 2..]
    } else if la > lb {
        a[i + 1..] == b[i..]
    } else {
        a[i..] == b[i + 1..]
    }
}

/// `host` is `domain` or one of its subdomains.
fn is_at_or_under(host: &str, domain: &str) -> bool {
    host == domain || (host.len() > domain.len() && host.ends_with(domain) && host.as_bytes()[host.len() - domain.len() - 1] == b'.')
}

/// (domain, its brand, skeleton of the domain, skeleton of the brand).
type Brand = (&'static str, &'static str, String, String);

/// Every payment domain with its brand and skeletons, computed once.
fn brands() -> &'static [Brand] {
    static B: std::sync::OnceLock<Vec<Brand>> = std::sync::OnceLock::new();
    B.get_or_init(|| {
        PAY_DOMAINS
            .iter()
            .map(|d| {
                let brand = d.split('.').next().unwrap_or(d);
                let brand = if *d == "weixin.qq.com" { "weixin" } else if d.ends_with("nbc.gov.kh") { "bakong" } else { brand };
                (*d, brand, skeleton(d), skeleton(brand))
            })
            .collect()
    })
}

/// If `host` imitates a payment provider's domain, which one. `host` is a host as [`url_host`] gives it
/// (punycode labels are decoded with IDNA first), or a Unicode host. The real domains and their
/// subdomains are not lookalikes.
pub fn lookalike(host: &str) -> Option<&'static str> {
    let host = host.trim_end_matches('.').to_lowercase();
    if host.is_empty() || host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        return None;
    }
    // IDNA: decode xn-- labels (and map a Unicode host) to the Unicode the shopper sees. A plain ASCII
    // host is its own form (the common case, no IDNA work).
    let plain = host.is_ascii() && !host.contains("xn--");
    let (unicode, ascii) = if plain {
        (host.clone(), host.clone())
    } else {
        // Where IDNA is not in this build the parse ends with `deep_check_needed` (payload::deep).
        super::deep::idna_forms(&host)?
    };
    for d in PAY_DOMAINS {
        if is_at_or_under(&ascii, d) {
            return None; // the real thing (or a subdomain of it)
        }
    }
    let sk_host = skeleton(&unicode);
    let labels: Vec<String> = unicode.split('.').map(skeleton).collect();
    let reg_label = {
        let reg = registered(&unicode);
        skeleton(reg.split('.').next().unwrap_or(""))
    };
    for (d, brand, sk_d, sk_brand) in brands() {
        let digits = brand.bytes().all(|b| b.is_ascii_digit());
        // Brands that are ordinary words are only matched as the registered name itself (stripe.co).
        let word = ORDINARY_WORDS.contains(brand);
        if word && brand.len() >= 4 && reg_label == *sk_brand {
            return Some(d);
        }
        // A payment domain as a label sequence of another host (or the whole host, lookalike letters
        // included): qr.alipay.com.evil.example, xn--pypal-4ve.com.
        if sk_host == *sk_d || sk_host.starts_with(&format!("{sk_d}.")) || sk_host.contains(&format!(".{sk_d}.")) || sk_host.ends_with(&format!(".{sk_d}")) {
            return Some(d);
        }
        for l in &labels {
            // The brand as a label or a hyphen-separated part: paypal.login.com, alipay.cn.com, secure-paypal.com.evil.io.
            if brand.len() >= 4 && !word && l.split('-').any(|part| part == sk_brand) {
                return Some(d);
            }
            // The brand inside a label: loginpaypal.com, paypalsecure.net.
            if brand.len() >= 5 && !digits && !word && l.replace('-', "").contains(sk_brand.as_str()) {
                return Some(d);
            }
        }
        // One typo away from the brand in the registered name: aliipay.com, alipya.com.
        if brand.len() >= 5 && !digits && !word && edit1(&reg_label, sk_brand) {
            return Some(d);
        }
    }
    None
}

/// Why a link fools the eye: the host it goes to imitates a payment provider, or the link `raw` shows a
/// payment provider's name where the browser does not go (credentials, or a backslash that ends the host:
/// `https://evil.com\@qr.alipay.com/…` goes to evil.com). `None` for honest links.
pub fn deceptive(u: &WebUrl, raw: &str) -> Option<String> {
    let host = host_of(u)?;
    if let Some(d) = lookalike(&host) {
        // Shown as the shopper would read it: xn-- labels decoded (a lookalike with such labels was
        // found through IDNA, so IDNA is in this build).
        let shown = if host.is_ascii() && !host.contains("xn--") {
            host.clone()
        } else {
            super::deep::idna_forms(&host).map(|(unicode, _)| unicode).unwrap_or_else(|| host.clone())
        };
        // A Unicode lookalike reads like the real name: the address the browser goes to says what it is.
        return Some(if shown == host {
            format!("{host} imitates {d}: do not trust this link")
        } else {
            format!("{shown} ({host}) imitates {d}: do not trust this link")
        });
    }
    if PAY_DOMAINS.iter().any(|d| is_at_or_under(&host, d)) {
        return None;
    }
    // A provider's domain written where the browser does not go: user name, password, or what follows a
    // backslash that the browser reads as the end of the host.
    let lower = |s: &str| s.to_ascii_lowercase();
    let authority = raw.split_once("//").map(|x| x.1).unwrap_or(raw);
    let after_backslash = authority.split_once('\\').map(|x| lower(x.1.split('/').next().unwrap_or(""))).unwrap_or_default();
    let decoy = [lower(&u.username), lower(&u.password), after_backslash];
    for d in PAY_DOMAINS {
        if decoy.iter().any(|x| x.contains(d)) {
            return Some(format!("this link goes to {host}, not to {d} as its text suggests: do not trust it"));
        }
    }
    None
}

pub fn check_url(url: &str, field: &str, w: &mut Vec<Warning>) {
    if let Some(u) = web_url(url) {
        if let Some(why) = deceptive(&u, url) {
            warn(w, WarningCode::LookalikeDomain, Some(field), why);
        }
        if u.scheme() == "http" {
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
    // The host the browser goes to (WHATWG): `https://evil.com\@qr.alipay.com/…` is evil.com, not Alipay.
    let u = web_url(t)?;
    let host = host_of(&u)?;
    let segs: Vec<&str> = u.path_segments().collect();
    let query = u.query().unwrap_or("");
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
            for (k, v) in query_params(query) {
                if k == "p" {
                    p.payee.accounts.push(Account { scheme: "hebao".into(), kind: "collection_code".into(), value: v });
                }
            }
            p
        }
        _ => return None,
    };
    if p.format != "hebao" && u.scheme() == "http" {
        warn(&mut p.warnings, WarningCode::InsecureUrl, None, "payment URL is not HTTPS");
    }
    // The link as the browser serialises it (IDNA-mapped host, normalised path): what the widget would open.
    p.references.url = Some(u.href.clone());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookalikes_anywhere_in_the_host() {
        for (host, of) in [
            ("xn--pypal-4ve.com", "paypal.com"),
            ("secure-paypal.com.evil.io", "paypal.com"),
            ("loginpaypal.com", "paypal.com"),
            ("paypal.login.com", "paypal.com"),
            ("alipay.cn.com", "alipay.com"),
            ("qr.alipay.com.evil.example", "alipay.com"),
            ("qr.a1ipay.com", "alipay.com"),
            ("qr.aliipay.com", "alipay.com"),
            ("alipya.com", "alipay.com"),
            ("PAYPAL.example", "paypal.com"),
            ("qr.\u{430}lipay.com", "alipay.com"),
            ("stripe.co", "stripe.com"),
        ] {
            assert_eq!(lookalike(host), Some(of), "{host}");
        }
        for good in ["qr.alipay.com", "www.paypal.com", "paypalobjects.com", "finance.example", "striped-shirts.example", "wiseowl.example", "example.com", "xn--mnchen-3ya.de", "127.0.0.1", "paypay.ne.jp"] {
            assert_eq!(lookalike(good), None, "{good}");
        }
    }

    #[test]
    fn links_read_as_the_browser_does() {
        // WHATWG: a backslash ends the authority in http(s) URLs, so this goes to evil.com.
        assert_eq!(url_host("https://evil.com\\@qr.alipay.com/bax01234").as_deref(), Some("evil.com"));
        assert_eq!(url_host("https://qr.alipay.com@evil.com/x").as_deref(), Some("evil.com"));
        assert_eq!(url_host("HTTPS://QR.ALIPAY.COM./x").as_deref(), Some("qr.alipay.com"));
        assert_eq!(url_host("https://ｑｒ.alipay.com/x").as_deref(), Some("qr.alipay.com"));
        assert_eq!(url_host("www.example.com/menu").as_deref(), Some("www.example.com"));
        assert_eq!(url_host("ftp://example.com"), None);
        let mut w = Vec::new();
        check_url("https://evil.com\\@qr.alipay.com/bax01234", "url", &mut w);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].code == WarningCode::LookalikeDomain && w[0].message.contains("evil.com"), "{w:?}");
        for honest in ["https://qr.alipay.com/bax01234", "https://news.example/paypal.com-outage"] {
            let mut w = Vec::new();
            check_url(honest, "url", &mut w);
            assert!(w.is_empty(), "{honest}: {w:?}");
        }
    }
}
