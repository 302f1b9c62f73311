// The Alipay mini-program sample's host page (www/miniprogram/alipay/) run in Node with `my.*` stubbed.
// Alipay publishes no component harness like WeChat's miniprogram-simulate, so a small runner does
// what the base library does for this page: evaluate the page file with Page()/my/require, keep the
// Page({...}) object, give it data + setData, and call its lifecycle (onLoad) and handlers (onMessage).
// No browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mp = path.join(root, 'www/miniprogram/alipay');

/** Evaluate a mini-program CommonJS file: answers its Page() definition or its module.exports. */
function load(file, my) {
  const module = { exports: {} };
  let def;
  const req = (rel) => load(path.resolve(path.dirname(file), rel), my);
  new Function('module', 'exports', 'require', 'Page', 'App', 'my', readFileSync(file, 'utf8'))(
    module, module.exports, req, (d) => (def = d), (d) => (def = d), my,
  );
  return def ?? module.exports;
}

const utils = load(path.join(mp, 'utils/interpay.js'), {});

/** Mount pages/webview with a `my` whose getAuthCode does `auth(opts)`; records every my.* call. */
function mount(auth) {
  const calls = [];
  const replies = [];
  const my = {
    createWebViewContext: (id) => {
      calls.push(['createWebViewContext', id]);
      return { postMessage: (m) => replies.push(m) };
    },
    tradePay: (o) => calls.push(['tradePay', o]),
  };
  if (auth !== null) {
    my.getAuthCode = (o) => {
      calls.push(['getAuthCode', { scopes: o.scopes }]);
      (auth || ((x) => x.fail({ error: 11, errorMessage: '用户取消授权' })))(o);
    };
  }
  const def = load(path.join(mp, 'pages/webview/webview.js'), my);
  const page = { ...def, data: JSON.parse(JSON.stringify(def.data || {})) };
  page.setData = (d) => Object.assign(page.data, d);
  return { page, calls, replies };
}

test('originOf / safeUrl: configured https origins only', () => {
  assert.equal(utils.safeUrl('https://merchant.example/checkout#interpay_order=o1'), 'https://merchant.example/checkout#interpay_order=o1');
  assert.equal(utils.safeUrl('https://MERCHANT.example:443/x'), 'https://MERCHANT.example:443/x');
  for (const bad of ['https://evil.example/', 'https://merchant.example@evil.example/', 'https://merchant.example.evil.example/x',
    'http://merchant.example/', 'javascript:alert(1)//https://merchant.example', 'https://merchant.example\\@evil.example/',
    'https://merchant.example:8443/', ' https://merchant.example/', '', null, 42]) {
    assert.equal(utils.safeUrl(bad), utils.CHECKOUT_URL, String(bad));
    assert.equal(utils.allowed(bad), false, String(bad));
  }
  assert.equal(utils.safeUrl('https://shop.example/p', ['https://shop.example']), 'https://shop.example/p');
});

test('web-view host: my.getAuthCode({scopes: "auth_base"}) code goes into the page URL as interpay_alipay_code', () => {
  const ok = mount((o) => o.success({ authCode: 'ap/c0de 1+' }));
  ok.page.onLoad({ url: encodeURIComponent('https://merchant.example/checkout?x=1#h') });
  assert.deepEqual(ok.calls.find((c) => c[0] === 'getAuthCode'), ['getAuthCode', { scopes: 'auth_base' }]);
  assert.equal(ok.page.data.src, 'https://merchant.example/checkout?x=1&interpay_alipay_code=ap%2Fc0de%201%2B#h');
  // What the widget reads back (Payer::from_query decodes the component): the code as Alipay gave it.
  assert.equal(new URL(ok.page.data.src).searchParams.get('interpay_alipay_code'), 'ap/c0de 1+');

  // ?url= from anywhere else: the checkout page (still with the code: it is the shopper's own page).
  const evil = mount((o) => o.success({ authCode: 'c' }));
  evil.page.onLoad({ url: encodeURIComponent('https://merchant.example@evil.example/phish') });
  assert.equal(evil.page.data.src, utils.CHECKOUT_URL + '?interpay_alipay_code=c');

  // The page is not shown before the identity step answered.
  let later;
  const slow = mount((o) => (later = o));
  slow.page.onLoad({});
  assert.equal(slow.page.data.src, '', 'no web-view URL until getAuthCode answers');
  later.success({ authCode: 'late' });
  assert.equal(slow.page.data.src, utils.CHECKOUT_URL + '?interpay_alipay_code=late');
});

test('web-view host: no code (refused, odd answer, no getAuthCode) still loads the page, without a payer', () => {
  const refused = mount();
  refused.page.onLoad({});
  assert.equal(refused.page.data.src, utils.CHECKOUT_URL);
  const odd = mount((o) => o.success({ authCode: { not: 'a string' } }));
  odd.page.onLoad({});
  assert.equal(odd.page.data.src, utils.CHECKOUT_URL);
  const old = mount(null);
  old.page.onLoad({});
  assert.equal(old.page.data.src, utils.CHECKOUT_URL);
});

test('web-view host: pays e.detail.data tradePay messages once per order, only while an allowed page is shown', async () => {
  let later;
  const m = mount((o) => (later = o));
  m.page.onLoad({});
  const msg = { interpay: 'tradePay', order_id: 'ord_1', tradeNO: '2026000111' };
  // Before the page is shown (identity step pending), nothing is paid.
  m.page.onMessage({ detail: { data: msg } });
  assert.equal(m.calls.filter((c) => c[0] === 'tradePay').length, 0);
  later.success({ authCode: 'c1' });

  m.page.onMessage({ detail: { data: msg } });
  m.page.onMessage({ detail: { data: msg } });
  const pays = m.calls.filter((c) => c[0] === 'tradePay');
  assert.equal(pays.length, 1, 'the same order posted twice pays once');
  assert.equal(pays[0][1].tradeNO, '2026000111');
  pays[0][1].success({ resultCode: 9000, memo: '' });
  assert.deepEqual(m.replies, [{ interpay: 'tradePay:result', order_id: 'ord_1', resultCode: '9000', memo: '' }]);

  // Not ours: ignored.
  for (const bad of [{ interpay: 'pay', tradeNO: 't' }, { interpay: 'tradePay', tradeNO: '' }, { interpay: 'tradePay', tradeNO: 7 }]) {
    m.page.onMessage({ detail: { data: bad } });
  }
  assert.equal(m.calls.filter((c) => c[0] === 'tradePay').length, 1);

  // A bridge failure is reported to the page.
  m.page.onMessage({ detail: { interpay: 'tradePay', order_id: 'ord_2', tradeNO: '2026000222' } });
  m.calls.filter((c) => c[0] === 'tradePay')[1][1].fail({ error: 4, errorMessage: '无权限调用' });
  assert.deepEqual(m.replies[1], { interpay: 'tradePay:result', order_id: 'ord_2', error: 4, errorMessage: '无权限调用' });

  // A page elsewhere (should the web-view have been pointed there) gets nothing paid.
  m.page.setData({ src: 'https://evil.example/' });
  m.page.onMessage({ detail: { data: { interpay: 'tradePay', order_id: 'ord_3', tradeNO: '2026000333' } } });
  assert.equal(m.calls.filter((c) => c[0] === 'tradePay').length, 2);
});
