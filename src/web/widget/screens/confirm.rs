//! The confirmation sheet: who gets paid, how much (typed for static codes, with the code's tip or
//! convenience fee), the code's warnings, which wallet pays, and the explicit Pay button.

use super::{ScanAgain, Warnings};
use crate::checkout::{amount_string, checkout_total, needs_typed_amount, Checkout, Total, TotalError};
use crate::i18n::{amount_error_text, reason_msg, wallet_msg, Msg};
use crate::payload::TipRule;
use crate::wallet::{Reason, WalletChoice};
use crate::web::js;
use crate::web::widget::ui::Ui;
use leptos::prelude::*;
use rust_decimal::Decimal;
use std::sync::Arc;

/// How the sheet formats the code's money: the currency, its decimals and the locale.
#[derive(Clone)]
struct Money {
    ui: Ui,
    currency: String,
    minor_units: u8,
}

impl Money {
    fn of(&self, v: Decimal) -> String {
        self.ui.money(&amount_string(v, self.minor_units), &self.currency, self.minor_units)
    }

    fn placeholder(&self) -> String {
        if self.minor_units == 0 { "0".into() } else { format!("0.{}", "0".repeat(self.minor_units as usize)) }
    }

    fn inputmode(&self) -> &'static str {
        if self.minor_units == 0 { "numeric" } else { "decimal" }
    }
}

#[component]
pub fn ConfirmScreen(ui: Ui, checkout: Arc<Checkout>) -> impl IntoView {
    let p = &checkout.payment;
    let currency = p.currency.as_ref();
    let money = Money { ui, currency: currency.map(|c| c.code.clone()).unwrap_or_default(), minor_units: currency.map(|c| c.minor_units).unwrap_or(2) };
    let total = {
        let payment = p.clone();
        Memo::new(move |_| checkout_total(&payment, &ui.form.amount.get(), &ui.form.tip.get()))
    };
    // The payee's name can arrive after the sheet (the merchant's server names a code that names nobody).
    let name = Signal::derive(move || {
        ui.phase.with(|p| p.checkout().and_then(|c| c.payee_name())).unwrap_or_else(|| ui.t(Msg::UnknownPayee).to_string())
    });
    let has_order_url = ui.runtime().order_url().is_some();
    let code_problem = match total.get_untracked() {
        Err(TotalError::NoCurrency) => Some(Msg::NoCurrency),
        Err(TotalError::BadCodeAmount) => Some(Msg::BadCodeAmount),
        _ => None,
    };
    let schemes = p.schemes.iter().map(|s| s.name.clone()).collect::<Vec<_>>().join(" · ");
    let refs: Vec<String> = [&p.references.bill_number, &p.references.reference, &p.references.purpose]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .cloned()
        .collect();
    view! {
        <div class="ip-confirm" data-testid="confirm-sheet">
            <Payee ui checkout=checkout.clone() name />
            <Warnings ui warnings=p.warnings.clone() />
            <AmountBox ui checkout=checkout.clone() total money=money.clone() />
            <p class="ip-schemes" data-testid="scheme">
                <span class="ip-label">{ui.t(Msg::AcceptedBy)}</span>
                " "
                <span>{schemes}</span>
            </p>
            {(!refs.is_empty()).then(|| view! {
                <p class="ip-muted" data-testid="reference">{format!("{}: {}", ui.t(Msg::Reference), refs.join(" · "))}</p>
            })}
            {code_problem.map(|m| view! { <p class="ip-error" data-testid="error-message" role="alert">{ui.t(m)}</p> })}
            {(!has_order_url).then(|| view! { <p class="ip-error" data-testid="error-message" role="alert">{ui.t(Msg::NoOrderUrl)}</p> })}
            <WalletPicker ui choices=checkout.choices.clone() />
            <PayBar ui checkout total money name has_order_url />
        </div>
    }
}

