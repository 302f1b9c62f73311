//! `interpay decode [--json] IMAGE...`: one JSON line per file, unreadable files reported on
//! their line, exit status 1 when a file could not be read.

use std::process::Command;

mod common;

use common::qr::render;
use qrcode::EcLevel;

#[test]
fn json_lines_and_exit_status() {
    let dir = std::env::temp_dir().join(format!("interpay-decode-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("code.png");
    render("https://pay.example/?id=7", 4, EcLevel::M).save_png(&good);
    let bad = dir.join("not-an-image.png");
    std::fs::write(&bad, b"not a png").unwrap();
    let bin = env!("CARGO_BIN_EXE_interpay");

    let ok = Command::new(bin).args(["decode", "--json"]).arg(&good).output().unwrap();
    assert_eq!(ok.status.code(), Some(0));
    let line: serde_json::Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(line["codes"][0]["text"], "https://pay.example/?id=7");
    assert_eq!(line["codes"][0]["corners"].as_array().unwrap().len(), 4);
    assert!(line["error"].is_null());

    let mixed = Command::new(bin).args(["decode", "--json"]).arg(&good).arg(&bad).output().unwrap();
    assert_eq!(mixed.status.code(), Some(1));
    let out = String::from_utf8(mixed.stdout).unwrap();
    let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[1]["error"].is_string());
    assert_eq!(lines[1]["codes"].as_array().unwrap().len(), 0);

    let plain = Command::new(bin).arg("decode").arg(&good).output().unwrap();
    assert_eq!(String::from_utf8(plain.stdout).unwrap().trim(), "https://pay.example/?id=7");

    // Usage errors exit 2 and print the usage line; the options are --json and --no-invert.
    for bad_opt in ["--mirror", "--frobnicate"] {
        let usage = Command::new(bin).args(["decode", bad_opt]).arg(&good).output().unwrap();
        assert_eq!(usage.status.code(), Some(2), "{bad_opt}");
        let err = String::from_utf8(usage.stderr).unwrap();
        assert!(err.contains("unknown option") && err.contains("usage: interpay decode [--json] [--no-invert] IMAGE..."), "{bad_opt}: {err}");
    }
    let no_invert = Command::new(bin).args(["decode", "--no-invert"]).arg(&good).output().unwrap();
    assert_eq!(no_invert.status.code(), Some(0));
    assert_eq!(String::from_utf8(no_invert.stdout).unwrap().trim(), "https://pay.example/?id=7");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `interpay encode --hex BYTES [--eci N]` makes a byte-mode code of raw bytes (legacy charsets), which
/// `interpay decode` reads back to the charset's text.
#[test]
fn encode_raw_bytes_with_eci() {
    let dir = std::env::temp_dir().join(format!("interpay-encode-hex-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bin = env!("CARGO_BIN_EXE_interpay");
    for (hex, eci, want) in [("a4a4b5d8a5c1b0ea", Some("28"), "中華民國"), ("b1b1bea9cad0b3afd1f4c7f8", None, "北京市朝阳区")] {
        let png = dir.join(format!("{hex}.png"));
        let mut args = vec!["encode", "--hex", hex, "--png", png.to_str().unwrap()];
        if let Some(n) = eci {
            args.extend(["--eci", n]);
        }
        let made = Command::new(bin).args(&args).output().unwrap();
        assert_eq!(made.status.code(), Some(0), "{}", String::from_utf8_lossy(&made.stderr));
        let read = Command::new(bin).arg("decode").arg(&png).output().unwrap();
        assert_eq!(String::from_utf8(read.stdout).unwrap().trim(), want);
    }
    for bad in [vec!["encode", "--hex", "abc", "--png", "x.png"], vec!["encode", "--text", "x", "--eci", "26", "--png", "x.png"], vec!["encode", "--hex", "00"]] {
        let out = Command::new(bin).args(&bad).output().unwrap();
        assert_ne!(out.status.code(), Some(0), "{bad:?} is refused");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
