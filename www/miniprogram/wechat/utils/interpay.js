// Shared helpers of the sample pages (CommonJS: mini-programs support require/module.exports).

/** The checkout page the <web-view> shows (must be on a business domain of this mini-program). */
const CHECKOUT_URL = 'https://merchant.example/checkout';

/**
 * The web page URL to come back to, with the verdict in its hash:
 * `<return>` is `https://…/page#interpay_order=<id>`; we add `&interpay_result=ok|cancel|fail`
 * (+ `interpay_code`, `interpay_message`). The Interpay widget reads it on `hashchange` (same
 * document) or on load, and then confirms the payment with the merchant's status endpoint.
 */
function withResult(returnUrl, result, code, message) {
  const parts = [`interpay_result=${encodeURIComponent(result)}`];
  if (code) parts.push(`interpay_code=${encodeURIComponent(code)}`);
  if (message) parts.push(`interpay_message=${encodeURIComponent(message)}`);
  const sep = returnUrl.indexOf('#') >= 0 ? '&' : '#';
  return returnUrl + sep + parts.join('&');
}

/** Only send the web-view back to https pages (or the page it came from); never to a javascript: URL. */
function safeReturn(url) {
  return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : CHECKOUT_URL;
}

/**
 * wx.requestPayment's result → our verdict. success: {errMsg: "requestPayment:ok"};
 * fail: {errMsg: "requestPayment:fail cancel"} when the shopper cancels, "requestPayment:fail <reason>" otherwise.
 */
function verdict(ok, res) {
  const errMsg = (res && res.errMsg) || '';
  if (ok) return { result: 'ok' };
  if (/:fail[ _]?cancel/.test(errMsg) || /:cancel$/.test(errMsg)) return { result: 'cancel' };
  return { result: 'fail', code: (res && (res.errCode || res.errno)) || 'request_payment_fail', message: errMsg };
}

module.exports = { CHECKOUT_URL, withResult, safeReturn, verdict };
