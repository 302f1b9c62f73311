//! Shared by the sandbox-merchant tests and the load bench: a tiny blocking HTTP/1.1 client (no
//! dependency: every byte it sends is visible, which hostile-client tests need), servers on
//! 127.0.0.1, the store backends to run against, and test codes.
#![allow(dead_code)]

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn error_code(&self) -> String {
        self.json()["error"]["code"].as_str().unwrap_or("<no error code>").to_string()
    }
}

/// One keep-alive connection.
pub struct Conn {
    reader: BufReader<TcpStream>,
    addr: String,
}

impl Conn {
    pub fn open(addr: &str) -> Conn {
        let s = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect {addr}: {e}"));
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        s.set_nodelay(true).unwrap();
        Conn { reader: BufReader::new(s), addr: addr.to_string() }
    }

    pub fn send(&mut self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> std::io::Result<Resp> {
        let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\n", self.addr, body.len());
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        let s = self.reader.get_mut();
        s.write_all(req.as_bytes())?;
        s.write_all(body)?;
        read_response(&mut self.reader, method == "HEAD")
    }

    pub fn stream(&mut self) -> &mut TcpStream {
        self.reader.get_mut()
    }
}

/// Read one response (Content-Length or chunked or to EOF).
pub fn read_response(r: &mut BufReader<TcpStream>, head: bool) -> std::io::Result<Resp> {
    let mut line = String::new();
    if r.read_line(&mut line)? == 0 {
        return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "connection closed before a response"));
    }
    let status: u16 = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut headers = Vec::new();
    loop {
        line.clear();
        r.read_line(&mut line)?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let get = |n: &str| headers.iter().find(|(k, _): &&(String, String)| k.eq_ignore_ascii_case(n)).map(|(_, v)| v.clone());
    let mut body = Vec::new();
    if head || status == 304 || status == 204 {
    } else if let Some(n) = get("content-length").and_then(|v| v.parse::<usize>().ok()) {
        body.resize(n, 0);
        r.read_exact(&mut body)?;
    } else if get("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        loop {
            line.clear();
            r.read_line(&mut line)?;
            let n = usize::from_str_radix(line.trim(), 16).unwrap_or(0);
            if n == 0 {
                line.clear();
                r.read_line(&mut line)?;
                break;
            }
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk)?;
            body.extend_from_slice(&chunk[..n]);
        }
    } else {
        r.read_to_end(&mut body)?;
    }
    Ok(Resp { status, headers, body })
}

