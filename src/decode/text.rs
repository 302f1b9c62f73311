//! Payload bytes → text. UTF-8 when the bytes are valid UTF-8 (the case for every modern payment
//! code); otherwise Shift-JIS when the bytes are well-formed Shift-JIS with Japanese characters in
//! them (Kanji-mode segments and Japanese byte payloads); otherwise GBK when well-formed and
//! Chinese; otherwise ISO-8859-1, the QR default charset. `Decoded::bytes` always keeps the raw
//! bytes, so a caller can re-decode.

use super::charset::{self, OnError};

/// Which charset the text was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Utf8,
    ShiftJis,
    Gbk,
    Latin1,
}

impl Charset {
    pub fn name(self) -> &'static str {
        match self {
            Charset::Utf8 => "utf-8",
            Charset::ShiftJis => "shift_jis",
            Charset::Gbk => "gbk",
            Charset::Latin1 => "iso-8859-1",
        }
    }
}

pub fn decode_text(bytes: &[u8]) -> (String, Charset) {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_owned(), Charset::Utf8);
    }
    if looks_shift_jis(bytes) {
        if let Some(s) = charset::decode("shift_jis", bytes, OnError::Fail) {
            return (s, Charset::ShiftJis);
        }
    }
    if looks_gb2312(bytes) {
        if let Some(s) = charset::decode("gbk", bytes, OnError::Fail) {
            return (s, Charset::Gbk);
        }
    }
    (bytes.iter().map(|&b| b as char).collect(), Charset::Latin1)
}

/// Every non-ASCII byte is part of a GB2312 hanzi pair (lead 0xB0–0xF7, trail 0xA1–0xFE), and
/// there are at least two of them: GBK accepts almost any byte soup, so only guess it for text
/// that looks like real Chinese.
fn looks_gb2312(bytes: &[u8]) -> bool {
    let mut i = 0;
    let mut pairs = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        let Some(&t) = bytes.get(i + 1) else { return false };
        if !((0xb0..=0xf7).contains(&b) || (0xa1..=0xa9).contains(&b)) || !(0xa1..=0xfe).contains(&t) {
            return false;
        }
        pairs += 1;
        i += 2;
    }
    pairs >= 2
}

/// Shift-JIS structure check in the spirit of ZXing's `guessEncoding`: every lead byte has a valid
/// trail byte, and there is a double-byte character or a run of half-width katakana.
fn looks_shift_jis(bytes: &[u8]) -> bool {
    let mut i = 0;
    let mut double = 0;
    let mut kata_run = 0;
    let mut kata_max = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            0x00..=0x7f => {
                kata_run = 0;
                i += 1;
            }
            0xa1..=0xdf => {
                kata_run += 1;
                kata_max = kata_max.max(kata_run);
                i += 1;
            }
            0x81..=0x9f | 0xe0..=0xef => {
                let Some(&t) = bytes.get(i + 1) else { return false };
                if !(0x40..=0xfc).contains(&t) || t == 0x7f {
                    return false;
                }
                double += 1;
                kata_run = 0;
                i += 2;
            }
            _ => return false,
        }
    }
    double > 0 || kata_max >= 2
}
