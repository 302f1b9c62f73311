//! The checkout as one state machine. [`Phase`] is where the widget is, [`Event`] is what happened,
//! and [`Phase::next`] is the only way from one phase to the next. `None` means the event has no
//! meaning in this phase (a second tap on Pay, a camera that starts after the shopper picked a
//! picture, a retry of a paid order) and the widget ignores it.
//!
//! ```text
//!            StartCamera            CameraLive
//!   (any) ─────────────▶ Scanning ──────────▶ Scanning (live)
//!                          │  │ CameraFailed ─▶ CameraFailed ─┐
//!                          │  └ PictureChosen ─▶ ReadingPicture ◀┘ ── PictureWithoutCode ─▶ back
//!                          └── Scanned ─▶ Confirming | NotPayment | Invalid
//!   Confirming ── Confirm ─▶ CreatingOrder ── OrderCreated ─▶ WaitingWallet ── WalletAnswered ─▶
//!   ConfirmingMerchant ── MerchantAnswered ─▶ Finished          CreatingOrder ── OrderFailed ─▶ Finished
//!   Finished (cancelled / failed) ── Retry ─▶ CreatingOrder     Finished (pending) ── CheckAgain ─▶ ConfirmingMerchant
//! ```
//!
//! While an order is in flight (creating, in the wallet, confirming) nothing but its own answers
//! moves the phase: closing and reopening the sheet shows the payment still running, never a
//! camera that would swallow its result.

use super::amount::Total;
use super::camera::CameraError;
use super::contract::{ConfirmedPayee, Order, OrderStatus};
use super::result::{believed_outcome, final_outcome, notice, Notice};
use crate::payload::{Code, NotPayment, ParseError, Payment};
use crate::wallet::{rank_wallets, Environment, Outcome, WalletChoice, WalletId};
use std::sync::Arc;

/// A scanned payment code and the wallets that could pay it here.
#[derive(Debug, Clone, PartialEq)]
pub struct Checkout {
    /// The raw QR text (sent to the merchant, who parses it again).
    pub text: String,
    pub payment: Payment,
    pub choices: Vec<WalletChoice>,
    /// Whom the merchant's server says the code pays (`POST /api/resolve`), for codes that carry
    /// no payee name (WeChat Pay `wxp://`, Alipay and UnionPay URL codes).
    pub confirmed_payee: Option<ConfirmedPayee>,
}

impl Checkout {
    pub fn new(text: String, payment: Payment, env: &Environment) -> Checkout {
        let choices = rank_wallets(&payment, env);
        Checkout { text, payment, choices, confirmed_payee: None }
    }

    /// The code names nobody: ask the merchant's server whom it pays before the shopper confirms.
    pub fn needs_payee(&self) -> bool {
        payee_name(&self.payment).is_none() && self.confirmed_payee.is_none()
    }

    /// The wallet selected when the sheet opens: the first one that can pay here.
    pub fn default_wallet(&self) -> Option<WalletId> {
        self.choices.iter().find(|c| c.available).map(|c| c.wallet)
    }

    /// Whether `wallet` can pay this code here.
    pub fn can_pay_with(&self, wallet: WalletId) -> bool {
        self.choices.iter().any(|c| c.wallet == wallet && c.available)
    }

    /// The payee's name as shown: the code's own, else the one the merchant's server confirmed.
    pub fn payee_name(&self) -> Option<String> {
        payee_name(&self.payment).or_else(|| self.confirmed_payee.as_ref()?.name.clone().filter(|n| !n.trim().is_empty()))
    }
}

/// The payee's name, or its alternate-language name, if the code has either.
pub fn payee_name(p: &Payment) -> Option<String> {
    let named = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
    named(&p.payee.name).or_else(|| named(&p.payee.name_alt))
}

/// What the shopper confirmed: this code, with this wallet, for this total. One attempt is one
/// order request: its `key` is the request's `Idempotency-Key`; a Retry is a new attempt that
/// `replaces` the earlier order.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub checkout: Arc<Checkout>,
    pub wallet: WalletId,
    pub total: Total,
    pub key: String,
    pub replaces: Option<String>,
}

