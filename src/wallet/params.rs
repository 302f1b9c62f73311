//! Pure helpers the bridges use on the merchant's `wallet_params`: pick the exact fields a wallet API
//! takes, build hand-off URLs, read the verdict a hand-off brings back on the return URL.

use super::{results, FailureCode, Outcome};
use serde_json::{Map, Value};

/// The exact fields each wallet API takes, in the order the vendor documents them.
pub const WECHAT_JSAPI: &[&str] = &["appId", "timeStamp", "nonceStr", "package", "signType", "paySign"];
/// `wx.requestPayment` takes the same signed fields except `appId` (the mini-program's own).
pub const WECHAT_REQUEST_PAYMENT: &[&str] = &["timeStamp", "nonceStr", "package", "signType", "paySign"];
pub const ALIPAY_TRADE_PAY: &[&str] = &["tradeNO"];
pub const UNIONPAY_PAY: &[&str] = &["tn"];

/// `params` restricted to `keys` (all required, non-empty strings), or a `bad_wallet_params` failure
/// naming what is missing. The wallet sees exactly what the merchant signed, nothing more.
pub fn pick(params: &Value, keys: &[&str]) -> Result<Value, Outcome> {
    let mut out = Map::new();
    let mut missing = Vec::new();
    for k in keys {
        match params.get(*k) {
            Some(Value::String(s)) if !s.is_empty() => {
                out.insert((*k).to_string(), Value::String(s.clone()));
            }
            _ => missing.push(*k),
        }
    }
    if missing.is_empty() {
        Ok(Value::Object(out))
    } else {
        Err(Outcome::Failed {
            code: FailureCode::BadWalletParams,
            message: format!("wallet_params is missing {}", missing.join(", ")),
        })
    }
}

/// `encodeURIComponent`.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `decodeURIComponent`, lenient (`+` is a space, bad escapes kept as they are, invalid UTF-8 replaced).
pub fn decode_component(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |j: usize| bytes.get(j).and_then(|c| (*c as char).to_digit(16));
        match b {
            b'%' => match (hex(i + 1), hex(i + 2)) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `a=1&b=2` (a query or a hash without its `?`/`#`) → decoded pairs.
pub fn parse_query(s: &str) -> Vec<(String, String)> {
    s.trim_start_matches(['?', '#'])
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode_component(k), decode_component(v)),
            None => (decode_component(p), String::new()),
        })
        .collect()
}

/// The verdict a hand-off brought back on the page URL.
#[derive(Debug, Clone, PartialEq)]
pub struct Returned {
    pub order_id: Option<String>,
    pub outcome: Outcome,
}

/// Read `interpay_order`, `interpay_result`, `interpay_code`, `interpay_message` from a URL's query or
/// hash. `None` when the URL carries no Interpay return at all.
pub fn parse_return(query_or_hash: &str) -> Option<Returned> {
    let pairs = parse_query(query_or_hash);
    let get = |k: &str| pairs.iter().find(|(pk, _)| pk == k).map(|(_, v)| v.as_str());
    let order_id = get("interpay_order").map(str::to_string);
    let result = get("interpay_result");
    if order_id.is_none() && result.is_none() {
        return None;
    }
    Some(Returned { order_id, outcome: results::returned(result, get("interpay_code"), get("interpay_message")) })
}

/// `base` with the Interpay return parameters removed from its hash, then `#interpay_order=<id>`:
/// the return URL a hand-off comes back to.
pub fn return_url(base: &str, order_id: &str) -> String {
    let base = base.split('#').next().unwrap_or(base);
    format!("{base}#interpay_order={}", encode_component(order_id))
}

/// The mini-program page a web-view hands the order to: `page?order=<id>&params=<json>&return=<url>`.
pub fn mini_program_page_url(page: &str, order_id: &str, params: &Value, return_to: &str) -> String {
    let sep = if page.contains('?') { '&' } else { '?' };
    format!(
        "{page}{sep}order={}&params={}&return={}",
        encode_component(order_id),
        encode_component(&params.to_string()),
        encode_component(return_to)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pick_exact_fields() {
        let p = json!({"appId": "wx1", "timeStamp": "1", "nonceStr": "n", "package": "prepay_id=x",
                       "signType": "RSA", "paySign": "s", "extra": "dropped"});
        let v = pick(&p, WECHAT_JSAPI).unwrap();
        assert_eq!(v.as_object().unwrap().len(), 6);
        assert!(v.get("extra").is_none());
        let e = pick(&json!({"appId": "wx1", "paySign": ""}), WECHAT_JSAPI).unwrap_err();
        match e {
            Outcome::Failed { code, message } => {
                assert_eq!(code, FailureCode::BadWalletParams);
                assert!(message.contains("timeStamp") && message.contains("paySign"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert!(pick(&json!(null), ALIPAY_TRADE_PAY).is_err());
        assert!(pick(&json!({"tradeNO": 123}), ALIPAY_TRADE_PAY).is_err());
    }

    #[test]
    fn url_coding_round_trips() {
        let s = "a b&c=d/é#?%";
        assert_eq!(decode_component(&encode_component(s)), s);
        assert_eq!(decode_component("%zz%4"), "%zz%4");
        assert_eq!(decode_component("%E4%BD%A0%E5%A5%BD"), "你好");
        assert_eq!(decode_component("%FF"), "\u{FFFD}");
    }

    #[test]
    fn returns() {
        assert_eq!(parse_return("#foo=bar"), None);
        assert_eq!(parse_return(""), None);
        let r = parse_return("#interpay_order=o%2F1&interpay_result=ok").unwrap();
        assert_eq!(r, Returned { order_id: Some("o/1".into()), outcome: Outcome::Succeeded });
        let r = parse_return("?x=1&interpay_order=o1").unwrap();
        assert_eq!(r.outcome, Outcome::Pending);
        let r = parse_return("interpay_result=fail&interpay_code=6002&interpay_message=net%20down").unwrap();
        assert_eq!(r.outcome, Outcome::Failed { code: FailureCode::Wallet("6002".into()), message: "net down".into() });
        assert_eq!(return_url("https://m.example/pay?x=1#old", "o 1"), "https://m.example/pay?x=1#interpay_order=o%201");
    }

    #[test]
    fn mini_program_url() {
        let u = mini_program_page_url("/pages/pay/pay", "o1", &json!({"package": "prepay_id=1"}), "https://m/x#y");
        assert!(u.starts_with("/pages/pay/pay?order=o1&params=%7B%22package%22%3A%22prepay_id%3D1%22%7D&return=https%3A%2F%2Fm%2Fx%23y"), "{u}");
        let back = parse_query(u.split_once('?').unwrap().1);
        assert_eq!(back[1].1, r#"{"package":"prepay_id=1"}"#);
    }
}
