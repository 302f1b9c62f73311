//! The merchant contract as the widget speaks it (docs/merchant-contract.md): the order request,
//! the order and status answers, and the error body.

use crate::payload::Payment;
use crate::wallet::WalletId;
use serde::{Deserialize, Deserializer, Serialize};

/// `POST {order-url}` body.
#[derive(Debug, Clone, Serialize)]
pub struct OrderRequest<'a> {
    pub payload: &'a str,
    pub payment: &'a Payment,
    pub wallet: WalletId,
    pub amount: String,
    pub currency: String,
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    })
}

/// `201` answer of `POST {order-url}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    #[serde(deserialize_with = "string_or_number")]
    pub order_id: String,
    #[serde(default, deserialize_with = "string_or_number")]
    pub amount: String,
    #[serde(default)]
    pub currency: String,
    #[serde(default)]
    pub wallet: Option<String>,
    #[serde(default)]
    pub wallet_params: serde_json::Value,
    pub status_url: String,
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
        let e = api_error(422, r#"{"error":{"code":"amount_mismatch","message":"Amount differs"}}"#);
        assert_eq!(e.code, "amount_mismatch");
        assert_eq!(api_error(502, "<html>").code, "http_502");
        let p = crate::checkout::test_payment(Some("23.72"), None, 2);
        let body = serde_json::to_value(OrderRequest {
            payload: "000201",
            payment: &p,
            wallet: WalletId::Sandbox,
            amount: "23.72".into(),
            currency: "CNY".into(),
        })
        .unwrap();
        assert_eq!(body["wallet"], "sandbox");
        assert_eq!(body["amount"], "23.72");
        assert_eq!(body["payment"]["amount"], "23.72");
        assert_eq!(body["payment"]["payee"]["name"], "BEST TRANSPORT");
    }
}
