//! Sandbox merchant: the reference implementation of the Interpay merchant contract
//! (docs/merchant-contract.md) and the static server of the demo.
//!
//! Built on axum + tower-http over hyper, with its own accept loop so every limit is explicit
//! ([`Limits`]): a header read timeout and a header size cap (431), a request timeout that also bounds
//! the body read (408: an idle request with a `Content-Length` and no body holds one task, never a
//! thread, and never stalls other clients), a body cap (413), a connection cap (503 past it), gzip
//! compression, `Connection: close` honoured (hyper), and caching headers for static files.
//!
//! Orders and bills live in [`store::Store`] (SQLite by default, PostgreSQL with `DATABASE_URL`).
//!
//! Routes:
//! - `GET /api/health`
//! - `POST /api/bills` (till): issue a dynamic EMVCo code for an amount; `GET /api/bills/{id}`,
//!   `GET /api/bills/{id}/qr.svg`, `GET /api/bills/{id}/events` (server-sent events: open → paid)
//! - `POST /api/orders`: create an order (`Idempotency-Key` honoured); `GET /api/orders/{id}`: status
//! - `POST /api/resolve`: who a code pays (codes without a payee name: WeChat `wxp://`, Alipay, UnionPay URLs)
//! - `POST /sandbox/wallet/pay`: sandbox mode only, JSON only, the stand-in for a wallet's notification
//! - static: `/interpay/*` ← the build output (`dist/`), `/sandbox-wallet.js`, `/miniprogram/*`, `/*` ← `www/demo/`

pub mod error;
pub mod gateways;
pub mod orders;
pub mod store;
pub mod wallet_params;

use axum::body::{Body, Bytes};
use axum::extract::{Path as UrlPath, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use error::ApiError;
use interpay::payload::{Code, Initiation, Payment, TipRule};
use orders::{Merchant, OrderRequest, Price};
use ring::rand::SecureRandom;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use store::{Bill, Insert, OrderRow, PayOutcome, Store};

/// The Content-Security-Policy sent with every HTML page: the widget must work under it.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
img-src 'self' data: blob:; media-src 'self' blob:; worker-src 'self' blob:; connect-src 'self'; \
object-src 'none'; base-uri 'none'; frame-ancestors 'self'";

/// Connection and request limits.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Time to receive a request's header block (also the idle time of a kept-alive connection).
    pub header_timeout: Duration,
    /// Time for a whole request, body read included (408 past it).
    pub request_timeout: Duration,
    /// Largest header block (431 past it); also hyper's read buffer, so memory per connection is bounded.
    pub max_header_bytes: usize,
    /// Largest request body (413 past it).
    pub max_body: usize,
    /// Simultaneous connections (503 + close past it).
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(15),
            max_header_bytes: 16 * 1024,
            max_body: 64 * 1024,
            max_connections: 4096,
        }
    }
}

/// Where the static files are.
#[derive(Debug, Clone)]
pub struct Paths {
    /// Build output (`dist/`), served at `/interpay/`.
    pub dist: PathBuf,
    /// `www/` (the demo's pages and files under `www/demo/`, `sandbox-wallet.js`, `miniprogram/`).
    pub www: PathBuf,
}

