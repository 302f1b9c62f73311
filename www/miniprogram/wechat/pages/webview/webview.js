// Hosts the merchant's checkout page (with the Interpay widget and the WeChat JS-SDK
// https://res.wx.qq.com/open/js/jweixin-1.6.0.js, which gives the page wx.miniProgram).
// Only pages on ALLOWED_ORIGINS (utils/interpay.js) are shown: `?url=` from anywhere else falls back
// to the checkout page.
// Identity step: WeChat Pay's mini-program orders need the shopper's openid, which only the
// mini-program can learn: wx.login() gives a one-time code, passed to the page as
// `?interpay_wx_code=<code>`; the page sends it as the order's `payer.wechat_code` and the merchant
// server exchanges it (code2session). The code is useless without the mini-program's secret.
// When pages/pay navigates back, onShow re-points the web-view at the return URL carrying the verdict:
// only the hash changes, so the page gets a `hashchange` (or reloads and reads it on load).
const { CHECKOUT_URL, safeReturn } = require('../../utils/interpay.js');

function withCode(url, code) {
  if (!code) return url;
  const hash = url.indexOf('#');
  const base = hash >= 0 ? url.slice(0, hash) : url;
  const frag = hash >= 0 ? url.slice(hash) : '';
  return base + (base.indexOf('?') >= 0 ? '&' : '?') + 'interpay_wx_code=' + encodeURIComponent(code) + frag;
}

Page({
  data: { src: '' },

  onLoad(query) {
    const target = query && query.url ? safeReturn(decodeURIComponent(query.url)) : CHECKOUT_URL;
    const show = (code) => this.setData({ src: withCode(target, code) });
    wx.login({
      success: (res) => show(res && res.code),
      // Without a code the page still loads; the merchant then answers payer_required for WeChat Pay.
      fail: () => show(null),
    });
  },

  onShow() {
    const app = getApp();
    const r = app.globalData.interpayResult;
    if (r && r.url) {
      app.globalData.interpayResult = null;
      this.setData({ src: safeReturn(r.url) });
    }
  },
});
