//! The checkout widget (Leptos, CSR, inside the element's shadow root).
//!
//! Flow: launcher → bottom sheet → camera (or a picture / the clipboard) → decoder worker →
//! `payload::parse` → not-a-payment / invalid / confirm sheet → explicit confirmation → merchant
//! order → wallet bridge → merchant status → result. Decisions live in [`crate::checkout`].

use super::camera::{self, Camera, Zoom};
use super::dom::{self, get, obj};
use super::i18n::{invalid_msg, reason_msg, wallet_msg, warning_msg, Locale, Msg};
use super::scanner::{Decoder, ScanError};
use super::{bridges, ScanCode};
use crate::checkout::{
    api_error, checkout_total, final_outcome, needs_typed_amount, poll_done, result_event, result_screen, scan_square,
    status_outcome, status_poll_delays, AmountError, CameraDevice, CameraError, Order, OrderRequest, OrderStatus,
    ResultScreen, Total, TotalError,
};
use crate::payload::{self, Code, NotPayment, ParseError, Payment, TipRule};
use crate::wallet::{rank_wallets, Outcome, WalletChoice, WalletId};
use leptos::html;
use leptos::prelude::*;
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;

/// Largest side of a frame sent to the decoder (the scan square is downscaled to it).
const MAX_FRAME_SIDE: u32 = 720;
/// Largest side a gallery / clipboard picture is decoded at (first try, then a bigger one).
const PICTURE_SIDES: [f64; 2] = [1600.0, 2800.0];

// ---------------------------------------------------------------------------------------------
// Options and runtime (non-Send browser objects)

struct Opts {
    order_url: Option<String>,
    locale: Locale,
    label: Option<String>,
    scan_region: f64,
    worker_url: String,
}

/// Options of one widget, before negotiation (from element attributes + the JS options object, or
/// from the Leptos component's props).
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub order_url: Option<String>,
    pub locale: Option<String>,
    pub label: Option<String>,
    pub scan_region: Option<f64>,
    pub worker_url: Option<String>,
}

impl Options {
    /// The custom element path: the JS options object first, then the host's attributes.
    pub fn from_element(host: &web_sys::HtmlElement, options: &JsValue) -> Options {
        let pick = |opt: &str, attr: &str| -> Option<String> {
            dom::get_str(options, opt).or_else(|| host.get_attribute(attr)).map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
        };
        Options {
            order_url: pick("orderUrl", "order-url"),
            locale: pick("locale", "locale"),
            label: pick("label", "label"),
            scan_region: get(options, "scanRegion").as_f64().or_else(|| pick("scanRegion", "scan-region").and_then(|s| s.parse::<f64>().ok())),
            worker_url: pick("workerUrl", "data-worker-url"),
        }
    }
}

/// Typed listeners (the Leptos component's callbacks); the DOM events are dispatched on the host
/// element in every case.
#[derive(Default)]
pub struct Hooks {
    pub scanned: Option<Box<dyn Fn(super::Scanned)>>,
    pub order_created: Option<Box<dyn Fn(super::OrderCreated)>>,
    pub succeeded: Option<Box<dyn Fn(super::PaymentResult)>>,
    pub cancelled: Option<Box<dyn Fn(super::PaymentResult)>>,
    pub failed: Option<Box<dyn Fn(super::PaymentResult)>>,
    pub pending: Option<Box<dyn Fn(super::PaymentResult)>>,
    pub error: Option<Box<dyn Fn(super::WidgetError)>>,
}

impl Opts {
    fn resolve(o: Options) -> Opts {
        let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let mut tags: Vec<String> = Vec::new();
        if let Some(l) = clean(o.locale) {
            tags.push(l);
        }
        if let Some(doc) = dom::window().and_then(|w| w.document()) {
            if let Some(lang) = doc.document_element().and_then(|e| e.get_attribute("lang")) {
                tags.push(lang);
            }
        }
        if let Some(w) = dom::window() {
            for l in w.navigator().languages().iter() {
                if let Some(s) = l.as_string() {
                    tags.push(s);
                }
            }
        }
        let scan_region = o.scan_region.filter(|f| f.is_finite() && *f > 0.0).map(|f| f.clamp(0.2, 1.0)).unwrap_or(0.7);
        Opts {
            order_url: clean(o.order_url).map(|u| dom::resolve_url(&u, None)),
            locale: Locale::negotiate(tags.iter().map(String::as_str)),
            label: clean(o.label),
            scan_region,
            worker_url: clean(o.worker_url).map(|u| dom::resolve_url(&u, None)).unwrap_or_default(),
        }
    }
}