impl Paths {
    /// The demo's front page, served at `/`: `index.html` at the top of the repository (beside `www/`),
    /// else `www/demo/index.html`. Its relative links reach `www/demo/`.
    pub fn index(&self) -> PathBuf {
        let top = self.www.parent().map(|p| p.join("index.html"));
        match top {
            Some(p) if p.is_file() => p,
            _ => self.www.join("demo").join("index.html"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub paths: Paths,
    /// `sqlite://…?mode=rwc` or `postgres://…`.
    pub database_url: String,
    /// Sandbox mode: made-up wallet parameters, `POST /sandbox/wallet/pay`, codes of any payee accepted.
    pub sandbox: bool,
    pub merchant: Merchant,
    /// An open order expires after this.
    pub order_ttl: Duration,
    /// A bill (till code) can be paid until this.
    pub bill_ttl: Duration,
    /// When set, `POST /api/bills` needs `Authorization: Bearer <token>` (the till).
    pub till_token: Option<String>,
    pub limits: Limits,
    /// Log API calls to stderr.
    pub log: bool,
    /// Which gateway each wallet family goes through (sandbox, mock, live).
    pub gateways: gateways::Choice,
    /// This server's public base URL (`https://shop.example`): notification and return URLs.
    /// Default: the address it listens on.
    pub public_url: Option<String>,
}

impl Config {
    /// Sandbox defaults with an SQLite file in `data_dir`.
    pub fn sandbox(paths: Paths, data_dir: &Path) -> Config {
        Config {
            paths,
            database_url: sqlite_url(data_dir),
            sandbox: true,
            merchant: Merchant::sandbox_cafe(),
            order_ttl: Duration::from_secs(15 * 60),
            bill_ttl: Duration::from_secs(60 * 60),
            till_token: None,
            limits: Limits::default(),
            log: false,
            gateways: gateways::Choice::default(),
            public_url: None,
        }
    }
}

/// The SQLite URL of the store file in `data_dir` (created with the directory on first run).
pub fn sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", data_dir.join("sandbox-merchant.sqlite").display())
}

pub struct AppState {
    pub cfg: Config,
    pub store: Store,
    pub gateways: gateways::Gateways,
    rng: ring::rand::SystemRandom,
    etags: Mutex<HashMap<PathBuf, (SystemTime, u64, String)>>,
}

/// Random id: `prefix` + `bytes` random bytes in lowercase base32 (unguessable; 16 bytes = 128 bits).
fn random_id(rng: &ring::rand::SystemRandom, prefix: &str, bytes: usize) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut buf = vec![0u8; bytes];
    rng.fill(&mut buf).expect("the system random generator failed");
    let mut out = String::from(prefix);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in buf {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((acc >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((acc << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn sha256_hex(parts: &[&str]) -> String {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    for p in parts {
        ctx.update(p.as_bytes());
        ctx.update(b"\0");
    }
    ctx.finish().as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

// ---------------------------------------------------------------------------------------------
// Server

/// A running server (tests, benches): its address and its store.
pub struct Running {
    pub addr: std::net::SocketAddr,
    pub store: Store,
    /// The mock gateways' base URL (when a wallet family is `mock`).
    pub mock_url: Option<String>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// Stop accepting and let the runtime go (open connections are dropped).
    pub fn stop(mut self) {
        self.shutdown();
    }
    fn shutdown(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Connect the store, bind `addr` and serve on a runtime of its own thread (tests, benches).
pub fn spawn(cfg: Config, addr: &str) -> Result<Running, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let addr = addr.to_string();
    let thread = std::thread::spawn(move || {
        let rt = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
            Ok(rt) => rt,
            Err(e) => return drop(tx.send(Err(e.to_string()))),
        };
        rt.block_on(async move {
            let started = async {
                let listener = tokio::net::TcpListener::bind(&addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
                let local = listener.local_addr().map_err(|e| e.to_string())?;
                let mut cfg = cfg;
                cfg.public_url.get_or_insert_with(|| format!("http://{local}"));
                let state = AppState::new(cfg).await?;
                Ok::<_, String>((state, listener, local))
            };
            match started.await {
                Err(e) => drop(tx.send(Err(e))),
                Ok((state, listener, local)) => {
                    let _ = tx.send(Ok((local, state.store.clone(), state.gateways.mock_url.clone())));
                    let limits = state.cfg.limits.clone();
                    let sweeper = tokio::spawn(expiry_sweeper(state.clone()));
                    tokio::select! {
                        _ = serve(listener, router(state.clone()), limits) => {}
                        _ = stop_rx => {}
                    }
                    sweeper.abort();
                    state.store.close().await;
                }
            }
        });
        rt.shutdown_timeout(Duration::from_millis(200));
    });
    match rx.recv() {
        Ok(Ok((addr, store, mock_url))) => Ok(Running { addr, store, mock_url, stop: Some(stop_tx), thread: Some(thread) }),
        Ok(Err(e)) => Err(e),
        Err(_) => Err("the server thread died while starting".into()),
    }
}

impl AppState {
    pub async fn new(cfg: Config) -> Result<Arc<AppState>, String> {
        if let Some(path) = cfg.database_url.strip_prefix("sqlite://") {
            let file = Path::new(path.split('?').next().unwrap_or(path));
            if let Some(dir) = file.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("cannot create the data directory {}: {e}", dir.display()))?;
            }
        }
        let store = Store::connect(&cfg.database_url).await.map_err(|e| format!("order store {}: {e}", redact(&cfg.database_url)))?;
        let gateways = gateways::Gateways::build(cfg.gateways).await?;
        Ok(Arc::new(AppState { cfg, store, gateways, rng: ring::rand::SystemRandom::new(), etags: Mutex::new(HashMap::new()) }))
    }
}

/// A database URL without its password (for messages).
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}://{user}:***@{}", &url[..s], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

/// Expire stale open orders now and then (a status read or a payment also checks on the spot).
pub async fn expiry_sweeper(state: Arc<AppState>) {
    let every = (state.cfg.order_ttl / 4).clamp(Duration::from_millis(200), Duration::from_secs(30));
    loop {
        tokio::time::sleep(every).await;
        if let Err(e) = state.store.expire_stale(store::now_ms()).await {
            eprintln!("sandbox-merchant: expiring orders: {e}");
        }
    }
}

/// Accept connections on `listener` and serve `app` on each, within `limits`. Runs until the task is dropped.
pub async fn serve(listener: tokio::net::TcpListener, app: Router, limits: Limits) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(c) => c,
            Err(e) => {
                // Out of file descriptors (EMFILE) and the like: back off instead of spinning.
                eprintln!("sandbox-merchant: accept: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tokio::spawn(refuse(stream));
            continue;
        };
        let app = app.clone();
        let limits = limits.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let _ = stream.set_nodelay(true);
            let svc = hyper_util::service::TowerToHyperService::new(app);
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .max_buf_size(limits.max_header_bytes.max(8192))
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), svc)
                .with_upgrades();
            let _ = conn.await;
        });
    }
}

/// Past the connection cap: a short 503 and close, so the client learns at once (never a queue).
async fn refuse(mut stream: tokio::net::TcpStream) {
    use tokio::io::AsyncWriteExt;
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let _ = stream
            .write_all(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n")
            .await;
        let _ = stream.shutdown().await;
    })
    .await;
}

/// The routes and layers.
pub fn router(state: Arc<AppState>) -> Router {
    use tower_http::set_header::SetResponseHeaderLayer;
    let mut api = Router::new()
        .route("/api/health", get(health))
        .route("/api/bills", post(create_bill))
        .route("/api/bills/{id}", get(bill_status))
        .route("/api/bills/{id}/qr.svg", get(bill_qr))
        .route("/api/bills/{id}/events", get(bill_events))
        .route("/api/orders", post(create_order))
        .route("/api/orders/{id}", get(order_status))
        .route("/api/resolve", post(resolve))
        .route("/api/notify/wechat", post(notify_wechat))
        .route("/api/notify/alipay", post(notify_alipay));
    if state.cfg.sandbox {
        api = api.route("/sandbox/wallet/pay", post(sandbox_pay));
    }
    let timeout = state.cfg.limits.request_timeout;
    api.fallback(fallback)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(self)"),
        ))
}

async fn method_not_allowed() -> Response {
    let mut r = ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "method not allowed here").into_response();
    r.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD, POST"));
    r
}

fn log(state: &AppState, what: &str, status: StatusCode) {
    if state.cfg.log {
        eprintln!("{what} → {}", status.as_u16());
    }
}

fn json_reply(status: StatusCode, v: &Value) -> Response {
    let mut r = (status, axum::Json(v)).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Read a JSON body: `application/json` only (415 otherwise: no cross-site "simple" requests),
/// `max` bytes at most (413), within the request timeout (the layer answers 408).
async fn read_json(headers: &HeaderMap, body: Body, max: usize) -> Result<Value, ApiError> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mime = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if mime != "application/json" {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the body as Content-Type: application/json",
        ));
    }
    let too_large = || ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", format!("request body over {max} bytes"));
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return Err(too_large());
    }
    let bytes: Bytes = axum::body::to_bytes(body, max).await.map_err(|_| too_large())?;
    serde_json::from_slice(&bytes).map_err(|e| ApiError::bad_request("bad_json", format!("request body is not JSON: {e}")))
}

/// Refuse requests a browser sends from another site (the Origin / Sec-Fetch-Site headers).
fn same_origin(headers: &HeaderMap) -> Result<(), ApiError> {
    let refuse = || ApiError::new(StatusCode::FORBIDDEN, "cross_origin", "this endpoint takes requests from its own origin only");
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return Err(refuse());
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let origin_host = origin.split("://").nth(1).unwrap_or("");
        if origin == "null" || origin_host != host {
            return Err(refuse());
        }
    }
    Ok(())
}

