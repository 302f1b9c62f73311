//! Runs every vector of tests/data/payment-vectors.jsonl (copied from the shared corpus: public
//! specifications and the test suites of open-source libraries, plus our own at the end).
//!
//! Each line: `{scheme, payload, valid, expect, source, note}` as the source asserts it, plus, where we
//! need them, two keys of ours:
//! - `decision`: where we decide differently from the source, with `why` (required):
//!   `valid` (our verdict), `not_payment` (reported as that non-payment kind), `at` (the clock, ms, at
//!   which the vector is parsed), `read_at` (an expected tag the code writes elsewhere: `{from: to}`),
//!   `unchecked` (`{key: reason}`: expected keys with nothing to compare; `"*"` for every key of an
//!   invalid vector whose source decodes fields we refuse to read).
//! - `interpay`: our own extra expectations, in the same key language as `expect`, plus `now` (the error
//!   with the clock at now), `parse_as` (`{format: error}`), `warnings` (`[{code, tag?}]`) and
//!   `cpm_error` (the error of `cpm::parse`).
//!
//! Every key is checked: a key the test does not know fails it (nothing is let through silently).
//! An `id` names a vector that other tests use (tests/payload_schemes.rs), so they do not depend on lines.

mod common;

use interpay::payload::{self, Code, Payment, Tlv};
use rust_decimal::Decimal;
use serde_json::{Map, Value};
use std::str::FromStr;

/// Leading tag path of an expectation key: "29.00 bakongAccountID" → "29.00"; "recipientType (28.00)" → "28.00".
fn tag_path(key: &str) -> Option<String> {
    let tok = key.split_whitespace().next().unwrap_or("");
    let is_path = |t: &str| !t.is_empty() && t.split('.').all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()));
    if is_path(tok) {
        return Some(tok.to_string());
    }
    // "(62-07)" or "(27.00)"
    let inner = key.split_once('(')?.1.split(')').next()?.split_whitespace().next()?.replace('-', ".");
    is_path(&inner).then_some(inner)
}

/// A node of a TLV tree by path; "61[1]" is the second 61 at its level (BER trees repeat tags).
fn find<'a>(tree: &'a [Tlv], path: &str) -> Option<&'a Tlv> {
    let mut level = tree;
    let mut node = None;
    for id in path.split('.') {
        let (tag, nth) = match id.split_once('[') {
            Some((t, n)) => (t, n.trim_end_matches(']').parse::<usize>().ok()?),
            None => (id, 0),
        };
        let n = level.iter().filter(|t| t.tag.eq_ignore_ascii_case(tag)).nth(nth)?;
        node = Some(n);
        level = n.children.as_deref().unwrap_or(&[]);
    }
    node
}

fn same_text(expected: &str, actual: &str) -> bool {
    // Sources annotate values: "2 (UEN)", "0 (mobile)".
    expected == actual || expected.strip_prefix(actual).is_some_and(|r| r.starts_with(" ("))
}

fn check_tree(tree: &[Tlv], path: &str, v: &Value, errs: &mut Vec<String>, n: &mut usize) {
    *n += 1;
    let node = find(tree, path);
    match v {
        Value::Null => {
            if node.is_some() {
                errs.push(format!("{path} should be absent"));
            }
        }
        Value::String(s) => match node {
            Some(t) if same_text(s, &t.value) => {}
            other => errs.push(format!("{path}: expected {s:?}, got {:?}", other.map(|t| &t.value))),
        },
        Value::Object(m) => {
            for (k, sub) in m {
                check_tree(tree, &format!("{path}.{k}"), sub, errs, n);
            }
        }
        other => errs.push(format!("{path}: unexpected expectation {other}")),
    }
}

fn dec(v: &Value) -> Option<Decimal> {
    match v {
        Value::String(s) if !s.is_empty() => Decimal::from_str(s).ok(),
        Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        _ => None,
    }
}

fn has_account(p: &Payment, kind_prefix: &str, value: &str) -> bool {
    p.payee.accounts.iter().any(|a| a.kind.starts_with(kind_prefix) && a.value == value)
}

