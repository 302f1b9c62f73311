//! The camera side of the widget: start / switch / torch / zoom, the scan loop (one frame in flight),
//! pictures from the gallery or the clipboard, and the camera off while the page is hidden.

use super::ui::{CameraCaps, Ui};
use super::Runtime;
use crate::checkout::{scan_square, Event, Phase, WidgetError, WidgetEvent};
use crate::decode::guidance::Guidance;
use crate::i18n::Msg;
use crate::payload::{Code, ParseError};
use crate::web::bridges;
use crate::web::camera;
use crate::web::js::{self, get, obj};
use crate::web::scanner::ScanError;
use crate::web::ScanCode;
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;

/// Frames in a row with the same advice before it is shown (about half a second of camera).
const HINT_FRAMES: u32 = 6;

/// The message for a hint; a dark frame asks for the torch when the camera has one.
pub fn hint_msg(h: Guidance, torch: bool) -> Msg {
    match h {
        Guidance::TooSmall => Msg::HintMoveCloser,
        Guidance::TooBlurred => Msg::HintHoldStill,
        Guidance::TooDark if torch => Msg::HintMoreLightTorch,
        Guidance::TooDark => Msg::HintMoreLight,
        Guidance::CheckUnavailable => Msg::HintCheckUnavailable,
    }
}

/// Largest side of a frame sent to the decoder (the scan square is downscaled to it).
const MAX_FRAME_SIDE: u32 = 720;
/// Largest side a gallery / clipboard picture is decoded at (first try, then a bigger one).
const PICTURE_SIDES: [f64; 2] = [1600.0, 2800.0];

type Canvas = (web_sys::HtmlCanvasElement, web_sys::CanvasRenderingContext2d);

impl Ui {
    /// Scan (again): the camera screen, and the camera (`device`, or the preferred back camera).
    pub fn start_camera(self, device: Option<String>) {
        if self.dispatch(Event::StartCamera) {
            self.open_camera(device);
        }
    }

    fn open_camera(self, device: Option<String>) {
        let runtime = self.runtime();
        runtime.stop_camera();
        // The reader module downloads and compiles in the worker while the camera starts.
        runtime.decoder.warm_up();
        let session = runtime.camera_session.get();
        self.torch_on.set(false);
        self.caps.set(CameraCaps::default());
        self.hint.set(None);
        self.hint_run.set((None, 0));
        // A tap before this module arrived: the launcher has opened the back camera already.
        let early = if device.is_none() { runtime.take_early_camera() } else { None };
        spawn_local(async move {
            js::next_frame().await;
            let runtime = self.runtime();
            let Some(video) = self.nodes.video.get_untracked() else {
                if let Some(p) = early {
                    camera::stop_promised(p);
                }
                return;
            };
            let video: web_sys::HtmlVideoElement = video;
            let result = camera::open(&video, device, early).await;
            let current = runtime.camera_session.get() == session && self.open.get_untracked();
            match result {
                Ok(cam) if current && self.dispatch(Event::CameraLive) => {
                    // Scanning starts with the first frame; the list of cameras (for the switch
                    // button) comes after. A camera stopped meanwhile is stopped through `runtime`.
                    let caps = CameraCaps { torch: cam.torch, zoom: cam.zoom, can_switch: false, mirrored: cam.mirrored };
                    self.caps.set(caps);
                    *runtime.camera.borrow_mut() = Some(cam);
                    spawn_local(self.scan_loop(session));
                    let cams = camera::list_cameras().await;
                    if runtime.camera_session.get() != session {
                        return;
                    }
                    self.caps.set(CameraCaps { can_switch: cams.len() > 1, ..caps });
                    *runtime.cameras.borrow_mut() = cams;
                }
                // Too late: the shopper closed the sheet or moved on.
                Ok(cam) => cam.stop(),
                Err(e) if current => {
                    self.dispatch(Event::CameraFailed(e));
                }
                Err(_) => {}
            }
        });
    }

