//! The merchant contract (docs/merchant-contract.md) over HTTP on 127.0.0.1: create, validation errors,
//! status, bills, tips and fees, the sandbox notification, static files. Store-sensitive rules run on
//! SQLite and, when `DATABASE_URL` is a postgres URL, on PostgreSQL too.

mod common;
use common::*;
use serde_json::json;

#[test]
fn health_names_the_store() {
    let s = server(&backends("health")[0].1);
    let r = get(&s.url()[7..], "/api/health");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["ok"], true);
    assert_eq!(r.json()["store"], "sqlite");
    assert_eq!(r.header("cache-control"), Some("no-store"));
}

#[test]
fn another_payees_dynamic_code_takes_its_own_amount_in_sandbox_mode() {
    for (name, url) in backends("foreign") {
        let s = server(&url);
        let a = &s.url()[7..];
        let r = order(a, DYNAMIC, "sandbox", Some("23.72"));
        assert_eq!(r.status, 201, "{name}: {}", r.text());
        let v = r.json();
        assert_eq!((v["amount"].as_str(), v["base_amount"].as_str(), v["tip"].as_str(), v["fee"].as_str()), (Some("23.72"), Some("23.72"), Some("0.00"), Some("0.00")));
        assert_eq!(v["currency"], "CNY");
        assert_eq!(v["status"], "created");
        assert_eq!(v["payee"]["name"], "BEST TRANSPORT");
        assert_eq!(v["payee"]["verified"], false);
        let id = v["order_id"].as_str().unwrap();
        assert!(id.starts_with("ord_") && id.len() == 30, "{id}");
        assert_eq!(v["status_url"], format!("/api/orders/{id}"));
        assert_eq!(r.header("location"), Some(v["status_url"].as_str().unwrap()));
        let st = get(a, &format!("/api/orders/{id}")).json();
        assert_eq!((st["order_id"].as_str(), st["status"].as_str(), st["amount"].as_str()), (Some(id), Some("created"), Some("23.72")));
        // Without an amount, the code's.
        assert_eq!(order(a, DYNAMIC, "sandbox", None).json()["amount"], "23.72", "{name}");
        // Another amount: refused, typed.
        let r = order(a, DYNAMIC, "sandbox", Some("0.01"));
        assert_eq!((r.status, r.error_code()), (422, "amount_mismatch".into()), "{name}");
    }
}

#[test]
fn browser_parsed_payment_and_currency_are_never_trusted() {
    let s = server(&backends("trust")[0].1);
    let a = &s.url()[7..];
    let forged = json!({ "format": "emv_mpm", "amount": "0.01" });
    let r = post_json(a, "/api/orders", &json!({ "payload": DYNAMIC, "payment": forged, "wallet": "sandbox" }));
    assert_eq!(r.json()["amount"], "23.72");
    let r = post_json(a, "/api/orders", &json!({ "payload": DYNAMIC, "wallet": "sandbox", "currency": "USD" }));
    assert_eq!((r.status, r.error_code()), (422, "currency_mismatch".into()));
}

#[test]
fn static_code_takes_the_shoppers_amount_within_limits() {
    let s = server(&backends("static")[0].1);
    let a = &s.url()[7..];
    let r = order(a, CAFE_STATIC, "sandbox", Some("12.5"));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["amount"], "12.50");
    assert_eq!(r.json()["payee"]["verified"], true, "this merchant's own sticker");
    for (amount, code) in [(None, "missing_amount"), (Some("0"), "invalid_amount"), (Some("-3"), "invalid_amount"), (Some("1.234"), "invalid_amount"), (Some("1000001"), "amount_too_large")] {
        let r = order(a, CAFE_STATIC, "sandbox", amount);
        assert_eq!((r.status, r.error_code()), (422, code.to_string()), "{amount:?}");
    }
    let r = order(a, CAFE_STATIC, "sandbox", Some("abc"));
    assert_eq!((r.status, r.error_code()), (400, "bad_amount".into()));
}

