//! The reader module (decoder worker) parses each scanned text and sends the widget module the
//! result as JSON; the widget has no parser of its own and acts on what arrives. So every reading —
//! payment, not-a-payment, and error — must come back from JSON exactly as it left.

use interpay::payload::{self, Code, ParseError};
use serde_json::Value;

#[test]
fn every_vectors_reading_survives_the_json_trip_to_the_widget() {
    let data = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/payment-vectors.jsonl")).unwrap();
    let (mut ok, mut err) = (0, 0);
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).unwrap();
        let text = v["payload"].as_str().unwrap();
        match payload::parse(text) {
            Ok(code) => {
                let json = serde_json::to_string(&code).unwrap();
                let back: Code = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{text:?}: {e}\n{json}"));
                assert_eq!(back, code, "{text:?} changed on the way: {json}");
                ok += 1;
            }
            Err(e) => {
                let json = serde_json::to_string(&e).unwrap();
                let back: ParseError = serde_json::from_str(&json).unwrap();
                assert_eq!(back, e, "{text:?}");
                err += 1;
            }
        }
    }
    assert!(ok > 150 && err > 30, "the vector file is read ({ok} codes, {err} errors)");
}