fn line(text: &str, i: usize) -> &str {
    text.lines().nth(i).unwrap_or("")
}

/// What one vector expects, with our decision applied.
struct Ctx<'a> {
    scheme: &'a str,
    text: &'a str,
    expect: &'a Map<String, Value>,
    unchecked: Map<String, Value>,
}

impl Ctx<'_> {
    /// A key we declared to have nothing to compare (with its reason).
    fn skipped(&self, key: &str) -> bool {
        self.unchecked.get(key).or_else(|| self.unchecked.get("*")).and_then(Value::as_str).is_some_and(|why| !why.is_empty())
    }

    /// `{k: v}` sub-expectations of `parent` (BIP21 options, BOLT11 tags, EIP-681 parameters): every
    /// sub-key must be known (`check` returns `None` for an unknown one) or declared unchecked.
    fn sub(&self, parent: &str, v: &Value, check: impl Fn(&str, &Value) -> Option<bool>) -> Option<bool> {
        let mut ok = true;
        for (k, x) in v.as_object()? {
            if self.skipped(&format!("{parent}.{k}")) {
                continue;
            }
            ok &= check(k, x)?;
        }
        Some(ok)
    }

    /// Named (non-tag) expectations, mapped onto the normalised Payment: `Some(ok)` when the key is
    /// known, `None` when it is not (the caller fails the vector).
    fn named(&self, key: &str, v: &Value, p: &Payment) -> Option<bool> {
        let (scheme, text) = (self.scheme, self.text);
        let s = v.as_str().unwrap_or("");
        let amount_is = |v: &Value| p.amount.map(|a| a.normalize()) == dec(v).map(|d| d.normalize());
        let key0 = key.split(" (").next().unwrap_or(key);
        let warned = |code: &str, tag: Option<&str>| p.warnings.iter().any(|w| w.code.as_str() == code && (tag.is_none() || w.tag.as_deref() == tag));
        Some(match (scheme, key0) {
            (_, "initiation") => format!("{:?}", p.initiation).eq_ignore_ascii_case(s),
            (_, "warning") => warned(s, None),
            (_, "warnings") => v.as_array()?.iter().all(|w| warned(w["code"].as_str().unwrap_or("?"), w.get("tag").and_then(Value::as_str))),
            (_, "order") => p.references.order.as_deref() == Some(s),
            (_, "accounts") => v.as_array()?.iter().all(|a| p.payee.accounts.iter().any(|x| Some(x.scheme.as_str()) == a["scheme"].as_str() && Some(x.kind.as_str()) == a["kind"].as_str() && Some(x.value.as_str()) == a["value"].as_str())),
            (_, "tip") => serde_json::to_value(&p.tip).ok().and_then(|t| t.get("rule").cloned()) == Some(Value::String(s.into())),
            (_, "kind") if s.contains("collection code") => p.payee.accounts.iter().any(|a| a.kind == "collection_code"),
            ("wechat-wxp", "host") => p.references.url.as_deref().is_some_and(|u| u.contains(s)),
            ("khqr", "null_fields") => v.as_array()?.iter().all(|f| {
                let kinds: &[(&str, &str)] = match f.as_str().unwrap_or("") {
                    "merchantID" => &[("khqr", "merchant_id")],
                    "accountInformation" => &[("khqr", "account_information")],
                    "unionPayMerchant" => &[("unionpay", "")],
                    _ => return false,
                };
                !kinds.iter().any(|(sch, k)| p.payee.accounts.iter().any(|a| a.scheme == *sch && a.kind.starts_with(k)))
            }),
            ("pix", "type") => match s {
                "STATIC" => p.initiation == payload::Initiation::Static && p.references.url.is_none(),
                "DYNAMIC" => p.initiation == payload::Initiation::Dynamic && p.references.url.is_some(),
                "RECURRENCE" => p.references.recurrence_url.is_some() && p.references.url.is_none(),
                _ => false,
            },
            ("pix", "pixKey") => has_account(p, "pix_key", s),
            ("pix", "transactionAmount") => amount_is(v),
            ("pix", "merchantName") => p.payee.name.as_deref() == Some(s),
            ("pix", "merchantCity") => p.payee.city.as_deref() == Some(s),
            ("pix", "txid") => p.references.txid.as_deref() == Some(s),
            ("pix", "url") => p.references.url == v.as_str().map(|u| format!("https://{u}")),
            ("pix", "urlRec") => p.references.recurrence_url == v.as_str().map(|u| format!("https://{u}")),
            ("pix", "fss") => has_account(p, "fss_ispb", s),
            ("pix", "infoAdicional") => p.references.message.as_deref() == Some(s),
            ("vietqr", "accountNumber") => has_account(p, "account", s),
            ("vietqr", "bankCode") => has_account(p, "bank_bin", s),
            ("vietqr", "amount") => amount_is(v),
            ("vietqr", "currency") => p.currency.as_ref().and_then(|c| c.numeric.as_deref()) == Some(s),
            ("vietqr", "countryCode") => p.payee.country.as_deref() == Some(s),
            ("vietqr", "initiationMethod") => format!("{:?}", p.initiation).eq_ignore_ascii_case(s),
            ("vietqr", "message") => p.references.purpose.as_deref() == Some(s),
            ("vietqr", "crc") => find(p.tlv.as_deref().unwrap_or(&[]), "63").is_some_and(|t| t.value == s),
            ("qrph", "bankCode BIC") => has_account(p, "bic", s),
            ("qrph", "accountNumber") => has_account(p, "account", s),
            ("upi", "pa") => has_account(p, "vpa", s),
            ("upi", "pn") => p.payee.name.as_deref() == Some(s),
            ("upi", "am") => amount_is(v),
            ("upi", "cu") => p.currency.as_ref().is_some_and(|c| c.code == s),
            ("upi", "tn") => p.references.message.as_deref() == Some(s),
            ("upi", "tr") => p.references.reference.as_deref() == Some(s),
            ("upi", "tid") => p.references.txid.as_deref() == Some(s),
            ("upi", "mc") => p.payee.mcc.as_deref() == Some(s),
            ("upi", "url") => p.references.url.as_deref() == Some(s),
            // The sample writes mam=null (no minimum): read as no number, so the engine says so.
            ("upi", "mam") => s == "null" && warned("bad_scheme_field", Some("mam")),
            ("epc-sct", "service") => line(text, 0) == s && p.format == "epc",
            ("epc-sct", "version") => line(text, 1) == s,
            ("epc-sct", "charset") => same_text(s, line(text, 2)),
            ("epc-sct", "identification") => line(text, 3) == s && p.schemes.iter().any(|x| x.id == "sepa"),
            ("epc-sct", "amount") => s.strip_prefix("EUR").is_some_and(|a| amount_is(&Value::String(a.into()))) && p.currency.as_ref().is_some_and(|c| c.code == "EUR"),
            ("epc-sct", "bic") => if s.is_empty() { !p.payee.accounts.iter().any(|a| a.kind == "bic") } else { has_account(p, "bic", s) },
            ("epc-sct", "iban") => has_account(p, "iban", s),
            ("epc-sct", "name") => p.payee.name.as_deref() == Some(s),
            ("epc-sct", "purpose") => p.references.purpose.as_deref().unwrap_or("") == s,
            ("epc-sct", "structured_ref") => p.references.reference.as_deref().unwrap_or("") == s,
            ("epc-sct", "unstructured") => p.references.message.as_deref().unwrap_or("") == s,
            ("swiss-qr-bill", "account") => has_account(p, "", s),
            ("swiss-qr-bill", "amount") => if s.is_empty() { p.amount.is_none() } else { amount_is(v) },
            ("swiss-qr-bill", "currency") => p.currency.as_ref().is_some_and(|c| c.code == s),
            ("swiss-qr-bill", "creditor.name") => p.payee.name.as_deref() == Some(s),
            ("swiss-qr-bill", "debtor.name") => p.references.customer.as_deref() == Some(s),
            ("swiss-qr-bill", "debtor") => v.is_null() && p.references.customer.is_none(),
            // Line 21 (UltmtDbtr.AdrTp) of the QR-bill, which the parser validated (S, K or empty).
            ("swiss-qr-bill", "debtor.addressType") => line(text, 20) == s && p.references.customer.is_some(),
            ("swiss-qr-bill", "trailer") => line(text, 30) == s && p.format == "swiss_qr",
            ("swiss-qr-bill", "refType") => match s {
                "NON" => p.references.reference.is_none(),
                _ => p.references.reference.is_some(),
            },
            ("swiss-qr-bill", "reference") => p.references.reference.as_deref() == Some(s),
            ("swiss-qr-bill", "message") => p.references.message.as_deref() == Some(s),
            ("swiss-qr-bill", "billInformation") => p.references.bill_number.as_deref() == Some(s),
            ("swiss-qr-bill", "alternativeSchemes") => v.as_array().is_some_and(|a| a.iter().all(|x| has_account(p, "alternative_scheme", x.as_str().unwrap_or("")))),
            ("bip21", "address") => has_account(p, "address", s),
            ("bip21", "offer") => has_account(p, "bolt12_offer", s) && p.schemes.iter().any(|x| x.id == "lightning"),
            ("bip21", "options") => self.sub("options", v, |k, x| {
                Some(match k {
                    "amount" => amount_is(x),
                    "label" => p.payee.name.as_deref() == x.as_str(),
                    "message" => p.references.message.as_deref() == x.as_str(),
                    "r" => p.references.url.as_deref() == x.as_str(),
                    _ => return None,
                })
            })?,
            ("bolt11", "prefix") => {
                let net = match s.get(2..).unwrap_or("") {
                    r if r.starts_with("bcrt") => "regtest",
                    r if r.starts_with("bc") => "bitcoin",
                    r if r.starts_with("tbs") => "signet",
                    r if r.starts_with("tb") => "testnet",
                    _ => "?",
                };
                text.to_ascii_lowercase().trim_start_matches("lightning:").starts_with(s) && p.network.as_deref() == Some(net)
            }
            ("bolt11", "millisatoshis") => match s {
                "" => p.amount.is_none(),
                m => p.amount.map(|a| (a * Decimal::from(100_000_000_000u64)).normalize()) == Decimal::from_str(m).ok().map(|d| d.normalize()),
            },
            ("bolt11", "satoshis") => match v {
                Value::Null => p.amount.is_none(),
                n => p.amount.map(|a| (a * Decimal::from(100_000_000u64)).normalize()) == dec(n).map(|d| d.normalize()),
            },
            ("bolt11", "timestamp") => {
                // The engine reports the expiry: timestamp + x (3600 s when absent).
                let x = self.expect.get("tags").and_then(|t| t.get("expire_time")).and_then(Value::as_u64).unwrap_or(3600);
                p.references.expires.as_deref() == Some(&(v.as_u64()? + x).to_string())
            }
            ("bolt11", "payeeNodeKey") => has_account(p, "node_id", s),
            ("bolt11", "tags") => self.sub("tags", v, |k, x| {
                Some(match k {
                    "payment_hash" => p.references.reference.as_deref() == x.as_str(),
                    "description" => p.references.message.as_deref() == x.as_str(),
                    "expire_time" => {
                        let ts = self.expect.get("timestamp").and_then(Value::as_u64)?;
                        p.references.expires.as_deref() == Some(&(ts + x.as_u64()?).to_string())
                    }
                    // {code: 17 | 18 | witness version, address, addressHash}: the engine reports the address
                    // (which encodes addressHash) with its kind.
                    "fallback_address" => {
                        let kind = match x.get("code").and_then(Value::as_u64)? {
                            17 => "fallback_p2pkh",
                            18 => "fallback_p2sh",
                            0 => "fallback_p2w",
                            1 => "fallback_p2tr",
                            _ => return None,
                        };
                        x.as_object()?.keys().all(|k| matches!(k.as_str(), "code" | "address" | "addressHash"))
                            && p.payee.accounts.iter().any(|a| a.kind.starts_with(kind) && Some(a.value.as_str()) == x.get("address").and_then(Value::as_str))
                    }
                    _ => return None,
                })
            })?,
            ("eip681", "scheme") => p.schemes.iter().any(|x| x.id == s),
            // The prefix is read (the target follows it); EIP-681 defines only pay-, others are warned about.
            ("eip681", "prefix") => text.split_once(':').is_some_and(|(_, r)| r.starts_with(&format!("{s}-"))) && warned("unknown_prefix", None) == (s != "pay"),
            ("eip681", "target_address") => p.payee.accounts.iter().any(|a| a.value == s),
            ("eip681", "chain_id") => p.network.as_deref() == Some(&format!("ethereum:{s}")),
            ("eip681", "function_name") => s == "transfer" && p.payee.accounts.iter().any(|a| a.kind == "token_contract"),
            ("eip681", "parameters") => self.sub("parameters", v, |k, x| {
                Some(match k {
                    "value" => p.amount.map(|a| (a * Decimal::from(1_000_000_000_000_000_000u64)).normalize()) == dec(x).map(|d| d.normalize()),
                    "address" => p.payee.accounts.iter().any(|a| Some(a.value.as_str()) == x.as_str()),
                    "uint256" => p.references.message.as_deref().is_some_and(|m| m.contains(&format!(" {} ", x.as_str().unwrap_or("")))),
                    _ => return None,
                })
            })?,
            ("alipay-url", "host") | ("unionpay-url", "host") => p.references.url.as_deref().is_some_and(|u| u.to_ascii_lowercase().contains(s)),
            ("alipay-url", "code") => p.payee.accounts.iter().any(|a| a.value == s),
            ("unionpay-url", "path") => {
                let want: Vec<&str> = v.as_array()?.iter().filter_map(Value::as_str).collect();
                p.payee.accounts.iter().any(|a| a.value == want.join("/"))
            }
            ("wechat-wxp", "scheme") => p.references.url.as_deref().is_some_and(|u| u.starts_with(&format!("{s}://"))),
            _ => return None,
        })
    }
}

