//! Shared plumbing for the bridges: find a JS global, call a callback-style API with a timeout,
//! turn JS values into JSON and exceptions into messages. Nothing here panics.

use js_sys::{Array, Function, Promise, Reflect};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::wallet::Outcome;

/// How a callback-style JS call ended.
pub enum Called {
    /// The API called us back with this value (first argument).
    Back(JsValue),
    /// Nobody called back in time.
    TimedOut,
    /// The call itself threw (or the API is not there).
    Threw(JsValue),
}

/// `window.a.b.c`, if every step exists and is not `undefined`/`null`.
pub fn global(path: &[&str]) -> Option<JsValue> {
    let mut cur: JsValue = web_sys::window()?.into();
    for key in path {
        let next = Reflect::get(&cur, &JsValue::from_str(key)).ok()?;
        if next.is_undefined() || next.is_null() {
            return None;
        }
        cur = next;
    }
    Some(cur)
}

/// `obj[name]` as a function.
pub fn method(obj: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(obj, &JsValue::from_str(name)).ok()?.dyn_into::<Function>().ok()
}

/// JSON → plain JS object (maps as objects, not `Map`s: bridges read `params.appId`).
pub fn to_js(v: &Value) -> JsValue {
    use serde::Serialize;
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    v.serialize(&ser).unwrap_or(JsValue::NULL)
}

/// JS value → JSON (via `JSON.stringify`, which drops functions and tolerates odd objects).
pub fn from_js(v: &JsValue) -> Value {
    if v.is_undefined() {
        return Value::Null;
    }
    if let Some(s) = v.as_string() {
        // Some bridges call back with a JSON string (older Alipay/UnionPay versions).
        return serde_json::from_str(&s).unwrap_or(Value::String(s));
    }
    js_sys::JSON::stringify(v)
        .ok()
        .and_then(|s| s.as_string())
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(Value::Null)
}

/// A readable message for a thrown JS value (`Error.message`, a string, or its JSON).
pub fn error_message(e: &JsValue) -> String {
    if let Some(s) = e.as_string() {
        return s;
    }
    if let Ok(m) = Reflect::get(e, &"message".into()) {
        if let Some(m) = m.as_string() {
            let name = Reflect::get(e, &"name".into()).ok().and_then(|n| n.as_string());
            return match name {
                Some(n) if !n.is_empty() => format!("{n}: {m}"),
                _ => m,
            };
        }
    }
    from_js(e).to_string()
}

/// `e.name` of a thrown `DOMException`/`Error` (`"AbortError"`, `"NotSupportedError"`…).
pub fn error_name(e: &JsValue) -> Option<String> {
    Reflect::get(e, &"name".into()).ok()?.as_string()
}

pub fn failed(code: &str, message: impl Into<String>) -> Outcome {
    Outcome::Failed { code: code.into(), message: message.into() }
}

pub fn missing(what: &str) -> Outcome {
    failed("bridge_missing", format!("{what} is not available on this page"))
}

pub fn threw(what: &str, e: &JsValue) -> Outcome {
    failed("bridge_exception", format!("{what} threw: {}", error_message(e)))
}

fn set_timeout(f: &JsValue, ms: i32) {
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(f.unchecked_ref(), ms);
    }
}

/// Call a callback-style API: `invoke` receives the callback to hand to the bridge. Resolves on the
/// first callback, on timeout, or at once if `invoke` throws. Late or repeated callbacks are ignored.
pub async fn call_with_callback(
    timeout_ms: i32,
    invoke: impl FnOnce(&Function) -> Result<JsValue, JsValue>,
) -> Called {
    let mut invoke = Some(invoke);
    let promise = Promise::new(&mut |resolve: Function, _reject: Function| {
        let r = resolve.clone();
        // Kept alive for good (forget): a bridge may call back long after we stopped waiting, and a
        // dropped closure would throw inside the wallet's code. A few bytes per payment.
        let cb = Closure::<dyn FnMut(JsValue)>::new(move |v: JsValue| {
            let _ = r.call1(&JsValue::NULL, &Array::of2(&"back".into(), &v));
        });
        let r = resolve.clone();
        let on_timeout = Closure::once_into_js(move || {
            let _ = r.call1(&JsValue::NULL, &Array::of1(&"timeout".into()));
        });
        set_timeout(&on_timeout, timeout_ms);
        if let Some(f) = invoke.take() {
            if let Err(e) = f(cb.as_ref().unchecked_ref()) {
                let _ = resolve.call1(&JsValue::NULL, &Array::of2(&"threw".into(), &e));
            }
        }
        cb.forget();
    });
    tagged(JsFuture::from(promise).await)
}

fn tagged(r: Result<JsValue, JsValue>) -> Called {
    match r {
        Ok(v) => {
            let arr: Array = v.unchecked_into();
            match arr.get(0).as_string().as_deref() {
                Some("back") => Called::Back(arr.get(1)),
                Some("threw") => Called::Threw(arr.get(1)),
                _ => Called::TimedOut,
            }
        }
        Err(e) => Called::Threw(e),
    }
}

