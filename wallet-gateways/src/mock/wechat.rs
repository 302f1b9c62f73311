//! Mock WeChat Pay API v3 (+ the OAuth / code2session endpoints of api.weixin.qq.com).

use super::{html_escape, key, openid_for, APIV3_KEY, APPID, APP_SECRET, MCHID, MERCHANT_SERIAL, MINI_APPID, MINI_SECRET};
use crate::keys::{Certificate, PrivateKey, PublicKey};
use crate::wechat::{self as wx, Transaction};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone)]
pub struct MockOrder {
    pub request: Value,
    pub trade_type: &'static str,
    pub prepay_id: String,
    pub trade_state: String,
    pub transaction_id: Option<String>,
    pub notify_url: String,
    pub openid: Option<String>,
}

pub struct MockWechat {
    pub base: String,
    merchant_key: PublicKey,
    platform_key: PrivateKey,
    /// The serial of the certificate the merchant is configured with (`mock::wechat_config`).
    pub platform_serial: String,
    /// The certificate rotated to: key, serial, PEM.
    rotated_key: PrivateKey,
    pub rotated_serial: String,
    /// Once rotated, answers and notifications are signed with the new certificate and
    /// `/v3/certificates` lists both (WeChat Pay's overlap while a certificate is replaced).
    rotated: std::sync::atomic::AtomicBool,
    /// `GET /v3/certificates` calls served.
    pub certificate_downloads: std::sync::atomic::AtomicUsize,
    pub orders: Mutex<HashMap<String, MockOrder>>,
    /// Notifications delivered: (out_trade_no, HTTP status the merchant answered).
    pub deliveries: Mutex<Vec<(String, u16)>>,
    http: reqwest::Client,
}

impl MockWechat {
    pub fn new(base: &str) -> MockWechat {
        MockWechat {
            base: base.trim_end_matches('/').into(),
            merchant_key: key(super::WECHAT_MERCHANT_KEY).public_key(),
            platform_key: key(super::WECHAT_PLATFORM_KEY),
            platform_serial: Certificate::from_pem(super::WECHAT_PLATFORM_CERT).expect("bundled certificate").serial,
            rotated_key: key(super::WECHAT_PLATFORM2_KEY),
            rotated_serial: Certificate::from_pem(super::WECHAT_PLATFORM2_CERT).expect("bundled certificate").serial,
            rotated: Default::default(),
            certificate_downloads: Default::default(),
            orders: Mutex::new(HashMap::new()),
            deliveries: Mutex::new(Vec::new()),
            http: crate::http_client().expect("http client"),
        }
    }

