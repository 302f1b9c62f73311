// A real gateway order from the widget, against the protocol-faithful mock gateways (wallet-gateways,
// feature `mock`): the sandbox merchant runs with `--gateway mock`, the page looks like the wallet's own
// in-app browser (its user agent, a stand-in bridge that records what it is asked to pay and answers
// when the test says so), and the page URL carries the shopper's identity the way the wallet hands it
// over (WeChat OAuth `code` + `state=interpay`, Alipay `interpay_alipay_code`).
//
// What is asserted, per wallet:
// - the merchant placed a real order at the mock with the shopper's id taken from the code
//   (WeChat `payer.openid` from the OAuth exchange, Alipay `buyer_open_id` from alipay.system.oauth.token);
// - the bridge got the gateway's own handle (WeChat `package=prepay_id=…` with a `paySign` that verifies
//   against the merchant's public key; Alipay `tradePay` with the mock's `trade_no`);
// - the mock "shopper pays" hook makes the mock send its signed (WeChat: encrypted) notification, the
//   merchant applies it (its log says "notification", not "query"), and the widget shows success;
// - a forged notification is refused (401) and the widget never shows success (it ends pending).
//
// Run: ./dev e2e tests/e2e/gateways.test.mjs   (needs release binaries + dist/, see tests/e2e/lib/driver.mjs)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, fakeCamera, launchBrowser, newContext, startServer, withWidget } from './lib/driver.mjs';

const T = { timeout: 150_000 };

const UA = {
  wechat:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN',
  alipay:
    'Mozilla/5.0 (Linux; U; Android 13; zh-CN; V2218A Build/TP1A.220624.014) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/69.0.3497.100 Mobile Safari/537.36 Nebula AlipayDefined(nt:WIFI,ws:393|0|2.75) AliApp(AP/10.5.36.8000) AlipayClient/10.5.36.8000 Language/zh-Hans',
};
const CODES = {
  wechat: 'wxp://f2f0e5RxTnJ1dVQbW8uH3VmWC5eVHhrjXq0Y',
  alipay: 'https://qr.alipay.com/fkx18099ac6eb1rutvjbf4e',
};
// wallet-gateways/src/mock/mod.rs
const MOCK_APPID = 'wx5a3d0c1e2f304b6c';
const MERCHANT_PUBLIC_KEY = fs.readFileSync(path.join(ROOT, 'wallet-gateways/src/mock/keys/wechat_merchant.pub.pem'), 'utf8');

/** The openid / buyer_open_id the mock gives a code (wallet-gateways `mock::openid_for`). */
const openidFor = (code) => 'oMock' + crypto.createHash('sha256').update(code).digest('hex').slice(0, 23);

/** WeChat's JSAPI bridge (injected late, then WeixinJSBridgeReady): records `invoke` and holds the
 * callback until the test answers (the shopper is looking at WeChat's pay sheet meanwhile). */
function wechatStandIn() {
  window.__calls = [];
  window.__answer = (suffix) => window.__pending({ err_msg: `get_brand_wcpay_request:${suffix}` });
  setTimeout(() => {
    window.WeixinJSBridge = {
      invoke(name, params, cb) {
        window.__calls.push({ name, params: JSON.parse(JSON.stringify(params)) });
        window.__pending = cb;
      },
      on() {},
    };
    document.dispatchEvent(new Event('WeixinJSBridgeReady'));
  }, 300);
}

/** The Alipay app's bridge (AlipayJSBridge + AlipayJSBridgeReady), same recording. */
function alipayStandIn() {
  window.__calls = [];
  window.__answer = (resultCode) => window.__pending({ resultCode, memo: '', result: '' });
  setTimeout(() => {
    window.AlipayJSBridge = {
      call(name, params, cb) {
        window.__calls.push({ name, params: JSON.parse(JSON.stringify(params)) });
        window.__pending = cb;
      },
    };
    document.dispatchEvent(new Event('AlipayJSBridgeReady'));
  }, 300);
}

