//! `cargo xtask …`: project build tasks.
//!
//! - `cargo xtask build [--dev] [--test-hooks] [--no-budget] [--profiling] [--out DIR]`: wasm32 builds of the
//!   `interpay` lib — the checkout UI (feature `widget`), the reader (feature `reader`: decoder + payload parser,
//!   for the decoder worker) with wasm SIMD and plain, the deep reader; with `--test-hooks` also
//!   `pkg/interpay_test.js`, with the browser tests' exports; `--profiling` keeps the function names (wasm-opt
//!   `-g`) for browser profiles (`bench/browser/profile.mjs`) —
//!   each → wasm-bindgen (as a library, version checked against Cargo.lock) → wasm-opt -Oz (npm
//!   `binaryen@132`, project-local under `.tools/`) → `DIR/pkg/`; the static loader/worker/CSS from `www/`;
//!   then the shipped layout (`assets.rs`: content-hashed names, SRI, precompressed copies, a versioned
//!   launcher, `manifest.json`) and the download-budget check. Default DIR: `dist/`.
//! - `cargo xtask y4m --png IN.png OUT.y4m`: a fake-camera video (white frames, the picture centred) for
//!   Chromium's `--use-file-for-fake-video-capture`. QR pictures come from `interpay encode --png`.

use anyhow::{anyhow, bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

mod assets;

/// The wasm-bindgen version this xtask links (`wasm-bindgen-cli-support` in xtask/Cargo.toml).
/// The wasm-bindgen schema is version-locked: the crate compiled into the wasm must match exactly.
const BINDGEN_VERSION: &str = "0.2.130";
/// The binaryen npm package (wasm-opt). Debian's wasm-opt 108 silently breaks wasm-bindgen output.
const BINARYEN_NPM: &str = "binaryen@132";
const BINARYEN_MAJOR: &str = "132";
/// The JS/CSS minifier for the shipped launcher, worker, glue and stylesheet (release builds).
const ESBUILD_NPM: &str = "esbuild@0.28.2";
const ESBUILD_VERSION: &str = "0.28.2";
/// Wasm features Rust 1.95 (LLVM 20+) enables by default for wasm32-unknown-unknown; wasm-opt must accept them
/// (wasm-bindgen drops the target_features section, so they cannot be auto-detected).
const WASM_OPT_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-call-indirect-overlong",
    "--enable-multivalue",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-sign-ext",
];
/// Static files of the widget copied next to `pkg/` (whatever exists).
const WWW_FILES: &[&str] = &["interpay.js", "decoder-worker.js", "interpay.css"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Err(e) = run(&args) {
        eprintln!("xtask: error: {e:#}");
        std::process::exit(1);
    }
}

const USAGE: &str = "usage:
  cargo xtask build [--dev] [--test-hooks] [--no-budget] [--profiling] [--out DIR]
                                               build the widget into DIR (default dist/): the UI and reader wasm
                                               modules, content-hashed assets with SRI, a size-budget check;
                                               --test-hooks adds pkg/interpay_test.js (the browser tests' exports,
                                               never in a bundle you ship); --profiling keeps function names
                                               (browser profiles: bench/browser/profile.mjs)
  cargo xtask example                          the Leptos example app (examples/leptos-app) for wasm32, bound into
                                               examples/leptos-app/www/demo/pkg/ (serve it with dist/ at /interpay/)
  cargo xtask y4m --png IN OUT [--width 640] [--height 480] [--frames 10] [--fps 10] [--scale F] [--blur R] [--gain G]
                                               fake-camera Y4M video with the picture centred on white";

fn run(args: &[String]) -> Result<()> {
    let Some((cmd, rest)) = args.split_first() else {
        bail!("missing command\n{USAGE}");
    };
    match cmd.as_str() {
        "build" => build(rest),
        "example" => example(rest),
        "y4m" => y4m(rest),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown command {other:?}\n{USAGE}"),
    }
}