type Listener = (web_sys::EventTarget, &'static str, Closure<dyn FnMut(web_sys::Event)>);

struct Rt {
    host: web_sys::HtmlElement,
    shadow: web_sys::ShadowRoot,
    opts: Opts,
    decoder: Decoder,
    camera: RefCell<Option<Camera>>,
    /// Bumped whenever the camera starts or stops: loops and late callbacks of an older session quit.
    gen: Cell<u32>,
    cams: RefCell<Vec<CameraDevice>>,
    paying: Cell<bool>,
    /// The camera was stopped because the page went to the background.
    resume_on_visible: Cell<bool>,
    listeners: RefCell<Vec<Listener>>,
    /// The camera canvas (reused between frames).
    canvas: RefCell<Option<(web_sys::HtmlCanvasElement, web_sys::CanvasRenderingContext2d)>>,
    hooks: Hooks,
}

impl Rt {
    fn emit(&self, name: &str, detail: &JsValue) {
        dom::dispatch(&self.host, name, detail);
    }

    fn stop_camera(&self) {
        self.gen.set(self.gen.get().wrapping_add(1));
        if let Some(cam) = self.camera.borrow_mut().take() {
            cam.stop();
        }
    }
}

/// What the mounted widget keeps alive.
pub struct Mounted {
    rt: Rc<Rt>,
    container: web_sys::HtmlElement,
    handle: Option<Box<dyn Any>>,
}

impl Mounted {
    pub fn unmount(mut self) {
        self.rt.stop_camera();
        self.rt.decoder.shutdown();
        for (target, name, cb) in self.rt.listeners.borrow_mut().drain(..) {
            let _ = target.remove_event_listener_with_callback(name, cb.as_ref().unchecked_ref());
        }
        drop(self.handle.take());
        self.container.remove();
    }
}

// ---------------------------------------------------------------------------------------------
// State

#[derive(Debug, Clone, PartialEq)]
enum Screen {
    Camera,
    CameraError(CameraError),
    Busy(Msg),
    NotPayment(NotPayment),
    Invalid(ParseError),
    Confirm,
    Result { outcome: Outcome, message: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct CamCaps {
    starting: bool,
    torch: bool,
    zoom: Option<Zoom>,
    can_switch: bool,
    mirrored: bool,
}

/// A scanned payment being checked out.
#[derive(Debug, Clone)]
struct Ctx {
    text: String,
    payment: Payment,
    choices: Vec<WalletChoice>,
}

#[derive(Clone, Copy)]
struct W {
    loc: Locale,
    rt: StoredValue<Rc<Rt>, LocalStorage>,
    open: RwSignal<bool>,
    screen: RwSignal<Screen>,
    announce: RwSignal<String>,
    note: RwSignal<Option<String>>,
    last_cam_err: RwSignal<Option<CameraError>>,
    caps: RwSignal<CamCaps>,
    torch_on: RwSignal<bool>,
    ctx: RwSignal<Option<Arc<Ctx>>>,
    amount_text: RwSignal<String>,
    tip_text: RwSignal<String>,
    touched: RwSignal<bool>,
    wallet: RwSignal<Option<WalletId>>,
    order: RwSignal<Option<Order>>,
    paid_label: RwSignal<String>,
    copied: RwSignal<bool>,
    launch: NodeRef<html::Button>,
    sheet: NodeRef<html::Div>,
    video: NodeRef<html::Video>,
    file: NodeRef<html::Input>,
    title: NodeRef<html::H2>,
}

fn wallet_key(w: WalletId) -> String {
    serde_json::to_value(w).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_else(|| format!("{w:?}"))
}

impl W {
    fn rt(self) -> Rc<Rt> {
        self.rt.get_value()
    }

    fn t(self, m: Msg) -> &'static str {
        self.loc.t(m)
    }

    fn say(self, text: String) {
        // Clear first so the same text is announced again.
        self.announce.set(String::new());
        spawn_local(async move {
            dom::sleep(50).await;
            self.announce.set(text);
        });
    }

    fn focus_title_soon(self) {
        spawn_local(async move {
            dom::next_frame().await;
            if let Some(h) = self.title.get_untracked() {
                let _ = h.focus();
            }
        });
    }

    fn set_screen(self, s: Screen) {
        self.screen.set(s);
        self.focus_title_soon();
    }

    fn money(self, amount: &str, currency: &str, minor_units: u8) -> String {
        dom::format_money(self.loc.tag(), amount, currency, minor_units)
    }

    // -- sheet ---------------------------------------------------------------------------------

    fn open_sheet(self) {
        if self.open.get_untracked() {
            return;
        }
        self.open.set(true);
        self.note.set(None);
        self.start_camera(None);
        self.focus_title_soon();
    }

    fn close_sheet(self) {
        self.rt().stop_camera();
        self.torch_on.set(false);
        self.open.set(false);
        if let Some(b) = self.launch.get_untracked() {
            let _ = b.focus();
        }
    }

    fn backdrop(self) {
        if !matches!(self.screen.get_untracked(), Screen::Busy(_)) {
            self.close_sheet();
        }
    }

    fn on_keydown(self, ev: web_sys::KeyboardEvent) {
        match ev.key().as_str() {
            "Escape" => {
                ev.prevent_default();
                ev.stop_propagation();
                self.close_sheet();
            }
            "Tab" => self.trap_tab(&ev),
            _ => {}
        }
    }

    /// Keep Tab / Shift+Tab inside the dialog.
    fn trap_tab(self, ev: &web_sys::KeyboardEvent) {
        let Some(sheet) = self.sheet.get_untracked() else { return };
        let Ok(list) = sheet.query_selector_all("button, input, select, textarea, a[href], [tabindex]:not([tabindex=\"-1\"])")
        else {
            return;
        };
        let mut items: Vec<web_sys::HtmlElement> = Vec::new();
        for i in 0..list.length() {
            let Some(node) = list.item(i) else { continue };
            let Ok(el) = node.dyn_into::<web_sys::HtmlElement>() else { continue };
            let disabled = get(&el, "disabled").as_bool().unwrap_or(false);
            let visible = el.get_client_rects().length() > 0;
            if !disabled && visible && el.tab_index() >= 0 {
                items.push(el);
            }
        }
        let (Some(first), Some(last)) = (items.first().cloned(), items.last().cloned()) else {
            ev.prevent_default();
            return;
        };
        let active: Option<JsValue> = self.rt().shadow.active_element().map(JsValue::from);
        let pos = active.as_ref().and_then(|a| items.iter().position(|e| JsValue::from(e.clone()) == *a));
        if ev.shift_key() {
            if pos.is_none() || pos == Some(0) {
                ev.prevent_default();
                let _ = last.focus();
            }
        } else if pos.is_none() || pos == Some(items.len() - 1) {
            ev.prevent_default();
            let _ = first.focus();
        }
    }

    // -- camera --------------------------------------------------------------------------------

    fn start_camera(self, device: Option<String>) {
        let rt = self.rt();
        rt.stop_camera();
        let gen = rt.gen.get();
        self.torch_on.set(false);
        self.caps.set(CamCaps { starting: true, ..Default::default() });
        self.screen.set(Screen::Camera);
        spawn_local(async move {
            dom::next_frame().await;
            let rt = self.rt();
            let Some(video) = self.video.get_untracked() else { return };
            let video: web_sys::HtmlVideoElement = video;
            let result = camera::open(&video, device).await;
            if rt.gen.get() != gen || !self.open.get_untracked() {
                if let Ok(cam) = result {
                    cam.stop();
                }
                return;
            }
            match result {
                Ok(cam) => {
                    let cams = camera::list_cameras().await;
                    if rt.gen.get() != gen {
                        cam.stop();
                        return;
                    }
                    self.caps.set(CamCaps {
                        starting: false,
                        torch: cam.torch,
                        zoom: cam.zoom,
                        can_switch: cams.len() > 1,
                        mirrored: cam.mirrored,
                    });
                    *rt.cams.borrow_mut() = cams;
                    *rt.camera.borrow_mut() = Some(cam);
                    self.last_cam_err.set(None);
                    spawn_local(self.scan_loop(gen));
                }
                Err(e) => {
                    self.caps.set(CamCaps::default());
                    self.last_cam_err.set(Some(e));
                    self.set_screen(Screen::CameraError(e));
                    let (title, body) = cam_err_msgs(e);
                    let sep = if matches!(self.loc, Locale::ZhHans | Locale::ZhHant) { "。" } else { ". " };
                    let message = format!("{}{sep}{}", self.t(title), self.t(body));
                    rt.emit("interpay:error", &obj(&[("code", e.code().into()), ("message", message.clone().into())]));
                    if let Some(f) = &rt.hooks.error {
                        f(super::WidgetError { code: e.code().into(), message: message.clone(), recovered: false });
                    }
                    self.say(message);
                }
            }
        });
    }

    fn switch_camera(self) {
        let rt = self.rt();
        let cams = rt.cams.borrow().clone();
        if cams.len() < 2 {
            return;
        }
        let current = rt.camera.borrow().as_ref().map(|c| c.device_id.clone()).unwrap_or_default();
        let idx = cams.iter().position(|c| c.device_id == current).map(|i| (i + 1) % cams.len()).unwrap_or(0);
        let next = cams.get(idx).map(|c| c.device_id.clone()).filter(|id| !id.is_empty());
        self.start_camera(next);
    }

    fn toggle_torch(self) {
        let on = !self.torch_on.get_untracked();
        let fut = self.rt().camera.borrow().as_ref().map(|c| c.set_torch(on));
        if let Some(fut) = fut {
            spawn_local(async move {
                if fut.await && self.rt().camera.borrow().is_some() {
                    self.torch_on.set(on);
                }
            });
        }
    }

    fn set_zoom(self, value: f64) {
        let fut = self.rt().camera.borrow().as_ref().map(|c| c.set_zoom(value));
        if let Some(fut) = fut {
            spawn_local(async move {
                if fut.await {
                    self.caps.update(|c| {
                        if let Some(z) = c.zoom.as_mut() {
                            z.value = value;
                        }
                    });
                }
            });
        }
    }

    /// Read the scan square of each frame, one frame in flight: while the decoder works on a
    /// frame, newer frames are simply not taken (never queued).
    async fn scan_loop(self, gen: u32) {
        let rt = self.rt();
        loop {
            match self.video.get_untracked() {
                Some(v) => dom::next_video_frame(&v).await,
                None => dom::next_frame().await,
            }
            if rt.gen.get() != gen {
                return;
            }
            let Some(frame) = self.grab_frame(&rt) else { continue };
            match rt.decoder.decode(frame.0, frame.1, frame.1).await {
                Ok(codes) if !codes.is_empty() => {
                    if rt.gen.get() == gen {
                        self.on_codes(codes);
                    }
                    return;
                }
                Ok(_) | Err(ScanError::Busy) => {}
                Err(ScanError::Crashed(why)) => {
                    web_sys::console::warn_1(&format!("interpay: decoder restarted ({why})").into());
                    rt.emit(
                        "interpay:error",
                        &obj(&[
                            ("code", "decoder_crash".into()),
                            ("message", why.clone().into()),
                            ("recovered", true.into()),
                            ("restarts", rt.decoder.restarts().into()),
                        ]),
                    );
                    if let Some(f) = &rt.hooks.error {
                        f(super::WidgetError { code: "decoder_crash".into(), message: why.clone(), recovered: true });
                    }
                    // Give a crash loop some air.
                    dom::sleep(200).await;
                }
            }
        }
    }

    fn grab_frame(self, rt: &Rt) -> Option<(js_sys::ArrayBuffer, u32)> {
        let cam = rt.camera.borrow();
        let cam = cam.as_ref()?;
        if !cam.ready() {
            return None;
        }
        let video: web_sys::HtmlVideoElement = self.video.get_untracked()?;
        let (vw, vh) = (video.video_width(), video.video_height());
        let (x, y, side) = scan_square(vw, vh, rt.opts.scan_region);
        let out = side.clamp(1, MAX_FRAME_SIDE);
        let (canvas, ctx) = canvas_2d(&rt.canvas)?;
        if canvas.width() != out {
            canvas.set_width(out);
            canvas.set_height(out);
        }
        ctx.draw_image_with_html_video_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
            &video, x as f64, y as f64, side as f64, side as f64, 0.0, 0.0, out as f64, out as f64,
        )
        .ok()?;
        let img = ctx.get_image_data(0.0, 0.0, out as f64, out as f64).ok()?;
        let data: js_sys::Uint8ClampedArray = get(&img, "data").dyn_into().ok()?;
        Some((data.buffer(), out))
    }

    // -- pictures ------------------------------------------------------------------------------

    fn pick_file(self) {
        if let Some(input) = self.file.get_untracked() {
            let input: web_sys::HtmlInputElement = input;
            input.set_value("");
            input.click();
        }
    }

    fn on_file(self) {
        let Some(input) = self.file.get_untracked() else { return };
        let input: web_sys::HtmlInputElement = input;
        let file = input.files().and_then(|f| f.get(0));
        if let Some(file) = file {
            self.decode_blob(file.into());
        }
    }

    fn paste(self) {
        spawn_local(async move {
            let nav: JsValue = match dom::window() {
                Some(w) => w.navigator().into(),
                None => return,
            };
            let clip = get(&nav, "clipboard");
            let items = match dom::call_async(&clip, "read", &[]).await {
                Ok(v) => v,
                Err(_) => {
                    self.note.set(Some(self.t(Msg::ClipboardUnavailable).into()));
                    self.say(self.t(Msg::ClipboardUnavailable).into());
                    return;
                }
            };
            let items: js_sys::Array = items.dyn_into().unwrap_or_default();
            for item in items.iter() {
                let types: js_sys::Array = get(&item, "types").dyn_into().unwrap_or_default();
                for ty in types.iter() {
                    let Some(t) = ty.as_string() else { continue };
                    if t.starts_with("image/") {
                        if let Ok(blob) = dom::call_async(&item, "getType", std::slice::from_ref(&ty)).await {
                            self.decode_blob(blob);
                            return;
                        }
                    }
                }
            }
            self.note.set(Some(self.t(Msg::NoImageInClipboard).into()));
            self.say(self.t(Msg::NoImageInClipboard).into());
        });
    }

    /// Ctrl+V / ⌘V in the sheet.
    fn on_paste(self, ev: web_sys::Event) {
        let data = get(&ev, "clipboardData");
        let files = get(&data, "files");
        let n = get(&files, "length").as_f64().unwrap_or(0.0) as u32;
        for i in 0..n {
            let f = dom::call(&files, "item", &[i.into()]).unwrap_or(JsValue::NULL);
            if dom::get_str(&f, "type").is_some_and(|t| t.starts_with("image/")) {
                ev.prevent_default();
                self.decode_blob(f);
                return;
            }
        }
    }

    /// Decode a picture (file or clipboard) with the same worker as the camera.
    fn decode_blob(self, blob: JsValue) {
        let rt = self.rt();
        rt.stop_camera();
        let back = self.last_cam_err.get_untracked();
        self.note.set(None);
        self.set_screen(Screen::Busy(Msg::ReadingImage));
        self.say(self.t(Msg::ReadingImage).into());
        spawn_local(async move {
            let rt = self.rt();
            let outcome = decode_picture(&rt, &blob).await;
            if !self.open.get_untracked() {
                return;
            }
            match outcome {
                Ok(codes) if !codes.is_empty() => self.on_codes(codes),
                other => {
                    let m = if other.is_err() { Msg::ImageUnreadable } else { Msg::NoCodeInImage };
                    self.note.set(Some(self.t(m).into()));
                    self.say(self.t(m).into());
                    match back {
                        Some(e) => self.set_screen(Screen::CameraError(e)),
                        None => self.start_camera(None),
                    }
                }
            }
        });
    }

    // -- scanned codes -------------------------------------------------------------------------

    fn on_codes(self, codes: Vec<ScanCode>) {
        // Several codes in view: the first payment code wins.
        let parsed: Vec<(String, Result<Code, ParseError>)> =
            codes.into_iter().map(|c| (c.text.clone(), payload::parse(&c.text))).collect();
        let pick = parsed
            .iter()
            .position(|(_, r)| matches!(r, Ok(Code::Payment(_))))
            .or_else(|| parsed.iter().position(|(_, r)| r.is_err()))
            .unwrap_or(0);
        let Some((text, result)) = parsed.into_iter().nth(pick) else { return };
        self.on_text(text, result);
    }

    fn on_text(self, text: String, parsed: Result<Code, ParseError>) {
        let rt = self.rt();
        rt.stop_camera();
        self.torch_on.set(false);
        if let Some(w) = dom::window() {
            let _ = dom::call(&w.navigator(), "vibrate", &[40.into()]);
        }
        let detail = match &parsed {
            Ok(code) => obj(&[("text", text.clone().into()), ("code", dom::to_js(code))]),
            Err(e) => obj(&[("text", text.clone().into()), ("code", JsValue::NULL), ("error", dom::to_js(e))]),
        };
        rt.emit("interpay:scanned", &detail);
        if let Some(f) = &rt.hooks.scanned {
            f(super::Scanned { text: text.clone(), code: parsed.clone() });
        }
        self.note.set(None);
        match parsed {
            Ok(Code::Payment(payment)) => {
                let choices = rank_wallets(&payment, &bridges::detect_environment());
                let first = choices.iter().find(|c| c.available).map(|c| c.wallet);
                let name = payee_name(&payment).unwrap_or_else(|| self.t(Msg::UnknownPayee).to_string());
                self.ctx.set(Some(Arc::new(Ctx { text, payment, choices })));
                self.amount_text.set(String::new());
                self.tip_text.set(String::new());
                self.touched.set(false);
                self.wallet.set(first);
                self.order.set(None);
                self.set_screen(Screen::Confirm);
                self.say(format!("{}. {} {}", self.t(Msg::CodeScanned), self.t(Msg::PayTo), name));
            }
            Ok(Code::NotPayment(np)) => {
                self.copied.set(false);
                self.set_screen(Screen::NotPayment(np));
                self.say(format!("{}. {}", self.t(Msg::CodeScanned), self.t(Msg::NotPaymentTitle)));
            }
            Err(e) => {
                self.set_screen(Screen::Invalid(e));
                self.say(format!("{}. {}", self.t(Msg::CodeScanned), self.t(Msg::InvalidTitle)));
            }
        }
    }

    fn scan_again(self) {
        self.note.set(None);
        self.ctx.set(None);
        self.start_camera(None);
        self.focus_title_soon();
    }

    fn copy_text(self, text: String) {
        spawn_local(async move {
            let Some(w) = dom::window() else { return };
            let clip = get(&w.navigator(), "clipboard");
            if dom::call_async(&clip, "writeText", &[text.into()]).await.is_ok() {
                self.copied.set(true);
                self.say(self.t(Msg::Copied).into());
            }
        });
    }

    // -- paying --------------------------------------------------------------------------------

    fn total(self) -> Option<Result<Total, TotalError>> {
        let ctx = self.ctx.get()?;
        Some(checkout_total(&ctx.payment, &self.amount_text.get(), &self.tip_text.get()))
    }

    fn pay(self) {
        let rt = self.rt();
        if rt.paying.get() {
            return;
        }
        let Some(ctx) = self.ctx.get_untracked() else { return };
        let Some(wallet) = self.wallet.get_untracked() else { return };
        if !ctx.choices.iter().any(|c| c.wallet == wallet && c.available) {
            return;
        }
        let total = match checkout_total(&ctx.payment, &self.amount_text.get_untracked(), &self.tip_text.get_untracked()) {
            Ok(t) => t,
            Err(_) => {
                self.touched.set(true);
                return;
            }
        };
        // The attribute is read again: frameworks may set it after the element connected.
        let live = rt.host.get_attribute("order-url").map(|u| u.trim().to_string()).filter(|u| !u.is_empty());
        let Some(order_url) = live.map(|u| dom::resolve_url(&u, None)).or_else(|| rt.opts.order_url.clone()) else { return };
        self.paid_label.set(self.money(&total.amount_string(), &total.currency, total.minor_units));
        rt.paying.set(true);
        spawn_local(async move {
            self.pay_flow(ctx, wallet, total, order_url).await;
            self.rt().paying.set(false);
        });
    }

    async fn pay_flow(self, ctx: Arc<Ctx>, wallet: WalletId, total: Total, order_url: String) {
        let rt = self.rt();
        self.set_screen(Screen::Busy(Msg::CreatingOrder));
        self.say(self.t(Msg::CreatingOrder).into());
        let body = serde_json::to_string(&OrderRequest {
            payload: &ctx.text,
            payment: &ctx.payment,
            wallet,
            amount: total.amount_string(),
            currency: total.currency.clone(),
        })
        .unwrap_or_default();
        let order = match dom::fetch_json("POST", &order_url, Some(&body), 20_000).await {
            Err(e) => {
                let shown = self.t(Msg::NetworkError).to_string();
                return self.finish(&ctx, None, Outcome::Failed { code: "network_error".into(), message: e }, shown);
            }
            Ok((s, text)) if (200..300).contains(&s) => match serde_json::from_str::<Order>(&text) {
                Ok(o) => o,
                Err(e) => {
                    let shown = self.loc.fmt(Msg::OrderFailed, &[("message", "invalid answer")]);
                    return self.finish(&ctx, None, Outcome::Failed { code: "bad_order_response".into(), message: e.to_string() }, shown);
                }
            },
            Ok((s, text)) => {
                let e = api_error(s, &text);
                let what = if e.message.is_empty() { e.code.clone() } else { e.message.clone() };
                let shown = self.loc.fmt(Msg::OrderFailed, &[("message", &what)]);
                let message = if e.message.is_empty() { format!("order creation failed (HTTP {s})") } else { e.message };
                return self.finish(&ctx, None, Outcome::Failed { code: e.code, message }, shown);
            }
        };
        self.order.set(Some(order.clone()));
        rt.emit("interpay:order-created", &obj(&[("payment", dom::to_js(&ctx.payment)), ("order", dom::to_js(&order))]));
        if let Some(f) = &rt.hooks.order_created {
            f(super::OrderCreated { payment: ctx.payment.clone(), order: order.clone() });
        }
        self.set_screen(Screen::Busy(Msg::WaitingWallet));
        self.say(self.t(Msg::WaitingWallet).into());
        let bridge = bridges::pay(wallet, &order.wallet_params).await;
        self.set_screen(Screen::Busy(Msg::ConfirmingMerchant));
        let status_url = dom::resolve_url(&order.status_url, Some(&order_url));
        let merchant = poll_status(&status_url, status_poll_delays(&bridge)).await;
        let outcome = final_outcome(&bridge, merchant.as_ref());
        let shown = self.outcome_text(&outcome);
        self.finish(&ctx, Some(order), outcome, shown);
    }

    fn outcome_text(self, outcome: &Outcome) -> String {
        match outcome {
            Outcome::Failed { code, message } if code.starts_with("merchant_") => {
                let base = self.t(Msg::MerchantFailed).to_string();
                if message.is_empty() || message.starts_with("The merchant reports") {
                    base
                } else {
                    format!("{base} ({message})")
                }
            }
            Outcome::Failed { code, message } => {
                let m = if message.is_empty() { code.as_str() } else { message.as_str() };
                self.loc.fmt(Msg::WalletFailed, &[("message", m)])
            }
            Outcome::Cancelled => self.t(Msg::CancelledBody).into(),
            Outcome::Pending => self.t(Msg::PendingBody).into(),
            Outcome::Succeeded => String::new(),
        }
    }

    fn finish(self, ctx: &Ctx, order: Option<Order>, outcome: Outcome, message: String) {
        let rt = self.rt();
        let detail = obj(&[
            ("payment", dom::to_js(&ctx.payment)),
            ("order", order.as_ref().map(dom::to_js).unwrap_or(JsValue::NULL)),
            ("outcome", dom::to_js(&outcome)),
        ]);
        let title = match result_screen(&outcome) {
            ResultScreen::Success => Msg::SuccessTitle,
            ResultScreen::Cancelled => Msg::CancelledTitle,
            ResultScreen::Failed => Msg::FailedTitle,
            ResultScreen::Pending => Msg::PendingTitle,
        };
        self.say(format!("{}. {}", self.t(title), message));
        rt.emit(result_event(&outcome), &detail);
        let hook = match &outcome {
            Outcome::Succeeded => &rt.hooks.succeeded,
            Outcome::Cancelled => &rt.hooks.cancelled,
            Outcome::Failed { .. } => &rt.hooks.failed,
            Outcome::Pending => &rt.hooks.pending,
        };
        if let Some(f) = hook {
            f(super::PaymentResult { payment: ctx.payment.clone(), order: order.clone(), outcome: outcome.clone() });
        }
        // A result that arrives after the shopper closed the sheet is still shown: they must know
        // whether they paid.
        self.open.set(true);
        self.set_screen(Screen::Result { outcome, message });
    }

    /// "Check again" on the pending screen.
    fn check_again(self) {
        let Some(order) = self.order.get_untracked() else { return };
        let Some(ctx) = self.ctx.get_untracked() else { return };
        let rt = self.rt();
        let base = rt.opts.order_url.clone();
        self.set_screen(Screen::Busy(Msg::ConfirmingMerchant));
        spawn_local(async move {
            let url = dom::resolve_url(&order.status_url, base.as_deref());
            let merchant = poll_status(&url, &[0, 800, 1600]).await;
            let outcome = final_outcome(&Outcome::Pending, merchant.as_ref());
            let shown = self.outcome_text(&outcome);
            self.finish(&ctx, Some(order), outcome, shown);
        });
    }

    // -- views ---------------------------------------------------------------------------------

    fn title_text(self) -> &'static str {
        match self.screen.get() {
            Screen::Camera | Screen::CameraError(_) | Screen::Busy(Msg::ReadingImage) => self.t(Msg::DialogTitle),
            Screen::Busy(_) | Screen::Confirm => self.t(Msg::ConfirmTitle),
            Screen::NotPayment(_) => self.t(Msg::NotPaymentTitle),
            Screen::Invalid(_) => self.t(Msg::InvalidTitle),
            Screen::Result { outcome, .. } => self.t(match result_screen(&outcome) {
                ResultScreen::Success => Msg::SuccessTitle,
                ResultScreen::Cancelled => Msg::CancelledTitle,
                ResultScreen::Failed => Msg::FailedTitle,
                ResultScreen::Pending => Msg::PendingTitle,
            }),
        }
    }

    fn screen_view(self) -> AnyView {
        match self.screen.get() {
            Screen::Camera => ().into_any(),
            Screen::CameraError(e) => self.camera_error_view(e),
            Screen::Busy(m) => view! {
                <div class="ip-busy" aria-busy="true">
                    <span class="ip-spinner" aria-hidden="true"></span>
                    <p class="ip-busy-text">{self.t(m)}</p>
                </div>
            }
            .into_any(),
            Screen::NotPayment(np) => self.not_payment_view(np),
            Screen::Invalid(e) => self.invalid_view(e),
            Screen::Confirm => self.confirm_view(),
            Screen::Result { outcome, message } => self.result_view(outcome, message),
        }
    }

    fn camera_view(self) -> impl IntoView {
        let w = self;
        view! {
            <section class="ip-camera" data-testid="camera-view" hidden=move || w.screen.with(|s| *s != Screen::Camera)>
                <div class="ip-viewport">
                    <video
                        node_ref=w.video
                        class="ip-video"
                        class=("ip-mirror", move || w.caps.with(|c| c.mirrored))
                        playsinline=""
                        autoplay=""
                        muted=""
                        disablepictureinpicture=""
                        aria-hidden="true"
                    ></video>
                    <div class="ip-frame" aria-hidden="true">
                        <span class="ip-corner ip-tl"></span>
                        <span class="ip-corner ip-tr"></span>
                        <span class="ip-corner ip-bl"></span>
                        <span class="ip-corner ip-br"></span>
                        <span class="ip-scanline"></span>
                    </div>
                    <p class="ip-hint">
                        {move || if w.caps.with(|c| c.starting) { w.t(Msg::StartingCamera) } else { w.t(Msg::PointCamera) }}
                    </p>
                </div>
                <div class="ip-cam-controls">
                    <Show when=move || w.caps.with(|c| c.torch)>
                        <button
                            type="button"
                            class="ip-round"
                            class=("ip-on", move || w.torch_on.get())
                            data-testid="torch"
                            aria-pressed=move || w.torch_on.get().to_string()
                            aria-label=move || if w.torch_on.get() { w.t(Msg::TorchOff) } else { w.t(Msg::TorchOn) }
                            on:click=move |_| w.toggle_torch()
                        >
                            {icon_torch()}
                        </button>
                    </Show>
                    {move || {
                        w.caps.with(|c| c.zoom).map(|z| {
                            view! {
                                <label class="ip-zoom">
                                    <span class="ip-sr">{w.t(Msg::Zoom)}</span>
                                    <span aria-hidden="true">"−"</span>
                                    <input
                                        type="range"
                                        data-testid="zoom"
                                        min=z.min.to_string()
                                        max=z.max.to_string()
                                        step=z.step.to_string()
                                        prop:value=z.value.to_string()
                                        on:input=move |ev| {
                                            if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                                                w.set_zoom(v)
                                            }
                                        }
                                    />
                                    <span aria-hidden="true">"+"</span>
                                </label>
                            }
                        })
                    }}
                    <Show when=move || w.caps.with(|c| c.can_switch)>
                        <button
                            type="button"
                            class="ip-round"
                            data-testid="switch-camera"
                            aria-label=w.t(Msg::SwitchCamera)
                            on:click=move |_| w.switch_camera()
                        >
                            {icon_switch()}
                        </button>
                    </Show>
                </div>
            </section>
        }
    }

    fn fallback_view(self) -> impl IntoView {
        let w = self;
        let show = move || w.screen.with(|s| matches!(s, Screen::Camera | Screen::CameraError(_)));
        view! {
            <div class="ip-fallback" hidden=move || !show()>
                {move || w.note.get().map(|n| view! { <p class="ip-note" data-testid="notice" role="alert">{n}</p> })}
                <p class="ip-or">{w.t(Msg::OtherWays)}</p>
                <div class="ip-row">
                    <button type="button" class="ip-secondary" data-testid="scan-picture" on:click=move |_| w.pick_file()>
                        {icon_image()}
                        <span>{w.t(Msg::FromGallery)}</span>
                    </button>
                    <button type="button" class="ip-secondary" data-testid="paste-image" on:click=move |_| w.paste()>
                        {icon_paste()}
                        <span>{w.t(Msg::PasteImage)}</span>
                    </button>
                </div>
                <input
                    type="file"
                    accept="image/*"
                    class="ip-file"
                    data-testid="file-input"
                    tabindex="-1"
                    aria-hidden="true"
                    node_ref=w.file
                    on:change=move |_| w.on_file()
                />
            </div>
        }
    }

    fn camera_error_view(self, e: CameraError) -> AnyView {
        let w = self;
        let (title, body) = cam_err_msgs(e);
        let retry = !matches!(e, CameraError::Insecure | CameraError::NoCamera);
        view! {
            <div class="ip-cam-error" data-testid="camera-error" data-code=e.code()>
                <div class="ip-badge ip-badge-warn" aria-hidden="true">{icon_camera_off()}</div>
                <div class="ip-error" data-testid="error-message" role="alert">
                    <p class="ip-error-title">{w.t(title)}</p>
                    <p>{w.t(body)}</p>
                </div>
                {retry.then(|| view! {
                    <button type="button" class="ip-primary" data-testid="retry-camera" on:click=move |_| w.start_camera(None)>
                        {w.t(Msg::TryCameraAgain)}
                    </button>
                })}
            </div>
        }
        .into_any()
    }

    fn not_payment_view(self, np: NotPayment) -> AnyView {
        let w = self;
        let is_link = np.what == "url" || np.text.contains("://");
        let text = np.text.clone();
        view! {
            <div class="ip-not-payment" data-testid="not-payment" data-kind=np.what.clone()>
                <div class="ip-badge ip-badge-info" aria-hidden="true">{icon_info()}</div>
                <p class="ip-label">{w.t(Msg::NotPaymentBody)}</p>
                <pre class="ip-text" data-testid="scanned-text">{np.text.clone()}</pre>
                {is_link.then(|| view! { <p class="ip-muted">{w.t(Msg::NotPaymentLink)}</p> })}
                <div class="ip-actions">
                    <button type="button" class="ip-primary" data-testid="scan-again" on:click=move |_| w.scan_again()>
                        {w.t(Msg::ScanAgain)}
                    </button>
                    <button type="button" class="ip-secondary" data-testid="copy" on:click=move |_| w.copy_text(text.clone())>
                        {move || if w.copied.get() { w.t(Msg::Copied) } else { w.t(Msg::Copy) }}
                    </button>
                </div>
            </div>
        }
        .into_any()
    }

    fn invalid_view(self, e: ParseError) -> AnyView {
        let w = self;
        let detail = w.loc.fmt(Msg::InvalidWhere, &[("message", &e.message), ("position", &e.position.to_string())]);
        let tag = e.tag.clone().map(|t| format!("tag {t} · {}", e.code)).unwrap_or_else(|| e.code.to_string());
        view! {
            <div class="ip-invalid" data-testid="invalid-code" data-code=e.code.as_str()>
                <div class="ip-badge ip-badge-bad" aria-hidden="true">{icon_alert()}</div>
                <div class="ip-error" data-testid="error-message" role="alert">
                    <p class="ip-error-title">{w.t(invalid_msg(e.code.as_str()))}</p>
                    <p>{w.t(Msg::InvalidBody)}</p>
                    <p class="ip-muted">{detail}</p>
                    <p class="ip-muted ip-mono">{tag}</p>
                </div>
                <div class="ip-actions">
                    <button type="button" class="ip-primary" data-testid="scan-again" on:click=move |_| w.scan_again()>
                        {w.t(Msg::ScanAgain)}
                    </button>
                </div>
            </div>
        }
        .into_any()
    }

    fn confirm_view(self) -> AnyView {
        let w = self;
        let Some(ctx) = w.ctx.get_untracked() else { return ().into_any() };
        let loc = w.loc;
        let p = ctx.payment.clone();
        let name = payee_name(&p).unwrap_or_else(|| w.t(Msg::UnknownPayee).to_string());
        let name_alt = p.payee.name_alt.clone().filter(|s| !s.trim().is_empty() && Some(s) != p.payee.name.as_ref());
        let lang_alt = p.payee.language_alt.clone().unwrap_or_default().to_ascii_lowercase();
        let city = [p.payee.city.clone(), p.payee.city_alt.clone(), p.payee.country.clone()]
            .into_iter()
            .flatten()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        let dynamic = !needs_typed_amount(&p);
        let currency = p.currency.clone();
        let mu = currency.as_ref().map(|c| c.minor_units).unwrap_or(2);
        let ccy = currency.as_ref().map(|c| c.code.clone()).unwrap_or_default();
        let schemes = p.schemes.iter().map(|s| s.name.clone()).collect::<Vec<_>>().join(" · ");
        let warnings = p.warnings.clone();
        let refs: Vec<String> = [p.references.bill_number.clone(), p.references.reference.clone(), p.references.purpose.clone()]
            .into_iter()
            .flatten()
            .filter(|s| !s.trim().is_empty())
            .collect();
        let choices = ctx.choices.clone();
        // Wallets that cannot pay this kind of code at all are folded away; the others (available
        // here, or available elsewhere with a hint) stay in view.
        let (shown_wallets, folded_wallets): (Vec<WalletChoice>, Vec<WalletChoice>) = ctx
            .choices
            .iter()
            .cloned()
            .partition(|c| c.available || c.reason.as_deref() != Some(crate::wallet::reasons::NOT_SUPPORTED_FOR_SCHEME));
        let any_available = choices.iter().any(|c| c.available);
        let has_order_url = w.rt().opts.order_url.is_some() || w.rt().host.has_attribute("order-url");

        let ccy2 = ccy.clone();
        let money = move |v: rust_decimal::Decimal| dom::format_money(loc.tag(), &crate::checkout::amount_string(v, mu), &ccy2, mu);
        let money2 = money.clone();
        let money3 = money.clone();
        let money4 = money.clone();
        let amount_shown = move || match w.total() {
            Some(Ok(t)) => money(t.base),
            _ if dynamic => p.amount.map(money.clone()).unwrap_or_default(),
            _ => String::new(),
        };
        let amount_error = move || {
            if !w.touched.get() && w.amount_text.with(|s| s.trim().is_empty()) {
                return None;
            }
            match w.total()? {
                Err(TotalError::Amount(e)) | Err(TotalError::Tip(e)) => Some(amount_error_text(loc, e)),
                _ => None,
            }
        };
        let fee_row = p.tip.clone().map(|rule| {
            let rule2 = rule.clone();
            let label = match &rule {
                TipRule::Prompt => w.t(Msg::TipOptional).to_string(),
                TipRule::Fixed { .. } => w.t(Msg::FeeFixed).to_string(),
                TipRule::Percentage { percent } => {
                    loc.fmt(Msg::FeePercent, &[("percent", &dom::format_number(loc.tag(), &percent.normalize().to_string()))])
                }
            };
            let money = money2.clone();
            match rule2 {
                TipRule::Prompt => view! {
                    <label class="ip-field">
                        <span class="ip-label">{label}</span>
                        <span class="ip-muted">{w.t(Msg::TipAsked)}</span>
                        <input
                            class="ip-input"
                            data-testid="tip-input"
                            placeholder=if mu == 0 { "0".to_string() } else { format!("0.{}", "0".repeat(mu as usize)) }
                            inputmode=if mu == 0 { "numeric" } else { "decimal" }
                            autocomplete="off"
                            prop:value=move || w.tip_text.get()
                            on:input=move |ev| w.tip_text.set(event_target_value(&ev))
                        />
                    </label>
                }
                .into_any(),
                _ => view! {
                    <div class="ip-line" data-testid="fee">
                        <span>{label}</span>
                        <span class="ip-num">
                            {move || match w.total() {
                                Some(Ok(t)) => format!("+ {}", money(t.fee)),
                                _ => "—".to_string(),
                            }}
                        </span>
                    </div>
                }
                .into_any(),
            }
        });
        let has_fee = p.tip.is_some();
        let pay_label = {
            let name = name.clone();
            move || match w.total() {
                Some(Ok(t)) => loc.fmt(Msg::PayButton, &[("amount", &money3(t.total)), ("name", &name)]),
                _ => loc.fmt(Msg::PayButtonNoName, &[("amount", "")]).trim().to_string(),
            }
        };
        let can_pay = move || {
            has_order_url
                && matches!(w.total(), Some(Ok(_)))
                && w.wallet.with(|sel| sel.is_some_and(|s| choices.iter().any(|c| c.wallet == s && c.available)))
        };
        let code_problem = match w.total() {
            Some(Err(TotalError::NoCurrency)) => Some(w.t(Msg::NoCurrency)),
            Some(Err(TotalError::BadCodeAmount)) => Some(w.t(Msg::BadCodeAmount)),
            _ => None,
        };
        let amount_text_before = ccy.clone();

        view! {
            <div class="ip-confirm" data-testid="confirm-sheet">
                <div class="ip-payee">
                    <p class="ip-label">{w.t(Msg::PayTo)}</p>
                    <p class="ip-payee-name" data-testid="payee-name">{name.clone()}</p>
                    {name_alt.map(|a| view! { <p class="ip-payee-alt" lang=lang_alt.clone() data-testid="payee-name-alt">{a}</p> })}
                    {(!city.is_empty()).then(|| view! { <p class="ip-muted" data-testid="payee-city">{city.clone()}</p> })}
                </div>
                {(!warnings.is_empty()).then(|| view! {
                    <div class="ip-warning" data-testid="warnings" role="alert">
                        <p class="ip-warning-title">{icon_alert()}<span>{w.t(Msg::Warning)}</span></p>
                        <ul>
                            {warnings
                                .iter()
                                .map(|x| {
                                    let lead = warning_msg(x.code.as_str()).map(|m| w.t(m));
                                    view! {
                                        <li data-code=x.code.as_str()>
                                            {lead.map(|l| view! { <span class="ip-warning-lead">{l}</span> " " })}
                                            <span class="ip-warning-detail">{x.message.clone()}</span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </div>
                })}
                <div class="ip-amount-box">
                    <p class="ip-label" data-testid="initiation">
                        {if dynamic { w.t(Msg::AmountFixed) } else { w.t(Msg::AmountEnter) }}
                    </p>
                    {(!dynamic).then(|| view! {
                        <label class="ip-field ip-amount-field">
                            <span class="ip-sr">{w.t(Msg::Amount)}</span>
                            <span class="ip-ccy" aria-hidden="true">{amount_text_before.clone()}</span>
                            <input
                                class="ip-input ip-input-amount"
                                data-testid="amount-input"
                                inputmode=if mu == 0 { "numeric" } else { "decimal" }
                                autocomplete="off"
                                enterkeyhint="done"
                                placeholder=if mu == 0 { "0".to_string() } else { format!("0.{}", "0".repeat(mu as usize)) }
                                aria-invalid=move || amount_error().is_some().to_string()
                                aria-describedby="ip-amount-err"
                                prop:value=move || w.amount_text.get()
                                on:input=move |ev| w.amount_text.set(event_target_value(&ev))
                                on:blur=move |_| w.touched.set(true)
                            />
                        </label>
                    })}
                    <p class="ip-field-error" id="ip-amount-err" role="status">{amount_error}</p>
                    <p class="ip-amount" class=("ip-amount-small", !dynamic) data-testid="amount">{amount_shown}</p>
                    {fee_row}
                    {has_fee.then(|| view! {
                        <div class="ip-line ip-total">
                            <span>{w.t(Msg::Total)}</span>
                            <span class="ip-num" data-testid="total">
                                {move || match w.total() { Some(Ok(t)) => money4(t.total), _ => "—".into() }}
                            </span>
                        </div>
                    })}
                </div>
                <p class="ip-schemes" data-testid="scheme">
                    <span class="ip-label">{w.t(Msg::AcceptedBy)}</span>
                    " "
                    <span>{schemes}</span>
                </p>
                {(!refs.is_empty()).then(|| view! {
                    <p class="ip-muted" data-testid="reference">{format!("{}: {}", w.t(Msg::Reference), refs.join(" · "))}</p>
                })}
                {code_problem.map(|m| view! { <p class="ip-error" data-testid="error-message" role="alert">{m}</p> })}
                {(!has_order_url).then(|| view! { <p class="ip-error" data-testid="error-message" role="alert">{w.t(Msg::NoOrderUrl)}</p> })}
                <div class="ip-wallets" role="radiogroup" aria-labelledby="ip-paywith">
                    <p class="ip-label" id="ip-paywith">{w.t(Msg::PayWith)}</p>
                    {(!any_available).then(|| view! { <p class="ip-note" data-testid="no-wallet">{w.t(Msg::NoWallet)}</p> })}
                    {shown_wallets.iter().map(|c| w.wallet_row(c)).collect_view()}
                    {(!folded_wallets.is_empty()).then(|| view! {
                        <details class="ip-more-wallets">
                            <summary>{w.loc.fmt(Msg::OtherWallets, &[("n", &folded_wallets.len().to_string())])}</summary>
                            {folded_wallets.iter().map(|c| w.wallet_row(c)).collect_view()}
                        </details>
                    })}
                </div>
                <div class="ip-actions ip-sticky">
                    <button
                        type="button"
                        class="ip-primary ip-pay"
                        data-testid="confirm-pay"
                        disabled=move || !can_pay()
                        on:click=move |_| w.pay()
                    >
                        {pay_label}
                    </button>
                    <button type="button" class="ip-link" data-testid="scan-again" on:click=move |_| w.scan_again()>
                        {w.t(Msg::ScanAgain)}
                    </button>
                </div>
            </div>
        }
        .into_any()
    }

    fn wallet_row(self, c: &WalletChoice) -> impl IntoView {
        let w = self;
        let wid = c.wallet;
        let key = wallet_key(wid);
        let name = wallet_msg(wid).map(|m| w.t(m).to_string()).unwrap_or_else(|| key.clone());
        let reason = c.reason.as_deref().map(|r| reason_msg(r).map(|m| w.t(m).to_string()).unwrap_or_else(|| w.t(Msg::WalletUnavailable).to_string()));
        let reason = if c.available { None } else { Some(reason.unwrap_or_else(|| w.t(Msg::WalletUnavailable).to_string())) };
        let available = c.available;
        view! {
            <button
                type="button"
                role="radio"
                class="ip-wallet"
                class=("ip-unavailable", !available)
                data-testid=format!("wallet-option-{key}")
                data-available=available.to_string()
                aria-checked=move || (w.wallet.get() == Some(wid)).to_string()
                disabled=!available
                on:click=move |_| w.wallet.set(Some(wid))
            >
                <span class="ip-radio" aria-hidden="true"></span>
                <span class="ip-wallet-text">
                    <span class="ip-wallet-name">{name}</span>
                    {reason.map(|r| view! { <span class="ip-wallet-reason">{r}</span> })}
                </span>
            </button>
        }
    }

    fn result_view(self, outcome: Outcome, message: String) -> AnyView {
        let w = self;
        let order_id = w.order.get_untracked().map(|o| o.order_id).filter(|s| !s.is_empty());
        let name = w.ctx.get_untracked().and_then(|c| payee_name(&c.payment)).unwrap_or_else(|| w.t(Msg::UnknownPayee).into());
        let order_line = order_id.map(|id| view! { <p class="ip-muted ip-mono" data-testid="order-id">{w.loc.fmt(Msg::OrderNumber, &[("id", &id)])}</p> });
        match result_screen(&outcome) {
            ResultScreen::Success => view! {
                <div class="ip-result ip-result-ok" data-testid="result-success">
                    <div class="ip-badge ip-badge-ok" aria-hidden="true">{icon_check()}</div>
                    <p class="ip-result-body">{w.loc.fmt(Msg::SuccessBody, &[("amount", &w.paid_label.get_untracked()), ("name", &name)])}</p>
                    <p class="ip-muted">{w.loc.fmt(Msg::PaidAt, &[("date", &dom::format_now(w.loc.tag()))])}</p>
                    {order_line}
                    <div class="ip-actions">
                        <button type="button" class="ip-primary" data-testid="done" on:click=move |_| w.close_sheet()>{w.t(Msg::Done)}</button>
                    </div>
                </div>
            }
            .into_any(),
            ResultScreen::Cancelled => view! {
                <div class="ip-result" data-testid="result-cancelled">
                    <div class="ip-badge ip-badge-info" aria-hidden="true">{icon_info()}</div>
                    <p class="ip-result-body">{message}</p>
                    {order_line}
                    <div class="ip-actions">
                        <button type="button" class="ip-primary" data-testid="retry" on:click=move |_| w.pay()>{w.t(Msg::Retry)}</button>
                        <button type="button" class="ip-secondary" data-testid="scan-again" on:click=move |_| w.scan_again()>{w.t(Msg::ScanAgain)}</button>
                    </div>
                </div>
            }
            .into_any(),
            ResultScreen::Failed => view! {
                <div class="ip-result" data-testid="result-failed">
                    <div class="ip-badge ip-badge-bad" aria-hidden="true">{icon_alert()}</div>
                    <p class="ip-error" data-testid="error-message" role="alert">{message}</p>
                    {order_line}
                    <div class="ip-actions">
                        <button type="button" class="ip-primary" data-testid="retry" on:click=move |_| w.pay()>{w.t(Msg::Retry)}</button>
                        <button type="button" class="ip-secondary" data-testid="scan-again" on:click=move |_| w.scan_again()>{w.t(Msg::ScanAgain)}</button>
                    </div>
                </div>
            }
            .into_any(),
            ResultScreen::Pending => view! {
                <div class="ip-result" data-testid="result-pending">
                    <div class="ip-badge ip-badge-warn" aria-hidden="true">{icon_clock()}</div>
                    <p class="ip-result-body">{message}</p>
                    {order_line}
                    <div class="ip-actions">
                        <button type="button" class="ip-primary" data-testid="check-again" on:click=move |_| w.check_again()>{w.t(Msg::CheckAgain)}</button>
                        <button type="button" class="ip-secondary" data-testid="done" on:click=move |_| w.close_sheet()>{w.t(Msg::Done)}</button>
                    </div>
                </div>
            }
            .into_any(),
        }
    }

    fn root_view(self, label: String) -> impl IntoView {
        let w = self;
        view! {
            <button
                type="button"
                class="ip-launch"
                part="launch"
                data-testid="scan-button"
                aria-haspopup="dialog"
                aria-expanded=move || w.open.get().to_string()
                node_ref=w.launch
                on:click=move |_| w.open_sheet()
            >
                {icon_qr()}
                <span>{label}</span>
            </button>
            <div class="ip-sr" role="status" aria-live="polite" aria-atomic="true" data-testid="live">{move || w.announce.get()}</div>
            <div
                class="ip-overlay"
                hidden=move || !w.open.get()
                on:click=move |ev| {
                    if ev.target().map(JsValue::from) == ev.current_target().map(JsValue::from) {
                        w.backdrop()
                    }
                }
            >
                <div
                    class="ip-sheet"
                    part="sheet"
                    role="dialog"
                    aria-modal="true"
                    aria-labelledby="ip-title"
                    node_ref=w.sheet
                    on:keydown=move |ev| w.on_keydown(ev)
                    on:paste=move |ev: web_sys::ClipboardEvent| w.on_paste(ev.into())
                >
                    <div class="ip-grabber" aria-hidden="true"></div>
                    <header class="ip-head">
                        <h2 id="ip-title" class="ip-title" tabindex="-1" node_ref=w.title>{move || w.title_text()}</h2>
                        <button type="button" class="ip-icon-btn" data-testid="close" aria-label=w.t(Msg::Close) on:click=move |_| w.close_sheet()>
                            {icon_close()}
                        </button>
                    </header>
                    <div class="ip-body">
                        {w.camera_view()}
                        {move || w.screen_view()}
                        {w.fallback_view()}
                    </div>
                </div>
            </div>
        }
    }
}

fn payee_name(p: &Payment) -> Option<String> {
    p.payee.name.clone().filter(|s| !s.trim().is_empty()).or_else(|| p.payee.name_alt.clone().filter(|s| !s.trim().is_empty()))
}

fn cam_err_msgs(e: CameraError) -> (Msg, Msg) {
    match e {
        CameraError::Denied => (Msg::ErrDeniedTitle, Msg::ErrDenied),
        CameraError::NoCamera => (Msg::ErrNoCameraTitle, Msg::ErrNoCamera),
        CameraError::InUse => (Msg::ErrInUseTitle, Msg::ErrInUse),
        CameraError::Insecure => (Msg::ErrInsecureTitle, Msg::ErrInsecure),
        CameraError::Other => (Msg::ErrCameraOtherTitle, Msg::ErrCameraOther),
    }
}

fn amount_error_text(loc: Locale, e: AmountError) -> String {
    match e {
        AmountError::Empty => loc.t(Msg::AmountErrEmpty).into(),
        AmountError::NotANumber => loc.t(Msg::AmountErrInvalid).into(),
        AmountError::TooManyDecimals { max: 0 } => loc.t(Msg::AmountErrWhole).into(),
        AmountError::TooManyDecimals { max } => loc.fmt(Msg::AmountErrDecimals, &[("n", &max.to_string())]),
        AmountError::Zero => loc.t(Msg::AmountErrZero).into(),
        AmountError::TooLarge => loc.t(Msg::AmountErrTooLarge).into(),
    }
}

fn canvas_2d(
    slot: &RefCell<Option<(web_sys::HtmlCanvasElement, web_sys::CanvasRenderingContext2d)>>,
) -> Option<(web_sys::HtmlCanvasElement, web_sys::CanvasRenderingContext2d)> {
    if let Some(c) = slot.borrow().as_ref() {
        return Some(c.clone());
    }
    let c = new_canvas()?;
    *slot.borrow_mut() = Some(c.clone());
    Some(c)
}

fn new_canvas() -> Option<(web_sys::HtmlCanvasElement, web_sys::CanvasRenderingContext2d)> {
    let doc = dom::window()?.document()?;
    let canvas: web_sys::HtmlCanvasElement = doc.create_element("canvas").ok()?.dyn_into().ok()?;
    let opts = obj(&[("willReadFrequently", true.into()), ("alpha", false.into())]);
    let ctx = canvas.get_context_with_context_options("2d", &opts).ok()??.dyn_into().ok()?;
    Some((canvas, ctx))
}

/// Picture → RGBA at a bounded size → decoder worker (a second, larger try if the first finds nothing).
async fn decode_picture(rt: &Rt, blob: &JsValue) -> Result<Vec<ScanCode>, String> {
    let w = dom::window().ok_or("no window")?;
    let bitmap = if get(&w, "createImageBitmap").is_function() {
        dom::call_async(&w, "createImageBitmap", std::slice::from_ref(blob)).await.map_err(|e| dom::error_message(&e))?
    } else {
        // Older Safari: an <img> from a blob: URL (allowed by `img-src blob:`).
        let doc = w.document().ok_or("no document")?;
        let img: JsValue = doc.create_element("img").map_err(|e| dom::error_message(&e))?.into();
        let url = web_sys::Url::create_object_url_with_blob(blob.unchecked_ref()).map_err(|e| dom::error_message(&e))?;
        dom::set(&img, "src", url.as_str());
        let loaded = dom::call_async(&img, "decode", &[]).await;
        let _ = web_sys::Url::revoke_object_url(&url);
        loaded.map_err(|e| dom::error_message(&e))?;
        img
    };
    let dim = |k: &str, fallback: &str| get(&bitmap, k).as_f64().filter(|v| *v > 0.0).or_else(|| get(&bitmap, fallback).as_f64()).unwrap_or(0.0);
    let (bw, bh) = (dim("naturalWidth", "width"), dim("naturalHeight", "height"));
    if bw < 1.0 || bh < 1.0 {
        return Err("empty image".into());
    }
    let (canvas, ctx) = new_canvas().ok_or("no canvas")?;
    let mut found = Vec::new();
    let mut last_scale = 0.0;
    for max_side in PICTURE_SIDES {
        let scale = (max_side / bw.max(bh)).min(1.0);
        if scale <= last_scale {
            break;
        }
        last_scale = scale;
        let (dw, dh) = ((bw * scale).round().max(1.0) as u32, (bh * scale).round().max(1.0) as u32);
        canvas.set_width(dw);
        canvas.set_height(dh);
        ctx.set_fill_style_str("#fff");
        ctx.fill_rect(0.0, 0.0, dw as f64, dh as f64);
        dom::call(&ctx, "drawImage", &[bitmap.clone(), 0.into(), 0.into(), dw.into(), dh.into()]).map_err(|e| dom::error_message(&e))?;
        let img = ctx.get_image_data(0.0, 0.0, dw as f64, dh as f64).map_err(|e| dom::error_message(&e))?;
        let data: js_sys::Uint8ClampedArray = get(&img, "data").dyn_into().map_err(|_| "no pixels".to_string())?;
        // The camera loop may still have its last frame in flight.
        let mut waited = 0;
        while rt.decoder.busy() && waited < 100 {
            dom::sleep(50).await;
            waited += 1;
        }
        match rt.decoder.decode(data.buffer(), dw, dh).await {
            Ok(codes) if !codes.is_empty() => {
                found = codes;
                break;
            }
            Ok(_) => {}
            Err(ScanError::Busy) => {}
            Err(ScanError::Crashed(_)) => {
                // Recreated; one more go at this size is cheap and usually enough.
                let img = ctx.get_image_data(0.0, 0.0, dw as f64, dh as f64).map_err(|e| dom::error_message(&e))?;
                let data: js_sys::Uint8ClampedArray = get(&img, "data").dyn_into().map_err(|_| "no pixels".to_string())?;
                if let Ok(codes) = rt.decoder.decode(data.buffer(), dw, dh).await {
                    if !codes.is_empty() {
                        found = codes;
                        break;
                    }
                }
            }
        }
    }
    let _ = dom::call(&bitmap, "close", &[]);
    Ok(found)
}

/// GET the order status at each delay until it is final.
async fn poll_status(url: &str, delays: &[u32]) -> Option<Outcome> {
    let mut last = None;
    for d in delays {
        dom::sleep(*d).await;
        if let Ok((200..=299, text)) = dom::fetch_json("GET", url, None, 10_000).await {
            if let Ok(s) = serde_json::from_str::<OrderStatus>(&text) {
                last = status_outcome(&s.status);
                if poll_done(last.as_ref()) {
                    break;
                }
            }
        }
    }
    last
}

// ---------------------------------------------------------------------------------------------
// Mount

/// Mount the widget into `shadow` (the custom element and the Leptos component both come here).
pub fn mount(shadow: web_sys::ShadowRoot, host: web_sys::HtmlElement, options: Options, hooks: Hooks) -> Mounted {
    let opts = Opts::resolve(options);
    let doc = dom::window().and_then(|w| w.document()).expect("a document");
    let container: web_sys::HtmlElement = doc.create_element("div").expect("div").unchecked_into();
    container.set_class_name("ip-root");
    let _ = container.set_attribute("lang", opts.locale.tag());
    // CSSOM, not a style attribute: allowed under `style-src 'self'`.
    let _ = container.style().set_property("--ip-region", &format!("{}", opts.scan_region));
    // The loader's placeholder (shown while the wasm loads) goes away.
    if let Ok(Some(ph)) = shadow.query_selector("[data-interpay-placeholder]") {
        ph.remove();
    }
    let _ = shadow.append_child(&container);
    let label = opts.label.clone().unwrap_or_else(|| opts.locale.t(Msg::ScanToPay).to_string());
    let loc = opts.locale;
    let rt = Rc::new(Rt {
        host,
        shadow,
        decoder: Decoder::new(opts.worker_url.clone()),
        opts,
        camera: RefCell::new(None),
        gen: Cell::new(0),
        cams: RefCell::new(Vec::new()),
        paying: Cell::new(false),
        resume_on_visible: Cell::new(false),
        listeners: RefCell::new(Vec::new()),
        canvas: RefCell::new(None),
        hooks,
    });
    let rt2 = rt.clone();
    let handle = leptos::mount::mount_to(container.clone(), move || {
        let w = W {
            loc,
            rt: StoredValue::new_local(rt2.clone()),
            open: RwSignal::new(false),
            screen: RwSignal::new(Screen::Camera),
            announce: RwSignal::new(String::new()),
            note: RwSignal::new(None),
            last_cam_err: RwSignal::new(None),
            caps: RwSignal::new(CamCaps::default()),
            torch_on: RwSignal::new(false),
            ctx: RwSignal::new(None),
            amount_text: RwSignal::new(String::new()),
            tip_text: RwSignal::new(String::new()),
            touched: RwSignal::new(false),
            wallet: RwSignal::new(None),
            order: RwSignal::new(None),
            paid_label: RwSignal::new(String::new()),
            copied: RwSignal::new(false),
            launch: NodeRef::new(),
            sheet: NodeRef::new(),
            video: NodeRef::new(),
            file: NodeRef::new(),
            title: NodeRef::new(),
        };
        watch_visibility(w, &rt2);
        w.root_view(label)
    });
    Mounted { rt, container, handle: Some(Box::new(handle)) }
}

/// Camera off while the page is in the background (battery, privacy); back on when it returns.
fn watch_visibility(w: W, rt: &Rc<Rt>) {
    let Some(doc) = dom::window().and_then(|x| x.document()) else { return };
    let doc2 = doc.clone();
    let cb = Closure::<dyn FnMut(web_sys::Event)>::new(move |_ev: web_sys::Event| {
        let hidden = get(&doc2, "hidden").as_bool().unwrap_or(false);
        let rt = w.rt();
        if hidden {
            if rt.camera.borrow().is_some() {
                rt.stop_camera();
                rt.resume_on_visible.set(true);
            }
        } else if rt.resume_on_visible.replace(false) && w.open.get_untracked() && w.screen.get_untracked() == Screen::Camera {
            w.start_camera(None);
        }
    });
    let target: web_sys::EventTarget = doc.into();
    let _ = target.add_event_listener_with_callback("visibilitychange", cb.as_ref().unchecked_ref());
    rt.listeners.borrow_mut().push((target, "visibilitychange", cb));
}

// ---------------------------------------------------------------------------------------------
// Icons (inline SVG, no external requests)

fn icon_qr() -> impl IntoView {
    view! {
        <svg class="ip-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M3 3h7v7H3zM5 5v3h3V5zM14 3h7v7h-7zM16 5v3h3V5zM3 14h7v7H3zM5 16v3h3v-3zM14 14h3v3h-3zM18 18h3v3h-3zM18 14h3v2h-3zM14 19h2v2h-2z" />
        </svg>
    }
}

fn icon_close() -> impl IntoView {
    view! {
        <svg class="ip-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z" />
        </svg>
    }
}

fn icon_torch() -> impl IntoView {
    view! {
        <svg class="ip-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M7 2h10v4l-3 4v12h-4V10L7 6zM11 13v3h2v-3z" />
        </svg>
    }
}

fn icon_switch() -> impl IntoView {
    view! {
        <svg class="ip-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M9 4 7.2 6H4a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V8a2 2 0 0 0-2-2h-3.2L15 4zm3 4a5 5 0 0 1 4.9 4H19l-3 3-3-3h1.8A3 3 0 0 0 12 10a3 3 0 0 0-2 .8L8.6 9.4A5 5 0 0 1 12 8zm-4 4 3 3H9.2A3 3 0 0 0 12 17a3 3 0 0 0 2-.8l1.4 1.4A5 5 0 0 1 7.1 15H5z" />
        </svg>
    }
}

fn icon_image() -> impl IntoView {
    view! {
        <svg class="ip-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M4 4h16a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm0 2v9.6l4-4 5 5 3-3 4 4V6zm11 1.5a2 2 0 1 1 0 4 2 2 0 0 1 0-4z" />
        </svg>
    }
}

fn icon_paste() -> impl IntoView {
    view! {
        <svg class="ip-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M9 2h6a1 1 0 0 1 1 1v1h2a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2h2V3a1 1 0 0 1 1-1zm1 2v2h4V4zM6 6v14h12V6h-2v2H8V6z" />
        </svg>
    }
}

fn icon_check() -> impl IntoView {
    view! {
        <svg class="ip-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M9.5 16.2 5.3 12l-1.4 1.4 5.6 5.6L20.1 8.4 18.7 7z" />
        </svg>
    }
}

fn icon_alert() -> impl IntoView {
    view! {
        <svg class="ip-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M12 2 1 21h22zm-1 7h2v6h-2zm0 8h2v2h-2z" />
        </svg>
    }
}

fn icon_info() -> impl IntoView {
    view! {
        <svg class="ip-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20zm-1 8v7h2v-7zm0-3v2h2V7z" />
        </svg>
    }
}

fn icon_clock() -> impl IntoView {
    view! {
        <svg class="ip-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20zm0 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16zm-1 3h2v5.4l3.5 2.1-1 1.7L11 13.6z" />
        </svg>
    }
}

fn icon_camera_off() -> impl IntoView {
    view! {
        <svg class="ip-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M3.3 2 2 3.3 4.7 6H4a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2h14.7l2 2 1.3-1.3zM9 4 7.6 5.6 20 18V8a2 2 0 0 0-2-2h-3.2L13 4zm-1.6 6.7 6 6A5 5 0 0 1 7.3 10.7z" />
        </svg>
    }
}