#[test]
fn malformed_requests_get_typed_errors() {
    let s = server(&backends("malformed")[0].1);
    let a = &s.url()[7..];
    let r = request(a, "POST", "/api/orders", &[("Content-Type", "application/json")], b"{not json");
    assert_eq!((r.status, r.error_code()), (400, "bad_json".into()));
    let r = post_json(a, "/api/orders", &json!({ "wallet": "sandbox" }));
    assert_eq!((r.status, r.error_code()), (400, "missing_payload".into()));
    let r = post_json(a, "/api/orders", &json!({ "payload": DYNAMIC }));
    assert_eq!((r.status, r.error_code()), (400, "missing_wallet".into()));
    let r = post_json(a, "/api/orders", &json!({ "payload": DYNAMIC, "wallet": "bank_of_mars" }));
    assert_eq!((r.status, r.error_code()), (400, "unknown_wallet".into()));
    let r = post_json(a, "/api/orders", &json!({ "payload": "https://example.com/menu", "wallet": "sandbox" }));
    assert_eq!((r.status, r.error_code()), (422, "not_payment".into()));
    let broken = DYNAMIC.replace("6304A13A", "6304FFFF");
    let r = post_json(a, "/api/orders", &json!({ "payload": broken, "wallet": "sandbox" }));
    assert_eq!((r.status, r.error_code()), (422, "invalid_payload".into()));
    let pix = with_crc("00020101021226360014br.gov.bcb.pix0114+5511999999999520400005303986540512.505802BR5912Cafe Sandbox6009Sao Paulo");
    let r = post_json(a, "/api/orders", &json!({ "payload": pix, "wallet": "wechat_jsapi" }));
    assert_eq!((r.status, r.error_code()), (422, "wallet_not_supported".into()), "{}", r.text());
    let big = vec![b'x'; 70 * 1024];
    let r = request(a, "POST", "/api/orders", &[("Content-Type", "application/json")], &big);
    assert_eq!((r.status, r.error_code()), (413, "body_too_large".into()));
    let r = request(a, "POST", "/api/orders", &[("Content-Type", "text/plain")], json!({ "payload": DYNAMIC, "wallet": "sandbox" }).to_string().as_bytes());
    assert_eq!((r.status, r.error_code()), (415, "unsupported_media_type".into()));
    let r = get(a, "/api/orders");
    assert_eq!(r.status, 405);
    assert_eq!(get(a, "/api/orders/ord_nope").error_code(), "order_not_found");
    assert_eq!(get(a, "/api/nope").status, 404);
}

#[test]
fn bills_issue_dynamic_codes_that_the_server_prices() {
    for (name, url) in backends("bills") {
        let s = server(&url);
        let a = &s.url()[7..];
        let b = bill(a, "18.00");
        let id = b["bill_id"].as_str().unwrap();
        assert!(id.starts_with("bil_") && id.len() == 24, "{id}");
        assert_eq!((b["amount"].as_str(), b["currency"].as_str(), b["status"].as_str()), (Some("18.00"), Some("CNY"), Some("open")));
        let payload = b["payload"].as_str().unwrap();
        // The code is a real dynamic EMVCo code for this merchant, with the bill id as 62-01.
        let interpay::payload::Code::Payment(p) = interpay::payload::parse(payload).unwrap() else { panic!("not a payment") };
        assert_eq!(p.initiation, interpay::payload::Initiation::Dynamic);
        assert_eq!(p.references.bill_number.as_deref(), Some(id));
        assert_eq!(p.payee.name.as_deref(), Some("SANDBOX CAFE"));
        assert_eq!(p.amount.map(|a| a.normalize().to_string()).as_deref(), Some("18"));
        let qr = get(a, b["qr_url"].as_str().unwrap());
        assert_eq!(qr.status, 200);
        assert!(qr.text().contains("<svg"), "{}", qr.text());
        // The order takes the bill's amount and payee.
        let r = order(a, payload, "sandbox", None);
        assert_eq!(r.status, 201, "{name}: {}", r.text());
        let o = r.json();
        assert_eq!((o["amount"].as_str(), o["bill_id"].as_str()), (Some("18.00"), Some(id)));
        assert_eq!(o["payee"], json!({ "name": "SANDBOX CAFE", "city": "BEIJING", "source": "merchant", "verified": true }));
        let r = post_json(a, "/api/resolve", &json!({ "payload": payload }));
        assert_eq!(r.json()["payee"]["name"], "SANDBOX CAFE");
        assert_eq!(r.json()["bill_id"], id);
        // Paid once; the bill says so; a second order for it is refused.
        assert_eq!(notify(a, o["order_id"].as_str().unwrap(), "paid").status, 200);
        let st = get(a, &format!("/api/bills/{id}")).json();
        assert_eq!((st["status"].as_str(), st["order_id"].as_str()), (Some("paid"), o["order_id"].as_str()));
        let r = order(a, payload, "sandbox", None);
        assert_eq!((r.status, r.error_code()), (409, "bill_already_paid".into()), "{name}");
        let r = post_json(a, "/api/bills", &json!({ "amount": "-1" }));
        assert_eq!(r.status, 422);
    }
}

