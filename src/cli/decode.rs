//! `interpay decode [--json] IMAGE...`: decode every QR code in each image (png, jpg, webp, gif).
//!
//! With `--json`: one line per file, `{"file", "codes": [{"text", "corners"}], "error"}`.
//! An unreadable file is reported on its line (not a crash). Exit status 0 when every file could be
//! read, 1 otherwise, 2 on a usage error.

use interpay::decode::{decode, DecodeOptions, LumaImage};

#[derive(serde::Serialize)]
struct CodeOut<'a> {
    text: &'a str,
    corners: [[f32; 2]; 4],
}

/// One `--json` line; fields in the documented order.
#[derive(serde::Serialize)]
struct Line<'a> {
    file: &'a str,
    codes: Vec<CodeOut<'a>>,
    error: Option<String>,
}

fn print_line(line: &Line<'_>) {
    println!("{}", serde_json::to_string(line).unwrap_or_else(|_| String::from("{}")));
}

const USAGE: &str = "usage: interpay decode [--json] [--no-invert] IMAGE...";

pub fn run(args: &[String]) -> i32 {
    let mut json = false;
    let mut opts = DecodeOptions::default();
    let mut files = Vec::new();
    for a in args {
        match a.as_str() {
            "--json" => json = true,
            "--no-invert" => opts.try_invert = false,
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
                    let codes = codes.iter().map(|c| CodeOut { text: &c.text, corners: c.corners }).collect();
                    print_line(&Line { file, codes, error: None });
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
                    print_line(&Line { file, codes: Vec::new(), error: Some(e.to_string()) });
                } else {
                    eprintln!("{file}: cannot read image: {e}");
                }
            }
        }
    }
    status
}
