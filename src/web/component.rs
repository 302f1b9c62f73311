//! The checkout widget as a Leptos component, for Rust (Leptos CSR) apps.
//!
//! [`InterpayCheckout`] renders a host `<div class="interpay-checkout">`, attaches an open shadow
//! root to it, links `interpay.css` into that shadow root and mounts the very same widget as the
//! `<interpay-checkout>` custom element (`widget::mount`): one implementation, two entry points.
//! The shadow root keeps the widget's styles isolated from the app's and the app's from the
//! widget's, exactly like the custom element; theme it with the same CSS custom properties
//! (`--interpay-accent`, `--interpay-radius`, `--interpay-font`…) set on the host div (give it a
//! `class` through the `class` prop) or any ancestor.
//!
//! Two static files of the built widget (`cargo xtask build` → `dist/`) must be served by the app:
//! `interpay.css` and `decoder-worker.js` (with its `pkg/`: the decoder runs in a worker that loads
//! the interpay wasm). By default they are looked up under `/interpay/` (`assets_url` prop); the
//! app's own wasm does not need to be loaded twice on the main thread.
//!
//! The options props are reactive (pass a signal or a plain value): a change remounts the widget with
//! the new options, unless the scan sheet is open (a payment or a scan in progress is never cut off;
//! the custom element follows the same rule for its attributes).
//! Callback closures need their parameter type written out (`move |r: PaymentResult| …`): the
//! prop accepts any `Into<Callback<_>>`, so Rust cannot infer it from the use.
//! The DOM events (`interpay:scanned`, …) are still dispatched on the host div, so code written for
//! the custom element keeps working; the `on_*` callbacks get typed Rust values.

use super::widget::{self, Hooks, Options};
pub use crate::checkout::{OrderCreated, PaymentResult, Scanned, WidgetError};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn hook<T: 'static>(cb: Option<Callback<T>>) -> Option<Box<dyn Fn(T)>> {
    cb.map(|cb| -> Box<dyn Fn(T)> {
        Box::new(move |v: T| {
            // The app may have disposed the callback's owner already: ignore, never panic.
            let _ = cb.try_run(v);
        })
    })
}

