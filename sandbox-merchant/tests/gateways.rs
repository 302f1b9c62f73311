//! The merchant server through the protocol-faithful mock gateways (`--gateway mock`): real order
//! placement, signed notifications applied idempotently, late notifications found by a query.

mod common;
use common::*;
use sandbox_merchant::gateways::{Choice, Mode};
use serde_json::{json, Value};
use wallet_gateways::mock;

const WECHAT_CODE: &str = "wxp://f2f0TESTabcdefghijklmnop";
const ALIPAY_CODE: &str = "https://qr.alipay.com/fkx12345TESTabcdef";

fn mock_server(name: &str) -> sandbox_merchant::Running {
    server_with(&backends(name)[0].1, |c| c.gateways = Choice { wechat: Mode::Mock, alipay: Mode::Mock })
}

fn addr(s: &sandbox_merchant::Running) -> String {
    s.url()[7..].to_string()
}

fn mock_addr(s: &sandbox_merchant::Running) -> String {
    s.mock_url.clone().expect("mock gateways started")[7..].to_string()
}

fn order(a: &str, payload: &str, wallet: &str, payer: Value) -> common::Resp {
    let mut body = json!({ "payload": payload, "wallet": wallet, "amount": "12.34", "currency": "CNY" });
    if !payer.is_null() {
        body["payer"] = payer;
    }
    post_json(a, "/api/orders", &body)
}

fn mock_pay(s: &sandbox_merchant::Running, family: &str, id: &str, notify: bool) -> Value {
    post_json(&mock_addr(s), &format!("/mock/{family}/pay"), &json!({ "out_trade_no": id, "notify": notify })).json()
}

fn status(a: &str, id: &str) -> String {
    get(a, &format!("/api/orders/{id}")).json()["status"].as_str().unwrap_or("").to_string()
}

#[test]
fn wechat_jsapi_order_is_placed_signed_and_paid_by_notification_once() {
    let s = mock_server("gw-wechat");
    let a = addr(&s);
    // No shopper identity: WeChat JSAPI cannot be ordered.
    let r = order(&a, WECHAT_CODE, "wechat_jsapi", Value::Null);
    assert_eq!((r.status, r.error_code()), (422, "payer_required".into()), "{}", r.text());

    let r = order(&a, WECHAT_CODE, "wechat_jsapi", json!({ "wechat_code": "oauth-code-1" }));
    assert_eq!(r.status, 201, "{}", r.text());
    let o = r.json();
    let id = o["order_id"].as_str().unwrap().to_string();
    let p = &o["wallet_params"];
    assert_eq!(p["appId"], mock::APPID);
    assert!(p["package"].as_str().unwrap().starts_with("prepay_id=wx"));
    // The bridge's exact fields are all there, and paySign verifies with the merchant's key.
    assert!(interpay::wallet::params::pick(p, interpay::wallet::params::WECHAT_JSAPI).is_ok());
    let msg = wallet_gateways::wechat::pay_sign_message(mock::APPID, p["timeStamp"].as_str().unwrap(), p["nonceStr"].as_str().unwrap(), p["package"].as_str().unwrap());
    let pk = wallet_gateways::PrivateKey::from_pem(mock::WECHAT_MERCHANT_KEY).unwrap().public_key();
    assert!(pk.verify(msg.as_bytes(), p["paySign"].as_str().unwrap()));
    assert_eq!(status(&a, &id), "created");

    // The shopper pays: the mock's signed, encrypted notification reaches /api/notify/wechat.
    let paid = mock_pay(&s, "wechat", &id, true);
    assert_eq!(paid["merchant_answered"], 200, "{paid}");
    assert_eq!(status(&a, &id), "paid");
    // A retried (duplicate) notification: acknowledged again, nothing changes.
    assert_eq!(mock_pay(&s, "wechat", &id, true)["merchant_answered"], 200);
    assert_eq!(status(&a, &id), "paid");
    // The sandbox endpoint cannot move a gateway order.
    let r = post_json(&a, "/sandbox/wallet/pay", &json!({ "order_id": id, "result": "failed" }));
    assert_eq!((r.status, r.error_code()), (403, "not_sandbox_order".into()));
}

