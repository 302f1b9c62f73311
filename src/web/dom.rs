//! Small browser helpers: JS values, events, timers, fetch, Intl. Nothing here throws into Rust.

use js_sys::{Array, Function, Object, Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Serialize to a plain JS value (objects, not `Map`s; `Decimal`s as strings).
pub fn to_js<T: Serialize + ?Sized>(v: &T) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}

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

pub fn set(obj: &JsValue, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value.into());
}

pub fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o: JsValue = Object::new().into();
    for (k, v) in pairs {
        set(&o, k, v.clone());
    }
    o
}

/// Call `obj[name](...args)`; `Err` if it is not a function or it throws.
pub fn call(obj: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let f = get(obj, name).dyn_into::<Function>().map_err(|_| JsValue::from_str(&format!("{name} is not a function")))?;
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

/// `DOMException.name` / `Error.name` of a thrown value.
pub fn error_name(e: &JsValue) -> String {
    get_str(e, "name").unwrap_or_default()
}

pub fn error_message(e: &JsValue) -> String {
    get_str(e, "message").or_else(|| e.as_string()).unwrap_or_else(|| format!("{e:?}"))
}

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

pub fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

pub async fn sleep(ms: u32) {
    if ms == 0 {
        // Still yield to the event loop.
        let p = Promise::resolve(&JsValue::UNDEFINED);
        let _ = JsFuture::from(p).await;
        return;
    }
    gloo_timers::future::TimeoutFuture::new(ms).await;
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

/// Resolve `url` against `base` (or the document).
pub fn resolve_url(url: &str, base: Option<&str>) -> String {
    let base = base.map(str::to_string).or_else(|| window().and_then(|w| w.document()).and_then(|d| d.base_uri().ok().flatten()));
    match base {
        Some(b) => web_sys::Url::new_with_base(url, &b).map(|u| u.href()).unwrap_or_else(|_| url.to_string()),
        None => url.to_string(),
    }
}

/// A JSON request. `Ok((status, body text))` when the server answered; `Err(message)` on a
/// network failure or timeout.
pub async fn fetch_json(method: &str, url: &str, body: Option<&str>, timeout_ms: i32) -> Result<(u16, String), String> {
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

/// `Intl.NumberFormat(locale, {style: 'currency'})` of an exact decimal string; falls back to
/// `"<amount> <code>"` for codes Intl does not take (tickers like "USDT").
pub fn format_money(locale: &str, amount: &str, currency: &str, minor_units: u8) -> String {
    let fallback = || format!("{amount} {currency}");
    let Ok(intl) = Reflect::get(&js_sys::global(), &"Intl".into()) else { return fallback() };
    let Ok(ctor) = Reflect::get(&intl, &"NumberFormat".into()).and_then(|c| c.dyn_into::<Function>()) else {
        return fallback();
    };
    let opts = obj(&[
        ("style", "currency".into()),
        ("currency", currency.into()),
        // "symbol", not "narrowSymbol": a payment must not leave "$" or "¥" ambiguous (US$ / CN¥).
        ("currencyDisplay", "symbol".into()),
        ("minimumFractionDigits", (minor_units.min(20) as f64).into()),
        ("maximumFractionDigits", (minor_units.min(20) as f64).into()),
    ]);
    let made = Reflect::construct(&ctor, &Array::of2(&locale.into(), &opts));
    let Ok(nf) = made else { return fallback() };
    // Intl formats numeric strings exactly (no float rounding) on current engines.
    match call(&nf, "format", &[amount.into()]) {
        Ok(s) => s.as_string().unwrap_or_else(fallback),
        Err(_) => fallback(),
    }
}

/// `Intl.NumberFormat(locale)` of a plain number (percentages).
pub fn format_number(locale: &str, number: &str) -> String {
    let f: Result<JsValue, JsValue> = (|| {
        let intl = Reflect::get(&js_sys::global(), &"Intl".into())?;
        let ctor: Function = Reflect::get(&intl, &"NumberFormat".into())?.dyn_into()?;
        let nf = Reflect::construct(&ctor, &Array::of1(&locale.into()))?;
        call(&nf, "format", &[number.into()])
    })();
    f.ok().and_then(|v| v.as_string()).unwrap_or_else(|| number.to_string())
}

/// Now, as a date and time in `locale`.
pub fn format_now(locale: &str) -> String {
    let d = js_sys::Date::new_0();
    let opts = obj(&[("dateStyle", "medium".into()), ("timeStyle", "short".into())]);
    d.to_locale_string(locale, &opts).as_string().unwrap_or_default()
}
