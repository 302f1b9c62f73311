//! The browser's `TextDecoder` behind [`crate::decode::charset`]: the WHATWG Encoding Standard, as
//! `encoding_rs` implements it natively, with the tables the browser already has (so the reader wasm
//! carries none). Works on the main thread and in the decoder worker.

use crate::decode::charset::OnError;
use web_sys::{TextDecoder, TextDecoderOptions};

pub fn decode(label: &str, bytes: &[u8], on_error: OnError) -> Option<String> {
    let opts = TextDecoderOptions::new();
    // `fatal`: malformed input throws a TypeError (→ None) instead of giving U+FFFD.
    opts.set_fatal(on_error == OnError::Fail);
    // `ignoreBOM`: a leading BOM stays text, as encoding_rs' decode_without_bom_handling keeps it.
    // (web-sys has no setter for it: set the dictionary member by name.)
    js_sys::Reflect::set(&opts, &"ignoreBOM".into(), &true.into()).ok()?;
    // A label the standard does not know throws a RangeError: None, as natively.
    let decoder = TextDecoder::new_with_label_and_options(label, &opts).ok()?;
    // The standard's "replacement" decoder (labels such as iso-2022-kr) turns everything into U+FFFD:
    // never a QR code's meaning, and encoding_rs' for_label_no_replacement refuses it too.
    if decoder.encoding() == "replacement" {
        return None;
    }
    decoder.decode_with_u8_array(bytes).ok()
}
