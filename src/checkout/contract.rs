//! The merchant contract as the widget speaks it (docs/merchant-contract.md): the order request,
//! the order and status answers, the error body, and which answers the widget believes.

use super::phase::Attempt;
use crate::payload::Payment;
use crate::wallet::WalletId;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use std::str::FromStr;

/// `POST {order-url}` body.
#[derive(Debug, Clone, Serialize)]
pub struct OrderRequest<'a> {
    pub payload: &'a str,
    pub payment: &'a Payment,
    pub wallet: WalletId,
    /// The total the shopper pays: `base_amount + tip + fee`.
    pub amount: String,
    pub currency: String,
    /// The amount before tip and fee (the code's, or the typed one).
    pub base_amount: String,
    /// The shopper's tip (codes that prompt for one only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tip: Option<String>,
    /// The code's convenience fee as the widget computed it (the server recomputes it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fee: Option<String>,
    /// The order this attempt replaces (Retry): the server voids it if still open.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaces: Option<&'a str>,
    /// The shopper's identity for wallets whose order needs it (WeChat `openid`, Alipay
    /// `buyer_open_id`), or a one-time code the server exchanges for it. Absent: not sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payer: Option<Payer>,
}

/// `payer` of the order request (docs/merchant-contract.md): one of these, the others `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub openid: Option<String>,
    /// OAuth `snsapi_base` code (`wechat_jsapi`) or `wx.login` code (`wechat_mini_program`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wechat_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_open_id: Option<String>,
    /// `my.getAuthCode` code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alipay_auth_code: Option<String>,
}

impl Payer {
    /// The shopper identity the page's URL carries (its query string, `?a=1&b=2`): the WeChat
    /// mini-program web-view's `interpay_wx_code` (a `wx.login` code), a WeChat OAuth `snsapi_base`
    /// redirect's `code` (with `state=interpay`, the state the merchant's redirect sets), or the Alipay
    /// host page's `interpay_alipay_code` (a `my.getAuthCode` code). Codes are opaque: only the merchant's
    /// server exchanges them, once.
    pub fn from_query(search: &str) -> Option<Payer> {
        let mut p = Payer::default();
        let mut oauth_code = None;
        let mut oauth_state = false;
        for pair in search.trim_start_matches('?').split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let v = percent_decode(v);
            if v.is_empty() || v.len() > 512 {
                continue;
            }
            match k {
                "interpay_wx_code" => p.wechat_code = Some(v),
                "interpay_alipay_code" => p.alipay_auth_code = Some(v),
                "code" => oauth_code = Some(v),
                "state" => oauth_state = v == "interpay",
                _ => {}
            }
        }
        if p.wechat_code.is_none() && oauth_state {
            p.wechat_code = oauth_code;
        }
        (p != Payer::default()).then_some(p)
    }
}

/// `%XX` and `+` decoding of a query value (invalid escapes kept as they are).
fn percent_decode(v: &str) -> String {
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                match (char::from(b[i + 1]).to_digit(16), char::from(b[i + 2]).to_digit(16)) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl<'a> OrderRequest<'a> {
    pub fn for_attempt(attempt: &'a Attempt) -> OrderRequest<'a> {
        let t = &attempt.total;
        OrderRequest {
            payload: &attempt.checkout.text,
            payment: &attempt.checkout.payment,
            wallet: attempt.wallet,
            amount: t.amount_string(),
            currency: t.currency.clone(),
            base_amount: t.base_string(),
            tip: t.tip_string(),
            fee: t.fee_string(attempt.checkout.payment.tip.as_ref()),
            replaces: attempt.replaces.as_deref(),
            payer: None,
        }
    }
}

/// The payee as the merchant's server knows it (`payee` of the order and of `POST /api/resolve`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ConfirmedPayee {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    /// `merchant` (the server's own account), `code` (the code's own name), `sandbox`…
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub verified: bool,
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(text_of(serde_json::Value::deserialize(d)?))
}

/// A string as it is, a number (or any other value) as its JSON text, `null` as empty.
fn text_of(v: serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s,
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `201` answer of `POST {order-url}`. Read by hand from a JSON object (see the `Deserialize` impl below).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Order {
    pub order_id: String,
    pub amount: String,
    pub currency: String,
    pub wallet: Option<String>,
    pub wallet_params: serde_json::Value,
    pub status_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee: Option<ConfirmedPayee>,
    /// Whatever else the merchant's server says about the order (`base_amount`, `tip`, `fee`,
    /// `bill_id`, `expires_at`…), passed on as it came in the events' `order`.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Read from the JSON object: `order_id` (string or number) and `status_url` required, `amount` string or
/// number, the rest optional, every other field kept in `extra`. By hand rather than derived: a derived
/// `#[serde(flatten)]` buffers the whole answer through serde's generic `Content` in the widget module.
impl<'de> Deserialize<'de> for Order {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        use serde_json::Value;
        let mut m = serde_json::Map::deserialize(d)?;
        fn string<E: Error>(v: Option<Value>, field: &'static str) -> Result<Option<String>, E> {
            match v {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s)),
                Some(_) => Err(E::custom(format!("`{field}` must be a string"))),
            }
        }
        let order_id = m.remove("order_id").ok_or_else(|| D::Error::missing_field("order_id"))?;
        let status_url = string(m.remove("status_url"), "status_url")?.ok_or_else(|| D::Error::missing_field("status_url"))?;
        let payee = match m.remove("payee") {
            None | Some(Value::Null) => None,
            Some(v) => Some(serde_json::from_value(v).map_err(D::Error::custom)?),
        };
        Ok(Order {
            order_id: text_of(order_id),
            amount: m.remove("amount").map(text_of).unwrap_or_default(),
            currency: string(m.remove("currency"), "currency")?.unwrap_or_default(),
            wallet: string(m.remove("wallet"), "wallet")?,
            wallet_params: m.remove("wallet_params").unwrap_or(Value::Null),
            status_url,
            payee,
            extra: m,
        })
    }
}

