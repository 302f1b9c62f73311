//! Mock Alipay OpenAPI gateway (`/gateway.do`).

use super::{append_query, html_escape, key, openid_for, ALIPAY_APP_ID};
use crate::alipay::{response_key, sign_content};
use crate::keys::{PrivateKey, PublicKey};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone)]
pub struct MockTrade {
    pub trade_no: String,
    pub out_trade_no: String,
    pub total_amount: String,
    pub subject: String,
    pub status: String,
    pub notify_url: String,
    pub return_url: String,
    pub buyer_open_id: Option<String>,
    /// The `biz_content` the merchant sent (the tests assert on it).
    pub request: Value,
}

pub struct MockAlipay {
    pub base: String,
    app_key: PublicKey,
    alipay_key: PrivateKey,
    pub trades: Mutex<HashMap<String, MockTrade>>,
    /// Public-key-certificate mode: the SNs requests must carry, and the one answers name.
    pub app_cert_sn: String,
    pub root_cert_sn: String,
    pub alipay_cert_sn: String,
    pub deliveries: Mutex<Vec<(String, String)>>,
    http: reqwest::Client,
}

fn params_of(form: &str, query: Option<&str>) -> BTreeMap<String, String> {
    let mut p = BTreeMap::new();
    for src in [query.unwrap_or(""), form] {
        if let Ok(pairs) = serde_urlencoded::from_str::<Vec<(String, String)>>(src) {
            p.extend(pairs);
        }
    }
    p
}

impl MockAlipay {
    pub fn new(base: &str) -> MockAlipay {
        MockAlipay {
            base: base.trim_end_matches('/').into(),
            app_key: key(super::ALIPAY_APP_KEY).public_key(),
            alipay_key: key(super::ALIPAY_PLATFORM_KEY),
            trades: Mutex::new(HashMap::new()),
            app_cert_sn: crate::alipay_cert::cert_sn(super::ALIPAY_APP_CERT).expect("bundled certificate"),
            root_cert_sn: crate::alipay_cert::root_cert_sn(super::ALIPAY_ROOT_CERT).expect("bundled certificate"),
            alipay_cert_sn: crate::alipay_cert::cert_sn(super::ALIPAY_CERT).expect("bundled certificate"),
            deliveries: Mutex::new(Vec::new()),
            http: crate::http_client().expect("http client"),
        }
    }

    /// `{"<method>_response": body, "sign": …}`, signed over the exact text of `body`; in
    /// public-key-certificate mode with `"alipay_cert_sn"` as well (between the two, as Alipay puts it).
    pub fn signed_answer(&self, method: &str, body: &Value, cert_mode: bool) -> String {
        let inner = body.to_string();
        let sign = self.alipay_key.sign(inner.as_bytes()).unwrap_or_default();
        let sn = if cert_mode { format!(",\"alipay_cert_sn\":{}", json!(self.alipay_cert_sn)) } else { String::new() };
        format!("{{\"{}\":{inner}{sn},\"sign\":{}}}", response_key(method), json!(sign))
    }

    fn check(&self, p: &BTreeMap<String, String>) -> Result<(), Value> {
        let bad = |sub: &str, msg: &str| Err(json!({ "code": "40002", "msg": "Invalid Arguments", "sub_code": sub, "sub_msg": msg }));
        if p.get("app_id").map(String::as_str) != Some(ALIPAY_APP_ID) {
            return bad("isv.invalid-app-id", "无效的AppID参数");
        }
        if p.get("sign_type").map(String::as_str) != Some("RSA2") {
            return bad("isv.invalid-signature-type", "无效的签名类型");
        }
        // Certificate mode: both SNs, and they must be this app's certificate and Alipay's root (the
        // sub_codes are the mock's; both parameters are inside the signature like any other).
        match (p.get("app_cert_sn"), p.get("alipay_root_cert_sn")) {
            (None, None) => {}
            (Some(a), Some(r)) if *a == self.app_cert_sn && *r == self.root_cert_sn => {}
            (Some(a), _) if *a != self.app_cert_sn => return bad("isv.app-cert-sn-mismatch", "应用公钥证书序列号不匹配 (app_cert_sn)"),
            _ => return bad("isv.alipay-root-cert-sn-mismatch", "支付宝根证书序列号不匹配 (alipay_root_cert_sn)"),
        }
        let sign = p.get("sign").map(String::as_str).unwrap_or("");
        if !self.app_key.verify(sign_content(p, &["sign"]).as_bytes(), sign) {
            return bad("isv.invalid-signature", "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配");
        }
        let ts = p.get("timestamp").map(String::as_str).unwrap_or("");
        let now = crate::time::now_secs();
        let ok = (-600..=600).any(|d| crate::time::alipay_timestamp(now + d) == ts);
        if !ok {
            return bad("isv.invalid-timestamp", "非法的时间戳参数");
        }
        Ok(())
    }

