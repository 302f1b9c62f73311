//! W3C Payment Request API: `new PaymentRequest(methodData, details, options)`,
//! `canMakePayment()`, `show()` → `PaymentResponse`, `response.complete(result)`.
//! The response (e.g. a network token) means nothing until the merchant processes it: when
//! `wallet_params.complete_url` is given, `{order_id, methodName, details}` is POSTed there and the
//! sheet is completed with `"success"` / `"fail"` from the answer; otherwise `"unknown"` and Pending.

use js_sys::{Array, Function, Promise, Reflect};
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::wallet::{results, FailureCode, Outcome};
use crate::web::js::{self, Called};

const CAN_MAKE_MS: i32 = 5_000;
use super::runner::WALLET_MS as TIMEOUT_MS;
const COMPLETE_MS: i32 = 30_000;

fn rejected(e: &JsValue) -> Outcome {
    let name = js::error_name(e).unwrap_or_default();
    let message = Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_else(|| js::error_message(e));
    if name == "TypeError" {
        // The constructor rejects malformed methodData/details with a TypeError.
        return js::failed(FailureCode::BadWalletParams, message);
    }
    results::payment_request_error(&name, &message)
}

async fn complete(response: &JsValue, result: &str) {
    if let Some(c) = js::method(response, "complete") {
        if let Ok(p) = c.call1(response, &result.into()) {
            if let Ok(p) = p.dyn_into::<Promise>() {
                let _ = js::await_promise(&p, 5_000).await;
            }
        }
    }
}

/// POST the payment response to the merchant; `Ok(true)` when it answered 2xx.
async fn post_json(url: &str, body: &Value) -> Result<bool, String> {
    let window = web_sys::window().ok_or("no window")?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(&body.to_string()));
    let headers = web_sys::Headers::new().map_err(|e| js::error_message(&e))?;
    headers.set("content-type", "application/json").map_err(|e| js::error_message(&e))?;
    init.set_headers(&headers);
    let p = window.fetch_with_str_and_init(url, &init);
    match js::await_promise(&p, COMPLETE_MS).await {
        Called::Back(r) => Ok(r.dyn_into::<web_sys::Response>().map(|r| r.ok()).unwrap_or(false)),
        Called::TimedOut => Err("merchant did not answer in time".into()),
        Called::Threw(e) => Err(js::error_message(&e)),
    }
}

/// Show the payment sheet, send the response to the merchant, complete the sheet with its verdict.
pub async fn pay(p: &Value) -> Outcome {
    let Some(ctor) = js::global(&["PaymentRequest"]).and_then(|c| c.dyn_into::<Function>().ok()) else {
        return js::failed(FailureCode::NoPaymentHandler, "This browser has no Payment Request API");
    };
    let (Some(method_data), Some(details)) =
        (p.get("methodData").filter(|m| m.is_array()), p.get("details").filter(|d| d.is_object()))
    else {
        return js::failed(FailureCode::BadWalletParams, "wallet_params needs methodData (array) and details (object)");
    };
    let args = Array::of2(&js::to_js(method_data), &js::to_js(details));
    if let Some(options) = p.get("options").filter(|o| o.is_object()) {
        args.push(&js::to_js(options));
    }
    let request = match Reflect::construct(&ctor, &args) {
        Ok(r) => r,
        Err(e) => return rejected(&e),
    };
    if let Some(can) = js::method(&request, "canMakePayment") {
        if let Ok(Ok(pr)) = can.call0(&request).map(|v| v.dyn_into::<Promise>()) {
            // A `false` is definitive; errors / timeouts (e.g. rate limits) let show() decide.
            if let Called::Back(v) = js::await_promise(&pr, CAN_MAKE_MS).await {
                if v.as_bool() == Some(false) {
                    return js::failed(FailureCode::NoPaymentHandler, "No payment handler can pay this order in this browser");
                }
            }
        }
    }
    let Some(show) = js::method(&request, "show") else {
        return js::missing("PaymentRequest.prototype.show");
    };
    let shown = match show.call0(&request).map(|v| v.dyn_into::<Promise>()) {
        Ok(Ok(pr)) => pr,
        Ok(Err(_)) => return js::failed(FailureCode::BadBridgeResponse, "PaymentRequest.show() did not return a promise"),
        Err(e) => return rejected(&e),
    };
    let response = match js::await_promise(&shown, TIMEOUT_MS).await {
        Called::Back(r) => r,
        Called::Threw(e) => return rejected(&e),
        Called::TimedOut => {
            if let Some(abort) = js::method(&request, "abort") {
                if let Ok(pr) = abort.call0(&request) {
                    let _ = pr.dyn_into::<Promise>().map(JsFuture::from);
                }
            }
            return Outcome::Pending;
        }
    };
    let resp = js::from_js(&response);
    let Some(url) = p.get("complete_url").and_then(Value::as_str) else {
        complete(&response, "unknown").await;
        return Outcome::Pending;
    };
    let body = json!({
        "order_id": p.get("order_id").cloned().unwrap_or(Value::Null),
        "methodName": resp.get("methodName").cloned().unwrap_or(Value::Null),
        "details": resp.get("details").cloned().unwrap_or(Value::Null),
    });
    match post_json(url, &body).await {
        Ok(true) => {
            complete(&response, "success").await;
            Outcome::Succeeded
        }
        Ok(false) => {
            complete(&response, "fail").await;
            js::failed(FailureCode::MerchantDeclined, "The merchant could not process this payment")
        }
        Err(m) => {
            complete(&response, "unknown").await;
            let _ = m;
            Outcome::Pending
        }
    }
}

