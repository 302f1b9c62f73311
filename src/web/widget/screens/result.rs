//! The end of a payment: paid (with the amount and the merchant's order number), cancelled or
//! failed (retry / scan again), pending (check again).

use super::ScanAgain;
use crate::checkout::{result_screen, Phase, ResultScreen as Kind};
use crate::i18n::{notice_text, Msg};
use crate::web::js;
use crate::web::widget::icons;
use crate::web::widget::ui::Ui;
use leptos::prelude::*;

#[component]
pub fn ResultScreen(ui: Ui, phase: Phase) -> impl IntoView {
    let (amount, currency) = phase.paid_amount().unwrap_or_default();
    let Phase::Finished { attempt, order, outcome, notice, .. } = phase else { return ().into_any() };
    let message = notice_text(ui.loc, &notice);
    let confirmed_name = order.as_ref().and_then(|o| o.payee.as_ref()).and_then(|p| p.name.clone()).filter(|n| !n.trim().is_empty());
    let name = attempt.checkout.payee_name().or(confirmed_name).unwrap_or_else(|| ui.t(Msg::UnknownPayee).into());
    // The amount the merchant confirmed (its status answer), not the widget's own sum.
    let paid = ui.money(&amount, &currency, attempt.total.minor_units);
    let order_line = order.map(|o| o.order_id).filter(|id| !id.is_empty()).map(|id| {
        view! { <p class="ip-muted ip-mono" data-testid="order-id">{ui.loc.fmt(Msg::OrderNumber, &[("id", &id)])}</p> }
    });
    let retry_or_scan = move || {
        view! {
            <div class="ip-actions">
                <button type="button" class="ip-primary" data-testid="retry" on:click=move |_| ui.retry()>{ui.t(Msg::Retry)}</button>
                <ScanAgain ui class="ip-secondary" />
            </div>
        }
    };
    match result_screen(&outcome) {
        Kind::Success => view! {
            <div class="ip-result ip-result-ok" data-testid="result-success">
                <div class="ip-badge ip-badge-ok" aria-hidden="true">{icons::check()}</div>
                <p class="ip-result-body">{ui.loc.fmt(Msg::SuccessBody, &[("amount", &paid), ("name", &name)])}</p>
                <p class="ip-muted">{ui.loc.fmt(Msg::PaidAt, &[("date", &js::format_now(ui.loc.tag()))])}</p>
                {order_line}
                <div class="ip-actions">
                    <button type="button" class="ip-primary" data-testid="done" on:click=move |_| ui.close_sheet()>{ui.t(Msg::Done)}</button>
                </div>
            </div>
        }
        .into_any(),
        Kind::Cancelled => view! {
            <div class="ip-result" data-testid="result-cancelled">
                <div class="ip-badge ip-badge-info" aria-hidden="true">{icons::info()}</div>
                <p class="ip-result-body">{message}</p>
                {order_line}
                {retry_or_scan()}
            </div>
        }
        .into_any(),
        Kind::Failed => view! {
            <div class="ip-result" data-testid="result-failed">
                <div class="ip-badge ip-badge-bad" aria-hidden="true">{icons::alert()}</div>
                <p class="ip-error" data-testid="error-message" role="alert">{message}</p>
                {order_line}
                {retry_or_scan()}
            </div>
        }
        .into_any(),
        Kind::Pending => view! {
            <div class="ip-result" data-testid="result-pending">
                <div class="ip-badge ip-badge-warn" aria-hidden="true">{icons::clock()}</div>
                <p class="ip-result-body">{message}</p>
                {order_line}
                <div class="ip-actions">
                    <button type="button" class="ip-primary" data-testid="check-again" on:click=move |_| ui.check_again()>{ui.t(Msg::CheckAgain)}</button>
                    <button type="button" class="ip-secondary" data-testid="done" on:click=move |_| ui.close_sheet()>{ui.t(Msg::Done)}</button>
                </div>
            </div>
        }
        .into_any(),
    }
}
