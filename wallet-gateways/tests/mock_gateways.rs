//! The gateway clients against the protocol-faithful mocks: signatures checked both ways.

use http::HeaderValue;
use wallet_gateways::alipay::{Alipay, TradeCreate};
use wallet_gateways::keys::PrivateKey;
use wallet_gateways::mock::{self, Mock};
use wallet_gateways::wechat::{NewOrder, WechatPay};
use wallet_gateways::Error;

fn order(no: &str, appid: &str) -> NewOrder {
    NewOrder { appid: appid.into(), out_trade_no: no.into(), description: "Interpay test".into(), total_fen: 1234, currency: "CNY".into(), notify_url: "http://127.0.0.1:9/notify".into(), time_expire: None }
}

async fn started() -> std::sync::Arc<Mock> {
    mock::start("127.0.0.1:0").await.unwrap()
}

#[tokio::test]
async fn wechat_jsapi_query_close_and_pay_sign() {
    let m = started().await;
    let wx = WechatPay::new(mock::wechat_config(&m.base)).unwrap();
    let prepay = wx.jsapi(&order("o_jsapi_1", mock::APPID), "oUser1").await.unwrap();
    assert!(prepay.starts_with("wx"), "{prepay}");
    // The same order again is the same prepay id (WeChat answers so for identical parameters).
    assert_eq!(wx.jsapi(&order("o_jsapi_1", mock::APPID), "oUser1").await.unwrap(), prepay);
    // Different parameters under the same out_trade_no: refused.
    let mut other = order("o_jsapi_1", mock::APPID);
    other.total_fen = 1;
    assert!(matches!(wx.jsapi(&other, "oUser1").await, Err(Error::Vendor { code, .. }) if code == "INVALID_REQUEST"));
    // No openid: PARAM_ERROR.
    assert!(matches!(wx.jsapi(&order("o_jsapi_2", mock::APPID), "").await, Err(Error::Vendor { status: 400, code, .. }) if code == "PARAM_ERROR"));

    let tx = wx.query("o_jsapi_1").await.unwrap();
    assert_eq!((tx.trade_state.as_str(), tx.amount.as_ref().unwrap().total), ("NOTPAY", 1234));
    m.wechat.pay("o_jsapi_1", false).await.unwrap();
    let tx = wx.query("o_jsapi_1").await.unwrap();
    assert_eq!(tx.trade_state, "SUCCESS");
    assert!(tx.transaction_id.unwrap().starts_with("4200"));
    assert!(matches!(wx.query("o_none").await, Err(Error::Vendor { status: 404, code, .. }) if code == "ORDER_NOT_EXIST"));

    wx.jsapi(&order("o_close", mock::APPID), "oUser1").await.unwrap();
    wx.close("o_close").await.unwrap();
    assert_eq!(wx.query("o_close").await.unwrap().trade_state, "CLOSED");

    let p = wx.pay_params(mock::APPID, &prepay).unwrap();
    let msg = wallet_gateways::wechat::pay_sign_message(mock::APPID, p["timeStamp"].as_str().unwrap(), p["nonceStr"].as_str().unwrap(), p["package"].as_str().unwrap());
    let pk = PrivateKey::from_pem(mock::WECHAT_MERCHANT_KEY).unwrap().public_key();
    assert!(pk.verify(msg.as_bytes(), p["paySign"].as_str().unwrap()));
    assert_eq!(p["package"], format!("prepay_id={prepay}"));
}

#[tokio::test]
async fn wechat_refuses_bad_request_signatures_and_we_refuse_bad_answers() {
    let m = started().await;
    // Signed with a key that is not the merchant's: 401 SIGN_ERROR.
    let mut cfg = mock::wechat_config(&m.base);
    cfg.private_key = PrivateKey::from_pem(mock::ALIPAY_APP_KEY).unwrap();
    let wx = WechatPay::new(cfg).unwrap();
    assert!(matches!(wx.jsapi(&order("o_bad", mock::APPID), "oU").await, Err(Error::Vendor { status: 401, code, .. }) if code == "SIGN_ERROR"));
    // Wrong serial: refused too.
    let mut cfg = mock::wechat_config(&m.base);
    cfg.serial_no = "0000".into();
    assert!(matches!(WechatPay::new(cfg).unwrap().query("x").await, Err(Error::Vendor { status: 401, .. })));
    // We hold another platform key than the one that signed: the answer is not believed.
    let mut cfg = mock::wechat_config(&m.base);
    cfg.platform[0].key = PrivateKey::from_pem(mock::ALIPAY_PLATFORM_KEY).unwrap().public_key();
    assert!(matches!(WechatPay::new(cfg).unwrap().jsapi(&order("o_k", mock::APPID), "oU").await, Err(Error::Signature(_))));
    let mut cfg = mock::wechat_config(&m.base);
    cfg.platform[0].serial = "PUB_KEY_ID_0000".into();
    // (public-key mode: no certificate download to learn the serial the answer names)
    cfg.download_certificates = false;
    assert!(matches!(WechatPay::new(cfg).unwrap().jsapi(&order("o_k2", mock::APPID), "oU").await, Err(Error::UnknownSerial(_))));
}

