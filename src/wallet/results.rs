//! Result-code mapping: every wallet family's own result vocabulary → the one [`Outcome`].
//!
//! Pure functions over the JSON a bridge handed back (`serde_json::Value`), so they are tested
//! natively. No mapping ever makes a payment final: `Succeeded` only means "the wallet says so",
//! the widget then confirms with the merchant's status endpoint.

use super::Outcome;
use serde_json::Value;

fn failed(code: impl Into<String>, message: impl Into<String>) -> Outcome {
    Outcome::Failed { code: code.into(), message: message.into() }
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
        return failed("bad_bridge_response", format!("{family} callback had no err_msg: {res}"));
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
        let code = code.unwrap_or_else(|| if reason.is_empty() { "fail".into() } else { reason.replace(' ', "_") });
        failed(code, desc.unwrap_or_else(|| msg.to_string()))
    } else {
        failed("unknown_result", format!("{family} returned {msg:?}"))
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn f(code: &str) -> impl Fn(&Outcome) -> bool + '_ {
        move |o| matches!(o, Outcome::Failed { code: c, .. } if c == code)
    }

    #[test]
    fn sandbox_results() {
        assert_eq!(sandbox(&json!({"err_msg": "requestPayment:ok"})), Outcome::Succeeded);
        assert_eq!(sandbox(&json!({"err_msg": "requestPayment:cancel"})), Outcome::Cancelled);
        let o = sandbox(&json!({"err_msg": "requestPayment:fail", "err_code": "card_declined", "err_desc": "Declined"}));
        assert_eq!(o, Outcome::Failed { code: "card_declined".into(), message: "Declined".into() });
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
}