#[test]
fn wechat_notifications_forged_replayed_wrong_serial_are_refused() {
    let s = mock_server("gw-wechat-bad");
    let a = addr(&s);
    let r = order(&a, WECHAT_CODE, "wechat_mini_program", json!({ "wechat_code": "jscode-1" }));
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["order_id"].as_str().unwrap().to_string();
    assert_eq!(r.json()["wallet_params"]["page"], "/pages/pay/pay");
    assert_eq!(r.json()["wallet_params"]["appId"], mock::MINI_APPID);

    // Make notifications with the mock's own keys (so only the one property under test is wrong).
    let forger = wallet_gateways::mock::wechat::MockWechat::new("http://unused");
    let tx = wallet_gateways::wechat::Transaction {
        mchid: mock::MCHID.into(), appid: mock::MINI_APPID.into(), out_trade_no: id.clone(), trade_state: "SUCCESS".into(),
        amount: Some(wallet_gateways::wechat::Amount { total: 1234, payer_total: Some(1234), currency: "CNY".into() }),
        ..Default::default()
    };
    let now = wallet_gateways::time::now_secs();
    let send = |h: &axum::http::HeaderMap, body: &str| {
        let hs: Vec<(String, String)> = h.iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string())).collect();
        let refs: Vec<(&str, &str)> = hs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        request(&a, "POST", "/api/notify/wechat", &refs, body.as_bytes())
    };
    let serial = forger.platform_serial.clone();
    let (h, body) = forger.notification(&tx, now - 400, &serial);
    assert_eq!(send(&h, &body).status, 401, "replayed");
    let (h, body) = forger.notification(&tx, now, "7132D72A03E93CDDF8C03BBD1F37EEDF204C4C4A");
    assert_eq!(send(&h, &body).status, 401, "wrong serial");
    let (h, body) = forger.notification(&tx, now, &serial);
    let tampered = body.replace("TRANSACTION.SUCCESS", "TRANSACTION.SUCCESS ");
    assert_eq!(send(&h, &tampered).status, 401, "tampered");
    assert_eq!(status(&a, &id), "created");
    // A genuine notification for the wrong amount is refused, never paid.
    let mut cheap = tx.clone();
    cheap.amount.as_mut().unwrap().total = 1;
    let (h, body) = forger.notification(&cheap, now, &serial);
    assert_eq!(send(&h, &body).status, 409);
    assert_eq!(status(&a, &id), "created");
    // The genuine one pays.
    let (h, body) = forger.notification(&tx, now, &serial);
    let r = send(&h, &body);
    assert_eq!((r.status, r.body.len()), (200, 0), "{}", r.text());
    assert_eq!(status(&a, &id), "paid");
}

#[test]
fn late_notification_the_status_endpoint_asks_the_gateway() {
    let s = mock_server("gw-late");
    let a = addr(&s);
    let r = order(&a, WECHAT_CODE, "wechat_jsapi", json!({ "openid": "oKnownShopper" }));
    let id = r.json()["order_id"].as_str().unwrap().to_string();
    mock_pay(&s, "wechat", &id, false);
    assert_eq!(status(&a, &id), "paid", "paid at the gateway, no notification yet: the query finds it");

    let r = order(&a, ALIPAY_CODE, "alipay_app", json!({ "alipay_auth_code": "auth-1" }));
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["order_id"].as_str().unwrap().to_string();
    assert_eq!(r.json()["wallet_params"]["tradeNO"].as_str().unwrap().len(), 28);
    assert_eq!(status(&a, &id), "created");
    mock_pay(&s, "alipay", &id, false);
    assert_eq!(status(&a, &id), "paid");
}