#[component]
fn Payee(ui: Ui, checkout: Arc<Checkout>, name: Signal<String>) -> impl IntoView {
    // None: the code names the payee itself; Some(verified): the merchant's server named it.
    let named_by_server = move || ui.phase.with(|p| p.checkout().and_then(|c| c.confirmed_payee.as_ref()).map(|c| c.verified));
    let payee = &checkout.payment.payee;
    let name_alt = payee.name_alt.clone().filter(|s| !s.trim().is_empty() && Some(s) != payee.name.as_ref());
    let lang_alt = payee.language_alt.clone().unwrap_or_default().to_ascii_lowercase();
    let city = [&payee.city, &payee.city_alt, &payee.country].into_iter().flatten().filter(|s| !s.trim().is_empty()).cloned().collect::<Vec<_>>().join(" · ");
    view! {
        <div class="ip-payee">
            <p class="ip-label">{ui.t(Msg::PayTo)}</p>
            <p class="ip-payee-name" data-testid="payee-name">{move || name.get()}</p>
            {move || named_by_server().map(|verified| view! {
                <p class="ip-muted" data-testid="payee-confirmed" data-verified=verified.to_string()>
                    {ui.t(if verified { Msg::PayeeConfirmed } else { Msg::PayeeUnverified })}
                </p>
            })}
            {name_alt.map(|a| view! { <p class="ip-payee-alt" lang=lang_alt.clone() data-testid="payee-name-alt">{a}</p> })}
            {(!city.is_empty()).then(|| view! { <p class="ip-muted" data-testid="payee-city">{city.clone()}</p> })}
        </div>
    }
}

/// The amount (fixed by the code, or typed), the tip or fee, and the total.
#[component]
fn AmountBox(ui: Ui, checkout: Arc<Checkout>, total: Memo<Result<Total, TotalError>>, money: Money) -> impl IntoView {
    let p = &checkout.payment;
    let dynamic = !needs_typed_amount(p);
    let code_amount = p.amount;
    let m = money.clone();
    let amount_shown = move || match total.get() {
        Ok(t) => m.of(t.base),
        Err(_) if dynamic => code_amount.map(|a| m.of(a)).unwrap_or_default(),
        Err(_) => String::new(),
    };
    let amount_error = move || {
        if !ui.form.touched.get() && ui.form.amount.with(|s| s.trim().is_empty()) {
            return None;
        }
        match total.get() {
            Err(TotalError::Amount(e)) | Err(TotalError::Tip(e)) => Some(amount_error_text(ui.loc, e)),
            _ => None,
        }
    };
    let typed = (!dynamic).then(|| {
        view! {
            <label class="ip-field ip-amount-field">
                <span class="ip-sr">{ui.t(Msg::Amount)}</span>
                <span class="ip-ccy" aria-hidden="true">{money.currency.clone()}</span>
                <input
                    class="ip-input ip-input-amount"
                    data-testid="amount-input"
                    inputmode=money.inputmode()
                    autocomplete="off"
                    enterkeyhint="done"
                    placeholder=money.placeholder()
                    aria-invalid=move || amount_error().is_some().to_string()
                    aria-describedby="ip-amount-err"
                    prop:value=move || ui.form.amount.get()
                    on:input=move |ev| ui.form.amount.set(event_target_value(&ev))
                    on:blur=move |_| ui.form.touched.set(true)
                />
            </label>
        }
    });
    let tip_rule = p.tip.clone();
    let has_fee = tip_rule.is_some();
    let m = money.clone();
    let total_row = has_fee.then(|| {
        view! {
            <div class="ip-line ip-total">
                <span>{ui.t(Msg::Total)}</span>
                <span class="ip-num" data-testid="total">{move || total.get().map(|t| m.of(t.total)).unwrap_or_else(|_| "—".into())}</span>
            </div>
        }
    });
    view! {
        <div class="ip-amount-box">
            <p class="ip-label" data-testid="initiation">{if dynamic { ui.t(Msg::AmountFixed) } else { ui.t(Msg::AmountEnter) }}</p>
            {typed}
            <p class="ip-field-error" id="ip-amount-err" role="status">{amount_error}</p>
            <p class="ip-amount" class=("ip-amount-small", !dynamic) data-testid="amount">{amount_shown}</p>
            {tip_rule.map(|rule| view! { <TipOrFee ui rule total money=money.clone() /> })}
            {total_row}
        </div>
    }
}