/// Scan-to-pay checkout: a launch button that opens the camera sheet, decodes the QR code on the
/// device, asks the shopper to confirm, creates the order at `order_url` and pays through the
/// shopper's wallet.
///
/// ```ignore
/// use interpay::web::{InterpayCheckout, PaymentResult};
/// use interpay::wallet::Outcome;
/// use leptos::prelude::*;
///
/// #[component]
/// fn Shop() -> impl IntoView {
///     let paid = RwSignal::new(None::<String>);
///     view! {
///         // dist/ of `cargo xtask build` served at /interpay/ (interpay.css, decoder-worker.js, pkg/)
///         <InterpayCheckout
///             order_url="/api/orders"
///             locale="fr"
///             on_succeeded=move |r: PaymentResult| paid.set(r.order.map(|o| o.order_id))
///             on_failed=move |r: PaymentResult| {
///                 if let Outcome::Failed { code, message } = r.outcome {
///                     leptos::logging::warn!("payment failed: {code} {message}");
///                 }
///             }
///         />
///         <p>{move || paid.get().map(|id| format!("Paid, order {id}"))}</p>
///     }
/// }
/// ```
#[component]
pub fn InterpayCheckout(
    /// Merchant endpoint that creates an order (POST; docs/merchant-contract.md).
    #[prop(into)]
    order_url: Signal<String>,
    /// `en`, `fr`, `zh-CN`, `zh-TW`…; default: the page's `<html lang>`, then the browser.
    #[prop(optional, into)]
    locale: MaybeProp<String>,
    /// Text of the launch button (default: "Scan to pay", localized).
    #[prop(optional, into)]
    label: MaybeProp<String>,
    /// Fraction of the shorter side of the camera picture read by the decoder (0.2–1, default 0.7).
    #[prop(optional, into)]
    scan_region: MaybeProp<f64>,
    /// Where the built widget's static files are served (default `/interpay/`).
    #[prop(optional, into)]
    assets_url: Option<String>,
    /// The decoder worker script (default `{assets_url}decoder-worker.js`).
    #[prop(optional, into)]
    worker_url: Option<String>,
    /// The widget's stylesheet, linked inside the shadow root (default `{assets_url}interpay.css`).
    #[prop(optional, into)]
    css_url: Option<String>,
    /// Your endpoint that names the payee of a code that names nobody (`POST {payload}` →
    /// `{payee: {name, …}}`, see docs/merchant-contract.md); without it such codes show "unnamed merchant".
    #[prop(optional, into)]
    resolve_url: MaybeProp<String>,
    /// Class of the host div (e.g. to set the `--interpay-*` custom properties).
    #[prop(optional, into)]
    class: Option<String>,
    #[prop(optional, into)] on_scanned: Option<Callback<Scanned>>,
    #[prop(optional, into)] on_order_created: Option<Callback<OrderCreated>>,
    #[prop(optional, into)] on_succeeded: Option<Callback<PaymentResult>>,
    #[prop(optional, into)] on_cancelled: Option<Callback<PaymentResult>>,
    #[prop(optional, into)] on_failed: Option<Callback<PaymentResult>>,
    /// The wallet said ok but the merchant has not confirmed the payment (yet).
    #[prop(optional, into)] on_pending: Option<Callback<PaymentResult>>,
    #[prop(optional, into)] on_error: Option<Callback<WidgetError>>,
) -> impl IntoView {
    let host = NodeRef::<leptos::html::Div>::new();
    let mounted: StoredValue<Option<widget::Mounted>, LocalStorage> = StoredValue::new_local(None);
    let mut assets = assets_url.unwrap_or_else(|| "/interpay/".to_string());
    if !assets.ends_with('/') {
        assets.push('/');
    }
    let worker_url = worker_url.unwrap_or_else(|| format!("{assets}decoder-worker.js"));
    let css_url = css_url.unwrap_or_else(|| format!("{assets}interpay.css"));
    let hooks = move || Hooks {
        scanned: hook(on_scanned),
        order_created: hook(on_order_created),
        succeeded: hook(on_succeeded),
        cancelled: hook(on_cancelled),
        failed: hook(on_failed),
        pending: hook(on_pending),
        error: hook(on_error),
    };
    // Mounts once the host div exists, and again whenever an option prop changes.
    Effect::new(move |_| {
        let options = Options {
            order_url: Some(order_url.get()),
            locale: locale.get(),
            label: label.get(),
            scan_region: scan_region.get(),
            worker_url: Some(worker_url.clone()),
            read_frame: None,
            take_camera: None,
            resolve_url: resolve_url.get(),
        };
        let Some(el) = host.get() else { return };
        let el: web_sys::HtmlElement = el.unchecked_into();
        let shadow = match el.shadow_root() {
            Some(s) => s,
            None => match el.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open)) {
                Ok(s) => s,
                Err(e) => {
                    web_sys::console::error_2(&"interpay: cannot attach a shadow root".into(), &e);
                    return;
                }
            },
        };
        if shadow.query_selector("link[data-interpay-css]").ok().flatten().is_none() {
            if let Some(doc) = super::js::window().and_then(|w| w.document()) {
                if let Ok(link) = doc.create_element("link") {
                    let _ = link.set_attribute("rel", "stylesheet");
                    let _ = link.set_attribute("href", &css_url);
                    let _ = link.set_attribute("data-interpay-css", "");
                    let _ = shadow.append_child(&link);
                }
            }
        }
        // The sheet is open: a scan or a payment is on screen, and it is not cut off.
        if shadow.query_selector(".ip-overlay:not([hidden])").ok().flatten().is_some() {
            return;
        }
        if let Some(m) = mounted.try_update_value(|m| m.take()).flatten() {
            m.unmount();
        }
        console_error_panic_hook::set_once();
        mounted.set_value(widget::mount(shadow, el, options, hooks()));
    });
    on_cleanup(move || {
        if let Some(m) = mounted.try_update_value(|m| m.take()).flatten() {
            m.unmount();
        }
    });
    view! { <div class=format!("interpay-checkout {}", class.unwrap_or_default()).trim().to_string() node_ref=host></div> }
}
