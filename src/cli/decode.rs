//! `interpay decode [--json] IMAGE...`: decode every QR code in each image (png, jpg, webp, gif).
//!
//! With `--json`: one line per file, `{"file", "codes": [{"text", "corners"}], "error"}`.
//! An unreadable file is reported on its line (not a crash). Exit status 0 when every file could be
//! read, 1 otherwise, 2 on a usage error.

use interpay::decode::{decode, DecodeOptions, LumaImage};

const USAGE: &str = "usage: interpay decode [--json] [--no-invert] [--mirror] IMAGE...";

pub fn run(args: &[String]) -> i32 {
    let mut json = false;
    let mut opts = DecodeOptions::default();
    let mut files = Vec::new();
    for a in args {
        match a.as_str() {
            "--json" => json = true,
            "--no-invert" => opts.try_invert = false,
            "--mirror" => opts.try_mirror = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return 0;
            }
            s if s.starts_with("--") => {
                eprintln!("interpay decode: unknown option {s:?}\n{USAGE}");
                return 2;
            }
            _ => files.push(a.clone()),
        }
    }
    if files.is_empty() {
        eprintln!("{USAGE}");
        return 2;
    }
    let mut status = 0;
    for file in &files {
        let result = image::open(file).map(|i| i.to_luma8());
        match result {
            Ok(img) => {
                let (w, h) = img.dimensions();
                let codes = decode(LumaImage { width: w as usize, height: h as usize, data: img.as_raw() }, &opts);
                if json {
                    let codes: Vec<_> = codes
                        .iter()
                        .map(|c| serde_json::json!({"text": c.text, "corners": c.corners}))
                        .collect();
                    println!("{}", serde_json::json!({"file": file, "codes": codes, "error": null}));
                } else {
                    for c in &codes {
                        println!("{}", c.text);
                    }
                    if codes.is_empty() {
                        eprintln!("{file}: no QR code found");
                    }
                }
            }
            Err(e) => {
                status = 1;
                if json {
                    println!("{}", serde_json::json!({"file": file, "codes": [], "error": e.to_string()}));
                } else {
                    eprintln!("{file}: cannot read image: {e}");
                }
            }
        }
    }
    status
}
