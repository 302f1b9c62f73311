//! Sandbox merchant: the reference implementation of the Interpay merchant contract
//! (docs/ARCHITECTURE.md, "Merchant contract") and the static server of the demo.
//!
//! Routes:
//! - `POST /api/orders`: create an order. The raw QR payload is re-parsed here with
//!   [`interpay::payload::parse`]: the browser's parsed copy is never trusted.
//! - `GET /api/orders/{id}`: order status (the widget confirms with it before showing success).
//! - `POST /sandbox/wallet/pay`: the sandbox wallet's stand-in for a wallet's server-to-server notification.
//! - `GET /api/health`: liveness.
//! - static: `/interpay/*` ← the build output (`dist/`), `/sandbox-wallet.js`, `/miniprogram/*`, `/*` ← `www/demo/`.
//!
//! The request handling is a pure function of (method, path, body) → [`Reply`], unit-testable without sockets.

pub mod wallet_params;

use interpay::payload::{Code, Initiation, Payment};
use interpay::wallet::WalletId;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The Content-Security-Policy sent with every HTML page: the widget must work under it.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
img-src 'self' data: blob:; media-src 'self' blob:; worker-src 'self' blob:; connect-src 'self'; \
object-src 'none'; base-uri 'none'; frame-ancestors 'self'";

/// Largest request body accepted by the API.
pub const MAX_BODY: usize = 64 * 1024;
/// Largest raw QR payload accepted (a version-40 QR code holds at most 7089 characters).
pub const MAX_PAYLOAD_CHARS: usize = 8 * 1024;
/// Sandbox cap on a single order, in major units.
pub const MAX_AMOUNT: i64 = 1_000_000;