async fn health(State(st): State<Arc<AppState>>) -> Response {
    let db = st.store.health().await.is_ok();
    let backend = match st.store.backend {
        store::Backend::Sqlite => "sqlite",
        store::Backend::Postgres => "postgres",
    };
    json_reply(
        if db { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE },
        &json!({ "ok": db, "store": backend, "sandbox": st.cfg.sandbox,
                 "gateways": { "wechat": st.gateways.choice.wechat.as_str(), "alipay": st.gateways.choice.alipay.as_str() } }),
    )
}

async fn fallback(State(st): State<Arc<AppState>>, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path();
    if path.starts_with("/api/") || path.starts_with("/sandbox/") {
        let msg = if path.starts_with("/sandbox/") && !st.cfg.sandbox {
            format!("no route {path}: the sandbox endpoints exist only in sandbox mode")
        } else {
            format!("no API route {path}")
        };
        return ApiError::not_found("not_found", msg).into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        return method_not_allowed().await;
    }
    static_file(&st, path, &headers).await
}

// ---------------------------------------------------------------------------------------------
// Bills (the till)

fn parse_tip_rule(v: Option<&Value>) -> Result<Option<TipRule>, ApiError> {
    let bad = || ApiError::bad_request("bad_request", "tip_rule is \"prompt\", {\"fixed\": \"2.00\"} or {\"percent\": \"3\"}");
    let dec = |v: &Value| v.as_str().and_then(|s| Decimal::from_str(s).ok()).filter(|d| *d > Decimal::ZERO);
    Ok(match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s == "prompt" => Some(TipRule::Prompt),
        Some(Value::Object(o)) if o.contains_key("fixed") => Some(TipRule::Fixed { amount: dec(&o["fixed"]).ok_or_else(bad)? }),
        Some(Value::Object(o)) if o.contains_key("percent") => {
            Some(TipRule::Percentage { percent: dec(&o["percent"]).ok_or_else(bad)? })
        }
        Some(_) => return Err(bad()),
    })
}

/// The dynamic EMVCo code of a bill: this merchant's account, the amount, the bill id as 62-01.
pub fn bill_payload(m: &Merchant, bill_id: &str, amount: Decimal, currency: &str, tip: Option<TipRule>) -> Result<String, ApiError> {
    let cur = interpay::payload::currency::from_alpha(currency)
        .ok_or_else(|| ApiError::unprocessable("bad_currency", format!("{currency:?} is not an ISO 4217 currency")))?;
    let mut p = Payment::new("emv_mpm");
    p.initiation = Initiation::Dynamic;
    p.payee.name = Some(m.name.clone());
    p.payee.city = Some(m.city.clone());
    p.payee.country = Some(m.country.clone());
    p.payee.mcc = Some(m.mcc.clone());
    p.payee.accounts.push(interpay::payload::Account { scheme: m.scheme.clone(), kind: "merchant_id".into(), value: m.account.clone() });
    p.amount = Some(amount);
    p.currency = Some(cur);
    p.tip = tip;
    p.references.bill_number = Some(bill_id.to_string());
    interpay::payload::generate::generate(&p).map_err(|e| ApiError::unprocessable("cannot_issue", format!("cannot make the code: {e}")))
}

fn bearer_ok(st: &AppState, headers: &HeaderMap) -> bool {
    let Some(token) = &st.cfg.till_token else { return true };
    let got = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    // Compare digests byte by byte without an early exit (no timing hint about the token).
    got.is_some_and(|g| {
        let (a, b) = (sha256_hex(&[g]), sha256_hex(&[token]));
        a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    })
}

async fn create_bill(State(st): State<Arc<AppState>>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    if !bearer_ok(&st, &headers) {
        return Err(ApiError::new(StatusCode::UNAUTHORIZED, "till_unauthorized", "the till must send Authorization: Bearer <token>"));
    }
    same_origin(&headers)?;
    let v = read_json(&headers, body, st.cfg.limits.max_body).await?;
    let m = &st.cfg.merchant;
    let currency = match v.get("currency") {
        None | Some(Value::Null) => m.currency.clone(),
        Some(Value::String(s)) => s.to_ascii_uppercase(),
        Some(_) => return Err(ApiError::bad_request("bad_currency", "currency must be a string")),
    };
    let mu = interpay::payload::currency::from_alpha(&currency)
        .map(|c| c.minor_units)
        .ok_or_else(|| ApiError::unprocessable("bad_currency", format!("{currency:?} is not an ISO 4217 currency")))?;
    let amount = match v.get("amount") {
        Some(Value::String(s)) => interpay::checkout::parse_amount(s, mu)
            .map_err(|e| ApiError::unprocessable("invalid_amount", format!("amount {s:?}: {e:?}")))?,
        _ => return Err(ApiError::bad_request("bad_amount", "amount (a decimal string) is required")),
    };
    if amount <= Decimal::ZERO || amount > m.max_amount {
        return Err(ApiError::unprocessable("invalid_amount", format!("a bill is for more than 0 and at most {}", m.max_amount)));
    }
    let note = match v.get("note") {
        Some(Value::String(s)) => Some(s.chars().take(200).collect::<String>()),
        _ => None,
    };
    let tip = parse_tip_rule(v.get("tip_rule"))?;
    // 62-01 holds 25 characters: "bil_" + 20 base32 characters (96 random bits).
    let id = random_id(&st.rng, "bil_", 12)[..24].to_string();
    let payload = bill_payload(m, &id, amount, &currency, tip)?;
    let now = store::now_ms();
    let bill = Bill {
        id: id.clone(),
        payload,
        amount: interpay::checkout::amount_string(amount, mu),
        currency,
        minor_units: i64::from(mu),
        note,
        status: "open".into(),
        paid_order_id: None,
        created_at: now,
        expires_at: now + st.cfg.bill_ttl.as_millis() as i64,
    };
    st.store.insert_bill(&bill).await?;
    log(&st, &format!("POST /api/bills {}", bill.amount), StatusCode::CREATED);
    let mut r = json_reply(StatusCode::CREATED, &bill_json(&bill, None, 0));
    if let Ok(v) = HeaderValue::from_str(&format!("/api/bills/{id}")) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

fn bill_state(b: &Bill, now: i64) -> &str {
    if b.status == "open" && b.expires_at <= now {
        "expired"
    } else {
        &b.status
    }
}

fn bill_json(b: &Bill, order: Option<&OrderRow>, attempts: i64) -> Value {
    let mut v = json!({
        "bill_id": b.id,
        "status": bill_state(b, store::now_ms()),
        "payload": b.payload,
        "amount": b.amount,
        "currency": b.currency,
        "note": b.note,
        "created_at": b.created_at,
        "expires_at": b.expires_at,
        "qr_url": format!("/api/bills/{}/qr.svg", b.id),
        "status_url": format!("/api/bills/{}", b.id),
        "events_url": format!("/api/bills/{}/events", b.id),
        "order_id": b.paid_order_id,
        "attempts": attempts,
    });
    if let Some(o) = order {
        v["paid_amount"] = json!(o.amount);
        v["tip"] = json!(o.tip);
        v["fee"] = json!(o.fee);
        v["wallet"] = json!(o.wallet);
    }
    v
}

async fn load_bill(st: &AppState, id: &str) -> Result<Value, ApiError> {
    let b = st.store.bill(id).await?.ok_or_else(|| ApiError::not_found("bill_not_found", format!("no bill {id:?}")))?;
    let order = match &b.paid_order_id {
        Some(o) => st.store.order(o).await?,
        None => None,
    };
    let attempts = st.store.count_orders_for_bill(&b.id).await?;
    Ok(bill_json(&b, order.as_ref(), attempts))
}

async fn bill_status(State(st): State<Arc<AppState>>, UrlPath(id): UrlPath<String>) -> Result<Response, ApiError> {
    Ok(json_reply(StatusCode::OK, &load_bill(&st, &id).await?))
}

async fn bill_qr(State(st): State<Arc<AppState>>, UrlPath(id): UrlPath<String>) -> Result<Response, ApiError> {
    let b = st.store.bill(&id).await?.ok_or_else(|| ApiError::not_found("bill_not_found", format!("no bill {id:?}")))?;
    let code = qrcode::QrCode::with_error_correction_level(b.payload.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| ApiError::unprocessable("cannot_render", e.to_string()))?;
    let svg = code.render::<qrcode::render::svg::Color>().quiet_zone(true).module_dimensions(8, 8).build();
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            // A bill's code never changes.
            (header::CACHE_CONTROL, "private, max-age=86400, immutable"),
        ],
        svg,
    )
        .into_response())
}