/// One request on a fresh connection (`Connection: close`).
pub fn request(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
    let mut h = headers.to_vec();
    h.push(("Connection", "close"));
    Conn::open(addr).send(method, path, &h, body).unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

pub fn get(addr: &str, path: &str) -> Resp {
    request(addr, "GET", path, &[], b"")
}

pub fn post_json(addr: &str, path: &str, v: &Value) -> Resp {
    request(addr, "POST", path, &[("Content-Type", "application/json")], v.to_string().as_bytes())
}

pub fn post_json_with(addr: &str, path: &str, headers: &[(&str, &str)], v: &Value) -> Resp {
    let mut h = vec![("Content-Type", "application/json")];
    h.extend_from_slice(headers);
    request(addr, "POST", path, &h, v.to_string().as_bytes())
}

/// A fresh scratch directory.
pub fn tmp_dir(name: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let d = std::env::temp_dir().join(format!("sandbox-merchant-test-{}-{name}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Static files for a server: a fake dist/ and www/.
pub fn fake_site() -> sandbox_merchant::Paths {
    let root = tmp_dir("site");
    let dist = root.join("dist");
    let www = root.join("www");
    std::fs::create_dir_all(dist.join("pkg")).unwrap();
    std::fs::create_dir_all(www.join("demo")).unwrap();
    std::fs::create_dir_all(www.join("miniprogram/sandbox-app")).unwrap();
    std::fs::write(dist.join("pkg/interpay_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dist.join("interpay.js"), "export {};\n".repeat(200)).unwrap();
    std::fs::write(dist.join("chunk.3f9a2c1d.js"), b"export {};").unwrap();
    // A precompressed pair as `cargo xtask build` writes them (the .br content is a stand-in).
    std::fs::create_dir_all(dist.join("assets")).unwrap();
    std::fs::write(dist.join("assets/interpay-ui.0a1b2c3d4e.wasm"), b"\0asm\x01\0\0\0 plain").unwrap();
    std::fs::write(dist.join("assets/interpay-ui.0a1b2c3d4e.wasm.br"), b"brotli stand-in").unwrap();
    // The front page lives at the top of the repository, beside www/.
    std::fs::write(root.join("index.html"), b"<!doctype html><title>top-level front page</title>").unwrap();
    std::fs::write(www.join("demo/index.html"), b"<!doctype html><title>demo</title>").unwrap();
    std::fs::write(www.join("miniprogram/sandbox-app/index.html"), b"<!doctype html><title>app</title>").unwrap();
    std::fs::write(www.join("sandbox-wallet.js"), b"// wallet").unwrap();
    std::fs::write(root.join("secret.txt"), b"secret").unwrap();
    sandbox_merchant::Paths { dist, www }
}

/// The store backends to run against: SQLite always; PostgreSQL when `DATABASE_URL` is a postgres URL
/// (`./dev test` starts a throw-away cluster and sets it). `INTERPAY_REQUIRE_POSTGRES=1` makes a missing
/// PostgreSQL a failure instead of a skip.
pub fn backends(name: &str) -> Vec<(&'static str, String)> {
    let mut v = vec![("sqlite", sandbox_merchant::sqlite_url(&tmp_dir(name)))];
    match std::env::var("DATABASE_URL") {
        Ok(u) if u.starts_with("postgres") => v.push(("postgres", u)),
        _ if std::env::var("INTERPAY_REQUIRE_POSTGRES").as_deref() == Ok("1") => {
            panic!("INTERPAY_REQUIRE_POSTGRES=1 but DATABASE_URL is not a postgres:// URL")
        }
        _ => eprintln!("note: DATABASE_URL is not set to postgres://…: {name} runs on SQLite only"),
    }
    v
}

/// A sandbox server on 127.0.0.1 for `database_url`.
pub fn server(database_url: &str) -> sandbox_merchant::Running {
    server_with(database_url, |_| {})
}

pub fn server_with(database_url: &str, f: impl FnOnce(&mut sandbox_merchant::Config)) -> sandbox_merchant::Running {
    let mut cfg = sandbox_merchant::Config::sandbox(fake_site(), &tmp_dir("data"));
    cfg.database_url = database_url.to_string();
    f(&mut cfg);
    sandbox_merchant::spawn(cfg, "127.0.0.1:0").expect("server starts")
}

/// Public EMVCo MPM vector: dynamic UnionPay code, 23.72 CNY, "BEST TRANSPORT", BEIJING (another payee).
pub const DYNAMIC: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

/// Sandbox Café's static till sticker (www/demo/codes/unionpay-static.svg): this merchant's account.
pub const CAFE_STATIC: &str = "0002010102111508123456785204581453031565802CN5912SANDBOX CAFE6007BEIJING63046E92";

/// CRC-16/CCITT-FALSE as EMVCo tag 63 uses it.
pub fn crc16(data: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for &b in data {
        crc ^= (b as u16) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 { (crc << 1) ^ 0x1021 } else { crc << 1 };
        }
    }
    crc
}

pub fn with_crc(body: &str) -> String {
    let s = format!("{body}6304");
    format!("{s}{:04X}", crc16(s.as_bytes()))
}

/// Re-encode an EMVCo code with tag 54 (amount) replaced, CRC recomputed: what a forger does.
pub fn with_amount(payload: &str, amount: &str) -> String {
    let mut out = String::new();
    let b = payload.as_bytes();
    let mut i = 0;
    while i + 4 <= b.len() {
        let tag = &payload[i..i + 2];
        let len: usize = payload[i + 2..i + 4].parse().unwrap();
        let val = &payload[i + 4..i + 4 + len];
        i += 4 + len;
        match tag {
            "63" => break,
            "54" => out.push_str(&format!("54{:02}{amount}", amount.len())),
            _ => out.push_str(&format!("{tag}{:02}{val}", len)),
        }
    }
    with_crc(&out)
}

/// Issue a bill on the till API.
pub fn bill(addr: &str, amount: &str) -> Value {
    let r = post_json(addr, "/api/bills", &serde_json::json!({ "amount": amount, "currency": "CNY" }));
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()
}

pub fn order(addr: &str, payload: &str, wallet: &str, amount: Option<&str>) -> Resp {
    let mut v = serde_json::json!({ "payload": payload, "wallet": wallet, "currency": "CNY" });
    if let Some(a) = amount {
        v["amount"] = a.into();
    }
    post_json(addr, "/api/orders", &v)
}

pub fn notify(addr: &str, order_id: &str, result: &str) -> Resp {
    post_json(addr, "/sandbox/wallet/pay", &serde_json::json!({ "order_id": order_id, "result": result }))
}
