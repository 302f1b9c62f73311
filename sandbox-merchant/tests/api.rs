//! The merchant contract (docs/ARCHITECTURE.md) as implemented by the sandbox merchant:
//! handler-level tests plus one real HTTP round trip on an ephemeral port.

use sandbox_merchant::{App, Paths, CSP};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

/// Public EMVCo MPM vector: dynamic UnionPay code, 23.72 CNY, "BEST TRANSPORT", BEIJING.
const DYNAMIC: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

/// CRC-16/CCITT-FALSE as EMVCo tag 63 uses it.
fn crc16(data: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for &b in data {
        crc ^= (b as u16) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 { (crc << 1) ^ 0x1021 } else { crc << 1 };
        }
    }
    crc
}

fn with_crc(body: &str) -> String {
    let s = format!("{body}6304");
    format!("{s}{:04X}", crc16(s.as_bytes()))
}

/// A static UnionPay code (initiation 11, no amount): the shopper types the amount.
fn static_code() -> String {
    with_crc(concat!(
        "000201", "010211", "29300012D156000000000510A93FO3230Q", "52044111", "5303156", "5802CN",
        "5914BEST TRANSPORT", "6007BEIJING"
    ))
}

fn tmp_dir(name: &str) -> PathBuf {
    // Tests run in parallel: one directory per call.
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let d = std::env::temp_dir().join(format!("sandbox-merchant-test-{}-{name}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn app() -> App {
    let root = tmp_dir("app");
    let dist = root.join("dist");
    let www = root.join("www");
    std::fs::create_dir_all(dist.join("pkg")).unwrap();
    std::fs::create_dir_all(www.join("demo")).unwrap();
    std::fs::write(dist.join("pkg/interpay_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dist.join("interpay.js"), b"export {};").unwrap();
    std::fs::write(www.join("demo/index.html"), b"<!doctype html><title>demo</title>").unwrap();
    std::fs::write(www.join("sandbox-wallet.js"), b"// wallet").unwrap();
    std::fs::write(root.join("secret.txt"), b"secret").unwrap();
    App::new(Paths { dist, www })
}

fn post(app: &App, path: &str, body: Value) -> (u16, Value) {
    let r = app.handle("POST", path, &serde_json::to_vec(&body).unwrap());
    (r.status, r.json_body())
}

fn get(app: &App, path: &str) -> (u16, Value) {
    let r = app.handle("GET", path, b"");
    (r.status, r.json_body())
}

fn error_code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("<no error code>")
}

#[test]
fn static_test_code_is_well_formed() {
    let s = static_code();
    assert!(s.starts_with("000201010211"));
    assert_eq!(s.len(), s.find("6304").unwrap() + 8);
}

#[test]
fn dynamic_order_is_created_with_the_codes_amount() {
    let app = app();
    let (status, v) = post(
        &app,
        "/api/orders",
        json!({ "payload": DYNAMIC, "payment": {}, "wallet": "sandbox", "amount": "23.72", "currency": "CNY" }),
    );
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["amount"], "23.72");
    assert_eq!(v["currency"], "CNY");
    assert_eq!(v["wallet"], "sandbox");
    assert!(v["wallet_params"].is_object(), "{v}");
    let id = v["order_id"].as_str().unwrap();
    assert!(id.starts_with("ord_"));
    assert_eq!(v["status_url"], format!("/api/orders/{id}"));

    let (status, s) = get(&app, v["status_url"].as_str().unwrap());
    assert_eq!(status, 200);
    assert_eq!(s, json!({ "order_id": id, "status": "created", "amount": "23.72", "currency": "CNY" }));
}

#[test]
fn dynamic_order_without_amount_takes_the_codes_amount() {
    let app = app();
    let (status, v) = post(&app, "/api/orders", json!({ "payload": DYNAMIC, "wallet": "sandbox" }));
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["amount"], "23.72");
    assert_eq!(v["currency"], "CNY");
}

#[test]
fn browser_parsed_payment_is_never_trusted() {
    let app = app();
    // The browser claims a 0.01 payment; the raw code says 23.72.
    let forged = json!({ "format": "emv_mpm", "amount": "0.01", "currency": { "code": "CNY", "numeric": "156", "minor_units": 2 } });
    let (status, v) =
        post(&app, "/api/orders", json!({ "payload": DYNAMIC, "payment": forged, "wallet": "sandbox", "amount": "0.01" }));
    assert_eq!(status, 422, "{v}");
    assert_eq!(error_code(&v), "amount_mismatch");
    let (status, v) = post(&app, "/api/orders", json!({ "payload": DYNAMIC, "payment": forged, "wallet": "sandbox" }));
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["amount"], "23.72");
}

