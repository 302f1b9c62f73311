//! Typed errors (code, character position, tag path), warnings, non-payment kinds, and a stable-Rust
//! mutation loop (the cargo-fuzz target fuzz/fuzz_targets/parse_payload.rs needs nightly features).

mod common;

use common::{pay as payment, refused as err, with_crc, Rng};
use interpay::payload::{self, Code, ErrorCode, WarningCode};

#[test]
fn bad_crc_names_expected_and_found() {
    let good = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";
    let bad = good.replace("6304A13A", "6304A13B");
    let e = err(&bad);
    assert_eq!(e.code, ErrorCode::BadCrc);
    assert_eq!(e.tag.as_deref(), Some("63"));
    // Position in characters (the payload has multi-byte characters before the CRC).
    assert_eq!(e.position, bad.chars().count() - 4);
    assert!(e.message.contains("expected A13A") && e.message.contains("found A13B"), "{}", e.message);
    // The typed code serialises as the same snake_case string as before (JSON, CLI, wasm events).
    let j = serde_json::to_value(&e).unwrap();
    assert_eq!(j["code"], "bad_crc");
    assert_eq!(serde_json::from_value::<payload::ParseError>(j).unwrap(), e);
    assert_eq!(e.code.to_string(), "bad_crc");
}

#[test]
fn positions_and_tags() {
    // truncated length inside a template: 26 says 30 but only 10 follow.
    let e = err("000201010212263000140123456789");
    assert_eq!(e.code, ErrorCode::Truncated);
    assert_eq!(e.tag.as_deref(), Some("26"));
    assert_eq!(e.position, 14);
    // duplicate tag
    let e = err(&with_crc("00020101021215041234530315654011540125802CN5901A6001B"));
    assert_eq!((e.code, e.tag.as_deref(), e.position), (ErrorCode::DuplicateTag, Some("54"), 32));
    // non-numeric amount names 54 and the value's position
    let e = err(&with_crc("000201010212150412345303156540512,305802CN5901A6001B"));
    assert_eq!((e.code, e.tag.as_deref(), e.position), (ErrorCode::NonNumericAmount, Some("54"), 31));
    // unknown currency
    let e = err(&with_crc("0002010102121504123453039995802CN5901A6001B").replace("5303999", "5303000"));
    assert!(e.code == ErrorCode::UnknownCurrency || e.code == ErrorCode::BadCrc);
    let e = err(&with_crc("0002010102121504123453030005802CN5901A6001B"));
    assert_eq!((e.code, e.tag.as_deref()), (ErrorCode::UnknownCurrency, Some("53")));
    // bad tag inside a template: "26.0x"
    let e = err(&with_crc("00020101021226080x02ab125303156"));
    assert_eq!((e.code, e.tag.as_deref(), e.position), (ErrorCode::BadTag, Some("26"), 16));
    // wrong scheme field: PIX code in USD
    let e = err(&with_crc("00020126330014br.gov.bcb.pix0111123456789015204000053038405802BR5901A6001B62070503***"));
    assert_eq!((e.code, e.tag.as_deref()), (ErrorCode::BadSchemeField, Some("53")));
    // point of initiation
    let e = err(&with_crc("000201010213150412345303156"));
    assert_eq!((e.code, e.tag.as_deref(), e.position), (ErrorCode::BadPointOfInitiation, Some("01"), 10));
    // CRC not last
    let e = err("00020163041234150412345303156");
    assert_eq!((e.code, e.tag.as_deref()), (ErrorCode::BadOrder, Some("63")));
    // Display names position and tag.
    assert!(e.to_string().contains("position 6") && e.to_string().contains("tag 63"), "{e}");
}

