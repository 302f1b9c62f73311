//! Load figure of the merchant server: orders/s and latency percentiles for create + status, on SQLite
//! (always) and PostgreSQL (when `DATABASE_URL=postgres://…`), then the same beside hostile clients
//! (1,000 half-open connections and 16 idle requests with a Content-Length and no body).
//!
//! `bench/server-load` runs it on both stores; alone: `cargo run --release -p sandbox-merchant --example server_load`.
//! Options: `--clients N` (16), `--seconds S` (5). Traffic goes to 127.0.0.1 only; every loop is bounded.

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use serde_json::json;
use std::io::Write;
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Figures {
    orders: usize,
    errors: usize,
    secs: f64,
    create: Vec<Duration>,
    status: Vec<Duration>,
}

fn pct(v: &mut [Duration], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i].as_secs_f64() * 1000.0
}

fn run(addr: &str, clients: usize, secs: f64) -> Figures {
    let stop = Arc::new(AtomicBool::new(false));
    let handles: Vec<_> = (0..clients)
        .map(|c| {
            let (addr, stop) = (addr.to_string(), stop.clone());
            std::thread::spawn(move || {
                let mut conn = Conn::open(&addr);
                let (mut create, mut status, mut errors) = (Vec::new(), Vec::new(), 0usize);
                let mut i = 0u64;
                // Bounded: the time limit, and at most 1,000,000 orders per client.
                while !stop.load(Ordering::Relaxed) && i < 1_000_000 {
                    i += 1;
                    let amount = format!("{}.{:02}", 1 + (i % 500), (c as u64 * 7 + i) % 100);
                    let body = json!({ "payload": CAFE_STATIC, "wallet": "sandbox", "amount": amount, "currency": "CNY" }).to_string();
                    let t = Instant::now();
                    let r = match conn.send("POST", "/api/orders", &[("Content-Type", "application/json")], body.as_bytes()) {
                        Ok(r) => r,
                        Err(_) => {
                            errors += 1;
                            conn = Conn::open(&addr);
                            continue;
                        }
                    };
                    create.push(t.elapsed());
                    if r.status != 201 {
                        errors += 1;
                        continue;
                    }
                    let id = r.json()["order_id"].as_str().unwrap_or("").to_string();
                    let t = Instant::now();
                    match conn.send("GET", &format!("/api/orders/{id}"), &[], b"") {
                        Ok(r) if r.status == 200 => status.push(t.elapsed()),
                        _ => errors += 1,
                    }
                }
                (create, status, errors)
            })
        })
        .collect();
    let t0 = Instant::now();
    std::thread::sleep(Duration::from_secs_f64(secs));
    stop.store(true, Ordering::Relaxed);
    let mut f = Figures { orders: 0, errors: 0, secs: 0.0, create: vec![], status: vec![] };
    for h in handles {
        let (c, s, e) = h.join().unwrap();
        f.orders += s.len();
        f.create.extend(c);
        f.status.extend(s);
        f.errors += e;
    }
    f.secs = t0.elapsed().as_secs_f64();
    f
}

fn report(store: &str, what: &str, mut f: Figures) {
    println!(
        "{store:<9} {what:<34} {:>7.0} orders/s  create p50 {:>6.2} ms p99 {:>6.2} ms  status p50 {:>6.2} ms p99 {:>6.2} ms  ({} orders, {} errors)",
        f.orders as f64 / f.secs,
        pct(&mut f.create, 0.50),
        pct(&mut f.create, 0.99),
        pct(&mut f.status, 0.50),
        pct(&mut f.status, 0.99),
        f.orders,
        f.errors
    );
}

fn main() {
    let mut clients = 16usize;
    let mut secs = 5.0f64;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--clients" => clients = args.next().and_then(|v| v.parse().ok()).expect("--clients N"),
            "--seconds" => secs = args.next().and_then(|v| v.parse().ok()).expect("--seconds S"),
            "--bench" => {}
            _ => panic!("usage: server_load [--clients 16] [--seconds 5]"),
        }
    }
    let mut stores = vec![("sqlite", sandbox_merchant::sqlite_url(&tmp_dir("load")))];
    match std::env::var("DATABASE_URL") {
        Ok(u) if u.starts_with("postgres") => stores.push(("postgres", u)),
        _ => eprintln!("(DATABASE_URL is not postgres://…: SQLite only; bench/server-load runs both)"),
    }
    println!("create + status, {clients} keep-alive clients, {secs} s per line, server and clients on this machine ({} cores)",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1));
    for (name, url) in stores {
        let s = server(&url);
        let addr = s.url()[7..].to_string();
        // Warm-up (pool connections, page cache).
        let _ = run(&addr, clients, 0.5);
        report(name, "plain", run(&addr, clients, secs));

        // Hostile clients beside the load: half-open heads and idle bodies.
        let mut held = Vec::new();
        for i in 0..1000 {
            let mut c = TcpStream::connect(&addr).expect("half-open connection");
            let _ = c.write_all(if i % 60 == 0 {
                b"POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 900\r\n\r\n{"
            } else {
                b"GET /api/health HTTP/1.1\r\nHost: x\r\n"
            });
            held.push(c);
        }
        report(name, "beside 1,000 half-open + slowloris", run(&addr, clients, secs));
        drop(held);
        s.stop();
    }
}
