//! The camera: open the right back camera, torch, zoom, switch, stop (light off).

use super::js::{self, call, call_async, get, obj, set};
use crate::checkout::{faces_user, preferred_camera, CameraDevice, CameraError};
use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Zoom capability of the track.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Zoom {
    pub min: f64,
    pub max: f64,
    pub step: f64,
    pub value: f64,
}

/// An open camera stream attached to the `<video>`.
pub struct Camera {
    stream: web_sys::MediaStream,
    video: web_sys::HtmlVideoElement,
    pub device_id: String,
    pub torch: bool,
    pub zoom: Option<Zoom>,
    pub mirrored: bool,
}

fn media_devices() -> Option<JsValue> {
    let nav = js::window()?.navigator();
    let md = get(&nav, "mediaDevices");
    (!md.is_undefined() && !md.is_null()).then_some(md)
}

fn secure() -> bool {
    js::window().map(|w| w.is_secure_context()).unwrap_or(false)
}

/// Video inputs (labels are empty until the camera permission is granted).
pub async fn list_cameras() -> Vec<CameraDevice> {
    let Some(md) = media_devices() else { return Vec::new() };
    let Ok(list) = call_async(&md, "enumerateDevices", &[]).await else { return Vec::new() };
    let Ok(arr) = list.dyn_into::<Array>() else { return Vec::new() };
    arr.iter()
        .filter(|d| js::get_str(d, "kind").as_deref() == Some("videoinput"))
        .map(|d| CameraDevice {
            device_id: js::get_str(&d, "deviceId").unwrap_or_default(),
            label: js::get_str(&d, "label").unwrap_or_default(),
        })
        .collect()
}

async fn get_user_media(device_id: Option<&str>) -> Result<web_sys::MediaStream, CameraError> {
    let md = media_devices().ok_or(CameraError::NoCamera)?;
    let video = obj(&[
        ("width", obj(&[("ideal", 1280.into())])),
        ("height", obj(&[("ideal", 720.into())])),
    ]);
    match device_id {
        Some(id) => set(&video, "deviceId", &obj(&[("exact", id.into())])),
        None => set(&video, "facingMode", &obj(&[("ideal", "environment".into())])),
    }
    let constraints = obj(&[("audio", false.into()), ("video", video)]);
    match call_async(&md, "getUserMedia", &[constraints]).await {
        Ok(s) => s.dyn_into::<web_sys::MediaStream>().map_err(|_| CameraError::Other),
        Err(e) => Err(CameraError::from_dom_name(&js::error_name(&e).unwrap_or_default())),
    }
}

/// The stream the launcher opened at an early tap (a `getUserMedia` promise), as `get_user_media(None)` gives
/// it: the same constraints, the same errors. A stream whose track has ended meanwhile is asked for again.
async fn early_stream(early: js_sys::Promise) -> Result<web_sys::MediaStream, CameraError> {
    match wasm_bindgen_futures::JsFuture::from(early).await {
        Ok(s) => match s.dyn_into::<web_sys::MediaStream>() {
            Ok(s) if video_track(&s).is_some_and(|t| js::get_str(&t, "readyState").as_deref() == Some("live")) => Ok(s),
            Ok(s) => {
                stop_stream(&s);
                get_user_media(None).await
            }
            Err(_) => get_user_media(None).await,
        },
        Err(e) => Err(CameraError::from_dom_name(&js::error_name(&e).unwrap_or_default())),
    }
}

/// An early stream that is not going to be used: its camera light goes off once it has opened.
pub fn stop_promised(early: js_sys::Promise) {
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(s) = wasm_bindgen_futures::JsFuture::from(early).await {
            if let Ok(s) = s.dyn_into::<web_sys::MediaStream>() {
                stop_stream(&s);
            }
        }
    });
}

fn stop_stream(stream: &web_sys::MediaStream) {
    for t in stream.get_tracks().iter() {
        if let Ok(t) = t.dyn_into::<web_sys::MediaStreamTrack>() {
            t.stop();
        }
    }
}

fn video_track(stream: &web_sys::MediaStream) -> Option<web_sys::MediaStreamTrack> {
    stream.get_video_tracks().get(0).dyn_into::<web_sys::MediaStreamTrack>().ok()
}