/// `GET {status_url}` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderStatus {
    #[serde(default, deserialize_with = "string_or_number")]
    pub order_id: String,
    pub status: String,
    #[serde(default, deserialize_with = "string_or_number")]
    pub amount: String,
    #[serde(default)]
    pub currency: String,
}

/// Why a status answer is not believed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusMismatch {
    /// It is about another order.
    OrderId { expected: String, got: String },
    /// It confirms another amount or currency than the order's.
    Amount { expected: String, got: String },
}

impl OrderStatus {
    /// Is this answer about `order`, for its amount? A server that leaves `order_id` or `amount`
    /// out is taken at its word for what it left out (the URL names the order).
    pub fn check(&self, order: &Order) -> Result<(), StatusMismatch> {
        if !self.order_id.is_empty() && self.order_id != order.order_id {
            return Err(StatusMismatch::OrderId { expected: order.order_id.clone(), got: self.order_id.clone() });
        }
        let dec = |s: &str| Decimal::from_str(s.trim()).ok();
        let amount_differs = !self.amount.is_empty()
            && !order.amount.is_empty()
            && (dec(&self.amount).is_none() || dec(&self.amount) != dec(&order.amount));
        let currency_differs = !self.currency.is_empty() && !order.currency.is_empty() && !self.currency.eq_ignore_ascii_case(&order.currency);
        if amount_differs || currency_differs {
            return Err(StatusMismatch::Amount {
                expected: format!("{} {}", order.amount, order.currency),
                got: format!("{} {}", self.amount, self.currency),
            });
        }
        Ok(())
    }
}

/// `url` resolved against the order endpoint, if it stays on the order endpoint's origin: the widget
/// sends the shopper's order to no other server than the one its `order-url` names (a status or
/// completion URL on another origin is refused, not followed).
pub fn pinned_url(order_url: &str, url: &str) -> Option<String> {
    let base = url::Url::parse(order_url).ok()?;
    let joined = base.join(url.trim()).ok()?;
    (joined.origin() == base.origin() && matches!(joined.scheme(), "https" | "http")).then(|| joined.to_string())
}

/// `4xx` body: `{ "error": { "code", "message" } }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: String,
    #[serde(default)]
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    pub error: ApiError,
}

