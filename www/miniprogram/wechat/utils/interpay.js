// Shared helpers of the sample pages (CommonJS: mini-programs support require/module.exports).

/** The checkout page the <web-view> shows (must be on a business domain of this mini-program). */
const CHECKOUT_URL = 'https://merchant.example/checkout';

/**
 * The only origins the web-view may show and the pay page may send the shopper back to: the
 * mini-program's business domains (业务域名). Configure them here; anything else falls back to CHECKOUT_URL.
 */
const ALLOWED_ORIGINS = ['https://merchant.example'];

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

/**
 * The origin (`https://host[:port]`, lower-cased) of an absolute https URL, or null: no userinfo
 * (`https://merchant.example@evil.example/` goes to evil.example), no backslashes, no other scheme.
 */
function originOf(url) {
  if (typeof url !== 'string' || /[\\\s]/.test(url)) return null;
  const m = /^https:\/\/([^/?#]*)(?:[/?#]|$)/i.exec(url);
  if (!m || !m[1] || m[1].indexOf('@') >= 0) return null;
  return 'https://' + m[1].toLowerCase().replace(/:443$/, '');
}

/** A URL the web-view may show: on one of ALLOWED_ORIGINS, else the checkout page. */
function safeReturn(url, allowed) {
  const list = allowed || ALLOWED_ORIGINS;
  const origin = originOf(url);
  return origin && list.indexOf(origin) >= 0 ? url : CHECKOUT_URL;
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

module.exports = { CHECKOUT_URL, ALLOWED_ORIGINS, originOf, withResult, safeReturn, verdict };
