//! The reader module → widget wire: what the decoder worker sends for each frame (the JSON of a
//! [`FrameRead`]). Pure (no web-sys) so the round trip is tested natively.

/// One code read from a frame, as the reader module (in the decoder worker) sends it to the widget:
/// the text, where it is, and the payload engine's reading of it (`payment`, `not_payment` or `error`).
/// The widget module has no payload parser: it trusts this reading, and the merchant's server parses the
/// text again. The reading is not sent as a `Code` (tagged by `kind`): deserialising an internally tagged
/// enum buffers the whole tree through serde's generic `Content`, which cost the UI module ~65 KB of code.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ScanCode {
    pub text: String,
    pub corners: [[f32; 2]; 4],
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<crate::payload::Payment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_payment: Option<crate::payload::NotPayment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<crate::payload::ParseError>,
}

/// What the reader sends for one frame: the codes, and when none reads, what the shopper should change.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct FrameRead {
    pub codes: Vec<ScanCode>,
    #[serde(default)]
    pub hint: Option<crate::decode::guidance::Guidance>,
}

impl ScanCode {
    /// The wire form of the payload engine's reading of `text`.
    pub fn new(text: String, corners: [[f32; 2]; 4], parsed: Result<crate::payload::Code, crate::payload::ParseError>) -> Self {
        use crate::payload::Code;
        let (payment, not_payment, error) = match parsed {
            Ok(Code::Payment(p)) => (Some(p), None, None),
            Ok(Code::NotPayment(n)) => (None, Some(n), None),
            Err(e) => (None, None, Some(e)),
        };
        ScanCode { text, corners, payment, not_payment, error }
    }

    /// The text and the payload reading; `None` for a code the reader sent without a reading (a
    /// message from another build) or without its deep checks (`deep_check_needed`: the worker reads
    /// those again with the deep reader module), which the widget skips rather than guesses about.
    pub fn into_parsed(self) -> Option<(String, Result<crate::payload::Code, crate::payload::ParseError>)> {
        use crate::payload::Code;
        match (self.payment, self.not_payment, self.error) {
            (Some(p), _, _) => Some((self.text, Ok(Code::Payment(p)))),
            (None, Some(n), _) => Some((self.text, Ok(Code::NotPayment(n)))),
            (None, None, Some(e)) if e.code == crate::payload::ErrorCode::DeepCheckNeeded => None,
            (None, None, Some(e)) => Some((self.text, Err(e))),
            (None, None, None) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reader → widget wire keeps every reading, and a message without one is skipped.
    #[test]
    fn scan_code_wire_round_trip() {
        for text in [crate::checkout::EXAMPLE_CODE, "https://example.com/menu", "hello"] {
            let parsed = crate::payload::parse_at(text, None);
            let json = serde_json::to_string(&ScanCode::new(text.into(), [[0.0; 2]; 4], parsed.clone())).unwrap();
            let back: ScanCode = serde_json::from_str(&json).unwrap();
            assert_eq!(back.into_parsed(), Some((text.to_string(), parsed)));
        }
        let bare: ScanCode = serde_json::from_str(r#"{"text":"x","corners":[[0,0],[0,0],[0,0],[0,0]]}"#).unwrap();
        assert_eq!(bare.into_parsed(), None);
        let unchecked = "https://p\u{430}ypal.com/pay";
        let first = crate::payload::deep::without(|| crate::payload::parse_at(unchecked, None));
        assert!(matches!(&first, Err(e) if e.code == crate::payload::ErrorCode::DeepCheckNeeded), "{first:?}");
        assert_eq!(ScanCode::new(unchecked.into(), [[0.0; 2]; 4], first).into_parsed(), None);
    }
}