#[tokio::test]
async fn wechat_notifications_valid_tampered_replayed_wrong_serial_duplicate() {
    let m = started().await;
    let wx = WechatPay::new(mock::wechat_config(&m.base)).unwrap();
    wx.jsapi(&order("o_n", mock::APPID), "oUserN").await.unwrap();
    m.wechat.pay("o_n", false).await.unwrap();
    let tx = m.wechat.transaction("o_n").unwrap();
    let now = wallet_gateways::time::now_secs();
    let serial = m.wechat.platform_serial.clone();

    let (h, body) = m.wechat.notification(&tx, now, &serial);
    let n = wx.notification(&h, &body, now).unwrap();
    assert_eq!((n.event_type.as_str(), n.transaction.out_trade_no.as_str(), n.transaction.trade_state.as_str()), ("TRANSACTION.SUCCESS", "o_n", "SUCCESS"));
    assert_eq!(n.transaction.payer.unwrap().openid, "oUserN");
    // Duplicate delivery: verifies again, same content (the merchant's store makes it idempotent).
    assert_eq!(wx.notification(&h, &body, now + 30).unwrap().id, n.id);

    // Tampered body (the ciphertext or any field).
    let tampered = body.replace("\"summary\":\"支付成功\"", "\"summary\":\"x\"");
    assert_ne!(tampered, body);
    assert!(matches!(wx.notification(&h, &tampered, now), Err(Error::Signature(_))));
    // Replayed: signed six minutes ago.
    let (h_old, body_old) = m.wechat.notification(&tx, now - 360, &serial);
    assert_eq!(wx.notification(&h_old, &body_old, now), Err(Error::Replay(now - 360)));
    // Wrong serial.
    let (h_s, body_s) = m.wechat.notification(&tx, now, "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C");
    assert!(matches!(wx.notification(&h_s, &body_s, now), Err(Error::UnknownSerial(_))));
    // A forged timestamp header on a genuine signature.
    let mut h_f = h.clone();
    h_f.insert("wechatpay-timestamp", HeaderValue::from_str(&(now + 1).to_string()).unwrap());
    assert!(matches!(wx.notification(&h_f, &body, now), Err(Error::Signature(_))));
    // Signed right but encrypted with another APIv3 key.
    let mut cfg = mock::wechat_config(&m.base);
    cfg.apiv3_key = wallet_gateways::Secret::new("another32byteApiV3key00000000000");
    assert_eq!(WechatPay::new(cfg).unwrap().notification(&h, &body, now), Err(Error::Decrypt));
}

#[tokio::test]
async fn wechat_h5_and_identity() {
    let m = started().await;
    let wx = WechatPay::new(mock::wechat_config(&m.base)).unwrap();
    let url = wx.h5(&order("o_h5", mock::APPID), "203.0.113.7").await.unwrap();
    assert!(url.starts_with(&format!("{}/mock/wechat/h5?prepay_id=wx", m.base)), "{url}");
    assert_eq!(wx.oauth_openid("code-1").await.unwrap(), mock::openid_for("code-1"));
    assert_eq!(wx.code2session("jscode-1").await.unwrap(), mock::openid_for("jscode-1"));
    assert!(matches!(wx.oauth_openid("bad-code").await, Err(Error::Vendor { code, .. }) if code == "40029"));
    let mut cfg = mock::wechat_config(&m.base);
    cfg.mini_secret = Some(wallet_gateways::Secret::new("wrong"));
    assert!(matches!(WechatPay::new(cfg).unwrap().code2session("c").await, Err(Error::Vendor { code, .. }) if code == "40125"));
}

fn trade(no: &str) -> TradeCreate {
    TradeCreate { out_trade_no: no.into(), total_amount: "12.34".into(), subject: "Interpay test".into(), buyer_open_id: Some("074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5".into()), ..Default::default() }
}

