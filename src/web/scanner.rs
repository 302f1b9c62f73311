//! The decoder worker client: frames go to `decoder-worker.js` (RGBA buffer transferred), one at a
//! time; a worker that errors, traps or hangs is terminated and recreated on the next frame.
//! A worker script on another origin (the widget served from a CDN) is started from a same-origin
//! `blob:` module that imports it, so cross-origin embedding keeps decoding off the main thread.
//! If no worker can be started at all (old browser, CSP), frames go to the page's `readFrame`
//! fallback (the loader's: the reader module instantiated on the main thread).

use super::js::{self, get, obj};
use super::FrameRead;
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
    /// The current worker has answered a frame.
    answered: Cell<bool>,
    /// Workers in a row that failed before answering any frame (a CSP that blocks the worker's script,
    /// a file that does not load): after [`MAX_FAILED_STARTS`] the main-thread reader takes over.
    failed_starts: Cell<u32>,
    /// Shut down with its widget: no worker is started any more.
    stopped: Cell<bool>,
}

/// Workers in a row that may fail before their first answer before decoding moves to the main thread.
const MAX_FAILED_STARTS: u32 = 3;

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
    /// `readFrame(ArrayBuffer, width, height) → Promise<string>` (the reader's JSON) on the main thread.
    fallback: Option<Function>,
    inner: Rc<Inner>,
}

impl Decoder {
    pub fn new(url: String, fallback: Option<Function>) -> Self {
        Decoder { url, fallback, inner: Rc::new(Inner::default()) }
    }

    /// Start the worker now (when the camera opens), so the reader module downloads and compiles
    /// while the camera starts rather than on the first frame.
    pub fn warm_up(&self) {
        let _ = self.ensure_worker();
    }

    pub fn busy(&self) -> bool {
        self.inner.busy.get()
    }

    pub fn restarts(&self) -> u32 {
        self.inner.restarts.get()
    }

    /// Terminate the worker for good (the widget is unmounted).
    pub fn shutdown(&self) {
        self.inner.stopped.set(true);
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
        if self.inner.answered.get() {
            self.inner.failed_starts.set(0);
        } else {
            self.inner.failed_starts.set(self.inner.failed_starts.get().saturating_add(1));
            if self.inner.failed_starts.get() >= MAX_FAILED_STARTS && self.fallback.is_some() {
                web_sys::console::warn_1(&format!("interpay: the decoder worker never started ({why}); decoding on the main thread").into());
                self.inner.no_worker.set(true);
            }
        }
        self.inner.restarts.set(self.inner.restarts.get().saturating_add(1));
        self.reject_all(why);
    }

    fn ensure_worker(&self) -> Option<web_sys::Worker> {
        if let Some(l) = self.inner.live.borrow().as_ref() {
            return Some(l.worker.clone());
        }
        if self.inner.no_worker.get() || self.url.is_empty() || self.inner.stopped.get() {
            return None;
        }
        let opts = web_sys::WorkerOptions::new();
        opts.set_type(web_sys::WorkerType::Module);
        opts.set_name("interpay-decoder");
        let worker = match start_worker(&self.url, &opts) {
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
            if get(&data, "error").is_null() {
                inner.answered.set(true);
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
        self.inner.answered.set(false);
        *self.inner.live.borrow_mut() = Some(Live { worker: worker.clone(), _onmessage: onmessage, _onerror: onerror });
        Some(worker)
    }

    /// Decode one RGBA frame. The buffer is transferred to the worker (it is unusable afterwards).
    /// `Err(Busy)` without doing anything while a frame is in flight.
    pub async fn decode(&self, rgba: js_sys::ArrayBuffer, width: u32, height: u32) -> Result<FrameRead, ScanError> {
        if self.inner.busy.get() {
            return Err(ScanError::Busy);
        }
        self.inner.busy.set(true);
        let r = self.decode_inner(rgba, width, height).await;
        self.inner.busy.set(false);
        r
    }

    async fn decode_inner(&self, rgba: js_sys::ArrayBuffer, width: u32, height: u32) -> Result<FrameRead, ScanError> {
        let Some(worker) = self.ensure_worker() else {
            let Some(read) = &self.fallback else {
                return Err(ScanError::Crashed("no decoder worker and no main-thread reader".into()));
            };
            let p = read.call3(&JsValue::NULL, &rgba, &width.into(), &height.into()).map_err(|e| ScanError::Crashed(js::error_message(&e)))?;
            let json = JsFuture::from(Promise::resolve(&p)).await.map_err(|e| ScanError::Crashed(js::error_message(&e)))?;
            return Ok(codes_from(&json));
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
        Ok(codes_from(&get(&answer, "codes")))
    }
}

/// The reader's answer (a JSON string, see [`FrameRead`]) → codes; anything else → none.
fn codes_from(v: &JsValue) -> FrameRead {
    v.as_string().and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default()
}

/// A module worker for `url`. On the page's origin it is started directly; on another origin (a CDN)
/// `new Worker(url)` is refused, so a same-origin `blob:` module that imports `url` is started instead
/// (the worker script resolves its own imports from its `import.meta.url`, the CDN; the page's CSP must
/// allow `worker-src blob:` and the CDN in `script-src`).
fn start_worker(url: &str, opts: &web_sys::WorkerOptions) -> Result<web_sys::Worker, JsValue> {
    let same_origin = match (js::window().and_then(|w| w.location().origin().ok()), web_sys::Url::new(url)) {
        (Some(page), Ok(u)) => u.origin() == page,
        _ => true,
    };
    if same_origin {
        return web_sys::Worker::new_with_options(url, opts);
    }
    let quoted = serde_json::to_string(url).unwrap_or_default();
    let source = Array::of1(&JsValue::from_str(&format!("import {quoted};\n")));
    let props = web_sys::BlobPropertyBag::new();
    props.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&source, &props)?;
    let blob_url = web_sys::Url::create_object_url_with_blob(&blob)?;
    // Not revoked: a few bytes per worker start, and revoking it before the worker has read it would fail the start.
    web_sys::Worker::new_with_options(&blob_url, opts)
}
