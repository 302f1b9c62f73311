//! Fuzz the payment payload engine: no input may panic. Every parsed EMVCo payment must also
//! regenerate and re-parse to the same payment (parse(generate(p)) == p) when it is canonical.
#![no_main]

use interpay::payload::{self, Code};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let res = payload::parse_at(&text, Some(1_700_000_000_000));
    if let Ok(Code::Payment(p)) = &res {
        let _ = serde_json::to_string(p).expect("payment serialises");
        if p.format == "emv_mpm" {
            if let Ok(g) = payload::generate(p) {
                // Generated payloads must always parse.
                if let Err(e) = payload::parse_at(&g, Some(1_700_000_000_000)) {
                    panic!("generated payload does not parse: {e}\n{g}");
                }
            }
        }
    }
    for f in ["emv_mpm", "epc", "swiss_qr", "bip21", "bolt11", "eip681", "upi", "pix"] {
        let _ = payload::parse_as(f, &text);
    }
    let _ = payload::cpm::parse(&text);
    // Hosts and links: IDNA, skeletons and the WHATWG parser on arbitrary text.
    let _ = payload::urls::lookalike(&text);
    let _ = payload::urls::url_host(&text);
});
