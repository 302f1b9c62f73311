//! The reader module's exports (feature `reader`): what the decoder worker runs. Camera frame → QR
//! codes → the payload engine's reading of each, in one call, off the main thread. The decoder and the
//! payload parser are only in this module, so the widget module the page loads first stays small.
//!
//! Two builds: the first (`interpay_reader`, features `reader`) has no deep checks (IDNA and UTS-39
//! confusables of non-ASCII hosts, secp256k1, Keccak: `payload::deep`) and reads a code that needs one
//! as the `deep_check_needed` error; the worker then reads that text with [`read_text`] of the deep
//! reader (`interpay_deep_reader`, feature `deep-reader`: the parser with the deep checks, no decoder),
//! fetched the first time it is needed. Links are read with the browser's own `URL` (`super::url`).

#[cfg(feature = "reader")]
use super::FrameRead;
use super::ScanCode;
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn to_js<T: Serialize + ?Sized>(v: &T) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}

#[cfg(feature = "reader")]
/// Read every QR code in an RGBA frame (canvas `ImageData.data`) and parse each text: the JSON of a
/// [`FrameRead`], `{codes: [{text, corners, payment | not_payment | error}], hint}` (`hint`: `null`, or when nothing read
/// `"too_small"`, `"too_blurred"`, `"too_dark"`). Never throws.
#[wasm_bindgen]
pub fn read_frame(data: &[u8], width: u32, height: u32) -> String {
    console_error_panic_hook::set_once();
    super::url::install();
    let (w, h) = (width as usize, height as usize);
    let luma = crate::decode::rgba_to_luma(data, w, h);
    let read = if luma.len() == w.saturating_mul(h) && w > 0 && h > 0 {
        let scan = crate::decode::scan(crate::decode::LumaImage { width: w, height: h, data: &luma }, &Default::default());
        let codes = scan
            .codes
            .into_iter()
            .map(|d| {
                let parsed = crate::payload::parse(&d.text);
                ScanCode::new(d.text, d.corners, parsed)
            })
            .collect();
        FrameRead { codes, hint: scan.hint }
    } else {
        FrameRead::default()
    };
    serde_json::to_string(&read).unwrap_or_else(|_| "{\"codes\":[]}".into())
}

/// The payload engine's reading of one text, as [`read_frame`] sends it for a code (the JSON of a
/// [`ScanCode`] with zero corners): what the worker asks the deep reader for a code the first module
/// read as `deep_check_needed`. Never throws.
#[wasm_bindgen]
pub fn read_text(text: &str) -> String {
    console_error_panic_hook::set_once();
    super::url::install();
    let code = ScanCode::new(text.to_string(), [[0.0; 2]; 4], crate::payload::parse(text));
    serde_json::to_string(&code).unwrap_or_else(|_| "{}".into())
}

#[cfg(feature = "reader")]
/// Only the decoder (for benchmarks and developers): `[{text, corners}]`. Never throws.
#[wasm_bindgen]
pub fn decode_rgba(data: &[u8], width: u32, height: u32) -> JsValue {
    console_error_panic_hook::set_once();
    let (w, h) = (width as usize, height as usize);
    let luma = crate::decode::rgba_to_luma(data, w, h);
    #[derive(Serialize)]
    struct Found {
        text: String,
        corners: [[f32; 2]; 4],
    }
    let codes: Vec<Found> = if luma.len() == w.saturating_mul(h) {
        crate::decode::decode(crate::decode::LumaImage { width: w, height: h, data: &luma }, &Default::default())
            .into_iter()
            .map(|d| Found { text: d.text, corners: d.corners })
            .collect()
    } else {
        Vec::new()
    };
    to_js(&codes)
}

/// Parse a scanned text: `{ok: Code}` or `{error: ParseError}` (for developers and the demo).
#[wasm_bindgen]
pub fn parse_payload(text: &str) -> JsValue {
    super::url::install();
    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    #[allow(clippy::large_enum_variant)]
    enum Parsed {
        Ok(crate::payload::Code),
        Error(crate::payload::ParseError),
    }
    to_js(&match crate::payload::parse(text) {
        Ok(c) => Parsed::Ok(c),
        Err(e) => Parsed::Error(e),
    })
}