/// Server-sent events for the till: one `bill` event now and on every change, until paid or expired.
/// It polls the store, so it also sees payments recorded by another instance (PostgreSQL).
async fn bill_events(State(st): State<Arc<AppState>>, UrlPath(id): UrlPath<String>) -> Result<Response, ApiError> {
    let first = load_bill(&st, &id).await?;
    let deadline = tokio::time::Instant::now() + st.cfg.bill_ttl + Duration::from_secs(5);
    let stream = futures_util::stream::unfold((st, id, Some(first), String::new(), false), move |(st, id, pending, last, done)| async move {
        if done {
            return None;
        }
        let mut pending = pending;
        loop {
            if let Some(v) = pending.take() {
                let s = v.to_string();
                if s != last {
                    let fin = v["status"] != "open";
                    let ev = Event::default().event("bill").data(s.clone());
                    return Some((Ok::<_, std::convert::Infallible>(ev), (st, id, None, s, fin)));
                }
            }
            if tokio::time::Instant::now() > deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
            pending = load_bill(&st, &id).await.ok();
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()).into_response())
}

// ---------------------------------------------------------------------------------------------
// Orders

/// Who is paid, as the server knows it.
#[derive(Debug, Clone)]
struct Payee {
    name: Option<String>,
    city: Option<String>,
    /// `merchant` (this server's own account), `code` (as the code says, unverified), `sandbox`.
    source: &'static str,
}

impl Payee {
    fn json(&self) -> Value {
        json!({ "name": self.name, "city": self.city, "source": self.source, "verified": self.source == "merchant" })
    }
}

fn merchant_payee(m: &Merchant) -> Payee {
    Payee { name: Some(m.name.clone()), city: Some(m.city.clone()), source: "merchant" }
}

/// Decide whose code this is: one of this server's bills (the bill is the authority), this
/// merchant's static code, or another payee's (accepted only in sandbox mode).
async fn classify(st: &AppState, payload: &str, p: &Payment) -> Result<(Option<Bill>, Payee), ApiError> {
    if let Some(reference) = &p.references.bill_number {
        if let Some(b) = st.store.bill(reference).await? {
            if b.payload != payload {
                let why = match interpay::payload::parse(&b.payload) {
                    Ok(Code::Payment(issued)) => orders::tamper_reason(&issued, p),
                    _ => "other fields".into(),
                };
                return Err(ApiError::unprocessable(
                    "tampered_code",
                    format!("this code names bill {reference} but is not the code that bill issued ({why} changed)"),
                )
                .with(json!({ "bill_id": b.id, "bill_amount": b.amount, "currency": b.currency })));
            }
            return Ok((Some(b), merchant_payee(&st.cfg.merchant)));
        }
    }
    if st.cfg.merchant.is_payee_of(p) {
        if orders::is_dynamic(p) {
            return Err(ApiError::unprocessable(
                "unknown_bill",
                format!(
                    "this dynamic code pays {} but was not issued by its till (bill {})",
                    st.cfg.merchant.name,
                    p.references.bill_number.as_deref().unwrap_or("none")
                ),
            ));
        }
        return Ok((None, merchant_payee(&st.cfg.merchant)));
    }
    if st.cfg.sandbox {
        return Ok((None, code_payee(p, true)));
    }
    Err(ApiError::unprocessable(
        "payee_not_ours",
        format!("this code pays {}, not {}", p.payee.name.as_deref().unwrap_or("another payee"), st.cfg.merchant.name),
    ))
}

fn code_payee(p: &Payment, sandbox: bool) -> Payee {
    match &p.payee.name {
        Some(n) => Payee { name: Some(n.clone()), city: p.payee.city.clone(), source: "code" },
        // WeChat Pay / Alipay / UnionPay URL codes name nobody: in the sandbox, the sandbox merchant is paid.
        None if sandbox => Payee { name: Some(wallet_params::SANDBOX_MERCHANT.into()), city: None, source: "sandbox" },
        None => Payee { name: None, city: None, source: "code" },
    }
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    match headers.get("idempotency-key") {
        None => Ok(None),
        Some(v) => {
            let s = v.to_str().unwrap_or("").trim();
            if s.is_empty() || s.len() > orders::MAX_IDEMPOTENCY_KEY || !s.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(ApiError::bad_request("bad_idempotency_key", "Idempotency-Key: 1 to 200 visible ASCII characters"));
            }
            Ok(Some(s.to_string()))
        }
    }
}