#[test]
fn unknown_bill_of_this_merchant_is_refused() {
    let s = server(&backends("unknown-bill")[0].1);
    let a = &s.url()[7..];
    // The old demo's hand-made 18.00 code: this merchant's account, a bill the till never issued.
    let forged = with_crc("000201010212150812345678520458145303156540518.005802CN5912SANDBOX CAFE6007BEIJING62080104A123");
    let r = order(a, &forged, "sandbox", None);
    assert_eq!((r.status, r.error_code()), (422, "unknown_bill".into()), "{}", r.text());
}

#[test]
fn tips_and_fees_are_carried_separately_and_recomputed() {
    for (name, url) in backends("fees") {
        let s = server(&url);
        let a = &s.url()[7..];
        // A bill with a fixed 2.00 convenience fee (EMVCo 55=02, 56=2.00).
        let r = post_json(a, "/api/bills", &json!({ "amount": "20.00", "tip_rule": { "fixed": "2.00" } }));
        assert_eq!(r.status, 201, "{}", r.text());
        let payload = r.json()["payload"].as_str().unwrap().to_string();
        // Today's widget: amount = base + fee.
        let r = order(a, &payload, "sandbox", Some("22.00"));
        assert_eq!(r.status, 201, "{name}: {}", r.text());
        let v = r.json();
        assert_eq!((v["base_amount"].as_str(), v["fee"].as_str(), v["amount"].as_str()), (Some("20.00"), Some("2.00"), Some("22.00")));
        // The fee cannot be skipped, nor made up.
        let r = order(a, &payload, "sandbox", Some("20.00"));
        assert_eq!((r.status, r.error_code()), (422, "amount_mismatch".into()));
        let r = post_json(a, "/api/orders", &json!({ "payload": payload, "wallet": "sandbox", "base_amount": "20.00", "fee": "0.50", "amount": "20.50" }));
        assert_eq!((r.status, r.error_code()), (422, "fee_mismatch".into()));
        let r = post_json(a, "/api/orders", &json!({ "payload": payload, "wallet": "sandbox", "base_amount": "20.00", "tip": "1.00", "amount": "23.00" }));
        assert_eq!((r.status, r.error_code()), (422, "tip_not_allowed".into()));

        // A bill that prompts for a tip (55=01): base + tip, split.
        let r = post_json(a, "/api/bills", &json!({ "amount": "10.00", "tip_rule": "prompt" }));
        let payload = r.json()["payload"].as_str().unwrap().to_string();
        let r = post_json(a, "/api/orders", &json!({ "payload": payload, "wallet": "sandbox", "base_amount": "10.00", "tip": "1.50", "fee": "0", "amount": "11.50" }));
        assert_eq!(r.status, 201, "{}", r.text());
        let v = r.json();
        assert_eq!((v["tip"].as_str(), v["amount"].as_str()), (Some("1.50"), Some("11.50")));
        let st = get(a, v["status_url"].as_str().unwrap()).json();
        assert_eq!((st["base_amount"].as_str(), st["tip"].as_str(), st["fee"].as_str(), st["amount"].as_str()), (Some("10.00"), Some("1.50"), Some("0.00"), Some("11.50")));
        let r = post_json(a, "/api/orders", &json!({ "payload": payload, "wallet": "sandbox", "base_amount": "10.00", "tip": "1.50", "amount": "12.00" }));
        assert_eq!((r.status, r.error_code()), (422, "total_mismatch".into()));
    }
}

#[test]
fn sandbox_notification_moves_the_order_by_the_state_machine() {
    for (name, url) in backends("state") {
        let s = server(&url);
        let a = &s.url()[7..];
        let id = order(a, DYNAMIC, "sandbox", None).json()["order_id"].as_str().unwrap().to_string();
        assert_eq!(notify(a, &id, "cancelled").json()["status"], "cancelled");
        // cancelled → failed → paid was possible before: every final state is final now.
        for to in ["failed", "paid"] {
            let r = notify(a, &id, to);
            assert_eq!((r.status, r.error_code()), (409, "illegal_transition".into()), "{name}: cancelled → {to}");
        }
        assert_eq!(get(a, &format!("/api/orders/{id}")).json()["status"], "cancelled");
        let id = order(a, CAFE_STATIC, "unionpay", Some("4.00")).json()["order_id"].as_str().unwrap().to_string();
        assert_eq!(notify(a, &id, "paid").json()["status"], "paid");
        // A repeated notification is harmless; any other is refused.
        assert_eq!(notify(a, &id, "paid").json()["changed"], false);
        let r = notify(a, &id, "cancelled");
        assert_eq!((r.status, r.error_code()), (409, "already_paid".into()));
        assert_eq!(notify(a, "ord_nope", "paid").error_code(), "order_not_found");
        assert_eq!(notify(a, &id, "maybe").error_code(), "bad_result");
    }
}

