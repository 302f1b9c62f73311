//! The widget's events: one [`WidgetEvent`] value is both the DOM `interpay:*` event (its
//! [`name`](WidgetEvent::name) and plain-object [`detail`](WidgetEvent::detail)) and the typed value
//! a Leptos callback receives, so the two can never disagree.
//!
//! | event | detail |
//! |---|---|
//! | `interpay:scanned` | `{text, code}`, or `{text, code: null, error}` for an invalid payment code |
//! | `interpay:order-created` | `{payment, order}` |
//! | `interpay:succeeded` / `cancelled` / `failed` / `pending` | `{payment, order, outcome}` |
//! | `interpay:error` | `{code, message}` (+ `recovered`, `restarts` for `decoder_crash`) |

use super::camera::CameraError;
use super::contract::Order;
use super::phase::{Event, Phase};
use crate::i18n::{camera_error_msgs, Locale};
use crate::payload::{Code, ParseError, Payment};
use crate::wallet::Outcome;
use serde::Serialize;
use serde_json::{json, Value};

/// A code was read (`interpay:scanned`, `on_scanned`).
#[derive(Debug, Clone, PartialEq)]
pub struct Scanned {
    pub text: String,
    /// The parsed code, or why it is not a valid payment code.
    pub code: Result<Code, ParseError>,
}

/// The merchant created the order (`interpay:order-created`, `on_order_created`).
#[derive(Debug, Clone, PartialEq)]
pub struct OrderCreated {
    pub payment: Payment,
    pub order: Order,
}

/// A payment ended (`interpay:succeeded|cancelled|failed|pending`, `on_succeeded` …).
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentResult {
    pub payment: Payment,
    /// `None` when the order could not be created.
    pub order: Option<Order>,
    pub outcome: Outcome,
}

/// The `code` of `interpay:error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    CameraDenied,
    NoCamera,
    CameraInUse,
    InsecureContext,
    CameraError,
    /// The decoder worker died (and was recreated: `recovered`).
    DecoderCrash,
}

impl ErrorCode {
    /// The wire name (`camera_denied` …).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::CameraDenied => "camera_denied",
            ErrorCode::NoCamera => "no_camera",
            ErrorCode::CameraInUse => "camera_in_use",
            ErrorCode::InsecureContext => "insecure_context",
            ErrorCode::CameraError => "camera_error",
            ErrorCode::DecoderCrash => "decoder_crash",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<CameraError> for ErrorCode {
    fn from(e: CameraError) -> Self {
        match e {
            CameraError::Denied => ErrorCode::CameraDenied,
            CameraError::NoCamera => ErrorCode::NoCamera,
            CameraError::InUse => ErrorCode::CameraInUse,
            CameraError::Insecure => ErrorCode::InsecureContext,
            CameraError::Other => ErrorCode::CameraError,
        }
    }
}

/// Something went wrong outside a payment (`interpay:error`, `on_error`).
#[derive(Debug, Clone, PartialEq)]
pub struct WidgetError {
    pub code: ErrorCode,
    pub message: String,
    /// The widget carries on (a recreated decoder).
    pub recovered: bool,
    /// How often the decoder was recreated (`decoder_crash` only).
    pub restarts: Option<u32>,
}

/// One event of the widget.
#[derive(Debug, Clone, PartialEq)]
pub enum WidgetEvent {
    Scanned(Scanned),
    OrderCreated(OrderCreated),
    Finished(PaymentResult),
    Error(WidgetError),
}

impl WidgetEvent {
    /// The DOM event name.
    pub fn name(&self) -> &'static str {
        match self {
            WidgetEvent::Scanned(_) => "interpay:scanned",
            WidgetEvent::OrderCreated(_) => "interpay:order-created",
            WidgetEvent::Finished(r) => super::result::result_event(&r.outcome),
            WidgetEvent::Error(_) => "interpay:error",
        }
    }

    /// The DOM event's `detail` (plain JSON).
    pub fn detail(&self) -> Value {
        // The payload types always serialise (no non-string map keys); `null` rather than a panic.
        fn j<T: Serialize>(v: &T) -> Value {
            serde_json::to_value(v).unwrap_or(Value::Null)
        }
        match self {
            WidgetEvent::Scanned(s) => match &s.code {
                Ok(code) => json!({ "text": s.text, "code": j(code) }),
                Err(e) => json!({ "text": s.text, "code": null, "error": j(e) }),
            },
            WidgetEvent::OrderCreated(o) => json!({ "payment": j(&o.payment), "order": j(&o.order) }),
            WidgetEvent::Finished(r) => json!({
                "payment": j(&r.payment),
                "order": r.order.as_ref().map(j).unwrap_or(Value::Null),
                "outcome": j(&r.outcome),
            }),
            WidgetEvent::Error(e) => {
                let mut v = json!({ "code": e.code, "message": e.message });
                if e.code == ErrorCode::DecoderCrash {
                    v["recovered"] = e.recovered.into();
                    v["restarts"] = e.restarts.unwrap_or(0).into();
                }
                v
            }
        }
    }

