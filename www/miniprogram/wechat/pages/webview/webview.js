// Hosts the merchant's checkout page (with the Interpay widget and the WeChat JS-SDK
// https://res.wx.qq.com/open/js/jweixin-1.6.0.js, which gives the page wx.miniProgram).
// When pages/pay navigates back, onShow re-points the web-view at the return URL carrying the verdict:
// only the hash changes, so the page gets a `hashchange` (or reloads and reads it on load).
const { CHECKOUT_URL, safeReturn } = require('../../utils/interpay.js');

Page({
  data: { src: CHECKOUT_URL },

  onLoad(query) {
    if (query && query.url) this.setData({ src: safeReturn(decodeURIComponent(query.url)) });
  },

  onShow() {
    const app = getApp();
    const r = app.globalData.interpayResult;
    if (r && r.url) {
      app.globalData.interpayResult = null;
      this.setData({ src: r.url });
    }
  },
});