    pub fn switch_camera(self) {
        let runtime = self.runtime();
        let cams = runtime.cameras.borrow().clone();
        if cams.len() < 2 {
            return;
        }
        let current = runtime.camera.borrow().as_ref().map(|c| c.device_id.clone()).unwrap_or_default();
        let idx = cams.iter().position(|c| c.device_id == current).map(|i| (i + 1) % cams.len()).unwrap_or(0);
        let next = cams.get(idx).map(|c| c.device_id.clone()).filter(|id| !id.is_empty());
        self.start_camera(next);
    }

    pub fn toggle_torch(self) {
        let on = !self.torch_on.get_untracked();
        let fut = self.runtime().camera.borrow().as_ref().map(|c| c.set_torch(on));
        if let Some(fut) = fut {
            spawn_local(async move {
                if fut.await && self.runtime().camera.borrow().is_some() {
                    self.torch_on.set(on);
                }
            });
        }
    }

    pub fn set_zoom(self, value: f64) {
        let fut = self.runtime().camera.borrow().as_ref().map(|c| c.set_zoom(value));
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
    async fn scan_loop(self, session: u32) {
        let runtime = self.runtime();
        // The camera is live with a frame on screen: the first one is read at once, not one frame later.
        let mut first = true;
        loop {
            if !std::mem::take(&mut first) {
                match self.nodes.video.get_untracked() {
                    Some(v) => js::next_video_frame(&v).await,
                    None => js::next_frame().await,
                }
            }
            if runtime.camera_session.get() != session {
                return;
            }
            let Some((frame, side)) = self.grab_frame(&runtime) else { continue };
            match runtime.decoder.decode(frame, side, side).await {
                Ok(read) if !read.codes.is_empty() => {
                    if runtime.camera_session.get() == session {
                        self.hint.set(None);
                        self.on_codes(read.codes);
                    }
                    return;
                }
                Ok(read) => {
                    if runtime.camera_session.get() == session {
                        self.show_hint(read.hint);
                    }
                }
                Err(ScanError::Busy) => {}
                Err(ScanError::Crashed(why)) => {
                    web_sys::console::warn_1(&format!("interpay: decoder restarted ({why})").into());
                    runtime.emit(WidgetEvent::Error(WidgetError {
                        code: crate::checkout::events::ErrorCode::DecoderCrash,
                        message: why,
                        recovered: true,
                        restarts: Some(runtime.decoder.restarts()),
                    }));
                    // Give a crash loop some air.
                    js::sleep(200).await;
                }
            }
        }
    }

    fn grab_frame(self, runtime: &Runtime) -> Option<(js_sys::ArrayBuffer, u32)> {
        let cam = runtime.camera.borrow();
        if !cam.as_ref()?.ready() {
            return None;
        }
        let video: web_sys::HtmlVideoElement = self.nodes.video.get_untracked()?;
        let (x, y, side) = scan_square(video.video_width(), video.video_height(), runtime.settings.scan_region);
        let out = side.clamp(1, MAX_FRAME_SIDE);
        let (canvas, ctx) = reused_canvas(&runtime.canvas)?;
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

    /// The decoder's advice for a frame that did not read. It changes only after the same advice on
    /// [`HINT_FRAMES`] frames in a row (no flicker, and one announcement), and goes after as many without.
    fn show_hint(self, hint: Option<Guidance>) {
        let (last, n) = self.hint_run.get_untracked();
        let n = if last == hint { n.saturating_add(1) } else { 1 };
        self.hint_run.set((hint, n));
        if n == HINT_FRAMES && self.hint.get_untracked() != hint {
            self.hint.set(hint);
            if let Some(h) = hint {
                self.announce.set(self.t(hint_msg(h, self.caps.get_untracked().torch)).to_string());
            }
        }
    }

    /// Several codes in view: the first payment code wins, then an invalid payment code.
    fn on_codes(self, codes: Vec<ScanCode>) {
        // The reader (in the worker) has parsed each text already.
        let parsed: Vec<(String, Result<Code, ParseError>)> = codes.into_iter().filter_map(ScanCode::into_parsed).collect();
        let pick = parsed
            .iter()
            .position(|(_, r)| matches!(r, Ok(Code::Payment(_))))
            .or_else(|| parsed.iter().position(|(_, r)| r.is_err()))
            .unwrap_or(0);
        let Some((text, code)) = parsed.into_iter().nth(pick) else { return };
        if let Some(w) = js::window() {
            let _ = js::call(&w.navigator(), "vibrate", &[40.into()]);
        }
        self.note.set(None);
        if self.dispatch(Event::Scanned { text, code, env: bridges::detect_environment() }) {
            self.resolve_payee();
        }
    }

    // -- pictures ------------------------------------------------------------------------------

    pub fn pick_file(self) {
        if let Some(input) = self.nodes.file.get_untracked() {
            let input: web_sys::HtmlInputElement = input;
            input.set_value("");
            input.click();
        }
    }

    pub fn on_file(self) {
        let Some(input) = self.nodes.file.get_untracked() else { return };
        let input: web_sys::HtmlInputElement = input;
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            self.decode_blob(file.into());
        }
    }

    /// The "Paste an image" button: the async clipboard API.
    pub fn paste(self) {
        spawn_local(async move {
            let Some(w) = js::window() else { return };
            let clip = get(&w.navigator(), "clipboard");
            let Ok(items) = js::call_async(&clip, "read", &[]).await else {
                return self.notify(Msg::ClipboardUnavailable);
            };
            let items: js_sys::Array = items.dyn_into().unwrap_or_default();
            for item in items.iter() {
                let types: js_sys::Array = get(&item, "types").dyn_into().unwrap_or_default();
                for ty in types.iter() {
                    if ty.as_string().is_some_and(|t| t.starts_with("image/")) {
                        if let Ok(blob) = js::call_async(&item, "getType", std::slice::from_ref(&ty)).await {
                            return self.decode_blob(blob);
                        }
                    }
                }
            }
            self.notify(Msg::NoImageInClipboard);
        });
    }

    /// Ctrl+V / ⌘V in the sheet.
    pub fn on_paste(self, ev: web_sys::Event) {
        let files = get(&get(&ev, "clipboardData"), "files");
        let n = get(&files, "length").as_f64().unwrap_or(0.0) as u32;
        for i in 0..n {
            let f = js::call(&files, "item", &[i.into()]).unwrap_or(JsValue::NULL);
            if js::get_str(&f, "type").is_some_and(|t| t.starts_with("image/")) {
                ev.prevent_default();
                return self.decode_blob(f);
            }
        }
    }

    /// Decode a picture (file or clipboard) with the same worker as the camera.
    fn decode_blob(self, blob: JsValue) {
        self.note.set(None);
        if !self.dispatch(Event::PictureChosen) {
            return;
        }
        spawn_local(async move {
            let read = decode_picture(&self.runtime(), &blob).await;
            if !self.open.get_untracked() {
                return;
            }
            match read {
                Ok((codes, _)) if !codes.is_empty() => self.on_codes(codes),
                other => {
                    self.notify(match other {
                        Err(_) => Msg::ImageUnreadable,
                        Ok((_, Some(Guidance::CheckUnavailable))) => Msg::HintCheckUnavailable,
                        Ok(_) => Msg::NoCodeInImage,
                    });
                    self.dispatch(Event::PictureWithoutCode);
                    if self.phase.with_untracked(|p| matches!(p, Phase::Scanning { starting: true })) {
                        self.open_camera(None);
                    }
                }
            }
        });
    }
}

fn reused_canvas(slot: &RefCell<Option<Canvas>>) -> Option<Canvas> {
    if let Some(c) = slot.borrow().as_ref() {
        return Some(c.clone());
    }
    let c = new_canvas()?;
    *slot.borrow_mut() = Some(c.clone());
    Some(c)
}

fn new_canvas() -> Option<Canvas> {
    let doc = js::window()?.document()?;
    let canvas: web_sys::HtmlCanvasElement = doc.create_element("canvas").ok()?.dyn_into().ok()?;
    let opts = obj(&[("willReadFrequently", true.into()), ("alpha", false.into())]);
    let ctx = canvas.get_context_with_context_options("2d", &opts).ok()??.dyn_into().ok()?;
    Some((canvas, ctx))
}

/// Picture → RGBA at a bounded size → decoder worker (a second, larger try if the first finds nothing):
/// the codes, and the reader's hint when there are none.
async fn decode_picture(runtime: &Runtime, blob: &JsValue) -> Result<(Vec<ScanCode>, Option<Guidance>), String> {
    let w = js::window().ok_or("no window")?;
    let bitmap = if get(&w, "createImageBitmap").is_function() {
        js::call_async(&w, "createImageBitmap", std::slice::from_ref(blob)).await.map_err(|e| js::error_message(&e))?
    } else {
        // Older Safari: an <img> from a blob: URL (allowed by `img-src blob:`).
        let doc = w.document().ok_or("no document")?;
        let img: JsValue = doc.create_element("img").map_err(|e| js::error_message(&e))?.into();
        let url = web_sys::Url::create_object_url_with_blob(blob.unchecked_ref()).map_err(|e| js::error_message(&e))?;
        js::set(&img, "src", &url.as_str().into());
        let loaded = js::call_async(&img, "decode", &[]).await;
        let _ = web_sys::Url::revoke_object_url(&url);
        loaded.map_err(|e| js::error_message(&e))?;
        img
    };
    let dim = |k: &str, fallback: &str| get(&bitmap, k).as_f64().filter(|v| *v > 0.0).or_else(|| get(&bitmap, fallback).as_f64()).unwrap_or(0.0);
    let (bw, bh) = (dim("naturalWidth", "width"), dim("naturalHeight", "height"));
    if bw < 1.0 || bh < 1.0 {
        return Err("empty image".into());
    }
    let (canvas, ctx) = new_canvas().ok_or("no canvas")?;
    let pixels = |dw: u32, dh: u32| -> Result<js_sys::ArrayBuffer, String> {
        let img = ctx.get_image_data(0.0, 0.0, dw as f64, dh as f64).map_err(|e| js::error_message(&e))?;
        let data: js_sys::Uint8ClampedArray = get(&img, "data").dyn_into().map_err(|_| "no pixels".to_string())?;
        Ok(data.buffer())
    };
    let mut found = Vec::new();
    let mut hint = None;
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
        js::call(&ctx, "drawImage", &[bitmap.clone(), 0.into(), 0.into(), dw.into(), dh.into()]).map_err(|e| js::error_message(&e))?;
        // The camera loop may still have its last frame in flight.
        let mut waited = 0;
        while runtime.decoder.busy() && waited < 100 {
            js::sleep(50).await;
            waited += 1;
        }
        let mut decoded = runtime.decoder.decode(pixels(dw, dh)?, dw, dh).await;
        if let Err(ScanError::Crashed(_)) = decoded {
            // Recreated; one more go at this size is cheap and usually enough.
            decoded = runtime.decoder.decode(pixels(dw, dh)?, dw, dh).await;
        }
        if let Ok(read) = decoded {
            hint = read.hint;
            if !read.codes.is_empty() {
                found = read.codes;
                break;
            }
            if hint == Some(Guidance::CheckUnavailable) {
                break; // a code is there; a bigger picture would not download its checks
            }
        }
    }
    let _ = js::call(&bitmap, "close", &[]);
    Ok((found, hint))
}

/// Camera off while the page is in the background (battery, privacy); back on when it returns.
pub(super) fn watch_visibility(ui: Ui, runtime: &Rc<Runtime>) {
    let Some(doc) = js::window().and_then(|x| x.document()) else { return };
    let target: web_sys::EventTarget = doc.clone().into();
    let cb = Closure::<dyn FnMut(web_sys::Event)>::new(move |_ev: web_sys::Event| {
        let hidden = get(&doc, "hidden").as_bool().unwrap_or(false);
        let runtime = ui.runtime();
        if hidden {
            if runtime.camera.borrow().is_some() {
                runtime.stop_camera();
                runtime.resume_on_visible.set(true);
            }
        } else if runtime.resume_on_visible.replace(false) && ui.open.get_untracked() && ui.phase.with_untracked(Phase::wants_camera) {
            ui.start_camera(None);
        }
    });
    let _ = target.add_event_listener_with_callback("visibilitychange", cb.as_ref().unchecked_ref());
    runtime.listeners.borrow_mut().push((target, "visibilitychange", cb));
}

