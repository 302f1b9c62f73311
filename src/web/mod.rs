//! Browser edge (wasm32 only): the Leptos widget, the camera, the decoder worker entry, wallet bridges.
//!
//! Two wasm modules are built from this crate (features; docs/ARCHITECTURE.md, "Built output"):
//! - the UI (`widget`), loaded by `www/interpay.js`: [`mount_widget`]`(shadow_root, host, options)` → a
//!   [`WidgetHandle`] (`unmount()` on disconnect), and the Leptos component;
//! - the reader (`reader`), loaded by `www/decoder-worker.js`: `read_frame(rgba, width, height)` → the JSON
//!   of a [`FrameRead`] (codes with their payload reading, and the shopper hint), `decode_rgba` (codes
//!   only, for benchmarks), `parse_payload(text)` → `{ok: Code}` or `{error: ParseError}`.
//!
//! With the `test-hooks` feature (browser tests only) `test_hooks` adds `__interpay_test_*` exports.
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

#[cfg(feature = "widget")]
pub mod bridges;
#[cfg(feature = "widget")]
mod camera;
#[cfg(feature = "widget")]
mod component;
#[cfg(feature = "widget")]
mod js;
#[cfg(any(feature = "reader", feature = "deep-reader"))]
mod reader;
#[cfg(feature = "widget")]
mod scanner;
#[cfg(feature = "test-hooks")]
mod test_hooks;
pub(crate) mod text_decoder;
#[cfg(any(feature = "reader", feature = "deep-reader"))]
mod url;
#[cfg(feature = "widget")]
mod widget;

#[cfg(feature = "widget")]
pub use component::{InterpayCheckout, InterpayCheckoutProps, OrderCreated, PaymentResult, Scanned, WidgetError};
#[cfg(feature = "reader")]
pub use reader::read_frame;
#[cfg(any(feature = "reader", feature = "deep-reader"))]
pub use reader::{parse_payload, read_text};
#[cfg(feature = "widget")]
use wasm_bindgen::prelude::*;

pub use crate::checkout::reading::{FrameRead, ScanCode};

#[cfg(feature = "widget")]
/// The mounted widget; `unmount()` stops the camera and removes the view.
#[wasm_bindgen]
pub struct WidgetHandle {
    inner: Option<widget::Mounted>,
}

#[cfg(feature = "widget")]
#[wasm_bindgen]
impl WidgetHandle {
    pub fn unmount(&mut self) {
        if let Some(m) = self.inner.take() {
            m.unmount();
        }
    }
}

#[cfg(feature = "widget")]
/// Mount the checkout widget into `shadow_root`; `host` is the `<interpay-checkout>` element (events
/// are dispatched on it, attributes read from it). `options`: `{orderUrl, locale, label, scanRegion,
/// workerUrl}` (each optional; attributes of `host` fill the gaps).
#[wasm_bindgen]
pub fn mount_widget(shadow_root: web_sys::ShadowRoot, host: web_sys::HtmlElement, options: JsValue) -> WidgetHandle {
    console_error_panic_hook::set_once();
    let options = widget::Options::from_element(&host, &options);
    WidgetHandle { inner: widget::mount(shadow_root, host, options, widget::Hooks::default()) }
}
