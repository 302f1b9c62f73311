//! Alipay app (in-app browser): `AlipayJSBridge.call('tradePay', {tradeNO}, cb)`,
//! `cb({resultCode: "9000" | "8000" | "4000" | "5000" | "6001" | "6002" | "6004", memo, result})`.
//! The bridge is injected asynchronously: we wait for `document`'s `AlipayJSBridgeReady` if needed.

use super::runner::{Call, CallbackBridge};
use crate::wallet::{params, results};

pub const BRIDGE: CallbackBridge = CallbackBridge {
    global: "AlipayJSBridge",
    ready_event: Some("AlipayJSBridgeReady"),
    hint: "open this page in Alipay",
    fields: Some(params::ALIPAY_TRADE_PAY),
    call: Call::Named { method: "call", name: "tradePay" },
    on_result: results::alipay,
    on_fail: results::alipay,
    before: None,
};
