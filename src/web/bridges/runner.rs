//! The skeleton every callback-style wallet API shares: pick the signed fields the API takes → wait
//! for the wallet's global (injected asynchronously by the wallet apps) → call it with a callback
//! (or a `{success, fail}` object) → map what comes back into the one [`Outcome`]. Each wallet is a
//! small [`CallbackBridge`] spec in its own file.

use std::future::Future;
use std::pin::Pin;

use serde_json::Value;

use crate::wallet::{params, Outcome};
use crate::web::js::{self, Called, Settled};

/// How long a wallet app may take to inject its bridge after the page loaded.
pub const READY_MS: i32 = 5_000;
/// A wallet sheet waits for a human: after this the merchant's status endpoint decides.
pub const WALLET_MS: i32 = 10 * 60 * 1000;

/// A future on the page's single thread (JS values are not `Send`).
pub type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// A step before the wallet call (see [`CallbackBridge::before`]).
pub type Before = for<'a> fn(&'a wasm_bindgen::JsValue, &'a Value) -> LocalFuture<'a, Result<(), Outcome>>;

/// How the API is called.
pub enum Call {
    /// `api[method](name, args, callback)` (`WeixinJSBridge.invoke('getBrandWCPayRequest', …)`,
    /// `AlipayJSBridge.call('tradePay', …)`).
    Named { method: &'static str, name: &'static str },
    /// `api[method]({...args, success, fail})` (`upsdk.pay`, `wx.*`, `my.*`).
    SuccessFail { method: &'static str },
}

/// One wallet's callback-style JS API.
pub struct CallbackBridge {
    /// The global object (`WeixinJSBridge`, `upsdk` …).
    pub global: &'static str,
    /// The `document` event that announces the global, when the wallet injects it late.
    pub ready_event: Option<&'static str>,
    /// What to tell a page without the global (`open this page in WeChat`).
    pub hint: &'static str,
    /// The `wallet_params` fields the API takes (all required); `None`: the params as they are.
    pub fields: Option<&'static [&'static str]>,
    pub call: Call,
    /// The callback's (or `success`') value → outcome.
    pub on_result: fn(&Value) -> Outcome,
    /// The `fail` callback's value → outcome ([`Call::SuccessFail`] only).
    pub on_fail: fn(&Value) -> Outcome,
    /// Steps before the call (a config to apply, an environment to refuse); `Err` ends the payment.
    pub before: Option<Before>,
}

impl CallbackBridge {
    /// Hand `wallet_params` to the wallet. Never panics: a missing API, a thrown exception or an
    /// unreadable answer is `Failed`; no answer in time is `Pending`.
    pub async fn pay(&self, wallet_params: &Value) -> Outcome {
        let args = match self.fields {
            Some(keys) => match params::pick(wallet_params, keys) {
                Ok(a) => a,
                Err(o) => return o,
            },
            None => wallet_params.clone(),
        };
        let api = match self.ready_event {
            Some(ev) => js::wait_for_global(self.global, ev, READY_MS).await,
            None => js::global(&[self.global]),
        };
        let Some(api) = api else {
            return js::missing(&format!("{} ({})", self.global, self.hint));
        };
        if let Some(before) = self.before {
            if let Err(o) = before(&api, wallet_params).await {
                return o;
            }
        }
        let method = match self.call {
            Call::Named { method, .. } | Call::SuccessFail { method } => method,
        };
        let what = format!("{}.{method}", self.global);
        let Some(f) = js::method(&api, method) else {
            return js::missing(&what);
        };
        let args_js = js::to_js(&args);
        match self.call {
            Call::Named { name, .. } => {
                match js::call_with_callback(WALLET_MS, |cb| f.call3(&api, &name.into(), &args_js, cb)).await {
                    Called::Back(res) => (self.on_result)(&js::from_js(&res)),
                    Called::TimedOut => Outcome::Pending,
                    Called::Threw(e) => js::threw(&what, &e),
                }
            }
            Call::SuccessFail { .. } => {
                let settled = js::call_with_callbacks(WALLET_MS, |opts| {
                    if let Some(map) = args.as_object() {
                        for k in map.keys() {
                            js::set(opts, k, &js::get(&args_js, k));
                        }
                    }
                    f.call1(&api, opts)
                })
                .await;
                match settled {
                    Settled::Success(res) => (self.on_result)(&js::from_js(&res)),
                    Settled::Fail(res) => (self.on_fail)(&js::from_js(&res)),
                    Settled::TimedOut => Outcome::Pending,
                    Settled::Threw(e) => js::threw(&what, &e),
                }
            }
        }
    }
}
