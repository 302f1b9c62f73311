//! UnionPay Cloud QuickPass (云闪付) and UnionPay-based bank apps: the public UPSDK
//! (`https://open.95516.com/s/open/js/upsdk.js`, loaded by the merchant page).
//! `upsdk.config({appId, timestamp, nonceStr, signature, debug})` (signature made server-side from
//! the merchant's UnionPay credentials), `upsdk.ready(fn)`, then
//! `upsdk.pay({tn, success(), fail(err)})` where `tn` is the order number UnionPay's gateway gave
//! the merchant server.

use serde_json::Value;

use super::js::{self, Settled};
use super::{BoxOutcome, WalletBridge};
use crate::wallet::{params, results, Outcome, WalletId};

const READY_MS: i32 = 5_000;
const TIMEOUT_MS: i32 = 10 * 60 * 1000;

pub struct Unionpay;

impl WalletBridge for Unionpay {
    fn id(&self) -> WalletId {
        WalletId::Unionpay
    }

    fn pay<'a>(&'a self, wallet_params: &'a Value) -> BoxOutcome<'a> {
        Box::pin(async move {
            let args = match params::pick(wallet_params, params::UNIONPAY_PAY) {
                Ok(a) => a,
                Err(o) => return o,
            };
            let Some(sdk) = js::global(&["upsdk"]) else {
                return js::missing("upsdk (load UnionPay's upsdk.js)");
            };
            let Some(pay) = js::method(&sdk, "pay") else {
                return js::missing("upsdk.pay");
            };
            // Optional signed config from the merchant server.
            if let (Some(cfg), Some(config)) = (wallet_params.get("config").filter(|c| c.is_object()), js::method(&sdk, "config")) {
                if let Err(e) = config.call1(&sdk, &js::to_js(cfg)) {
                    return js::threw("upsdk.config", &e);
                }
            }
            if let Some(ready) = js::method(&sdk, "ready") {
                // Not ready in time: try anyway, pay() reports its own failure.
                if let js::Called::Threw(e) = js::call_with_callback(READY_MS, |cb| ready.call1(&sdk, cb)).await {
                    return js::threw("upsdk.ready", &e);
                }
            }
            let tn = js::to_js(&args["tn"]);
            match js::call_with_callbacks(TIMEOUT_MS, |opts| {
                js::set(opts, "tn", &tn);
                pay.call1(&sdk, opts)
            })
            .await
            {
                Settled::Success(_) => Outcome::Succeeded,
                Settled::Fail(err) => results::unionpay(&js::from_js(&err)),
                Settled::TimedOut => Outcome::Pending,
                Settled::Threw(e) => js::threw("upsdk.pay", &e),
            }
        })
    }
}