#[tokio::test]
async fn alipay_create_query_close_identity() {
    let m = started().await;
    let ali = Alipay::new(mock::alipay_config(&m.base)).unwrap();
    let no = ali.trade_create(&trade("a_1")).await.unwrap();
    assert_eq!(no.len(), 28);
    let t = ali.query("a_1").await.unwrap();
    assert_eq!((t.trade_status.as_str(), t.total_amount.as_str(), t.trade_no.as_str()), ("WAIT_BUYER_PAY", "12.34", no.as_str()));
    m.alipay.pay("a_1", false).await.unwrap();
    assert_eq!(ali.query("a_1").await.unwrap().trade_status, "TRADE_SUCCESS");
    assert!(matches!(ali.close("a_1").await, Err(Error::Vendor { code, .. }) if code == "ACQ.TRADE_STATUS_ERROR"));
    assert!(matches!(ali.query("a_none").await, Err(Error::Vendor { code, .. }) if code == "ACQ.TRADE_NOT_EXIST"));
    ali.trade_create(&trade("a_2")).await.unwrap();
    ali.close("a_2").await.unwrap();
    assert_eq!(ali.query("a_2").await.unwrap().trade_status, "TRADE_CLOSED");
    assert_eq!(ali.oauth_open_id("auth-1").await.unwrap(), mock::openid_for("auth-1"));
    assert!(matches!(ali.oauth_open_id("bad").await, Err(Error::Vendor { code, .. }) if code == "isv.code-invalid"));
}

#[tokio::test]
async fn alipay_bad_signatures_both_ways() {
    let m = started().await;
    let mut cfg = mock::alipay_config(&m.base);
    cfg.private_key = PrivateKey::from_pem(mock::WECHAT_MERCHANT_KEY).unwrap();
    let r = Alipay::new(cfg).unwrap().trade_create(&trade("a_bad")).await;
    assert!(matches!(&r, Err(Error::Vendor { code, .. }) if code == "isv.invalid-signature"), "{r:?}");
    let mut cfg = mock::alipay_config(&m.base);
    cfg.alipay_public_key = PrivateKey::from_pem(mock::WECHAT_PLATFORM_KEY).unwrap().public_key();
    assert!(matches!(Alipay::new(cfg).unwrap().trade_create(&trade("a_k")).await, Err(Error::Signature(_))));
}

#[tokio::test]
async fn alipay_wap_pay_signs_return_url_and_notifications_verify() {
    let m = started().await;
    let ali = Alipay::new(mock::alipay_config(&m.base)).unwrap();
    let back = "https://merchant.example/checkout?interpay_order=ord_1";
    let url = ali.wap_pay_url("a_wap", "1.00", "Interpay", back, "https://merchant.example/api/notify/alipay", None).unwrap();
    let http = reqwest::Client::new();
    let page = http.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("a_wap"));
    // The return URL is inside the signature: changing it after signing (the old placeholder) is refused.
    let moved = url.replace("merchant.example%2Fcheckout", "evil.example%2Fcheckout");
    assert_ne!(moved, url);
    let r = http.get(&moved).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("isv.invalid-signature"));

    m.alipay.pay("a_wap", false).await.unwrap();
    let t = m.alipay.trades.lock().unwrap().get("a_wap").cloned().unwrap();
    let form = m.alipay.notification_form(&t, false);
    let n = ali.notification(&form).unwrap();
    assert_eq!((n.out_trade_no.as_str(), n.trade_status.as_str(), n.total_amount.as_str()), ("a_wap", "TRADE_SUCCESS", "1.00"));
    assert_eq!(ali.notification(&form).unwrap(), n, "a retry verifies the same");
    assert!(matches!(ali.notification(&m.alipay.notification_form(&t, true)), Err(Error::Signature(_))));
    assert!(matches!(ali.notification(&form.replace("sign_type=RSA2", "sign_type=RSA")), Err(Error::Signature(_))));
}

#[test]
fn configurations_never_print_secrets() {
    let wx = format!("{:?}", mock::wechat_config("http://x"));
    let ali = format!("{:?}", mock::alipay_config("http://x"));
    for (what, s) in [("wechat", &wx), ("alipay", &ali)] {
        assert!(!s.contains(mock::APIV3_KEY) && !s.contains(mock::APP_SECRET) && !s.contains(mock::MINI_SECRET), "{what}: {s}");
        assert!(!s.contains("MII") && !s.contains("BEGIN"), "{what} prints key material: {s}");
        assert!(s.contains("redacted") || s.contains("***"), "{what}: {s}");
    }
}

