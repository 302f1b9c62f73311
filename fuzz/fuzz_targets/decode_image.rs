//! Fuzz the QR decoder with arbitrary images: the first bytes choose width, height and options,
//! the rest is the luma buffer (may be shorter than width × height). The decoder must never panic.
#![no_main]

use interpay::decode::{decode, rgba_to_luma, DecodeOptions, LumaImage, Region};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 6 {
        return;
    }
    let w = u16::from_le_bytes([data[0], data[1]]) as usize % 1024;
    let h = u16::from_le_bytes([data[2], data[3]]) as usize % 1024;
    let flags = data[4];
    let fill = data[5];
    let body = &data[6..];
    // Small inputs are expanded by tiling so that real-sized images get exercised.
    let mut px: Vec<u8> = if flags & 0x40 != 0 && !body.is_empty() {
        body.iter().cycle().take(w.saturating_mul(h)).copied().collect()
    } else {
        body.to_vec()
    };
    if flags & 0x80 != 0 {
        px.resize(w.saturating_mul(h), fill);
    }
    let opts = DecodeOptions {
        try_harder: flags & 1 != 0,
        try_invert: flags & 2 != 0,
        max_codes: (flags >> 3 & 1) as usize,
        region: (flags & 0x20 != 0).then(|| Region { x: fill as usize, y: (fill / 2) as usize, width: w / 2 + 1, height: h / 2 + 1 }),
    };
    let _ = decode(LumaImage { width: w, height: h, data: &px }, &opts);
    let _ = rgba_to_luma(body, w, h);
});