fn order_json(o: &OrderRow, payee: Option<&Value>) -> Value {
    let params: Value = serde_json::from_str(&o.wallet_params).unwrap_or(Value::Null);
    let mut v = json!({
        "order_id": o.id,
        "status": o.status,
        "amount": o.amount,
        "currency": o.currency,
        "base_amount": o.base_amount,
        "tip": o.tip,
        "fee": o.fee,
        "wallet": o.wallet,
        "wallet_params": params,
        "status_url": format!("/api/orders/{}", o.id),
        "bill_id": o.bill_id,
        "expires_at": o.expires_at,
    });
    v["payee"] = payee.cloned().unwrap_or_else(|| json!({ "name": o.payee_name }));
    v
}

fn order_reply(status: StatusCode, o: &OrderRow, payee: Option<&Value>, replayed: bool) -> Response {
    let mut r = json_reply(status, &order_json(o, payee));
    if let Ok(v) = HeaderValue::from_str(&format!("/api/orders/{}", o.id)) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    if replayed {
        r.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    r
}

fn replay_or_refuse(o: &OrderRow, hash: &str, payee: &Value) -> Result<Response, ApiError> {
    if o.request_hash != hash {
        return Err(ApiError::unprocessable(
            "idempotency_key_reused",
            "this Idempotency-Key was used for another request: use a new key for a new order",
        )
        .with(json!({ "order_id": o.id })));
    }
    Ok(order_reply(StatusCode::OK, o, Some(payee), true))
}

async fn create_order(State(st): State<Arc<AppState>>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let r = create_order_inner(&st, &headers, body).await;
    log(&st, "POST /api/orders", r.as_ref().map(|r| r.status()).unwrap_or_else(|e| e.status));
    r
}

async fn create_order_inner(st: &AppState, headers: &HeaderMap, body: Body) -> Result<Response, ApiError> {
    let v = read_json(headers, body, st.cfg.limits.max_body).await?;
    let key = idempotency_key(headers)?;
    let req: OrderRequest = orders::read_request(&v)?;
    let payment = orders::parse_payment(&req, st.cfg.sandbox)?;
    let (bill, payee) = classify(st, &req.payload, &payment).await?;
    let locked = match &bill {
        Some(b) => Some(Decimal::from_str(&b.amount).map_err(|_| ApiError::unprocessable("bad_bill", "the bill's amount is unreadable"))?),
        None => None,
    };
    let price: Price = orders::price(&req, &payment, locked, st.cfg.merchant.max_amount)?;
    let (base, tip, fee, total) = (price.s(price.base), price.s(price.tip), price.s(price.fee), price.s(price.total));
    // What makes two requests "the same order": the code, the wallet and every part of the price.
    let hash = sha256_hex(&[&req.payload, &req.wallet, &price.currency, &base, &tip, &fee, &total]);
    let payee_v = payee.json();

    if let Some(k) = &key {
        if let Some(o) = st.store.order_by_idempotency_key(k).await? {
            return replay_or_refuse(&o, &hash, &payee_v);
        }
    }
    let now = store::now_ms();
    if let Some(b) = &bill {
        if b.status == "paid" {
            return Err(ApiError::conflict("bill_already_paid", format!("bill {} is already paid", b.id))
                .with(json!({ "order_id": b.paid_order_id })));
        }
        if b.expires_at <= now {
            return Err(ApiError::new(StatusCode::GONE, "bill_expired", format!("bill {} has expired: ask for a new code", b.id)));
        }
    }
    // A retry names the attempt it replaces: voided if still open, and a paid one is never paid again.
    if let Some(old) = &req.replaces {
        if let Some(o) = st.store.order(old).await? {
            if o.status == "paid" && (o.payload == req.payload) {
                return Err(ApiError::conflict("already_paid", format!("order {} for this code is already paid", o.id))
                    .with(json!({ "order_id": o.id })));
            }
            // Only an attempt for the same code can be voided this way.
            if o.status == "created" && o.payload == req.payload && st.store.close_order(&o.id, "cancelled", Some("superseded"), now).await? {
                close_at_gateway(st, &o);
            }
        }
    }

    for _ in 0..8 {
        if let Some(b) = &bill {
            if let Some(open) = st.store.open_order_for_bill(&b.id).await? {
                if open.expires_at <= now {
                    st.store.close_order(&open.id, "expired", Some("timeout"), now).await?;
                } else if open.request_hash == hash {
                    // The same bill, wallet and price again (a double tap, a reload): the same open order.
                    return Ok(order_reply(StatusCode::OK, &open, Some(&payee_v), false));
                } else {
                    // Another wallet or tip: the earlier attempt is voided (a real merchant closes the
                    // wallet-side order first), so the bill still has one open order.
                    if st.store.close_order(&open.id, "cancelled", Some("superseded"), now).await? {
                        close_at_gateway(st, &open);
                    }
                }
            }
        }
        let id = random_id(&st.rng, "ord_", 16);
        let schemes: Vec<String> = payment.schemes.iter().map(|s| s.id.clone()).collect();
        let fam = gateways::family(&st.gateways, &req.wallet, &schemes);
        let params = match fam {
            None => wallet_params::for_wallet(&req.wallet, &id, &total, &price.currency),
            Some(f) => {
                let public = st.cfg.public_url.clone().unwrap_or_default();
                let subject = payee.name.clone().unwrap_or_else(|| st.cfg.merchant.name.clone());
                let placement = gateways::Placement {
                    order_id: &id,
                    wallet: &req.wallet,
                    amount: &total,
                    currency: &price.currency,
                    subject: &subject,
                    payer: req.payer.as_ref(),
                    public_url: &public,
                    client_ip: &client_ip(headers),
                };
                gateways::place(&st.gateways, f, &placement).await?
            }
        };
        let mode = match fam {
            Some("wechat") => format!("wechat:{}", st.gateways.choice.wechat.as_str()),
            Some(_) => format!("alipay:{}", st.gateways.choice.alipay.as_str()),
            None if st.cfg.sandbox => "sandbox".into(),
            None => "live".into(),
        };
        let row = OrderRow {
            id: id.clone(),
            bill_id: bill.as_ref().map(|b| b.id.clone()),
            payload: req.payload.clone(),
            wallet: req.wallet.clone(),
            base_amount: base.clone(),
            tip: tip.clone(),
            fee: fee.clone(),
            amount: total.clone(),
            currency: price.currency.clone(),
            payee_name: payee.name.clone(),
            wallet_params: params.to_string(),
            status: "created".into(),
            status_reason: None,
            idempotency_key: key.clone(),
            request_hash: hash.clone(),
            mode,
            created_at: now,
            updated_at: now,
            expires_at: now + st.cfg.order_ttl.as_millis() as i64,
        };
        match st.store.insert_order(&row).await? {
            Insert::Inserted => return Ok(order_reply(StatusCode::CREATED, &row, Some(&payee_v), false)),
            Insert::Conflict => {
                if let Some(k) = &key {
                    if let Some(o) = st.store.order_by_idempotency_key(k).await? {
                        return replay_or_refuse(&o, &hash, &payee_v);
                    }
                }
                // Another request opened an order for this bill meanwhile: look again.
                if let Some(b) = &bill {
                    if let Some(open) = st.store.open_order_for_bill(&b.id).await? {
                        if open.request_hash == hash {
                            return Ok(order_reply(StatusCode::OK, &open, Some(&payee_v), false));
                        }
                    }
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
    }
    Err(ApiError::conflict("order_conflict", "this bill is being ordered concurrently; try again"))
}

/// Read an order, expiring it on the spot when it is open past its time.
async fn load_order(st: &AppState, id: &str) -> Result<OrderRow, ApiError> {
    let mut o = st.store.order(id).await?.ok_or_else(|| ApiError::not_found("order_not_found", format!("no order {id:?}")))?;
    let now = store::now_ms();
    if o.status == "created" && o.expires_at <= now {
        if st.store.close_order(&o.id, "expired", Some("timeout"), now).await? {
            o.status = "expired".into();
            o.status_reason = Some("timeout".into());
        } else if let Some(fresh) = st.store.order(id).await? {
            // Moved meanwhile (the sweeper, a notification): report what the store says now.
            o = fresh;
        }
    }
    Ok(o)
}

async fn order_status(State(st): State<Arc<AppState>>, UrlPath(id): UrlPath<String>) -> Result<Response, ApiError> {
    let mut o = load_order(&st, &id).await?;
    // Still open at a real gateway: the notification may be late, so ask the gateway.
    if o.status == "created" {
        if let Some(fam) = gateway_family(&o) {
            match gateways::query(&st.gateways, fam, &o.id).await {
                Ok(v) => {
                    settle(&st, &o, fam, v, "query").await?;
                    o = load_order(&st, &id).await?;
                }
                Err(e) => log(&st, &format!("status query {fam} {}: {e}", o.id), StatusCode::BAD_GATEWAY),
            }
        }
    }
    Ok(json_reply(
        StatusCode::OK,
        &json!({
            "order_id": o.id,
            "status": o.status,
            "amount": o.amount,
            "currency": o.currency,
            "base_amount": o.base_amount,
            "tip": o.tip,
            "fee": o.fee,
            "bill_id": o.bill_id,
            "status_reason": o.status_reason,
            "expires_at": o.expires_at,
        }),
    ))
}

/// `POST /api/resolve {"payload"}`: whom the code pays, before the shopper confirms.
async fn resolve(State(st): State<Arc<AppState>>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let v = read_json(&headers, body, st.cfg.limits.max_body).await?;
    let req = OrderRequest {
        payload: match v.get("payload") {
            Some(Value::String(s)) if !s.is_empty() && s.len() <= orders::MAX_PAYLOAD_CHARS * 4 => s.clone(),
            _ => return Err(ApiError::bad_request("missing_payload", "payload (the raw QR text) is required")),
        },
        ..Default::default()
    };
    let payment = orders::parse_payment(&req, st.cfg.sandbox)?;
    let (bill, payee) = classify(&st, &req.payload, &payment).await?;
    Ok(json_reply(
        StatusCode::OK,
        &json!({
            "payee": payee.json(),
            "amount": bill.as_ref().map(|b| json!(b.amount)).unwrap_or_else(|| json!(payment.amount.map(|a| a.to_string()))),
            "currency": bill.as_ref().map(|b| json!(b.currency)).unwrap_or_else(|| json!(payment.currency.as_ref().map(|c| c.code.clone()))),
            "bill_id": bill.as_ref().map(|b| b.id.clone()),
            "bill_status": bill.as_ref().map(|b| bill_state(b, store::now_ms()).to_string()),
        }),
    ))
}

// ---------------------------------------------------------------------------------------------
// Gateway notifications

/// The gateway family of an order placed through one (`wechat:mock`, `alipay:live`…).
fn gateway_family(o: &OrderRow) -> Option<&'static str> {
    match o.mode.split(':').next() {
        Some("wechat") => Some("wechat"),
        Some("alipay") => Some("alipay"),
        _ => None,
    }
}

/// Close a voided order at its gateway in the background (the shopper must not pay it any more).
fn close_at_gateway(st: &AppState, o: &OrderRow) {
    if let Some(fam) = gateway_family(o) {
        let (g, id, log_on) = (st.gateways.clone(), o.id.clone(), st.cfg.log);
        tokio::spawn(async move {
            if let Err(e) = gateways::close(&g, fam, &id).await {
                if log_on {
                    eprintln!("closing {fam} order {id} at the gateway: {e}");
                }
            }
        });
    }
}

/// The shopper's address as a proxy in front reports it (WeChat H5 wants `payer_client_ip`).
fn client_ip(headers: &HeaderMap) -> String {
    headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|s| s.trim().to_string())
        .filter(|s| s.parse::<std::net::IpAddr>().is_ok())
        .unwrap_or_else(|| "127.0.0.1".into())
}

/// Apply what the gateway said (notification or query) to the order, idempotently: a paid order
/// stays paid, a repeated verdict changes nothing, an amount that is not the order's is refused.
/// Answers whether the order changed.
async fn settle(st: &AppState, o: &OrderRow, fam: &str, v: gateways::Verdict, via: &str) -> Result<bool, ApiError> {
    if gateway_family(o) != Some(fam) {
        return Err(ApiError::conflict("wrong_gateway", format!("order {} was not placed through {fam}", o.id)));
    }
    let now = store::now_ms();
    match v {
        gateways::Verdict::Open => Ok(false),
        gateways::Verdict::Paid { amount } => {
            if !gateways::same_amount(&amount, &o.amount) {
                return Err(ApiError::conflict("amount_mismatch", format!("{fam} reports {amount} paid for order {} of {}", o.id, o.amount)));
            }
            if o.status == "paid" {
                return Ok(false);
            }
            match st.store.pay_order(o, now).await? {
                PayOutcome::Paid => {
                    log(st, &format!("{fam} {via}: order {} paid", o.id), StatusCode::OK);
                    Ok(true)
                }
                PayOutcome::BillAlreadyPaid => {
                    // The shopper paid twice for one bill: a real merchant refunds this one.
                    st.store.close_order(&o.id, "failed", Some("bill_already_paid"), now).await?;
                    Ok(true)
                }
                PayOutcome::NotOpen => Ok(false),
            }
        }
        gateways::Verdict::Closed => Ok(st.store.close_order(&o.id, "cancelled", Some("wallet_closed"), now).await?),
    }
}

fn wechat_fail(status: StatusCode, message: &str) -> Response {
    let mut r = (status, axum::Json(json!({ "code": "FAIL", "message": message }))).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// `POST /api/notify/wechat`: a WeChat Pay notification (signature, serial, timestamp window,
/// resource decrypted). 200 with no body = received (WeChat stops retrying); 4xx/5xx = retry.
async fn notify_wechat(State(st): State<Arc<AppState>>, headers: HeaderMap, body: Body) -> Response {
    let Some(wx) = st.gateways.wechat.clone() else {
        return wechat_fail(StatusCode::NOT_FOUND, "no WeChat Pay gateway here");
    };
    let Ok(bytes) = axum::body::to_bytes(body, st.cfg.limits.max_body).await else {
        return wechat_fail(StatusCode::PAYLOAD_TOO_LARGE, "body too large");
    };
    let text = String::from_utf8_lossy(&bytes);
    let n = match wx.receive_notification(&headers, &text, wallet_gateways::time::now_secs()).await {
        Ok(n) => n,
        Err(e) => {
            log(&st, &format!("POST /api/notify/wechat refused: {e}"), StatusCode::UNAUTHORIZED);
            return wechat_fail(StatusCode::UNAUTHORIZED, "signature or resource refused");
        }
    };
    let tx = &n.transaction;
    let Ok(Some(o)) = st.store.order(&tx.out_trade_no).await else {
        // Not ours (or the store is down: then WeChat retries).
        return wechat_fail(StatusCode::NOT_FOUND, "unknown out_trade_no");
    };
    match settle(&st, &o, "wechat", gateways::wechat_verdict(tx), "notification").await {
        Ok(_) => {
            log(&st, "POST /api/notify/wechat", StatusCode::OK);
            StatusCode::OK.into_response()
        }
        Err(e) => wechat_fail(e.status, &e.message),
    }
}

/// `POST /api/notify/alipay`: an Alipay asynchronous notification (RSA2 verified, this app's),
/// answered `success` once applied (Alipay retries anything else).
async fn notify_alipay(State(st): State<Arc<AppState>>, body: Body) -> Response {
    let fail = |s: StatusCode| (s, [(header::CONTENT_TYPE, "text/plain")], "fail").into_response();
    let Some(ali) = st.gateways.alipay.clone() else { return fail(StatusCode::NOT_FOUND) };
    let Ok(bytes) = axum::body::to_bytes(body, st.cfg.limits.max_body).await else { return fail(StatusCode::PAYLOAD_TOO_LARGE) };
    let n = match ali.notification(&String::from_utf8_lossy(&bytes)) {
        Ok(n) => n,
        Err(e) => {
            log(&st, &format!("POST /api/notify/alipay refused: {e}"), StatusCode::UNAUTHORIZED);
            return fail(StatusCode::UNAUTHORIZED);
        }
    };
    let Ok(Some(o)) = st.store.order(&n.out_trade_no).await else { return fail(StatusCode::NOT_FOUND) };
    match settle(&st, &o, "alipay", gateways::alipay_verdict(&n.trade_status, &n.total_amount), "notification").await {
        Ok(_) => {
            log(&st, "POST /api/notify/alipay", StatusCode::OK);
            ([(header::CONTENT_TYPE, "text/plain")], wallet_gateways::alipay::NOTIFY_SUCCESS).into_response()
        }
        Err(e) => fail(e.status),
    }
}

// ---------------------------------------------------------------------------------------------
// Sandbox

/// The sandbox's stand-in for a wallet's server-to-server notification. Sandbox mode only (the route
/// does not exist otherwise), `application/json` only, same-origin only, orders made by the sandbox
/// only, and the state machine enforced (created → paid | failed | cancelled; nothing leaves a final state).
async fn sandbox_pay(State(st): State<Arc<AppState>>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let r = sandbox_pay_inner(&st, &headers, body).await;
    log(&st, "POST /sandbox/wallet/pay", r.as_ref().map(|r| r.status()).unwrap_or_else(|e| e.status));
    r
}

async fn sandbox_pay_inner(st: &AppState, headers: &HeaderMap, body: Body) -> Result<Response, ApiError> {
    same_origin(headers)?;
    let v = read_json(headers, body, st.cfg.limits.max_body).await?;
    let Some(id) = v.get("order_id").and_then(Value::as_str) else {
        return Err(ApiError::bad_request("missing_order_id", "order_id is required"));
    };
    let to = match v.get("result").and_then(Value::as_str) {
        Some(r @ ("paid" | "failed" | "cancelled")) => r,
        _ => return Err(ApiError::bad_request("bad_result", "result must be \"paid\", \"failed\" or \"cancelled\"")),
    };
    let o = load_order(st, id).await?;
    if o.mode != "sandbox" {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "not_sandbox_order", "this order was not made by the sandbox"));
    }
    let done = |o: &OrderRow, changed: bool| json_reply(StatusCode::OK, &json!({ "order_id": o.id, "status": o.status, "changed": changed }));
    if o.status == to {
        // A repeated notification: nothing to do.
        return Ok(done(&o, false));
    }
    if o.status != "created" {
        let code = if o.status == "paid" { "already_paid" } else if o.status == "expired" { "order_expired" } else { "illegal_transition" };
        return Err(ApiError::conflict(code, format!("order {} is {}: it cannot become {to}", o.id, o.status))
            .with(json!({ "status": o.status })));
    }
    let now = store::now_ms();
    let changed = if to == "paid" {
        match st.store.pay_order(&o, now).await? {
            PayOutcome::Paid => true,
            PayOutcome::BillAlreadyPaid => {
                st.store.close_order(&o.id, "failed", Some("bill_already_paid"), now).await?;
                return Err(ApiError::conflict("bill_already_paid", "the bill of this order was paid by another order"));
            }
            PayOutcome::NotOpen => false,
        }
    } else {
        st.store.close_order(&o.id, to, Some("wallet"), now).await?
    };
    let o = load_order(st, id).await?;
    if !changed && o.status != to {
        return Err(ApiError::conflict("illegal_transition", format!("order {} is {}: it cannot become {to}", o.id, o.status))
            .with(json!({ "status": o.status })));
    }
    Ok(done(&o, changed))
}

// ---------------------------------------------------------------------------------------------
// Static files

/// Whether a file name carries a content hash (`app.3f9a2c1d.js`, `chunk-3f9a2c1d8e.wasm`): such a
/// file never changes under its name, so it is cached for a year.
pub fn is_content_hashed(name: &str) -> bool {
    name.split(['.', '-', '_']).any(|part| part.len() >= 8 && part.len() <= 64 && part.bytes().all(|b| b.is_ascii_hexdigit()) && part.bytes().any(|b| b.is_ascii_digit()))
        && name.contains('.')
}

async fn static_file(st: &AppState, path: &str, headers: &HeaderMap) -> Response {
    let paths = &st.cfg.paths;
    let index = paths.index();
    let (base, rest) = if path == "/" || path == "/index.html" {
        (index.parent().map(Path::to_path_buf).unwrap_or_default(), "index.html")
    } else if let Some(rest) = path.strip_prefix("/interpay/") {
        (paths.dist.clone(), rest)
    } else if path == "/interpay" {
        return redirect("/interpay/");
    } else if path == "/sandbox-wallet.js" {
        (paths.www.clone(), "sandbox-wallet.js")
    } else if let Some(rest) = path.strip_prefix("/miniprogram/") {
        (paths.www.join("miniprogram"), rest)
    } else {
        (paths.www.join("demo"), path.trim_start_matches('/'))
    };
    let Some(file) = safe_join(&base, rest) else {
        return ApiError::bad_request("bad_path", "invalid path").into_response();
    };
    let file = if tokio::fs::metadata(&file).await.map(|m| m.is_dir()).unwrap_or(false) {
        if !path.ends_with('/') {
            return redirect(&format!("{path}/"));
        }
        file.join("index.html")
    } else {
        file
    };
    let (meta, bytes) = match tokio::fs::metadata(&file).await {
        Ok(m) if m.is_file() => match tokio::fs::read(&file).await {
            Ok(b) => (m, b),
            Err(_) => return not_found(st, path),
        },
        _ => return not_found(st, path),
    };
    let mtime = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
    let etag = {
        let mut cache = st.etags.lock().unwrap_or_else(|e| e.into_inner());
        match cache.get(&file) {
            Some((t, len, tag)) if *t == mtime && *len == meta.len() => tag.clone(),
            _ => {
                // The content's own hash (raw bytes: a rebuilt wasm gets a new tag even if its size is equal).
                let digest = ring::digest::digest(&ring::digest::SHA256, &bytes);
                let hex: String = digest.as_ref()[..10].iter().map(|b| format!("{b:02x}")).collect();
                let tag = format!("\"{hex}\"");
                cache.insert(file.clone(), (mtime, meta.len(), tag.clone()));
                tag
            }
        }
    };
    let ct = mime_for(&file);
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    // The widget's files are public and meant to be embedded from other origins (a CDN's role).
    let widget_file = path.starts_with("/interpay/");
    // A precompressed copy (`x.br`, `x.gz` beside `x`, written by `cargo xtask build`) when the client takes it.
    let accepts = |enc: &str| {
        headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).is_some_and(|v| {
            v.split(',').any(|t| {
                let mut parts = t.split(';');
                let name = parts.next().unwrap_or("").trim();
                let refused = parts.any(|q| q.trim().replace(' ', "") == "q=0");
                name.eq_ignore_ascii_case(enc) && !refused
            })
        })
    };
    let mut encoding: Option<&'static str> = None;
    let mut bytes = bytes;
    for (enc, ext) in [("br", "br"), ("gzip", "gz")] {
        if !accepts(enc) {
            continue;
        }
        let mut alt = file.clone().into_os_string();
        alt.push(format!(".{ext}"));
        if let Ok(b) = tokio::fs::read(&alt).await {
            bytes = b;
            encoding = Some(enc);
            break;
        }
    }
    let etag = match encoding {
        Some(enc) => format!("{}-{enc}\"", etag.trim_end_matches('"')),
        None => etag,
    };
    let cache_control = if ct.starts_with("text/html") {
        "no-cache"
    } else if is_content_hashed(name) {
        "public, max-age=31536000, immutable"
    } else {
        // Revalidated each time (ETag / Last-Modified): a rebuilt widget is picked up at once.
        "no-cache"
    };
    let last_modified = httpdate::fmt_http_date(mtime);
    let not_modified = match headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        Some(inm) => inm.split(',').any(|t| t.trim().trim_start_matches("W/") == etag || t.trim() == "*"),
        None => headers
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok())
            .is_some_and(|since| mtime.duration_since(since).map(|d| d.as_secs() == 0).unwrap_or(true)),
    };
    let mut r = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = Response::new(Body::from(bytes));
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
        if let Some(enc) = encoding {
            r.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static(enc));
        }
        r
    };
    let h = r.headers_mut();
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if widget_file {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        h.insert(HeaderName::from_static("cross-origin-resource-policy"), HeaderValue::from_static("cross-origin"));
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&last_modified) {
        h.insert(header::LAST_MODIFIED, v);
    }
    if ct.starts_with("text/html") {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    }
    r
}