#[tokio::test]
async fn wechat_platform_certificate_rotation_is_followed_by_download() {
    let m = started().await;
    let wx = WechatPay::new(mock::wechat_config(&m.base)).unwrap();
    wx.jsapi(&order("o_rot", mock::APPID), "oUserR").await.unwrap();
    assert_eq!(wx.query("o_rot").await.unwrap().trade_state, "NOTPAY");
    assert_eq!(wx.certificate_downloads(), 0, "the configured certificate is enough until WeChat Pay rotates");

    // WeChat Pay replaces its certificate: the next answer names a serial we do not hold.
    m.wechat.rotate();
    let new_serial = m.wechat.rotated_serial.clone();
    assert!(!wx.platform_keys().iter().any(|k| k.serial == new_serial));
    assert_eq!(wx.query("o_rot").await.unwrap().trade_state, "NOTPAY", "believed once the new certificate is downloaded");
    assert_eq!((wx.certificate_downloads(), m.wechat.certificate_downloads.load(std::sync::atomic::Ordering::SeqCst)), (1, 1));
    let serials: Vec<String> = wx.platform_keys().iter().map(|k| k.serial.clone()).collect();
    assert!(serials.contains(&new_serial) && serials.contains(&m.wechat.platform_serial), "{serials:?}");
    // Notifications under the new certificate verify now; more answers need no more downloads.
    m.wechat.pay("o_rot", false).await.unwrap();
    let now = wallet_gateways::time::now_secs();
    let (h, body) = m.wechat.notification(&m.wechat.transaction("o_rot").unwrap(), now, &new_serial);
    assert_eq!(wx.notification(&h, &body, now).unwrap().transaction.trade_state, "SUCCESS");
    assert_eq!(wx.query("o_rot").await.unwrap().trade_state, "SUCCESS");
    assert_eq!(wx.certificate_downloads(), 1);

    // A client that does not download (public-key mode) does not believe the rotated answer.
    let mut cfg = mock::wechat_config(&m.base);
    cfg.download_certificates = false;
    let fixed = WechatPay::new(cfg).unwrap();
    assert_eq!(fixed.query("o_rot").await, Err(Error::UnknownSerial(new_serial.clone())));
    assert_eq!(fixed.certificate_downloads(), 0);

    // Certificates encrypted with another APIv3 key are not taken (and nothing is kept).
    let mut cfg = mock::wechat_config(&m.base);
    cfg.apiv3_key = wallet_gateways::Secret::new("anotherApiV3Key00000000000000000");
    let wrong = WechatPay::new(cfg).unwrap();
    assert_eq!(wrong.download_certificates().await, Err(Error::Decrypt));
    assert_eq!(wrong.platform_keys().len(), 1);
}

#[tokio::test]
async fn wechat_unknown_serial_that_stays_unknown_after_refresh_is_refused_and_rate_limited() {
    let m = started().await;
    let wx = WechatPay::new(mock::wechat_config(&m.base)).unwrap();
    wx.jsapi(&order("o_us", mock::APPID), "oUserU").await.unwrap();
    m.wechat.pay("o_us", false).await.unwrap();
    let tx = m.wechat.transaction("o_us").unwrap();
    let now = wallet_gateways::time::now_secs();
    let never = "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C";
    let (h, body) = m.wechat.notification(&tx, now, never);
    assert_eq!(wx.receive_notification(&h, &body, now).await, Err(Error::UnknownSerial(never.into())));
    assert_eq!(wx.certificate_downloads(), 1, "one download to look for it");
    // Again at once: refused without another download (a forger cannot make us download in a loop).
    assert_eq!(wx.receive_notification(&h, &body, now).await, Err(Error::UnknownSerial(never.into())));
    assert_eq!(wx.certificate_downloads(), 1);
    assert_eq!(m.wechat.certificate_downloads.load(std::sync::atomic::Ordering::SeqCst), 1);
    // After the interval, one more look — and still refused.
    let mut quick = wx.clone();
    quick.refresh_interval = std::time::Duration::ZERO;
    assert_eq!(quick.receive_notification(&h, &body, now).await, Err(Error::UnknownSerial(never.into())));
    assert_eq!(quick.certificate_downloads(), 2);
    // The same notification under the real serial is fine.
    let (h, body) = m.wechat.notification(&tx, now, &m.wechat.platform_serial);
    assert_eq!(wx.receive_notification(&h, &body, now).await.unwrap().transaction.out_trade_no, "o_us");
}

#[test]
fn wechat_certificates_answer_is_read_strictly() {
    let m = wallet_gateways::mock::wechat::MockWechat::new("http://unused");
    let key = wallet_gateways::Secret::new(mock::APIV3_KEY);
    let keys = wallet_gateways::wechat::read_certificates(&key, &m.certificates_body()).unwrap();
    assert_eq!(keys.iter().map(|k| k.serial.as_str()).collect::<Vec<_>>(), [m.platform_serial.as_str()]);
    // A certificate listed under another serial than its own is refused.
    let relabelled = m.certificates_body().replace(&m.platform_serial, &m.rotated_serial);
    assert!(matches!(wallet_gateways::wechat::read_certificates(&key, &relabelled), Err(Error::BadResponse(_))));
    assert!(matches!(wallet_gateways::wechat::read_certificates(&key, r#"{"data":[]}"#), Err(Error::BadResponse(_))));
}
