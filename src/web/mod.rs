//! Browser edge (wasm32 only): the Leptos widget, the camera, the decoder worker entry, wallet bridges.
//!
//! wasm-bindgen exports (called by `www/interpay.js` and `www/decoder-worker.js`):
//! - [`mount_widget`]`(shadow_root, host, options)` → a [`WidgetHandle`] (`unmount()` on disconnect);
//! - [`decode_rgba`]`(rgba, width, height)` → `[{text, corners}]` (the worker's entry);
//! - [`scan_rgba`]`(rgba, width, height)` → `{codes: [{text, corners}], hint}` (the same, plus the
//!   shopper hint `null | "too_small" | "too_blurred" | "too_dark"` when nothing read);
//! - [`parse_payload`]`(text)` → `{ok: Code}` or `{error: ParseError}` (for developers / the demo).
//!
//! With the `test-hooks` feature (browser tests only) `test_hooks` adds `__interpay_test_*` exports.
//!
//! No `#[wasm_bindgen(start)]`: the same wasm module is instantiated in the decoder worker.
//!
//! For Rust apps there is also the Leptos component [`InterpayCheckout`] (same widget, same shadow
//! root isolation, typed callbacks):
//!
//! ```ignore
//! use interpay::web::InterpayCheckout;
//! use leptos::prelude::*;
//!
//! // Serve the `dist/` of `cargo xtask build` at /interpay/ (interpay.css, decoder-worker.js, pkg/).
//! leptos::mount::mount_to_body(|| view! {
//!     <InterpayCheckout
//!         order_url="/api/orders"
//!         locale="fr"
//!         on_succeeded=move |r: interpay::web::PaymentResult| leptos::logging::log!("paid: {:?}", r.order)
//!     />
//! });
//! ```

pub mod bridges;
mod camera;
mod component;
mod js;
mod scanner;
#[cfg(feature = "test-hooks")]
mod test_hooks;
mod widget;

pub use component::{InterpayCheckout, InterpayCheckoutProps, OrderCreated, PaymentResult, Scanned, WidgetError};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// One decoded code as the worker posts it.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct ScanCode {
    pub text: String,
    pub corners: [[f32; 2]; 4],
}

/// Decode every QR code in an RGBA frame (canvas `ImageData.data`). Never throws.
#[wasm_bindgen]
pub fn decode_rgba(data: &[u8], width: u32, height: u32) -> JsValue {
    console_error_panic_hook::set_once();
    let (w, h) = (width as usize, height as usize);
    let luma = crate::decode::rgba_to_luma(data, w, h);
    let codes: Vec<ScanCode> = if luma.len() == w.saturating_mul(h) {
        crate::decode::decode(crate::decode::LumaImage { width: w, height: h, data: &luma }, &Default::default())
            .into_iter()
            .map(|d| ScanCode { text: d.text, corners: d.corners })
            .collect()
    } else {
        Vec::new()
    };
    js::to_js(&codes)
}

/// Like [`decode_rgba`], plus the shopper hint when nothing read:
/// `{codes: [{text, corners}], hint: null | "too_small" | "too_blurred" | "too_dark"}`
/// (`crate::decode::guidance`). Never throws.
#[wasm_bindgen]
pub fn scan_rgba(data: &[u8], width: u32, height: u32) -> JsValue {
    #[derive(Serialize)]
    struct Out {
        codes: Vec<ScanCode>,
        hint: Option<crate::decode::guidance::Guidance>,
    }
    console_error_panic_hook::set_once();
    let (w, h) = (width as usize, height as usize);
    let luma = crate::decode::rgba_to_luma(data, w, h);
    let out = if luma.len() == w.saturating_mul(h) {
        let s = crate::decode::scan(crate::decode::LumaImage { width: w, height: h, data: &luma }, &Default::default());
        Out { codes: s.codes.into_iter().map(|d| ScanCode { text: d.text, corners: d.corners }).collect(), hint: s.hint }
    } else {
        Out { codes: Vec::new(), hint: None }
    };
    js::to_js(&out)
}

/// Parse a scanned text: `{ok: Code}` or `{error: ParseError}`.
#[wasm_bindgen]
pub fn parse_payload(text: &str) -> JsValue {
    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    #[allow(clippy::large_enum_variant)]
    enum Parsed {
        Ok(crate::payload::Code),
        Error(crate::payload::ParseError),
    }
    js::to_js(&match crate::payload::parse(text) {
        Ok(c) => Parsed::Ok(c),
        Err(e) => Parsed::Error(e),
    })
}

/// The mounted widget; `unmount()` stops the camera and removes the view.
#[wasm_bindgen]
pub struct WidgetHandle {
    inner: Option<widget::Mounted>,
}

#[wasm_bindgen]
impl WidgetHandle {
    pub fn unmount(&mut self) {
        if let Some(m) = self.inner.take() {
            m.unmount();
        }
    }
}

/// Mount the checkout widget into `shadow_root`; `host` is the `<interpay-checkout>` element (events
/// are dispatched on it, attributes read from it). `options`: `{orderUrl, locale, label, scanRegion,
/// workerUrl}` (each optional; attributes of `host` fill the gaps).
#[wasm_bindgen]
pub fn mount_widget(shadow_root: web_sys::ShadowRoot, host: web_sys::HtmlElement, options: JsValue) -> WidgetHandle {
    console_error_panic_hook::set_once();
    let options = widget::Options::from_element(&host, &options);
    WidgetHandle { inner: widget::mount(shadow_root, host, options, widget::Hooks::default()) }
}