#[test]
fn alipay_wap_pay_carries_a_signed_return_url_and_notifications_are_idempotent() {
    let s = mock_server("gw-alipay");
    let a = addr(&s);
    let r = order(&a, ALIPAY_CODE, "deep_link", Value::Null);
    assert_eq!(r.status, 201, "{}", r.text());
    let p = r.json()["wallet_params"].clone();
    let id = r.json()["order_id"].as_str().unwrap().to_string();
    let url = p["url"].as_str().unwrap();
    assert!(!url.contains("{return_url}"), "no placeholder substituted after signing: {url}");
    assert_eq!(p["return_url"], format!("{}/?interpay_order={id}", s.url()));
    // The mock cashier accepts the signed URL (return_url inside the signature)…
    let path = &url[url.find("/gateway.do").unwrap()..];
    let page = get(&mock_addr(&s), path);
    assert_eq!(page.status, 200, "{}", page.text());
    // …and refuses it with the return URL changed.
    let moved = path.replace("interpay_order%3D", "interpay_order%3Dx");
    assert_ne!(moved, path);
    assert_eq!(get(&mock_addr(&s), &moved).status, 400);

    assert_eq!(mock_pay(&s, "alipay", &id, true)["merchant_answered"], "success");
    assert_eq!(status(&a, &id), "paid");
    assert_eq!(mock_pay(&s, "alipay", &id, true)["merchant_answered"], "success", "a retry is answered success again");
    assert_eq!(status(&a, &id), "paid");

    // A notification altered after Alipay signed it: refused.
    let forger = wallet_gateways::mock::alipay::MockAlipay::new("http://unused");
    let t = wallet_gateways::mock::alipay::MockTrade {
        trade_no: "2026".into(), out_trade_no: id.clone(), total_amount: "12.34".into(), subject: "x".into(), status: "TRADE_SUCCESS".into(),
        notify_url: String::new(), return_url: String::new(), buyer_open_id: None, request: Value::Null,
    };
    let r = request(&a, "POST", "/api/notify/alipay", &[("Content-Type", "application/x-www-form-urlencoded")], forger.notification_form(&t, true).as_bytes());
    assert_eq!((r.status, r.text()), (401, "fail".into()));
}

#[test]
fn wechat_h5_deep_link_and_sandbox_wallets_unchanged() {
    let s = mock_server("gw-h5");
    let a = addr(&s);
    let r = order(&a, WECHAT_CODE, "deep_link", Value::Null);
    assert_eq!(r.status, 201, "{}", r.text());
    let url = r.json()["wallet_params"]["url"].as_str().unwrap().to_string();
    assert!(url.starts_with(&format!("{}/mock/wechat/h5?prepay_id=wx", s.mock_url.as_ref().unwrap())) && url.ends_with("&redirect_url={return_url}"), "{url}");
    // Wallets without a gateway keep the sandbox shapes.
    let r = order(&a, CAFE_STATIC, "unionpay", Value::Null);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["wallet_params"]["tn"].as_str().unwrap().len(), 21);
    let h = get(&a, "/api/health").json();
    assert_eq!(h["gateways"], json!({ "wechat": "mock", "alipay": "mock" }));
}

#[test]
fn a_superseded_attempt_is_closed_at_the_gateway() {
    let s = mock_server("gw-close");
    let a = addr(&s);
    let r = order(&a, WECHAT_CODE, "wechat_jsapi", json!({ "openid": "oShopper" }));
    let first = r.json()["order_id"].as_str().unwrap().to_string();
    let body = json!({ "payload": WECHAT_CODE, "wallet": "wechat_jsapi", "amount": "12.34", "currency": "CNY", "replaces": first, "payer": { "openid": "oShopper" } });
    assert_eq!(post_json(&a, "/api/orders", &body).status, 201);
    assert_eq!(status(&a, &first), "cancelled");
    // The close runs in the background: ask WeChat (the mock) until it says CLOSED.
    let wx = wallet_gateways::wechat::WechatPay::new(mock::wechat_config(s.mock_url.as_ref().unwrap())).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut closed = false;
    for _ in 0..100 {
        if rt.block_on(wx.query(&first)).unwrap().trade_state == "CLOSED" {
            closed = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(closed, "the superseded order was closed at WeChat Pay");
}

#[test]
fn wechat_notification_under_a_rotated_platform_certificate_is_accepted_after_download() {
    let s = mock_server("gw-wechat-rotate");
    let a = addr(&s);
    let r = order(&a, WECHAT_CODE, "wechat_jsapi", json!({ "wechat_code": "oauth-code-rot" }));
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["order_id"].as_str().unwrap().to_string();
    // WeChat Pay starts signing with a certificate the merchant was not configured with.
    let rotated = post_json(&mock_addr(&s), "/mock/wechat/rotate", &json!({})).json();
    assert_eq!(rotated["serial"], wallet_gateways::mock::wechat::MockWechat::new("http://unused").rotated_serial);
    // Its notification names the new serial: the merchant downloads /v3/certificates and applies it.
    let paid = mock_pay(&s, "wechat", &id, true);
    assert_eq!(paid["merchant_answered"], 200, "{paid}");
    assert_eq!(status(&a, &id), "paid");
}
