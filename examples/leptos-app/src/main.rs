//! Sandbox Café, Leptos edition: the Interpay checkout as a Rust component with typed callbacks.
//! See README.md for the build.

#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

#[cfg(target_arch = "wasm32")]
use interpay::wallet::Outcome;
#[cfg(target_arch = "wasm32")]
use interpay::web::{InterpayCheckout, OrderCreated, PaymentResult, WidgetError};
#[cfg(target_arch = "wasm32")]
use leptos::prelude::*;

#[cfg(target_arch = "wasm32")]
#[component]
fn App() -> impl IntoView {
    let status = RwSignal::new(String::from("Scan the QR code on the till."));
    view! {
        <main>
            <h1>"Sandbox Café"</h1>
            // The widget's static files (dist/ of `cargo xtask build`) are served at /interpay/.
            <InterpayCheckout
                order_url="/api/orders"
                locale="en"
                on_order_created=move |o: OrderCreated| status.set(format!("Order {} created…", o.order.order_id))
                on_succeeded=move |r: PaymentResult| {
                    let id = r.order.map(|o| o.order_id).unwrap_or_default();
                    status.set(format!("Paid, thank you! (order {id})"))
                }
                on_cancelled=move |_r: PaymentResult| status.set("Payment cancelled.".into())
                on_failed=move |r: PaymentResult| {
                    if let Outcome::Failed { code, message } = r.outcome {
                        status.set(format!("Payment failed: {message} ({code})"))
                    }
                }
                on_pending=move |_r: PaymentResult| status.set("Waiting for the merchant to confirm…".into())
                on_error=move |e: WidgetError| leptos::logging::warn!("interpay: {} {}", e.code, e.message)
            />
            <p id="status" role="status">{move || status.get()}</p>
        </main>
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

/// Natively there is nothing to run (the workspace's native tests still build this crate).
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("interpay-leptos-app is a browser app: `cargo xtask example` builds it for wasm32");
}