#[test]
fn idempotency_key_replays_the_same_order() {
    for (name, url) in backends("idem") {
        let s = server(&url);
        let a = &s.url()[7..];
        let key = format!("key-{name}-{}", std::process::id());
        let body = json!({ "payload": CAFE_STATIC, "wallet": "sandbox", "amount": "7.00" });
        let r1 = post_json_with(a, "/api/orders", &[("Idempotency-Key", &key)], &body);
        assert_eq!(r1.status, 201, "{}", r1.text());
        let r2 = post_json_with(a, "/api/orders", &[("Idempotency-Key", &key)], &body);
        assert_eq!(r2.status, 200);
        assert_eq!(r2.header("idempotent-replayed"), Some("true"));
        assert_eq!(r1.json(), r2.json(), "{name}: the very same answer");
        let other = json!({ "payload": CAFE_STATIC, "wallet": "sandbox", "amount": "8.00" });
        let r3 = post_json_with(a, "/api/orders", &[("Idempotency-Key", &key)], &other);
        assert_eq!((r3.status, r3.error_code()), (422, "idempotency_key_reused".into()));
    }
}

#[test]
fn retry_names_the_attempt_it_replaces() {
    let s = server(&backends("replaces")[0].1);
    let a = &s.url()[7..];
    let first = order(a, CAFE_STATIC, "sandbox", Some("5.00")).json()["order_id"].as_str().unwrap().to_string();
    let r = post_json(a, "/api/orders", &json!({ "payload": CAFE_STATIC, "wallet": "unionpay", "amount": "5.00", "replaces": first }));
    assert_eq!(r.status, 201, "{}", r.text());
    let st = get(a, &format!("/api/orders/{first}")).json();
    assert_eq!((st["status"].as_str(), st["status_reason"].as_str()), (Some("cancelled"), Some("superseded")));
    // The replaced attempt was paid meanwhile: no second order.
    let second = r.json()["order_id"].as_str().unwrap().to_string();
    notify(a, &second, "paid");
    let r = post_json(a, "/api/orders", &json!({ "payload": CAFE_STATIC, "wallet": "sandbox", "amount": "5.00", "replaces": second }));
    assert_eq!((r.status, r.error_code()), (409, "already_paid".into()));
}

#[test]
fn resolve_names_the_payee_of_codes_without_a_name() {
    let s = server(&backends("resolve")[0].1);
    let a = &s.url()[7..];
    let r = post_json(a, "/api/resolve", &json!({ "payload": "wxp://f2f0TESTabcdefghijklmnop" }));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["payee"]["name"], "Interpay Sandbox Merchant");
    assert_eq!(r.json()["payee"]["source"], "sandbox");
    let r = post_json(a, "/api/resolve", &json!({ "payload": DYNAMIC }));
    assert_eq!(r.json()["payee"], json!({ "name": "BEST TRANSPORT", "city": "BEIJING", "source": "code", "verified": false }));
    assert_eq!(r.json()["amount"], "23.72");
    let r = post_json(a, "/api/resolve", &json!({ "payload": CAFE_STATIC }));
    assert_eq!(r.json()["payee"]["verified"], true);
}

#[test]
fn live_mode_has_no_sandbox_endpoint_and_refuses_other_payees() {
    let s = server_with(&backends("live")[0].1, |c| c.sandbox = false);
    let a = &s.url()[7..];
    let other = with_crc("000201010211150887654321520458145303156540512.505802CN5910OTHER SHOP6007BEIJING");
    let r = order(a, &other, "unionpay", None);
    assert_eq!((r.status, r.error_code()), (422, "payee_not_ours".into()), "{}", r.text());
    // The sandbox wallet does not exist in live mode.
    let r = order(a, CAFE_STATIC, "sandbox", Some("3.00"));
    assert_eq!((r.status, r.error_code()), (422, "wallet_not_supported".into()), "{}", r.text());
    let id = order(a, CAFE_STATIC, "unionpay", Some("3.00")).json()["order_id"].as_str().unwrap().to_string();
    let r = notify(a, &id, "paid");
    assert_eq!((r.status, r.error_code()), (404, "not_found".into()));
    assert_eq!(get(a, &format!("/api/orders/{id}")).json()["status"], "created");
}

