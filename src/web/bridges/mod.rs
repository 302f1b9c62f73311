//! Wallet bridges: one implementation per wallet family, behind one interface.
//!
//! CONTRACT (called by the widget): [`detect_environment`] and [`pay`].

use crate::wallet::{Environment, Outcome, WalletId};

/// Inspect the page (user agent, `window.__wxjs_environment`, the JS bridges present).
pub fn detect_environment() -> Environment {
    let mut env = Environment::default();
    if let Some(w) = web_sys::window() {
        env.user_agent = w.navigator().user_agent().unwrap_or_default();
        env.has_sandbox_wallet = js_sys::Reflect::has(&w, &"SandboxWalletJSBridge".into()).unwrap_or(false);
    }
    env
}

/// Hand the merchant's wallet parameters to `wallet`'s JS bridge; resolves with the bridge's outcome
/// (never trusted as final: the widget confirms with the merchant's status endpoint).
pub async fn pay(wallet: WalletId, wallet_params: &serde_json::Value) -> Outcome {
    let _ = wallet_params;
    Outcome::Failed { code: "not_implemented".into(), message: format!("{wallet:?} bridge not implemented yet") }
}