fn format_for(scheme: &str) -> &str {
    match scheme {
        "emv-mpm" | "emv-cpm" => "emv_mpm",
        "epc-sct" => "epc",
        "swiss-qr-bill" => "swiss_qr",
        "sgqr-paynow" => "paynow",
        "hk-fps" => "fps",
        "upi-bharatqr" => "upi",
        "alipay-url" => "alipay",
        "wechat-wxp" => "wechat_pay",
        "unionpay-url" => "unionpay",
        other => other,
    }
}

/// Expectation keys about the parse result rather than its fields.
const RESULT_KEYS: &[&str] = &["error", "tag", "not_payment", "now", "parse_as", "cpm_error"];

/// Check one vector; returns the problems found and counts the checks made.
fn check_vector(v: &Value, checks: &mut usize) -> Vec<String> {
    let scheme = v["scheme"].as_str().unwrap();
    let text = v["payload"].as_str().unwrap();
    let empty = Map::new();
    let decision = v.get("decision").and_then(Value::as_object).unwrap_or(&empty);
    let ours = v.get("interpay").and_then(Value::as_object).unwrap_or(&empty);
    let expect = v["expect"].as_object().unwrap_or(&empty);
    let mut errs = Vec::new();
    for k in decision.keys() {
        if !matches!(k.as_str(), "why" | "valid" | "not_payment" | "at" | "read_at" | "unchecked") {
            errs.push(format!("unknown decision key {k:?}"));
        }
    }
    if (decision.contains_key("valid") || decision.contains_key("not_payment") || decision.contains_key("at") || decision.contains_key("read_at"))
        && decision.get("why").and_then(Value::as_str).is_none_or(str::is_empty)
    {
        errs.push("a decision needs its `why`".into());
    }
    let ctx = Ctx { scheme, text, expect, unchecked: decision.get("unchecked").and_then(Value::as_object).cloned().unwrap_or_default() };
    let read_at = decision.get("read_at").and_then(Value::as_object).cloned().unwrap_or_default();
    let valid = decision.get("valid").and_then(Value::as_bool).unwrap_or(v["valid"].as_bool().unwrap());
    let now = decision.get("at").and_then(Value::as_i64).or_else(payload::now_ms);
    let res = payload::parse_at(text, now);

    // Expectations about the result itself.
    if let Some(Value::Object(e)) = ours.get("now") {
        *checks += 1;
        match payload::parse(text) {
            Err(x) if Some(x.code.as_str()) == e["error"].as_str() && (e.get("tag").is_none() || x.tag.as_deref() == e["tag"].as_str()) => {}
            other => errs.push(format!("with the clock at now: expected {e:?}, got {other:?}")),
        }
    }
    if let Some(Value::Object(m)) = ours.get("parse_as") {
        for (f, code) in m {
            *checks += 1;
            match payload::parse_as(f, text) {
                Err(x) if Some(x.code.as_str()) == code.as_str() => {}
                other => errs.push(format!("parse_as({f}): expected {code}, got {other:?}")),
            }
        }
    }
    if let Some(code) = ours.get("cpm_error").and_then(Value::as_str) {
        *checks += 1;
        match payload::cpm::parse(text) {
            Err(x) if x.code.as_str() == code => {}
            other => errs.push(format!("cpm::parse: expected {code}, got {other:?}")),
        }
    }

    // Field expectations: the source's, then ours.
    let fields: Vec<(&String, &Value)> = expect.iter().chain(ours.iter()).filter(|(k, _)| !RESULT_KEYS.contains(&k.as_str())).collect();
    if let Some(what) = decision.get("not_payment").and_then(Value::as_str) {
        match &res {
            Ok(Code::NotPayment(n)) if n.what == what => {}
            other => errs.push(format!("expected not_payment {what}, got {other:?}")),
        }
        // A consumer-presented code: the source's fields are its BER-TLV tree.
        let tree = if what == "emv_cpm" { payload::cpm::parse(text).map_err(|e| errs.push(format!("cpm tree: {e}"))).ok() } else { None };
        for (k, ev) in fields {
            match &tree {
                _ if ctx.skipped(k) => {}
                Some(t) => check_tree(t, k, ev, &mut errs, checks),
                None => errs.push(format!("expectation {k:?} of a not_payment vector is not mapped")),
            }
        }
        return errs;
    }
    if valid {
        let Ok(Code::Payment(p)) = &res else {
            errs.push(format!("expected a payment, got {res:?}"));
            return errs;
        };
        for (k, ev) in fields {
            if ctx.skipped(k) {
                continue;
            }
            match (tag_path(k), &p.tlv) {
                (Some(path), Some(tree)) => {
                    let at = read_at.get(&path).and_then(Value::as_str).map(str::to_string).unwrap_or(path);
                    check_tree(tree, &at, ev, &mut errs, checks)
                }
                _ => match ctx.named(k, ev, p) {
                    Some(true) => *checks += 1,
                    Some(false) => errs.push(format!("{k}: expected {ev}, payment {}", serde_json::to_string(p).unwrap())),
                    None => errs.push(format!("expectation {scheme}/{k} is not mapped: map it in Ctx::named or declare it in decision.unchecked")),
                },
            }
        }
        // The wallet family of the vector is listed.
        let fam = format_for(scheme);
        let listed = p.format == fam || p.schemes.iter().any(|s| s.id == fam || (fam == "emv_mpm" && s.id == "emvco"));
        if !listed && !matches!(scheme, "sgqr" | "upi-bharatqr") && !decision.contains_key("valid") {
            errs.push(format!("scheme {fam} not listed: {:?}", p.schemes));
        }
        return errs;
    }
    // Invalid: a typed error (with the code and tag named by `error` / `tag`), or a not_payment of the
    // kind `not_payment` names.
    let want = |k: &str| expect.get(k).or_else(|| ours.get(k)).and_then(Value::as_str);
    // The tree of an invalid consumer-presented code, as its source decodes it.
    let cpm_tree = if scheme == "emv-cpm" { payload::cpm::parse_tree(text).ok() } else { None };
    for (k, ev) in fields {
        match &cpm_tree {
            _ if ctx.skipped(k) || k == "warning" => {}
            Some(t) => check_tree(t, k, ev, &mut errs, checks),
            None => errs.push(format!("expectation {k:?} of an invalid vector is not mapped (declare it in decision.unchecked)")),
        }
    }
    match &res {
        Err(e) => {
            if e.message.is_empty() {
                errs.push("error without a message".into());
            }
            if let Some(code) = want("error") {
                *checks += 1;
                if e.code.as_str() != code {
                    errs.push(format!("expected error {code}, got {e:?}"));
                }
            }
            if let Some(tag) = want("tag") {
                *checks += 1;
                if e.tag.as_deref() != Some(tag) {
                    errs.push(format!("expected error at tag {tag}, got {e:?}"));
                }
            }
            if want("not_payment").is_some() {
                errs.push(format!("expected not_payment, got {e:?}"));
            }
        }
        Ok(Code::NotPayment(n)) if want("not_payment").is_some() => {
            *checks += 1;
            let what_ok = want("not_payment") == Some(n.what.as_str());
            let warn_ok = want("warning").is_none_or(|w| n.warnings.iter().any(|x| x.code.as_str() == w));
            if !(what_ok && warn_ok && payload::parse_as(format_for(scheme), text).is_err()) {
                errs.push(format!("expected not_payment {:?} with warning {:?}, got {n:?}", want("not_payment"), want("warning")));
            }
        }
        // A text that is not a payment code at all ("foo", "garbage", "m1jg3xv8"): the scanner shows it as
        // text; parsing it *as* the vector's format must fail.
        Ok(Code::NotPayment(_)) if want("error").is_none() => {
            *checks += 1;
            if let Ok(p) = payload::parse_as(format_for(scheme), text) {
                errs.push(format!("parse_as({}) accepted an invalid vector: {p:?}", format_for(scheme)));
            }
        }
        other => errs.push(format!("invalid vector accepted: {}", serde_json::to_string(other).unwrap())),
    }
    errs
}