#[test]
fn till_token_guards_the_bill_api() {
    let s = server_with(&backends("till-token")[0].1, |c| c.till_token = Some("s3cret".into()));
    let a = &s.url()[7..];
    let r = post_json(a, "/api/bills", &json!({ "amount": "1.00" }));
    assert_eq!((r.status, r.error_code()), (401, "till_unauthorized".into()));
    let r = post_json_with(a, "/api/bills", &[("Authorization", "Bearer s3cret")], &json!({ "amount": "1.00" }));
    assert_eq!(r.status, 201);
}

#[test]
fn static_files_have_types_csp_and_caching() {
    let s = server(&backends("static-files")[0].1);
    let a = &s.url()[7..];
    let r = get(a, "/");
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(r.header("content-security-policy"), Some(sandbox_merchant::CSP));
    assert_eq!(r.header("cache-control"), Some("no-cache"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert!(r.text().contains("top-level front page"), "/ is the index.html beside www/");
    // Precompressed copies: brotli when accepted (the file's own bytes otherwise), CORS for embedding from
    // another origin, immutable under a content-hashed name.
    let wasm = "/interpay/assets/interpay-ui.0a1b2c3d4e.wasm";
    let r = request(a, "GET", wasm, &[("Accept-Encoding", "gzip, deflate, br")], b"");
    assert_eq!(r.header("content-encoding"), Some("br"));
    assert_eq!(r.body, b"brotli stand-in");
    assert_eq!(r.header("content-type"), Some("application/wasm"));
    assert_eq!(r.header("vary"), Some("Accept-Encoding"));
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.header("cache-control"), Some("public, max-age=31536000, immutable"));
    let br_etag = r.header("etag").unwrap().to_string();
    let r = request(a, "GET", wasm, &[("Accept-Encoding", "identity, br;q=0")], b"");
    assert_eq!(r.body, b"\0asm\x01\0\0\0 plain", "br refused: the plain file");
    assert_ne!(r.header("etag").unwrap(), br_etag, "each encoding has its own ETag");
    assert_eq!(get(a, "/").header("access-control-allow-origin"), None, "pages are not shared");
    let r = get(a, "/interpay/pkg/interpay_bg.wasm");
    assert_eq!(r.header("content-type"), Some("application/wasm"));
    let r = get(a, "/interpay/interpay.js?v=1");
    assert!(r.header("content-type").unwrap().starts_with("text/javascript"));
    let etag = r.header("etag").expect("an ETag").to_string();
    assert!(r.header("last-modified").is_some());
    assert_eq!(r.header("cache-control"), Some("no-cache"));
    let r = request(a, "GET", "/interpay/interpay.js", &[("If-None-Match", &etag)], b"");
    assert_eq!(r.status, 304);
    assert!(r.body.is_empty());
    let lm = get(a, "/interpay/interpay.js").header("last-modified").unwrap().to_string();
    assert_eq!(request(a, "GET", "/interpay/interpay.js", &[("If-Modified-Since", &lm)], b"").status, 304);
    // Content-hashed names are immutable.
    assert_eq!(get(a, "/interpay/chunk.3f9a2c1d.js").header("cache-control"), Some("public, max-age=31536000, immutable"));
    // Compression when asked.
    let r = request(a, "GET", "/interpay/interpay.js", &[("Accept-Encoding", "gzip")], b"");
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert!(r.body.len() < 2200, "{} bytes", r.body.len());
    assert_eq!(get(a, "/sandbox-wallet.js").status, 200);
    assert_eq!(get(a, "/miniprogram/sandbox-app/").status, 200);
    assert_eq!(get(a, "/miniprogram/sandbox-app").status, 301);
    assert_eq!(get(a, "/interpay").status, 301);
    assert_eq!(get(a, "/nope.html").status, 404);
    for evil in ["/../secret.txt", "/%2e%2e/secret.txt", "/.hidden", "/interpay/../../secret.txt"] {
        let r = get(a, evil);
        assert!(r.status == 400 || r.status == 404, "{evil}: {}", r.status);
        assert!(!r.text().contains("secret"), "{evil}");
    }
    assert_eq!(request(a, "DELETE", "/", &[], b"").status, 405);
    assert_eq!(request(a, "HEAD", "/", &[], b"").status, 200);
}
