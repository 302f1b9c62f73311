//! `sandbox-merchant [--port 8080] [--host 127.0.0.1] [--dist DIR] [--www DIR] [--quiet]`
//!
//! Serves the demo merchant page, the built widget and the sandbox merchant API. `--port 0` picks a free port;
//! the first line on stdout is always `listening on http://HOST:PORT/` (the e2e tests read it).

use sandbox_merchant::{repo_root, serve, App, Paths};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

const USAGE: &str = "usage: sandbox-merchant [--port 8080] [--host 127.0.0.1] [--dist DIR] [--www DIR] [--quiet]";

fn main() {
    let mut port: u16 = 8080;
    let mut host = String::from("127.0.0.1");
    let mut dist: Option<PathBuf> = None;
    let mut www: Option<PathBuf> = None;
    let mut quiet = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| -> String {
            args.next().unwrap_or_else(|| {
                eprintln!("sandbox-merchant: {name} needs a value\n{USAGE}");
                std::process::exit(2)
            })
        };
        match a.as_str() {
            "--port" | "-p" => {
                let v = value("--port");
                port = v.parse().unwrap_or_else(|_| {
                    eprintln!("sandbox-merchant: --port {v:?} is not a port number");
                    std::process::exit(2)
                })
            }
            "--host" => host = value("--host"),
            "--dist" => dist = Some(PathBuf::from(value("--dist"))),
            "--www" => www = Some(PathBuf::from(value("--www"))),
            "--quiet" | "-q" => quiet = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            other => {
                eprintln!("sandbox-merchant: unknown argument {other:?}\n{USAGE}");
                std::process::exit(2)
            }
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
    let server = match tiny_http::Server::http((host.as_str(), port)) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!("sandbox-merchant: cannot listen on {host}:{port}: {e}");
            std::process::exit(1)
        }
    };
    let addr = server.server_addr().to_ip().map(|a| a.to_string()).unwrap_or_else(|| format!("{host}:{port}"));
    println!("listening on http://{addr}/");
    let _ = std::io::stdout().flush();
    let mut app = App::new(paths);
    app.log = !quiet;
    serve(server, Arc::new(app), 4);
}
