//! The checkout widget (Leptos, CSR, inside the element's shadow root).
//!
//! The flow is the pure state machine [`crate::checkout::Phase`]; this module is its browser glue:
//!
//! | file | what |
//! |---|---|
//! | `mod.rs` | options, the runtime (browser objects), [`mount`] |
//! | `ui.rs` | [`Ui`](ui::Ui): the signals, `dispatch` (transition → event → announcement), the actions |
//! | `camera.rs` | the camera, the scan loop, pictures and the clipboard |
//! | `pay.rs` | the order → wallet → merchant status flow |
//! | `root.rs` | the root component `Widget`: launcher, dialog, live region, focus trap |
//! | `screens/` | one component per screen (camera, confirm, results, not a payment, invalid) |
//! | `icons.rs` | inline SVG icons |

mod camera;
mod icons;
mod pay;
mod root;
mod screens;
mod ui;

use super::js::{self, get};
use super::scanner::Decoder;
use crate::checkout::{CameraDevice, OrderCreated, PaymentResult, Scanned, WidgetError, WidgetEvent};
use crate::i18n::Locale;
use crate::wallet::Outcome;
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Options of one widget, before negotiation (from element attributes + the JS options object, or
/// from the Leptos component's props).
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub order_url: Option<String>,
    pub locale: Option<String>,
    pub label: Option<String>,
    pub scan_region: Option<f64>,
    pub worker_url: Option<String>,
    /// `readFrame(ArrayBuffer, width, height) → Promise<string>`: the reader on the main thread, for
    /// browsers where no worker starts (the loader passes one; the Leptos component has none).
    pub read_frame: Option<js_sys::Function>,
    /// `takeCamera() → Promise<MediaStream> | undefined`: the camera the launcher opened at a tap that came
    /// before this module (once; `undefined` when there is none). The first camera screen uses it instead of
    /// asking again.
    pub take_camera: Option<js_sys::Function>,
    /// The merchant's endpoint that names the payee of a code that names nobody (`POST {payload}`).
    pub resolve_url: Option<String>,
}

impl Options {
    /// The custom element path: the JS options object first, then the host's attributes.
    pub fn from_element(host: &web_sys::HtmlElement, options: &JsValue) -> Options {
        let pick = |opt: &str, attr: &str| -> Option<String> {
            js::get_str(options, opt).or_else(|| host.get_attribute(attr)).map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
        };
        Options {
            order_url: pick("orderUrl", "order-url"),
            locale: pick("locale", "locale"),
            label: pick("label", "label"),
            scan_region: get(options, "scanRegion").as_f64().or_else(|| pick("scanRegion", "scan-region").and_then(|s| s.parse::<f64>().ok())),
            worker_url: pick("workerUrl", "data-worker-url"),
            read_frame: get(options, "readFrame").dyn_into::<js_sys::Function>().ok(),
            take_camera: get(options, "takeCamera").dyn_into::<js_sys::Function>().ok(),
            resolve_url: pick("resolveUrl", "resolve-url"),
        }
    }
}

/// The options once negotiated against the page (locale, absolute URLs, clamped region).
struct Settings {
    order_url: Option<String>,
    locale: Locale,
    label: Option<String>,
    scan_region: f64,
    worker_url: String,
    read_frame: Option<js_sys::Function>,
    take_camera: Option<js_sys::Function>,
    resolve_url: Option<String>,
}

impl Settings {
    fn resolve(o: Options) -> Settings {
        let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let mut tags: Vec<String> = clean(o.locale).into_iter().collect();
        if let Some(lang) = js::window().and_then(|w| w.document()).and_then(|d| d.document_element()).and_then(|e| e.get_attribute("lang")) {
            tags.push(lang);
        }
        if let Some(w) = js::window() {
            tags.extend(w.navigator().languages().iter().filter_map(|l| l.as_string()));
        }
        Settings {
            order_url: clean(o.order_url).map(|u| js::resolve_url(&u, None)),
            locale: Locale::negotiate(tags.iter().map(String::as_str)),
            label: clean(o.label),
            scan_region: o.scan_region.filter(|f| f.is_finite() && *f > 0.0).map(|f| f.clamp(0.2, 1.0)).unwrap_or(0.7),
            worker_url: clean(o.worker_url).map(|u| js::resolve_url(&u, None)).unwrap_or_default(),
            read_frame: o.read_frame,
            take_camera: o.take_camera,
            resolve_url: clean(o.resolve_url).map(|u| js::resolve_url(&u, None)),
        }
    }
}

/// Typed listeners (the Leptos component's callbacks); the DOM events are dispatched on the host
/// element in every case.
#[derive(Default)]
pub struct Hooks {
    pub scanned: Option<Box<dyn Fn(Scanned)>>,
    pub order_created: Option<Box<dyn Fn(OrderCreated)>>,
    pub succeeded: Option<Box<dyn Fn(PaymentResult)>>,
    pub cancelled: Option<Box<dyn Fn(PaymentResult)>>,
    pub failed: Option<Box<dyn Fn(PaymentResult)>>,
    pub pending: Option<Box<dyn Fn(PaymentResult)>>,
    pub error: Option<Box<dyn Fn(WidgetError)>>,
}

