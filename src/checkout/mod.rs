//! Checkout decisions the widget makes, kept pure so they are tested natively (`cargo test`).
//!
//! | module | what |
//! |---|---|
//! | [`phase`] | the checkout state machine: [`Phase`], [`Event`], [`Phase::next`] |
//! | [`amount`] | typed amounts (exact decimals), tips / convenience fees, the total |
//! | [`contract`] | the merchant contract messages (order request, order, status, errors) |
//! | [`result`] | the merchant's status, polling, the final outcome and the shopper's [`Notice`] |
//! | [`camera`] | which camera to open, camera failures, the scan square |
//! | [`events`] | the `interpay:*` events and their typed payloads |
//! | [`reading`] | what the reader module sends the widget for each frame |
//!
//! The browser edge (`crate::web`, wasm only) is glue around these.

pub mod amount;
pub mod camera;
pub mod contract;
pub mod events;
pub mod phase;
pub mod reading;
pub mod result;

pub use amount::{amount_string, checkout_total, fee, needs_typed_amount, parse_amount, AmountError, Total, TotalError, MAX_TYPED_AMOUNT};
pub use camera::{faces_user, preferred_camera, scan_square, CameraDevice, CameraError};
pub use contract::{api_error, pinned_url, ApiError, ApiErrorBody, ConfirmedPayee, Order, OrderRequest, OrderStatus, Payer, StatusMismatch};
pub use events::{OrderCreated, PaymentResult, Scanned, WidgetError, WidgetEvent};
pub use phase::{payee_name, Attempt, Checkout, Event, Phase};
pub use result::{believed_outcome, final_outcome, notice, poll_done, result_screen, status_outcome, status_poll_delays, Notice, ResultScreen};

/// A valid UnionPay EMVCo code (the EMVCo specification's example) for the unit tests.
#[cfg(test)]
pub(crate) const EXAMPLE_CODE: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

/// A payment for the unit tests of this module: payee "BEST TRANSPORT", CNY (JPY when `mu == 0`).
#[cfg(test)]
pub(crate) fn test_payment(amount: Option<&str>, tip: Option<crate::payload::TipRule>, mu: u8) -> crate::payload::Payment {
    use crate::payload::{Currency, Initiation, Payee, Payment};
    use std::str::FromStr;
    let mut p = Payment::new("emv_mpm");
    p.payee = Payee { name: Some("BEST TRANSPORT".into()), ..Default::default() };
    p.amount = amount.map(|a| rust_decimal::Decimal::from_str(a).unwrap());
    p.currency = Some(Currency { code: if mu == 0 { "JPY".into() } else { "CNY".into() }, numeric: None, minor_units: mu });
    p.initiation = if amount.is_some() { Initiation::Dynamic } else { Initiation::Static };
    p.tip = tip;
    p
}
