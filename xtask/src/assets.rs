//! The shipped layout of `dist/` (what a merchant's page downloads):
//!
//! ```text
//! dist/interpay.js                 the launcher (the script tag's file): stable name, revalidated
//! dist/<version>/interpay.js       the same launcher for a versioned CDN path (its SRI hash stays put)
//! dist/assets/<name>.<hash>.<ext>  everything else, named by content (cached for good):
//!                                  interpay.<h>.css, interpay-ui.<h>.{js,wasm}, interpay-reader.<h>.{js,wasm}
//!                                  (plain), interpay-reader-simd.<h>.{js,wasm} (wasm SIMD: the worker loads
//!                                  one of the two), interpay-deep-reader.<h>.{js,wasm} (fetched only for
//!                                  codes that need its checks), decoder-worker.<h>.js
//! dist/**/*.br, *.gz               precompressed copies (served with Content-Encoding)
//! dist/manifest.json               names, sizes, SRI hashes; dist/snippet.html: the tag to copy
//! dist/interpay.d.ts               TypeScript types of the element, its events and the JS API
//! ```
//!
//! The launcher's `ASSETS` block and the worker's `READER` block (between `/*@interpay-…*/` and `/*@end*/`)
//! are rewritten with the hashed names and the sha384 `integrity` of each file the launcher fetches.

use anyhow::{anyhow, bail, Context, Result};
use base64::Engine as _;
use sha2::Digest;
use std::io::Write;
use std::path::Path;

pub struct FileSize {
    pub path: String,
    pub bytes: u64,
    pub gzip: u64,
    pub brotli: u64,
}

pub struct Shipped {
    pub files: Vec<FileSize>,
    /// Launcher + stylesheet: what the launch button waits for.
    pub first_load_gzip: u64,
    /// Plus the UI module, the worker and the reader module: what a running scan has downloaded (the deep
    /// reader comes later, and only for a code that needs it). A browser downloads one of the two readers
    /// (SIMD or plain): the larger one is counted.
    pub scanning_gzip: u64,
}

fn sha384_sri(bytes: &[u8]) -> String {
    format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(bytes)))
}

fn short_hash(bytes: &[u8]) -> String {
    let d = sha2::Sha256::digest(bytes);
    d[..5].iter().map(|b| format!("{b:02x}")).collect()
}

pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes)?;
    Ok(enc.finish()?)
}

pub fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(bytes)?;
    }
    Ok(out)
}

/// Replace the text between `/*@{marker}*/` and `/*@end*/` (exactly one such block).
pub fn replace_block(source: &str, marker: &str, value: &str) -> Result<String> {
    let open = format!("/*@{marker}*/");
    let start = source.find(&open).ok_or_else(|| anyhow!("no {open} block"))?;
    if source[start + open.len()..].contains(&open) {
        bail!("two {open} blocks");
    }
    let rel_end = source[start..].find("/*@end*/").ok_or_else(|| anyhow!("{open} block is not closed by /*@end*/"))?;
    let end = start + rel_end + "/*@end*/".len();
    Ok(format!("{}{}{}", &source[..start], value, &source[end..]))
}

/// The `[package] version` of the workspace's root crate.
fn package_version(root: &Path) -> Result<String> {
    let toml = std::fs::read_to_string(root.join("Cargo.toml"))?;
    let pkg = toml.split("[package]").nth(1).ok_or_else(|| anyhow!("Cargo.toml has no [package]"))?;
    let line = pkg.lines().find(|l| l.trim_start().starts_with("version")).ok_or_else(|| anyhow!("no package version"))?;
    let v = line.split('"').nth(1).ok_or_else(|| anyhow!("bad version line {line:?}"))?;
    Ok(v.to_string())
}

struct Asset {
    key: &'static str,
    /// Path under dist/ (e.g. "assets/interpay-ui.0a1b2c3d4e.wasm").
    path: String,
    integrity: String,
}

