//! The CLI surface of the payload engine: `interpay parse [--json]` and `interpay encode`
//! (the e2e harness calls `interpay encode --text TEXT --png FILE`).

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_interpay");
const EXAMPLE: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

fn tmp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("interpay-payload-cli-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

fn decode_png(path: &std::path::Path) -> Vec<String> {
    let img = image::open(path).unwrap().to_luma8();
    let (w, h) = img.dimensions();
    let luma = interpay::decode::LumaImage { width: w as usize, height: h as usize, data: img.as_raw() };
    interpay::decode::decode(luma, &Default::default()).into_iter().map(|d| d.text).collect()
}

#[test]
fn parse_json_and_exit_codes() {
    let out = Command::new(BIN).args(["parse", "--json", EXAMPLE]).output().unwrap();
    assert!(out.status.success());
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["kind"], "payment");
    assert_eq!(j["amount"], "23.72");
    assert_eq!(j["payee"]["name_alt"], "最佳运输");
    assert!(j["tlv"].as_array().unwrap().len() > 10);

    let bad = EXAMPLE.replace("6304A13A", "6304A13B");
    let out = Command::new(BIN).args(["parse", "--json", &bad]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["error"]["code"], "bad_crc");
    assert_eq!(j["error"]["tag"], "63");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("expected A13A") && err.contains("bad_crc"), "{err}");

    // Human output, and non-payment texts exit 0.
    let out = Command::new(BIN).args(["parse", EXAMPLE]).output().unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("23.72 CNY") && s.contains("BEST TRANSPORT"), "{s}");
    let out = Command::new(BIN).args(["parse", "https://example.com"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("not a payment code (url)"));
}

#[test]
fn encode_text_png_svg() {
    let (png, svg) = (tmp("text.png"), tmp("text.svg"));
    let text = "Interpay e2e 支付 ✓";
    let out = Command::new(BIN).args(["encode", "--text", text, "--png"]).arg(&png).arg("--svg").arg(&svg).args(["--scale", "4"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(decode_png(&png), vec![text.to_string()]);
    let s = std::fs::read_to_string(&svg).unwrap();
    assert!(s.contains("<svg") && s.contains("</svg>"));
}

#[test]
fn encode_emv_from_flags() {
    let png = tmp("emv.png");
    let out = Command::new(BIN)
        .args(["encode", "--name", "BEST TRANSPORT", "--city", "BEIJING", "--country", "CN", "--currency", "CNY", "--amount", "23.72"])
        .args(["--mcc", "4111", "--scheme", "unionpay", "--account", "123456789012345", "--dynamic", "--bill", "INV-7"])
        .args(["--lang", "zh", "--name-alt", "最佳运输", "--png"])
        .arg(&png)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let payload = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(payload.starts_with("000201010212"), "{payload}");
    let interpay::payload::Code::Payment(p) = interpay::payload::parse(&payload).unwrap() else { panic!() };
    assert_eq!(p.schemes[0].id, "unionpay");
    assert_eq!(p.amount.unwrap().to_string(), "23.72");
    assert_eq!(p.references.bill_number.as_deref(), Some("INV-7"));
    assert_eq!(decode_png(&png), vec![payload]);

    // Bad flags: typed message, non-zero exit.
    let out = Command::new(BIN).args(["encode", "--name", "X", "--currency", "ZZZ"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown currency"));
}