    /// An asynchronous notification's form body, as Alipay posts it (RSA2-signed, sign_type included
    /// but outside the signature). `tamper` changes the amount after signing (tests).
    pub fn notification_form(&self, t: &MockTrade, tamper: bool) -> String {
        let mut p = BTreeMap::new();
        let now = crate::time::now_secs();
        for (k, v) in [
            ("notify_time", crate::time::alipay_timestamp(now)),
            ("notify_type", "trade_status_sync".into()),
            ("notify_id", format!("ac05099524730693a8b330c5ecf72da9{}", crate::nonce(8))),
            ("app_id", ALIPAY_APP_ID.into()),
            ("charset", "utf-8".into()),
            ("version", "1.0".into()),
            ("trade_no", t.trade_no.clone()),
            ("out_trade_no", t.out_trade_no.clone()),
            ("trade_status", t.status.clone()),
            ("total_amount", t.total_amount.clone()),
            ("receipt_amount", t.total_amount.clone()),
            ("buyer_open_id", t.buyer_open_id.clone().unwrap_or_default()),
            ("gmt_payment", crate::time::alipay_timestamp(now)),
            ("subject", t.subject.clone()),
        ] {
            p.insert(k.to_string(), v);
        }
        let sign = self.alipay_key.sign(sign_content(&p, &["sign", "sign_type"]).as_bytes()).unwrap_or_default();
        p.insert("sign".into(), sign);
        p.insert("sign_type".into(), "RSA2".into());
        if tamper {
            p.insert("total_amount".into(), "0.01".into());
        }
        serde_urlencoded::to_string(&p).unwrap_or_default()
    }

    /// A forged notification for a trade the shopper has not paid (the trade is left alone): Alipay's
    /// genuine signature over the trade as it stands (`WAIT_BUYER_PAY`), then `trade_status` changed to
    /// `TRADE_SUCCESS` — what somebody without Alipay's key can make of a notification they saw.
    pub fn forged_notification_form(&self, out_trade_no: &str) -> Option<(String, String)> {
        let t = self.trades.lock().unwrap_or_else(|e| e.into_inner()).get(out_trade_no).cloned()?;
        let form = self.notification_form(&t, false);
        let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str(&form).ok()?;
        for (k, v) in pairs.iter_mut() {
            if k == "trade_status" {
                *v = "TRADE_SUCCESS".into();
            }
        }
        Some((t.notify_url, serde_urlencoded::to_string(&pairs).ok()?))
    }

    /// The shopper pays: TRADE_SUCCESS, then the notification (retried once until `success`).
    pub async fn pay(&self, out_trade_no: &str, notify: bool) -> Result<Option<String>, String> {
        let t = {
            let mut trades = self.trades.lock().unwrap_or_else(|e| e.into_inner());
            let t = trades.get_mut(out_trade_no).ok_or("ACQ.TRADE_NOT_EXIST")?;
            if t.status == "TRADE_CLOSED" {
                return Err("ACQ.TRADE_HAS_CLOSE".into());
            }
            t.status = "TRADE_SUCCESS".into();
            if t.buyer_open_id.is_none() {
                t.buyer_open_id = Some(openid_for(out_trade_no));
            }
            t.clone()
        };
        if !notify || t.notify_url.is_empty() {
            return Ok(None);
        }
        let mut answer = String::new();
        for _ in 0..2 {
            let form = self.notification_form(&t, false);
            answer = match self.http.post(&t.notify_url).header("content-type", "application/x-www-form-urlencoded; charset=utf-8").body(form).send().await {
                Ok(r) => r.text().await.unwrap_or_default(),
                Err(e) => format!("transport: {e}"),
            };
            self.deliveries.lock().unwrap_or_else(|e| e.into_inner()).push((out_trade_no.to_string(), answer.clone()));
            if answer.trim() == "success" {
                break;
            }
        }
        Ok(Some(answer))
    }

