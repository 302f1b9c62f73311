//! The decoder worker client: frames go to `decoder-worker.js` (RGBA buffer transferred), one at a
//! time; a worker that errors, traps or hangs is terminated and recreated on the next frame.
//! If no worker can be started at all (old browser, CSP), frames are decoded on the main thread.

use super::js::{self, get, obj};
use super::ScanCode;
use js_sys::{Array, Function, Promise};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// How long one frame may take before the worker is considered stuck.
const FRAME_TIMEOUT_MS: i32 = 8000;

struct Live {
    worker: web_sys::Worker,
    _onmessage: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _onerror: Closure<dyn FnMut(JsValue)>,
}

#[derive(Default)]
struct Inner {
    live: RefCell<Option<Live>>,
    pending: RefCell<HashMap<u32, Function>>,
    next_id: Cell<u32>,
    busy: Cell<bool>,
    /// The worker could not be created: decode in this thread.
    no_worker: Cell<bool>,
    /// Times the worker was recreated.
    restarts: Cell<u32>,
}

/// Why a frame was not decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum ScanError {
    /// The decoder is still on the previous frame (the frame is skipped, not queued).
    Busy,
    /// The worker crashed or hung; it has been thrown away and will be recreated.
    Crashed(String),
}

#[derive(Clone)]
pub struct Decoder {
    url: String,
    inner: Rc<Inner>,
}

impl Decoder {
    pub fn new(url: String) -> Self {
        Decoder { url, inner: Rc::new(Inner::default()) }
    }

    pub fn busy(&self) -> bool {
        self.inner.busy.get()
    }

    pub fn restarts(&self) -> u32 {
        self.inner.restarts.get()
    }

    /// Terminate the worker (on unmount); the next frame starts a new one.
    pub fn shutdown(&self) {
        if let Some(live) = self.inner.live.borrow_mut().take() {
            live.worker.terminate();
        }
        self.reject_all("stopped");
    }

    fn reject_all(&self, why: &str) {
        let pending: Vec<Function> = self.inner.pending.borrow_mut().drain().map(|(_, f)| f).collect();
        for resolve in pending {
            let _ = resolve.call1(&JsValue::NULL, &obj(&[("error", why.into()), ("rejected", true.into()), ("codes", Array::new().into())]));
        }
    }

    fn crash(&self, why: &str) {
        if let Some(live) = self.inner.live.borrow_mut().take() {
            live.worker.terminate();
        }
        self.inner.restarts.set(self.inner.restarts.get().saturating_add(1));
        self.reject_all(why);
    }

    fn ensure_worker(&self) -> Option<web_sys::Worker> {
        if let Some(l) = self.inner.live.borrow().as_ref() {
            return Some(l.worker.clone());
        }
        if self.inner.no_worker.get() || self.url.is_empty() {
            return None;
        }
        let opts = web_sys::WorkerOptions::new();
        opts.set_type(web_sys::WorkerType::Module);
        opts.set_name("interpay-decoder");
        let worker = match web_sys::Worker::new_with_options(&self.url, &opts) {
            Ok(w) => w,
            Err(e) => {
                web_sys::console::warn_2(&"interpay: decoder worker unavailable, decoding on the main thread".into(), &e);
                self.inner.no_worker.set(true);
                return None;
            }
        };
        let inner = Rc::downgrade(&self.inner);
        let onmessage = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let Some(inner) = inner.upgrade() else { return };
            let data = ev.data();
            let id = get(&data, "id").as_f64().unwrap_or(-1.0);
            if id < 0.0 {
                return;
            }
            let resolve = inner.pending.borrow_mut().remove(&(id as u32));
            if let Some(resolve) = resolve {
                let _ = resolve.call1(&JsValue::NULL, &data);
            }
        });
        let me = self.clone();
        let onerror = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let msg = js::get_str(&e, "message").unwrap_or_else(|| "worker error".into());
            web_sys::console::warn_2(&"interpay: decoder worker error, restarting".into(), &e);
            me.crash(&msg);
        });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        worker.set_onmessageerror(Some(onerror.as_ref().unchecked_ref()));
        *self.inner.live.borrow_mut() = Some(Live { worker: worker.clone(), _onmessage: onmessage, _onerror: onerror });
        Some(worker)
    }

    /// Decode one RGBA frame. The buffer is transferred to the worker (it is unusable afterwards).
    /// `Err(Busy)` without doing anything while a frame is in flight.
    pub async fn decode(&self, rgba: js_sys::ArrayBuffer, width: u32, height: u32) -> Result<Vec<ScanCode>, ScanError> {
        if self.inner.busy.get() {
            return Err(ScanError::Busy);
        }
        self.inner.busy.set(true);
        let r = self.decode_inner(rgba, width, height).await;
        self.inner.busy.set(false);
        r
    }

    async fn decode_inner(&self, rgba: js_sys::ArrayBuffer, width: u32, height: u32) -> Result<Vec<ScanCode>, ScanError> {
        let Some(worker) = self.ensure_worker() else {
            let bytes = js_sys::Uint8Array::new(&rgba).to_vec();
            let v = super::decode_rgba(&bytes, width, height);
            return Ok(serde_wasm_bindgen::from_value(v).unwrap_or_default());
        };
        let id = self.inner.next_id.get().wrapping_add(1);
        self.inner.next_id.set(id);
        let inner = self.inner.clone();
        let reply = Promise::new(&mut |resolve, _| {
            inner.pending.borrow_mut().insert(id, resolve);
        });
        let msg = obj(&[("id", id.into()), ("width", width.into()), ("height", height.into()), ("data", rgba.clone().into())]);
        if let Err(e) = worker.post_message_with_transfer(&msg, &Array::of1(&rgba)) {
            self.inner.pending.borrow_mut().remove(&id);
            self.crash(&js::error_message(&e));
            return Err(ScanError::Crashed(js::error_message(&e)));
        }
        let timeout = js::timeout_promise(FRAME_TIMEOUT_MS, obj(&[("timeout", true.into())]));
        let answer = JsFuture::from(Promise::race(&Array::of2(&reply, &timeout))).await.unwrap_or(JsValue::UNDEFINED);
        if get(&answer, "timeout").as_bool() == Some(true) {
            self.inner.pending.borrow_mut().remove(&id);
            self.crash("decoder timeout");
            return Err(ScanError::Crashed("decoder timeout".into()));
        }
        if let Some(err) = js::get_str(&answer, "error") {
            // A trap leaves the worker's wasm instance unusable: start a fresh one next time.
            if get(&answer, "rejected").as_bool() != Some(true) {
                self.crash(&err);
            }
            return Err(ScanError::Crashed(err));
        }
        Ok(serde_wasm_bindgen::from_value(get(&answer, "codes")).unwrap_or_default())
    }
}