fn not_found(st: &AppState, path: &str) -> Response {
    if path.starts_with("/interpay/") && !st.cfg.paths.dist.exists() {
        return ApiError::not_found(
            "not_built",
            format!("{} does not exist: run `cargo xtask build` (or ./dev demo)", st.cfg.paths.dist.display()),
        )
        .into_response();
    }
    ApiError::not_found("not_found", format!("{path} not found")).into_response()
}

fn redirect(to: &str) -> Response {
    let mut r = StatusCode::MOVED_PERMANENTLY.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
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

/// The repository root this binary was built from (defaults for `--dist` / `--www`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_long_random_base32() {
        let rng = ring::rand::SystemRandom::new();
        let a = random_id(&rng, "ord_", 16);
        let b = random_id(&rng, "ord_", 16);
        assert_eq!(a.len(), 4 + 26);
        assert_ne!(a, b);
        assert!(a[4..].bytes().all(|c| c.is_ascii_lowercase() || (b'2'..=b'7').contains(&c)));
    }

    #[test]
    fn hashed_names() {
        assert!(is_content_hashed("app.3f9a2c1d.js"));
        assert!(is_content_hashed("interpay_bg-0a1b2c3d4e.wasm"));
        assert!(!is_content_hashed("interpay.js"));
        assert!(!is_content_hashed("interpay_bg.wasm"));
        assert!(!is_content_hashed("deadbeef"));
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact("postgres://u:secret@127.0.0.1:5432/db"), "postgres://u:***@127.0.0.1:5432/db");
        assert_eq!(redact("sqlite://x.sqlite?mode=rwc"), "sqlite://x.sqlite?mode=rwc");
    }
}