/// Tiny flag parser: `--flag value` and boolean `--flag`; positional arguments kept in order.
struct Args {
    flags: Vec<(String, Option<String>)>,
    positional: Vec<String>,
}

impl Args {
    fn parse(args: &[String], booleans: &[&str]) -> Result<Args> {
        let mut flags = Vec::new();
        let mut positional = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if let Some(name) = a.strip_prefix("--") {
                if let Some((k, v)) = name.split_once('=') {
                    flags.push((k.to_string(), Some(v.to_string())));
                } else if booleans.contains(&name) {
                    flags.push((name.to_string(), None));
                } else {
                    let v = it.next().ok_or_else(|| anyhow!("--{name} needs a value"))?;
                    flags.push((name.to_string(), Some(v.clone())));
                }
            } else {
                positional.push(a.clone());
            }
        }
        Ok(Args { flags, positional })
    }
    fn has(&self, name: &str) -> bool {
        self.flags.iter().any(|(k, _)| k == name)
    }
    fn get(&self, name: &str) -> Option<&str> {
        self.flags.iter().rev().find(|(k, _)| k == name).and_then(|(_, v)| v.as_deref())
    }
    fn num(&self, name: &str, default: u32) -> Result<u32> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => v.parse().with_context(|| format!("--{name} {v:?} is not a number")),
        }
    }
    fn check_known(&self, known: &[&str]) -> Result<()> {
        for (k, _) in &self.flags {
            if !known.contains(&k.as_str()) {
                bail!("unknown option --{k}\n{USAGE}");
            }
        }
        Ok(())
    }
}

