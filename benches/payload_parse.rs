//! Parse throughput over the vector set (tests/data/payment-vectors.jsonl): payloads per second,
//! overall and per format family. `cargo bench --bench payload_parse`. Set PAYLOAD_VECTORS=FILE to time
//! another vector file (e.g. an older copy of the set, to compare figures before and after a change on the
//! same inputs).

use interpay::payload;
use std::time::{Duration, Instant};

fn main() {
    let path = std::env::var("PAYLOAD_VECTORS").unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/payment-vectors.jsonl").to_string());
    let text = std::fs::read_to_string(&path).expect("vectors");
    let vectors: Vec<(String, String)> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            (v["scheme"].as_str().unwrap_or("?").to_string(), v["payload"].as_str().unwrap_or("").to_string())
        })
        .collect();
    let now = payload::now_ms();
    let run = |set: &[&str], budget: Duration| -> (u64, Duration) {
        let start = Instant::now();
        let mut n = 0u64;
        while start.elapsed() < budget {
            for s in set {
                std::hint::black_box(payload::parse_at(std::hint::black_box(s), now).is_ok());
                n += 1;
            }
        }
        (n, start.elapsed())
    };
    let all: Vec<&str> = vectors.iter().map(|v| v.1.as_str()).collect();
    run(&all, Duration::from_millis(300)); // warm-up
    let (n, t) = run(&all, Duration::from_secs(3));
    let rate = n as f64 / t.as_secs_f64();
    println!("payload_parse: {} vectors, {n} parses in {:.2}s: {rate:.0} payloads/s ({:.2} µs each)", all.len(), t.as_secs_f64(), 1e6 / rate);
    let mut families: Vec<&str> = vectors.iter().map(|v| v.0.as_str()).collect();
    families.sort();
    families.dedup();
    for fam in ["emv-mpm", "pix", "khqr", "vietqr", "epc-sct", "swiss-qr-bill", "bip21", "bolt11", "eip681", "upi"] {
        if !families.contains(&fam) {
            continue;
        }
        let set: Vec<&str> = vectors.iter().filter(|v| v.0 == fam).map(|v| v.1.as_str()).collect();
        let (n, t) = run(&set, Duration::from_millis(500));
        println!("  {fam:<14} {:>10.0} payloads/s", n as f64 / t.as_secs_f64());
    }
}
