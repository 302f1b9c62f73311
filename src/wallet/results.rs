//! Result-code mapping: every wallet family's own result vocabulary → the one [`Outcome`].
//!
//! Pure functions over the JSON a bridge handed back (`serde_json::Value`), so they are tested
//! natively. No mapping ever makes a payment final: `Succeeded` only means "the wallet says so",
//! the widget then confirms with the merchant's status endpoint.

use super::{FailureCode, Outcome};
use serde_json::Value;

fn failed(code: FailureCode, message: impl Into<String>) -> Outcome {
    Outcome::Failed { code, message: message.into() }
}

fn str_field<'a>(v: &'a Value, keys: &[&str]) -> Option<&'a str> {
    keys.iter().find_map(|k| v.get(*k).and_then(Value::as_str))
}

/// A field that wallets send either as a string or as a number (`resultCode: "9000"` or `9000`).
fn code_field(v: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match v.get(*k)? {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// The `err_msg` convention shared by WeChat's `WeixinJSBridge.invoke` callbacks and the sandbox
/// wallet: `"<api>:ok"`, `"<api>:cancel"`, `"<api>:fail…"` (WeChat sometimes appends a reason after
/// `fail`, e.g. `"get_brand_wcpay_request:fail_invalid appid"`, or uses `errMsg` instead of `err_msg`).
fn err_msg_outcome(res: &Value, api: &str, family: &str) -> Outcome {
    let Some(msg) = str_field(res, &["err_msg", "errMsg"]) else {
        return failed(FailureCode::BadBridgeResponse, format!("{family} callback had no err_msg: {res}"));
    };
    let detail = || {
        let code = code_field(res, &["err_code", "errCode"]);
        let desc = str_field(res, &["err_desc", "errDesc"]).map(str::to_string);
        (code, desc)
    };
    let lower = msg.trim().to_ascii_lowercase();
    // Accept the expected API prefix, or any prefix (some WeChat versions report "requestPayment:…"
    // or "chooseWXPay:…" for the same sheet); the status after the colon is what matters.
    let status = match lower.split_once(':') {
        Some((prefix, status)) if prefix == api.to_ascii_lowercase() || !prefix.is_empty() => status,
        _ => lower.as_str(),
    };
    if status == "ok" {
        Outcome::Succeeded
    } else if status == "cancel" || status.starts_with("cancel") {
        Outcome::Cancelled
    } else if status.starts_with("fail") {
        let (code, desc) = detail();
        let reason = status.strip_prefix("fail").unwrap_or("").trim_start_matches(['_', ' ', ':']);
        let slug: String = reason
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect::<String>()
            .split('_')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("_");
        let code = code.unwrap_or_else(|| if slug.is_empty() { "fail".into() } else { slug });
        failed(FailureCode::from_wire(&code), desc.unwrap_or_else(|| msg.to_string()))
    } else {
        failed(FailureCode::UnknownResult, format!("{family} returned {msg:?}"))
    }
}

/// Sandbox wallet: `{err_msg: "requestPayment:ok" | "requestPayment:cancel" | "requestPayment:fail", err_code?, err_desc?}`.
pub fn sandbox(res: &Value) -> Outcome {
    err_msg_outcome(res, "requestPayment", "sandbox wallet")
}

/// WeChat JSAPI (`WeixinJSBridge.invoke('getBrandWCPayRequest', …, cb)`), per WeChat Pay's JSAPI
/// documentation: `res.err_msg` is `"get_brand_wcpay_request:ok"` (the shopper completed the
/// payment — WeChat itself says this is not reliable and the merchant must confirm server-side),
/// `"get_brand_wcpay_request:cancel"` (shopper closed the sheet), `"get_brand_wcpay_request:fail"`
/// (anything else: bad signature, expired prepay_id, wrong appId…).
pub fn wechat_jsapi(res: &Value) -> Outcome {
    err_msg_outcome(res, "get_brand_wcpay_request", "WeChat")
}

/// WeChat mini-program `wx.requestPayment`: `success` gets `{errMsg: "requestPayment:ok"}`, `fail`
/// gets `{errMsg: "requestPayment:fail cancel"}` when the shopper cancels and
/// `{errMsg: "requestPayment:fail <reason>"}` otherwise (mini-program API reference).
pub fn wechat_request_payment(res: &Value) -> Outcome {
    if let Some(msg) = str_field(res, &["errMsg", "err_msg"]) {
        let lower = msg.to_ascii_lowercase();
        if lower.contains(":fail cancel") || lower.ends_with(":cancel") {
            return Outcome::Cancelled;
        }
    }
    err_msg_outcome(res, "requestPayment", "WeChat mini-program")
}

/// Alipay `resultCode` (string or number), shared by `AlipayJSBridge.call('tradePay')` in the Alipay
/// app and `my.tradePay` in mini-programs. Semantics per Alipay's JSAPI `tradePay` reference
/// (docs.antom.com "jsapi:tradePay"; opendocs.alipay.com `my.tradePay`) and the app SDK's
/// `resultStatus` table:
/// - `9000` order paid (still confirmed server-side: the async notification is authoritative);
/// - `8000` "processing, result unknown, may have succeeded: query the order" → Pending;
/// - `4000` payment failed → Failed;
/// - `5000` duplicate request → Failed (the first request's result is the one that counts);
/// - `6001` cancelled by the user → Cancelled;
/// - `6002` network connection error → Failed (retryable; status is still checked);
/// - `6004` "result unknown, may have succeeded: query the order" → Pending;
/// - `99` (iOS) the user tapped "forgot password" and left the cashier → Cancelled;
/// - anything else → Failed with the code.
pub fn alipay_result_code(code: &str, memo: Option<&str>) -> Outcome {
    let msg = |default: &str| memo.filter(|m| !m.trim().is_empty()).unwrap_or(default).to_string();
    match code.trim() {
        "9000" => Outcome::Succeeded,
        "8000" | "6004" => Outcome::Pending,
        "6001" | "99" => Outcome::Cancelled,
        "4000" => failed(FailureCode::PaymentFailed, msg("Alipay: payment failed (4000)")),
        "5000" => failed(FailureCode::DuplicateRequest, msg("Alipay: duplicate request (5000)")),
        "6002" => failed(FailureCode::NetworkError, msg("Alipay: network connection error (6002)")),
        "" => failed(FailureCode::BadBridgeResponse, "Alipay: empty resultCode"),
        other => failed(FailureCode::Wallet(format!("alipay_{other}")), msg(&format!("Alipay: result code {other}"))),
    }
}

/// `AlipayJSBridge.call('tradePay', {tradeNO}, cb)`: `cb({resultCode, memo, result, callbackUrl})`.
/// Some versions say `resultStatus` (the app SDK's name) instead of `resultCode`. An `error` field
/// (`{error: 4, errorMessage}`, e.g. "no permission") is a bridge-level failure.
pub fn alipay(res: &Value) -> Outcome {
    if let Some(code) = code_field(res, &["resultCode", "resultStatus"]) {
        return alipay_result_code(&code, str_field(res, &["memo", "errorMessage"]));
    }
    alipay_error(res)
}

/// `my.tradePay` `fail` callback / bridge error: `{error, errorMessage}` (e.g. `error: 4` no
/// permission, `error: 2` bad parameters). Never a cancellation: cancellations come as `6001`.
pub fn alipay_error(res: &Value) -> Outcome {
    match code_field(res, &["error"]) {
        Some(code) => failed(
            FailureCode::Wallet(format!("alipay_error_{code}")),
            str_field(res, &["errorMessage", "message"]).unwrap_or("Alipay bridge error").to_string(),
        ),
        None => failed(FailureCode::BadBridgeResponse, format!("Alipay callback had no resultCode: {res}")),
    }
}

/// UnionPay `upsdk.pay({tn, success(), fail(err)})` (Cloud QuickPass JS SDK): `success` has no
/// argument; `fail` gets `{msg}`. The SDK has no separate cancel callback; a `msg` saying the user
/// cancelled (取消 / cancel) is mapped to Cancelled, everything else to Failed.
pub fn unionpay(res: &Value) -> Outcome {
    match str_field(res, &["status"]) {
        Some("success") => return Outcome::Succeeded,
        Some("cancel") => return Outcome::Cancelled,
        _ => {}
    }
    let msg = str_field(res, &["msg", "message", "errMsg"]).unwrap_or("UnionPay payment failed");
    let lower = msg.to_lowercase();
    if lower.contains("cancel") || msg.contains("取消") {
        Outcome::Cancelled
    } else {
        let code = code_field(res, &["code", "errCode"]).unwrap_or_else(|| "unionpay_fail".into());
        failed(FailureCode::from_wire(&code), msg)
    }
}

/// W3C Payment Request (Payment Request API, "show() method"): `show()` rejects with a `DOMException`;
/// map its `name`:
/// - `AbortError`: the user dismissed the sheet, `abort()` was called, or another payment sheet is
///   already showing (the spec gives these the same name) → Cancelled;
/// - `NotSupportedError`: no supported payment method / handler → Failed `no_payment_handler`;
/// - `SecurityError`: `show()` without a user activation (or in a frame not allowed to pay) →
///   Failed `needs_user_gesture`;
/// - `InvalidStateError`: this request was already shown → Failed `busy`;
/// - `NotAllowedError`: only `canMakePayment()` throws it (too many calls); should `show()` ever
///   reject with it → Failed `not_allowed`;
/// - anything else → Failed with the name.
pub fn payment_request_error(name: &str, message: &str) -> Outcome {
    match name {
        "AbortError" => Outcome::Cancelled,
        "NotSupportedError" => failed(FailureCode::NoPaymentHandler, message),
        "SecurityError" => failed(FailureCode::NeedsUserGesture, message),
        "InvalidStateError" => failed(FailureCode::Busy, message),
        "NotAllowedError" => failed(FailureCode::NotAllowed, message),
        "" => failed(FailureCode::PaymentRequestError, message),
        other => failed(FailureCode::Wallet(other.to_string()), message),
    }
}

/// What came back on the return URL of a hand-off (deep link, mini-program page): the query/hash
/// parameter `interpay_result` = `ok` | `cancel` | `fail` | `pending` (+ `interpay_code`,
/// `interpay_message`). Absent: the shopper came back without a verdict → Pending (ask the server).
pub fn returned(result: Option<&str>, code: Option<&str>, message: Option<&str>) -> Outcome {
    match result.map(str::trim) {
        Some("ok") | Some("success") | Some("succeeded") => Outcome::Succeeded,
        Some("cancel") | Some("cancelled") => Outcome::Cancelled,
        Some("fail") | Some("failed") => failed(
            FailureCode::from_wire(code.filter(|c| !c.is_empty()).unwrap_or("fail")),
            message.filter(|m| !m.is_empty()).unwrap_or("The wallet reported a failure"),
        ),
        _ => Outcome::Pending,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn f(code: &str) -> impl Fn(&Outcome) -> bool + '_ {
        move |o| matches!(o, Outcome::Failed { code: c, .. } if c.as_str() == code)
    }

    #[test]
    fn sandbox_results() {
        assert_eq!(sandbox(&json!({"err_msg": "requestPayment:ok"})), Outcome::Succeeded);
        assert_eq!(sandbox(&json!({"err_msg": "requestPayment:cancel"})), Outcome::Cancelled);
        let o = sandbox(&json!({"err_msg": "requestPayment:fail", "err_code": "card_declined", "err_desc": "Declined"}));
        assert_eq!(o, Outcome::Failed { code: FailureCode::Wallet("card_declined".into()), message: "Declined".into() });
        assert!(f("fail")(&sandbox(&json!({"err_msg": "requestPayment:fail"}))));
        assert!(f("bad_bridge_response")(&sandbox(&json!(null))));
        assert!(f("unknown_result")(&sandbox(&json!({"err_msg": "requestPayment:weird"}))));
    }

    #[test]
    fn wechat_jsapi_results() {
        assert_eq!(wechat_jsapi(&json!({"err_msg": "get_brand_wcpay_request:ok"})), Outcome::Succeeded);
        assert_eq!(wechat_jsapi(&json!({"err_msg": "get_brand_wcpay_request:cancel"})), Outcome::Cancelled);
        assert!(f("fail")(&wechat_jsapi(&json!({"err_msg": "get_brand_wcpay_request:fail"}))));
        let o = wechat_jsapi(&json!({"err_msg": "get_brand_wcpay_request:fail_invalid appid"}));
        assert!(f("invalid_appid")(&o), "{o:?}");
        // Some clients use errMsg.
        assert_eq!(wechat_jsapi(&json!({"errMsg": "get_brand_wcpay_request:ok"})), Outcome::Succeeded);
    }

    #[test]
    fn wechat_mini_program_results() {
        assert_eq!(wechat_request_payment(&json!({"errMsg": "requestPayment:ok"})), Outcome::Succeeded);
        assert_eq!(wechat_request_payment(&json!({"errMsg": "requestPayment:fail cancel"})), Outcome::Cancelled);
        let o = wechat_request_payment(&json!({"errMsg": "requestPayment:fail (detail message)"}));
        assert!(matches!(o, Outcome::Failed { .. }), "{o:?}");
    }

    #[test]
    fn alipay_codes() {
        assert_eq!(alipay(&json!({"resultCode": "9000"})), Outcome::Succeeded);
        assert_eq!(alipay(&json!({"resultCode": 9000})), Outcome::Succeeded);
        assert_eq!(alipay(&json!({"resultStatus": "9000"})), Outcome::Succeeded);
        assert_eq!(alipay(&json!({"resultCode": "8000"})), Outcome::Pending);
        assert_eq!(alipay(&json!({"resultCode": "6004"})), Outcome::Pending);
        assert_eq!(alipay(&json!({"resultCode": "6001"})), Outcome::Cancelled);
        assert_eq!(alipay(&json!({"resultCode": "99"})), Outcome::Cancelled);
        assert!(f("payment_failed")(&alipay(&json!({"resultCode": "4000", "memo": "余额不足"}))));
        assert_eq!(
            alipay(&json!({"resultCode": "4000", "memo": "余额不足"})),
            Outcome::Failed { code: FailureCode::PaymentFailed, message: "余额不足".into() }
        );
        assert!(f("network_error")(&alipay(&json!({"resultCode": "6002"}))));
        assert!(f("duplicate_request")(&alipay(&json!({"resultCode": "5000"}))));
        assert!(f("alipay_1234")(&alipay(&json!({"resultCode": "1234"}))));
        assert!(f("alipay_error_4")(&alipay(&json!({"error": 4, "errorMessage": "无权限调用"}))));
        assert!(f("bad_bridge_response")(&alipay(&json!("nonsense"))));
    }

    #[test]
    fn unionpay_results() {
        assert_eq!(unionpay(&json!({"status": "success"})), Outcome::Succeeded);
        assert_eq!(unionpay(&json!({"msg": "用户取消支付"})), Outcome::Cancelled);
        assert!(f("unionpay_fail")(&unionpay(&json!({"msg": "tn expired"}))));
    }

    #[test]
    fn payment_request_errors() {
        assert_eq!(payment_request_error("AbortError", "closed"), Outcome::Cancelled);
        assert!(f("no_payment_handler")(&payment_request_error("NotSupportedError", "x")));
        assert!(f("needs_user_gesture")(&payment_request_error("SecurityError", "no transient activation")));
        assert!(f("not_allowed")(&payment_request_error("NotAllowedError", "x")));
        assert!(f("busy")(&payment_request_error("InvalidStateError", "x")));
        assert!(f("TypeError")(&payment_request_error("TypeError", "x")));
    }

    #[test]
    fn returned_params() {
        assert_eq!(returned(Some("ok"), None, None), Outcome::Succeeded);
        assert_eq!(returned(Some("cancel"), None, None), Outcome::Cancelled);
        assert_eq!(returned(None, None, None), Outcome::Pending);
        assert_eq!(
            returned(Some("fail"), Some("invalid_sign"), Some("bad")),
            Outcome::Failed { code: FailureCode::Wallet("invalid_sign".into()), message: "bad".into() }
        );
    }
}