    /// The event a transition raises: `event` moved the checkout into `phase`.
    pub fn for_transition(event: &Event, phase: &Phase, loc: Locale) -> Option<WidgetEvent> {
        Some(match (event, phase) {
            (Event::Scanned { text, code, .. }, _) => WidgetEvent::Scanned(Scanned { text: text.clone(), code: code.clone() }),
            (Event::OrderCreated(_), Phase::WaitingWallet { attempt, order }) => {
                WidgetEvent::OrderCreated(OrderCreated { payment: attempt.checkout.payment.clone(), order: order.clone() })
            }
            (_, Phase::Finished { attempt, order, outcome, .. }) => WidgetEvent::Finished(PaymentResult {
                payment: attempt.checkout.payment.clone(),
                order: order.clone(),
                outcome: outcome.clone(),
            }),
            (Event::CameraFailed(e), Phase::CameraFailed(_)) => WidgetEvent::Error(WidgetError {
                code: (*e).into(),
                message: camera_error_sentence(*e, loc),
                recovered: false,
                restarts: None,
            }),
            _ => return None,
        })
    }
}

/// The camera failure as one sentence (title and advice) in `loc`.
pub fn camera_error_sentence(e: CameraError, loc: Locale) -> String {
    let (title, body) = camera_error_msgs(e);
    let sep = if loc.is_cjk() { "。" } else { ". " };
    format!("{}{sep}{}", loc.t(title), loc.t(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkout::{checkout_total, test_payment};
    use crate::wallet::{Environment, WalletId};

    #[test]
    fn every_transition_that_matters_raises_its_event() {
        let env = Environment { has_sandbox_wallet: true, ..Default::default() };
        let scan = Event::Scanned { text: "t".into(), code: Ok(Code::Payment(test_payment(Some("23.72"), None, 2))), env };
        let p = Phase::Scanning { starting: false }.next(scan.clone()).unwrap();
        let ev = WidgetEvent::for_transition(&scan, &p, Locale::En).unwrap();
        assert_eq!(ev.name(), "interpay:scanned");
        assert_eq!(ev.detail()["code"]["kind"], "payment");
        assert_eq!(ev.detail()["code"]["payee"]["name"], "BEST TRANSPORT");

        let Phase::Confirming(c) = &p else { panic!() };
        let total = checkout_total(&c.payment, "", "").unwrap();
        let confirm = Event::Confirm { wallet: WalletId::Sandbox, total, key: "k".into() };
        let p = p.next(confirm.clone()).unwrap();
        assert_eq!(WidgetEvent::for_transition(&confirm, &p, Locale::En), None);

        let order: Order = serde_json::from_str(r#"{"order_id":"o1","status_url":"/s"}"#).unwrap();
        let created = Event::OrderCreated(order);
        let p = p.next(created.clone()).unwrap();
        let ev = WidgetEvent::for_transition(&created, &p, Locale::En).unwrap();
        assert_eq!(ev.name(), "interpay:order-created");
        assert_eq!(ev.detail()["order"]["order_id"], "o1");

        let p = p.next(Event::WalletAnswered(Outcome::Succeeded)).unwrap();
        let answered = Event::MerchantAnswered(None);
        let p = p.next(answered.clone()).unwrap();
        let ev = WidgetEvent::for_transition(&answered, &p, Locale::En).unwrap();
        assert_eq!(ev.name(), "interpay:pending");
        assert_eq!(ev.detail()["outcome"], json!({"status": "pending"}));

        let again = Event::CheckAgain;
        let p = p.next(again).unwrap();
        let expired = crate::checkout::OrderStatus { order_id: "o1".into(), status: "expired".into(), amount: String::new(), currency: String::new() };
        let answered = Event::MerchantAnswered(Some(expired));
        let p = p.next(answered.clone()).unwrap();
        let ev = WidgetEvent::for_transition(&answered, &p, Locale::En).unwrap();
        assert_eq!(ev.name(), "interpay:failed");
        assert_eq!(ev.detail()["outcome"]["code"], "merchant_expired");
    }

    #[test]
    fn invalid_codes_and_camera_errors() {
        let bad = "000201010212";
        let scan = Event::Scanned { text: bad.into(), code: crate::payload::parse(bad), env: Environment::default() };
        let p = Phase::Scanning { starting: false }.next(scan.clone()).unwrap();
        let d = WidgetEvent::for_transition(&scan, &p, Locale::En).unwrap().detail();
        assert_eq!(d["code"], Value::Null);
        assert!(d["error"]["code"].is_string(), "{d}");

        let fail = Event::CameraFailed(CameraError::Denied);
        let p = Phase::Scanning { starting: true }.next(fail.clone()).unwrap();
        let ev = WidgetEvent::for_transition(&fail, &p, Locale::Fr).unwrap();
        assert_eq!(ev.name(), "interpay:error");
        let d = ev.detail();
        assert_eq!(d["code"], "camera_denied");
        assert!(d["message"].as_str().unwrap().starts_with("Accès à la caméra refusé. "), "{d}");
        assert!(d.get("recovered").is_none());
        let crash = WidgetEvent::Error(WidgetError { code: ErrorCode::DecoderCrash, message: "oom".into(), recovered: true, restarts: Some(2) });
        assert_eq!(crash.detail(), json!({"code": "decoder_crash", "message": "oom", "recovered": true, "restarts": 2}));
        assert_eq!(ErrorCode::from(CameraError::Insecure), ErrorCode::InsecureContext);
        for e in [CameraError::Denied, CameraError::NoCamera, CameraError::InUse, CameraError::Insecure, CameraError::Other] {
            let code = ErrorCode::from(e);
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
            assert_eq!(code.as_str(), e.code(), "the event code is the camera error's code");
        }
    }
}