#[test]
fn dynamic_amount_and_currency_must_match_the_code() {
    let app = app();
    let (status, v) = post(&app, "/api/orders", json!({ "payload": DYNAMIC, "wallet": "sandbox", "amount": "23.71" }));
    assert_eq!((status, error_code(&v)), (422, "amount_mismatch"));
    let (status, v) = post(&app, "/api/orders", json!({ "payload": DYNAMIC, "wallet": "sandbox", "currency": "USD" }));
    assert_eq!((status, error_code(&v)), (422, "currency_mismatch"));
    // Same value, other notation: accepted.
    let (status, v) = post(&app, "/api/orders", json!({ "payload": DYNAMIC, "wallet": "sandbox", "amount": "23.720" }));
    assert_eq!(status, 201, "{v}");
}

#[test]
fn static_code_takes_the_shoppers_amount() {
    let app = app();
    let code = static_code();
    let (status, v) = post(&app, "/api/orders", json!({ "payload": code, "wallet": "sandbox", "amount": "12.5", "currency": "CNY" }));
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["amount"], "12.50");
    assert_eq!(v["currency"], "CNY");

    for (amount, code_expected) in [
        (json!(null), "missing_amount"),
        (json!("0"), "invalid_amount"),
        (json!("-3"), "invalid_amount"),
        (json!("1.234"), "invalid_amount"),
        (json!("99999999"), "amount_too_large"),
    ] {
        let (status, v) = post(&app, "/api/orders", json!({ "payload": code, "wallet": "sandbox", "amount": amount }));
        assert_eq!((status, error_code(&v)), (422, code_expected), "amount {amount}: {v}");
    }
    let (status, v) = post(&app, "/api/orders", json!({ "payload": code, "wallet": "sandbox", "amount": "12,50" }));
    assert_eq!((status, error_code(&v)), (400, "bad_amount"));
}

#[test]
fn non_payment_and_broken_codes_are_refused() {
    let app = app();
    let (status, v) = post(&app, "/api/orders", json!({ "payload": "https://example.com/menu", "wallet": "sandbox" }));
    assert_eq!((status, error_code(&v)), (422, "not_payment"));
    // Last CRC digit altered.
    let broken = format!("{}B", &DYNAMIC[..DYNAMIC.len() - 1]);
    let (status, v) = post(&app, "/api/orders", json!({ "payload": broken, "wallet": "sandbox" }));
    assert_eq!(status, 422, "{v}");
    assert!(["invalid_payload", "not_payment"].contains(&error_code(&v)), "{v}");
}

