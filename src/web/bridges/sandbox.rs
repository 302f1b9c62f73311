//! The sandbox wallet (`www/sandbox-wallet.js`): same shape as a mini-program payment API,
//! `SandboxWalletJSBridge.invoke('requestPayment', params, cb)` with
//! `cb({err_msg: "requestPayment:ok|cancel|fail", err_code?, err_desc?})`.

use super::runner::{Call, CallbackBridge};
use crate::wallet::results;

pub const BRIDGE: CallbackBridge = CallbackBridge {
    global: "SandboxWalletJSBridge",
    ready_event: None,
    hint: "load the demo's sandbox-wallet.js",
    fields: None,
    call: Call::Named { method: "invoke", name: "requestPayment" },
    on_result: results::sandbox,
    on_fail: results::sandbox,
    before: None,
};