#[test]
fn all_vectors() {
    let vs = common::vectors();
    assert!(vs.len() >= 138, "{} vectors", vs.len());
    let mut checks = 0usize;
    let mut failures = Vec::new();
    let mut ids = std::collections::HashSet::new();
    for v in &vs {
        if let Some(id) = v.get("id").and_then(Value::as_str) {
            assert!(ids.insert(id), "vector id {id} used twice");
        }
    }
    for (i, v) in vs.iter().enumerate() {
        let errs = check_vector(v, &mut checks);
        if !errs.is_empty() {
            failures.push(format!("line {} {} {:?}\n    {}", i + 1, v["scheme"], v["payload"], errs.join("\n    ")));
        }
    }
    println!("vectors: {} checked, {checks} checks", vs.len());
    assert!(failures.is_empty(), "{} failing vectors:\n{}", failures.len(), failures.join("\n"));
}

/// The checker itself fails on what it must not let through: an unknown key, a wrong value, a decision
/// without its reason.
#[test]
fn checker_rejects_unknown_keys_and_wrong_values() {
    let base = common::vectors().into_iter().find(|v| v["scheme"] == "upi" && v["valid"] == true).unwrap();
    let mut n = 0;
    assert!(check_vector(&base, &mut n).is_empty());
    let mut v = base.clone();
    v["expect"]["no_such_key"] = "x".into();
    assert!(check_vector(&v, &mut n).iter().any(|e| e.contains("not mapped")), "an unknown key must fail");
    let mut v = base.clone();
    v["expect"]["pa"] = "someone-else@ybl".into();
    assert!(!check_vector(&v, &mut n).is_empty(), "a wrong value must fail");
    let mut v = base.clone();
    v["decision"] = serde_json::json!({"valid": false});
    assert!(check_vector(&v, &mut n).iter().any(|e| e.contains("why")), "a decision needs a reason");
    let mut v = base.clone();
    v["decision"] = serde_json::json!({"unchecked": {"pa": ""}});
    v["expect"]["pa"] = "someone-else@ybl".into();
    assert!(!check_vector(&v, &mut n).is_empty(), "an unchecked key needs a reason");
}

