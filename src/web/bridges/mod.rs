//! Wallet bridges: one implementation per wallet family, behind one interface.
//!
//! CONTRACT (called by the widget): [`detect_environment`] and [`pay`].
//! Each family lives in its own file and implements [`WalletBridge`]; routing decisions (which wallet
//! can pay which code here) are pure and live in [`crate::wallet`].

use std::future::Future;
use std::pin::Pin;

use serde_json::Value;

use crate::wallet::{Environment, Outcome, WalletId};

pub mod js;
pub mod sandbox;

/// A boxed, single-threaded future (wasm has one thread; JS values are not `Send`).
pub type BoxOutcome<'a> = Pin<Box<dyn Future<Output = Outcome> + 'a>>;

/// One wallet family's JS bridge.
pub trait WalletBridge {
    fn id(&self) -> WalletId;
    /// Can this bridge be driven on this page right now?
    fn is_available(&self, env: &Environment) -> bool;
    /// Hand the merchant's `wallet_params` to the wallet. Never panics: a missing bridge, a thrown
    /// exception or a malformed answer is `Outcome::Failed { code, message }`; no answer in time is
    /// `Outcome::Pending` (the widget then asks the merchant's status endpoint).
    fn pay<'a>(&'a self, params: &'a Value) -> BoxOutcome<'a>;
}

/// The bridge for `wallet`.
pub fn bridge_for(wallet: WalletId) -> Box<dyn WalletBridge> {
    match wallet {
        WalletId::Sandbox => Box::new(sandbox::Sandbox),
        _ => Box::new(NotYet(wallet)),
    }
}

struct NotYet(WalletId);
impl WalletBridge for NotYet {
    fn id(&self) -> WalletId {
        self.0
    }
    fn is_available(&self, _env: &Environment) -> bool {
        false
    }
    fn pay<'a>(&'a self, _params: &'a Value) -> BoxOutcome<'a> {
        let w = self.0;
        Box::pin(async move { js::failed("not_implemented", format!("{w:?} bridge not implemented yet")) })
    }
}

/// Inspect the page (user agent, `window.__wxjs_environment`, the JS bridges present).
pub fn detect_environment() -> Environment {
    let mut env = Environment::default();
    if let Some(w) = web_sys::window() {
        env.user_agent = w.navigator().user_agent().unwrap_or_default();
        env.has_sandbox_wallet = js::global(&["SandboxWalletJSBridge"]).is_some();
    }
    env
}

/// Hand the merchant's wallet parameters to `wallet`'s JS bridge; resolves with the bridge's outcome
/// (never trusted as final: the widget confirms with the merchant's status endpoint).
pub async fn pay(wallet: WalletId, wallet_params: &serde_json::Value) -> Outcome {
    bridge_for(wallet).pay(wallet_params).await
}