/// Where the checkout is.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// The camera is starting (`starting`) or live and the decoder reads its frames.
    Scanning { starting: bool },
    /// The camera could not start; a picture or the clipboard can still be scanned.
    CameraFailed(CameraError),
    /// A picture is being decoded; `back_to` is the camera failure to return to if it has no code.
    ReadingPicture { back_to: Option<CameraError> },
    /// A code that is not a payment (a link, text…).
    NotPayment(NotPayment),
    /// A payment code that breaks its format's rules.
    Invalid { text: String, error: ParseError },
    /// The confirmation sheet: payee, amount, wallet.
    Confirming(Arc<Checkout>),
    /// The merchant is creating the order.
    CreatingOrder(Attempt),
    /// The wallet has the order.
    WaitingWallet { attempt: Attempt, order: Order },
    /// The wallet answered `bridge`; the merchant's status endpoint is asked.
    ConfirmingMerchant { attempt: Attempt, order: Order, bridge: Outcome },
    /// The end: `outcome` is the merchant-confirmed result, `notice` what the shopper is told,
    /// `status` the merchant's answer that decided it (when it gave a final one).
    Finished { attempt: Attempt, order: Option<Order>, outcome: Outcome, notice: Notice, status: Option<OrderStatus> },
}

/// What happened.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // one value at a time, moved straight into the next phase
pub enum Event {
    /// The sheet opened, or the shopper asked to scan (again).
    StartCamera,
    CameraLive,
    CameraFailed(CameraError),
    /// A picture (file or clipboard) is being read.
    PictureChosen,
    /// The picture had no readable code, or could not be opened.
    PictureWithoutCode,
    /// A code was read and parsed; `env` is the page the wallets are ranked for.
    Scanned { text: String, code: Result<Code, ParseError>, env: Environment },
    /// The merchant's server named the payee of a code that names nobody.
    PayeeResolved(ConfirmedPayee),
    /// The shopper confirmed with `wallet` for `total`; `key` identifies the order request.
    Confirm { wallet: WalletId, total: Total, key: String },
    OrderCreated(Order),
    /// The order could not be created (network, refusal, unreadable answer).
    OrderFailed(Outcome),
    /// A Retry's order was refused `409 already_paid`: the order it replaces (`order`, the earlier
    /// attempt's) was paid after all (a late wallet notification). Its own status decides the end.
    ReplacedOrderPaid(Order),
    /// The wallet's bridge answered (never final on its own).
    WalletAnswered(Outcome),
    /// The merchant's status endpoint answered (`None`: no final answer about this order yet, or
    /// unreachable; an answer about another order or amount is not believed: see [`believed_outcome`]).
    MerchantAnswered(Option<OrderStatus>),
    /// Retry a cancelled or failed payment: a new order (request `key`) for the same code, wallet
    /// and total, replacing the earlier one.
    Retry { key: String },
    /// The page came back from a hand-off (or was reloaded) with an order still to confirm;
    /// `bridge` is the verdict the return URL brought (`Pending` without one).
    Resumed { attempt: Attempt, order: Order, bridge: Outcome },
    /// Ask the merchant again about a pending payment.
    CheckAgain,
}