/// The expected CPM trees of consumer-presented vectors are read through payload::cpm.
#[test]
fn cpm_tree_of_an_invalid_code() {
    // The encoder output with only the format indicator: a tree, but not a valid CPM payload.
    let t = payload::cpm::parse_tree("hQVDUFYwMQ==").unwrap();
    assert_eq!((t[0].tag.as_str(), t[0].value.as_str()), ("85", "CPV01"));
    assert_eq!(payload::cpm::parse("hQVDUFYwMQ==").unwrap_err().code, payload::ErrorCode::MissingTag);
}

/// The reader module the browser loads first has no deep checks (`payload::deep`): on every vector, and
/// on the lookalike links and crypto codes the tests use, its reading is the full reading, or the
/// `deep_check_needed` error (the worker then reads the text with the deep reader) — and that only for
/// the texts that need a check it lacks: a non-ASCII or punycode host, a BOLT11 signature, an EIP-55
/// mixed-case address. Nothing else (no ASCII host, no EMV code with a Chinese merchant name) pays for
/// the second download.
#[test]
fn the_first_reader_module_reads_like_the_full_one_or_asks_for_it() {
    let extra = [
        "https://p\u{430}ypal.com/pay?amount=20",
        "https://xn--pypal-4ve.com/pay",
        "https://secure-paypal.com.evil.io/pay?amount=20",
        "https://paypa1.com/x",
        "https://www.alipay.com/x",
        "ethereum:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed@1?value=1e16",
        "ethereum:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed@1?value=1e16",
    ];
    let mut texts: Vec<String> = common::vectors().iter().filter_map(|v| v["payload"].as_str().map(String::from)).collect();
    texts.extend(extra.iter().map(|s| s.to_string()));
    let mut asked = Vec::new();
    for t in &texts {
        let full = payload::parse_at(t, None);
        let first = payload::deep::without(|| payload::parse_at(t, None));
        match &first {
            Err(e) if e.code == payload::ErrorCode::DeepCheckNeeded => asked.push(t.clone()),
            _ => assert_eq!(first, full, "{t}"),
        }
        assert!(!matches!(&full, Err(e) if e.code == payload::ErrorCode::DeepCheckNeeded), "{t}");
    }
    for t in &asked {
        let lower = t.to_ascii_lowercase();
        let host_part = lower.split_once("://").map(|x| x.1.split(['/', '?', '#']).next().unwrap_or("")).unwrap_or("");
        let needs = !host_part.is_ascii()
            || host_part.contains("xn--")
            || lower.starts_with("lnbc")
            || lower.starts_with("lntb")
            || lower.starts_with("lightning:")
            || lower.contains("lightning=")
            || (lower.starts_with("ethereum:") && t.bytes().any(|b| b.is_ascii_uppercase()));
        assert!(needs, "asked for the deep reader without a reason: {t}");
    }
    for must in [extra[0], extra[1], extra[5]] {
        assert!(asked.iter().any(|t| t == must), "{must} should need the deep reader");
    }
    for not in [extra[2], extra[3], extra[4], extra[6]] {
        assert!(!asked.iter().any(|t| t == not), "{not} should read in the first module");
    }
    println!("{} of {} texts need the deep reader", asked.len(), texts.len());
}
