//! The real wallet gateways behind the merchant contract (`wallet-gateways`): which wallet goes
//! through which gateway (sandbox = today's made-up parameters, mock = the protocol-faithful mocks,
//! live = the vendors with credentials from the environment), order placement, notifications and
//! the status query of a pending order.

use crate::error::ApiError;
use axum::http::StatusCode;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::str::FromStr;
use std::sync::Arc;
use wallet_gateways::alipay::{Alipay, AlipayConfig, TradeCreate};
use wallet_gateways::wechat::{NewOrder, WechatConfig, WechatPay};

/// Where one wallet family's orders go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Made-up parameters, `POST /sandbox/wallet/pay` (today's behaviour).
    #[default]
    Sandbox,
    /// The mock gateways of `wallet-gateways`, started in-process.
    Mock,
    /// The vendor, credentials from the environment (`INTERPAY_WECHAT_*`, `INTERPAY_ALIPAY_*`).
    Live,
}

impl FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Mode, String> {
        match s {
            "sandbox" => Ok(Mode::Sandbox),
            "mock" => Ok(Mode::Mock),
            "live" => Ok(Mode::Live),
            other => Err(format!("{other:?} is not sandbox, mock or live")),
        }
    }
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Sandbox => "sandbox",
            Mode::Mock => "mock",
            Mode::Live => "live",
        }
    }
}

/// The gateway choice per wallet family.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Choice {
    pub wechat: Mode,
    pub alipay: Mode,
}

/// The clients, once built.
#[derive(Debug, Clone, Default)]
pub struct Gateways {
    pub choice: Choice,
    pub wechat: Option<Arc<WechatPay>>,
    pub alipay: Option<Arc<Alipay>>,
    /// The mocks' base URL when any family is `mock`.
    pub mock_url: Option<String>,
}

impl Gateways {
    /// Build the clients (starting the mocks on the current runtime when asked for).
    pub async fn build(choice: Choice) -> Result<Gateways, String> {
        let mut g = Gateways { choice, ..Default::default() };
        if choice.wechat == Mode::Mock || choice.alipay == Mode::Mock {
            let m = wallet_gateways::mock::start("127.0.0.1:0").await.map_err(|e| format!("cannot start the mock gateways: {e}"))?;
            g.mock_url = Some(m.base.clone());
        }
        let wx_cfg: Option<WechatConfig> = match choice.wechat {
            Mode::Sandbox => None,
            Mode::Mock => g.mock_url.as_deref().map(wallet_gateways::mock::wechat_config),
            Mode::Live => Some(WechatConfig::from_env().map_err(|e| format!("WeChat Pay: {e}"))?),
        };
        if let Some(c) = wx_cfg {
            g.wechat = Some(Arc::new(WechatPay::new(c).map_err(|e| e.to_string())?));
        }
        let ali_cfg: Option<AlipayConfig> = match choice.alipay {
            Mode::Sandbox => None,
            Mode::Mock => g.mock_url.as_deref().map(wallet_gateways::mock::alipay_config),
            Mode::Live => Some(AlipayConfig::from_env().map_err(|e| format!("Alipay: {e}"))?),
        };
        if let Some(c) = ali_cfg {
            g.alipay = Some(Arc::new(Alipay::new(c).map_err(|e| e.to_string())?));
        }
        Ok(g)
    }
}

/// The shopper, as the order request's optional `payer` names them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PayerRequest {
    /// WeChat: an `openid` the merchant already holds (for this app id).
    pub openid: Option<String>,
    /// WeChat: an OAuth `snsapi_base` code (`wechat_jsapi`) or a `wx.login` code (`wechat_mini_program`).
    pub wechat_code: Option<String>,
    /// Alipay: a `my.getAuthCode` / OAuth `auth_code`.
    pub alipay_auth_code: Option<String>,
    /// Alipay: a `buyer_open_id` the merchant already holds.
    pub buyer_open_id: Option<String>,
}

