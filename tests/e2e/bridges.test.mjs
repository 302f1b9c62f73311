// Wallet bridges in a real browser (headless Chromium), one family at a time.
//
// Each test installs, before any page script runs, a stand-in object with the real wallet API's exact
// shape (WeixinJSBridge.invoke, wx.miniProgram.navigateTo, AlipayJSBridge.call, my.postMessage/onMessage,
// upsdk.pay, PaymentRequest) plus the wallet's user agent, creates a real order on the sandbox merchant
// (POST /api/orders → wallet_params), and drives the compiled wasm bridge through the test entry point
// `__interpay_test_pay(wallet, wallet_params)` (the same `bridges::pay` the widget calls). It asserts:
// the stand-in received exactly the merchant's signed parameters, every result code maps to the right
// outcome, and the merchant's status endpoint is what says "paid". The sample mini-program pages in
// www/miniprogram/ run for real (in Node, with wx/my stubs) on the other side of the hand-off.
//
// Run: ./dev e2e tests/e2e/bridges.test.mjs   (needs release binaries + dist/, see tests/e2e/lib/driver.mjs)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  DYNAMIC_UNIONPAY, ROOT, annotateFailure, fakeCamera, launchBrowser, newContext, recordConsole, screenshot, startServer, withWidget,
} from './lib/driver.mjs';

const UA = {
  wechat:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN',
  wechatMiniProgram:
    'Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64 miniProgram/wx1234567890abcdef',
  alipay:
    'Mozilla/5.0 (Linux; U; Android 13; zh-CN; V2218A Build/TP1A.220624.014) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/69.0.3497.100 Mobile Safari/537.36 Nebula AlipayDefined(nt:WIFI,ws:393|0|2.75) AliApp(AP/10.5.36.8000) AlipayClient/10.5.36.8000 Language/zh-Hans',
  alipayMiniProgram:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Ariver/1.1.0 AliApp(AP/10.5.36.6000) Nebula AlipayClient/10.5.36.6000 Language/zh-Hans Region/CN MiniProgram APXWebView',
  unionpay:
    'Mozilla/5.0 (Linux; Android 13; M2012K11AC) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/99.0.4844.88 Mobile Safari/537.36 (com.unionpay.chsp) (cordova 7.0.0) (updebug 0) (version 1003) (UnionPay/1.0 CloudPay)',
  chromeAndroid:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
};

const UNIONPAY_EMV = '00020101021215196228480402564890018520458125303156540536.505802CN5916SHANGHAI NOODLES6008SHANGHAI6304635E';

// Codes the sandbox merchant accepts; the wallet must be able to pay the scheme.
const CODES = {
  wechat: { payload: 'wxp://f2f0e5RxTnJ1dVQbW8uH3VmWC5eVHhrjXq0Y', amount: '12.30', currency: 'CNY' },
  alipay: { payload: 'https://qr.alipay.com/fkx18099ac6eb1rutvjbf4e', amount: '8.80', currency: 'CNY' },
  // EMVCo MPM with a UnionPay merchant account (tag 15), made by `interpay encode --scheme unionpay`.
  unionpay: { payload: UNIONPAY_EMV, amount: '36.50', currency: 'CNY' },
  emvco: { payload: DYNAMIC_UNIONPAY, amount: '23.72', currency: 'CNY' },
  upi: { payload: 'upi://pay?pa=shop@okaxis&pn=Chai%20Point&am=120.00&cu=INR&tn=Order%2042', amount: '120.00', currency: 'INR' },
};

const PAGE = '/__bridges.html';
const PAGE_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bridges</title></head><body>
<p id="state">loading</p>
<script type="module">
  import init, * as m from '/interpay/pkg/interpay_test.js';
  try {
    await init();
    window.__m = m;
    window.__ready = true;
    document.getElementById('state').textContent = 'ready';
  } catch (e) {
    window.__ready = String(e);
  }