/// An HTTP reply, independent of the server library.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(status: u16, v: &Value) -> Reply {
        Reply {
            status,
            content_type: "application/json; charset=utf-8".into(),
            headers: vec![("Cache-Control".into(), "no-store".into())],
            body: serde_json::to_vec(v).unwrap_or_default(),
        }
    }
    pub fn error(status: u16, code: &str, message: impl Into<String>) -> Reply {
        Reply::json(status, &json!({ "error": { "code": code, "message": message.into() } }))
    }
    pub fn json_body(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    fn header(mut self, k: &str, v: &str) -> Reply {
        self.headers.push((k.into(), v.into()));
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Created,
    Paid,
    Failed,
    Cancelled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Paid => "paid",
            Status::Failed => "failed",
            Status::Cancelled => "cancelled",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Order {
    pub id: String,
    pub payload: String,
    pub payment: Payment,
    pub wallet: String,
    /// Amount in major units, scaled to the currency's minor units ("23.72").
    pub amount: String,
    pub currency: String,
    pub status: Status,
}

/// Where the static files are.
#[derive(Debug, Clone)]
pub struct Paths {
    /// Build output (`dist/`), served at `/interpay/`.
    pub dist: PathBuf,
    /// `www/` (demo at `/`, `sandbox-wallet.js`, `miniprogram/`).
    pub www: PathBuf,
}

pub struct App {
    pub paths: Paths,
    orders: Mutex<HashMap<String, Order>>,
    counter: AtomicU64,
    /// Log API calls to stderr.
    pub log: bool,
}

impl App {
    pub fn new(paths: Paths) -> App {
        App { paths, orders: Mutex::new(HashMap::new()), counter: AtomicU64::new(0), log: false }
    }

    pub fn order(&self, id: &str) -> Option<Order> {
        self.orders.lock().ok()?.get(id).cloned()
    }

    /// Handle one request. `url` may carry a query string.
    pub fn handle(&self, method: &str, url: &str, body: &[u8]) -> Reply {
        let path = url.split(['?', '#']).next().unwrap_or("/");
        let reply = if path == "/api/orders" {
            match method {
                "POST" => self.create_order(body),
                _ => method_not_allowed("POST"),
            }
        } else if let Some(id) = path.strip_prefix("/api/orders/") {
            match method {
                "GET" | "HEAD" => self.order_status(id),
                _ => method_not_allowed("GET"),
            }
        } else if path == "/sandbox/wallet/pay" {
            match method {
                "POST" => self.sandbox_pay(body),
                _ => method_not_allowed("POST"),
            }
        } else if path == "/api/health" {
            Reply::json(200, &json!({ "ok": true }))
        } else if path.starts_with("/api/") || path.starts_with("/sandbox/") {
            Reply::error(404, "not_found", format!("no API route {path}"))
        } else {
            match method {
                "GET" | "HEAD" => self.static_file(path),
                _ => method_not_allowed("GET"),
            }
        };
        if self.log && (path.starts_with("/api/orders") || path.starts_with("/sandbox/")) {
            eprintln!("{method} {path} → {}", reply.status);
        }
        reply
    }

    fn new_order_id(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed) + 1;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        // Unguessable enough for a sandbox; unique per process.
        format!("ord_{:012x}{n:04}", nanos & 0xffff_ffff_ffff)
    }

    fn create_order(&self, body: &[u8]) -> Reply {
        match validate_order_request(body) {
            Err(reply) => reply,
            Ok(v) => {
                let id = self.new_order_id();
                let params = wallet_params::for_wallet(&v.wallet, &id, &v.amount, &v.currency);
                let order = Order {
                    id: id.clone(),
                    payload: v.payload,
                    payment: v.payment,
                    wallet: v.wallet.clone(),
                    amount: v.amount.clone(),
                    currency: v.currency.clone(),
                    status: Status::Created,
                };
                match self.orders.lock() {
                    Ok(mut orders) => {
                        orders.insert(id.clone(), order);
                    }
                    Err(_) => return Reply::error(500, "internal", "order store unavailable"),
                }
                let status_url = format!("/api/orders/{id}");
                Reply::json(
                    201,
                    &json!({
                        "order_id": id,
                        "amount": v.amount,
                        "currency": v.currency,
                        "wallet": v.wallet,
                        "wallet_params": params,
                        "status_url": status_url,
                    }),
                )
                .header("Location", &status_url)
            }
        }
    }

    fn order_status(&self, id: &str) -> Reply {
        match self.order(id) {
            Some(o) => Reply::json(
                200,
                &json!({ "order_id": o.id, "status": o.status.as_str(), "amount": o.amount, "currency": o.currency }),
            ),
            None => Reply::error(404, "order_not_found", format!("no order {id:?}")),
        }
    }

    fn sandbox_pay(&self, body: &[u8]) -> Reply {
        let v: Value = match parse_json_body(body) {
            Ok(v) => v,
            Err(r) => return r,
        };
        let Some(id) = v.get("order_id").and_then(Value::as_str) else {
            return Reply::error(400, "missing_order_id", "order_id (string) is required");
        };
        let status = match v.get("result").and_then(Value::as_str) {
            Some("paid") => Status::Paid,
            Some("failed") => Status::Failed,
            Some("cancelled") => Status::Cancelled,
            _ => return Reply::error(400, "bad_result", "result must be \"paid\", \"failed\" or \"cancelled\""),
        };
        let Ok(mut orders) = self.orders.lock() else {
            return Reply::error(500, "internal", "order store unavailable");
        };
        let Some(order) = orders.get_mut(id) else {
            return Reply::error(404, "order_not_found", format!("no order {id:?}"));
        };
        if order.status == Status::Paid {
            return Reply::error(409, "already_paid", "this order is already paid");
        }
        order.status = status;
        Reply::json(200, &json!({ "order_id": order.id, "status": order.status.as_str() }))
    }

    fn static_file(&self, path: &str) -> Reply {
        let (base, rest) = if let Some(rest) = path.strip_prefix("/interpay/") {
            (self.paths.dist.clone(), rest)
        } else if path == "/interpay" {
            return redirect("/interpay/");
        } else if path == "/sandbox-wallet.js" {
            (self.paths.www.clone(), "sandbox-wallet.js")
        } else if let Some(rest) = path.strip_prefix("/miniprogram/") {
            (self.paths.www.join("miniprogram"), rest)
        } else {
            (self.paths.www.join("demo"), path.trim_start_matches('/'))
        };
        let Some(file) = safe_join(&base, rest) else {
            return Reply::error(400, "bad_path", "invalid path");
        };
        let file = if file.is_dir() {
            if !path.ends_with('/') {
                return redirect(&format!("{path}/"));
            }
            file.join("index.html")
        } else {
            file
        };
        match std::fs::read(&file) {
            Ok(bytes) => {
                let ct = mime_for(&file);
                let mut r = Reply {
                    status: 200,
                    content_type: ct.into(),
                    headers: vec![("Cache-Control".into(), "no-cache".into())],
                    body: bytes,
                };
                if ct.starts_with("text/html") {
                    r = r.header("Content-Security-Policy", CSP);
                }
                r
            }
            Err(_) => {
                let mut r = Reply::error(404, "not_found", format!("{path} not found"));
                if path.starts_with("/interpay/") && !self.paths.dist.exists() {
                    r = Reply::error(
                        404,
                        "not_built",
                        format!("{} does not exist: run `cargo xtask build` (or ./dev demo)", self.paths.dist.display()),
                    );
                }
                r
            }
        }
    }
}

fn method_not_allowed(allow: &str) -> Reply {
    Reply::error(405, "method_not_allowed", format!("use {allow}")).header("Allow", allow)
}

fn redirect(to: &str) -> Reply {
    Reply { status: 301, content_type: "text/plain".into(), headers: vec![("Location".into(), to.into())], body: vec![] }
}

/// Join a URL path under `base`, refusing traversal, hidden files and odd characters.
pub fn safe_join(base: &Path, rel: &str) -> Option<PathBuf> {
    let mut p = base.to_path_buf();
    for seg in rel.split('/') {
        if seg.is_empty() {
            continue;
        }
        if seg.starts_with('.') || seg.contains(['\\', '\0', '%', ':']) {
            return None;
        }
        p.push(seg);
    }
    Some(p)
}

/// MIME type by extension (wasm must be application/wasm for streaming instantiation).
pub fn mime_for(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "txt" | "md" | "ts" => "text/plain; charset=utf-8",
        "wxml" | "wxss" | "axml" | "acss" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn parse_json_body(body: &[u8]) -> Result<Value, Reply> {
    if body.len() > MAX_BODY {
        return Err(Reply::error(413, "body_too_large", format!("request body over {MAX_BODY} bytes")));
    }
    serde_json::from_slice(body).map_err(|e| Reply::error(400, "bad_json", format!("request body is not JSON: {e}")))
}

/// A validated order request.
#[derive(Debug, Clone)]
pub struct ValidOrder {
    pub payload: String,
    pub payment: Payment,
    pub wallet: String,
    pub amount: String,
    pub currency: String,
}

/// Validate `POST /api/orders`. The payment is derived from the raw payload on the server;
/// the client's `payment` field is ignored except that it must not contradict (it is informative only).
pub fn validate_order_request(body: &[u8]) -> Result<ValidOrder, Reply> {
    let v = parse_json_body(body)?;
    if !v.is_object() {
        return Err(Reply::error(400, "bad_json", "request body must be a JSON object"));
    }
    let payload = match v.get("payload") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err(Reply::error(400, "missing_payload", "payload (the raw QR text) is required")),
    };
    if payload.chars().count() > MAX_PAYLOAD_CHARS {
        return Err(Reply::error(422, "payload_too_long", "payload is longer than any QR code can hold"));
    }
    let (wallet, wallet_id) = match v.get("wallet") {
        Some(w @ Value::String(_)) => match serde_json::from_value::<WalletId>(w.clone()) {
            Ok(id) => (w.as_str().unwrap_or_default().to_string(), id),
            Err(_) => return Err(Reply::error(400, "unknown_wallet", format!("unknown wallet {w}"))),
        },
        _ => return Err(Reply::error(400, "missing_wallet", "wallet is required")),
    };
    let payment = match interpay::payload::parse(&payload) {
        Ok(Code::Payment(p)) => p,
        Ok(Code::NotPayment(n)) => {
            return Err(Reply::error(422, "not_payment", format!("the scanned code is not a payment code ({})", n.what)))
        }
        Err(e) => return Err(Reply::error(422, "invalid_payload", format!("invalid payment code: {e}"))),
    };
    // The wallet must be able to settle one of the code's schemes (a WeChat Pay order for a PIX code
    // would take the shopper's money to the wrong network).
    if !payment.schemes.iter().any(|s| interpay::wallet::routing::supports_scheme(wallet_id, &s.id)) {
        let schemes: Vec<&str> = payment.schemes.iter().map(|s| s.name.as_str()).collect();
        return Err(Reply::error(
            422,
            "wallet_not_supported",
            format!("the {wallet} wallet cannot pay this code ({})", schemes.join(", ")),
        ));
    }

    // Currency: the code's, else the shopper's (static codes without currency), and they must agree.
    let req_currency = match v.get("currency") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(Reply::error(400, "bad_currency", "currency must be a string")),
    };
    let (currency, minor_units) = match (&payment.currency, &req_currency) {
        (Some(c), Some(r)) if !c.code.eq_ignore_ascii_case(r) => {
            return Err(Reply::error(
                422,
                "currency_mismatch",
                format!("the code is in {} but the order asks for {r}", c.code),
            ))
        }
        (Some(c), _) => (c.code.clone(), c.minor_units),
        (None, Some(r)) => {
            let ok = (3..=5).contains(&r.len()) && r.chars().all(|c| c.is_ascii_uppercase());
            if !ok {
                return Err(Reply::error(422, "bad_currency", format!("{r:?} is not a currency code")));
            }
            (r.clone(), 2)
        }
        (None, None) => return Err(Reply::error(422, "missing_currency", "the code has no currency; give one")),
    };

    let req_amount = match v.get("amount") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => match Decimal::from_str(s.trim()) {
            Ok(d) => Some(d),
            Err(_) => return Err(Reply::error(400, "bad_amount", format!("amount {s:?} is not a decimal number"))),
        },
        Some(Value::Number(n)) => match Decimal::from_str(&n.to_string()) {
            Ok(d) => Some(d),
            Err(_) => return Err(Reply::error(400, "bad_amount", "amount is not a decimal number")),
        },
        Some(_) => return Err(Reply::error(400, "bad_amount", "amount must be a decimal string")),
    };

    let amount = match (payment.initiation, payment.amount) {
        (Initiation::Dynamic, Some(code_amount)) | (Initiation::Static, Some(code_amount)) => {
            // The code locks the amount: the order must be for exactly that amount.
            if let Some(a) = req_amount {
                if a != code_amount {
                    return Err(Reply::error(
                        422,
                        "amount_mismatch",
                        format!("the code is for {code_amount} {currency}, the order asks for {a}"),
                    ));
                }
            }
            code_amount
        }
        (_, None) => {
            let Some(a) = req_amount else {
                return Err(Reply::error(422, "missing_amount", "this code has no amount: the shopper must enter one"));
            };
            a
        }
    };
    if amount <= Decimal::ZERO {
        return Err(Reply::error(422, "invalid_amount", "the amount must be positive"));
    }
    if amount.normalize().scale() > u32::from(minor_units) {
        return Err(Reply::error(
            422,
            "invalid_amount",
            format!("{currency} has {minor_units} decimal places, {amount} has more"),
        ));
    }
    if amount > Decimal::from(MAX_AMOUNT) {
        return Err(Reply::error(422, "amount_too_large", format!("the sandbox accepts orders up to {MAX_AMOUNT}")));
    }
    let mut scaled = amount.normalize();
    scaled.rescale(u32::from(minor_units));
    Ok(ValidOrder { payload, payment, wallet, amount: scaled.to_string(), currency })
}