impl Phase {
    /// The phase after `event`, or `None` when the event means nothing here.
    pub fn next(&self, event: Event) -> Option<Phase> {
        use Phase as P;
        Some(match (self, event) {
            (p, Event::StartCamera) if !p.is_paying() => P::Scanning { starting: true },
            (P::Scanning { starting: true }, Event::CameraLive) => P::Scanning { starting: false },
            (P::Scanning { .. }, Event::CameraFailed(e)) => P::CameraFailed(e),
            (P::Scanning { .. }, Event::PictureChosen) => P::ReadingPicture { back_to: None },
            (P::CameraFailed(e), Event::PictureChosen) => P::ReadingPicture { back_to: Some(*e) },
            (P::ReadingPicture { back_to: Some(e) }, Event::PictureWithoutCode) => P::CameraFailed(*e),
            (P::ReadingPicture { back_to: None }, Event::PictureWithoutCode) => P::Scanning { starting: true },
            (P::Scanning { .. } | P::ReadingPicture { .. }, Event::Scanned { text, code, env }) => match code {
                Ok(Code::Payment(payment)) => P::Confirming(Arc::new(Checkout::new(text, payment, &env))),
                Ok(Code::NotPayment(np)) => P::NotPayment(np),
                Err(error) => P::Invalid { text, error },
            },
            (P::Confirming(checkout), Event::PayeeResolved(payee)) if checkout.needs_payee() => {
                P::Confirming(Arc::new(Checkout { confirmed_payee: Some(payee), ..(**checkout).clone() }))
            }
            (P::Confirming(checkout), Event::Confirm { wallet, total, key }) if checkout.can_pay_with(wallet) => {
                P::CreatingOrder(Attempt { checkout: checkout.clone(), wallet, total, key, replaces: None })
            }
            (P::CreatingOrder(attempt), Event::OrderCreated(order)) => P::WaitingWallet { attempt: attempt.clone(), order },
            (P::CreatingOrder(attempt), Event::OrderFailed(outcome)) => {
                let notice = notice(&outcome, None);
                P::Finished { attempt: attempt.clone(), order: None, outcome, notice, status: None }
            }
            (P::CreatingOrder(attempt), Event::ReplacedOrderPaid(order)) if attempt.replaces.as_deref() == Some(order.order_id.as_str()) => {
                P::ConfirmingMerchant { attempt: attempt.clone(), order, bridge: Outcome::Pending }
            }
            (P::WaitingWallet { attempt, order }, Event::WalletAnswered(bridge)) => {
                P::ConfirmingMerchant { attempt: attempt.clone(), order: order.clone(), bridge }
            }
            (P::ConfirmingMerchant { attempt, order, bridge }, Event::MerchantAnswered(status)) => {
                let merchant = status.as_ref().and_then(|s| believed_outcome(s, order));
                let outcome = final_outcome(bridge, merchant.as_ref());
                let notice = notice(&outcome, Some(bridge));
                let status = status.filter(|_| merchant.is_some());
                P::Finished { attempt: attempt.clone(), order: Some(order.clone()), outcome, notice, status }
            }
            (P::Finished { attempt, order, outcome: Outcome::Cancelled | Outcome::Failed { .. }, .. }, Event::Retry { key }) => {
                let replaces = order.as_ref().map(|o| o.order_id.clone()).or_else(|| attempt.replaces.clone());
                P::CreatingOrder(Attempt { key, replaces, ..attempt.clone() })
            }
            (p, Event::Resumed { attempt, order, bridge }) if !p.is_paying() => P::ConfirmingMerchant { attempt, order, bridge },
            (P::Finished { attempt, order: Some(order), outcome: Outcome::Pending, .. }, Event::CheckAgain) => {
                P::ConfirmingMerchant { attempt: attempt.clone(), order: order.clone(), bridge: Outcome::Pending }
            }
            _ => return None,
        })
    }

    /// An order is in flight: only its own answers move the phase.
    pub fn is_paying(&self) -> bool {
        matches!(self, Phase::CreatingOrder(_) | Phase::WaitingWallet { .. } | Phase::ConfirmingMerchant { .. })
    }

    /// Something is running that the shopper waits for (a tap on the backdrop does not close it).
    pub fn is_busy(&self) -> bool {
        self.is_paying() || matches!(self, Phase::ReadingPicture { .. })
    }

    /// The camera is (or should be) running.
    pub fn wants_camera(&self) -> bool {
        matches!(self, Phase::Scanning { .. })
    }

    /// The scanned payment this phase is about, if any.
    pub fn checkout(&self) -> Option<&Arc<Checkout>> {
        match self {
            Phase::Confirming(c) => Some(c),
            Phase::CreatingOrder(a)
            | Phase::WaitingWallet { attempt: a, .. }
            | Phase::ConfirmingMerchant { attempt: a, .. }
            | Phase::Finished { attempt: a, .. } => Some(&a.checkout),
            _ => None,
        }
    }

    /// What the shopper paid, as the merchant confirmed it (amount, currency): the status answer's,
    /// else the order's, else the widget's own total.
    pub fn paid_amount(&self) -> Option<(String, String)> {
        let Phase::Finished { attempt, order, status, .. } = self else { return None };
        let t = &attempt.total;
        let own = (t.amount_string(), t.currency.clone());
        let pick = |amount: &str, currency: &str| (!amount.is_empty()).then(|| (amount.to_string(), if currency.is_empty() { t.currency.clone() } else { currency.to_string() }));
        Some(
            status
                .as_ref()
                .and_then(|s| pick(&s.amount, &s.currency))
                .or_else(|| order.as_ref().and_then(|o| pick(&o.amount, &o.currency)))
                .unwrap_or(own),
        )
    }

