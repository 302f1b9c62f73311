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
use crate::i18n::{warning_msg, Locale, Msg};
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
                            view! {
                                <li data-code=w.code.as_str()>
                                    <span class="ip-warning-lead">{ui.t(warning_msg(w.code))}</span>
                                    " "
                                    <TechnicalDetail ui text=w.message class="ip-warning-detail" />
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

/// The payload engine's own (English) words about a code: beside the shopper's sentence in English,
/// folded under "Technical details" in the other languages.
#[component]
pub fn TechnicalDetail(ui: Ui, text: String, #[prop(default = "ip-muted")] class: &'static str) -> impl IntoView {
    if ui.loc == Locale::En {
        view! { <span class=class>{text}</span> }.into_any()
    } else {
        view! {
            <details class=format!("ip-tech {class}")>
                <summary>{ui.t(Msg::TechnicalDetails)}</summary>
                <span lang="en">{text}</span>
            </details>
        }
        .into_any()
    }
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