/// Open a camera into `video`. `device_id: None` = the back camera (`facingMode: environment`),
/// then, once labels are readable, move off an ultra-wide / telephoto lens if the phone has a
/// plain back camera. `early`: the launcher's stream for that back camera (a tap before the UI module), used
/// instead of asking again.
pub async fn open(video: &web_sys::HtmlVideoElement, device_id: Option<String>, early: Option<js_sys::Promise>) -> Result<Camera, CameraError> {
    if !secure() || media_devices().is_none() {
        if let Some(p) = early {
            stop_promised(p);
        }
        return Err(if secure() { CameraError::NoCamera } else { CameraError::Insecure });
    }
    let mut stream = match (early, device_id.as_deref()) {
        (Some(p), None) => early_stream(p).await?,
        (Some(p), Some(id)) => {
            stop_promised(p);
            get_user_media(Some(id)).await?
        }
        (None, id) => get_user_media(id).await?,
    };
    if device_id.is_none() {
        let cams = list_cameras().await;
        let current = video_track(&stream).map(|t| settings_device_id(&t)).unwrap_or_default();
        if let Some(best) = preferred_camera(&cams) {
            if !best.is_empty() && best != current {
                let best = best.to_string();
                stop_stream(&stream);
                stream = match get_user_media(Some(&best)).await {
                    Ok(s) => s,
                    Err(_) => get_user_media(None).await?,
                };
            }
        }
    }
    let track = video_track(&stream).ok_or(CameraError::NoCamera)?;
    // iOS Safari: inline, muted, autoplaying video (also set as attributes in the view).
    video.set_muted(true);
    let _ = video.set_attribute("playsinline", "");
    video.set_src_object(Some(&stream));
    if let Ok(p) = video.play() {
        let _ = wasm_bindgen_futures::JsFuture::from(p).await;
    }
    let label = track.label();
    let caps = call(&track, "getCapabilities", &[]).unwrap_or(JsValue::UNDEFINED);
    let torch = get(&caps, "torch").as_bool().unwrap_or(false);
    let zoom_caps = get(&caps, "zoom");
    let zoom = match (get(&zoom_caps, "min").as_f64(), get(&zoom_caps, "max").as_f64()) {
        (Some(min), Some(max)) if max > min => {
            let settings = call(&track, "getSettings", &[]).unwrap_or(JsValue::UNDEFINED);
            Some(Zoom {
                min,
                max,
                step: get(&zoom_caps, "step").as_f64().filter(|s| *s > 0.0).unwrap_or(0.1),
                value: get(&settings, "zoom").as_f64().unwrap_or(min),
            })
        }
        _ => None,
    };
    let settings = call(&track, "getSettings", &[]).unwrap_or(JsValue::UNDEFINED);
    let facing = js::get_str(&settings, "facingMode").unwrap_or_default();
    let mirrored = facing == "user" || (facing.is_empty() && faces_user(&label));
    Ok(Camera { device_id: settings_device_id(&track), stream, video: video.clone(), torch, zoom, mirrored })
}

fn settings_device_id(track: &web_sys::MediaStreamTrack) -> String {
    let settings = call(track, "getSettings", &[]).unwrap_or(JsValue::UNDEFINED);
    js::get_str(&settings, "deviceId").unwrap_or_default()
}

impl Camera {
    /// Stop every track (the camera light goes off) and detach the video.
    pub fn stop(&self) {
        stop_stream(&self.stream);
        self.video.set_src_object(None);
    }

    fn track(&self) -> Option<web_sys::MediaStreamTrack> {
        video_track(&self.stream)
    }

    /// `applyConstraints({advanced: [{torch}]})`; the future owns what it needs (no borrow of `self`).
    pub fn set_torch(&self, on: bool) -> impl std::future::Future<Output = bool> + 'static {
        let track = self.track().filter(|_| self.torch);
        apply(track, "torch", on.into())
    }

    pub fn set_zoom(&self, value: f64) -> impl std::future::Future<Output = bool> + 'static {
        let v = self.zoom.map(|z| value.clamp(z.min, z.max));
        apply(self.track().filter(|_| v.is_some()), "zoom", v.unwrap_or(value).into())
    }

    /// Whether frames are flowing.
    pub fn ready(&self) -> bool {
        self.video.ready_state() >= 2 && self.video.video_width() > 0 && self.video.video_height() > 0
    }
}

async fn apply(track: Option<web_sys::MediaStreamTrack>, key: &'static str, value: JsValue) -> bool {
    let Some(t) = track else { return false };
    let c = obj(&[(key, value)]);
    let advanced = Array::of1(&c);
    call_async(&t, "applyConstraints", &[obj(&[("advanced", advanced.into())])]).await.is_ok()
}
