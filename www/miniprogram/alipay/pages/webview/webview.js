// Hosts the merchant's checkout page in a <web-view> and pays with my.tradePay when that page asks.
// Only pages on ALLOWED_ORIGINS (utils/interpay.js) are shown: `?url=` from anywhere else falls back
// to the checkout page, and messages are acted on only while an allowed page is shown.
//
// Identity step: alipay.trade.create for a mini-program needs the shopper's buyer_open_id, which only
// the mini-program can learn: my.getAuthCode({scopes: 'auth_base'}) (silent, no prompt) gives a
// one-time authCode, passed to the page as `?interpay_alipay_code=<code>`; the page sends it as the
// order's `payer.alipay_auth_code` and the merchant server exchanges it (alipay.system.oauth.token).
// (my.getAuthCode, https://miniprogram.alipay.com/docs/miniprogram/mpdev/api_openapi_getauthcode: 'auth_base' is the
// silent scope, user id only; res.authCode on success.)
//
// The web page (Interpay widget + https://appx/web-view.min.js) posts
//   my.postMessage({interpay: 'tradePay', order_id, tradeNO})
// which arrives here at once (onMessage, as e.detail.data). We call my.tradePay({tradeNO}) and answer with
//   this.webViewContext.postMessage({interpay: 'tradePay:result', order_id, resultCode, memo})
// which the page receives in my.onMessage. resultCode: 9000 paid, 8000/6004 unknown (query the order),
// 4000 failed, 5000 duplicate, 6001 cancelled, 6002 network error. The widget maps them and then asks
// the merchant's status endpoint: the mini-program's word is never final.
const { CHECKOUT_URL, allowed, safeUrl, withAuthCode } = require('../../utils/interpay.js');

Page({
  // Empty until the identity step answered: the page is loaded once, with the code.
  data: { src: '' },

  onLoad(query) {
    const target = query && query.url ? safeUrl(decodeURIComponent(query.url)) : CHECKOUT_URL;
    this.webViewContext = my.createWebViewContext('checkout');
    // Orders already handed to my.tradePay: a page posting the same order twice pays once.
    this.paying = {};
    const show = (code) => this.setData({ src: withAuthCode(target, typeof code === 'string' ? code : null) });
    if (typeof my.getAuthCode !== 'function') return show(null);
    my.getAuthCode({
      scopes: 'auth_base',
      success: (res) => show(res && res.authCode),
      // Without a code the page still loads; the merchant then answers payer_required for tradePay.
      fail: () => show(null),
    });
  },

  onMessage(e) {
    // The web-view's my.postMessage(data) arrives as e.detail.data (Alipay's web-view docs); some
    // base-library versions hand e.detail itself.
    const detail = (e && e.detail) || {};
    const msg = (detail.data && typeof detail.data === 'object' ? detail.data : detail) || {};
    if (!allowed(this.data.src)) return;
    if (msg.interpay !== 'tradePay' || typeof msg.tradeNO !== 'string' || !msg.tradeNO) return;
    const key = String(msg.order_id || msg.tradeNO);
    if (this.paying[key]) return;
    this.paying[key] = true;
    const reply = (fields) =>
      this.webViewContext.postMessage(Object.assign({ interpay: 'tradePay:result', order_id: msg.order_id }, fields));
    my.tradePay({
      tradeNO: msg.tradeNO,
      success: (res) => {
        delete this.paying[key];
        reply({ resultCode: String(res.resultCode), memo: res.memo || '' });
      },
      // Bridge-level failures (no permission, bad parameters): {error, errorMessage}.
      fail: (res) => {
        delete this.paying[key];
        reply({ error: res && res.error, errorMessage: (res && res.errorMessage) || 'tradePay failed' });
      },
    });
  },
});