/// Write `bytes` as `dist/assets/{stem}.{hash}.{ext}`.
fn put(out: &Path, key: &'static str, stem: &str, ext: &str, bytes: &[u8]) -> Result<Asset> {
    let path = format!("assets/{stem}.{}.{ext}", short_hash(bytes));
    std::fs::write(out.join(&path), bytes).with_context(|| format!("writing {path}"))?;
    Ok(Asset { key, path, integrity: sha384_sri(bytes) })
}

fn read(p: &Path) -> Result<Vec<u8>> {
    std::fs::read(p).with_context(|| format!("reading {}", p.display()))
}

/// `esbuild --minify` of one JS (ES module syntax kept as it is: no target, no bundling) or CSS file; the
/// bytes as they are without a minifier (dev builds).
fn minify(esbuild: Option<&Path>, bytes: Vec<u8>, loader: &str) -> Result<Vec<u8>> {
    let Some(bin) = esbuild else { return Ok(bytes) };
    let mut child = std::process::Command::new(bin)
        .args(["--minify", "--log-level=error", &format!("--loader={loader}")])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .with_context(|| format!("running {}", bin.display()))?;
    let mut stdin = child.stdin.take().ok_or_else(|| anyhow!("esbuild: no stdin"))?;
    // Written from a thread: esbuild may fill its stdout pipe before it has read all of its input.
    let writer = std::thread::spawn(move || stdin.write_all(&bytes));
    let output = child.wait_with_output()?;
    writer.join().map_err(|_| anyhow!("esbuild: writer thread panicked"))??;
    if !output.status.success() || output.stdout.is_empty() {
        bail!("esbuild --minify --loader={loader} failed ({})", output.status);
    }
    Ok(output.stdout)
}