/// Serve `app` on `server` with a few worker threads; returns when the server is unblocked/closed.
pub fn serve(server: Arc<tiny_http::Server>, app: Arc<App>, threads: usize) {
    let mut handles = Vec::new();
    for _ in 0..threads.max(1) {
        let server = server.clone();
        let app = app.clone();
        handles.push(std::thread::spawn(move || {
            while let Ok(mut req) = server.recv() {
                let method = req.method().as_str().to_ascii_uppercase();
                let url = req.url().to_string();
                let mut body = Vec::new();
                let too_large = req.body_length().is_some_and(|n| n > MAX_BODY);
                let reply = if too_large {
                    Reply::error(413, "body_too_large", format!("request body over {MAX_BODY} bytes"))
                } else {
                    use std::io::Read;
                    match req.as_reader().take(MAX_BODY as u64 + 1).read_to_end(&mut body) {
                        Ok(_) => app.handle(&method, &url, &body),
                        Err(e) => Reply::error(400, "bad_request", format!("reading body: {e}")),
                    }
                };
                let _ = write_reply(req, reply, method == "HEAD");
            }
        }));
    }
    for h in handles {
        let _ = h.join();
    }
}

/// Write the reply with `Connection: close`.
///
/// tiny_http 0.12 hands connections to a thread pool that can leave a 5th simultaneous keep-alive
/// connection queued until another one closes (a browser loading a page with several images would stall).
/// Its `Response` refuses a `Connection` header, so the response is written on the raw stream: the browser
/// closes each connection after its response and no connection waits for a thread.
fn write_reply(req: tiny_http::Request, r: Reply, head: bool) -> std::io::Result<()> {
    use std::io::Write;
    let clean = |s: &str| s.replace(['\r', '\n'], " ");
    let mut out = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\
         X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\nPermissions-Policy: camera=(self)\r\n",
        r.status,
        reason(r.status),
        clean(&r.content_type),
        r.body.len()
    );
    for (k, v) in &r.headers {
        out.push_str(&format!("{}: {}\r\n", clean(k), clean(v)));
    }
    out.push_str("\r\n");
    let mut w = req.into_writer();
    w.write_all(out.as_bytes())?;
    if !head {
        w.write_all(&r.body)?;
    }
    w.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Payload Too Large",
        422 => "Unprocessable Entity",
        500 => "Internal Server Error",
        _ => "Status",
    }
}

/// The repository root this binary was built from (defaults for `--dist` / `--www`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}