</script>
</body></html>`;

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
});

/** A page on the sandbox merchant's origin with the wasm module loaded and `init` run first. */
async function openPage({ userAgent, init, initArg, extraHtml = '', name }) {
  const context = await newContext(browser, { userAgent, locale: 'zh-CN', camera: false });
  const page = await context.newPage();
  const recorded = recordConsole(page);
  await page.route(`${server.origin}${PAGE}*`, (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: PAGE_HTML.replace('</body>', `${extraHtml}</body>`) }),
  );
  if (init) await page.addInitScript(init, initArg);
  await page.goto(server.origin + PAGE);
  await page.waitForFunction(() => window.__ready !== undefined, null, { timeout: 15_000 });
  assert.equal(await page.evaluate(() => window.__ready), true, 'wasm module loads');
  return { context, page, name, ...recorded };
}

/** Create a real order on the sandbox merchant, from the page (same origin, like the widget). */
async function createOrder(page, wallet, code) {
  const r = await page.evaluate(
    async ({ wallet, code }) => {
      const res = await fetch('/api/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ payload: code.payload, wallet, amount: code.amount, currency: code.currency }),
      });
      return { status: res.status, body: await res.json() };
    },
    { wallet, code },
  );
  assert.equal(r.status, 201, `order for ${wallet}: ${JSON.stringify(r.body)}`);
  assert.equal(r.body.wallet, wallet);
  return r.body;
}

const pay = (page, wallet, params) => page.evaluate(({ wallet, params }) => window.__m.__interpay_test_pay(wallet, params), { wallet, params });
const status = async (order) => (await server.json(order.status_url)).body.status;
const without = (obj, ...keys) => Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k)));

/** A minimal payment (the payload contract's JSON) paying with these schemes. */
const payment = (...schemes) => ({
  format: 'test',
  schemes: schemes.map((id) => ({ id, name: id })),
  payee: { name: 'Shop', accounts: [] },
  amount: null,
  currency: null,
  initiation: 'dynamic',
  references: {},
  tip: null,
  warnings: [],
  tlv: null,
});
const SCHEMES = { wechat: ['wechat_pay'], alipay: ['alipay'], unionpay: ['unionpay', 'emvco'], upi: ['upi'] };

/** What the widget's picker sees here: environment, detection, ranked wallets for this kind of code. */
async function environment(page, kind) {
  const env = await page.evaluate((p) => window.__m.__interpay_test_environment(p), payment(...SCHEMES[kind]));
  assert.ok(Array.isArray(env.wallets), JSON.stringify(env.wallets));
  return { env };
}

async function closing(ctx, fn) {
  try {
    await fn();
    assert.deepEqual(ctx.errors([/favicon/, ...(ctx.allow || [])]), [], 'no page errors');
  } catch (e) {
    await annotateFailure(ctx, `bridges-${ctx.name}`, e);
    throw e;
  } finally {
    await ctx.context.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------------
// Stand-ins, serialised into the page by addInitScript. They record every call in window.__calls.

function wechatJsapiStandIn() {
  window.__calls = [];
  window.__next = 'ok'; // the err_msg suffix the "wallet" answers with
  const bridge = {
    invoke(name, params, cb) {
      window.__calls.push({ name, params: JSON.parse(JSON.stringify(params)) });
      setTimeout(() => cb({ err_msg: `get_brand_wcpay_request:${window.__next}` }), 30);
    },
    on() {},
  };
  // WeChat injects its bridge late and fires WeixinJSBridgeReady: so do we.
  setTimeout(() => {
    window.WeixinJSBridge = bridge;
    document.dispatchEvent(new Event('WeixinJSBridgeReady'));
  }, 400);
}

function alipayAppStandIn() {
  window.__calls = [];
  window.__next = '9000';
  setTimeout(() => {
    window.AlipayJSBridge = {
      call(name, params, cb) {
        window.__calls.push({ name, params: JSON.parse(JSON.stringify(params)) });
        setTimeout(() => cb({ resultCode: window.__next, memo: window.__next === '4000' ? '余额不足' : '', result: '' }), 30);
      },
    };
    document.dispatchEvent(new Event('AlipayJSBridgeReady'));
  }, 300);
}

function wxMiniProgramStandIn() {
  window.__calls = [];
  window.__wxjs_environment = 'miniprogram';
  window.wx = {
    miniProgram: {
      navigateTo(opts) {
        window.__calls.push({ name: 'navigateTo', url: opts.url });
        setTimeout(() => opts.success && opts.success({ errMsg: 'navigateTo:ok' }), 10);
        // The mini-program side (www/miniprogram/wechat, run in Node) pays and hands back the web-view URL.
        window.__miniProgramNavigate(opts.url).then((src) => {
          if (src) location.href = src;
        });
      },
      navigateBack() {},
      postMessage() {},
      getEnv(cb) {
        cb({ miniprogram: true });
      },
    },
  };
}

function myMiniProgramStandIn() {
  window.__calls = [];
  window.my = {
    postMessage(msg) {
      window.__calls.push({ name: 'postMessage', msg: JSON.parse(JSON.stringify(msg)) });
      // Delivered at once to the host page's onMessage (www/miniprogram/alipay, run in Node), which
      // answers through webViewContext.postMessage → my.onMessage here.
      window.__alipayHost(msg).then((reply) => {
        if (reply && typeof window.my.onMessage === 'function') window.my.onMessage(reply);
      });
    },
    onMessage: null,
    getEnv(cb) {
      cb({ miniprogram: true });
    },
  };
}

function upsdkStandIn() {
  window.__calls = [];
  window.__next = 'success';
  window.upsdk = {
    config(c) {
      window.__calls.push({ name: 'config', c });
    },
    ready(fn) {
      setTimeout(fn, 20);
    },
    error() {},
    pay(opts) {
      window.__calls.push({ name: 'pay', tn: opts.tn, keys: Object.keys(opts).sort() });
      setTimeout(() => {
        if (window.__next === 'success') opts.success();
        else opts.fail({ msg: window.__next });
      }, 30);
    },
  };
}

function paymentRequestStandIn() {
  window.__calls = [];
  window.__next = { canMakePayment: true, show: 'resolve' };
  class PaymentRequest {
    constructor(methodData, details, options) {
      window.__calls.push({ name: 'constructor', methodData: JSON.parse(JSON.stringify(methodData)), details: JSON.parse(JSON.stringify(details)), options });
      this.id = details.id;
    }
    canMakePayment() {
      window.__calls.push({ name: 'canMakePayment' });
      return Promise.resolve(window.__next.canMakePayment);
    }
    show() {
      window.__calls.push({ name: 'show' });
      if (window.__next.show === 'abort') return Promise.reject(new DOMException('Request cancelled', 'AbortError'));
      if (window.__next.show === 'unsupported') return Promise.reject(new DOMException('No handler', 'NotSupportedError'));
      const response = {
        methodName: 'https://pay.interpay.invalid/sandbox',
        details: { token: 'tok_sandbox_123' },
        complete(result) {
          window.__calls.push({ name: 'complete', result });
          return Promise.resolve();
        },
        toJSON() {
          return { methodName: this.methodName, details: this.details };
        },
      };
      return new Promise((r) => setTimeout(() => r(response), 30));
    }
    abort() {
      return Promise.resolve();
    }
  }
  window.PaymentRequest = PaymentRequest;
}

// ---------------------------------------------------------------------------------------------------
// The sample mini-programs, executed in Node with wx / my stubs.

function loadMiniProgramModule(file, globals) {
  const load = (f) => {
    const module = { exports: {} };
    const req = (rel) => load(path.resolve(path.dirname(f), rel));
    let def;
    const Page = (d) => (def = d);
    const App = (d) => (def = d);
    new Function('module', 'exports', 'require', 'Page', 'App', 'getApp', 'wx', 'my', fs.readFileSync(f, 'utf8'))(
      module, module.exports, req, Page, App, globals.getApp, globals.wx, globals.my,
    );
    // The samples show only their configured https origins (utils' safeReturn, tested in
    // miniprogram-wechat.test.mjs); here the test server (plain http on loopback) is let through as well.
    if (globals.allowOrigins && typeof module.exports.safeReturn === 'function') {
      const safeReturn = module.exports.safeReturn;
      module.exports.safeReturn = (url, allowed) => (globals.allowOrigins.some((o) => String(url).startsWith(`${o}/`)) ? url : safeReturn(url, allowed));
    }
    return def ?? module.exports;
  };
  return load(file);
}

function instance(def) {
  const inst = { ...def, data: { ...(def.data || {}) } };
  inst.setData = (d) => Object.assign(inst.data, d);
  return inst;
}

/** Query string of a mini-program URL → object with raw (still encoded) values, as WeChat passes them. */
function rawQuery(url) {
  const q = {};
  for (const part of (url.split('?')[1] || '').split('&')) {
    const i = part.indexOf('=');
    if (i > 0) q[part.slice(0, i)] = part.slice(i + 1);
  }
  return q;
}

const WX_DIR = path.join(ROOT, 'www', 'miniprogram', 'wechat');
const ALIPAY_DIR = path.join(ROOT, 'www', 'miniprogram', 'alipay');

/** Runs wx.miniProgram.navigateTo(url) through the sample: pages/pay pays, pages/webview re-points the web-view. */
function wechatMiniProgram(scenario) {
  const record = { requestPayment: [], navigateBack: 0 };
  const app = { globalData: { interpayResult: null } };
  let webview;
  const wx = {
    requestPayment(opts) {
      const { success, fail, complete, ...params } = opts;
      record.requestPayment.push(params);
      setTimeout(() => {
        if (scenario.result === 'ok') success({ errMsg: 'requestPayment:ok' });
        else if (scenario.result === 'cancel') fail({ errMsg: 'requestPayment:fail cancel' });
        else fail({ errMsg: 'requestPayment:fail (detail message)', errno: 1 });
      }, 10);
    },
    navigateBack() {
      record.navigateBack++;
      webview.onShow();
    },
    // The web-view page asks for the shopper's identity first; here it gets none, so the page keeps its URL
    // (the identity step itself is tested in miniprogram-wechat.test.mjs).
    login(opts) {
      opts.fail({ errMsg: 'login:fail (not in this stand-in)' });
    },
  };
  const globals = { getApp: () => app, wx, allowOrigins: [server.origin] };
  webview = instance(loadMiniProgramModule(path.join(WX_DIR, 'pages/webview/webview.js'), globals));
  webview.onLoad({});
  webview.onShow();
  return {
    record,
    async navigate(url) {
      assert.ok(url.startsWith('/pages/pay/pay?'), url);
      const pay = instance(loadMiniProgramModule(path.join(WX_DIR, 'pages/pay/pay.js'), globals));
      const before = webview.data.src;
      pay.onLoad(rawQuery(url));
      for (let i = 0; i < 100 && webview.data.src === before; i++) await new Promise((r) => setTimeout(r, 10));
      return webview.data.src;
    },
  };
}

/** The Alipay sample host page answering my.postMessage with my.tradePay. */
function alipayMiniProgram(scenario) {
  const record = { tradePay: [] };
  let reply;
  const my = {
    createWebViewContext: (id) => ({ postMessage: (m) => (reply = m), id }),
    // The identity step gets no code here, so the page keeps its URL (the step itself is tested in
    // miniprogram-alipay.test.mjs).
    getAuthCode(opts) {
      opts.fail({ error: 11, errorMessage: 'not in this stand-in' });
    },
    tradePay(opts) {
      record.tradePay.push({ tradeNO: opts.tradeNO });
      setTimeout(() => (scenario.error ? opts.fail({ error: 4, errorMessage: '无权限调用' }) : opts.success({ resultCode: scenario.resultCode })), 10);
    },
  };
  const host = instance(loadMiniProgramModule(path.join(ALIPAY_DIR, 'pages/webview/webview.js'), { getApp: () => ({}), my }));
  host.onLoad({});
  return {
    record,
    async message(msg) {
      reply = undefined;
      host.onMessage({ detail: msg });
      for (let i = 0; i < 100 && reply === undefined; i++) await new Promise((r) => setTimeout(r, 10));
      return reply;
    },
  };
}

// ---------------------------------------------------------------------------------------------------

test('sandbox wallet: real sandbox-wallet.js sheet, Pay / Cancel / Decline map to outcomes; status says paid', async () => {
  const ctx = await openPage({ userAgent: UA.chromeAndroid, extraHtml: '<script src="/sandbox-wallet.js"></script>', name: 'sandbox' });
  await closing(ctx, async () => {
    const { page } = ctx;
    const env = await page.evaluate(() => window.__m.__interpay_test_environment(null));
    assert.equal(env.environment.has_sandbox_wallet, true);
    for (const [button, expected, finalStatus] of [
      ['#sandbox-wallet-cancel', { status: 'cancelled' }, 'cancelled'],
      ['#sandbox-wallet-decline', { status: 'failed', code: 'declined', message: 'The sandbox wallet declined the payment.' }, 'failed'],
      ['#sandbox-wallet-pay', { status: 'succeeded' }, 'paid'],
    ]) {
      const order = await createOrder(page, 'sandbox', CODES.emvco);
      assert.deepEqual(order.wallet_params, { order_id: order.order_id, amount: '23.72', currency: 'CNY', merchant: 'Interpay Sandbox Merchant' });
      const outcome = pay(page, 'sandbox', order.wallet_params);
      await page.locator(button).click();
      assert.deepEqual(await outcome, expected);
      assert.equal(await status(order), finalStatus);
    }
  });
});

test('WeChat JSAPI: waits for WeixinJSBridgeReady, passes the exact signed params, maps ok/cancel/fail', async () => {
  const ctx = await openPage({ userAgent: UA.wechat, init: wechatJsapiStandIn, name: 'wechat-jsapi' });
  await closing(ctx, async () => {
    const { page } = ctx;
    const { env } = await environment(page, 'wechat');
    assert.equal(env.detected.wechat, true);
    assert.deepEqual(env.wallets[0], { wallet: 'wechat_jsapi', available: true, reason: null }, JSON.stringify(env.wallets));
    // The others are explained, not hidden.
    assert.equal(env.wallets.find((w) => w.wallet === 'alipay_app').reason, 'not_supported_for_scheme');
    assert.equal(env.wallets.find((w) => w.wallet === 'deep_link').reason, 'open_in_mobile_browser');
    // ok: the bridge says ok, but only the merchant's status (after the wallet's notification) makes it paid.
    const order = await createOrder(page, 'wechat_jsapi', CODES.wechat);
    const wp = order.wallet_params;
    assert.equal(wp.signType, 'RSA');
    assert.match(wp.package, /^prepay_id=wx\w+$/);
    assert.deepEqual(await pay(page, 'wechat_jsapi', wp), { status: 'succeeded' });
    const calls = await page.evaluate(() => window.__calls);
    assert.equal(calls.length, 1);
    assert.equal(calls[0].name, 'getBrandWCPayRequest');
    assert.deepEqual(calls[0].params, without(wp, 'order_id'), 'exactly {appId, timeStamp, nonceStr, package, signType, paySign}');
    assert.deepEqual(Object.keys(calls[0].params).sort(), ['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
    assert.equal(await status(order), 'created', 'a bridge "ok" alone does not make the order paid');
    await server.notify(order.order_id, 'paid');
    assert.equal(await status(order), 'paid');

    await page.evaluate(() => (window.__next = 'cancel'));
    assert.deepEqual(await pay(page, 'wechat_jsapi', (await createOrder(page, 'wechat_jsapi', CODES.wechat)).wallet_params), { status: 'cancelled' });
    await page.evaluate(() => (window.__next = 'fail'));
    const f = await pay(page, 'wechat_jsapi', (await createOrder(page, 'wechat_jsapi', CODES.wechat)).wallet_params);
    assert.equal(f.status, 'failed');
    assert.equal(f.code, 'fail');
    // Tampered / incomplete params never reach the wallet.
    const n = (await page.evaluate(() => window.__calls.length));
    const bad = await pay(page, 'wechat_jsapi', without(wp, 'paySign'));
    assert.equal(bad.status, 'failed');
    assert.equal(bad.code, 'bad_wallet_params');
    assert.equal(await page.evaluate(() => window.__calls.length), n);
  });
});

test('WeChat JSAPI: missing bridge and a throwing bridge are Failed with code + message, never a crash', async () => {
  const ctx = await openPage({ userAgent: UA.chromeAndroid, name: 'wechat-missing' });
  await closing(ctx, async () => {
    const { page } = ctx;
    const order = await createOrder(page, 'wechat_jsapi', CODES.wechat);
    const t0 = Date.now();
    const o = await pay(page, 'wechat_jsapi', order.wallet_params);
    assert.equal(o.status, 'failed');
    assert.equal(o.code, 'bridge_missing');
    assert.match(o.message, /WeixinJSBridge/);
    assert.ok(Date.now() - t0 >= 4_000, 'waited for WeixinJSBridgeReady before giving up');
    await page.evaluate(() => {
      window.WeixinJSBridge = { invoke() { throw new TypeError('boom'); } };
    });
    const t = await pay(page, 'wechat_jsapi', order.wallet_params);
    assert.equal(t.status, 'failed');
    assert.equal(t.code, 'bridge_exception');
    assert.match(t.message, /boom/);
    // Still alive after all that.
    assert.equal((await pay(page, 'nope', {})).code, 'unknown_wallet');
    // iOS mini-program web-view discovered late (__wxjs_environment set after WeixinJSBridgeReady): refused clearly.
    await page.evaluate(() => {
      window.__wxjs_environment = 'miniprogram';
      window.WeixinJSBridge = { invoke() { throw new Error('must not be called'); } };
    });
    assert.equal((await pay(page, 'wechat_jsapi', order.wallet_params)).code, 'use_mini_program_payment');
  });
});

test('WeChat mini-program: navigateTo the sample pay page, wx.requestPayment gets the signed fields, verdict returns in the web-view URL hash', async () => {
  for (const [result, expected] of [
    ['ok', { status: 'succeeded' }],
    ['cancel', { status: 'cancelled' }],
    // The sample's verdict for a failure: wx.requestPayment's errno as the code, its errMsg as the message.
    ['fail', { status: 'failed', code: '1', message: 'requestPayment:fail (detail message)' }],
  ]) {
    const mp = wechatMiniProgram({ result });
    const ctx = await openPage({ userAgent: UA.wechatMiniProgram, init: wxMiniProgramStandIn, name: `wechat-mp-${result}` });
    await ctx.page.exposeFunction('__miniProgramNavigate', (url) => mp.navigate(url));
    await closing(ctx, async () => {
      const { page } = ctx;
      const { env } = await environment(page, 'wechat');
      assert.equal(env.detected.wechat_mini_program, true);
      assert.equal(env.wallets[0].wallet, 'wechat_mini_program');
      const order = await createOrder(page, 'wechat_mini_program', CODES.wechat);
      assert.deepEqual(await pay(page, 'wechat_mini_program', order.wallet_params), expected);
      const [nav] = await page.evaluate(() => window.__calls);
      assert.ok(nav.url.startsWith('/pages/pay/pay?order=' + encodeURIComponent(order.order_id)), nav.url);
      assert.deepEqual(mp.record.requestPayment, [without(order.wallet_params, 'appId', 'order_id', 'page')]);
      assert.equal(mp.record.navigateBack, 1);
      // The verdict came back on this very page (same document: hashchange), tagged with the order.
      const back = await page.evaluate(() => window.__m.__interpay_test_returned());
      assert.equal(back.order_id, order.order_id);
    });
  }
});

test('Alipay app: AlipayJSBridge.call tradePay with {tradeNO}; 9000/8000/4000/5000/6001/6002/6004 mapped', async () => {
  const ctx = await openPage({ userAgent: UA.alipay, init: alipayAppStandIn, name: 'alipay-app' });
  await closing(ctx, async () => {
    const { page } = ctx;
    const { env } = await environment(page, 'alipay');
    assert.equal(env.detected.alipay, true);
    assert.equal(env.wallets[0].wallet, 'alipay_app');
    const expected = {
      9000: { status: 'succeeded' },
      8000: { status: 'pending' },
      6004: { status: 'pending' },
      6001: { status: 'cancelled' },
      4000: { status: 'failed', code: 'payment_failed', message: '余额不足' },
      5000: { status: 'failed', code: 'duplicate_request' },
      6002: { status: 'failed', code: 'network_error' },
    };
    for (const [code, want] of Object.entries(expected)) {
      await page.evaluate((c) => (window.__next = c), code);
      const order = await createOrder(page, 'alipay_app', CODES.alipay);
      const o = await pay(page, 'alipay_app', order.wallet_params);
      for (const [k, v] of Object.entries(want)) assert.equal(o[k], v, `resultCode ${code}: ${JSON.stringify(o)}`);
      const calls = await page.evaluate(() => window.__calls);
      const last = calls[calls.length - 1];
      assert.deepEqual(last, { name: 'tradePay', params: { tradeNO: order.wallet_params.tradeNO } });
      assert.match(order.wallet_params.tradeNO, /^\d{28}$/);
      assert.equal(await status(order), 'created', 'only the merchant decides');
    }
  });
});

test('Alipay mini-program: my.postMessage → sample host page → my.tradePay → my.onMessage; codes mapped', async () => {
  for (const [scenario, want] of [
    [{ resultCode: '9000' }, { status: 'succeeded' }],
    [{ resultCode: '6001' }, { status: 'cancelled' }],
    [{ resultCode: '6004' }, { status: 'pending' }],
    [{ error: true }, { status: 'failed', code: 'alipay_error_4' }],
  ]) {
    const host = alipayMiniProgram(scenario);
    const ctx = await openPage({ userAgent: UA.alipayMiniProgram, init: myMiniProgramStandIn, name: 'alipay-mp' });
    await ctx.page.exposeFunction('__alipayHost', (msg) => host.message(msg));
    await closing(ctx, async () => {
      const { page } = ctx;
      const { env } = await environment(page, 'alipay');
      assert.equal(env.detected.alipay_mini_program, true);
      assert.equal(env.wallets[0].wallet, 'alipay_mini_program');
      const order = await createOrder(page, 'alipay_mini_program', CODES.alipay);
      const o = await pay(page, 'alipay_mini_program', order.wallet_params);
      for (const [k, v] of Object.entries(want)) assert.equal(o[k], v, JSON.stringify({ scenario, o }));
      const [post] = await page.evaluate(() => window.__calls);
      assert.deepEqual(post.msg, { interpay: 'tradePay', order_id: order.order_id, tradeNO: order.wallet_params.tradeNO });
      assert.deepEqual(host.record.tradePay, [{ tradeNO: order.wallet_params.tradeNO }]);
    });
  }
});

test('UnionPay: upsdk.ready then upsdk.pay({tn, success, fail}); cancel / failure mapped', async () => {
  const ctx = await openPage({ userAgent: UA.unionpay, init: upsdkStandIn, name: 'unionpay' });
  await closing(ctx, async () => {
    const { page } = ctx;
    const { env } = await environment(page, 'unionpay');
    assert.equal(env.detected.unionpay, true);
    assert.deepEqual(env.wallets[0], { wallet: 'unionpay', available: true, reason: null });
    const order = await createOrder(page, 'unionpay', CODES.unionpay);
    assert.match(order.wallet_params.tn, /^\d{21}$/);
    assert.deepEqual(await pay(page, 'unionpay', order.wallet_params), { status: 'succeeded' });
    const calls = await page.evaluate(() => window.__calls);
    assert.deepEqual(calls.at(-1), { name: 'pay', tn: order.wallet_params.tn, keys: ['fail', 'success', 'tn'] });
    await page.evaluate(() => (window.__next = '用户取消支付'));
    assert.deepEqual(await pay(page, 'unionpay', order.wallet_params), { status: 'cancelled' });
    await page.evaluate(() => (window.__next = 'tn expired'));
    const f = await pay(page, 'unionpay', order.wallet_params);
    assert.deepEqual(f, { status: 'failed', code: 'unionpay_fail', message: 'tn expired' });
  });
});

test('Payment Request: exact methodData/details, canMakePayment false → no_payment_handler, AbortError → cancelled, complete_url → success', async () => {
  const ctx = await openPage({ userAgent: UA.chromeAndroid, init: paymentRequestStandIn, name: 'payment-request' });
  await closing(ctx, async () => {
    const { page } = ctx;
    const { env } = await environment(page, 'upi');
    assert.equal(env.environment.has_payment_request, true);
    assert.equal(env.wallets[0].wallet, 'payment_request');
    const order = await createOrder(page, 'payment_request', CODES.upi);
    const wp = order.wallet_params;
    // No complete_url (the sandbox's shape): the sheet is completed "unknown" and the status endpoint decides.
    assert.deepEqual(await pay(page, 'payment_request', wp), { status: 'pending' });
    let calls = await page.evaluate(() => window.__calls);
    assert.deepEqual(calls.map((c) => c.name), ['constructor', 'canMakePayment', 'show', 'complete']);
    assert.deepEqual(calls[0].methodData, wp.methodData);
    assert.deepEqual(calls[0].details, wp.details);
    assert.deepEqual(calls[0].details.total.amount, { currency: 'INR', value: '120.00' });
    assert.equal(calls[3].result, 'unknown');

    // With a merchant endpoint that processes the response: POSTed, then complete('success').
    let posted;
    await page.route(`${server.origin}/__pr_complete`, async (route) => {
      posted = JSON.parse(route.request().postData());
      await route.fulfill({ status: 200, contentType: 'application/json', body: '{"ok":true}' });
    });
    await page.evaluate(() => (window.__calls = []));
    assert.deepEqual(await pay(page, 'payment_request', { ...wp, complete_url: '/__pr_complete' }), { status: 'succeeded' });
    assert.deepEqual(posted, { order_id: order.order_id, methodName: 'https://pay.interpay.invalid/sandbox', details: { token: 'tok_sandbox_123' } });
    calls = await page.evaluate(() => window.__calls);
    assert.equal(calls.at(-1).result, 'success');

    await page.evaluate(() => (window.__next = { canMakePayment: false, show: 'resolve' }));
    const none = await pay(page, 'payment_request', wp);
    assert.equal(none.code, 'no_payment_handler');
    await page.evaluate(() => (window.__next = { canMakePayment: true, show: 'abort' }));
    assert.deepEqual(await pay(page, 'payment_request', wp), { status: 'cancelled' });
    await page.evaluate(() => (window.__next = { canMakePayment: true, show: 'unsupported' }));
    assert.equal((await pay(page, 'payment_request', wp)).code, 'no_payment_handler');
    assert.equal((await pay(page, 'payment_request', { details: {} })).code, 'bad_wallet_params');
  });
});

test('Deep link: hand-off to the wallet page and back to the return URL with the verdict; app scheme that opens nothing → app_not_opened', async () => {
  const ctx = await openPage({ userAgent: UA.chromeAndroid, name: 'deep-link' });
  // Chromium refuses external-protocol launches without a user gesture (this test has none) and logs it;
  // the bridge then reports app_not_opened, which is what a real shopper would get after a slow order.
  ctx.allow = [/Not allowed to launch 'upi:\/\/.*user gesture is required/];
  await closing(ctx, async () => {
    const { page } = ctx;
    const { env } = await environment(page, 'upi');
    assert.equal(env.detected.plain_mobile_browser, true);
    // The sandbox's stand-in wallet app (www/miniprogram/sandbox-app/): pay there, come back here.
    for (const [button, result, outcome, merchant] of [
      ['#cancel', 'cancel', { status: 'cancelled' }, 'cancelled'],
      ['#pay', 'ok', { status: 'succeeded' }, 'paid'],
    ]) {
      const order = await createOrder(page, 'deep_link', CODES.upi);
      assert.match(order.wallet_params.url, /^\/miniprogram\/sandbox-app\/\?order_id=/);
      const atApp = page.waitForURL((u) => u.pathname === '/miniprogram/sandbox-app/', { timeout: 10_000 });
      // The page leaves (http link): the bridge call does not resolve here, the return page reads the verdict.
      page.evaluate(({ wp }) => window.__m.__interpay_test_pay('deep_link', wp), { wp: order.wallet_params }).catch(() => {});
      await atApp;
      const appUrl = new URL(page.url());
      assert.equal(appUrl.searchParams.get('order_id'), order.order_id);
      assert.equal(appUrl.searchParams.get('return_url'), `${server.origin}${PAGE}#interpay_order=${order.order_id}`);
      await screenshot(page, `bridges-deep-link-app-${result}`);
      const backHere = page.waitForURL((u) => u.pathname === PAGE && u.hash.includes(`interpay_result=${result}`), { timeout: 10_000 });
      await page.locator(button).click();
      await backHere;
      await page.waitForFunction(() => window.__ready === true);
      const back = await page.evaluate(() => window.__m.__interpay_test_returned());
      assert.deepEqual(back, { order_id: order.order_id, outcome });
      assert.equal(await status(order), merchant);
    }
    const order = await createOrder(page, 'deep_link', CODES.upi);

    // An app scheme nobody handles: the page never goes hidden → app_not_opened after the wait.
    const o = await pay(page, 'deep_link', { url: 'upi://pay?pa=shop@okaxis&am=120.00&cu=INR', order_id: order.order_id });
    assert.equal(o.status, 'failed');
    assert.equal(o.code, 'app_not_opened');
    // An app that does open (the page loses focus), and the shopper comes back with a verdict on the URL.
    // The previous order's verdict still on the URL is cleared first and never answers this one.
    const order2 = await createOrder(page, 'deep_link', CODES.upi);
    const opened = pay(page, 'deep_link', { url: 'upi://pay?pa=shop@okaxis&am=120.00&cu=INR', order_id: order2.order_id });
    await page.waitForTimeout(300);
    assert.ok(!(await page.evaluate(() => location.hash.includes('interpay_result'))), 'old verdict cleared');
    await page.evaluate(() => window.dispatchEvent(new Event('blur')));
    await page.waitForTimeout(300);
    await page.evaluate((id) => {
      location.hash = `interpay_order=${id}&interpay_result=cancel`;
    }, order2.order_id);
    assert.deepEqual(await opened, { status: 'cancelled' });
    // Came back without a verdict (focus again): Pending, the status endpoint decides.
    const opened2 = pay(page, 'deep_link', { url: 'upi://pay?pa=shop@okaxis&am=120.00&cu=INR', order_id: order2.order_id });
    await page.waitForTimeout(300);
    await page.evaluate(() => window.dispatchEvent(new Event('blur')));
    await page.waitForTimeout(300);
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    assert.deepEqual(await opened2, { status: 'pending' });
    // Never a javascript: link.
    assert.equal((await pay(page, 'deep_link', { url: 'javascript:alert(1)' })).code, 'bad_wallet_params');
  });
});