pub fn read_payer(v: Option<&Value>) -> Result<Option<PayerRequest>, ApiError> {
    let bad = |m: &str| ApiError::bad_request("bad_payer", m.to_string());
    let o = match v {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Object(o)) => o,
        Some(_) => return Err(bad("payer must be an object")),
    };
    let field = |k: &str| -> Result<Option<String>, ApiError> {
        match o.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if !s.is_empty() && s.len() <= 256 && s.bytes().all(|b| b.is_ascii_graphic()) => Ok(Some(s.clone())),
            Some(_) => Err(bad(&format!("payer.{k} must be 1 to 256 visible ASCII characters"))),
        }
    };
    for k in o.keys() {
        if !["openid", "wechat_code", "alipay_auth_code", "buyer_open_id"].contains(&k.as_str()) {
            return Err(bad(&format!("unknown payer field {k:?}")));
        }
    }
    Ok(Some(PayerRequest { openid: field("openid")?, wechat_code: field("wechat_code")?, alipay_auth_code: field("alipay_auth_code")?, buyer_open_id: field("buyer_open_id")? }))
}

/// Which gateway family an order of `wallet` for a code of `schemes` goes through, if any is configured.
pub fn family(g: &Gateways, wallet: &str, schemes: &[String]) -> Option<&'static str> {
    let has = |s: &str| schemes.iter().any(|x| x == s);
    match wallet {
        "wechat_jsapi" | "wechat_mini_program" if g.wechat.is_some() => Some("wechat"),
        "alipay_app" | "alipay_mini_program" if g.alipay.is_some() => Some("alipay"),
        "deep_link" if g.wechat.is_some() && has("wechat_pay") => Some("wechat"),
        "deep_link" if g.alipay.is_some() && has("alipay") => Some("alipay"),
        _ => None,
    }
}

fn gateway_error(e: wallet_gateways::Error) -> ApiError {
    // The vendor's code is useful to the shopper's retry; nothing secret is in it.
    ApiError::new(StatusCode::BAD_GATEWAY, "wallet_gateway_error", format!("the wallet gateway refused the order: {e}"))
}

fn fen(amount: &str) -> Result<i64, ApiError> {
    let d = Decimal::from_str(amount).map_err(|_| ApiError::unprocessable("invalid_amount", "unreadable amount"))?;
    use rust_decimal::prelude::ToPrimitive;
    let f = d * Decimal::from(100);
    if f.fract() != Decimal::ZERO {
        return Err(ApiError::unprocessable("invalid_amount", "WeChat Pay takes whole fen"));
    }
    f.to_i64().ok_or_else(|| ApiError::unprocessable("invalid_amount", "amount too large"))
}

/// What order creation needs from the request and the server.
pub struct Placement<'a> {
    pub order_id: &'a str,
    pub wallet: &'a str,
    pub amount: &'a str,
    pub currency: &'a str,
    pub subject: &'a str,
    pub payer: Option<&'a PayerRequest>,
    /// The server's public base URL (notify URLs, return URLs).
    pub public_url: &'a str,
    pub client_ip: &'a str,
}

fn payer_required(msg: &str) -> ApiError {
    ApiError::unprocessable("payer_required", msg.to_string())
}