    /// WeChat Pay replaces its platform certificate: from now on it signs with the new one.
    pub fn rotate(&self) {
        self.rotated.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// The serial WeChat Pay signs under now.
    pub fn current_serial(&self) -> String {
        if self.rotated.load(std::sync::atomic::Ordering::SeqCst) {
            self.rotated_serial.clone()
        } else {
            self.platform_serial.clone()
        }
    }

    /// The `/v3/certificates` answer: each certificate encrypted with the APIv3 key.
    pub fn certificates_body(&self) -> String {
        let mut list = vec![(&self.platform_serial, super::WECHAT_PLATFORM_CERT)];
        if self.rotated.load(std::sync::atomic::Ordering::SeqCst) {
            list.push((&self.rotated_serial, super::WECHAT_PLATFORM2_CERT));
        }
        let data: Vec<Value> = list
            .into_iter()
            .map(|(serial, pem)| {
                let nonce = crate::nonce(12);
                json!({
                    "serial_no": serial,
                    "effective_time": "2026-12-02T20:31:55+08:00",
                    "expire_time": "2031-12-01T20:31:55+08:00",
                    "encrypt_certificate": {
                        "algorithm": "AEAD_AES_256_GCM", "nonce": nonce, "associated_data": "certificate",
                        "ciphertext": wx::gcm_seal(APIV3_KEY.as_bytes(), &nonce, "certificate", pem).unwrap_or_default(),
                    },
                })
            })
            .collect();
        json!({ "data": data }).to_string()
    }

    /// Sign an answer or a notification the way WeChat Pay does: the four `Wechatpay-*` headers. The
    /// rotated certificate's key signs under its serial; any other serial gets the first key (tests
    /// name serials WeChat never issued).
    pub fn signed_headers(&self, body: &str, timestamp: i64, serial: &str) -> HeaderMap {
        let nonce = crate::nonce(32);
        let signer = if serial == self.rotated_serial { &self.rotated_key } else { &self.platform_key };
        let sig = signer.sign(wx::response_message(&timestamp.to_string(), &nonce, body).as_bytes()).unwrap_or_default();
        let mut h = HeaderMap::new();
        for (k, v) in [
            ("wechatpay-timestamp", timestamp.to_string()),
            ("wechatpay-nonce", nonce),
            ("wechatpay-signature", sig),
            ("wechatpay-serial", serial.to_string()),
            ("request-id", format!("mock-{}", crate::nonce(16))),
        ] {
            if let Ok(v) = HeaderValue::from_str(&v) {
                h.insert(k, v);
            }
        }
        h
    }

    fn reply(&self, status: StatusCode, body: &str) -> Response {
        let mut h = self.signed_headers(body, crate::time::now_secs(), &self.current_serial());
        if !body.is_empty() {
            h.insert("content-type", HeaderValue::from_static("application/json"));
        }
        (status, h, body.to_string()).into_response()
    }

    fn error(&self, status: StatusCode, code: &str, message: &str) -> Response {
        self.reply(status, &json!({ "code": code, "message": message }).to_string())
    }

    /// A payment notification as WeChat Pay sends it (`TRANSACTION.SUCCESS`, resource encrypted),
    /// signed at `timestamp` under `serial`: the tests vary both.
    pub fn notification(&self, tx: &Transaction, timestamp: i64, serial: &str) -> (HeaderMap, String) {
        let nonce = crate::nonce(12);
        let plain = serde_json::to_string(tx).unwrap_or_default();
        let ciphertext = wx::gcm_seal(APIV3_KEY.as_bytes(), &nonce, "transaction", &plain).unwrap_or_default();
        let body = json!({
            "id": format!("EV-{}", crate::nonce(20)),
            "create_time": crate::time::rfc3339_cst(timestamp),
            "resource_type": "encrypt-resource",
            "event_type": if tx.trade_state == "SUCCESS" { "TRANSACTION.SUCCESS" } else { "TRANSACTION.CLOSED" },
            "summary": "支付成功",
            "resource": { "original_type": "transaction", "algorithm": "AEAD_AES_256_GCM", "ciphertext": ciphertext, "associated_data": "transaction", "nonce": nonce },
        })
        .to_string();
        let mut h = self.signed_headers(&body, timestamp, serial);
        h.insert("content-type", HeaderValue::from_static("application/json"));
        (h, body)
    }

    /// A forged `TRANSACTION.SUCCESS` for an order the shopper has not paid (the order's state is left
    /// alone): the resource is well formed, but the headers are signed by a key that is not WeChat
    /// Pay's, under the platform serial — what somebody without the platform key can send.
    pub fn forged_notification(&self, out_trade_no: &str) -> Option<(HeaderMap, String)> {
        let mut tx = self.transaction(out_trade_no)?;
        tx.trade_state = "SUCCESS".into();
        tx.transaction_id = Some("4200000000000000000000000000".into());
        tx.payer = tx.payer.or_else(|| Some(wx::Payer { openid: openid_for(out_trade_no) }));
        let (mut h, body) = self.notification(&tx, crate::time::now_secs(), &self.current_serial());
        let attacker = key(super::ALIPAY_PLATFORM_KEY);
        let ts = h.get("wechatpay-timestamp").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let nonce = h.get("wechatpay-nonce").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let sig = attacker.sign(wx::response_message(&ts, &nonce, &body).as_bytes()).unwrap_or_default();
        if let Ok(v) = HeaderValue::from_str(&sig) {
            h.insert("wechatpay-signature", v);
        }
        Some((h, body))
    }

    /// POST a notification to the order's `notify_url`; answers the merchant's HTTP status (0: no answer).
    pub async fn deliver(&self, out_trade_no: &str, h: &HeaderMap, body: String) -> u16 {
        let url = match self.orders.lock().unwrap_or_else(|e| e.into_inner()).get(out_trade_no) {
            Some(o) => o.notify_url.clone(),
            None => return 0,
        };
        let mut rq = self.http.post(&url).body(body);
        for (k, v) in h.iter() {
            rq = rq.header(k.as_str(), v.as_bytes());
        }
        let status = match rq.send().await {
            Ok(r) => r.status().as_u16(),
            Err(_) => 0,
        };
        self.deliveries.lock().unwrap_or_else(|e| e.into_inner()).push((out_trade_no.to_string(), status));
        status
    }

    pub fn transaction(&self, out_trade_no: &str) -> Option<Transaction> {
        let orders = self.orders.lock().unwrap_or_else(|e| e.into_inner());
        let o = orders.get(out_trade_no)?;
        Some(Transaction {
            appid: o.request["appid"].as_str().unwrap_or("").into(),
            mchid: MCHID.into(),
            out_trade_no: out_trade_no.into(),
            transaction_id: o.transaction_id.clone(),
            trade_type: Some(o.trade_type.into()),
            trade_state: o.trade_state.clone(),
            trade_state_desc: Some(if o.trade_state == "SUCCESS" { "支付成功" } else { "未支付" }.into()),
            success_time: (o.trade_state == "SUCCESS").then(|| crate::time::rfc3339_cst(crate::time::now_secs())),
            payer: o.openid.clone().map(|openid| wx::Payer { openid }),
            amount: Some(wx::Amount {
                total: o.request["amount"]["total"].as_i64().unwrap_or(0),
                payer_total: Some(o.request["amount"]["total"].as_i64().unwrap_or(0)),
                currency: o.request["amount"]["currency"].as_str().unwrap_or("CNY").into(),
            }),
        })
    }

    /// The shopper pays: the order becomes SUCCESS; with `notify`, the notification is delivered
    /// (one retry when the merchant does not answer 2xx). Answers the merchant's HTTP status.
    pub async fn pay(&self, out_trade_no: &str, notify: bool) -> Result<Option<u16>, String> {
        let url = {
            let mut orders = self.orders.lock().unwrap_or_else(|e| e.into_inner());
            let o = orders.get_mut(out_trade_no).ok_or("ORDER_NOT_EXIST")?;
            if o.trade_state == "CLOSED" {
                return Err("ORDER_CLOSED".into());
            }
            if o.trade_state != "SUCCESS" {
                o.trade_state = "SUCCESS".into();
                o.transaction_id = Some(format!("4200{}", &crate::nonce(24).chars().map(|c| char::from(b'0' + (c as u8) % 10)).collect::<String>()));
                if o.openid.is_none() {
                    o.openid = Some(openid_for(out_trade_no));
                }
            }
            o.notify_url.clone()
        };
        if !notify {
            return Ok(None);
        }
        let tx = self.transaction(out_trade_no).ok_or("ORDER_NOT_EXIST")?;
        let mut last = 0;
        for _ in 0..2 {
            let (h, body) = self.notification(&tx, crate::time::now_secs(), &self.current_serial());
            let mut rq = self.http.post(&url).body(body);
            for (k, v) in h.iter() {
                rq = rq.header(k.as_str(), v.as_bytes());
            }
            last = match rq.send().await {
                Ok(r) => r.status().as_u16(),
                Err(_) => 0,
            };
            self.deliveries.lock().unwrap_or_else(|e| e.into_inner()).push((out_trade_no.to_string(), last));
            if (200..300).contains(&last) {
                break;
            }
        }
        Ok(Some(last))
    }

    /// Check a merchant request's `Authorization` the way WeChat Pay does.
    fn check_auth(&self, method: &Method, uri: &Uri, headers: &HeaderMap, body: &str) -> Result<(), Box<Response>> {
        let refuse = |m: &str| Err(Box::new(self.error(StatusCode::UNAUTHORIZED, "SIGN_ERROR", m)));
        let Some(f) = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(wx::parse_authorization) else {
            return refuse("Authorization 头缺失或格式错误 (missing or malformed WECHATPAY2-SHA256-RSA2048 Authorization)");
        };
        if f.mchid != MCHID {
            return refuse("商户号与签名不匹配 (mchid)");
        }
        if f.serial_no != MERCHANT_SERIAL {
            return refuse("商户证书序列号有误 (serial_no)");
        }
        let Ok(ts) = f.timestamp.parse::<i64>() else { return refuse("timestamp") };
        if (crate::time::now_secs() - ts).abs() > wx::WINDOW_SECS {
            return refuse("请求时间戳已过期 (timestamp outside ±5 min)");
        }
        let pq = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
        let msg = wx::request_message(method.as_str(), pq, ts, &f.nonce_str, body);
        if !self.merchant_key.verify(msg.as_bytes(), &f.signature) {
            return refuse("签名错误，请检查后再试");
        }
        Ok(())
    }
}

pub fn router(m: Arc<MockWechat>) -> Router {
    Router::new()
        .route("/v3/pay/transactions/jsapi", post(jsapi))
        .route("/v3/pay/transactions/h5", post(h5))
        .route("/v3/pay/transactions/out-trade-no/{no}", get(query))
        .route("/v3/pay/transactions/out-trade-no/{no}/close", post(close))
        .route("/sns/oauth2/access_token", get(oauth))
        .route("/sns/jscode2session", get(code2session))
        .route("/mock/wechat/pay", post(mock_pay))
        .route("/mock/wechat/forge", post(mock_forge))
        .route("/mock/wechat/rotate", post(mock_rotate))
        .route("/v3/certificates", get(certificates))
        .route("/mock/wechat/orders/{no}", get(mock_order))
        .route("/mock/wechat/h5", get(h5_page).post(h5_pay))
        .with_state(m)
}

fn text(b: &Bytes) -> String {
    String::from_utf8_lossy(b).into_owned()
}

async fn place(m: &MockWechat, method: Method, uri: Uri, headers: HeaderMap, body: Bytes, trade_type: &'static str) -> Response {
    let body = text(&body);
    if let Err(r) = m.check_auth(&method, &uri, &headers, &body) {
        return *r;
    }
    let Ok(v) = serde_json::from_str::<Value>(&body) else {
        return m.error(StatusCode::BAD_REQUEST, "PARAM_ERROR", "请求体不是合法的JSON");
    };
    let s = |k: &str| v[k].as_str().unwrap_or("");
    let app_ok = s("appid") == APPID || s("appid") == MINI_APPID;
    let total = v["amount"]["total"].as_i64().unwrap_or(0);
    let openid = v["payer"]["openid"].as_str();
    let missing = if s("out_trade_no").is_empty() || s("out_trade_no").len() > 32 {
        Some("out_trade_no")
    } else if s("description").is_empty() {
        Some("description")
    } else if !s("notify_url").starts_with("http") {
        Some("notify_url")
    } else if total <= 0 {
        Some("amount.total")
    } else if trade_type == "JSAPI" && openid.is_none_or(str::is_empty) {
        Some("payer.openid")
    } else if trade_type == "MWEB" && v["scene_info"]["payer_client_ip"].as_str().is_none_or(str::is_empty) {
        Some("scene_info.payer_client_ip")
    } else {
        None
    };
    if let Some(f) = missing {
        return m.error(StatusCode::BAD_REQUEST, "PARAM_ERROR", &format!("输入源“/body/{f}”映射到字段“{f}”必填性规则校验失败"));
    }
    if s("mchid") != MCHID || !app_ok {
        return m.error(StatusCode::BAD_REQUEST, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配");
    }
    let no = s("out_trade_no").to_string();
    let mut orders = m.orders.lock().unwrap_or_else(|e| e.into_inner());
    let prepay_id = match orders.get(&no) {
        Some(o) if o.request == v => o.prepay_id.clone(),
        Some(o) if o.trade_state == "SUCCESS" => return m.error(StatusCode::BAD_REQUEST, "ORDERPAID", "该订单已支付"),
        Some(_) => return m.error(StatusCode::BAD_REQUEST, "INVALID_REQUEST", "201 商户订单号重复"),
        None => {
            let id = format!("wx{}{}", crate::time::now_secs(), crate::nonce(20).to_lowercase());
            orders.insert(
                no.clone(),
                MockOrder {
                    request: v.clone(),
                    trade_type,
                    prepay_id: id.clone(),
                    trade_state: "NOTPAY".into(),
                    transaction_id: None,
                    notify_url: s("notify_url").into(),
                    openid: openid.map(str::to_string),
                },
            );
            id
        }
    };
    drop(orders);
    let answer = if trade_type == "MWEB" {
        json!({ "h5_url": format!("{}/mock/wechat/h5?prepay_id={prepay_id}&package=mock", m.base) })
    } else {
        json!({ "prepay_id": prepay_id })
    };
    m.reply(StatusCode::OK, &answer.to_string())
}

async fn jsapi(State(m): State<Arc<MockWechat>>, method: Method, uri: Uri, h: HeaderMap, b: Bytes) -> Response {
    place(&m, method, uri, h, b, "JSAPI").await
}

async fn h5(State(m): State<Arc<MockWechat>>, method: Method, uri: Uri, h: HeaderMap, b: Bytes) -> Response {
    place(&m, method, uri, h, b, "MWEB").await
}

async fn query(State(m): State<Arc<MockWechat>>, Path(no): Path<String>, method: Method, uri: Uri, h: HeaderMap, q: Query<HashMap<String, String>>) -> Response {
    if let Err(r) = m.check_auth(&method, &uri, &h, "") {
        return *r;
    }
    if q.get("mchid").map(String::as_str) != Some(MCHID) {
        return m.error(StatusCode::BAD_REQUEST, "PARAM_ERROR", "mchid");
    }
    match m.transaction(&no) {
        Some(tx) => m.reply(StatusCode::OK, &serde_json::to_string(&tx).unwrap_or_default()),
        None => m.error(StatusCode::NOT_FOUND, "ORDER_NOT_EXIST", "订单不存在"),
    }
}

async fn close(State(m): State<Arc<MockWechat>>, Path(no): Path<String>, method: Method, uri: Uri, h: HeaderMap, b: Bytes) -> Response {
    let body = text(&b);
    if let Err(r) = m.check_auth(&method, &uri, &h, &body) {
        return *r;
    }
    let mut orders = m.orders.lock().unwrap_or_else(|e| e.into_inner());
    match orders.get_mut(&no) {
        None => m.error(StatusCode::NOT_FOUND, "ORDER_NOT_EXIST", "订单不存在"),
        Some(o) if o.trade_state == "SUCCESS" => m.error(StatusCode::BAD_REQUEST, "ORDERPAID", "订单已支付"),
        Some(o) => {
            o.trade_state = "CLOSED".into();
            m.reply(StatusCode::NO_CONTENT, "")
        }
    }
}

fn oauth_answer(q: &HashMap<String, String>, appid: &str, secret: &str, code_key: &str, with_token: bool) -> Response {
    let g = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let err = |code: i64, msg: &str| axum::Json(json!({ "errcode": code, "errmsg": msg })).into_response();
    if g("appid") != appid {
        return err(40013, "invalid appid");
    }
    if g("secret") != secret {
        return err(40125, "invalid appsecret");
    }
    if g("grant_type") != "authorization_code" {
        return err(40002, "invalid grant_type");
    }
    let code = g(code_key);
    // Codes are single-use and short-lived at WeChat; the mock refuses only the obviously bad ones.
    if code.is_empty() || code.starts_with("bad") || code.starts_with("used") {
        return err(40029, "invalid code");
    }
    let openid = openid_for(code);
    if with_token {
        axum::Json(json!({ "access_token": format!("ACCESS_{}", crate::nonce(16)), "expires_in": 7200, "refresh_token": "REFRESH", "openid": openid, "scope": "snsapi_base" })).into_response()
    } else {
        axum::Json(json!({ "openid": openid, "session_key": crate::nonce(24) })).into_response()
    }
}

async fn oauth(Query(q): Query<HashMap<String, String>>) -> Response {
    oauth_answer(&q, APPID, APP_SECRET, "code", true)
}

async fn code2session(Query(q): Query<HashMap<String, String>>) -> Response {
    oauth_answer(&q, MINI_APPID, MINI_SECRET, "js_code", false)
}

/// `POST /mock/wechat/pay {"out_trade_no", "notify": true}`: the shopper pays (a test hook, not WeChat's API).
async fn mock_pay(State(m): State<Arc<MockWechat>>, axum::Json(v): axum::Json<Value>) -> Response {
    let no = v["out_trade_no"].as_str().unwrap_or("");
    match m.pay(no, v["notify"].as_bool().unwrap_or(true)).await {
        Ok(status) => axum::Json(json!({ "trade_state": "SUCCESS", "merchant_answered": status })).into_response(),
        Err(code) => (StatusCode::NOT_FOUND, axum::Json(json!({ "code": code }))).into_response(),
    }
}

/// `GET /v3/certificates`: the platform certificates, encrypted with the APIv3 key, in a signed answer.
async fn certificates(State(m): State<Arc<MockWechat>>, method: Method, uri: Uri, h: HeaderMap) -> Response {
    if let Err(r) = m.check_auth(&method, &uri, &h, "") {
        return *r;
    }
    m.certificate_downloads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    m.reply(StatusCode::OK, &m.certificates_body())
}

/// `POST /mock/wechat/rotate`: WeChat Pay starts signing with a new platform certificate (test hook).
async fn mock_rotate(State(m): State<Arc<MockWechat>>) -> Response {
    m.rotate();
    axum::Json(json!({ "serial": m.current_serial() })).into_response()
}

/// `POST /mock/wechat/forge {"out_trade_no"}`: a forged payment notification for an unpaid order (a
/// test hook, not WeChat's API). Answers the merchant's HTTP status; the order stays unpaid here.
async fn mock_forge(State(m): State<Arc<MockWechat>>, axum::Json(v): axum::Json<Value>) -> Response {
    let no = v["out_trade_no"].as_str().unwrap_or("");
    let Some((h, body)) = m.forged_notification(no) else {
        return (StatusCode::NOT_FOUND, axum::Json(json!({ "code": "ORDER_NOT_EXIST" }))).into_response();
    };
    let status = m.deliver(no, &h, body).await;
    axum::Json(json!({ "merchant_answered": status })).into_response()
}

/// `GET /mock/wechat/orders/{no}`: what the mock received for an order and where it stands (a test
/// hook: the browser tests assert on the merchant's real request).
async fn mock_order(State(m): State<Arc<MockWechat>>, Path(no): Path<String>) -> Response {
    let orders = m.orders.lock().unwrap_or_else(|e| e.into_inner());
    let Some(o) = orders.get(&no) else {
        return (StatusCode::NOT_FOUND, axum::Json(json!({ "code": "ORDER_NOT_EXIST" }))).into_response();
    };
    let deliveries: Vec<u16> = m.deliveries.lock().unwrap_or_else(|e| e.into_inner()).iter().filter(|(n, _)| *n == no).map(|(_, s)| *s).collect();
    axum::Json(json!({
        "request": o.request, "trade_type": o.trade_type, "prepay_id": o.prepay_id, "trade_state": o.trade_state,
        "openid": o.openid, "notify_url": o.notify_url, "deliveries": deliveries,
    }))
    .into_response()
}

fn prepay_order(m: &MockWechat, prepay_id: &str) -> Option<(String, MockOrder)> {
    m.orders.lock().unwrap_or_else(|e| e.into_inner()).iter().find(|(_, o)| o.prepay_id == prepay_id).map(|(k, o)| (k.clone(), o.clone()))
}

/// The H5 cashier (what `h5_url` opens): a pay button; `redirect_url` as WeChat appends it.
async fn h5_page(State(m): State<Arc<MockWechat>>, Query(q): Query<HashMap<String, String>>) -> Response {
    let pid = q.get("prepay_id").cloned().unwrap_or_default();
    let Some((no, o)) = prepay_order(&m, &pid) else {
        return (StatusCode::NOT_FOUND, Html("<!doctype html><title>WeChat Pay (mock)</title><p>商家参数格式有误 (unknown prepay_id)".to_string())).into_response();
    };
    let back = q.get("redirect_url").cloned().unwrap_or_default();
    let fen = o.request["amount"]["total"].as_i64().unwrap_or(0);
    Html(format!(
        "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'><title>WeChat Pay (mock)</title>\
<h1>WeChat Pay H5 (mock gateway)</h1><p>{} — ¥{}.{:02}</p><p>Order {}</p>\
<form method=post action='/mock/wechat/h5'><input type=hidden name=prepay_id value=\"{}\"><input type=hidden name=redirect_url value=\"{}\">\
<button name=result value=pay id=pay>Pay</button> <button name=result value=cancel id=cancel>Cancel</button></form>",
        html_escape(o.request["description"].as_str().unwrap_or("")), fen / 100, fen % 100, html_escape(&no), html_escape(&pid), html_escape(&back)
    ))
    .into_response()
}

async fn h5_pay(State(m): State<Arc<MockWechat>>, axum::Form(f): axum::Form<HashMap<String, String>>) -> Response {
    let pid = f.get("prepay_id").cloned().unwrap_or_default();
    let Some((no, _)) = prepay_order(&m, &pid) else {
        return (StatusCode::NOT_FOUND, "unknown prepay_id").into_response();
    };
    if f.get("result").map(String::as_str) == Some("pay") {
        let _ = m.pay(&no, true).await;
    }
    // WeChat sends the shopper back to redirect_url whatever happened: the merchant must query.
    match f.get("redirect_url").filter(|u| u.starts_with("http")) {
        Some(u) => Redirect::to(u).into_response(),
        None => Html("<!doctype html><p>done").into_response(),
    }
}