pub fn publish(root: &Path, out: &Path, www: &Path, esbuild: Option<&Path>) -> Result<Shipped> {
    let version = package_version(root)?;
    std::fs::create_dir_all(out.join("assets"))?;
    let pkg = out.join("pkg");
    let js = |p: &Path| -> Result<Vec<u8>> { minify(esbuild, read(p)?, "js") };
    let css = put(out, "css", "interpay", "css", &minify(esbuild, read(&www.join("interpay.css"))?, "css")?)?;
    let ui = put(out, "ui", "interpay-ui", "js", &js(&pkg.join("interpay.js"))?)?;
    let ui_wasm = put(out, "uiWasm", "interpay-ui", "wasm", &read(&pkg.join("interpay_bg.wasm"))?)?;
    let reader = put(out, "reader", "interpay-reader", "js", &js(&pkg.join("interpay_reader.js"))?)?;
    let reader_wasm = put(out, "readerWasm", "interpay-reader", "wasm", &read(&pkg.join("interpay_reader_bg.wasm"))?)?;
    let simd = put(out, "readerSimd", "interpay-reader-simd", "js", &js(&pkg.join("interpay_reader_simd.js"))?)?;
    let simd_wasm = put(out, "readerSimdWasm", "interpay-reader-simd", "wasm", &read(&pkg.join("interpay_reader_simd_bg.wasm"))?)?;
    let deep = put(out, "deep", "interpay-deep-reader", "js", &js(&pkg.join("interpay_deep_reader.js"))?)?;
    let deep_wasm = put(out, "deepWasm", "interpay-deep-reader", "wasm", &read(&pkg.join("interpay_deep_reader_bg.wasm"))?)?;
    let name = |a: &Asset| a.path.trim_start_matches("assets/").to_string();
    let worker_src = std::fs::read_to_string(www.join("decoder-worker.js"))?;
    let reader_block = serde_json::json!({
        "js": format!("./{}", name(&reader)),
        "wasm": format!("./{}", name(&reader_wasm)),
        "integrity": reader_wasm.integrity,
        "simd": { "js": format!("./{}", name(&simd)), "wasm": format!("./{}", name(&simd_wasm)), "integrity": simd_wasm.integrity },
        "deep": { "js": format!("./{}", name(&deep)), "wasm": format!("./{}", name(&deep_wasm)), "integrity": deep_wasm.integrity },
    });
    let worker_js = minify(esbuild, replace_block(&worker_src, "interpay-reader", &reader_block.to_string())?.into_bytes(), "js")?;
    let worker = put(out, "worker", "decoder-worker", "js", &worker_js)?;
    let assets = [&css, &ui, &ui_wasm, &reader, &reader_wasm, &simd, &simd_wasm, &deep, &deep_wasm, &worker];

    // The launcher, twice: dist/interpay.js (assets/…) and dist/<version>/interpay.js (../assets/…).
    let launcher_src = std::fs::read_to_string(www.join("interpay.js"))?;
    let launcher = |prefix: &str| -> Result<String> {
        let mut block = serde_json::Map::new();
        for a in assets {
            block.insert(a.key.into(), serde_json::json!({ "path": format!("{prefix}{}", a.path), "integrity": a.integrity }));
        }
        let src = replace_block(&launcher_src, "interpay-assets", &serde_json::Value::Object(block).to_string())?;
        String::from_utf8(minify(esbuild, src.into_bytes(), "js")?).context("esbuild output is not UTF-8")
    };
    let entry = launcher("")?;
    std::fs::write(out.join("interpay.js"), &entry)?;
    let versioned_dir = out.join(&version);
    std::fs::create_dir_all(&versioned_dir)?;
    let versioned = launcher("../")?;
    std::fs::write(versioned_dir.join("interpay.js"), &versioned)?;
    let types = www.join("interpay.d.ts");
    if types.exists() {
        std::fs::copy(&types, out.join("interpay.d.ts"))?;
        std::fs::copy(&types, versioned_dir.join("interpay.d.ts"))?;
    }
    let entry_sri = sha384_sri(entry.as_bytes());
    let versioned_sri = sha384_sri(versioned.as_bytes());

    // Precompressed copies and sizes.
    let mut files = Vec::new();
    let mut sizes = std::collections::HashMap::new();
    let mut shipped_paths: Vec<String> = vec!["interpay.js".into(), format!("{version}/interpay.js")];
    for a in assets {
        if !shipped_paths.contains(&a.path) {
            shipped_paths.push(a.path.clone());
        }
    }
    for path in &shipped_paths {
        let bytes = read(&out.join(path))?;
        let (gz, br) = (gzip(&bytes)?, brotli(&bytes)?);
        std::fs::write(out.join(format!("{path}.gz")), &gz)?;
        std::fs::write(out.join(format!("{path}.br")), &br)?;
        sizes.insert(path.clone(), gz.len() as u64);
        files.push(FileSize { path: path.clone(), bytes: bytes.len() as u64, gzip: gz.len() as u64, brotli: br.len() as u64 });
    }
    let gz = |p: &str| sizes.get(p).copied().unwrap_or(0);
    let first_load_gzip = gz("interpay.js") + gz(&css.path);
    let reader_gzip = (gz(&reader.path) + gz(&reader_wasm.path)).max(gz(&simd.path) + gz(&simd_wasm.path));
    let scanning_gzip = first_load_gzip + gz(&ui.path) + gz(&ui_wasm.path) + gz(&worker.path) + reader_gzip;

    let manifest = serde_json::json!({
        "version": version,
        "entry": { "path": "interpay.js", "integrity": entry_sri },
        "versioned_entry": { "path": format!("{version}/interpay.js"), "integrity": versioned_sri },
        "assets": assets.iter().map(|a| (a.key.to_string(), serde_json::json!({"path": a.path, "integrity": a.integrity}))).collect::<serde_json::Map<_, _>>(),
        "sizes": files.iter().map(|f| serde_json::json!({"path": f.path, "bytes": f.bytes, "gzip": f.gzip, "brotli": f.brotli})).collect::<Vec<_>>(),
        "first_load_gzip": first_load_gzip,
        "scanning_gzip": scanning_gzip,
    });
    std::fs::write(out.join("manifest.json"), serde_json::to_string_pretty(&manifest)?)?;
    let snippet = format!(
        "<!-- Interpay {version}: serve dist/{version}/ and dist/assets/ under one path (e.g. https://cdn.example.com/interpay/), then: -->\n\
         <script type=\"module\" src=\"https://cdn.example.com/interpay/{version}/interpay.js\" integrity=\"{versioned_sri}\" crossorigin=\"anonymous\"></script>\n\
         <interpay-checkout order-url=\"/api/orders\"></interpay-checkout>\n"
    );
    std::fs::write(out.join("snippet.html"), snippet)?;
    npm_package(out, www, &version, &entry, assets.iter().map(|a| a.path.as_str()))?;
    Ok(Shipped { files, first_load_gzip, scanning_gzip })
}