/// Place the order at the gateway and answer the `wallet_params` the bridges take.
pub async fn place(g: &Gateways, fam: &str, p: &Placement<'_>) -> Result<Value, ApiError> {
    if p.currency != "CNY" {
        return Err(ApiError::unprocessable("currency_not_supported", format!("{fam} orders are in CNY here, not {}", p.currency)));
    }
    let base = p.public_url.trim_end_matches('/');
    if fam == "wechat" {
        let wx = g.wechat.as_ref().ok_or_else(|| ApiError::unprocessable("wallet_not_supported", "no WeChat Pay gateway"))?;
        let mini = p.wallet == "wechat_mini_program";
        let appid = if mini {
            wx.cfg.mini_appid.clone().ok_or_else(|| ApiError::unprocessable("wallet_not_supported", "no mini-program app id configured"))?
        } else {
            wx.cfg.appid.clone()
        };
        let order = NewOrder {
            appid: appid.clone(),
            out_trade_no: p.order_id.to_string(),
            description: p.subject.chars().take(127).collect(),
            total_fen: fen(p.amount)?,
            currency: "CNY".into(),
            notify_url: format!("{base}/api/notify/wechat"),
            time_expire: None,
        };
        if p.wallet == "deep_link" {
            let h5 = wx.h5(&order, p.client_ip).await.map_err(gateway_error)?;
            // redirect_url is appended by the shopper's page (WeChat does not sign it); WeChat checks
            // the Referer against the H5 pay domain (docs/wallets.md).
            return Ok(json!({ "url": format!("{h5}&redirect_url={{return_url}}"), "order_id": p.order_id, "gateway": "wechat" }));
        }
        let openid = match p.payer {
            Some(PayerRequest { openid: Some(o), .. }) => o.clone(),
            Some(PayerRequest { wechat_code: Some(c), .. }) => {
                let r = if mini { wx.code2session(c).await } else { wx.oauth_openid(c).await };
                r.map_err(|e| ApiError::unprocessable("payer_invalid", format!("the WeChat code was refused: {e}")))?
            }
            _ => return Err(payer_required("WeChat JSAPI / mini-program orders need payer.openid or payer.wechat_code")),
        };
        let prepay = wx.jsapi(&order, &openid).await.map_err(gateway_error)?;
        let mut v = wx.pay_params(&appid, &prepay).map_err(gateway_error)?;
        v["order_id"] = json!(p.order_id);
        v["gateway"] = json!("wechat");
        if mini {
            v["page"] = json!(crate::wallet_params::WECHAT_PAY_PAGE);
        }
        return Ok(v);
    }
    let ali = g.alipay.as_ref().ok_or_else(|| ApiError::unprocessable("wallet_not_supported", "no Alipay gateway"))?;
    let notify = format!("{base}/api/notify/alipay");
    if p.wallet == "deep_link" {
        // return_url is inside the signed request: the page the shopper comes back to is decided here.
        let back = format!("{base}/?interpay_order={}", interpay::wallet::params::encode_component(p.order_id));
        let url = ali.wap_pay_url(p.order_id, p.amount, p.subject, &back, &notify, Some(&back)).map_err(gateway_error)?;
        return Ok(json!({ "url": url, "return_url": back, "order_id": p.order_id, "gateway": "alipay" }));
    }
    let buyer = match p.payer {
        Some(PayerRequest { buyer_open_id: Some(b), .. }) => b.clone(),
        Some(PayerRequest { alipay_auth_code: Some(c), .. }) => {
            ali.oauth_open_id(c).await.map_err(|e| ApiError::unprocessable("payer_invalid", format!("the Alipay auth code was refused: {e}")))?
        }
        _ => return Err(payer_required("Alipay tradePay orders need payer.buyer_open_id or payer.alipay_auth_code")),
    };
    let t = TradeCreate {
        out_trade_no: p.order_id.into(),
        total_amount: p.amount.into(),
        subject: p.subject.chars().take(256).collect(),
        buyer_open_id: Some(buyer),
        op_app_id: std::env::var("INTERPAY_ALIPAY_MINI_APP_ID").ok().filter(|s| !s.is_empty() && p.wallet == "alipay_mini_program"),
        product_code: (p.wallet == "alipay_mini_program").then(|| "JSAPI_PAY".into()),
        notify_url: Some(notify),
        ..Default::default()
    };
    let trade_no = ali.trade_create(&t).await.map_err(gateway_error)?;
    Ok(json!({ "tradeNO": trade_no, "order_id": p.order_id, "gateway": "alipay" }))
}

/// What a gateway says about an order: paid, closed, or still open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Paid { amount: String },
    Closed,
    Open,
}