/// Await a JS promise, giving up after `timeout_ms`. `Back` = fulfilled, `Threw` = rejected.
pub async fn await_promise(p: &Promise, timeout_ms: i32) -> Called {
    // A fresh object only the timeout can resolve with, compared by identity.
    let sentinel: JsValue = js_sys::Object::new().into();
    let s = sentinel.clone();
    let timeout = Promise::new(&mut |resolve: Function, _| {
        let s = s.clone();
        let on_timeout = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &s);
        });
        set_timeout(&on_timeout, timeout_ms);
    });
    let race = Promise::race(&Array::of2(p, &timeout));
    match JsFuture::from(race).await {
        Ok(v) if v == sentinel => Called::TimedOut,
        Ok(v) => Called::Back(v),
        Err(e) => Called::Threw(e),
    }
}

/// Wait up to `timeout_ms` for `window[name]` to appear, listening for the `ready_event` the wallet
/// fires on `document` once its bridge is injected (`WeixinJSBridgeReady`, `AlipayJSBridgeReady`):
/// both apps inject their bridge asynchronously, so a page that pays right after load may be early.
pub async fn wait_for_global(name: &str, ready_event: &str, timeout_ms: i32) -> Option<JsValue> {
    if let Some(v) = global(&[name]) {
        return Some(v);
    }
    let doc = web_sys::window()?.document()?;
    let promise = Promise::new(&mut |resolve: Function, _| {
        let r = resolve.clone();
        let on_ready = Closure::once_into_js(move || {
            let _ = r.call0(&JsValue::NULL);
        });
        let opts = web_sys::AddEventListenerOptions::new();
        opts.set_once(true);
        let _ = doc.add_event_listener_with_callback_and_add_event_listener_options(
            ready_event,
            on_ready.unchecked_ref(),
            &opts,
        );
        let on_timeout = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        set_timeout(&on_timeout, timeout_ms);
    });
    let _ = JsFuture::from(promise).await;
    global(&[name])
}

/// Sleep without blocking the page.
pub async fn sleep(ms: i32) {
    let p = Promise::new(&mut |resolve: Function, _| {
        set_timeout(&resolve.into(), ms);
    });
    let _ = JsFuture::from(p).await;
}

/// How a `{success, fail}`-style call ended (`wx.*`, `my.*`, `upsdk.pay`).
pub enum Settled {
    Success(JsValue),
    Fail(JsValue),
    TimedOut,
    Threw(JsValue),
}

/// Call an API that takes one options object with `success`/`fail` callbacks: `fill` gets that
/// object (callbacks already set), adds its own fields and makes the call.
pub async fn call_with_callbacks(
    timeout_ms: i32,
    fill: impl FnOnce(&js_sys::Object) -> Result<JsValue, JsValue>,
) -> Settled {
    let called = call_with_callback(timeout_ms, |cb| {
        let obj = js_sys::Object::new();
        for tag in ["success", "fail"] {
            let cb = cb.clone();
            let c = Closure::<dyn FnMut(JsValue)>::new(move |v: JsValue| {
                let _ = cb.call1(&JsValue::NULL, &Array::of2(&JsValue::from_str(tag), &v));
            });
            let _ = Reflect::set(&obj, &JsValue::from_str(tag), c.as_ref());
            c.forget();
        }
        fill(&obj)
    })
    .await;
    match called {
        Called::Back(v) => {
            let arr: Array = v.unchecked_into();
            match arr.get(0).as_string().as_deref() {
                Some("success") => Settled::Success(arr.get(1)),
                _ => Settled::Fail(arr.get(1)),
            }
        }
        Called::TimedOut => Settled::TimedOut,
        Called::Threw(e) => Settled::Threw(e),
    }
}

/// Set `obj[key] = value` (ignoring failures on frozen objects).
pub fn set(obj: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// `document.visibilityState === "visible"` (true when unknown).
pub fn page_visible() -> bool {
    global(&["document", "visibilityState"]).and_then(|v| v.as_string()).map(|s| s == "visible").unwrap_or(true)
}

/// Wait for the first of these events (`window` events, and `document` ones prefixed `document:`),
/// or the timeout. Returns the event name.
pub async fn wait_events(names: &[&str], timeout_ms: i32) -> Option<String> {
    let window = web_sys::window()?;
    let doc = window.document()?;
    let promise = Promise::new(&mut |resolve: Function, _| {
        for name in names {
            let (target, ev): (&web_sys::EventTarget, &str) = match name.strip_prefix("document:") {
                Some(ev) => (&doc, ev),
                None => (&window, name),
            };
            let r = resolve.clone();
            let tag = JsValue::from_str(name);
            let on = Closure::once_into_js(move || {
                let _ = r.call1(&JsValue::NULL, &tag);
            });
            let opts = web_sys::AddEventListenerOptions::new();
            opts.set_once(true);
            let _ = target.add_event_listener_with_callback_and_add_event_listener_options(ev, on.unchecked_ref(), &opts);
        }
        let r = resolve.clone();
        let on_timeout = Closure::once_into_js(move || {
            let _ = r.call1(&JsValue::NULL, &JsValue::NULL);
        });
        set_timeout(&on_timeout, timeout_ms);
    });
    JsFuture::from(promise).await.ok()?.as_string()
}

/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The page URL (`location.href`).
pub fn href() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}
