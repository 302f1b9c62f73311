//! The payment: the merchant creates the order → the wallet's bridge pays it → the merchant's status
//! endpoint says whether it is paid. Each step's answer is one [`Event`] for the state machine.

use super::ui::Ui;
use crate::checkout::{api_error, checkout_total, status_outcome, status_poll_delays, Attempt, Event, Order, OrderRequest, OrderStatus, Phase};
use crate::wallet::{FailureCode, Outcome};
use crate::web::bridges;
use crate::web::js;
use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

/// How long the merchant may take to create an order.
const ORDER_MS: i32 = 20_000;
/// How long one status request may take.
const STATUS_MS: i32 = 10_000;
/// "Check again" on the pending screen.
const CHECK_AGAIN_DELAYS: &[u32] = &[0, 800, 1600];

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
        if self.runtime().order_url().is_some() && self.dispatch(Event::Confirm { wallet, total }) {
            spawn_local(self.run_order());
        }
    }

    /// Retry on the cancelled / failed screen: a new order for the same code, wallet and total.
    pub fn retry(self) {
        if self.dispatch(Event::Retry) {
            spawn_local(self.run_order());
        }
    }

    /// "Check again" on the pending screen.
    pub fn check_again(self) {
        let Some(order) = self.phase.with_untracked(|p| p.order().cloned()) else { return };
        if self.dispatch(Event::CheckAgain) {
            spawn_local(async move {
                let merchant = self.poll_status(&order, CHECK_AGAIN_DELAYS).await;
                self.dispatch(Event::MerchantAnswered(merchant));
            });
        }
    }

    /// From `CreatingOrder` to `Finished`.
    async fn run_order(self) {
        let Some(attempt) = self.phase.with_untracked(|p| match p {
            Phase::CreatingOrder(a) => Some(a.clone()),
            _ => None,
        }) else {
            return;
        };
        let order = match self.create_order(&attempt).await {
            Ok(order) => order,
            Err(failure) => {
                self.dispatch(Event::OrderFailed(failure));
                return;
            }
        };
        if !self.dispatch(Event::OrderCreated(order.clone())) {
            return;
        }
        let bridge = bridges::pay(attempt.wallet, &order.wallet_params).await;
        let delays = status_poll_delays(&bridge);
        if !self.dispatch(Event::WalletAnswered(bridge)) {
            return;
        }
        let merchant = self.poll_status(&order, delays).await;
        self.dispatch(Event::MerchantAnswered(merchant));
    }

    async fn create_order(self, attempt: &Attempt) -> Result<Order, Outcome> {
        let Some(order_url) = self.runtime().order_url() else {
            return Err(Outcome::failed(FailureCode::OrderRefused("no_order_url".into()), "the widget has no order-url"));
        };
        let body = serde_json::to_string(&OrderRequest {
            payload: &attempt.checkout.text,
            payment: &attempt.checkout.payment,
            wallet: attempt.wallet,
            amount: attempt.total.amount_string(),
            currency: attempt.total.currency.clone(),
        })
        .unwrap_or_default();
        match js::fetch_json("POST", &order_url, Some(&body), ORDER_MS).await {
            Err(e) => Err(Outcome::failed(FailureCode::NetworkError, e)),
            Ok((s, text)) if (200..300).contains(&s) => {
                serde_json::from_str::<Order>(&text).map_err(|e| Outcome::failed(FailureCode::BadOrderResponse, e.to_string()))
            }
            Ok((s, text)) => {
                let e = api_error(s, &text);
                let message = if e.message.is_empty() { format!("order creation failed (HTTP {s})") } else { e.message };
                Err(Outcome::failed(FailureCode::OrderRefused(e.code), message))
            }
        }
    }

    /// GET the order's status at each delay until it is final (`None`: not final, or unreachable).
    async fn poll_status(self, order: &Order, delays: &[u32]) -> Option<Outcome> {
        let url = js::resolve_url(&order.status_url, self.runtime().order_url().as_deref());
        let mut last = None;
        for d in delays {
            js::sleep(*d).await;
            if let Ok((200..=299, text)) = js::fetch_json("GET", &url, None, STATUS_MS).await {
                if let Ok(s) = serde_json::from_str::<OrderStatus>(&text) {
                    last = status_outcome(&s.status);
                    if crate::checkout::poll_done(last.as_ref()) {
                        break;
                    }
                }
            }
        }
        last
    }
}
