//! Interpay: an open, interoperable scan-to-pay widget.
//!
//! The pure core builds and tests natively (`cargo test`):
//! - [`decode`]: camera frame / image → QR codes (text, bytes, corners);
//! - [`payload`]: QR text → a normalised payment (or "not a payment code"), and payload generation;
//! - [`wallet`]: which wallet can pay which code in which environment, and one outcome type;
//! - [`checkout`]: the checkout state machine, amounts and fees, the merchant contract, the events;
//! - [`i18n`]: every message of the widget in every supported language, keyed by enums.
//!
//! The browser edge ([`web`], wasm32 only) is a thin Leptos/web-sys layer over that core.

pub mod checkout;
pub mod decode;
pub mod i18n;
pub mod payload;
pub mod wallet;

#[cfg(target_arch = "wasm32")]
pub mod web;