/// The workspace root, found at run time (the binary may have been built from another checkout sharing
/// CARGO_TARGET_DIR): `cargo run` sets CARGO_MANIFEST_DIR for the process; else ask cargo; else compile time.
fn repo_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") {
        let p = PathBuf::from(dir);
        if p.join("Cargo.toml").exists() && p.file_name().is_some_and(|n| n == "xtask") {
            if let Some(parent) = p.parent() {
                return parent.to_path_buf();
            }
        }
    }
    if let Ok(out) = Command::new(cargo()).args(["locate-project", "--workspace", "--message-format", "plain"]).output() {
        if out.status.success() {
            let manifest = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
            if let Some(parent) = manifest.parent() {
                if parent.join("xtask").exists() {
                    return parent.to_path_buf();
                }
            }
        }
    }
    // xtask/ lives directly under the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask has a parent dir").to_path_buf()
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// The workspace target directory as cargo sees it (respects CARGO_TARGET_DIR and config).
fn target_dir(root: &Path) -> Result<PathBuf> {
    let out = Command::new(cargo())
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(root)
        .output()
        .context("running cargo metadata")?;
    let out = if out.status.success() {
        out
    } else {
        Command::new(cargo())
            .args(["metadata", "--format-version", "1", "--no-deps"])
            .current_dir(root)
            .output()
            .context("running cargo metadata")?
    };
    if !out.status.success() {
        bail!("cargo metadata failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).context("parsing cargo metadata")?;
    let dir = v["target_directory"].as_str().ok_or_else(|| anyhow!("cargo metadata: no target_directory"))?;
    Ok(PathBuf::from(dir))
}

/// Versions of `name` recorded in Cargo.lock.
fn lock_versions(lock: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current_name: Option<&str> = None;
    for line in lock.lines() {
        let line = line.trim();
        if line == "[[package]]" {
            current_name = None;
        } else if let Some(v) = line.strip_prefix("name = ") {
            current_name = Some(v.trim_matches('"'));
        } else if let Some(v) = line.strip_prefix("version = ") {
            if current_name == Some(name) {
                out.push(v.trim_matches('"').to_string());
            }
        }
    }
    out
}

/// The wasm-bindgen crate compiled into the wasm and the wasm-bindgen-cli-support linked here must be identical.
fn check_bindgen_lock(root: &Path) -> Result<()> {
    let lock_path = root.join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path).with_context(|| format!("reading {}", lock_path.display()))?;
    check_bindgen_versions(&lock)
}

fn check_bindgen_versions(lock: &str) -> Result<()> {
    let wb = lock_versions(lock, "wasm-bindgen");
    let cli = lock_versions(lock, "wasm-bindgen-cli-support");
    match wb.as_slice() {
        [v] if v == BINDGEN_VERSION => {}
        [] => bail!("Cargo.lock has no wasm-bindgen package; is the interpay crate's wasm32 dependency gone?"),
        vs => bail!(
            "wasm-bindgen version mismatch: Cargo.lock has wasm-bindgen {vs:?}, xtask links wasm-bindgen-cli-support \
             {BINDGEN_VERSION}. Pin both to the same exact version (Cargo.toml `wasm-bindgen = \"=X\"`, \
             xtask/Cargo.toml `wasm-bindgen-cli-support = \"=X\"`, and BINDGEN_VERSION in xtask/src/main.rs)."
        ),
    }
    if cli.iter().any(|v| v != BINDGEN_VERSION) {
        bail!("Cargo.lock has wasm-bindgen-cli-support {cli:?} but xtask expects {BINDGEN_VERSION}: update BINDGEN_VERSION");
    }
    Ok(())
}

fn run_cmd(cmd: &mut Command) -> Result<()> {
    let status = cmd.status().with_context(|| format!("starting {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed with {status}");
    }
    Ok(())
}

/// `.tools/node_modules/.bin/<bin>` of the npm package `package`, installed there (project-local) when it is
/// missing or `version_ok` refuses what its `--version` prints.
fn npm_tool(root: &Path, bin: &str, package: &str, what: &str, version_ok: impl Fn(&str) -> bool) -> Result<PathBuf> {
    let tools = root.join(".tools");
    let path = tools.join("node_modules").join(".bin").join(bin);
    let ok = |path: &Path| -> bool {
        Command::new(path)
            .arg("--version")
            .output()
            .map(|o| o.status.success() && version_ok(&String::from_utf8_lossy(&o.stdout)))
            .unwrap_or(false)
    };
    if path.exists() && ok(&path) {
        return Ok(path);
    }
    eprintln!("xtask: installing {package} into {} (project-local {what})", tools.display());
    std::fs::create_dir_all(&tools)?;
    run_cmd(
        Command::new("npm")
            .args(["install", "--prefix"])
            .arg(&tools)
            .args(["--no-audit", "--no-fund", "--loglevel=error", "--save-exact", package]),
    )
    .with_context(|| format!("npm install {package} (is Node.js/npm installed?)"))?;
    if !ok(&path) {
        bail!("{} is not {package} after install", path.display());
    }
    Ok(path)
}

/// Project-local wasm-opt from npm binaryen.
fn wasm_opt(root: &Path) -> Result<PathBuf> {
    npm_tool(root, "wasm-opt", BINARYEN_NPM, "wasm-opt", |v| v.contains(&format!("version {BINARYEN_MAJOR}")))
}

/// Project-local esbuild from npm: minifies what the browser downloads.
fn esbuild(root: &Path) -> Result<PathBuf> {
    npm_tool(root, "esbuild", ESBUILD_NPM, "minifier", |v| v.trim() == ESBUILD_VERSION)
}

/// One wasm module of the widget: the crate built with `features` under cargo profile `profile`, bound by
/// wasm-bindgen as `out_name`.
struct Module {
    out_name: &'static str,
    features: &'static str,
    optimize: bool,
    profile: &'static str,
    /// Compiled with `-C target-feature=+simd128` (wasm SIMD: the autovectorised pixel loops and the
    /// `core::arch::wasm32` paths behind `cfg(target_feature = "simd128")`), and wasm-opt told so.
    simd: bool,
}

/// The rustc flag of the SIMD reader, appended to whatever RUSTFLAGS the caller set.
const SIMD_RUSTFLAGS: &str = "-C target-feature=+simd128";
/// The cargo profile of the SIMD reader (Cargo.toml `[profile.wasm-simd]`: `release` under another name, so
/// its artifacts, built with other RUSTFLAGS, live beside the plain reader's instead of replacing them).
const SIMD_PROFILE: &str = "wasm-simd";
/// Its `--dev` counterpart (`dev` under another name, same reason).
const SIMD_DEV_PROFILE: &str = "wasm-simd-dev";

/// The cargo profile of the UI modules (Cargo.toml `[profile.wasm-ui]`: release, optimised for size). The
/// reader, on the decode hot path, keeps `release` (opt-level 3).
const UI_PROFILE: &str = "wasm-ui";

/// The checkout UI (loaded by `interpay.js`), the reader (decoder + payload parser, loaded by the decoder
/// worker) twice — with wasm SIMD (what the worker loads where `WebAssembly.validate` accepts a SIMD
/// instruction: Chromium 91+, Firefox 89+, Safari 16.4+) and plain (older engines) —, the deep reader (the parser with IDNA, confusables, secp256k1 and Keccak, loaded by the worker
/// for the few codes that need them), and with `--test-hooks` the UI plus the browser tests' exports (never shipped).
fn modules(test_hooks: bool) -> Vec<Module> {
    let mut m = vec![
        Module { out_name: "interpay", features: "widget", optimize: true, profile: UI_PROFILE, simd: false },
        Module { out_name: "interpay_reader", features: "reader", optimize: true, profile: "release", simd: false },
        Module { out_name: "interpay_reader_simd", features: "reader", optimize: true, profile: SIMD_PROFILE, simd: true },
        // The payload parser with the deep checks (payload::deep), fetched by the worker the first time a
        // code needs one: not on the decode hot path, so built for size.
        Module { out_name: "interpay_deep_reader", features: "deep-reader", optimize: true, profile: UI_PROFILE, simd: false },
    ];
    if test_hooks {
        // Size does not matter here: no wasm-opt pass. The UI's profile, so it shares the UI's compiled dependencies.
        m.push(Module { out_name: "interpay_test", features: "widget,reader,test-hooks", optimize: false, profile: UI_PROFILE, simd: false });
    }
    m
}

/// RUSTFLAGS of the SIMD reader's build: the caller's, plus [`SIMD_RUSTFLAGS`].
fn simd_rustflags(existing: Option<&str>) -> String {
    match existing.map(str::trim) {
        Some(e) if !e.is_empty() => format!("{e} {SIMD_RUSTFLAGS}"),
        _ => SIMD_RUSTFLAGS.to_string(),
    }
}

/// Download budgets (gzip bytes of the widget's own files; the merchant's page comes on top), checked by
/// every release build:
/// - before the launch button works: issue 12's goal (150 KB with the page), met: the launcher and its
///   stylesheet are about 8 KB;
/// - once scanning runs: a ceiling just above today's size, so that nothing grows unnoticed. Issue 12's goal
///   is 350 KB; the UI and reader modules are about 536 KB gzip (431 KB brotli, as served), the UI module's
///   Leptos views and payload serde being the bulk (README). The deep reader is not counted: the worker
///   fetches it only for a code that needs its checks. Of the two readers (SIMD and plain) a browser downloads
///   one: the larger is counted.
pub const BUDGET_FIRST_LOAD: u64 = 140 * 1024;
pub const BUDGET_SCANNING: u64 = 538 * 1024;

fn build(args: &[String]) -> Result<()> {
    let a = Args::parse(args, &["dev", "release", "test-hooks", "no-budget", "profiling"])?;
    a.check_known(&["dev", "release", "test-hooks", "out", "no-budget", "profiling"])?;
    let dev = a.has("dev");
    let test_hooks = a.has("test-hooks");
    let root = repo_root();
    let out = match a.get("out") {
        Some(d) => {
            let p = PathBuf::from(d);
            if p.is_absolute() {
                p
            } else {
                std::env::current_dir()?.join(p)
            }
        }
        None => root.join("dist"),
    };
    check_bindgen_lock(&root)?;
    let target = target_dir(&root)?;
    let pkg = out.join("pkg");
    for stale in [pkg.clone(), out.join("assets")] {
        if stale.exists() {
            std::fs::remove_dir_all(&stale).with_context(|| format!("cleaning {}", stale.display()))?;
        }
    }
    std::fs::create_dir_all(&pkg)?;

    for m in modules(test_hooks) {
        // 1. wasm32 build of the lib with this module's features.
        let (profile, dir) = match (dev, m.simd) {
            (true, true) => (SIMD_DEV_PROFILE, SIMD_DEV_PROFILE),
            (true, false) => ("dev", "debug"),
            _ => (m.profile, m.profile),
        };
        let simd = if m.simd { format!(", {SIMD_RUSTFLAGS}") } else { String::new() };
        eprintln!("xtask: cargo build --lib --target wasm32-unknown-unknown (profile {profile}, features {}{simd})", m.features);
        let mut cmd = Command::new(cargo());
        cmd.args(["build", "--lib", "--target", "wasm32-unknown-unknown", "-p", "interpay", "--no-default-features"])
            .args(["--features", m.features, "--profile", profile])
            .current_dir(&root);
        if m.simd {
            cmd.env("RUSTFLAGS", simd_rustflags(std::env::var("RUSTFLAGS").ok().as_deref()));
        }
        let started = std::time::Instant::now();
        run_cmd(&mut cmd)?;
        eprintln!("xtask: {}: cargo build {:.1} s", m.out_name, started.elapsed().as_secs_f64());
        let wasm = target.join("wasm32-unknown-unknown").join(dir).join("interpay.wasm");
        if !wasm.exists() {
            bail!("{} not found after the build", wasm.display());
        }

        // 2. wasm-bindgen (library), --target web.
        eprintln!("xtask: wasm-bindgen {BINDGEN_VERSION} --target web → {}/{}.js", pkg.display(), m.out_name);
        let mut bg = wasm_bindgen_cli_support::Bindgen::new();
        // Same defaults as the wasm-bindgen CLI (the library defaults differ): keep the default module path so
        // `init()` with no argument fetches `<name>_bg.wasm` next to `<name>.js`.
        bg.input_path(&wasm)
            .web(true)?
            .out_name(m.out_name)
            .typescript(true)
            .omit_default_module_path(false)
            .debug(dev)
            .keep_debug(dev);
        bg.generate(&pkg).map_err(|e| anyhow!("wasm-bindgen: {e:#}"))?;
        if pkg.join("snippets").exists() {
            bail!("wasm-bindgen wrote snippets/ (inline_js): the hashed asset layout does not carry them; use js.rs instead");
        }

        // 3. wasm-opt -Oz (release only).
        let bg_wasm = pkg.join(format!("{}_bg.wasm", m.out_name));
        if !dev && m.optimize {
            let opt = wasm_opt(&root)?;
            eprintln!("xtask: wasm-opt -Oz {}", bg_wasm.display());
            let tmp = pkg.join(format!("{}_bg.opt.wasm", m.out_name));
            let mut cmd = Command::new(&opt);
            cmd.arg("-Oz").args(WASM_OPT_FEATURES);
            if m.simd {
                cmd.arg("--enable-simd");
            }
            if a.has("profiling") {
                cmd.arg("-g");
            } else {
                cmd.args(["--strip-debug", "--strip-producers"]);
            }
            cmd.arg(&bg_wasm).arg("-o").arg(&tmp);
            run_cmd(&mut cmd)?;
            std::fs::rename(&tmp, &bg_wasm)?;
        }
        eprintln!("xtask: {}: built in {:.1} s (cargo, wasm-bindgen, wasm-opt)", m.out_name, started.elapsed().as_secs_f64());
    }

    // 4. Static widget files under their own names (for Rust apps and `dist/pkg` users).
    let www = root.join("www");
    for f in WWW_FILES {
        let src = www.join(f);
        let dst = out.join(f);
        if src.exists() {
            std::fs::copy(&src, &dst).with_context(|| format!("copying {}", src.display()))?;
        } else {
            eprintln!("xtask: warning: www/{f} does not exist, not copied");
            let _ = std::fs::remove_file(&dst);
        }
    }

    // 5. The shipped layout: content-hashed assets, the launcher pointing at them with SRI, a versioned copy.
    // Release builds ship minified JS and CSS (dev builds keep them readable).
    let minifier = if dev { None } else { Some(esbuild(&root)?) };
    let shipped = assets::publish(&root, &out, &www, minifier.as_deref())?;

    // 6. Sizes and budgets.
    println!("built {} ({})", out.display(), if dev { "dev" } else { "release" });
    println!("  {:<44} {:>9} {:>9} {:>9}", "file", "bytes", "gzip", "brotli");
    for f in &shipped.files {
        println!("  {:<44} {:>9} {:>9} {:>9}", f.path, f.bytes, f.gzip, f.brotli);
    }
    println!("  before the launch button works: {:>7} B gzip (budget {} B)", shipped.first_load_gzip, BUDGET_FIRST_LOAD);
    println!("  once scanning runs:             {:>7} B gzip (budget {} B)", shipped.scanning_gzip, BUDGET_SCANNING);
    if !dev && !a.has("no-budget") {
        let mut over = Vec::new();
        if shipped.first_load_gzip > BUDGET_FIRST_LOAD {
            over.push(format!("first load {} B > {} B", shipped.first_load_gzip, BUDGET_FIRST_LOAD));
        }
        if shipped.scanning_gzip > BUDGET_SCANNING {
            over.push(format!("scanning {} B > {} B", shipped.scanning_gzip, BUDGET_SCANNING));
        }
        if !over.is_empty() {
            bail!("over the download budget: {} (see README \"Size\"; --no-budget to build anyway)", over.join(", "));
        }
    }
    Ok(())
}

/// The Leptos example app: a wasm32 release build (its dependencies are the UI module's, already built by
/// `cargo xtask build`) and wasm-bindgen `--target web` into `www/demo/pkg/app.js`.
fn example(args: &[String]) -> Result<()> {
    let a = Args::parse(args, &[])?;
    a.check_known(&[])?;
    let root = repo_root();
    check_bindgen_lock(&root)?;
    let target = target_dir(&root)?;
    eprintln!("xtask: cargo build --profile {UI_PROFILE} --target wasm32-unknown-unknown -p interpay-leptos-app");
    run_cmd(
        Command::new(cargo())
            .args(["build", "--profile", UI_PROFILE, "--target", "wasm32-unknown-unknown", "-p", "interpay-leptos-app"])
            .current_dir(&root),
    )?;
    let wasm = target.join("wasm32-unknown-unknown").join(UI_PROFILE).join("interpay-leptos-app.wasm");
    let out = root.join("examples/leptos-app/www/demo/pkg");
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    std::fs::create_dir_all(&out)?;
    let mut bg = wasm_bindgen_cli_support::Bindgen::new();
    bg.input_path(&wasm).web(true)?.out_name("app").omit_default_module_path(false);
    bg.generate(&out).map_err(|e| anyhow!("wasm-bindgen: {e:#}"))?;
    println!("built {}/app.js", out.display());
    Ok(())
}

/// Fake-camera video: `frames` identical 4:2:0 frames, white background, the picture centred
/// (nearest-neighbour integer scaling so modules stay sharp, like a phone held still in front of a screen).
fn y4m(args: &[String]) -> Result<()> {
    let a = Args::parse(args, &[])?;
    a.check_known(&["png", "width", "height", "frames", "fps", "scale", "gain", "blur"])?;
    let [out] = a.positional.as_slice() else {
        bail!("exactly one OUT.y4m is required\n{USAGE}");
    };
    let (w, h) = (a.num("width", 640)?, a.num("height", 480)?);
    if w == 0 || h == 0 || w % 2 != 0 || h % 2 != 0 || w > 4096 || h > 4096 {
        bail!("--width/--height must be even and in 2..=4096");
    }
    let frames = a.num("frames", 10)?.max(1);
    let fps = a.num("fps", 10)?.max(1);
    let png = a.get("png").ok_or_else(|| anyhow!("--png IN.png is required\n{USAGE}"))?;
    let code = image::open(png).with_context(|| format!("reading {png}"))?.to_luma8();
    let (cw, ch) = code.dimensions();
    if cw == 0 || ch == 0 {
        bail!("empty image");
    }
    // Fit within ~80% of the shorter side, integer factor (or downscale when the PNG is larger).
    let target = (w.min(h) * 8 / 10).max(1);
    let scale_num = match a.get("scale") {
        // Fractional factors (e.g. 1.6 px per module) give uneven modules, as a phone's sensor does.
        Some(v) => v.parse::<f64>().ok().filter(|f| f.is_finite() && *f >= 0.5).ok_or_else(|| anyhow!("--scale {v:?} is not a number >= 0.5"))?,
        None => {
            let s = (target / cw.max(ch)).max(1);
            if cw.max(ch) > target {
                target as f64 / cw.max(ch) as f64
            } else {
                s as f64
            }
        }
    };
    let sw = ((cw as f64) * scale_num).round() as u32;
    let sh = ((ch as f64) * scale_num).round() as u32;
    let (ox, oy) = ((w.saturating_sub(sw)) / 2, (h.saturating_sub(sh)) / 2);
    let mut luma = vec![255u8; (w * h) as usize];
    for y in 0..h.min(sh) {
        let sy = (((y as f64) / scale_num) as u32).min(ch - 1);
        for x in 0..w.min(sw) {
            let sx = (((x as f64) / scale_num) as u32).min(cw - 1);
            let v = code.get_pixel(sx, sy).0[0];
            luma[((oy + y) * w + ox + x) as usize] = v;
        }
    }
    // A bad shot: `--blur R` (a box blur of radius R pixels, twice: out of focus), `--gain G` (every pixel
    // times G: a dark room).
    let blur: u32 = a.num("blur", 0)?;
    for _ in 0..if blur > 0 { 2 } else { 0 } {
        luma = box_blur(&luma, w as usize, h as usize, blur as usize);
    }
    if let Some(g) = a.get("gain") {
        let g: f64 = g.parse().with_context(|| format!("--gain {g:?} is not a number"))?;
        for v in luma.iter_mut() {
            *v = ((*v as f64) * g).round().clamp(0.0, 255.0) as u8;
        }
    }
    let chroma = vec![128u8; ((w / 2) * (h / 2)) as usize];
    let mut data = Vec::with_capacity((frames as usize) * (luma.len() + 2 * chroma.len() + 6) + 64);
    data.extend_from_slice(format!("YUV4MPEG2 W{w} H{h} F{fps}:1 Ip A1:1 C420\n").as_bytes());
    for _ in 0..frames {
        data.extend_from_slice(b"FRAME\n");
        data.extend_from_slice(&luma);
        data.extend_from_slice(&chroma);
        data.extend_from_slice(&chroma);
    }
    std::fs::write(out, data).with_context(|| format!("writing {out}"))?;
    Ok(())
}

/// Separable box blur of radius `r` (edges clamped).
fn box_blur(src: &[u8], w: usize, h: usize, r: usize) -> Vec<u8> {
    let pass = |src: &[u8], horizontal: bool| -> Vec<u8> {
        let mut out = vec![0u8; src.len()];
        let (n, m) = if horizontal { (h, w) } else { (w, h) };
        for a in 0..n {
            for b in 0..m {
                let (lo, hi) = (b.saturating_sub(r), (b + r).min(m - 1));
                let mut sum = 0u32;
                for k in lo..=hi {
                    sum += src[if horizontal { a * w + k } else { k * w + a }] as u32;
                }
                out[if horizontal { a * w + b } else { b * w + a }] = (sum / (hi - lo + 1) as u32) as u8;
            }
        }
        out
    };
    pass(&pass(src, true), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_versions_reads_packages() {
        let lock = "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n\n[[package]]\nname = \"wasm-bindgen-cli-support\"\nversion = \"0.2.130\"\n";
        assert_eq!(lock_versions(lock, "wasm-bindgen"), vec!["0.2.130"]);
        assert_eq!(lock_versions(lock, "wasm-bindgen-cli-support"), vec!["0.2.130"]);
        assert!(lock_versions(lock, "serde").is_empty());
    }

    #[test]
    fn a_bindgen_mismatch_is_a_clear_error() {
        let lock = "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.131\"\n";
        let e = check_bindgen_versions(lock).unwrap_err().to_string();
        assert!(e.contains("version mismatch") && e.contains("0.2.131") && e.contains(BINDGEN_VERSION), "{e}");
        assert!(check_bindgen_versions("").unwrap_err().to_string().contains("no wasm-bindgen"));
    }

    #[test]
    fn y4m_video_has_the_picture_centred_on_white() {
        let dir = std::env::temp_dir().join(format!("xtask-y4m-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // A 29×29 picture (a version-3 QR code's size), a dark frame around a light middle.
        let png = dir.join("t.png");
        image::GrayImage::from_fn(29, 29, |x, y| image::Luma([if (4..25).contains(&x) && (4..25).contains(&y) { 255 } else { 0 }]))
            .save(&png)
            .unwrap();
        let out = dir.join("t.y4m");
        let args: Vec<String> =
            ["--png", png.to_str().unwrap(), "--frames", "3", out.to_str().unwrap()].iter().map(|s| s.to_string()).collect();
        y4m(&args).unwrap();
        let data = std::fs::read(&out).unwrap();
        let header = b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420\n";
        assert!(data.starts_with(header));
        let frame = 6 + 640 * 480 * 3 / 2;
        assert_eq!(data.len(), header.len() + 3 * frame);
        let luma = &data[header.len() + 6..header.len() + 6 + 640 * 480];
        assert_eq!(luma[0], 255, "corner is white");
        let dark = luma.iter().filter(|&&v| v < 128).count();
        assert!(dark > 10_000, "the code is there ({dark} dark pixels)");
        // Centred: dark pixels balanced left/right.
        let left = (0..480).flat_map(|y| (0..320).map(move |x| (y, x))).filter(|&(y, x)| luma[y * 640 + x] < 128).count();
        assert!((left as f64 / dark as f64 - 0.5).abs() < 0.1);
        assert!(y4m(&["--png".into(), png.to_str().unwrap().into(), "--width".into(), "641".into(), "o.y4m".into()]).is_err());
        assert!(y4m(&["--text".into(), "x".into(), "o.y4m".into()]).is_err(), "QR rendering is `interpay encode`'s job");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn only_the_simd_reader_is_built_with_simd128() {
        let m = modules(true);
        let simd: Vec<&str> = m.iter().filter(|m| m.simd).map(|m| m.out_name).collect();
        assert_eq!(simd, ["interpay_reader_simd"]);
        let plain = m.iter().find(|m| m.out_name == "interpay_reader").unwrap();
        let fast = m.iter().find(|m| m.out_name == "interpay_reader_simd").unwrap();
        assert_eq!((plain.features, plain.simd), (fast.features, false), "the same reader, with and without SIMD");
        assert_ne!(plain.profile, fast.profile, "their artifacts must not overwrite each other");
        assert_eq!(simd_rustflags(None), "-C target-feature=+simd128");
        assert_eq!(simd_rustflags(Some(" -D warnings ")), "-D warnings -C target-feature=+simd128");
    }

    #[test]
    fn workspace_lock_matches_linked_bindgen() {
        check_bindgen_lock(&repo_root()).unwrap();
    }
}