/// A tip the shopper may type, or the code's fixed / percentage convenience fee.
#[component]
fn TipOrFee(ui: Ui, rule: TipRule, total: Memo<Result<Total, TotalError>>, money: Money) -> impl IntoView {
    let loc = ui.loc;
    match rule {
        TipRule::Prompt => view! {
            <label class="ip-field">
                <span class="ip-label">{ui.t(Msg::TipOptional)}</span>
                <span class="ip-muted">{ui.t(Msg::TipAsked)}</span>
                <input
                    class="ip-input"
                    data-testid="tip-input"
                    placeholder=money.placeholder()
                    inputmode=money.inputmode()
                    autocomplete="off"
                    prop:value=move || ui.form.tip.get()
                    on:input=move |ev| ui.form.tip.set(event_target_value(&ev))
                />
            </label>
        }
        .into_any(),
        rule => {
            let label = match &rule {
                TipRule::Percentage { percent } => {
                    loc.fmt(Msg::FeePercent, &[("percent", &js::format_number(loc.tag(), &percent.normalize().to_string()))])
                }
                _ => ui.t(Msg::FeeFixed).to_string(),
            };
            view! {
                <div class="ip-line" data-testid="fee">
                    <span>{label}</span>
                    <span class="ip-num">{move || total.get().map(|t| format!("+ {}", money.of(t.fee))).unwrap_or_else(|_| "—".into())}</span>
                </div>
            }
            .into_any()
        }
    }
}

/// The wallets: those that can pay here first, then those that could elsewhere (with where), and
/// folded away those that cannot pay this kind of code at all.
#[component]
fn WalletPicker(ui: Ui, choices: Vec<WalletChoice>) -> impl IntoView {
    let any_available = choices.iter().any(|c| c.available);
    let (shown, folded): (Vec<WalletChoice>, Vec<WalletChoice>) =
        choices.into_iter().partition(|c| c.available || c.reason != Some(Reason::NotSupportedForScheme));
    let n_folded = folded.len().to_string();
    view! {
        <div class="ip-wallets" role="radiogroup" aria-labelledby="ip-paywith">
            <p class="ip-label" id="ip-paywith">{ui.t(Msg::PayWith)}</p>
            {(!any_available).then(|| view! { <p class="ip-note" data-testid="no-wallet">{ui.t(Msg::NoWallet)}</p> })}
            {shown.into_iter().map(|choice| view! { <WalletRow ui choice /> }).collect_view()}
            {(!folded.is_empty()).then(|| view! {
                <details class="ip-more-wallets">
                    <summary>{ui.loc.fmt(Msg::OtherWallets, &[("n", &n_folded)])}</summary>
                    {folded.into_iter().map(|choice| view! { <WalletRow ui choice /> }).collect_view()}
                </details>
            })}
        </div>
    }
}

#[component]
fn WalletRow(ui: Ui, choice: WalletChoice) -> impl IntoView {
    let wallet = choice.wallet;
    let available = choice.available;
    let reason = (!available).then(|| ui.t(choice.reason.map(reason_msg).unwrap_or(Msg::WalletUnavailable)));
    view! {
        <button
            type="button"
            role="radio"
            class="ip-wallet"
            class=("ip-unavailable", !available)
            data-testid=format!("wallet-option-{wallet}")
            data-available=available.to_string()
            aria-checked=move || (ui.form.wallet.get() == Some(wallet)).to_string()
            disabled=!available
            on:click=move |_| ui.form.wallet.set(Some(wallet))
        >
            <span class="ip-radio" aria-hidden="true"></span>
            <span class="ip-wallet-text">
                <span class="ip-wallet-name">{ui.t(wallet_msg(wallet))}</span>
                {reason.map(|r| view! { <span class="ip-wallet-reason">{r}</span> })}
            </span>
        </button>
    }
}

/// "Pay <total> to <payee>", enabled once the amount and the wallet are right.
#[component]
fn PayBar(ui: Ui, checkout: Arc<Checkout>, total: Memo<Result<Total, TotalError>>, money: Money, name: Signal<String>, has_order_url: bool) -> impl IntoView {
    let loc = ui.loc;
    let label = move || match total.get() {
        Ok(t) => loc.fmt(Msg::PayButton, &[("amount", &money.of(t.total)), ("name", &name.get())]),
        Err(_) => loc.fmt(Msg::PayButtonNoName, &[("amount", "")]).trim().to_string(),
    };
    let can_pay = move || has_order_url && total.with(Result::is_ok) && ui.form.wallet.get().is_some_and(|w| checkout.can_pay_with(w));
    view! {
        <div class="ip-actions ip-sticky">
            <button type="button" class="ip-primary ip-pay" data-testid="confirm-pay" disabled=move || !can_pay() on:click=move |_| ui.pay()>
                {label}
            </button>
            <ScanAgain ui class="ip-link" />
        </div>
    }
}
