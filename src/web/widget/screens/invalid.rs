//! A payment code that breaks its format's rules: what is wrong in plain words, where, and what to do.

use super::{ScanAgain, TechnicalDetail};
use crate::i18n::{invalid_msg, Msg};
use crate::payload::ParseError;
use crate::web::widget::icons;
use crate::web::widget::ui::Ui;
use leptos::prelude::*;

#[component]
pub fn InvalidScreen(ui: Ui, error: ParseError) -> impl IntoView {
    let detail = ui.loc.fmt(Msg::InvalidWhere, &[("message", &error.message), ("position", &error.position.to_string())]);
    let code = error.code.to_string();
    let tag = error.tag.clone().map(|t| format!("tag {t} · {code}")).unwrap_or_else(|| code.clone());
    view! {
        <div class="ip-invalid" data-testid="invalid-code" data-code=code.clone()>
            <div class="ip-badge ip-badge-bad" aria-hidden="true">{icons::alert()}</div>
            <div class="ip-error" data-testid="error-message" role="alert">
                <p class="ip-error-title">{ui.t(invalid_msg(error.code))}</p>
                <p>{ui.t(Msg::InvalidBody)}</p>
                <p><TechnicalDetail ui text=detail /></p>
                <p class="ip-muted ip-mono">{tag}</p>
            </div>
            <div class="ip-actions">
                <ScanAgain ui />
            </div>
        </div>
    }
}
