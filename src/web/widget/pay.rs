//! The payment: the merchant creates the order → the wallet's bridge pays it → the merchant's status
//! endpoint says whether it is paid. Each step's answer is one [`Event`] for the state machine.
//!
//! The order is kept in `sessionStorage` from the moment the merchant created it until its result
//! is final, so a hand-off that leaves the page (a deep link, WeChat H5, a reloaded web-view) comes
//! back to a page that checks the order and shows its result instead of offering to pay again.

use super::ui::Ui;
use crate::checkout::{
    api_error, checkout_total, poll_done, status_outcome, status_poll_delays, Attempt, Checkout, Event,
    Order, OrderRequest, OrderStatus, Phase, Total,
};
use crate::wallet::{FailureCode, Outcome, WalletId};
use crate::web::bridges;
use crate::web::js;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use wasm_bindgen_futures::spawn_local;

/// How long the merchant may take to create an order.
const ORDER_MS: i32 = 20_000;
/// How long one status request may take.
const STATUS_MS: i32 = 10_000;
/// "Check again" on the pending screen.
const CHECK_AGAIN_DELAYS: &[u32] = &[0, 800, 1600];

/// What survives a hand-off: enough to rebuild the attempt and ask about its order.
#[derive(Serialize, Deserialize)]
struct Stored {
    text: String,
    /// The reader's parse of `text` (the widget module has no parser of its own).
    payment: crate::payload::Payment,
    wallet: WalletId,
    total: Total,
    key: String,
    replaces: Option<String>,
    order: Order,
}

impl Ui {
    /// The Pay button: confirm the code, wallet and total shown, then run the order.
    pub fn pay(self) {
        let Some(checkout) = self.phase.with_untracked(|p| match p {
            Phase::Confirming(c) => Some(c.clone()),
            _ => None,
        }) else {
            return;
        };
        let Some(wallet) = self.form.wallet.get_untracked() else { return };
        let total = match checkout_total(&checkout.payment, &self.form.amount.get_untracked(), &self.form.tip.get_untracked()) {
            Ok(t) => t,
            Err(_) => return self.form.touched.set(true),
        };
        if self.runtime().order_url().is_some() && self.dispatch(Event::Confirm { wallet, total, key: js::random_id() }) {
            spawn_local(self.run_order_replacing(None));
        }
    }

    /// Retry on the cancelled / failed screen: a new order for the same code, wallet and total.
    pub fn retry(self) {
        let replaced = self.phase.with_untracked(|p| match p {
            Phase::Finished { order, .. } => order.clone(),
            _ => None,
        });
        if self.dispatch(Event::Retry { key: js::random_id() }) {
            spawn_local(self.run_order_replacing(replaced));
        }
    }

    /// "Check again" on the pending screen.
    pub fn check_again(self) {
        let Some(order) = self.phase.with_untracked(|p| p.order().cloned()) else { return };
        if self.dispatch(Event::CheckAgain) {
            spawn_local(async move {
                let status = self.poll_status(&order, CHECK_AGAIN_DELAYS).await;
                self.dispatch(Event::MerchantAnswered(status));
            });
        }
    }

