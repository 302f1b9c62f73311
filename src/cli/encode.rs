//! `interpay encode`: build an EMVCo payload from flags (or take any text) and render it as a QR image.
//!
//!   interpay encode --text "<any text>" --png out.png [--svg out.svg] [--scale N]
//!   interpay encode --name NAME --city CITY --country CC --currency CNY [--amount 12.34] [--mcc 5812]
//!                   [--scheme pix --account KEY] [--dynamic] [--png out.png] [--svg out.svg]

use interpay::payload::{self, currency, Account, Initiation, Payment, TipRule};
use qrcode::{EcLevel, QrCode};
use rust_decimal::Decimal;
use std::str::FromStr;

const HELP: &str = "usage:
  interpay encode --text TEXT [--png FILE] [--svg FILE] [--scale N] [--ec L|M|Q|H]
  interpay encode --hex BYTES [--eci N] --png FILE ...   (raw bytes in byte mode, e.g. a GBK or Shift_JIS
        payload; --eci N puts an ECI designator first, e.g. 20 Shift_JIS, 28 Big5, 29 GB18030, 30 EUC-KR)
  interpay encode [EMVCo flags] [--png FILE] [--svg FILE] [--scale N] [--json]
EMVCo flags:
  --name NAME --city CITY --country CC --currency CUR (alpha like CNY or numeric like 156)
  --amount DECIMAL  --mcc NNNN  --postal CODE  --dynamic | --static
  --scheme ID --account VALUE [--account-kind KIND]   (repeatable; ID: pix promptpay paynow duitnow
        vietqr khqr qrph fps upi unionpay visa mastercard qris sgqr, or a GUID for a generic template)
  --pix-url URL       PIX dynamic location (26-25)
  --bill REF --reference REF --txid TXID --terminal ID --purpose TEXT --store LABEL
  --tip prompt | fixed:AMOUNT | percent:P
  --lang LL --name-alt NAME --city-alt CITY   (EMVCo 64, e.g. --lang ZH --name-alt 最佳运输)
Prints the payload on standard output (the parsed JSON too with --json); writes the images given.";

struct Opts {
    text: Option<String>,
    hex: Option<Vec<u8>>,
    eci: Option<u32>,
    png: Option<String>,
    svg: Option<String>,
    scale: u32,
    ec: EcLevel,
    json: bool,
}

pub fn run(args: &[String]) -> i32 {
    match run_inner(args) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("interpay encode: {e}");
            if e.starts_with("usage") || e.contains("--help") { 2 } else { 1 }
        }
    }
}

fn run_inner(args: &[String]) -> Result<(), String> {
    let mut o = Opts { text: None, hex: None, eci: None, png: None, svg: None, scale: 8, ec: EcLevel::M, json: false };
    let mut p = Payment::new("emv_mpm");

    let mut dynamic: Option<bool> = None;
    let mut scheme: Option<String> = None;
    let mut emv_flag = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = |name: &str| it.next().cloned().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "-h" | "--help" => {
                println!("{HELP}");
                return Ok(());
            }
            "--text" => o.text = Some(val("--text")?),
            "--hex" => o.hex = Some(parse_hex(&val("--hex")?).ok_or("--hex must be pairs of hex digits")?),
            "--eci" => o.eci = Some(val("--eci")?.parse().ok().filter(|n| *n <= 999_999).ok_or("--eci must be 0-999999")?),
            "--png" => o.png = Some(val("--png")?),
            "--svg" => o.svg = Some(val("--svg")?),
            "--json" => o.json = true,
            "--scale" => o.scale = val("--scale")?.parse().ok().filter(|s| (1..=64).contains(s)).ok_or("--scale must be 1-64")?,
            "--ec" => {
                o.ec = match val("--ec")?.to_ascii_uppercase().as_str() {
                    "L" => EcLevel::L,
                    "M" => EcLevel::M,
                    "Q" => EcLevel::Q,
                    "H" => EcLevel::H,
                    _ => return Err("--ec must be L, M, Q or H".into()),
                }
            }
            "--dynamic" => dynamic = Some(true),
            "--static" => dynamic = Some(false),
            flag => {
                emv_flag = true;
                let v = val(flag)?;
                match flag {
                    "--name" => p.payee.name = Some(v),
                    "--city" => p.payee.city = Some(v),
                    "--country" => p.payee.country = Some(v.to_ascii_uppercase()),
                    "--postal" => p.payee.postal_code = Some(v),
                    "--mcc" => p.payee.mcc = Some(v),
                    "--currency" => {
                        p.currency = Some(currency::from_alpha(&v).or_else(|| currency::from_numeric(&v)).ok_or(format!("unknown currency {v:?}"))?)
                    }
                    "--amount" => p.amount = Some(Decimal::from_str_exact(&v).map_err(|_| format!("amount {v:?} is not a decimal"))?),
                    "--scheme" => scheme = Some(v.to_ascii_lowercase()),
                    "--account" | "--pix-url" => {
                        let s = if flag == "--pix-url" { "pix".to_string() } else { scheme.clone().ok_or("--account needs a --scheme before it")? };
                        let kind = if flag == "--pix-url" { "url".to_string() } else { default_kind(&s, &v).to_string() };
                        p.payee.accounts.push(Account { scheme: s, kind, value: v });
                    }
                    "--account-kind" => {
                        let last = p.payee.accounts.last_mut().ok_or("--account-kind must follow --account")?;
                        last.kind = v;
                    }
                    "--bill" => p.references.bill_number = Some(v),
                    "--reference" => p.references.reference = Some(v),
                    "--txid" => p.references.txid = Some(v),
                    "--terminal" => p.references.terminal = Some(v),
                    "--purpose" => p.references.purpose = Some(v),
                    "--store" => p.references.store = Some(v),
                    "--lang" => p.payee.language_alt = Some(v),
                    "--name-alt" => p.payee.name_alt = Some(v),
                    "--city-alt" => p.payee.city_alt = Some(v),
                    "--tip" => {
                        p.tip = Some(match v.split_once(':') {
                            None if v == "prompt" => TipRule::Prompt,
                            Some(("fixed", x)) => TipRule::Fixed { amount: Decimal::from_str(x).map_err(|_| "bad --tip fixed amount")? },
                            Some(("percent", x)) => TipRule::Percentage { percent: Decimal::from_str(x).map_err(|_| "bad --tip percentage")? },
                            _ => return Err("--tip must be prompt, fixed:AMOUNT or percent:P".into()),
                        })
                    }
                    _ => return Err(format!("unknown option {flag:?} (see --help)")),
                }
            }
        }
    }
    if let Some(bytes) = &o.hex {
        if o.text.is_some() || emv_flag {
            return Err("usage: --hex cannot be combined with --text or EMVCo flags".into());
        }
        if o.png.is_none() && o.svg.is_none() {
            return Err("usage: --hex needs --png or --svg".into());
        }
        let code = raw_code(bytes, o.eci, o.ec)?;
        return write_images(&code, &o);
    }
    if o.eci.is_some() {
        return Err("usage: --eci goes with --hex".into());
    }
    let text = match (&o.text, emv_flag) {
        (Some(_), true) => return Err("usage: --text cannot be combined with EMVCo flags".into()),
        (Some(t), false) => t.clone(),
        (None, false) => return Err(format!("usage: nothing to encode\n{HELP}")),
        (None, true) => {
            p.initiation = if dynamic.unwrap_or(p.amount.is_some()) { Initiation::Dynamic } else { Initiation::Static };
            if p.currency.is_none() {
                return Err("--currency is required".into());
            }
            let payload = payload::generate(&p).map_err(|e| e.to_string())?;
            // Check what we made with the same parser the widget uses.
            let parsed = payload::parse(&payload).map_err(|e| format!("generated payload does not parse: {e}"))?;
            if o.json {
                println!("{}", serde_json::to_string_pretty(&parsed).unwrap_or_default());
            }
            if let payload::Code::Payment(pp) = &parsed {
                for w in &pp.warnings {
                    eprintln!("warning: [{}] {}", w.code, w.message);
                }
            }
            payload
        }
    };
    if o.text.is_none() || (o.png.is_none() && o.svg.is_none()) {
        println!("{text}");
    }
    let code = QrCode::with_error_correction_level(text.as_bytes(), o.ec).map_err(|e| format!("cannot make a QR code: {e}"))?;
    write_images(&code, &o)
}

