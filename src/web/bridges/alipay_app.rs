//! Alipay app (in-app browser): `AlipayJSBridge.call('tradePay', {tradeNO}, cb)`,
//! `cb({resultCode: "9000" | "8000" | "4000" | "5000" | "6001" | "6002" | "6004", memo, result})`.
//! The bridge is injected asynchronously: we wait for `document`'s `AlipayJSBridgeReady` if needed.

use serde_json::Value;

use super::js::{self, Called};
use super::{BoxOutcome, WalletBridge};
use crate::wallet::{params, results, Outcome, WalletId};

const READY_MS: i32 = 5_000;
const TIMEOUT_MS: i32 = 10 * 60 * 1000;

pub struct AlipayApp;

impl WalletBridge for AlipayApp {
    fn id(&self) -> WalletId {
        WalletId::AlipayApp
    }

    fn pay<'a>(&'a self, wallet_params: &'a Value) -> BoxOutcome<'a> {
        Box::pin(async move {
            let args = match params::pick(wallet_params, params::ALIPAY_TRADE_PAY) {
                Ok(a) => a,
                Err(o) => return o,
            };
            let Some(bridge) = js::wait_for_global("AlipayJSBridge", "AlipayJSBridgeReady", READY_MS).await else {
                return js::missing("AlipayJSBridge (open this page in Alipay)");
            };
            let Some(call) = js::method(&bridge, "call") else {
                return js::missing("AlipayJSBridge.call");
            };
            let args = js::to_js(&args);
            match js::call_with_callback(TIMEOUT_MS, |cb| call.call3(&bridge, &"tradePay".into(), &args, cb)).await {
                Called::Back(res) => results::alipay(&js::from_js(&res)),
                Called::TimedOut => Outcome::Pending,
                Called::Threw(e) => js::threw("AlipayJSBridge.call", &e),
            }
        })
    }
}
