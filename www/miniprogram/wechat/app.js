// Interpay sample WeChat mini-program: hosts the merchant's checkout page in a <web-view> and pays
// with wx.requestPayment on behalf of that page (a web page cannot call wx.requestPayment itself).
App({
  globalData: {
    // The verdict pages/pay leaves for pages/webview to bring back to the web page.
    interpayResult: null,
  },
});
