// Shared helpers of the Alipay sample (CommonJS: Alipay mini-programs support require/module.exports).

/** The checkout page the <web-view> shows (must be on a web-view domain configured for this mini-program). */
const CHECKOUT_URL = 'https://merchant.example/checkout';

/**
 * The only origins the web-view may show, and so the only pages this mini-program pays for: the
 * mini-program's configured H5 domains. Configure them here; anything else falls back to CHECKOUT_URL.
 */
const ALLOWED_ORIGINS = ['https://merchant.example'];

/**
 * The origin (`https://host[:port]`, lower-cased) of an absolute https URL, or null: no userinfo
 * (`https://merchant.example@evil.example/` goes to evil.example), no backslashes or spaces, no other scheme.
 */
function originOf(url) {
  if (typeof url !== 'string' || /[\\\s]/.test(url)) return null;
  const m = /^https:\/\/([^/?#]*)(?:[/?#]|$)/i.exec(url);
  if (!m || !m[1] || m[1].indexOf('@') >= 0) return null;
  return 'https://' + m[1].toLowerCase().replace(/:443$/, '');
}

/** Whether the web-view may show (and this page pay for) `url`. */
function allowed(url, list) {
  const origin = originOf(url);
  return !!origin && (list || ALLOWED_ORIGINS).indexOf(origin) >= 0;
}

/** `url` when allowed, else the checkout page. */
function safeUrl(url, list) {
  return allowed(url, list) ? url : CHECKOUT_URL;
}

/**
 * The page URL with the shopper's `my.getAuthCode` code as `interpay_alipay_code` (before any hash):
 * the widget sends it as the order's `payer.alipay_auth_code`, and the merchant server exchanges it
 * (alipay.system.oauth.token) for the `buyer_open_id` that alipay.trade.create needs. The code is
 * single-use and useless without the app's private key.
 */
function withAuthCode(url, code) {
  if (!code) return url;
  const hash = url.indexOf('#');
  const base = hash >= 0 ? url.slice(0, hash) : url;
  const frag = hash >= 0 ? url.slice(hash) : '';
  return base + (base.indexOf('?') >= 0 ? '&' : '?') + 'interpay_alipay_code=' + encodeURIComponent(code) + frag;
}

module.exports = { CHECKOUT_URL, ALLOWED_ORIGINS, originOf, allowed, safeUrl, withAuthCode };