type Listener = (web_sys::EventTarget, &'static str, Closure<dyn FnMut(web_sys::Event)>);

/// The browser objects of one mounted widget (not `Send`: kept in a local `StoredValue`).
struct Runtime {
    host: web_sys::HtmlElement,
    shadow: web_sys::ShadowRoot,
    settings: Settings,
    decoder: Decoder,
    camera: RefCell<Option<super::camera::Camera>>,
    /// Bumped whenever the camera starts or stops: loops and late callbacks of an older camera quit.
    camera_session: Cell<u32>,
    cameras: RefCell<Vec<CameraDevice>>,
    /// The camera was stopped because the page went to the background.
    resume_on_visible: Cell<bool>,
    listeners: RefCell<Vec<Listener>>,
    /// The camera canvas (reused between frames).
    canvas: RefCell<Option<(web_sys::HtmlCanvasElement, web_sys::CanvasRenderingContext2d)>>,
    events: Rc<Outbox>,
}

/// The widget's events on their way to the page, in order. They leave once the browser has painted
/// the screen the transition drew: a merchant's listener (logging, analytics, its own DOM) then never
/// holds back the confirmation sheet the shopper waits for.
struct Outbox {
    host: web_sys::HtmlElement,
    hooks: Hooks,
    queue: RefCell<VecDeque<WidgetEvent>>,
    scheduled: Cell<bool>,
}

impl Outbox {
    fn push(self: &Rc<Self>, event: WidgetEvent) {
        self.queue.borrow_mut().push_back(event);
        if !self.scheduled.replace(true) {
            let outbox = self.clone();
            leptos::task::spawn_local(async move {
                js::after_paint().await;
                outbox.flush();
            });
        }
    }

    /// Every queued event, oldest first: the DOM `interpay:*` event on the host element and the
    /// matching typed callback.
    fn flush(&self) {
        self.scheduled.set(false);
        loop {
            // Not borrowed while a listener runs: it may make the widget emit again.
            let Some(event) = self.queue.borrow_mut().pop_front() else { break };
            self.send(event);
        }
    }

    fn send(&self, event: WidgetEvent) {
        js::dispatch(&self.host, event.name(), &js::to_js(&event.detail()));
        let h = &self.hooks;
        match event {
            WidgetEvent::Scanned(s) => h.scanned.as_ref().map(|f| f(s)),
            WidgetEvent::OrderCreated(o) => h.order_created.as_ref().map(|f| f(o)),
            WidgetEvent::Finished(r) => match r.outcome {
                Outcome::Succeeded => h.succeeded.as_ref(),
                Outcome::Cancelled => h.cancelled.as_ref(),
                Outcome::Failed { .. } => h.failed.as_ref(),
                Outcome::Pending => h.pending.as_ref(),
            }
            .map(|f| f(r)),
            WidgetEvent::Error(e) => h.error.as_ref().map(|f| f(e)),
        };
    }
}

impl Runtime {
    /// The launcher's early camera (a tap before this module arrived), if there is one and it was not taken.
    fn take_early_camera(&self) -> Option<js_sys::Promise> {
        let f = self.settings.take_camera.as_ref()?;
        f.call0(&JsValue::NULL).ok()?.dyn_into::<js_sys::Promise>().ok()
    }

    /// The one way an event leaves the widget (through the [`Outbox`], after the next paint).
    fn emit(&self, event: WidgetEvent) {
        self.events.push(event);
    }

    /// The events still queued, now: before the widget hands the shopper over to a wallet (which may
    /// take the page away), the page has heard everything that led there.
    fn deliver_events(&self) {
        self.events.flush();
    }

    /// The scan loops quit and the camera is released, now (before another camera opens: many phones
    /// cannot run two, and when the page goes to the background).
    fn stop_camera(&self) {
        if let Some(cam) = self.end_camera_session() {
            cam.stop();
        }
    }

    /// For a screen without the camera (the confirmation sheet): the scan loops quit at once, the camera
    /// is released after the next paint, so that screen is not held back by it.
    fn stop_camera_after_paint(&self) {
        if let Some(cam) = self.end_camera_session() {
            leptos::task::spawn_local(async move {
                js::after_paint().await;
                cam.stop();
            });
        }
    }

    /// Loops and late callbacks of the current camera quit; its handle, to be stopped by the caller.
    fn end_camera_session(&self) -> Option<super::camera::Camera> {
        self.camera_session.set(self.camera_session.get().wrapping_add(1));
        self.camera.borrow_mut().take()
    }

    /// The order endpoint: the attribute is read again (frameworks may set it after the element
    /// connected), else the option given at mount.
    fn order_url(&self) -> Option<String> {
        let live = self.host.get_attribute("order-url").map(|u| u.trim().to_string()).filter(|u| !u.is_empty());
        live.map(|u| js::resolve_url(&u, None)).or_else(|| self.settings.order_url.clone())
    }
}

/// Lay out a few Chinese characters, out of sight, while the page is idle. Payment codes often carry the
/// payee's name in Chinese; the first CJK text of a page makes the browser look for a font that has those
/// glyphs (113 ms at CPU ×4, measured in Chromium on a Linux machine without any CJK font), and that search
/// would otherwise happen while the confirmation sheet is being drawn.
fn warm_cjk_font(shadow: &web_sys::ShadowRoot) {
    let Some(doc) = js::window().and_then(|w| w.document()) else { return };
    let Ok(el) = doc.create_element("span") else { return };
    let el: web_sys::HtmlElement = el.unchecked_into();
    el.set_text_content(Some("中文字"));
    let _ = el.set_attribute("aria-hidden", "true");
    let style = el.style();
    for (k, v) in [("position", "absolute"), ("width", "1px"), ("height", "1px"), ("overflow", "hidden"), ("clip-path", "inset(50%)"), ("white-space", "nowrap")] {
        let _ = style.set_property(k, v);
    }
    // Inside the widget's root, so it takes the widget's font stack.
    let parent: Option<web_sys::Element> = shadow.query_selector(".ip-root").ok().flatten();
    let Some(parent) = parent else { return };
    if parent.append_child(&el).is_ok() {
        let _ = el.offset_height();
        el.remove();
    }
}

/// What the mounted widget keeps alive.
pub struct Mounted {
    runtime: Rc<Runtime>,
    container: web_sys::HtmlElement,
    handle: Option<Box<dyn Any>>,
}

impl Mounted {
    pub fn unmount(mut self) {
        // Events still queued reach the page before the widget goes.
        self.runtime.deliver_events();
        self.runtime.stop_camera();
        self.runtime.decoder.shutdown();
        for (target, name, cb) in self.runtime.listeners.borrow_mut().drain(..) {
            let _ = target.remove_event_listener_with_callback(name, cb.as_ref().unchecked_ref());
        }
        drop(self.handle.take());
        self.container.remove();
    }
}

/// Mount the widget into `shadow` (the custom element and the Leptos component both come here).
/// `None` when the page has no document to build it in.
pub fn mount(shadow: web_sys::ShadowRoot, host: web_sys::HtmlElement, options: Options, hooks: Hooks) -> Option<Mounted> {
    let settings = Settings::resolve(options);
    let doc = js::window()?.document()?;
    let container: web_sys::HtmlElement = doc.create_element("div").ok()?.unchecked_into();
    container.set_class_name("ip-root");
    let _ = container.set_attribute("lang", settings.locale.tag());
    // CSSOM, not a style attribute: allowed under `style-src 'self'`.
    let _ = container.style().set_property("--ip-region", &format!("{}", settings.scan_region));
    // The loader's placeholder (shown while the wasm loads) goes away.
    if let Ok(Some(ph)) = shadow.query_selector("[data-interpay-placeholder]") {
        ph.remove();
    }
    let _ = shadow.append_child(&container);
    let events = Rc::new(Outbox { host: host.clone(), hooks, queue: RefCell::new(VecDeque::new()), scheduled: Cell::new(false) });
    let runtime = Rc::new(Runtime {
        host,
        shadow,
        decoder: Decoder::new(settings.worker_url.clone(), settings.read_frame.clone()),
        settings,
        camera: RefCell::new(None),
        camera_session: Cell::new(0),
        cameras: RefCell::new(Vec::new()),
        resume_on_visible: Cell::new(false),
        listeners: RefCell::new(Vec::new()),
        canvas: RefCell::new(None),
        events,
    });
    let for_view = runtime.clone();
    let handle = leptos::mount::mount_to(container.clone(), move || {
        let ui = ui::Ui::new(for_view.clone());
        camera::watch_visibility(ui, &for_view);
        ui.resume();
        leptos::view! { <root::Widget ui /> }
    });
    // Once the page is idle, start the decoder worker: the reader module (the decoder and the payload
    // parser) then downloads and compiles before the shopper taps, not while the camera is already up.
    let warm = Rc::downgrade(&runtime);
    leptos::task::spawn_local(async move {
        js::idle(3_000).await;
        if let Some(rt) = warm.upgrade() {
            rt.decoder.warm_up();
            // The page's first `Intl.NumberFormat` loads the engine's number data (about 110 ms on a
            // phone 4× slower than a laptop): done now, not when the confirmation sheet shows an amount.
            js::format_number(rt.settings.locale.tag(), "0");
            warm_cjk_font(&rt.shadow);
        }
    });
    Some(Mounted { runtime, container, handle: Some(Box::new(handle)) })
}