    /// The merchant's order this phase is about, if one was created.
    pub fn order(&self) -> Option<&Order> {
        match self {
            Phase::WaitingWallet { order, .. } | Phase::ConfirmingMerchant { order, .. } => Some(order),
            Phase::Finished { order, .. } => order.as_ref(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkout::test_payment;
    use crate::wallet::FailureCode;

    fn sandbox_env() -> Environment {
        Environment { has_sandbox_wallet: true, ..Default::default() }
    }

    fn order() -> Order {
        serde_json::from_str(r#"{"order_id":"o1","amount":"23.72","currency":"CNY","status_url":"/api/orders/o1"}"#).unwrap()
    }

    /// The merchant's status answer for order o1.
    fn status(s: &str) -> Option<OrderStatus> {
        Some(OrderStatus { order_id: "o1".into(), status: s.into(), amount: "23.72".into(), currency: "CNY".into() })
    }

    fn confirming() -> Phase {
        let p = Phase::Scanning { starting: false };
        let code = Ok(Code::Payment(test_payment(Some("23.72"), None, 2)));
        p.next(Event::Scanned { text: "000201…".into(), code, env: sandbox_env() }).unwrap()
    }

    fn confirm(p: &Phase) -> Phase {
        let Phase::Confirming(c) = p else { panic!("{p:?}") };
        let total = crate::checkout::checkout_total(&c.payment, "", "").unwrap();
        p.next(Event::Confirm { wallet: WalletId::Sandbox, total, key: "k1".into() }).unwrap()
    }

    fn finished(bridge: Outcome, merchant: Option<OrderStatus>) -> Phase {
        let p = confirm(&confirming()).next(Event::OrderCreated(order())).unwrap();
        let p = p.next(Event::WalletAnswered(bridge)).unwrap();
        p.next(Event::MerchantAnswered(merchant)).unwrap()
    }

    #[test]
    fn a_paid_order_goes_through_every_phase() {
        let p = Phase::Scanning { starting: true }.next(Event::CameraLive).unwrap();
        assert_eq!(p, Phase::Scanning { starting: false });
        let p = confirming();
        let Phase::Confirming(c) = &p else { panic!() };
        assert_eq!(c.default_wallet(), Some(WalletId::Sandbox));
        assert_eq!(c.payee_name().as_deref(), Some("BEST TRANSPORT"));
        let p = confirm(&p);
        assert!(matches!(p, Phase::CreatingOrder(_)) && p.is_paying() && p.is_busy());
        let p = p.next(Event::OrderCreated(order())).unwrap();
        assert_eq!(p.order().map(|o| o.order_id.as_str()), Some("o1"));
        let p = p.next(Event::WalletAnswered(Outcome::Succeeded)).unwrap();
        assert!(matches!(p, Phase::ConfirmingMerchant { bridge: Outcome::Succeeded, .. }));
        let p = p.next(Event::MerchantAnswered(status("paid"))).unwrap();
        match &p {
            Phase::Finished { outcome: Outcome::Succeeded, notice: Notice::Paid, order: Some(o), .. } => assert_eq!(o.order_id, "o1"),
            other => panic!("{other:?}"),
        }
        assert_eq!(p.paid_amount(), Some(("23.72".into(), "CNY".into())));
        assert!(!p.is_paying());
        assert_eq!(p.checkout().map(|c| c.text.as_str()), Some("000201…"));
    }

    #[test]
    fn a_wallet_ok_without_the_merchant_is_pending_and_can_be_checked_again() {
        let p = finished(Outcome::Succeeded, None);
        assert!(matches!(p, Phase::Finished { outcome: Outcome::Pending, notice: Notice::Pending, .. }), "{p:?}");
        assert_eq!(p.next(Event::Retry { key: "k2".into() }), None, "a pending payment is not paid twice");
        let p = p.next(Event::CheckAgain).unwrap();
        assert!(matches!(p, Phase::ConfirmingMerchant { bridge: Outcome::Pending, .. }));
        let p = p.next(Event::MerchantAnswered(status("paid"))).unwrap();
        assert!(matches!(p, Phase::Finished { outcome: Outcome::Succeeded, .. }));
        assert_eq!(p.next(Event::CheckAgain), None);
    }

    #[test]
    fn retry_makes_a_new_order_for_the_same_attempt_only_after_a_cancel_or_failure() {
        let cancelled = finished(Outcome::Cancelled, None);
        let Phase::Finished { attempt, notice: Notice::Cancelled, .. } = &cancelled else { panic!("{cancelled:?}") };
        let retry = cancelled.next(Event::Retry { key: "k2".into() }).unwrap();
        let Phase::CreatingOrder(again) = &retry else { panic!("{retry:?}") };
        assert_eq!((&again.checkout, again.wallet, &again.total), (&attempt.checkout, attempt.wallet, &attempt.total));
        assert_eq!((again.key.as_str(), again.replaces.as_deref()), ("k2", Some("o1")), "a new request that voids order o1");
        let failed = finished(Outcome::failed(FailureCode::PaymentFailed, "no money"), None);
        assert!(matches!(failed.next(Event::Retry { key: "k3".into() }), Some(Phase::CreatingOrder(_))));
        let paid = finished(Outcome::Succeeded, status("paid"));
        assert_eq!(paid.next(Event::Retry { key: "k4".into() }), None);
    }

    #[test]
    fn a_retry_refused_because_the_replaced_order_was_paid_ends_on_that_orders_status() {
        let retry = finished(Outcome::Cancelled, None).next(Event::Retry { key: "k2".into() }).unwrap();
        let mut other = order();
        other.order_id = "o9".into();
        assert_eq!(retry.next(Event::ReplacedOrderPaid(other)), None, "only the order this retry replaces");
        assert_eq!(confirm(&confirming()).next(Event::ReplacedOrderPaid(order())), None, "a first attempt replaces nothing");
        let p = retry.next(Event::ReplacedOrderPaid(order())).unwrap();
        assert!(matches!(&p, Phase::ConfirmingMerchant { order, bridge: Outcome::Pending, .. } if order.order_id == "o1"), "{p:?}");
        let paid = p.next(Event::MerchantAnswered(status("paid"))).unwrap();
        assert!(matches!(&paid, Phase::Finished { outcome: Outcome::Succeeded, notice: Notice::Paid, order: Some(o), .. } if o.order_id == "o1"), "{paid:?}");
        let unsure = p.next(Event::MerchantAnswered(None)).unwrap();
        assert!(matches!(unsure, Phase::Finished { outcome: Outcome::Pending, .. }), "the merchant's word, not the 409, makes it paid");
    }

    #[test]
    fn an_order_in_flight_ignores_everything_but_its_answers() {
        let p = confirm(&confirming());
        for e in [Event::StartCamera, Event::Retry { key: "k".into() }, Event::CheckAgain, Event::PictureChosen, Event::CameraLive] {
            assert_eq!(p.next(e.clone()), None, "{e:?} while creating the order");
        }
        let Phase::CreatingOrder(attempt) = &p else { panic!() };
        // A second tap on Pay.
        assert_eq!(p.next(Event::Confirm { wallet: WalletId::Sandbox, total: attempt.total.clone(), key: "k".into() }), None);
        let w = p.next(Event::OrderCreated(order())).unwrap();
        assert_eq!(w.next(Event::StartCamera), None);
        assert_eq!(w.next(Event::MerchantAnswered(status("paid"))), None, "the wallet answers first");
    }

    #[test]
    fn an_order_that_cannot_be_created_finishes_with_the_reason() {
        let p = confirm(&confirming());
        let p = p.next(Event::OrderFailed(Outcome::failed(FailureCode::OrderRefused("amount_mismatch".into()), "Amount differs"))).unwrap();
        match &p {
            Phase::Finished { order: None, notice: Notice::OrderRefused { detail }, .. } => assert_eq!(detail, "Amount differs"),
            other => panic!("{other:?}"),
        }
        let retry = p.next(Event::Retry { key: "k2".into() });
        assert!(matches!(&retry, Some(Phase::CreatingOrder(a)) if a.replaces.is_none()), "no order to replace: {retry:?}");
    }

    #[test]
    fn confirming_needs_a_wallet_that_can_pay_here() {
        let p = Phase::Scanning { starting: false };
        let code = Ok(Code::Payment(test_payment(Some("1"), None, 2)));
        let p = p.next(Event::Scanned { text: "x".into(), code, env: Environment::default() }).unwrap();
        let Phase::Confirming(c) = &p else { panic!() };
        assert_eq!(c.default_wallet(), None, "no sandbox on this page");
        let total = crate::checkout::checkout_total(&c.payment, "", "").unwrap();
        assert_eq!(p.next(Event::Confirm { wallet: WalletId::Sandbox, total, key: "k".into() }), None);
    }

    #[test]
    fn camera_and_pictures() {
        let s = Phase::Scanning { starting: true };
        let failed = s.next(Event::CameraFailed(CameraError::Denied)).unwrap();
        assert_eq!(failed, Phase::CameraFailed(CameraError::Denied));
        assert!(!failed.wants_camera());
        let reading = failed.next(Event::PictureChosen).unwrap();
        assert!(reading.is_busy());
        assert_eq!(reading.next(Event::PictureWithoutCode), Some(Phase::CameraFailed(CameraError::Denied)));
        let reading = s.next(Event::PictureChosen).unwrap();
        assert_eq!(reading.next(Event::PictureWithoutCode), Some(Phase::Scanning { starting: true }));
        assert_eq!(failed.next(Event::CameraLive), None, "a late camera does not leave the error screen");
        assert_eq!(failed.next(Event::StartCamera), Some(Phase::Scanning { starting: true }));
        // A link is not a payment; an invalid code keeps its text and error.
        let np = reading.next(Event::Scanned { text: "https://example.com".into(), code: crate::payload::parse("https://example.com"), env: Environment::default() });
        assert!(matches!(np, Some(Phase::NotPayment(_))), "{np:?}");
        let bad = "000201010212";
        let inv = reading.next(Event::Scanned { text: bad.into(), code: crate::payload::parse(bad), env: Environment::default() });
        assert!(matches!(inv, Some(Phase::Invalid { .. })), "{inv:?}");
        assert!(inv.unwrap().next(Event::StartCamera).is_some());
        // The confirm sheet does not take a second scan.
        let c = confirming();
        assert_eq!(c.next(Event::Scanned { text: "x".into(), code: crate::payload::parse("x"), env: Environment::default() }), None);
    }

    #[test]
    fn a_status_about_another_order_or_amount_is_not_believed() {
        let wrong_amount = OrderStatus { amount: "0.01".into(), ..status("paid").unwrap() };
        let p = finished(Outcome::Succeeded, Some(wrong_amount));
        assert!(matches!(p, Phase::Finished { outcome: Outcome::Pending, status: None, .. }), "{p:?}");
        let other_order = OrderStatus { order_id: "o2".into(), ..status("paid").unwrap() };
        let p = finished(Outcome::Succeeded, Some(other_order));
        assert!(matches!(p, Phase::Finished { outcome: Outcome::Pending, .. }), "{p:?}");
        // A lenient server that leaves order id and amount out is believed; the order's amount is shown.
        let bare = OrderStatus { order_id: String::new(), status: "paid".into(), amount: String::new(), currency: String::new() };
        let p = finished(Outcome::Succeeded, Some(bare));
        assert!(matches!(p, Phase::Finished { outcome: Outcome::Succeeded, .. }), "{p:?}");
        assert_eq!(p.paid_amount(), Some(("23.72".into(), "CNY".into())));
    }

    #[test]
    fn a_hand_off_return_resumes_the_order() {
        let p = confirm(&confirming());
        let Phase::CreatingOrder(attempt) = p else { panic!() };
        // The page was reloaded: it starts scanning, then finds the stored order and the verdict.
        let fresh = Phase::Scanning { starting: true };
        let resumed = fresh.next(Event::Resumed { attempt: attempt.clone(), order: order(), bridge: Outcome::Succeeded }).unwrap();
        assert!(matches!(resumed, Phase::ConfirmingMerchant { bridge: Outcome::Succeeded, .. }));
        let done = resumed.next(Event::MerchantAnswered(status("paid"))).unwrap();
        assert!(matches!(done, Phase::Finished { outcome: Outcome::Succeeded, .. }));
        // Never on top of an order in flight.
        assert_eq!(resumed.next(Event::Resumed { attempt, order: order(), bridge: Outcome::Pending }), None);
    }

    #[test]
    fn a_code_without_a_payee_name_gets_the_merchants() {
        let mut payment = test_payment(Some("12.30"), None, 2);
        payment.payee.name = None;
        let scan = Event::Scanned { text: "wxp://f2f0abc".into(), code: Ok(Code::Payment(payment)), env: sandbox_env() };
        let p = Phase::Scanning { starting: false }.next(scan).unwrap();
        let Phase::Confirming(c) = &p else { panic!() };
        assert!(c.needs_payee());
        assert_eq!(c.payee_name(), None);
        let named = ConfirmedPayee { name: Some("SANDBOX CAFE".into()), verified: true, ..Default::default() };
        let p = p.next(Event::PayeeResolved(named.clone())).unwrap();
        let Phase::Confirming(c) = &p else { panic!() };
        assert_eq!(c.payee_name().as_deref(), Some("SANDBOX CAFE"));
        assert_eq!(p.next(Event::PayeeResolved(named)), None, "named once");
        // A code that names its payee keeps its own name.
        assert_eq!(confirming().next(Event::PayeeResolved(ConfirmedPayee::default())), None);
    }
}