    /// From `CreatingOrder` to `Finished`. `replaced`: the earlier attempt's order a Retry replaces; when
    /// the merchant refuses the retry `409 already_paid` (that order was paid after all, by a late wallet
    /// notification), that order's own status decides the end instead of a "failed" screen.
    async fn run_order_replacing(self, replaced: Option<Order>) {
        let Some(attempt) = self.phase.with_untracked(|p| match p {
            Phase::CreatingOrder(a) => Some(a.clone()),
            _ => None,
        }) else {
            return;
        };
        let order = match self.create_order(&attempt).await {
            Ok(order) => order,
            Err(failure) => {
                // The phase machine accepts only the order this attempt replaces; anything else is a failure.
                let already_paid = matches!(&failure, Outcome::Failed { code: FailureCode::OrderRefused(r), .. } if r == "already_paid");
                if let Some(earlier) = replaced.filter(|_| already_paid) {
                    if self.dispatch(Event::ReplacedOrderPaid(earlier.clone())) {
                        let status = self.poll_status(&earlier, CHECK_AGAIN_DELAYS).await;
                        self.dispatch(Event::MerchantAnswered(status));
                        return;
                    }
                }
                self.dispatch(Event::OrderFailed(failure));
                return;
            }
        };
        if !self.dispatch(Event::OrderCreated(order.clone())) {
            return;
        }
        self.store(&attempt, &order);
        // The page hears of the order (`interpay:order-created`) before the wallet takes over.
        self.runtime().deliver_events();
        let bridge = match self.pinned_wallet_params(&order) {
            Ok(params) => bridges::pay(attempt.wallet, &params).await,
            Err(refused) => refused,
        };
        let delays = status_poll_delays(&bridge);
        if !self.dispatch(Event::WalletAnswered(bridge)) {
            return;
        }
        let status = self.poll_status(&order, delays).await;
        self.dispatch(Event::MerchantAnswered(status));
    }

    async fn create_order(self, attempt: &Attempt) -> Result<Order, Outcome> {
        let Some(order_url) = self.runtime().order_url() else {
            return Err(Outcome::failed(FailureCode::OrderRefused("no_order_url".into()), "the widget has no order-url"));
        };
        let mut request = OrderRequest::for_attempt(attempt);
        // The shopper's wallet identity, when the page was opened with one (in-app JSAPI payments need it).
        request.payer = js::window().and_then(|w| w.location().search().ok()).and_then(|q| crate::checkout::Payer::from_query(&q));
        let body = serde_json::to_string(&request).unwrap_or_default();
        let headers = [("Idempotency-Key", attempt.key.as_str())];
        let order = match js::fetch_json("POST", &order_url, Some(&body), &headers, ORDER_MS).await {
            Err(e) => return Err(Outcome::failed(FailureCode::NetworkError, e)),
            Ok((s, text)) if (200..300).contains(&s) => {
                serde_json::from_str::<Order>(&text).map_err(|e| Outcome::failed(FailureCode::BadOrderResponse, e.to_string()))?
            }
            Ok((s, text)) => {
                let e = api_error(s, &text);
                let message = if e.message.is_empty() { format!("order creation failed (HTTP {s})") } else { e.message };
                return Err(Outcome::failed(FailureCode::OrderRefused(e.code), message));
            }
        };
        if js::pinned_url(&order_url, &order.status_url).is_none() {
            return Err(Outcome::failed(FailureCode::BadOrderResponse, format!("status_url {:?} is not on the order-url's origin", order.status_url)));
        }
        Ok(order)
    }

    /// The order's wallet parameters, with a Payment Request `complete_url` resolved on the
    /// order-url's origin (a completion URL elsewhere is refused: the payment token goes nowhere else).
    fn pinned_wallet_params(self, order: &Order) -> Result<serde_json::Value, Outcome> {
        let mut params = order.wallet_params.clone();
        if let Some(url) = params.get("complete_url").and_then(|u| u.as_str()).map(str::to_string) {
            let base = self.runtime().order_url().unwrap_or_default();
            match js::pinned_url(&base, &url) {
                Some(abs) => params["complete_url"] = abs.into(),
                None => return Err(Outcome::failed(FailureCode::BadWalletParams, format!("complete_url {url:?} is not on the order-url's origin"))),
            }
        }
        Ok(params)
    }