fn parse_hex(s: &str) -> Option<Vec<u8>> {
    let s: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if s.len() % 2 != 0 {
        return None;
    }
    s.chunks(2).map(|p| u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok()).collect()
}

/// `bytes` in one byte-mode segment (after an ECI designator if given), in the smallest version that holds them.
fn raw_code(bytes: &[u8], eci: Option<u32>, ec: EcLevel) -> Result<QrCode, String> {
    for v in 1..=40 {
        let mut bits = qrcode::bits::Bits::new(qrcode::Version::Normal(v));
        let fits = eci.map_or(Ok(()), |n| bits.push_eci_designator(n)).and_then(|()| bits.push_byte_data(bytes)).and_then(|()| bits.push_terminator(ec));
        if fits.is_ok() {
            return QrCode::with_bits(bits, ec).map_err(|e| format!("cannot make a QR code: {e}"));
        }
    }
    Err("cannot make a QR code: too many bytes".into())
}

fn write_images(code: &QrCode, o: &Opts) -> Result<(), String> {
    if let Some(path) = &o.png {
        write_png(code, o.scale, path)?;
    }
    if let Some(path) = &o.svg {
        let svg = code
            .render::<qrcode::render::svg::Color>()
            .quiet_zone(true)
            .module_dimensions(o.scale, o.scale)
            .build();
        std::fs::write(path, svg).map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    Ok(())
}

fn default_kind(scheme: &str, v: &str) -> &'static str {
    match scheme {
        "pix" => "pix_key",
        "promptpay" => match v.chars().filter(char::is_ascii_digit).count() {
            13 if !v.starts_with('0') && !v.starts_with('+') => "national_id",
            15 => "ewallet_id",
            _ => "phone",
        },
        "paynow" => {
            if v.starts_with('+') { "mobile" } else { "uen" }
        }
        "upi" => "vpa",
        "khqr" => "bakong_account",
        "fps" => {
            if v.contains('@') {
                "email"
            } else if v.starts_with('+') {
                "mobile"
            } else {
                "fps_id"
            }
        }
        _ => "merchant_id",
    }
}

/// Render the modules as a PNG: black on white, 4-module quiet zone, `scale` pixels a module.
fn write_png(code: &QrCode, scale: u32, path: &str) -> Result<(), String> {
    let w = code.width() as u32;
    let colors = code.to_colors();
    let quiet = 4u32;
    let side = (w + 2 * quiet) * scale;
    let img = image::GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (x / scale, y / scale);
        let dark = mx >= quiet && my >= quiet && mx < w + quiet && my < w + quiet && {
            let i = ((my - quiet) * w + (mx - quiet)) as usize;
            colors.get(i) == Some(&qrcode::Color::Dark)
        };
        image::Luma([if dark { 0u8 } else { 255u8 }])
    });
    img.save_with_format(path, image::ImageFormat::Png).map_err(|e| format!("cannot write {path}: {e}"))
}