/// Ask the gateway (status endpoint, when the notification is late).
pub async fn query(g: &Gateways, fam: &str, order_id: &str) -> Result<Verdict, wallet_gateways::Error> {
    if fam == "wechat" {
        let Some(wx) = &g.wechat else { return Ok(Verdict::Open) };
        let tx = match wx.query(order_id).await {
            Ok(t) => t,
            Err(wallet_gateways::Error::Vendor { code, .. }) if code == "ORDER_NOT_EXIST" => return Ok(Verdict::Open),
            Err(e) => return Err(e),
        };
        return Ok(wechat_verdict(&tx));
    }
    let Some(ali) = &g.alipay else { return Ok(Verdict::Open) };
    let t = match ali.query(order_id).await {
        Ok(t) => t,
        // Alipay knows a wap.pay trade only once the shopper opened the cashier.
        Err(wallet_gateways::Error::Vendor { code, .. }) if code == "ACQ.TRADE_NOT_EXIST" => return Ok(Verdict::Open),
        Err(e) => return Err(e),
    };
    Ok(alipay_verdict(&t.trade_status, &t.total_amount))
}

/// Close the wallet-side order of an attempt the merchant voided (a retry superseded it), best effort:
/// the shopper can then no longer pay the old one.
pub async fn close(g: &Gateways, fam: &str, order_id: &str) -> Result<(), wallet_gateways::Error> {
    match (fam, &g.wechat, &g.alipay) {
        ("wechat", Some(wx), _) => wx.close(order_id).await,
        ("alipay", _, Some(ali)) => match ali.close(order_id).await {
            // A wap.pay trade the shopper never opened does not exist at Alipay yet.
            Err(wallet_gateways::Error::Vendor { code, .. }) if code == "ACQ.TRADE_NOT_EXIST" => Ok(()),
            r => r,
        },
        _ => Ok(()),
    }
}

pub fn wechat_verdict(tx: &wallet_gateways::wechat::Transaction) -> Verdict {
    match tx.trade_state.as_str() {
        "SUCCESS" => {
            let fen = tx.amount.as_ref().map(|a| a.total).unwrap_or(-1);
            Verdict::Paid { amount: format!("{}.{:02}", fen / 100, fen.rem_euclid(100)) }
        }
        "CLOSED" | "REVOKED" | "PAYERROR" => Verdict::Closed,
        _ => Verdict::Open,
    }
}

pub fn alipay_verdict(status: &str, total: &str) -> Verdict {
    match status {
        "TRADE_SUCCESS" | "TRADE_FINISHED" => Verdict::Paid { amount: total.to_string() },
        "TRADE_CLOSED" => Verdict::Closed,
        _ => Verdict::Open,
    }
}

/// Whether the amount a gateway reports is the order's (decimal comparison: "1.0" = "1.00").
pub fn same_amount(a: &str, b: &str) -> bool {
    matches!((Decimal::from_str(a), Decimal::from_str(b)), (Ok(x), Ok(y)) if x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fen_and_amounts() {
        assert_eq!(fen("12.34").unwrap(), 1234);
        assert_eq!(fen("1").unwrap(), 100);
        assert!(fen("0.001").is_err());
        assert!(same_amount("1.0", "1.00") && !same_amount("1.00", "0.01"));
    }

    #[test]
    fn payer_fields() {
        assert_eq!(read_payer(None).unwrap(), None);
        let p = read_payer(Some(&json!({"wechat_code": "abc"}))).unwrap().unwrap();
        assert_eq!(p.wechat_code.as_deref(), Some("abc"));
        assert_eq!(read_payer(Some(&json!({"x": "1"}))).unwrap_err().code, "bad_payer");
        assert_eq!(read_payer(Some(&json!({"openid": ""}))).unwrap_err().code, "bad_payer");
        assert_eq!(read_payer(Some(&json!("o"))).unwrap_err().code, "bad_payer");
    }
}