#[test]
fn malformed_requests_get_typed_errors() {
    let app = app();
    let r = app.handle("POST", "/api/orders", b"{not json");
    assert_eq!((r.status, error_code(&r.json_body()).to_string()), (400, "bad_json".to_string()));
    let (status, v) = post(&app, "/api/orders", json!([1, 2]));
    assert_eq!((status, error_code(&v)), (400, "bad_json"));
    let (status, v) = post(&app, "/api/orders", json!({ "wallet": "sandbox" }));
    assert_eq!((status, error_code(&v)), (400, "missing_payload"));
    let (status, v) = post(&app, "/api/orders", json!({ "payload": DYNAMIC }));
    assert_eq!((status, error_code(&v)), (400, "missing_wallet"));
    let (status, v) = post(&app, "/api/orders", json!({ "payload": DYNAMIC, "wallet": "mallory_pay" }));
    assert_eq!((status, error_code(&v)), (400, "unknown_wallet"));
    // A real wallet that cannot settle the code's scheme is refused (the sandbox wallet pays anything).
    let (status, v) = post(&app, "/api/orders", json!({ "payload": DYNAMIC, "wallet": "wechat_jsapi" }));
    assert_eq!((status, error_code(&v)), (422, "wallet_not_supported"), "{v}");
    let (status, v) = post(&app, "/api/orders", json!({ "payload": "wxp://f2f0e5RxTnJ1dVQbW8uH3VmWC5eVHhrjXq0Y", "wallet": "alipay_app", "amount": "1.00" }));
    assert_eq!((status, error_code(&v)), (422, "wallet_not_supported"), "{v}");
    let (status, v) = post(&app, "/api/orders", json!({ "payload": "wxp://f2f0e5RxTnJ1dVQbW8uH3VmWC5eVHhrjXq0Y", "wallet": "wechat_jsapi", "amount": "1.00" }));
    assert_eq!(status, 201, "{v}");
    let (status, v) = post(&app, "/api/orders", json!({ "payload": "x".repeat(9000), "wallet": "sandbox" }));
    assert_eq!((status, error_code(&v)), (422, "payload_too_long"));
    let big = vec![b' '; 70 * 1024];
    assert_eq!(app.handle("POST", "/api/orders", &big).status, 413);
    let r = app.handle("GET", "/api/orders", b"");
    assert_eq!(r.status, 405);
    let (status, v) = get(&app, "/api/orders/ord_nope");
    assert_eq!((status, error_code(&v)), (404, "order_not_found"));
}

#[test]
fn sandbox_wallet_notification_moves_the_order() {
    let app = app();
    let (_, v) = post(&app, "/api/orders", json!({ "payload": DYNAMIC, "wallet": "sandbox" }));
    let id = v["order_id"].as_str().expect("order created").to_string();

    let (status, v) = post(&app, "/sandbox/wallet/pay", json!({ "order_id": id, "result": "cancelled" }));
    assert_eq!(status, 200, "{v}");
    assert_eq!(get(&app, &format!("/api/orders/{id}")).1["status"], "cancelled");
    let (status, _) = post(&app, "/sandbox/wallet/pay", json!({ "order_id": id, "result": "failed" }));
    assert_eq!(status, 200);
    assert_eq!(get(&app, &format!("/api/orders/{id}")).1["status"], "failed");
    let (status, _) = post(&app, "/sandbox/wallet/pay", json!({ "order_id": id, "result": "paid" }));
    assert_eq!(status, 200);
    assert_eq!(get(&app, &format!("/api/orders/{id}")).1["status"], "paid");
    // Paid is final.
    let (status, v) = post(&app, "/sandbox/wallet/pay", json!({ "order_id": id, "result": "cancelled" }));
    assert_eq!((status, error_code(&v)), (409, "already_paid"));

    let (status, v) = post(&app, "/sandbox/wallet/pay", json!({ "order_id": "ord_nope", "result": "paid" }));
    assert_eq!((status, error_code(&v)), (404, "order_not_found"));
    let (status, v) = post(&app, "/sandbox/wallet/pay", json!({ "order_id": id, "result": "maybe" }));
    assert_eq!((status, error_code(&v)), (400, "bad_result"));
}

