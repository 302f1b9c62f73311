//! EMVCo Consumer-Presented Mode (CPM): base64 of BER-TLV. A CPM code is the *shopper's* payment
//! credential shown to a merchant's terminal, not a payment request: `parse` reports it as
//! `NotPayment { what: "emv_cpm" }`; this module exposes its tree for developers.

use super::error::err;
use super::{ErrorCode, ParseError, Tlv};

fn b64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in s.trim().bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Does this text look like a CPM payload (base64 starting with tag 85 "CPV01")?
pub fn looks_like_cpm(text: &str) -> bool {
    text.trim().starts_with("hQVDUFYw")
}

fn ber(data: &[u8], base: usize, depth: usize) -> Result<Vec<Tlv>, ParseError> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let start = i;
        let first = data[i];
        i += 1;
        if first & 0x1f == 0x1f {
            while i < data.len() && data[i] & 0x80 != 0 {
                i += 1;
            }
            i += 1;
        }
        if i > data.len() {
            return Err(err(ErrorCode::Truncated, base + start, "", "truncated BER tag"));
        }
        let tag: String = data[start..i].iter().map(|b| format!("{b:02X}")).collect();
        let Some(&l0) = data.get(i) else {
            return Err(err(ErrorCode::Truncated, base + i, &tag, "missing length"));
        };
        i += 1;
        let len = if l0 & 0x80 == 0 {
            l0 as usize
        } else {
            let n = (l0 & 0x7f) as usize;
            if n == 0 || n > 3 || i + n > data.len() {
                return Err(err(ErrorCode::BadLength, base + i - 1, &tag, "bad BER length"));
            }
            let v = data[i..i + n].iter().fold(0usize, |a, &b| (a << 8) | b as usize);
            i += n;
            v
        };
        if i + len > data.len() {
            return Err(err(ErrorCode::Truncated, base + i, &tag, format!("length {len} runs past the end")));
        }
        let val = &data[i..i + len];
        let constructed = first & 0x20 != 0;
        let children = if constructed && depth < 8 { Some(ber(val, base + i, depth + 1)?) } else { None };
        let value = match std::str::from_utf8(val) {
            Ok(s) if !constructed && s.bytes().all(|b| (0x20..0x7f).contains(&b)) => s.to_string(),
            _ => val.iter().map(|b| format!("{b:02X}")).collect(),
        };
        out.push(Tlv { tag, length: len, value, children });
        i += len;
    }
    Ok(out)
}

/// The BER-TLV tree of a base64 payload, without the CPM rules (for inspecting a code that breaks them).
pub fn parse_tree(text: &str) -> Result<Vec<Tlv>, ParseError> {
    let data = b64_decode(text).ok_or_else(|| err(ErrorCode::BadFormat, 0, "", "CPM payloads are base64"))?;
    ber(&data, 0, 0)
}

/// Decode a CPM payload into its BER-TLV tree (positions are byte offsets in the decoded data).
pub fn parse(text: &str) -> Result<Vec<Tlv>, ParseError> {
    let data = b64_decode(text).ok_or_else(|| err(ErrorCode::BadFormat, 0, "", "CPM payloads are base64"))?;
    let tree = ber(&data, 0, 0)?;
    match tree.first() {
        Some(t) if t.tag == "85" && t.value.starts_with("CPV") => {}
        _ => return Err(err(ErrorCode::BadHeader, 0, "85", "a CPM payload starts with the payload format indicator 85 (CPV01)")),
    }
    if !tree.iter().any(|t| t.tag == "61") {
        return Err(err(ErrorCode::MissingTag, data.len(), "61", "a CPM payload needs at least one application template (61)"));
    }
    Ok(tree)
}