/// Read a `4xx` / `5xx` body (anything unreadable becomes `http_<status>`).
pub fn api_error(status: u16, body: &str) -> ApiError {
    serde_json::from_str::<ApiErrorBody>(body)
        .map(|b| b.error)
        .unwrap_or_else(|_| ApiError { code: format!("http_{status}"), message: String::new() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merchant_contract_messages() {
        let o: Order = serde_json::from_str(
            r#"{"order_id":"o1","amount":"23.72","currency":"CNY","wallet":"sandbox","wallet_params":{"a":1},"status_url":"/orders/o1"}"#,
        )
        .unwrap();
        assert_eq!(o.order_id, "o1");
        assert_eq!(o.wallet_params["a"], 1);
        let o: Order = serde_json::from_str(r#"{"order_id":7,"amount":23.72,"status_url":"/s"}"#).unwrap();
        assert_eq!((o.order_id.as_str(), o.amount.as_str()), ("7", "23.72"));
        assert!(serde_json::from_str::<Order>(r#"{"amount":"1"}"#).is_err());
        assert!(serde_json::from_str::<Order>(r#"{"order_id":"o1"}"#).is_err(), "status_url is required");
        assert!(serde_json::from_str::<Order>(r#"{"order_id":"o1","status_url":"/s","currency":5}"#).is_err());
        assert!(serde_json::from_str::<Order>(r#"{"order_id":"o1","status_url":"/s","payee":"x"}"#).is_err());
        let e = api_error(422, r#"{"error":{"code":"amount_mismatch","message":"Amount differs"}}"#);
        assert_eq!(e.code, "amount_mismatch");
        assert_eq!(api_error(502, "<html>").code, "http_502");
        let p = crate::checkout::test_payment(Some("23.72"), Some(crate::payload::TipRule::Percentage { percent: "3".parse().unwrap() }), 2);
        let total = crate::checkout::checkout_total(&p, "", "").unwrap();
        let checkout = std::sync::Arc::new(crate::checkout::Checkout { text: "000201".into(), payment: p, choices: vec![], confirmed_payee: None });
        let attempt = Attempt { checkout, wallet: WalletId::Sandbox, total, key: "k".into(), replaces: Some("ord_1".into()) };
        let body = serde_json::to_value(OrderRequest::for_attempt(&attempt)).unwrap();
        assert_eq!(body["wallet"], "sandbox");
        assert_eq!((&body["amount"], &body["base_amount"], &body["fee"]), (&"24.43".into(), &"23.72".into(), &"0.71".into()));
        assert!(body.get("tip").is_none(), "no tip for a code that does not prompt for one");
        assert_eq!(body["replaces"], "ord_1");
        assert!(body.get("payer").is_none(), "no payer unless the widget has one");
        assert_eq!(Payer::from_query(""), None);
        assert_eq!(Payer::from_query("?interpay_wx_code=0a1%2Bb&x=1").unwrap().wechat_code.as_deref(), Some("0a1+b"));
        assert_eq!(Payer::from_query("?code=081Kq&state=interpay").unwrap().wechat_code.as_deref(), Some("081Kq"));
        assert_eq!(Payer::from_query("?code=081Kq&state=other"), None, "a code for somebody else's OAuth is not ours");
        assert_eq!(Payer::from_query("?interpay_alipay_code=ap%2").unwrap().alipay_auth_code.as_deref(), Some("ap%2"));
        let mut with_payer = OrderRequest::for_attempt(&attempt);
        with_payer.payer = Some(Payer { wechat_code: Some("c1".into()), ..Default::default() });
        assert_eq!(serde_json::to_value(&with_payer).unwrap()["payer"], serde_json::json!({ "wechat_code": "c1" }));
        assert_eq!(body["payment"]["amount"], "23.72");
        assert_eq!(body["payment"]["payee"]["name"], "BEST TRANSPORT");
        let o: Order = serde_json::from_str(r#"{"order_id":"o1","status_url":"/s","payee":{"name":"SANDBOX CAFE","verified":true},"fee":"0.71"}"#).unwrap();
        assert_eq!(o.payee.as_ref().unwrap().name.as_deref(), Some("SANDBOX CAFE"));
        assert_eq!(serde_json::to_value(&o).unwrap()["fee"], "0.71", "the server's other fields are passed on");
    }

    #[test]
    fn status_answers_must_be_about_this_order() {
        let order: Order = serde_json::from_str(r#"{"order_id":"o1","amount":"18.00","currency":"CNY","status_url":"/s"}"#).unwrap();
        let st = |id: &str, amount: &str, ccy: &str| OrderStatus { order_id: id.into(), status: "paid".into(), amount: amount.into(), currency: ccy.into() };
        assert_eq!(st("o1", "18", "CNY").check(&order), Ok(()), "18 == 18.00");
        assert_eq!(st("", "", "").check(&order), Ok(()));
        assert!(matches!(st("o2", "18.00", "CNY").check(&order), Err(StatusMismatch::OrderId { .. })));
        assert!(matches!(st("o1", "0.01", "CNY").check(&order), Err(StatusMismatch::Amount { .. })));
        assert!(matches!(st("o1", "18.00", "USD").check(&order), Err(StatusMismatch::Amount { .. })));
        assert!(matches!(st("o1", "lots", "CNY").check(&order), Err(StatusMismatch::Amount { .. })));
    }

    #[test]
    fn status_and_completion_urls_stay_on_the_order_origin() {
        let base = "https://shop.example/api/orders";
        assert_eq!(pinned_url(base, "/api/orders/o1").as_deref(), Some("https://shop.example/api/orders/o1"));
        assert_eq!(pinned_url(base, "o1").as_deref(), Some("https://shop.example/api/o1"));
        assert_eq!(pinned_url(base, "https://shop.example/x").as_deref(), Some("https://shop.example/x"));
        assert_eq!(pinned_url(base, "https://evil.example/api/orders/o1"), None);
        assert_eq!(pinned_url(base, "//evil.example/o1"), None);
        assert_eq!(pinned_url(base, "http://shop.example/o1"), None, "another scheme is another origin");
        assert_eq!(pinned_url(base, "https://shop.example:8443/o1"), None);
        assert_eq!(pinned_url(base, "javascript:alert(1)"), None);
        assert_eq!(pinned_url("not a url", "/o1"), None);
    }
}
