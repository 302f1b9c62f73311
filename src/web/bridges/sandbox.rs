//! The sandbox wallet (`www/sandbox-wallet.js`): same shape as a mini-program payment API,
//! `SandboxWalletJSBridge.invoke('requestPayment', params, cb)` with `cb({err_msg: "requestPayment:ok|cancel|fail", err_code?, err_desc?})`.

use serde_json::Value;

use super::js::{self, Called};
use super::{BoxOutcome, WalletBridge};
use crate::wallet::{results, Environment, Outcome, WalletId};

/// The sheet waits for a human: give up after 10 minutes and let the status endpoint decide.
const TIMEOUT_MS: i32 = 10 * 60 * 1000;

pub struct Sandbox;

impl WalletBridge for Sandbox {
    fn id(&self) -> WalletId {
        WalletId::Sandbox
    }

    fn is_available(&self, env: &Environment) -> bool {
        env.has_sandbox_wallet
    }

    fn pay<'a>(&'a self, params: &'a Value) -> BoxOutcome<'a> {
        Box::pin(async move {
            let Some(bridge) = js::global(&["SandboxWalletJSBridge"]) else {
                return js::missing("window.SandboxWalletJSBridge");
            };
            let Some(invoke) = js::method(&bridge, "invoke") else {
                return js::missing("SandboxWalletJSBridge.invoke");
            };
            let args = js::to_js(params);
            match js::call_with_callback(TIMEOUT_MS, |cb| invoke.call3(&bridge, &"requestPayment".into(), &args, cb)).await {
                Called::Back(res) => results::sandbox(&js::from_js(&res)),
                Called::TimedOut => Outcome::Pending,
                Called::Threw(e) => js::threw("SandboxWalletJSBridge.invoke", &e),
            }
        })
    }
}
