// The WeChat mini-program sample's pages (www/miniprogram/wechat/) run in miniprogram-simulate, the
// WeChat team's component harness (j-component + the official WXML compiler's semantics), with wx.*
// stubbed. Pages are registered with Page(), which the harness does not provide, so each page's
// definition is captured and mounted as a component with the page's own WXML. No browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const toolsRequire = createRequire(path.join(root, '.tools', 'package.json'));
const { JSDOM } = toolsRequire('jsdom');
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const k of ['Node', 'HTMLElement', 'Element', 'Event', 'CustomEvent', 'MutationObserver']) globalThis[k] = dom.window[k];
const simulate = toolsRequire('miniprogram-simulate');
const req = createRequire(import.meta.url);
const mp = path.join(root, 'www/miniprogram/wechat');
const utils = req(path.join(mp, 'utils/interpay.js'));

/** Load pages/<name> with fresh stubs; answers {page, wx, app}. */
function mount(name, wxStubs) {
  const app = { globalData: { interpayResult: null } };
  const calls = [];
  globalThis.getApp = () => app;
  globalThis.wx = Object.assign(simulate.wx || {}, {
    login: (o) => { calls.push(['login']); o.fail && o.fail({ errMsg: 'login:fail' }); },
    requestPayment: (o) => calls.push(['requestPayment', o]),
    navigateBack: (o) => calls.push(['navigateBack', o]),
  }, wxStubs || {});
  let def;
  globalThis.Page = (d) => { def = d; };
  const file = path.join(mp, `pages/${name}/${name}.js`);
  delete req.cache[req.resolve(file)];
  req(file);
  const { data, ...methods } = def;
  const id = simulate.load({ template: readFileSync(path.join(mp, `pages/${name}/${name}.wxml`), 'utf8'), data, methods });
  const page = simulate.render(id);
  page.attach(document.createElement('parent-wrapper'));
  return { page, calls, app };
}

test('safeReturn: configured origins only', () => {
  assert.equal(utils.safeReturn('https://merchant.example/checkout#interpay_order=o1'), 'https://merchant.example/checkout#interpay_order=o1');
  for (const bad of ['https://evil.example/', 'https://merchant.example@evil.example/', 'https://merchant.example.evil.example/x',
    'http://merchant.example/', 'javascript:alert(1)//https://merchant.example', 'https://merchant.example\\@evil.example/', '', null]) {
    assert.equal(utils.safeReturn(bad), utils.CHECKOUT_URL, String(bad));
  }
  assert.equal(utils.safeReturn('https://shop.example/p', ['https://shop.example']), 'https://shop.example/p');
});

test('web-view host: wx.login code goes to the page, ?url= from elsewhere is refused', () => {
  const ok = mount('webview', { login: (o) => o.success({ code: 'c0de 1', errMsg: 'login:ok' }) });
  ok.page.instance.onLoad({ url: encodeURIComponent('https://merchant.example/checkout?x=1#h') });
  assert.equal(ok.page.data.src, 'https://merchant.example/checkout?x=1&interpay_wx_code=c0de%201#h');
  const evil = mount('webview', { login: (o) => o.success({ code: 'c' }) });
  evil.page.instance.onLoad({ url: encodeURIComponent('https://evil.example/phish') });
  assert.equal(evil.page.data.src, utils.CHECKOUT_URL + '?interpay_wx_code=c');
  // No code (wx.login failed): the page still loads, without one.
  const none = mount('webview');
  none.page.instance.onLoad({});
  assert.equal(none.page.data.src, utils.CHECKOUT_URL);
  // Coming back from pages/pay: the verdict URL is shown (and only if it is on an allowed origin).
  none.app.globalData.interpayResult = { url: 'https://merchant.example/checkout#interpay_result=ok' };
  none.page.instance.onShow();
  assert.equal(none.page.data.src, 'https://merchant.example/checkout#interpay_result=ok');
  none.app.globalData.interpayResult = { url: 'https://evil.example/#interpay_result=ok' };
  none.page.instance.onShow();
  assert.equal(none.page.data.src, utils.CHECKOUT_URL);
});

test('pay page: wx.requestPayment with the signed fields, verdict to the return URL, bad return refused', async () => {
  const params = { timeStamp: '1414561699', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'RSA', paySign: 'sig', appId: 'ignored' };
  const m = mount('pay');
  m.page.instance.onLoad({ order: 'ord_1', params: encodeURIComponent(JSON.stringify(params)), return: encodeURIComponent('https://merchant.example/checkout#interpay_order=ord_1') });
  const [name, arg] = m.calls.find((c) => c[0] === 'requestPayment');
  assert.equal(name, 'requestPayment');
  assert.deepEqual(Object.keys(arg).filter((k) => typeof arg[k] === 'string').sort(), ['nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
  arg.fail({ errMsg: 'requestPayment:fail cancel' });
  await simulate.sleep(0);
  assert.equal(m.page.data.status, 'cancel');
  assert.match(m.page.dom.textContent, /Payment cancelled/);
  assert.equal(m.app.globalData.interpayResult.url, 'https://merchant.example/checkout#interpay_order=ord_1&interpay_result=cancel');
  assert.ok(m.calls.some((c) => c[0] === 'navigateBack'));

  const evil = mount('pay');
  evil.page.instance.onLoad({ order: 'ord_2', params: encodeURIComponent(JSON.stringify(params)), return: encodeURIComponent('https://evil.example/#interpay_order=ord_2') });
  evil.calls.find((c) => c[0] === 'requestPayment')[1].success({ errMsg: 'requestPayment:ok' });
  assert.equal(evil.app.globalData.interpayResult.url, utils.CHECKOUT_URL + '#interpay_result=ok');

  const bad = mount('pay');
  bad.page.instance.onLoad({ order: 'ord_3', params: 'not json' });
  assert.equal(bad.page.data.status, 'fail');
  assert.ok(!bad.calls.some((c) => c[0] === 'requestPayment'), 'no payment without signed parameters');
});