// ---------------------------------------------------------------------------------------------------
// The real widget flow, one table row per wallet family: the fake camera shows a code the wallet can pay, the page
// runs in that wallet's browser (its user agent + a stand-in of its API), the picker puts that wallet first, the
// widget creates the order, hands the merchant's parameters to the API, and confirms with the status endpoint:
// success only once the merchant says paid, the wallet's "ok" without the merchant's confirmation is pending.
//
// Modes of the stand-in: 'paid' (the wallet's server notifies the merchant, then the API says ok), 'unconfirmed'
// (the API says ok, the merchant hears nothing), 'cancel' (the shopper closes the wallet), 'fail' (the wallet refuses).

/** Installs the `family` API stand-in answering with `mode`; records every call in window.__calls. */
function widgetStandIn({ family, mode }) {
  window.__calls = [];
  window.addEventListener('interpay:order-created', (e) => (window.__order = e.detail.order), true);
  /** The wallet's server-to-server notification, then `answer`. */
  const notified = (answer) =>
    fetch('/sandbox/wallet/pay', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ order_id: window.__order.order_id, result: 'paid' }),
    }).then(answer, answer);
  const later = (answer) => setTimeout(answer, 50);
  if (family === 'unionpay') {
    window.upsdk = {
      ready(fn) {
        setTimeout(fn, 10);
      },
      pay(opts) {
        window.__calls.push({ name: 'pay', tn: opts.tn, keys: Object.keys(opts).sort() });
        if (mode === 'paid') notified(() => opts.success());
        else if (mode === 'unconfirmed') later(() => opts.success());
        else later(() => opts.fail({ msg: mode === 'cancel' ? '用户取消支付' : 'tn expired' }));
      },
    };
  } else if (family === 'wechat') {
    window.WeixinJSBridge = {
      invoke(name, params, cb) {
        window.__calls.push({ name, params: JSON.parse(JSON.stringify(params)) });
        const answer = () => cb({ err_msg: `get_brand_wcpay_request:${mode === 'paid' || mode === 'unconfirmed' ? 'ok' : mode}` });
        if (mode === 'paid') notified(answer);
        else later(answer);
      },
    };
  } else if (family === 'payment_request') {
    window.PaymentRequest = class {
      constructor(methodData, details) {
        window.__calls.push({ name: 'constructor', methodData: JSON.parse(JSON.stringify(methodData)), details: JSON.parse(JSON.stringify(details)) });
      }
      canMakePayment() {
        window.__calls.push({ name: 'canMakePayment' });
        return Promise.resolve(true);
      }
      async show() {
        window.__calls.push({ name: 'show' });
        if (mode === 'cancel') throw new DOMException('User closed the sheet', 'AbortError');
        const response = {
          methodName: 'https://pay.interpay.invalid/sandbox',
          details: { token: 'tok' },
          complete: (r) => (window.__calls.push({ name: 'complete', result: r }), Promise.resolve()),
          toJSON() {
            return { methodName: this.methodName, details: this.details };
          },
        };
        // The handler's server charges the order and notifies the merchant.
        return mode === 'paid' ? notified(() => response) : response;
      }
      abort() {
        return Promise.resolve();
      }
    };
  }
}

