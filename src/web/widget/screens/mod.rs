//! One component per screen of the sheet, plus the pieces several screens share.

mod camera;
mod confirm;
mod invalid;
mod not_payment;
mod result;

pub use camera::{CameraErrorScreen, CameraScreen, PictureFallback};
pub use confirm::ConfirmScreen;
pub use invalid::InvalidScreen;
pub use not_payment::NotPaymentScreen;
pub use result::ResultScreen;

use super::icons;
use super::ui::Ui;
use crate::i18n::{warning_msg, Msg};
use crate::payload::Warning;
use leptos::prelude::*;

/// A spinner and what the shopper waits for.
#[component]
pub fn BusyScreen(ui: Ui, message: Msg) -> impl IntoView {
    view! {
        <div class="ip-busy" aria-busy="true">
            <span class="ip-spinner" aria-hidden="true"></span>
            <p class="ip-busy-text">{ui.t(message)}</p>
        </div>
    }
}

/// The payload engine's warnings about a code (lookalike link, expired, currency/country mismatch…):
/// a sentence in the shopper's language for each, the engine's detail beside it.
#[component]
pub fn Warnings(ui: Ui, warnings: Vec<Warning>) -> impl IntoView {
    (!warnings.is_empty()).then(|| {
        view! {
            <div class="ip-warning" data-testid="warnings" role="alert">
                <p class="ip-warning-title">{icons::alert()}<span>{ui.t(Msg::Warning)}</span></p>
                <ul>
                    {warnings
                        .into_iter()
                        .map(|w| {
                            let lead = warning_msg(&w.code).map(|m| ui.t(m));
                            view! {
                                <li data-code=w.code.clone()>
                                    {lead.map(|l| view! { <span class="ip-warning-lead">{l}</span> " " })}
                                    <span class="ip-warning-detail">{w.message}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

/// "Scan again" (primary, or a link under the main action).
#[component]
pub fn ScanAgain(ui: Ui, #[prop(default = "ip-primary")] class: &'static str) -> impl IntoView {
    view! {
        <button type="button" class=class data-testid="scan-again" on:click=move |_| ui.scan_again()>
            {ui.t(Msg::ScanAgain)}
        </button>
    }
}