    fn biz(p: &BTreeMap<String, String>) -> Value {
        p.get("biz_content").and_then(|s| serde_json::from_str(s).ok()).unwrap_or(Value::Null)
    }

    fn api(&self, p: &BTreeMap<String, String>) -> (String, Value) {
        let method = p.get("method").cloned().unwrap_or_default();
        if let Err(e) = self.check(p) {
            return (method, e);
        }
        let biz = Self::biz(p);
        let s = |k: &str| biz[k].as_str().unwrap_or("").to_string();
        let not_exist = json!({ "code": "40004", "msg": "Business Failed", "sub_code": "ACQ.TRADE_NOT_EXIST", "sub_msg": "交易不存在" });
        let mut trades = self.trades.lock().unwrap_or_else(|e| e.into_inner());
        let body = match method.as_str() {
            "alipay.trade.create" => {
                let no = s("out_trade_no");
                if no.is_empty() || s("total_amount").is_empty() || s("subject").is_empty() {
                    json!({ "code": "40002", "msg": "Invalid Arguments", "sub_code": "isv.missing-required-arguments", "sub_msg": "缺少必选参数" })
                } else if s("buyer_open_id").is_empty() && s("buyer_id").is_empty() {
                    json!({ "code": "40004", "msg": "Business Failed", "sub_code": "ACQ.BUYER_NOT_EXIST", "sub_msg": "买家不存在" })
                } else {
                    let t = trades.entry(no.clone()).or_insert_with(|| MockTrade {
                        trade_no: format!("2026{}", crate::nonce(24).bytes().map(|b| char::from(b'0' + b % 10)).collect::<String>()),
                        out_trade_no: no.clone(),
                        total_amount: s("total_amount"),
                        subject: s("subject"),
                        status: "WAIT_BUYER_PAY".into(),
                        notify_url: p.get("notify_url").cloned().unwrap_or_default(),
                        return_url: String::new(),
                        buyer_open_id: Some(s("buyer_open_id")).filter(|x| !x.is_empty()),
                        request: biz.clone(),
                    });
                    if t.status == "TRADE_SUCCESS" {
                        json!({ "code": "40004", "msg": "Business Failed", "sub_code": "ACQ.TRADE_HAS_SUCCESS", "sub_msg": "交易已被支付" })
                    } else {
                        json!({ "code": "10000", "msg": "Success", "out_trade_no": no, "trade_no": t.trade_no })
                    }
                }
            }
            "alipay.trade.query" => match trades.get(&s("out_trade_no")) {
                Some(t) => json!({ "code": "10000", "msg": "Success", "trade_no": t.trade_no, "out_trade_no": t.out_trade_no, "trade_status": t.status, "total_amount": t.total_amount, "buyer_open_id": t.buyer_open_id }),
                None => not_exist,
            },
            "alipay.trade.close" => match trades.get_mut(&s("out_trade_no")) {
                Some(t) if t.status == "WAIT_BUYER_PAY" => {
                    t.status = "TRADE_CLOSED".into();
                    json!({ "code": "10000", "msg": "Success", "trade_no": t.trade_no, "out_trade_no": t.out_trade_no })
                }
                Some(_) => json!({ "code": "40004", "msg": "Business Failed", "sub_code": "ACQ.TRADE_STATUS_ERROR", "sub_msg": "交易状态不合法" }),
                None => not_exist,
            },
            "alipay.system.oauth.token" => {
                let code = p.get("code").cloned().unwrap_or_default();
                if p.get("grant_type").map(String::as_str) != Some("authorization_code") || code.is_empty() || code.starts_with("bad") {
                    // Alipay answers this one under error_response.
                    return ("error_response".into(), json!({ "code": "40002", "msg": "Invalid Arguments", "sub_code": "isv.code-invalid", "sub_msg": "授权码code无效" }));
                }
                json!({ "open_id": openid_for(&code), "access_token": format!("authusrB{}", crate::nonce(16)), "expires_in": 1296000, "re_expires_in": 2592000 })
            }
            _ => json!({ "code": "40002", "msg": "Invalid Arguments", "sub_code": "isv.invalid-method", "sub_msg": "不存在的方法名" }),
        };
        (method, body)
    }
}