#[test]
fn warnings_for_codes_that_look_wrong() {
    let p = payment(&with_crc("000201010212150412345303156540105802CN5901A6001B"));
    assert!(p.warnings.iter().any(|w| w.code == WarningCode::AmountZeroDynamic), "{:?}", p.warnings);
    let p = payment(&with_crc("000201010211150412345303392540410005802CN5901A6001B52045812"));
    let codes: Vec<&str> = p.warnings.iter().map(|w| w.code.as_str()).collect();
    assert!(codes.contains(&"country_currency_mismatch"), "{codes:?}");
    let j = serde_json::to_value(&p.warnings).unwrap();
    assert!(j.as_array().unwrap().iter().any(|w| w["code"] == "country_currency_mismatch"), "{j}");
    // Lookalike domain in a UPI callback URL.
    let Code::Payment(p) = payload::parse("upi://pay?pa=shop@ybl&pn=Shop&url=https://qr.alipay.com.verify-account.example/x").unwrap() else { panic!() };
    assert!(p.warnings.iter().any(|w| w.code == WarningCode::LookalikeDomain));
    // BIP21 payment-request URL on a typo host.
    let Code::Payment(p) = payload::parse("bitcoin:1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH?r=https://bitpay.co/i/1").unwrap() else { panic!() };
    assert!(p.warnings.iter().any(|w| w.code == WarningCode::LookalikeDomain), "{:?}", p.warnings);
}

#[test]
fn lookalike_detection() {
    use payload::urls::lookalike;
    for bad in ["qr.alipay.com.evil.example", "qr.a1ipay.com", "qr.aliipay.com", "alipay-secure.com", "alipay.co", "payapp.weixin.qq.com.cn-pay.top", "qr.95516.com.example", "paypa1.com", "qr.\u{430}lipay.com", "xn--alipay-u2a.com"] {
        assert!(lookalike(bad).is_some(), "{bad} should be flagged");
    }
    for good in ["qr.alipay.com", "render.alipay.com", "payapp.weixin.qq.com", "qr.95516.com", "www.paypal.com", "example.com", "google.com", "github.com", "shop.example.co.uk", "pay.google.com", "apple.com"] {
        assert_eq!(lookalike(good), None, "{good} flagged");
    }
}

#[test]
fn non_payment_kinds() {
    let cases = [
        ("https://example.com/menu", "url"),
        ("http://example.com", "url"),
        ("BEGIN:VCARD\nVERSION:3.0\nFN:Ann\nEND:VCARD", "contact"),
        ("MECARD:N:Ann;TEL:123;;", "contact"),
        ("WIFI:T:WPA;S:cafe;P:secret;;", "wifi"),
        ("mailto:ann@example.com", "email"),
        ("ann@example.com", "email"),
        ("MATMSG:TO:ann@example.com;SUB:Hi;;", "email"),
        ("tel:+33123456789", "phone"),
        ("SMSTO:+33123456789:hello", "sms"),
        ("geo:48.85,2.35", "geo"),
        ("hello world", "text"),
        ("", "empty"),
        ("spotify:track:abc", "uri"),
        ("BEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT", "event"),
    ];
    for (t, what) in cases {
        match payload::parse(t) {
            Ok(Code::NotPayment(n)) => assert_eq!(n.what, what, "{t:?}"),
            other => panic!("{t:?}: {other:?}"),
        }
    }
    // JSON shape consumed by the widget.
    let j = serde_json::to_value(payload::parse("https://example.com").unwrap()).unwrap();
    assert_eq!(j["kind"], "not_payment");
    assert_eq!(j["what"], "url");
    assert_eq!(j["warnings"], serde_json::json!([]));
}

/// A plain link that imitates a payment provider is not a payment, and its NotPayment carries the warning
/// (serialised, so the widget's "not a payment" screen can show it).
#[test]
fn not_payment_links_carry_their_warnings() {
    for (link, shows) in [
        ("https://evil.com\\@qr.alipay.com/bax01234", "evil.com"),
        ("https://secure-paypal.com.evil.io/login", "paypal.com"),
        ("https://xn--pypal-4ve.com/", "p\u{430}ypal.com (xn--pypal-4ve.com) imitates paypal.com"),
        ("http://paypal.login.com/", "paypal.com"),
    ] {
        let Ok(Code::NotPayment(n)) = payload::parse(link) else { panic!("{link} is not a plain link") };
        assert_eq!(n.what, "url");
        assert!(n.warnings.iter().any(|w| w.code == WarningCode::LookalikeDomain && w.message.contains(shows)), "{link}: {:?}", n.warnings);
        let j = serde_json::to_value(Code::NotPayment(n)).unwrap();
        assert_eq!(j["warnings"][0]["code"], "lookalike_domain", "{j}");
    }
    // http:// is flagged too.
    let Ok(Code::NotPayment(n)) = payload::parse("http://paypal.login.com/") else { panic!() };
    assert!(n.warnings.iter().any(|w| w.code == WarningCode::InsecureUrl));
}

