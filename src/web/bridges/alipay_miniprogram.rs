//! Alipay mini-program `<web-view>`. The web page loads `https://appx/web-view.min.js`, which gives
//! it `my.postMessage` (delivered at once to the host page's `onMessage`) and `my.onMessage`
//! (receives the host page's `webViewContext.postMessage`). We post
//! `{interpay: "tradePay", order_id, tradeNO}`; the host page (sample: `www/miniprogram/alipay/`) calls
//! `my.tradePay({tradeNO})` and posts back `{interpay: "tradePay:result", order_id, resultCode, memo}`.
//! The page never calls `my.tradePay` itself: the web-view JS-SDK does not document it, only the
//! mini-program page may pay.

use js_sys::{Function, Reflect};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::runner::WALLET_MS as TIMEOUT_MS;
use crate::wallet::{params, results, Outcome};
use crate::web::js::{self, Called};

fn is_result_for(data: &Value, order_id: &str) -> bool {
    data.get("interpay").and_then(Value::as_str) == Some("tradePay:result")
        && data.get("order_id").and_then(Value::as_str).map(|o| o == order_id).unwrap_or(true)
}

/// Post the order to the mini-program host page and wait for its `tradePay` verdict.
pub async fn pay(wallet_params: &Value) -> Outcome {
    let args = match params::pick(wallet_params, params::ALIPAY_TRADE_PAY) {
        Ok(a) => a,
        Err(o) => return o,
    };
    let order_id = wallet_params.get("order_id").and_then(Value::as_str).unwrap_or("").to_string();
    let Some(my) = js::global(&["my"]) else {
        return js::missing("my (load https://appx/web-view.min.js in the web-view page)");
    };
    if let Some(post) = js::method(&my, "postMessage") {
        let previous = Reflect::get(&my, &"onMessage".into()).ok().and_then(|f| f.dyn_into::<Function>().ok());
        let msg = json!({"interpay": "tradePay", "order_id": order_id, "tradeNO": args["tradeNO"]});
        let called = js::call_with_callback(TIMEOUT_MS, |cb| {
            let cb = cb.clone();
            let (my2, prev, oid) = (my.clone(), previous.clone(), order_id.clone());
            let handler = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
                let raw = js::from_js(&e);
                // Alipay hands the posted object itself; accept `{data: …}` too.
                let data = if raw.get("interpay").is_some() { raw } else { raw.get("data").cloned().unwrap_or(Value::Null) };
                if is_result_for(&data, &oid) {
                    let _ = cb.call1(&JsValue::NULL, &js::to_js(&data));
                } else if let Some(p) = &prev {
                    let _ = p.call1(&my2, &e);
                }
            });
            js::set(&my, "onMessage", handler.as_ref());
            handler.forget();
            post.call1(&my, &js::to_js(&msg))
        })
        .await;
        // Give the page's own handler back.
        js::set(&my, "onMessage", previous.as_ref().map(|f| f.as_ref()).unwrap_or(&JsValue::UNDEFINED));
        return match called {
            Called::Back(res) => results::alipay(&js::from_js(&res)),
            Called::TimedOut => Outcome::Pending,
            Called::Threw(e) => js::threw("my.postMessage", &e),
        };
    }
    js::missing("my.postMessage (load https://appx/web-view.min.js in the web-view page)")
}
