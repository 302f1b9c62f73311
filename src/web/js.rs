//! The one JS-interop module of the browser edge: reading and calling JS values, turning them into
//! JSON and back, events, timers, promises with timeouts, callback-style wallet APIs, fetch, and
//! `Intl`. Nothing here throws into Rust or panics: a missing object or a thrown exception comes
//! back as `None` / `Err` / a [`Called`] variant.

use js_sys::{Array, Function, Object, Promise, Reflect};
use std::cell::RefCell;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::wallet::{FailureCode, Outcome};

// ---------------------------------------------------------------------------------------------
// Values

/// Serialize to a plain JS value (objects, not `Map`s: bridges read `params.appId`; `Decimal`s as strings).
pub fn to_js<T: Serialize + ?Sized>(v: &T) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
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

/// `v[key]` (`undefined` when `v` is not an object or the read throws).
pub fn get(v: &JsValue, key: &str) -> JsValue {
    if v.is_object() || v.is_function() {
        Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

pub fn get_str(v: &JsValue, key: &str) -> Option<String> {
    get(v, key).as_string()
}

/// Set `obj[key] = value` (ignoring failures on frozen objects).
pub fn set(obj: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// A plain object from key/value pairs.
pub fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o: JsValue = Object::new().into();
    for (k, v) in pairs {
        set(&o, k, v);
    }
    o
}

/// `obj[name]` as a function.
pub fn method(obj: &JsValue, name: &str) -> Option<Function> {
    get(obj, name).dyn_into::<Function>().ok()
}

/// Call `obj[name](...args)`; `Err` if it is not a function or it throws.
pub fn call(obj: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let f = method(obj, name).ok_or_else(|| JsValue::from_str(&format!("{name} is not a function")))?;
    let arr = Array::new();
    for a in args {
        arr.push(a);
    }
    Reflect::apply(&f, obj, &arr)
}

/// Await `obj[name](...args)` when it returns a promise.
pub async fn call_async(obj: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let v = call(obj, name, args)?;
    match v.dyn_into::<Promise>() {
        Ok(p) => JsFuture::from(p).await,
        Err(v) => Ok(v),
    }
}

/// `window.a.b.c`, if every step exists and is not `undefined`/`null`.
pub fn global(path: &[&str]) -> Option<JsValue> {
    let mut cur: JsValue = window()?.into();
    for key in path {
        let next = Reflect::get(&cur, &JsValue::from_str(key)).ok()?;
        if next.is_undefined() || next.is_null() {
            return None;
        }
        cur = next;
    }
    Some(cur)
}

pub fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The page URL (`location.href`).
pub fn href() -> String {
    window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

/// `document.visibilityState === "visible"` (true when unknown).
pub fn page_visible() -> bool {
    global(&["document", "visibilityState"]).and_then(|v| v.as_string()).map(|s| s == "visible").unwrap_or(true)
}

/// A random identifier (`crypto.randomUUID()`, else 128 bits of `crypto.getRandomValues`; the
/// clock and `Math.random` only where a browser has neither).
pub fn random_id() -> String {
    if let Some(uuid) = global(&["crypto"]).and_then(|c| call(&c, "randomUUID", &[]).ok()).and_then(|v| v.as_string()) {
        return uuid;
    }
    let bytes = js_sys::Uint8Array::new_with_length(16);
    if let Some(c) = global(&["crypto"]) {
        let _ = call(&c, "getRandomValues", &[bytes.clone().into()]);
    }
    let mut v = bytes.to_vec();
    if v.iter().all(|b| *b == 0) {
        v = format!("{:016x}{:016x}", now_ms() as u64, (js_sys::Math::random() * 1e16) as u64).into_bytes();
    }
    v.iter().map(|b| format!("{b:02x}")).collect()
}

/// `window.sessionStorage` (absent in some private modes and sandboxed frames).
pub fn session_storage() -> Option<web_sys::Storage> {
    window()?.session_storage().ok()?
}

/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

// ---------------------------------------------------------------------------------------------
// Errors

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

/// A bridge failure with its code.
pub fn failed(code: FailureCode, message: impl Into<String>) -> Outcome {
    Outcome::failed(code, message)
}

/// The wallet's JS API is not on this page.
pub fn missing(what: &str) -> Outcome {
    failed(FailureCode::BridgeMissing, format!("{what} is not available on this page"))
}

/// The wallet's JS API threw.
pub fn threw(what: &str, e: &JsValue) -> Outcome {
    failed(FailureCode::BridgeException, format!("{what} threw: {}", error_message(e)))
}

// ---------------------------------------------------------------------------------------------
// Events

/// Dispatch `name` on `target` with a plain-object `detail`, `bubbles` and `composed` (crosses the
/// shadow boundary) so merchants can listen on the element or the document.
pub fn dispatch(target: &web_sys::EventTarget, name: &str, detail: &JsValue) {
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(ev) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = target.dispatch_event(&ev);
    }
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

// ---------------------------------------------------------------------------------------------
// Time

/// Sleep without blocking the page (`0` still yields to the event loop).
pub async fn sleep(ms: u32) {
    if ms == 0 {
        let _ = JsFuture::from(Promise::resolve(&JsValue::UNDEFINED)).await;
        return;
    }
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

fn set_timeout(f: &JsValue, ms: i32) {
    if let Some(w) = window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(f.unchecked_ref(), ms);
    }
}

/// Resolves when the page is idle (`requestIdleCallback`, at most `max_ms` later), else after `max_ms`.
pub async fn idle(max_ms: u32) {
    let Some(w) = window() else { return };
    let ric = get(&w, "requestIdleCallback");
    let Some(ric) = ric.dyn_ref::<Function>() else { return sleep(max_ms).await };
    let p = Promise::new(&mut |resolve, _| {
        if ric.call2(&w, &resolve, &obj(&[("timeout", max_ms.into())])).is_err() {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = JsFuture::from(p).await;
}

/// Resolves on the next animation frame.
pub async fn next_frame() {
    let Some(w) = window() else { return sleep(16).await };
    let p = Promise::new(&mut |resolve, _| {
        if w.request_animation_frame(&resolve).is_err() {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = JsFuture::from(p).await;
}

/// Resolves once the browser has painted what the current task changed: a timeout queued from the
/// next animation frame runs after that frame is drawn. In a background tab, where animation frames
/// do not run, after 100 ms.
pub async fn after_paint() {
    let Some(w) = window() else { return sleep(0).await };
    let p = Promise::new(&mut |resolve, _| {
        let in_frame = resolve.clone();
        let after_frame = Closure::once_into_js(move || set_timeout(&in_frame, 0));
        if w.request_animation_frame(after_frame.unchecked_ref()).is_err() {
            set_timeout(&resolve, 0);
        }
        set_timeout(&resolve, 100);
    });
    let _ = JsFuture::from(p).await;
}

/// Resolves when `video` presents a new frame (`requestVideoFrameCallback`), else on the next
/// animation frame. A 250 ms cap keeps the caller's loop alive if frames stop.
pub async fn next_video_frame(video: &web_sys::HtmlVideoElement) {
    if !get(video, "requestVideoFrameCallback").is_function() {
        return next_frame().await;
    }
    let v = video.clone();
    let p = Promise::new(&mut |resolve, _| {
        if call(&v, "requestVideoFrameCallback", &[resolve.clone().into()]).is_err() {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let cap = timeout_promise(250, JsValue::NULL);
    let _ = JsFuture::from(Promise::race(&Array::of2(&p, &cap))).await;
}

/// A promise that resolves with `value` after `ms`.
pub fn timeout_promise(ms: i32, value: JsValue) -> Promise {
    Promise::new(&mut |resolve, _| {
        let v = value.clone();
        let cb = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &v);
        });
        if let Some(w) = window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), ms);
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Callback-style and promise APIs (the wallet bridges)

/// How a callback-style JS call ended.
pub enum Called {
    /// The API called us back with this value (first argument).
    Back(JsValue),
    /// Nobody called back in time.
    TimedOut,
    /// The call itself threw (or the API is not there).
    Threw(JsValue),
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

// ---------------------------------------------------------------------------------------------
// Network

/// Resolve `url` against `base` (or the document).
pub fn resolve_url(url: &str, base: Option<&str>) -> String {
    let base = base.map(str::to_string).or_else(|| window().and_then(|w| w.document()).and_then(|d| d.base_uri().ok().flatten()));
    match base {
        Some(b) => web_sys::Url::new_with_base(url, &b).map(|u| u.href()).unwrap_or_else(|_| url.to_string()),
        None => url.to_string(),
    }
}

/// [`crate::checkout::pinned_url`] with the browser's own URL parser (the one `fetch` will use, and no
/// `url`/IDNA tables in the widget module): `url` resolved against `order_url`, if it stays on its origin
/// and is http(s).
pub fn pinned_url(order_url: &str, url: &str) -> Option<String> {
    let base = web_sys::Url::new(order_url).ok()?;
    let joined = web_sys::Url::new_with_base(url.trim(), &base.href()).ok()?;
    let web = matches!(joined.protocol().as_str(), "https:" | "http:");
    (web && joined.origin() == base.origin()).then(|| joined.href())
}

/// A JSON request. `Ok((status, body text))` when the server answered; `Err(message)` on a
/// network failure or timeout.
pub async fn fetch_json(method: &str, url: &str, body: Option<&str>, extra_headers: &[(&str, &str)], timeout_ms: i32) -> Result<(u16, String), String> {
    let w = window().ok_or("no window")?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    init.set_cache(web_sys::RequestCache::NoStore);
    let headers = web_sys::Headers::new().map_err(|e| error_message(&e))?;
    let _ = headers.set("Accept", "application/json");
    if let Some(b) = body {
        let _ = headers.set("Content-Type", "application/json");
        init.set_body(&JsValue::from_str(b));
    }
    for (k, v) in extra_headers {
        let _ = headers.set(k, v);
    }
    init.set_headers(&headers);
    let abort = web_sys::AbortController::new().ok();
    if let Some(a) = &abort {
        init.set_signal(Some(&a.signal()));
    }
    let req = web_sys::Request::new_with_str_and_init(url, &init).map_err(|e| error_message(&e))?;
    let fetch = w.fetch_with_request(&req);
    let timeout = timeout_promise(timeout_ms, JsValue::from_str("__interpay_timeout"));
    let raced = JsFuture::from(Promise::race(&Array::of2(&fetch, &timeout))).await.map_err(|e| error_message(&e))?;
    if raced.as_string().as_deref() == Some("__interpay_timeout") {
        if let Some(a) = abort {
            a.abort();
        }
        return Err("timeout".into());
    }
    let resp: web_sys::Response = raced.dyn_into().map_err(|_| "not a response".to_string())?;
    let status = resp.status();
    let text = match resp.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_string()).unwrap_or_default(),
        Err(_) => String::new(),
    };
    Ok((status, text))
}

// ---------------------------------------------------------------------------------------------
// Intl

/// `Intl.NumberFormat(locale, {style: 'currency'})` of an exact decimal string; falls back to
/// `"<amount> <code>"` for codes Intl does not take (tickers like "USDT").
pub fn format_money(locale: &str, amount: &str, currency: &str, minor_units: u8) -> String {
    let fallback = || format!("{amount} {currency}");
    let digits: JsValue = (minor_units.min(20) as f64).into();
    let opts = || {
        obj(&[
            ("style", "currency".into()),
            ("currency", currency.into()),
            // "symbol", not "narrowSymbol": a payment must not leave "$" or "¥" ambiguous (US$ / CN¥).
            ("currencyDisplay", "symbol".into()),
            ("minimumFractionDigits", digits.clone()),
            ("maximumFractionDigits", digits.clone()),
        ])
    };
    let key = format!("{locale}|{currency}|{minor_units}");
    let Some(nf) = number_format(key, locale, Some(opts)) else { return fallback() };
    // Intl formats numeric strings exactly (no float rounding) on current engines.
    match call(&nf, "format", &[amount.into()]) {
        Ok(s) => s.as_string().unwrap_or_else(fallback),
        Err(_) => fallback(),
    }
}

/// `Intl.NumberFormat(locale)` of a plain number (percentages).
pub fn format_number(locale: &str, number: &str) -> String {
    number_format(locale.to_string(), locale, None::<fn() -> JsValue>)
        .and_then(|nf| call(&nf, "format", &[number.into()]).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| number.to_string())
}

thread_local! {
    /// Made once per locale and currency: constructing an `Intl.NumberFormat` costs a slow phone
    /// several milliseconds, and the confirmation sheet formats a handful of amounts.
    static NUMBER_FORMATS: RefCell<std::collections::HashMap<String, JsValue>> = RefCell::new(Default::default());
}

/// The cached `new Intl.NumberFormat(locale, options())`; `None` when Intl refuses (an unknown code).
fn number_format(key: String, locale: &str, options: Option<impl FnOnce() -> JsValue>) -> Option<JsValue> {
    if let Some(nf) = NUMBER_FORMATS.with(|m| m.borrow().get(&key).cloned()) {
        return Some(nf);
    }
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let ctor = Reflect::get(&intl, &"NumberFormat".into()).ok()?.dyn_into::<Function>().ok()?;
    let args = match options {
        Some(o) => Array::of2(&locale.into(), &o()),
        None => Array::of1(&locale.into()),
    };
    let nf = Reflect::construct(&ctor, &args).ok()?;
    NUMBER_FORMATS.with(|m| m.borrow_mut().insert(key, nf.clone()));
    Some(nf)
}

/// Now, as a date and time in `locale`.
pub fn format_now(locale: &str) -> String {
    let d = js_sys::Date::new_0();
    let opts = obj(&[("dateStyle", "medium".into()), ("timeStyle", "short".into())]);
    d.to_locale_string(locale, &opts).as_string().unwrap_or_default()
}