/// `dist/npm/`: the npm package (`npm publish dist/npm`, or `npm install ./dist/npm`): the launcher (the
/// custom element, as an ES module), its types, the hashed assets beside it, and the package README.
fn npm_package<'a>(out: &Path, www: &Path, version: &str, entry: &str, assets: impl Iterator<Item = &'a str>) -> Result<()> {
    let npm = out.join("npm");
    if npm.exists() {
        std::fs::remove_dir_all(&npm)?;
    }
    std::fs::create_dir_all(npm.join("assets"))?;
    std::fs::write(npm.join("interpay.js"), entry)?;
    std::fs::copy(www.join("interpay.d.ts"), npm.join("interpay.d.ts")).context("www/interpay.d.ts")?;
    std::fs::copy(www.join("npm-README.md"), npm.join("README.md")).context("www/npm-README.md")?;
    for a in assets {
        std::fs::copy(out.join(a), npm.join(a))?;
    }
    let package = serde_json::json!({
        "name": "interpay",
        "version": version,
        "description": "Open scan-to-pay widget: on-device QR decoding in WebAssembly, payment payloads, wallet bridges.",
        "license": "MIT OR Apache-2.0",
        "type": "module",
        "main": "./interpay.js",
        "module": "./interpay.js",
        "types": "./interpay.d.ts",
        "exports": {
            ".": { "types": "./interpay.d.ts", "import": "./interpay.js", "default": "./interpay.js" },
            "./assets/*": "./assets/*",
            "./package.json": "./package.json"
        },
        "files": ["interpay.js", "interpay.d.ts", "assets/", "README.md"],
        "sideEffects": ["./interpay.js"],
        "keywords": ["qr", "payment", "wasm", "web-component", "wechat-pay", "alipay", "unionpay", "emvco", "pix", "upi"]
    });
    std::fs::write(npm.join("package.json"), serde_json::to_string_pretty(&package)? + "\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marked_block_is_replaced_once() {
        let s = "const A = /*@x*/ { a: 1 } /*@end*/;\nrest";
        assert_eq!(replace_block(s, "x", "{\"a\":2}").unwrap(), "const A = {\"a\":2};\nrest");
        assert!(replace_block(s, "y", "1").is_err());
        assert!(replace_block("/*@x*/1/*@end*/ /*@x*/2/*@end*/", "x", "3").is_err());
        assert!(replace_block("/*@x*/ 1", "x", "3").is_err());
    }

    #[test]
    fn the_shipped_sources_have_their_blocks() {
        let www = Path::new(env!("CARGO_MANIFEST_DIR")).join("../www");
        let launcher = std::fs::read_to_string(www.join("interpay.js")).unwrap();
        replace_block(&launcher, "interpay-assets", "{}").unwrap();
        let worker = std::fs::read_to_string(www.join("decoder-worker.js")).unwrap();
        replace_block(&worker, "interpay-reader", "{}").unwrap();
    }

    #[test]
    fn sri_is_sha384_base64() {
        // `printf abc | openssl dgst -sha384 -binary | base64`
        assert_eq!(sha384_sri(b"abc"), "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn");
        assert_eq!(short_hash(b"abc").len(), 10);
    }
}
