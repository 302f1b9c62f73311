//! Test-only wasm exports, compiled with the `test-hooks` feature (the browser tests' build, never
//! the release bundle merchants ship): they let `tests/e2e/` drive each wallet bridge through a
//! stand-in with the real API's shape, and mount the Leptos component with recording callbacks.
//! They do only what the widget does.

use super::bridges;
use super::component::{InterpayCheckout, OrderCreated, PaymentResult, Scanned, WidgetError};
use super::js;
use crate::payload::Code;
use crate::wallet::FailureCode;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// `__interpay_test_pay("wechat_jsapi", wallet_params)` → the bridge's outcome JSON.
#[wasm_bindgen(js_name = "__interpay_test_pay")]
pub async fn test_pay(wallet: String, wallet_params: JsValue) -> JsValue {
    let outcome = match crate::wallet::WalletId::parse(&wallet) {
        Some(w) => bridges::pay(w, &js::from_js(&wallet_params)).await,
        None => js::failed(FailureCode::UnknownWallet, format!("unknown wallet {wallet:?}")),
    };
    js::to_js(&outcome)
}

/// `__interpay_test_environment(payment)` → `{environment, detected, wallets}` (the picker's rows).
#[wasm_bindgen(js_name = "__interpay_test_environment")]
pub fn test_environment(payment: JsValue) -> JsValue {
    let env = bridges::detect_environment();
    let d = env.detect();
    let wallets = serde_json::from_value::<crate::payload::Payment>(js::from_js(&payment))
        .map(|p| crate::wallet::rank_wallets(&p, &env))
        .map_err(|e| e.to_string());
    js::to_js(&serde_json::json!({
        "environment": env,
        "detected": {
            "wechat": d.wechat, "wechat_mini_program": d.wechat_mini_program, "alipay": d.alipay,
            "alipay_mini_program": d.alipay_mini_program, "unionpay": d.unionpay, "mobile": d.mobile,
            "plain_mobile_browser": d.plain_mobile_browser,
        },
        "wallets": match wallets { Ok(w) => serde_json::to_value(w).unwrap_or_default(), Err(e) => serde_json::json!({"error": e}) },
    }))
}

/// `__interpay_test_returned()` → `{order_id, outcome}` from the page URL, or null.
#[wasm_bindgen(js_name = "__interpay_test_returned")]
pub fn test_returned() -> JsValue {
    match bridges::returned() {
        Some(r) => js::to_js(&serde_json::json!({"order_id": r.order_id, "outcome": r.outcome})),
        None => JsValue::NULL,
    }
}

/// Mount [`InterpayCheckout`] into `el` inside a `<Show>` and record every typed callback in
/// `window.__interpayComponent`. Returns `{remove(), setLocale(tag)}`: `remove` hides it (which
/// disposes the component), `setLocale` sets its `locale` signal prop.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn __mount_component_for_tests(el: web_sys::HtmlElement, order_url: String, locale: String) -> js_sys::Object {
    fn record(v: serde_json::Value) {
        let Some(w) = js::window() else { return };
        let key = wasm_bindgen::JsValue::from_str("__interpayComponent");
        let list = js_sys::Reflect::get(&w, &key).ok().filter(|l| l.is_object()).unwrap_or_else(|| {
            let a: wasm_bindgen::JsValue = js_sys::Array::new().into();
            let _ = js_sys::Reflect::set(&w, &key, &a);
            a
        });
        if let Some(a) = list.dyn_ref::<js_sys::Array>() {
            a.push(&js::to_js(&v));
        }
    }
    fn result(name: &str, r: &PaymentResult) -> serde_json::Value {
        serde_json::json!({
            "callback": name,
            "payee": r.payment.payee.name,
            "order_id": r.order.as_ref().map(|o| o.order_id.clone()),
            "outcome": r.outcome,
        })
    }
    console_error_panic_hook::set_once();
    let shown = RwSignal::new(true);
    // A signal prop: the test changes it on a mounted component (`setLocale`).
    let locale = RwSignal::new(locale);
    let handle = leptos::mount::mount_to(el, move || {
        let order_url = order_url.clone();
        view! {
            <Show when=move || shown.get()>
            <InterpayCheckout
                on_scanned=move |s: Scanned| {
                    let kind = match &s.code {
                        Ok(Code::Payment(_)) => "payment",
                        Ok(Code::NotPayment(_)) => "not_payment",
                        Err(_) => "invalid",
                    };
                    record(serde_json::json!({"callback": "scanned", "text": s.text, "kind": kind}))
                }
                on_order_created=move |o: OrderCreated| {
                    record(serde_json::json!({"callback": "order_created", "order_id": o.order.order_id, "amount": o.order.amount}))
                }
                on_succeeded=move |r: PaymentResult| record(result("succeeded", &r))
                on_cancelled=move |r: PaymentResult| record(result("cancelled", &r))
                on_failed=move |r: PaymentResult| record(result("failed", &r))
                on_pending=move |r: PaymentResult| record(result("pending", &r))
                on_error=move |e: WidgetError| {
                    record(serde_json::json!({"callback": "error", "code": e.code, "recovered": e.recovered}))
                }
                order_url=order_url.clone()
                locale=locale
            />
            </Show>
        }
    });
    // Lives as long as the page.
    std::mem::forget(handle);
    let controls = js_sys::Object::new();
    let remove = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || shown.set(false)).into_js_value();
    let set_locale = wasm_bindgen::closure::Closure::<dyn Fn(String)>::new(move |l: String| locale.set(l)).into_js_value();
    let _ = js_sys::Reflect::set(&controls, &"remove".into(), &remove);
    let _ = js_sys::Reflect::set(&controls, &"setLocale".into(), &set_locale);
    controls
}
