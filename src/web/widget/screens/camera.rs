//! The camera screen (preview, scan frame, torch / zoom / switch), the picture and clipboard
//! fallback under it, and the screen for a camera that could not start.

use crate::checkout::CameraError;
use crate::i18n::{camera_error_msgs, Msg};
use crate::web::widget::icons;
use crate::web::widget::ui::{Screen, Ui};
use leptos::prelude::*;

#[component]
pub fn CameraScreen(ui: Ui) -> impl IntoView {
    let starting = move || ui.phase.with(|p| matches!(p, crate::checkout::Phase::Scanning { starting: true }));
    view! {
        <section class="ip-camera" data-testid="camera-view" hidden=move || ui.screen.get() != Screen::Camera>
            <div class="ip-viewport">
                <video
                    node_ref=ui.nodes.video
                    class="ip-video"
                    class=("ip-mirror", move || ui.caps.with(|c| c.mirrored))
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
                <p class="ip-hint" data-testid="scan-hint" data-hint=move || ui.hint.get().map(|h| serde_json::to_value(h).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()).unwrap_or_default()>
                    {move || match (starting(), ui.hint.get()) {
                        (true, _) => ui.t(Msg::StartingCamera),
                        (false, Some(h)) => ui.t(crate::web::widget::camera::hint_msg(h, ui.caps.get().torch)),
                        (false, None) => ui.t(Msg::PointCamera),
                    }}
                </p>
            </div>
            <CameraControls ui />
        </section>
    }
}

/// Torch, zoom and camera switch, where the camera has them.
#[component]
fn CameraControls(ui: Ui) -> impl IntoView {
    let zoom = move || {
        ui.caps.with(|c| c.zoom).map(|z| {
            view! {
                <label class="ip-zoom">
                    <span class="ip-sr">{ui.t(Msg::Zoom)}</span>
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
                                ui.set_zoom(v)
                            }
                        }
                    />
                    <span aria-hidden="true">"+"</span>
                </label>
            }
        })
    };
    view! {
        <div class="ip-cam-controls">
            <Show when=move || ui.caps.with(|c| c.torch)>
                <button
                    type="button"
                    class="ip-round"
                    class=("ip-on", move || ui.torch_on.get())
                    data-testid="torch"
                    aria-pressed=move || ui.torch_on.get().to_string()
                    aria-label=move || if ui.torch_on.get() { ui.t(Msg::TorchOff) } else { ui.t(Msg::TorchOn) }
                    on:click=move |_| ui.toggle_torch()
                >
                    {icons::torch()}
                </button>
            </Show>
            {zoom}
            <Show when=move || ui.caps.with(|c| c.can_switch)>
                <button type="button" class="ip-round" data-testid="switch-camera" aria-label=ui.t(Msg::SwitchCamera) on:click=move |_| ui.switch_camera()>
                    {icons::switch()}
                </button>
            </Show>
        </div>
    }
}

/// "Scan a picture" / "Paste an image", under the camera or its error.
#[component]
pub fn PictureFallback(ui: Ui) -> impl IntoView {
    let shown = move || matches!(ui.screen.get(), Screen::Camera | Screen::CameraError);
    view! {
        <div class="ip-fallback" hidden=move || !shown()>
            {move || ui.note.get().map(|m| view! { <p class="ip-note" data-testid="notice" role="alert">{ui.t(m)}</p> })}
            <p class="ip-or">{ui.t(Msg::OtherWays)}</p>
            <div class="ip-row">
                <button type="button" class="ip-secondary" data-testid="scan-picture" on:click=move |_| ui.pick_file()>
                    {icons::image()}
                    <span>{ui.t(Msg::FromGallery)}</span>
                </button>
                <button type="button" class="ip-secondary" data-testid="paste-image" on:click=move |_| ui.paste()>
                    {icons::paste()}
                    <span>{ui.t(Msg::PasteImage)}</span>
                </button>
            </div>
            <input
                type="file"
                accept="image/*"
                class="ip-file"
                data-testid="file-input"
                tabindex="-1"
                aria-hidden="true"
                node_ref=ui.nodes.file
                on:change=move |_| ui.on_file()
            />
        </div>
    }
}

#[component]
pub fn CameraErrorScreen(ui: Ui, error: CameraError) -> impl IntoView {
    let (title, body) = camera_error_msgs(error);
    // Nothing to retry without a camera or on an insecure page.
    let retry = !matches!(error, CameraError::Insecure | CameraError::NoCamera);
    view! {
        <div class="ip-cam-error" data-testid="camera-error" data-code=error.code()>
            <div class="ip-badge ip-badge-warn" aria-hidden="true">{icons::camera_off()}</div>
            <div class="ip-error" data-testid="error-message" role="alert">
                <p class="ip-error-title">{ui.t(title)}</p>
                <p>{ui.t(body)}</p>
            </div>
            {retry.then(|| view! {
                <button type="button" class="ip-primary" data-testid="retry-camera" on:click=move |_| ui.start_camera(None)>
                    {ui.t(Msg::TryCameraAgain)}
                </button>
            })}
        </div>
    }
}