#[test]
fn payment_json_shape() {
    let p = payload::parse("00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A").unwrap();
    let j = serde_json::to_value(&p).unwrap();
    assert_eq!(j["kind"], "payment");
    assert_eq!(j["amount"], "23.72", "amounts are exact decimal strings");
    assert_eq!(j["currency"]["code"], "CNY");
    assert_eq!(j["currency"]["minor_units"], 2);
    assert_eq!(j["initiation"], "dynamic");
    assert_eq!(j["payee"]["name_alt"], "最佳运输");
    assert_eq!(j["tip"]["rule"], "prompt");
    assert_eq!(j["tlv"][2]["tag"], "29");
    assert_eq!(j["tlv"][2]["children"][0]["value"], "D15600000000");
    // Round-trips through serde (the sandbox merchant deserialises it).
    let back: payload::Code = serde_json::from_value(j).unwrap();
    assert_eq!(back, p);
}

/// Stable-Rust mutation loop over the vectors: no input may panic (runs in `cargo test`).
#[test]
fn mutations_never_panic() {
    let seeds: Vec<Vec<char>> = common::vectors().iter().map(|v| v["payload"].as_str().unwrap().chars().collect()).collect();
    let alphabet: Vec<char> = "0123456789ABCDEFabcdef.:/?&=@-_ \n\r\t%*+#最北ё\u{0}\u{301}😀é\\[]ａа".chars().collect();
    let iterations: usize = std::env::var("PAYLOAD_MUTATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let mut rng = Rng(0x9E3779B97F4A7C15);
    let mut parsed = 0;
    for _ in 0..iterations {
        let mut s = seeds[rng.index(seeds.len())].clone();
        for _ in 0..1 + rng.index(4) {
            let pos = rng.index(s.len() + 1);
            match rng.index(6) {
                0 if !s.is_empty() => {
                    s.remove(pos.min(s.len() - 1));
                }
                1 => s.insert(pos, alphabet[rng.index(alphabet.len())]),
                2 if !s.is_empty() => {
                    let i = pos.min(s.len() - 1);
                    s[i] = alphabet[rng.index(alphabet.len())];
                }
                3 => s.truncate(pos),
                4 => {
                    // splice another seed's tail
                    let other = &seeds[rng.index(seeds.len())];
                    let from = rng.index(other.len() + 1);
                    s.truncate(pos);
                    s.extend_from_slice(&other[from..]);
                }
                _ => {
                    // change a length digit pair, keeping the CRC consistent half of the time
                    if s.len() > 4 {
                        let i = rng.index(s.len() - 1);
                        s[i] = char::from(b'0' + rng.index(10) as u8);
                    }
                }
            }
        }
        let mut t: String = s.into_iter().collect();
        if t.starts_with("00") && rng.index(2) == 0 {
            // Fix up the CRC so mutations reach the semantic checks.
            if let Some(i) = t.rfind("6304") {
                if t.is_char_boundary(i + 4) {
                    t.truncate(i + 4);
                    let crc = payload::crc::crc16_hex(&t);
                    t.push_str(&crc);
                }
            }
        }
        if let Ok(Code::Payment(p)) = payload::parse_at(&t, Some(1_700_000_000_000)) {
            parsed += 1;
            let _ = serde_json::to_string(&p).unwrap();
            if p.format == "emv_mpm" {
                if let Ok(g) = payload::generate(&p) {
                    assert!(payload::parse_at(&g, Some(1_700_000_000_000)).is_ok(), "generated payload from {t:?} does not parse: {g}");
                }
            }
        }
        for f in ["emv_mpm", "epc", "swiss_qr", "bip21", "bolt11", "eip681", "upi"] {
            let _ = payload::parse_as(f, &t);
        }
        let _ = payload::urls::lookalike(&t);
    }
    println!("{iterations} mutations, {parsed} still parsed as payments, no panic");
}
