//! A code that is not a payment: what it holds (never opened), its warnings, copy, scan again.

use super::{ScanAgain, Warnings};
use crate::i18n::Msg;
use crate::payload::NotPayment;
use crate::web::widget::icons;
use crate::web::widget::ui::Ui;
use leptos::prelude::*;

#[component]
pub fn NotPaymentScreen(ui: Ui, code: NotPayment) -> impl IntoView {
    let is_link = code.what == "url" || code.text.contains("://");
    let text = code.text.clone();
    view! {
        <div class="ip-not-payment" data-testid="not-payment" data-kind=code.what.clone()>
            <div class="ip-badge ip-badge-info" aria-hidden="true">{icons::info()}</div>
            <Warnings ui warnings=code.warnings.clone() />
            <p class="ip-label">{ui.t(Msg::NotPaymentBody)}</p>
            <pre class="ip-text" data-testid="scanned-text">{code.text.clone()}</pre>
            {is_link.then(|| view! { <p class="ip-muted">{ui.t(Msg::NotPaymentLink)}</p> })}
            <div class="ip-actions">
                <ScanAgain ui />
                <button type="button" class="ip-secondary" data-testid="copy" on:click=move |_| ui.copy_text(text.clone())>
                    {move || if ui.copied.get() { ui.t(Msg::Copied) } else { ui.t(Msg::Copy) }}
                </button>
            </div>
        </div>
    }
}