const WALLETS = {
  wechat: {
    wallet: 'wechat_jsapi',
    userAgent: UA.wechat,
    standIn: wechatStandIn,
    // What WeChat appends to the page after an OAuth snsapi_base redirect the merchant asked for.
    query: (code) => `?code=${encodeURIComponent(code)}&state=interpay`,
    amount: '12.30',
    ok: 'ok',
  },
  alipay: {
    wallet: 'alipay_app',
    userAgent: UA.alipay,
    standIn: alipayStandIn,
    query: (code) => `?interpay_alipay_code=${encodeURIComponent(code)}`,
    amount: '8.80',
    ok: '9000',
  },
};

async function postJson(url, body) {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

async function getJson(url) {
  const r = await fetch(url);
  return { status: r.status, body: await r.json() };
}

/** Scan the wallet's code in its in-app browser, opened with a payer code, up to the bridge call.
 * Then `fn({ w, server, orderId, call, code })`. */
async function withGatewayCheckout(family, name, fn) {
  const cfg = WALLETS[family];
  const server = await startServer({ gateway: 'mock' });
  const browser = await launchBrowser({ camera: fakeCamera(CODES[family], `gw-${name}`) });
  const code = `${family}-shopper-${name}-${crypto.randomBytes(4).toString('hex')}`;
  try {
    const context = await newContext(browser, { userAgent: cfg.userAgent, locale: 'zh-CN' });
    await context.addInitScript(cfg.standIn);
    await withWidget(context, server, { name: `gateways-${name}`, pathname: '/' + cfg.query(code) }, async (w) => {
      await w.scanToConfirm();
      const input = w.tid('amount-input');
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(cfg.amount);
      assert.ok((await w.walletOptions()).includes(cfg.wallet), `${cfg.wallet} is offered in this in-app browser`);
      await w.payWith(cfg.wallet);
      const created = await w.waitEvent('interpay:order-created', 20_000);
      const orderId = created.detail.order.order_id;
      assert.equal(created.detail.order.wallet, cfg.wallet);
      await w.page.waitForFunction(() => window.__calls.length > 0, null, { timeout: 15_000 });
      const calls = await w.page.evaluate(() => window.__calls);
      assert.equal(calls.length, 1, `one bridge call: ${JSON.stringify(calls)}`);
      // Until the shopper pays, the merchant (which asks the gateway while the order is open) says created.
      assert.equal(await server.orderStatus(orderId), 'created');
      await fn({ w, server, orderId, call: calls[0], code, cfg });
    });
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
  }
}

/** The paySign the page got verifies against the merchant's key over appId\ntimeStamp\nnonceStr\npackage\n. */
function paySignVerifies(p) {
  const message = `${p.appId}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`;
  return crypto.verify('RSA-SHA256', Buffer.from(message), MERCHANT_PUBLIC_KEY, Buffer.from(p.paySign, 'base64'));
}

async function wechatOrderAtMock(server, orderId, code, call) {
  const mock = await getJson(`${server.mockUrl}/mock/wechat/orders/${orderId}`);
  assert.equal(mock.status, 200, `the mock has the order: ${JSON.stringify(mock.body)}`);
  const rq = mock.body.request;
  assert.equal(mock.body.trade_type, 'JSAPI');
  assert.equal(rq.payer.openid, openidFor(code), 'the JSAPI order names the shopper the OAuth code identifies');
  assert.deepEqual([rq.appid, rq.out_trade_no, rq.amount.total, rq.amount.currency], [MOCK_APPID, orderId, 1230, 'CNY']);
  assert.equal(rq.notify_url, `${server.origin}/api/notify/wechat`);
  assert.equal(mock.body.trade_state, 'NOTPAY');

  assert.equal(call.name, 'getBrandWCPayRequest');
  const p = call.params;
  assert.equal(p.package, `prepay_id=${mock.body.prepay_id}`, "the bridge pays the mock's prepay_id");
  assert.deepEqual([p.appId, p.signType], [MOCK_APPID, 'RSA']);
  assert.match(p.timeStamp, /^\d{10}$/);
  assert.ok(paySignVerifies(p), 'paySign verifies against the merchant public key');
  assert.ok(!paySignVerifies({ ...p, package: p.package + 'x' }), 'and only for this package');
  return mock.body;
}

async function alipayTradeAtMock(server, orderId, code, call) {
  const mock = await getJson(`${server.mockUrl}/mock/alipay/trades/${orderId}`);
  assert.equal(mock.status, 200, `the mock has the trade: ${JSON.stringify(mock.body)}`);
  const rq = mock.body.request;
  assert.equal(rq.buyer_open_id, openidFor(code), 'alipay.trade.create names the shopper the auth code identifies');
  assert.deepEqual([rq.out_trade_no, rq.total_amount], [orderId, '8.80']);
  assert.equal(mock.body.notify_url, `${server.origin}/api/notify/alipay`);
  assert.equal(mock.body.trade_status, 'WAIT_BUYER_PAY');

  assert.equal(call.name, 'tradePay');
  assert.deepEqual(call.params, { tradeNO: mock.body.trade_no }, "tradePay gets the mock's trade_no, nothing else");
  return mock.body;
}

const AT_MOCK = { wechat: wechatOrderAtMock, alipay: alipayTradeAtMock };
const HOOK = { wechat: 'wechat', alipay: 'alipay' };
const ANSWERED_OK = { wechat: 200, alipay: 'success' };

for (const family of ['wechat', 'alipay']) {
  test(`${family}: a real gateway order from the widget (payer from the URL), paid through the mock's signed notification`, T, async () => {
    await withGatewayCheckout(family, `${family}-paid`, async ({ w, server, orderId, call, code, cfg }) => {
      await AT_MOCK[family](server, orderId, code, call);

      // The shopper pays in the wallet: the mock marks the order paid and notifies the merchant.
      const paid = await postJson(`${server.mockUrl}/mock/${HOOK[family]}/pay`, { out_trade_no: orderId, notify: true });
      assert.equal(paid.status, 200, JSON.stringify(paid.body));
      assert.equal(paid.body.merchant_answered, ANSWERED_OK[family], 'the merchant acknowledged the notification');
      // The notification, not a status query, made it paid (the widget has not polled yet: the bridge is still open).
      // (The server logs on stderr, read through a pipe: the line may come a moment after the mock's answer.)
      const notified = new RegExp(`${family} notification: order ${orderId} paid`);
      assert.match(await server.waitLog(notified), notified);
      assert.doesNotMatch(server.log(), new RegExp(`${family} query: order ${orderId} paid`));
      assert.doesNotMatch(server.log(), /POST \/sandbox\/wallet\/pay/, 'the sandbox wallet had no part in it');

      await w.page.evaluate((ok) => window.__answer(ok), cfg.ok);
      await w.result('result-success');
      const ok = await w.waitEvent('interpay:succeeded');
      assert.equal(ok.detail.order.order_id, orderId);
      assert.deepEqual(await w.eventTypes(), ['interpay:scanned', 'interpay:order-created', 'interpay:succeeded']);
      assert.equal(await server.orderStatus(orderId), 'paid');
      assert.deepEqual(await w.cspViolations(), []);
    });
  });

  test(`${family}: a forged notification does not make the order paid; the widget never shows success`, T, async () => {
    await withGatewayCheckout(family, `${family}-forged`, async ({ w, server, orderId, call, code, cfg }) => {
      await AT_MOCK[family](server, orderId, code, call);

      const forged = await postJson(`${server.mockUrl}/mock/${HOOK[family]}/forge`, { out_trade_no: orderId });
      assert.equal(forged.status, 200, JSON.stringify(forged.body));
      if (family === 'wechat') assert.equal(forged.body.merchant_answered, 401, 'the merchant refused it (WeChat would retry)');
      else assert.equal(forged.body.merchant_answered, '401 fail', 'the merchant refused it (Alipay would retry)');
      const refused = new RegExp(`POST /api/notify/${family} refused`);
      assert.match(await server.waitLog(refused), refused);
      assert.equal(await server.orderStatus(orderId), 'created');

      // The wallet says it paid (a stand-in can lie too): the merchant still says created, so pending.
      await w.page.evaluate((ok) => window.__answer(ok), cfg.ok);
      await w.result('result-pending');
      assert.equal(await w.tid('result-success').count(), 0);
      const types = await w.eventTypes();
      assert.ok(!types.includes('interpay:succeeded'), `no success event: ${types}`);
      assert.equal(await server.orderStatus(orderId), 'created');
    });
  });
}
