//! Legacy charsets → text: Shift_JIS, GBK/GB18030, Big5, EUC-KR, ISO-8859-x, windows-125x, UTF-16BE, as
//! the WHATWG Encoding Standard defines them (labels such as `"shift_jis"`, `"gbk"`, `"iso-8859-2"`).
//!
//! Natively this is `encoding_rs`. In the browser it is the browser's own `TextDecoder`, which implements
//! the same standard with the same tables: they are already on the phone, so the reader wasm does not
//! download them (`web::text_decoder`, the only browser glue here).

/// What to do with bytes the charset cannot decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnError {
    /// Give up: `None` (used when guessing a charset: malformed means "not this charset").
    Fail,
    /// U+FFFD for each malformed sequence (used when the charset is known: Kanji/Hanzi segments, ECI).
    Replace,
}

/// Decodes `bytes` in the charset named by WHATWG `label`, without BOM sniffing (a BOM is text).
/// `None` for an unknown label, or for malformed input with [`OnError::Fail`].
pub fn decode(label: &str, bytes: &[u8], on_error: OnError) -> Option<String> {
    backend::decode(label, bytes, on_error)
}

#[cfg(not(target_arch = "wasm32"))]
mod backend {
    use super::OnError;

    pub fn decode(label: &str, bytes: &[u8], on_error: OnError) -> Option<String> {
        let enc = encoding_rs::Encoding::for_label_no_replacement(label.as_bytes())?;
        match on_error {
            OnError::Fail => enc.decode_without_bom_handling_and_without_replacement(bytes).map(|s| s.into_owned()),
            OnError::Replace => Some(enc.decode_without_bom_handling(bytes).0.into_owned()),
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod backend {
    pub use crate::web::text_decoder::decode;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_charsets() {
        assert_eq!(decode("shift_jis", &[0x93, 0xfa, 0x96, 0x7b], OnError::Fail).as_deref(), Some("日本"));
        assert_eq!(decode("gbk", &[0xd6, 0xd0, 0xce, 0xc4], OnError::Fail).as_deref(), Some("中文"));
        assert_eq!(decode("big5", &[0xa4, 0xa4, 0xa4, 0xe5], OnError::Fail).as_deref(), Some("中文"));
        assert_eq!(decode("euc-kr", &[0xc7, 0xd1, 0xb1, 0xdb], OnError::Fail).as_deref(), Some("한글"));
        assert_eq!(decode("iso-8859-2", &[0xa3, 0xf3, 0x64, 0xbc], OnError::Fail).as_deref(), Some("Łódź"));
        assert_eq!(decode("utf-16be", &[0xfe, 0xff, 0x00, 0x41], OnError::Fail).as_deref(), Some("\u{feff}A"));
    }

    #[test]
    fn malformed_and_unknown() {
        assert_eq!(decode("shift_jis", &[0x81], OnError::Fail), None);
        assert_eq!(decode("shift_jis", &[0x81], OnError::Replace).as_deref(), Some("\u{fffd}"));
        assert_eq!(decode("no-such-charset", b"abc", OnError::Replace), None);
        // "replacement" is a WHATWG label that decodes everything to U+FFFD: never what a QR code means.
        assert_eq!(decode("iso-2022-kr", b"abc", OnError::Replace), None);
    }
}