pub fn router(m: Arc<MockAlipay>) -> Router {
    Router::new()
        .route("/gateway.do", post(gateway).get(wap_page))
        .route("/mock/alipay/pay", post(mock_pay))
        .route("/mock/alipay/forge", post(mock_forge))
        .route("/mock/alipay/trades/{no}", axum::routing::get(mock_trade))
        .route("/mock/alipay/wap", post(wap_pay))
        .with_state(m)
}

async fn gateway(State(m): State<Arc<MockAlipay>>, RawQuery(q): RawQuery, _h: HeaderMap, body: Bytes) -> Response {
    let p = params_of(&String::from_utf8_lossy(&body), q.as_deref());
    let (method, answer) = m.api(&p);
    let text = if method == "error_response" {
        format!("{{\"error_response\":{answer}}}")
    } else {
        m.signed_answer(&method, &answer, p.contains_key("app_cert_sn"))
    };
    ([("content-type", "text/html;charset=utf-8")], text).into_response()
}

/// `alipay.trade.wap.pay` opened in the browser: the signature (with return_url inside) is checked.
async fn wap_page(State(m): State<Arc<MockAlipay>>, RawQuery(q): RawQuery) -> Response {
    let p = params_of("", q.as_deref());
    if p.get("method").map(String::as_str) != Some("alipay.trade.wap.pay") {
        return (StatusCode::BAD_REQUEST, Html("<!doctype html><p>unsupported method".to_string())).into_response();
    }
    if let Err(e) = m.check(&p) {
        return (StatusCode::BAD_REQUEST, Html(format!("<!doctype html><meta charset=utf-8><title>Alipay (mock)</title><h1>错误 {}</h1><p>{}", html_escape(e["sub_code"].as_str().unwrap_or("")), html_escape(e["sub_msg"].as_str().unwrap_or(""))))).into_response();
    }
    let biz = MockAlipay::biz(&p);
    let s = |k: &str| biz[k].as_str().unwrap_or("").to_string();
    let no = s("out_trade_no");
    {
        let mut trades = m.trades.lock().unwrap_or_else(|e| e.into_inner());
        trades.entry(no.clone()).or_insert_with(|| MockTrade {
            trade_no: format!("2026{}", crate::nonce(24).bytes().map(|b| char::from(b'0' + b % 10)).collect::<String>()),
            out_trade_no: no.clone(),
            total_amount: s("total_amount"),
            subject: s("subject"),
            status: "WAIT_BUYER_PAY".into(),
            notify_url: p.get("notify_url").cloned().unwrap_or_default(),
            return_url: p.get("return_url").cloned().unwrap_or_default(),
            buyer_open_id: None,
            request: biz.clone(),
        });
    }
    Html(format!(
        "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'><title>Alipay (mock)</title>\
<h1>Alipay WAP cashier (mock gateway)</h1><p>{} — ¥{}</p><p>Order {}</p>\
<form method=post action='/mock/alipay/wap'><input type=hidden name=out_trade_no value=\"{}\">\
<button name=result value=pay id=pay>Pay</button> <button name=result value=cancel id=cancel>Cancel</button></form>",
        html_escape(&s("subject")), html_escape(&s("total_amount")), html_escape(&no), html_escape(&no)
    ))
    .into_response()
}