/** [mode, result screen, result event, outcome in the event, merchant status afterwards] */
const PAID = ['paid', 'result-success', 'interpay:succeeded', { status: 'succeeded' }, 'paid'];
const UNCONFIRMED = ['unconfirmed', 'result-pending', 'interpay:pending', { status: 'pending' }, 'created'];
const CANCEL = ['cancel', 'result-cancelled', 'interpay:cancelled', { status: 'cancelled' }, 'created'];

const WIDGET_FLOWS = [
  {
    name: 'Cloud QuickPass: a UnionPay EMVCo code → UnionPay first → upsdk.pay gets the order tn',
    family: 'unionpay',
    wallet: 'unionpay',
    userAgent: UA.unionpay,
    code: CODES.unionpay,
    firstOptions: ['unionpay'],
    calls: (order) => [{ name: 'pay', tn: order.wallet_params.tn, keys: ['fail', 'success', 'tn'] }],
    modes: [PAID, UNCONFIRMED, CANCEL, ['fail', 'result-failed', 'interpay:failed', { status: 'failed', code: 'unionpay_fail', message: 'tn expired' }, 'created']],
  },
  {
    name: 'WeChat: a wxp:// code (static: the shopper types the amount) → WeChat Pay first → JSAPI gets the order params',
    family: 'wechat',
    wallet: 'wechat_jsapi',
    userAgent: UA.wechat,
    code: CODES.wechat,
    typeAmount: true,
    firstOptions: ['wechat_jsapi'],
    calls: (order) => [{ name: 'getBrandWCPayRequest', params: without(order.wallet_params, 'order_id') }],
    modes: [
      PAID,
      UNCONFIRMED,
      CANCEL,
      ['fail', 'result-failed', 'interpay:failed', { status: 'failed', code: 'fail', message: 'get_brand_wcpay_request:fail' }, 'created'],
    ],
  },
  {
    name: 'Android Chrome with a payment handler: a UPI code → Payment Request first → the sheet gets the order methodData/details',
    family: 'payment_request',
    wallet: 'payment_request',
    userAgent: UA.chromeAndroid,
    code: CODES.upi,
    firstOptions: ['payment_request', 'deep_link', 'sandbox'],
    calls: (order, mode) => [
      { name: 'constructor', methodData: order.wallet_params.methodData, details: order.wallet_params.details },
      { name: 'canMakePayment' },
      { name: 'show' },
      // No complete_url (the sandbox's shape): the sheet is completed "unknown" and the status endpoint decides.
      ...(mode === 'cancel' ? [] : [{ name: 'complete', result: 'unknown' }]),
    ],
    modes: [PAID, CANCEL],
  },
];

