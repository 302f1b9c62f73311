//! The root of the widget: the launch button, the live region, and the modal bottom sheet (title,
//! close button, focus trap, Escape) around the current screen.

use super::icons;
use super::screens::{BusyScreen, CameraErrorScreen, CameraScreen, ConfirmScreen, InvalidScreen, NotPaymentScreen, PictureFallback, ResultScreen};
use super::ui::{Screen, Ui};
use crate::checkout::{result_screen, Phase};
use crate::i18n::{result_title, Msg};
use crate::web::js::get;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The whole widget: launch button, live region, and the sheet around the current screen.
#[component]
pub fn Widget(ui: Ui) -> impl IntoView {
    let label = ui.runtime().settings.label.clone().unwrap_or_else(|| ui.t(Msg::ScanToPay).to_string());
    view! {
        <button
            type="button"
            class="ip-launch"
            part="launch"
            data-testid="scan-button"
            aria-haspopup="dialog"
            aria-expanded=move || ui.open.get().to_string()
            node_ref=ui.nodes.launch
            on:click=move |_| ui.open_sheet()
        >
            {icons::qr()}
            <span>{label}</span>
        </button>
        <div class="ip-sr" role="status" aria-live="polite" aria-atomic="true" data-testid="live">{move || ui.announce.get()}</div>
        <div
            class="ip-overlay"
            hidden=move || !ui.open.get()
            on:click=move |ev| {
                if ev.target().map(JsValue::from) == ev.current_target().map(JsValue::from) {
                    ui.backdrop()
                }
            }
        >
            <div
                class="ip-sheet"
                part="sheet"
                role="dialog"
                aria-modal="true"
                aria-labelledby="ip-title"
                node_ref=ui.nodes.sheet
                on:keydown=move |ev| on_keydown(ui, ev)
                on:paste=move |ev: web_sys::ClipboardEvent| ui.on_paste(ev.into())
            >
                <div class="ip-grabber" aria-hidden="true"></div>
                <header class="ip-head">
                    <h2 id="ip-title" class="ip-title" tabindex="-1" node_ref=ui.nodes.title>{move || ui.t(title(ui))}</h2>
                    <button type="button" class="ip-icon-btn" data-testid="close" aria-label=ui.t(Msg::Close) on:click=move |_| ui.close_sheet()>
                        {icons::close()}
                    </button>
                </header>
                <div class="ip-body">
                    // The camera view stays in the DOM (the <video> keeps its stream); it is hidden off the camera screen.
                    <CameraScreen ui />
                    {move || screen(ui)}
                    <PictureFallback ui />
                </div>
            </div>
        </div>
    }
}

/// The current screen, built once per visit.
fn screen(ui: Ui) -> AnyView {
    let phase = ui.phase.get_untracked();
    match (ui.screen.get(), phase) {
        (Screen::Camera, _) => ().into_any(),
        (Screen::CameraError, Phase::CameraFailed(e)) => view! { <CameraErrorScreen ui error=e /> }.into_any(),
        (Screen::Busy(m), _) => view! { <BusyScreen ui message=m /> }.into_any(),
        (Screen::NotPayment, Phase::NotPayment(np)) => view! { <NotPaymentScreen ui code=np /> }.into_any(),
        (Screen::Invalid, Phase::Invalid { error, .. }) => view! { <InvalidScreen ui error /> }.into_any(),
        (Screen::Confirm, Phase::Confirming(checkout)) => view! { <ConfirmScreen ui checkout /> }.into_any(),
        (Screen::Result, p @ Phase::Finished { .. }) => view! { <ResultScreen ui phase=p /> }.into_any(),
        _ => ().into_any(),
    }
}

fn title(ui: Ui) -> Msg {
    match ui.screen.get() {
        Screen::Camera | Screen::CameraError | Screen::Busy(Msg::ReadingImage) => Msg::DialogTitle,
        Screen::Busy(_) | Screen::Confirm => Msg::ConfirmTitle,
        Screen::NotPayment => Msg::NotPaymentTitle,
        Screen::Invalid => Msg::InvalidTitle,
        Screen::Result => ui.phase.with_untracked(|p| match p {
            Phase::Finished { outcome, .. } => result_title(result_screen(outcome)),
            _ => Msg::DialogTitle,
        }),
    }
}

fn on_keydown(ui: Ui, ev: web_sys::KeyboardEvent) {
    match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            ev.stop_propagation();
            ui.close_sheet();
        }
        "Tab" => trap_tab(ui, &ev),
        _ => {}
    }
}

/// Keep Tab / Shift+Tab inside the dialog.
fn trap_tab(ui: Ui, ev: &web_sys::KeyboardEvent) {
    let Some(sheet) = ui.nodes.sheet.get_untracked() else { return };
    let Ok(list) = sheet.query_selector_all("button, input, select, textarea, a[href], [tabindex]:not([tabindex=\"-1\"])") else {
        return;
    };
    let items: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
        .filter(|el| !get(el, "disabled").as_bool().unwrap_or(false) && el.get_client_rects().length() > 0 && el.tab_index() >= 0)
        .collect();
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        ev.prevent_default();
        return;
    };
    let active: Option<JsValue> = ui.runtime().shadow.active_element().map(JsValue::from);
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
