// The web page (Interpay widget + https://appx/web-view.min.js) posts
//   my.postMessage({interpay: 'tradePay', order_id, tradeNO})
// which arrives here at once (onMessage). We call my.tradePay({tradeNO}) and answer with
//   this.webViewContext.postMessage({interpay: 'tradePay:result', order_id, resultCode, memo})
// which the page receives in my.onMessage. resultCode: 9000 paid, 8000/6004 unknown (query the order),
// 4000 failed, 5000 duplicate, 6001 cancelled, 6002 network error. The widget maps them and then asks
// the merchant's status endpoint: the mini-program's word is never final.
const CHECKOUT_URL = 'https://merchant.example/checkout';

Page({
  data: { src: CHECKOUT_URL },

  onLoad(query) {
    if (query && query.url && /^https:\/\//i.test(decodeURIComponent(query.url))) {
      this.setData({ src: decodeURIComponent(query.url) });
    }
    this.webViewContext = my.createWebViewContext('checkout');
  },

  onMessage(e) {
    // Alipay passes the posted object as e.detail.
    const msg = (e && e.detail) || e || {};
    if (msg.interpay !== 'tradePay' || typeof msg.tradeNO !== 'string' || !msg.tradeNO) return;
    const reply = (fields) =>
      this.webViewContext.postMessage(Object.assign({ interpay: 'tradePay:result', order_id: msg.order_id }, fields));
    my.tradePay({
      tradeNO: msg.tradeNO,
      success: (res) => reply({ resultCode: String(res.resultCode), memo: res.memo || '' }),
      // Bridge-level failures (no permission, bad parameters): {error, errorMessage}.
      fail: (res) => reply({ error: res && res.error, errorMessage: (res && res.errorMessage) || 'tradePay failed' }),
    });
  },
});
