//! `sandbox-merchant [--port 8080] [--host 127.0.0.1] [--dist DIR] [--www DIR] [--data-dir .data]
//!   [--database-url URL] [--sandbox | --live] [--order-ttl SECS] [--bill-ttl SECS] [--till-token TOKEN]
//!   [--header-timeout SECS] [--request-timeout SECS] [--max-connections N] [--quiet]
//!   [--gateway sandbox|mock|live] [--wechat MODE] [--alipay MODE] [--public-url URL]`
//!
//! Serves the demo merchant page, the built widget and the merchant API. `--port 0` picks a free port;
//! the first line on stdout is always `listening on http://HOST:PORT/` (the e2e tests read it).

use sandbox_merchant::{expiry_sweeper, redact, repo_root, router, serve, sqlite_url, AppState, Config, Paths};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

const USAGE: &str = "usage: sandbox-merchant [--port 8080] [--host 127.0.0.1] [--dist DIR] [--www DIR]
  [--data-dir .data] [--database-url sqlite://…|postgres://…]   (default: $DATABASE_URL, else an SQLite file in --data-dir)
  [--sandbox | --live]          sandbox mode (default): made-up wallet parameters and POST /sandbox/wallet/pay
  [--order-ttl 900] [--bill-ttl 3600]                 seconds an open order / a till bill lives
  [--till-token TOKEN]          POST /api/bills needs Authorization: Bearer TOKEN (also $INTERPAY_TILL_TOKEN; required with --live)
  [--header-timeout 10] [--request-timeout 15] [--max-connections 4096] [--max-header-bytes 16384]
  [--gateway sandbox|mock|live] every wallet family: sandbox (default, made-up parameters), mock (the
                                protocol-faithful mock gateways, in-process), live (the vendors: INTERPAY_WECHAT_*, INTERPAY_ALIPAY_*)
  [--wechat MODE] [--alipay MODE] one family only (also $INTERPAY_WECHAT_GATEWAY, $INTERPAY_ALIPAY_GATEWAY)
  [--public-url https://shop.example]  base of the notify/return URLs (default: the listening address; $INTERPAY_PUBLIC_URL)
  [--quiet]";

fn die(msg: &str) -> ! {
    eprintln!("sandbox-merchant: {msg}\n{USAGE}");
    std::process::exit(2)
}

fn main() {
    let mut port: u16 = 8080;
    let mut host = String::from("127.0.0.1");
    let mut dist: Option<PathBuf> = None;
    let mut www: Option<PathBuf> = None;
    let mut data_dir = PathBuf::from(".data");
    let mut database_url = std::env::var("DATABASE_URL").ok().filter(|s| !s.is_empty());
    let mut sandbox = true;
    let mut quiet = false;
    let mut cfg_secs: Vec<(String, u64)> = Vec::new();
    let mut till_token = std::env::var("INTERPAY_TILL_TOKEN").ok().filter(|s| !s.is_empty());
    let mut max_connections: Option<usize> = None;
    let mut max_header: Option<usize> = None;
    let env_mode = |n: &str| std::env::var(n).ok().filter(|s| !s.is_empty()).map(|v| v.parse().unwrap_or_else(|e: String| die(&format!("{n}: {e}"))));
    let mut choice = sandbox_merchant::gateways::Choice {
        wechat: env_mode("INTERPAY_WECHAT_GATEWAY").unwrap_or_default(),
        alipay: env_mode("INTERPAY_ALIPAY_GATEWAY").unwrap_or_default(),
    };
    let mut public_url = std::env::var("INTERPAY_PUBLIC_URL").ok().filter(|s| !s.is_empty());
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| -> String { args.next().unwrap_or_else(|| die(&format!("{name} needs a value"))) };
        match a.as_str() {
            "--port" | "-p" => {
                let v = value("--port");
                port = v.parse().unwrap_or_else(|_| die(&format!("--port {v:?} is not a port number")))
            }
            "--host" => host = value("--host"),
            "--dist" => dist = Some(PathBuf::from(value("--dist"))),
            "--www" => www = Some(PathBuf::from(value("--www"))),
            "--data-dir" => data_dir = PathBuf::from(value("--data-dir")),
            "--database-url" => database_url = Some(value("--database-url")),
            "--sandbox" => sandbox = true,
            "--live" => sandbox = false,
            "--till-token" => till_token = Some(value("--till-token")),
            "--gateway" | "--wechat" | "--alipay" => {
                let v = value(&a);
                let m: sandbox_merchant::gateways::Mode = v.parse().unwrap_or_else(|e: String| die(&format!("{a}: {e}")));
                if a != "--alipay" {
                    choice.wechat = m;
                }
                if a != "--wechat" {
                    choice.alipay = m;
                }
            }
            "--public-url" => public_url = Some(value("--public-url").trim_end_matches('/').to_string()),
            "--order-ttl" | "--bill-ttl" | "--header-timeout" | "--request-timeout" => {
                let v = value(&a);
                let n: u64 = v.parse().unwrap_or_else(|_| die(&format!("{a} {v:?} is not a number of seconds")));
                cfg_secs.push((a.clone(), n));
            }
            "--max-connections" => {
                let v = value(&a);
                max_connections = Some(v.parse().unwrap_or_else(|_| die(&format!("{a} {v:?} is not a number"))));
            }
            "--max-header-bytes" => {
                let v = value(&a);
                max_header = Some(v.parse().unwrap_or_else(|_| die(&format!("{a} {v:?} is not a number"))));
            }
            "--quiet" | "-q" => quiet = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            other => die(&format!("unknown argument {other:?}")),
        }
    }
    // Relative to the current directory when it exists there, else to the repository root.
    let resolve = |p: Option<PathBuf>, default: &str| -> PathBuf {
        let p = p.unwrap_or_else(|| PathBuf::from(default));
        if p.is_absolute() || p.exists() {
            p
        } else {
            repo_root().join(p)
        }
    };
    let paths = Paths { dist: resolve(dist, "dist"), www: resolve(www, "www") };
    if !paths.dist.join("pkg").exists() {
        eprintln!(
            "sandbox-merchant: warning: {} has no pkg/: build the widget first (`cargo xtask build`)",
            paths.dist.display()
        );
    }
    let data_dir = if data_dir.is_absolute() { data_dir } else { std::env::current_dir().unwrap_or_default().join(data_dir) };
    let mut cfg = Config::sandbox(paths, &data_dir);
    if let Some(url) = database_url {
        cfg.database_url = url;
    } else {
        cfg.database_url = sqlite_url(&data_dir);
    }
    cfg.sandbox = sandbox;
    cfg.till_token = till_token;
    if !sandbox && cfg.till_token.is_none() {
        die("--live needs --till-token (or $INTERPAY_TILL_TOKEN): the till API issues the codes shoppers pay");
    }
    for (k, n) in cfg_secs {
        let d = Duration::from_secs(n.max(1));
        match k.as_str() {
            "--order-ttl" => cfg.order_ttl = d,
            "--bill-ttl" => cfg.bill_ttl = d,
            "--header-timeout" => cfg.limits.header_timeout = d,
            _ => cfg.limits.request_timeout = d,
        }
    }
    if let Some(n) = max_connections {
        cfg.limits.max_connections = n.max(1);
    }
    if let Some(n) = max_header {
        cfg.limits.max_header_bytes = n;
    }
    cfg.log = !quiet;
    cfg.gateways = choice;
    cfg.public_url = public_url;

    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap_or_else(|e| {
        eprintln!("sandbox-merchant: cannot start the runtime: {e}");
        std::process::exit(1)
    });
    rt.block_on(async move {
        let db = redact(&cfg.database_url);
        let listener = match tokio::net::TcpListener::bind((host.as_str(), port)).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("sandbox-merchant: cannot listen on {host}:{port}: {e}");
                std::process::exit(1)
            }
        };
        let addr = listener.local_addr().map(|a| a.to_string()).unwrap_or_else(|_| format!("{host}:{port}"));
        let mut cfg = cfg;
        cfg.public_url.get_or_insert_with(|| format!("http://{addr}"));
        let state = match AppState::new(cfg).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("sandbox-merchant: {e}");
                std::process::exit(1)
            }
        };
        println!("listening on http://{addr}/");
        let _ = std::io::stdout().flush();
        if state.cfg.log {
            eprintln!("sandbox-merchant: store {db}; {} mode", if state.cfg.sandbox { "sandbox" } else { "live" });
            let g = &state.gateways;
            eprintln!(
                "sandbox-merchant: gateways: WeChat Pay {}, Alipay {}{}",
                g.choice.wechat.as_str(),
                g.choice.alipay.as_str(),
                g.mock_url.as_deref().map(|u| format!(" (mock gateways at {u})")).unwrap_or_default()
            );
        }
        tokio::spawn(expiry_sweeper(state.clone()));
        let limits = state.cfg.limits.clone();
        let app = router(state.clone());
        tokio::select! {
            _ = serve(listener, app, limits) => {}
            _ = shutdown_signal() => {}
        }
        // Every acknowledged order is already committed: closing is only politeness.
        let _ = tokio::time::timeout(Duration::from_secs(2), state.store.close()).await;
    });
    rt.shutdown_timeout(Duration::from_millis(200));
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => return std::future::pending().await,
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
