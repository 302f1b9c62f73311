// Interpay sample Alipay mini-program: hosts the merchant's checkout page in a <web-view> and pays
// with my.tradePay when that page asks (web pages talk to the mini-program with my.postMessage).
App({});
