// Opened by the web page inside <web-view> with
//   wx.miniProgram.navigateTo({url: '/pages/pay/pay?order=<id>&params=<JSON>&return=<web page URL>'})
// `params` are the merchant server's signed wx.requestPayment fields
// {timeStamp, nonceStr, package: "prepay_id=…", signType: "RSA", paySign}: nothing here is secret and
// nothing is signed here. The verdict goes back through getApp().globalData to pages/webview, which
// re-points the <web-view> at the return URL with the verdict in its hash (see utils/interpay.js).
// (wx.miniProgram.postMessage is not usable for this: WeChat delivers it to the mini-program only on
// back / share / destroy, and never to the web page.)
const { withResult, safeReturn, verdict } = require('../../utils/interpay.js');

Page({
  data: { status: 'paying', message: '' },

  onLoad(query) {
    let params;
    try {
      params = JSON.parse(decodeURIComponent(query.params || ''));
    } catch (e) {
      params = null;
    }
    this.order = decodeURIComponent(query.order || '');
    this.returnUrl = safeReturn(decodeURIComponent(query.return || ''));
    if (!params || !params.package || !params.paySign) {
      this.finish({ result: 'fail', code: 'bad_wallet_params', message: 'missing payment parameters' });
      return;
    }
    wx.requestPayment({
      timeStamp: params.timeStamp,
      nonceStr: params.nonceStr,
      package: params.package,
      signType: params.signType,
      paySign: params.paySign,
      success: (res) => this.finish(verdict(true, res)),
      fail: (res) => this.finish(verdict(false, res)),
    });
  },

  finish(v) {
    if (this.done) return;
    this.done = true;
    this.setData({ status: v.result, message: v.message || '' });
    getApp().globalData.interpayResult = {
      order: this.order,
      url: withResult(this.returnUrl, v.result, v.code, v.message),
    };
    wx.navigateBack({ delta: 1 });
  },
});