#[test]
fn static_files_have_the_right_types_and_csp() {
    let app = app();
    let r = app.handle("GET", "/", b"");
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("text/html"));
    let csp = r.headers.iter().find(|(k, _)| k == "Content-Security-Policy").map(|(_, v)| v.as_str());
    assert_eq!(csp, Some(CSP));
    assert!(CSP.contains("script-src 'self' 'wasm-unsafe-eval'"));

    let r = app.handle("GET", "/interpay/pkg/interpay_bg.wasm", b"");
    assert_eq!((r.status, r.content_type.as_str()), (200, "application/wasm"));
    let r = app.handle("GET", "/interpay/interpay.js?v=1", b"");
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("text/javascript"));
    assert!(!r.headers.iter().any(|(k, _)| k == "Content-Security-Policy"));
    let r = app.handle("GET", "/sandbox-wallet.js", b"");
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("text/javascript"));

    assert_eq!(app.handle("GET", "/nope.html", b"").status, 404);
    for evil in ["/../secret.txt", "/interpay/../../secret.txt", "/%2e%2e/secret.txt", "/.git/config"] {
        let r = app.handle("GET", evil, b"");
        assert!(r.status == 400 || r.status == 404, "{evil} → {}", r.status);
        assert_ne!(r.body, b"secret");
    }
    assert_eq!(app.handle("DELETE", "/", b"").status, 405);
}

/// Minimal HTTP/1.1 client for the round trip (Connection: close).
fn http(addr: &str, method: &str, path: &str, body: &str) -> (u16, String, String) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_string(), body.to_string())
}

#[test]
fn http_round_trip_on_an_ephemeral_port() {
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
    let addr = server.server_addr().to_ip().unwrap().to_string();
    let app = Arc::new(app());
    let s2 = server.clone();
    let t = std::thread::spawn(move || sandbox_merchant::serve(s2, app, 2));

    let (status, _, body) = http(&addr, "GET", "/api/health", "");
    assert_eq!(status, 200);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), json!({ "ok": true }));

    let (status, head, _) = http(&addr, "GET", "/interpay/pkg/interpay_bg.wasm", "");
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("content-type: application/wasm"), "{head}");

    let (status, head, _) = http(&addr, "GET", "/", "");
    assert_eq!(status, 200);
    assert!(head.contains(CSP), "{head}");

    let req = json!({ "payload": DYNAMIC, "wallet": "sandbox", "amount": "23.72", "currency": "CNY" }).to_string();
    let (status, _, body) = http(&addr, "POST", "/api/orders", &req);
    assert_eq!(status, 201, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    let (status, _, body) = http(&addr, "GET", v["status_url"].as_str().unwrap(), "");
    assert_eq!(status, 200);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["status"], "created");

    server.unblock();
    server.unblock();
    drop(server);
    let _ = t; // worker threads exit when the server is unblocked; don't wait on them
}

#[test]
fn many_simultaneous_keep_alive_connections_are_all_served() {
    // Browsers open up to 6 keep-alive connections per host; none may wait for another to close.
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
    let addr = server.server_addr().to_ip().unwrap().to_string();
    let s2 = server.clone();
    std::thread::spawn(move || sandbox_merchant::serve(s2, Arc::new(app()), 4));
    let socks: Vec<std::net::TcpStream> = (0..8)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(&addr).unwrap();
            s.set_read_timeout(Some(std::time::Duration::from_secs(5))).unwrap();
            write!(s, "GET /api/health HTTP/1.1\r\nHost: {addr}\r\nConnection: keep-alive\r\n\r\n").unwrap();
            s
        })
        .collect();
    // Like a browser: read each response, then close that connection as the response asks.
    for (i, mut s) in socks.into_iter().enumerate() {
        let mut buf = [0u8; 512];
        let n = s.read(&mut buf).unwrap_or_else(|e| panic!("connection {i} got no response: {e}"));
        let text = String::from_utf8_lossy(&buf[..n]);
        assert!(text.starts_with("HTTP/1.1 200"), "connection {i}: {text}");
        assert!(text.to_ascii_lowercase().contains("connection: close"), "{text}");
        drop(s);
    }
    server.unblock();
}
