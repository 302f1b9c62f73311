//! The end of a payment: the merchant's status as an outcome, how long to poll it, and the outcome
//! the shopper is shown (the merchant has the last word; a wallet "ok" is never final on its own).

use super::contract::{Order, OrderStatus};
use crate::wallet::{FailureCode, FailureSource, Outcome};

/// The `message` of a failure the merchant's status reports (the event detail's; the shopper reads
/// a localized [`Notice`]).
pub const MERCHANT_FAILED: &str = "The merchant reports that the payment did not go through.";

/// The merchant's status, as an outcome when it is final.
pub fn status_outcome(status: &str) -> Option<Outcome> {
    match status {
        "paid" | "succeeded" | "success" => Some(Outcome::Succeeded),
        "cancelled" | "canceled" => Some(Outcome::Cancelled),
        "failed" => Some(Outcome::failed(FailureCode::MerchantFailed, MERCHANT_FAILED)),
        "declined" => Some(Outcome::failed(FailureCode::MerchantDeclined, MERCHANT_FAILED)),
        "expired" => Some(Outcome::failed(FailureCode::MerchantExpired, MERCHANT_FAILED)),
        _ => None,
    }
}

/// The merchant's answer as an outcome, if it is final and about this order for its amount (an
/// answer about another order or amount is not believed: the payment stays unconfirmed).
pub fn believed_outcome(status: &OrderStatus, order: &Order) -> Option<Outcome> {
    status.check(order).ok()?;
    status_outcome(&status.status)
}

/// Delays (ms) before each status check after the wallet answered. A wallet that says "paid" (or
/// does not know yet) gets a few checks with a short backoff; a cancel / failure is checked once
/// (the merchant may still know better, e.g. a late notification).
pub fn status_poll_delays(bridge: &Outcome) -> &'static [u32] {
    match bridge {
        Outcome::Succeeded | Outcome::Pending => &[0, 400, 800, 1200, 1600, 2400, 3200],
        Outcome::Cancelled | Outcome::Failed { .. } => &[0, 600],
    }
}

/// The outcome shown to the shopper. The merchant's final status wins; while the merchant still
/// says "created", a wallet "success" is only [`Outcome::Pending`] (never shown as paid), and a
/// wallet cancel / failure stands.
pub fn final_outcome(bridge: &Outcome, merchant: Option<&Outcome>) -> Outcome {
    match (merchant, bridge) {
        (Some(Outcome::Failed { code, .. }), Outcome::Failed { message, .. }) if !message.is_empty() => {
            Outcome::Failed { code: code.clone(), message: message.clone() }
        }
        (Some(m), _) if *m != Outcome::Pending => m.clone(),
        (_, Outcome::Succeeded) | (_, Outcome::Pending) => Outcome::Pending,
        (_, other) => other.clone(),
    }
}

/// Whether polling can stop after this merchant status.
pub fn poll_done(merchant: Option<&Outcome>) -> bool {
    matches!(merchant, Some(o) if *o != Outcome::Pending)
}

/// The result screens of the widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultScreen {
    Success,
    Cancelled,
    Failed,
    /// Paid in the wallet but not confirmed by the merchant yet.
    Pending,
}

pub fn result_screen(outcome: &Outcome) -> ResultScreen {
    match outcome {
        Outcome::Succeeded => ResultScreen::Success,
        Outcome::Cancelled => ResultScreen::Cancelled,
        Outcome::Failed { .. } => ResultScreen::Failed,
        Outcome::Pending => ResultScreen::Pending,
    }
}

/// The `interpay:*` event name for a result.
pub fn result_event(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Succeeded => "interpay:succeeded",
        Outcome::Cancelled => "interpay:cancelled",
        Outcome::Failed { .. } => "interpay:failed",
        Outcome::Pending => "interpay:pending",
    }
}

/// What the result screen tells the shopper (each variant is one localized message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Paid,
    Cancelled,
    /// The wallet said ok (or nothing) and the merchant has not confirmed yet.
    Pending,
    /// The merchant's server could not be reached.
    Network,
    /// The merchant's answer to the order request was not an order.
    OrderUnreadable,
    /// The merchant refused the order; `detail` is its message (or code).
    OrderRefused { detail: String },
    /// The merchant's status says the payment did not go through; `wallet_detail` is what the
    /// wallet said when it failed too.
    MerchantFailed { wallet_detail: Option<String> },
    /// The wallet (or its bridge on this page) failed; `detail` is its message (or code).
    WalletFailed { detail: String },
}

