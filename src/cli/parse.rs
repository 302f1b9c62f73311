//! `interpay parse [--json] PAYLOAD`: print the parsed payment (or the non-payment kind); exit 1 if invalid.

use interpay::payload::{self, Code, Payment};

pub fn run(args: &[String]) -> i32 {
    let mut json = false;
    let mut input: Option<String> = None;
    for a in args {
        match a.as_str() {
            "--json" => json = true,
            "-h" | "--help" => {
                println!("usage: interpay parse [--json] PAYLOAD   (PAYLOAD '-' reads standard input)");
                return 0;
            }
            _ if input.is_none() => input = Some(a.clone()),
            _ => {
                eprintln!("interpay parse: one payload only (quote it)");
                return 2;
            }
        }
    }
    let Some(mut text) = input else {
        eprintln!("usage: interpay parse [--json] PAYLOAD");
        return 2;
    };
    if text == "-" {
        let mut s = String::new();
        if std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).is_err() {
            eprintln!("interpay parse: cannot read standard input");
            return 2;
        }
        text = s.trim_end_matches(['\n', '\r']).to_string();
    }
    match payload::parse(&text) {
        Ok(code) => {
            if json {
                println!("{}", serde_json::to_string_pretty(&code).unwrap_or_default());
            } else {
                print_code(&code);
            }
            0
        }
        Err(e) => {
            if json {
                println!("{}", serde_json::json!({ "kind": "error", "error": e }));
            }
            eprintln!("invalid payload: {e} [{}]", e.code);
            1
        }
    }
}

fn print_code(code: &Code) {
    match code {
        Code::NotPayment(n) => {
            println!("not a payment code ({}): {}", n.what, n.text);
            for w in &n.warnings {
                println!("warning:    [{}] {}", w.code, w.message);
            }
        }
        Code::Payment(p) => print_payment(p),
    }
}

fn print_payment(p: &Payment) {
    let schemes: Vec<String> = p.schemes.iter().map(|s| format!("{} ({})", s.name, s.id)).collect();
    println!("format:     {}", p.format);
    println!("schemes:    {}", schemes.join(", "));
    println!("initiation: {:?}", p.initiation);
    let cur = p.currency.as_ref().map(|c| c.code.clone()).unwrap_or_default();
    match p.amount {
        Some(a) => println!("amount:     {a} {cur}"),
        None => println!("amount:     (entered by the payer) {cur}"),
    }
    let y = &p.payee;
    for (k, v) in [("name", &y.name), ("city", &y.city), ("country", &y.country), ("postal", &y.postal_code), ("mcc", &y.mcc), ("name_alt", &y.name_alt), ("city_alt", &y.city_alt)] {
        if let Some(v) = v {
            println!("{:<11} {v}", format!("{k}:"));
        }
    }
    for a in &y.accounts {
        println!("account:    {} {} = {}", a.scheme, a.kind, a.value);
    }
    if let Ok(serde_json::Value::Object(m)) = serde_json::to_value(&p.references) {
        for (k, v) in m {
            if let serde_json::Value::String(s) = v {
                println!("{:<11} {s}", format!("{k}:"));
            }
        }
    }
    if let Some(t) = &p.tip {
        println!("tip:        {}", serde_json::to_string(t).unwrap_or_default());
    }
    for w in &p.warnings {
        println!("warning:    [{}] {}", w.code, w.message);
    }
}
