//! Helpers shared by the native integration tests (`mod common;` in a test file): the payment
//! vectors and parsing helpers, a CRC completer for hand-built EMVCo bodies, the QR renderer
//! ([`qr`]) and the deterministic generator ([`rng`]). Each test crate uses only some of them,
//! hence `dead_code` is allowed here.
#![allow(dead_code)]

pub mod frames;
pub mod qr;
pub mod rng;

#[allow(unused_imports)]
pub use rng::Rng;

use interpay::payload::{self, Code, ParseError, Payment};
use serde_json::Value;

pub const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/payment-vectors.jsonl");

/// Every vector of tests/data/payment-vectors.jsonl, in file order.
pub fn vectors() -> Vec<Value> {
    let text = std::fs::read_to_string(VECTORS).unwrap();
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// The payload of the vector whose payload starts with `prefix` (exactly one must).
pub fn vector_starting(prefix: &str) -> String {
    let hits: Vec<String> = vectors().iter().filter_map(|v| v["payload"].as_str()).filter(|p| p.starts_with(prefix)).map(str::to_string).collect();
    assert_eq!(hits.len(), 1, "{} vectors start with {prefix:?}", hits.len());
    hits.into_iter().next().unwrap()
}

/// The payload of the vector whose payload contains `fragment` (exactly one must).
pub fn vector_with(fragment: &str) -> String {
    let hits: Vec<String> = vectors().iter().filter_map(|v| v["payload"].as_str()).filter(|p| p.contains(fragment)).map(str::to_string).collect();
    assert_eq!(hits.len(), 1, "{} vectors contain {fragment:?}", hits.len());
    hits.into_iter().next().unwrap()
}

/// `text` must parse as a payment (clock = now).
pub fn pay(text: &str) -> Payment {
    match payload::parse(text) {
        Ok(Code::Payment(p)) => p,
        other => panic!("{text:?}: {other:?}"),
    }
}

/// `text` must parse as a payment with the clock at `now_ms`.
pub fn pay_at(text: &str, now_ms: i64) -> Payment {
    match payload::parse_at(text, Some(now_ms)) {
        Ok(Code::Payment(p)) => p,
        other => panic!("{text:?}: {other:?}"),
    }
}

/// `text` must be refused.
pub fn refused(text: &str) -> ParseError {
    match payload::parse(text) {
        Err(e) => e,
        other => panic!("{text:?} parsed: {other:?}"),
    }
}

/// An EMVCo body (without 63) completed with its CRC object.
pub fn with_crc(body: &str) -> String {
    let b = format!("{body}6304");
    let crc = payload::crc::crc16_hex(&b);
    b + &crc
}