/// The notice for a final outcome; `bridge` is what the wallet said before the merchant was asked.
pub fn notice(outcome: &Outcome, bridge: Option<&Outcome>) -> Notice {
    let or_code = |message: &str, code: &FailureCode| if message.is_empty() { code.to_string() } else { message.to_string() };
    match outcome {
        Outcome::Succeeded => Notice::Paid,
        Outcome::Cancelled => Notice::Cancelled,
        Outcome::Pending => Notice::Pending,
        Outcome::Failed { code, message } => match code.source() {
            FailureSource::Network => Notice::Network,
            FailureSource::Order if *code == FailureCode::BadOrderResponse => Notice::OrderUnreadable,
            FailureSource::Order => Notice::OrderRefused { detail: or_code(message, code) },
            FailureSource::Merchant => Notice::MerchantFailed {
                wallet_detail: match bridge {
                    Some(Outcome::Failed { message, .. }) if !message.is_empty() => Some(message.clone()),
                    _ => None,
                },
            },
            FailureSource::Bridge | FailureSource::Wallet => Notice::WalletFailed { detail: or_code(message, code) },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_merchant_has_the_last_word() {
        let paid = status_outcome("paid");
        let created = status_outcome("created");
        assert_eq!(created, None);
        assert_eq!(final_outcome(&Outcome::Succeeded, paid.as_ref()), Outcome::Succeeded);
        // Wallet says paid, merchant never confirms: not shown as paid.
        assert_eq!(final_outcome(&Outcome::Succeeded, None), Outcome::Pending);
        // Wallet says cancelled, merchant says paid (late notification): paid.
        assert_eq!(final_outcome(&Outcome::Cancelled, paid.as_ref()), Outcome::Succeeded);
        assert_eq!(final_outcome(&Outcome::Cancelled, None), Outcome::Cancelled);
        let wallet_fail = Outcome::failed(FailureCode::Wallet("insufficient_funds".into()), "Not enough money");
        assert_eq!(final_outcome(&wallet_fail, None), wallet_fail);
        match final_outcome(&wallet_fail, status_outcome("failed").as_ref()) {
            Outcome::Failed { code, message } => assert_eq!((code, message.as_str()), (FailureCode::MerchantFailed, "Not enough money")),
            o => panic!("{o:?}"),
        }
        assert!(matches!(final_outcome(&Outcome::Succeeded, status_outcome("failed").as_ref()), Outcome::Failed { .. }));
        assert_eq!(final_outcome(&Outcome::Succeeded, status_outcome("cancelled").as_ref()), Outcome::Cancelled);
        assert!(poll_done(paid.as_ref()));
        assert!(!poll_done(None));
        assert!(status_poll_delays(&Outcome::Succeeded).len() > status_poll_delays(&Outcome::Cancelled).len());
        assert_eq!(result_screen(&Outcome::Pending), ResultScreen::Pending);
        assert_eq!(result_event(&wallet_fail), "interpay:failed");
    }

    #[test]
    fn notices_say_who_failed() {
        assert_eq!(notice(&Outcome::Succeeded, None), Notice::Paid);
        assert_eq!(notice(&Outcome::Pending, Some(&Outcome::Succeeded)), Notice::Pending);
        assert_eq!(notice(&Outcome::failed(FailureCode::NetworkError, "timeout"), None), Notice::Network);
        assert_eq!(notice(&Outcome::failed(FailureCode::BadOrderResponse, "eof"), None), Notice::OrderUnreadable);
        assert_eq!(
            notice(&Outcome::failed(FailureCode::OrderRefused("amount_mismatch".into()), ""), None),
            Notice::OrderRefused { detail: "amount_mismatch".into() }
        );
        // The merchant says failed after the wallet said ok: no wallet detail to add.
        let merchant = status_outcome("declined").unwrap();
        assert_eq!(notice(&merchant, Some(&Outcome::Succeeded)), Notice::MerchantFailed { wallet_detail: None });
        let wallet_fail = Outcome::failed(FailureCode::PaymentFailed, "余额不足");
        let shown = final_outcome(&wallet_fail, Some(&merchant));
        assert_eq!(notice(&shown, Some(&wallet_fail)), Notice::MerchantFailed { wallet_detail: Some("余额不足".into()) });
        assert_eq!(notice(&wallet_fail, Some(&wallet_fail)), Notice::WalletFailed { detail: "余额不足".into() });
        assert_eq!(
            notice(&Outcome::failed(FailureCode::BridgeMissing, ""), None),
            Notice::WalletFailed { detail: "bridge_missing".into() }
        );
    }
}