    /// GET the order's status at each delay until an answer about this order is final. `None`:
    /// nothing final (or believable) came back.
    async fn poll_status(self, order: &Order, delays: &[u32]) -> Option<OrderStatus> {
        let base = self.runtime().order_url().unwrap_or_default();
        let url = js::pinned_url(&base, &order.status_url)?;
        let mut last = None;
        for d in delays {
            js::sleep(*d).await;
            if let Ok((200..=299, text)) = js::fetch_json("GET", &url, None, &[], STATUS_MS).await {
                if let Ok(s) = serde_json::from_str::<OrderStatus>(&text) {
                    if let Err(mismatch) = s.check(order) {
                        web_sys::console::warn_1(&format!("interpay: status answer not about this order: {mismatch:?}").into());
                        continue;
                    }
                    let done = poll_done(status_outcome(&s.status).as_ref());
                    last = Some(s);
                    if done {
                        break;
                    }
                }
            }
        }
        last
    }

    /// A code that names nobody: ask the merchant's `resolve-url` whom it pays (the sheet shows the
    /// answer as soon as it comes; without an answer the shopper sees "unnamed merchant").
    pub(super) fn resolve_payee(self) {
        let Some(url) = self.runtime().settings.resolve_url.clone() else { return };
        let Some(text) = self.phase.with_untracked(|p| match p {
            Phase::Confirming(c) if c.needs_payee() => Some(c.text.clone()),
            _ => None,
        }) else {
            return;
        };
        spawn_local(async move {
            #[derive(Deserialize)]
            struct Resolved {
                payee: crate::checkout::ConfirmedPayee,
            }
            let body = serde_json::json!({ "payload": text }).to_string();
            if let Ok((200..=299, answer)) = js::fetch_json("POST", &url, Some(&body), &[], STATUS_MS).await {
                if let Ok(r) = serde_json::from_str::<Resolved>(&answer) {
                    // Only for the code still on screen.
                    if self.phase.with_untracked(|p| matches!(p, Phase::Confirming(c) if c.text == text)) {
                        self.dispatch(Event::PayeeResolved(r.payee));
                    }
                }
            }
        });
    }

    // -- across a hand-off ---------------------------------------------------------------------

    fn storage_key(self) -> String {
        format!("interpay:pending:{}", self.runtime().order_url().unwrap_or_default())
    }

    fn store(self, attempt: &Attempt, order: &Order) {
        let stored = Stored {
            text: attempt.checkout.text.clone(),
            payment: attempt.checkout.payment.clone(),
            wallet: attempt.wallet,
            total: attempt.total.clone(),
            key: attempt.key.clone(),
            replaces: attempt.replaces.clone(),
            order: order.clone(),
        };
        if let (Some(s), Ok(json)) = (js::session_storage(), serde_json::to_string(&stored)) {
            let _ = s.set_item(&self.storage_key(), &json);
        }
    }

    /// The result is final: nothing to resume any more.
    pub(super) fn forget_stored(self) {
        if let Some(s) = js::session_storage() {
            let _ = s.remove_item(&self.storage_key());
        }
    }

    /// On mount: an order left open by a hand-off (or a reload) is checked with the merchant and its
    /// result shown, with the verdict the return URL brought if it is about that order.
    pub(super) fn resume(self) {
        let Some(json) = js::session_storage().and_then(|s| s.get_item(&self.storage_key()).ok().flatten()) else { return };
        let Ok(stored) = serde_json::from_str::<Stored>(&json) else {
            return self.forget_stored();
        };
        let payment = stored.payment;
        let verdict = bridges::returned()
            .filter(|r| r.order_id.as_deref().is_none_or(|id| id == stored.order.order_id))
            .map(|r| r.outcome)
            .unwrap_or(Outcome::Pending);
        bridges::clear_returned();
        let checkout = Arc::new(Checkout::new(stored.text, payment, &bridges::detect_environment()));
        let attempt = Attempt { checkout, wallet: stored.wallet, total: stored.total, key: stored.key, replaces: stored.replaces };
        let order = stored.order;
        let delays = status_poll_delays(&verdict);
        self.open.set(true);
        if self.dispatch(Event::Resumed { attempt, order: order.clone(), bridge: verdict }) {
            spawn_local(async move {
                let status = self.poll_status(&order, delays).await;
                self.dispatch(Event::MerchantAnswered(status));
            });
        }
    }
}