async fn wap_pay(State(m): State<Arc<MockAlipay>>, axum::Form(f): axum::Form<HashMap<String, String>>) -> Response {
    let no = f.get("out_trade_no").cloned().unwrap_or_default();
    let Some(t) = m.trades.lock().unwrap_or_else(|e| e.into_inner()).get(&no).cloned() else {
        return (StatusCode::NOT_FOUND, "ACQ.TRADE_NOT_EXIST").into_response();
    };
    if f.get("result").map(String::as_str) != Some("pay") {
        // The shopper left the cashier: Alipay goes to quit_url; here, back to the page (unpaid).
        return Redirect::to(&t.return_url).into_response();
    }
    let _ = m.pay(&no, true).await;
    // The synchronous return carries signed parameters too; the merchant must still trust only the
    // notification or a query.
    let mut p = BTreeMap::new();
    for (k, v) in [("app_id", ALIPAY_APP_ID.to_string()), ("method", "alipay.trade.wap.pay.return".into()), ("out_trade_no", no.clone()), ("trade_no", t.trade_no.clone()), ("total_amount", t.total_amount.clone()), ("timestamp", crate::time::alipay_timestamp(crate::time::now_secs())), ("charset", "utf-8".into()), ("version", "1.0".into())] {
        p.insert(k.to_string(), v);
    }
    let sign = m.alipay_key.sign(sign_content(&p, &["sign", "sign_type"]).as_bytes()).unwrap_or_default();
    p.insert("sign".into(), sign);
    p.insert("sign_type".into(), "RSA2".into());
    let extra = serde_urlencoded::to_string(&p).unwrap_or_default();
    Redirect::to(&append_query(&t.return_url, &extra)).into_response()
}

/// `POST /mock/alipay/forge {"out_trade_no"}`: a forged notification (test hook). Answers what the merchant answered.
async fn mock_forge(State(m): State<Arc<MockAlipay>>, axum::Json(v): axum::Json<Value>) -> Response {
    let no = v["out_trade_no"].as_str().unwrap_or("");
    let Some((url, form)) = m.forged_notification_form(no) else {
        return (StatusCode::NOT_FOUND, axum::Json(json!({ "sub_code": "ACQ.TRADE_NOT_EXIST" }))).into_response();
    };
    let answer = match m.http.post(&url).header("content-type", "application/x-www-form-urlencoded; charset=utf-8").body(form).send().await {
        Ok(r) => format!("{} {}", r.status().as_u16(), r.text().await.unwrap_or_default()),
        Err(e) => format!("transport: {e}"),
    };
    m.deliveries.lock().unwrap_or_else(|e| e.into_inner()).push((no.to_string(), answer.clone()));
    axum::Json(json!({ "merchant_answered": answer })).into_response()
}

/// `GET /mock/alipay/trades/{out_trade_no}`: what the mock received for a trade (test hook).
async fn mock_trade(State(m): State<Arc<MockAlipay>>, axum::extract::Path(no): axum::extract::Path<String>) -> Response {
    let Some(t) = m.trades.lock().unwrap_or_else(|e| e.into_inner()).get(&no).cloned() else {
        return (StatusCode::NOT_FOUND, axum::Json(json!({ "sub_code": "ACQ.TRADE_NOT_EXIST" }))).into_response();
    };
    let deliveries: Vec<String> = m.deliveries.lock().unwrap_or_else(|e| e.into_inner()).iter().filter(|(n, _)| *n == no).map(|(_, a)| a.clone()).collect();
    axum::Json(json!({
        "request": t.request, "trade_no": t.trade_no, "trade_status": t.status, "buyer_open_id": t.buyer_open_id,
        "notify_url": t.notify_url, "total_amount": t.total_amount, "deliveries": deliveries,
    }))
    .into_response()
}

async fn mock_pay(State(m): State<Arc<MockAlipay>>, axum::Json(v): axum::Json<Value>) -> Response {
    let no = v["out_trade_no"].as_str().unwrap_or("");
    match m.pay(no, v["notify"].as_bool().unwrap_or(true)).await {
        Ok(answer) => axum::Json(json!({ "trade_status": "TRADE_SUCCESS", "merchant_answered": answer })).into_response(),
        Err(code) => (StatusCode::NOT_FOUND, axum::Json(json!({ "sub_code": code }))).into_response(),
    }
}