for (const flow of WIDGET_FLOWS) {
  test(`widget flow, ${flow.name}; result screen and event per wallet answer`, { timeout: 300_000 }, async (t) => {
    const camBrowser = await launchBrowser({ camera: fakeCamera(flow.code.payload, `bridges-${flow.family}`) });
    try {
      for (const [mode, screen, event, outcome, merchantStatus] of flow.modes) {
        await t.test(mode, async () => {
          const context = await newContext(camBrowser, { userAgent: flow.userAgent });
          await context.addInitScript(widgetStandIn, { family: flow.family, mode });
          await withWidget(context, server, { name: `bridges-widget-${flow.family}-${mode}` }, async (w) => {
            await w.scanToConfirm();
            const scanned = await w.waitEvent('interpay:scanned');
            assert.equal(scanned.detail.text, flow.code.payload);
            assert.equal(scanned.detail.code?.currency?.code, flow.code.currency, 'the scanned payment has its currency');
            const options = await w.walletOptions();
            assert.deepEqual(options.slice(0, flow.firstOptions.length), flow.firstOptions, `picker order: ${options}`);
            if (flow.typeAmount) await w.tid('amount-input').fill(flow.code.amount);
            await w.payWith(flow.wallet);
            await w.result(screen);

            const order = (await w.waitEvent('interpay:order-created')).detail.order;
            assert.deepEqual([order.wallet, order.amount, order.currency], [flow.wallet, flow.code.amount, flow.code.currency]);
            assert.deepEqual(await w.page.evaluate(() => window.__calls), flow.calls(order, mode), 'the wallet API got exactly the order parameters');
            assert.deepEqual(await w.eventTypes(), ['interpay:scanned', 'interpay:order-created', event]);
            const result = await w.waitEvent(event);
            assert.deepEqual(result.detail.outcome, outcome);
            assert.equal(result.detail.order.order_id, order.order_id);
            assert.equal(await status(order), merchantStatus, 'the merchant says paid only when the wallet notified it');
            for (const other of ['result-success', 'result-pending', 'result-cancelled', 'result-failed'].filter((s) => s !== screen)) {
              assert.equal(await w.tid(other).count(), 0, `${other} is not shown`);
            }
            assert.deepEqual(w.pageErrors, []);
          });
        });
      }
    } finally {
      await camBrowser.close().catch(() => {});
    }
  });
}
