// The web page (Interpay widget + https://appx/web-view.min.js) posts
//   my.postMessage({interpay: 'tradePay', order_id, tradeNO})
// which arrives here at once (onMessage). We call my.tradePay({tradeNO}) and answer with
//   this.webViewContext.postMessage({interpay: 'tradePay:result', order_id, resultCode, memo})
// which the page receives in my.onMessage. resultCode: 9000 paid, 8000/6004 unknown (query the order),
// 4000 failed, 5000 duplicate, 6001 cancelled, 6002 network error. The widget maps them and then asks
// the merchant's status endpoint: the mini-program's word is never final.
const CHECKOUT_URL = 'https://merchant.example/checkout';
// The only origins this page opens in its web-view (and so the only pages it pays for): yours.
const ALLOWED_ORIGINS = ['https://merchant.example'];

function allowed(url) {
  const m = /^(https:\/\/[^/?#]+)(?:[/?#]|$)/i.exec(url || '');
  return !!m && ALLOWED_ORIGINS.indexOf(m[1].toLowerCase()) >= 0;
}

Page({
  data: { src: CHECKOUT_URL },

  onLoad(query) {
    const url = query && query.url ? decodeURIComponent(query.url) : '';
    if (url && allowed(url)) this.setData({ src: url });
    this.webViewContext = my.createWebViewContext('checkout');
    // Orders already handed to my.tradePay: a page posting the same order twice pays once.
    this.paying = {};
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
