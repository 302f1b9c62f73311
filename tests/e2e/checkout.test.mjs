// The whole checkout in a real browser: fake camera shows a dynamic EMVCo code → the widget decodes it in wasm →
// confirm sheet → order created by the sandbox merchant → sandbox wallet bridge → merchant confirmation → result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  withDemo, fakeCamera, tid, waitEvent, events, cspViolations, trackStates, screenshot, DYNAMIC_UNIONPAY,
} from './lib/harness.mjs';
import { scanToConfirm, payWithSandbox, text } from './lib/flow.mjs';

const T = { timeout: 120_000 };

test('pay a dynamic UnionPay code end to end (scan → order → sandbox wallet → confirmed success)', T, async () => {
  const camera = fakeCamera(DYNAMIC_UNIONPAY, 'dynamic-unionpay');
  await withDemo({ camera, name: 'success' }, async ({ page, server, response }) => {
    assert.match(response.headers()['content-security-policy'] || '', /script-src 'self' 'wasm-unsafe-eval'/);
    const startUrl = page.url();

    await scanToConfirm(page, 'success');

    // The confirm sheet shows what the code says.
    assert.match(await text(page, 'payee-name'), /BEST TRANSPORT/);
    assert.match(await text(page, 'amount'), /23\.72/);
    assert.ok((await text(page, 'initiation')).length > 0, 'initiation (dynamic/static) is shown');
    assert.equal(await tid(page, 'amount-input').count(), 0, 'a dynamic code locks the amount: no amount input');

    const scanned = await waitEvent(page, 'interpay:scanned');
    assert.equal(scanned.detail.text, DYNAMIC_UNIONPAY);
    assert.equal(scanned.detail.code.kind, 'payment');
    assert.equal(scanned.detail.code.initiation, 'dynamic');
    // The scheme line names the code's scheme (most specific first) as parsed.
    const schemeShown = await text(page, 'scheme');
    const schemeNames = scanned.detail.code.schemes.map((s) => s.name);
    assert.ok(schemeNames.length > 0, 'the payment names at least one scheme');
    assert.ok(schemeShown.includes(schemeNames[0]), `scheme line ${JSON.stringify(schemeShown)} shows ${schemeNames[0]}`);
    assert.ok(scanned.bubbles && scanned.composed, 'events bubble out of the shadow root');

    await payWithSandbox(page, 'Pay', 'success');
    await tid(page, 'result-success').waitFor({ state: 'visible', timeout: 20_000 });
    await screenshot(page, 'success-5-result');

    const created = await waitEvent(page, 'interpay:order-created');
    const orderId = created.detail.order.order_id;
    assert.match(orderId, /^ord_/);
    assert.equal(created.detail.order.amount, '23.72');
    assert.equal(created.detail.order.currency, 'CNY');

    const ok = await waitEvent(page, 'interpay:succeeded');
    const { payment, order, outcome } = ok.detail;
    assert.equal(payment.payee.name, 'BEST TRANSPORT');
    assert.equal(payment.payee.city, 'BEIJING');
    assert.equal(String(payment.amount), '23.72');
    assert.equal(payment.currency.code, 'CNY');
    assert.equal(order.order_id, orderId);
    assert.equal(outcome.status, 'succeeded');

    // Nothing else happened, and in order.
    const types = (await events(page)).map((e) => e.type);
    assert.deepEqual(types, ['interpay:scanned', 'interpay:order-created', 'interpay:succeeded']);

    // The merchant has it as paid (the widget confirmed with the status endpoint before success).
    const status = await server.json(`/api/orders/${orderId}`);
    assert.equal(status.status, 200);
    assert.equal(status.body.status, 'paid');

    // The camera is off once the code was read.
    const tracks = await trackStates(page);
    assert.ok(tracks.length > 0, 'the widget opened the camera');
    assert.ok(tracks.every((s) => s === 'ended'), `camera tracks stopped: ${tracks}`);

    assert.deepEqual(await cspViolations(page), [], 'no CSP violation during the whole flow');
    assert.equal(page.url(), startUrl, 'the page never navigated');
  });
});

test('cancel in the wallet shows the cancelled screen, and retry pays', T, async () => {
  const camera = fakeCamera(DYNAMIC_UNIONPAY, 'dynamic-unionpay-cancel');
  await withDemo({ camera, name: 'cancel' }, async ({ page, server }) => {
    await scanToConfirm(page, 'cancel');
    await payWithSandbox(page, 'Cancel', 'cancel');
    await tid(page, 'result-cancelled').waitFor({ state: 'visible', timeout: 20_000 });
    await screenshot(page, 'cancel-5-result');
    assert.equal(await tid(page, 'result-success').count(), 0);

    const cancelled = await waitEvent(page, 'interpay:cancelled');
    assert.equal(cancelled.detail.outcome.status, 'cancelled');
    assert.equal(cancelled.detail.payment.payee.name, 'BEST TRANSPORT');
    const firstOrder = cancelled.detail.order.order_id;
    assert.equal((await server.json(`/api/orders/${firstOrder}`)).body.status, 'cancelled');

    // Retry: the widget goes back to the wallet (straight away, or through the confirm sheet), then we pay.
    await tid(page, 'retry').click();
    const wallet = page.locator('#sandbox-wallet');
    await Promise.race([
      wallet.waitFor({ state: 'visible', timeout: 30_000 }),
      tid(page, 'confirm-sheet').waitFor({ state: 'visible', timeout: 30_000 }),
    ]);
    await screenshot(page, 'cancel-6-retry');
    if (await wallet.isVisible()) {
      await page.locator('#sandbox-wallet-pay').click();
      await wallet.waitFor({ state: 'detached', timeout: 10_000 });
    } else {
      await payWithSandbox(page, 'Pay', 'cancel-retry');
    }
    await tid(page, 'result-success').waitFor({ state: 'visible', timeout: 20_000 });
    await screenshot(page, 'cancel-7-success');
    const ok = await waitEvent(page, 'interpay:succeeded');
    assert.equal(ok.detail.outcome.status, 'succeeded');
    assert.equal((await server.json(`/api/orders/${ok.detail.order.order_id}`)).body.status, 'paid');
    assert.deepEqual(await cspViolations(page), []);
  });
});

test('a wallet decline shows the failed screen with a retry', T, async () => {
  const camera = fakeCamera(DYNAMIC_UNIONPAY, 'dynamic-unionpay-decline');
  await withDemo({ camera, name: 'failed' }, async ({ page, server }) => {
    await scanToConfirm(page, 'failed');
    await payWithSandbox(page, 'Decline', 'failed');
    await tid(page, 'result-failed').waitFor({ state: 'visible', timeout: 20_000 });
    await screenshot(page, 'failed-5-result');
    assert.equal(await tid(page, 'result-success').count(), 0);
    assert.ok(await tid(page, 'retry').isVisible(), 'the failed screen offers a retry');

    const failed = await waitEvent(page, 'interpay:failed');
    assert.equal(failed.detail.outcome.status, 'failed');
    assert.ok(failed.detail.outcome.code, 'a failure carries a code');
    assert.ok(failed.detail.outcome.message, 'a failure carries a message');
    assert.equal(failed.detail.payment.currency.code, 'CNY');
    assert.equal((await server.json(`/api/orders/${failed.detail.order.order_id}`)).body.status, 'failed');
    assert.equal((await events(page, 'interpay:succeeded')).length, 0);
  });
});

test('a static code takes the amount the shopper types, and the merchant charges exactly that', T, async () => {
  // Sandbox Café's till sticker (www/demo/codes/unionpay-static.svg).
  const STATIC = '0002010102111508123456785204581453031565802CN5912SANDBOX CAFE6007BEIJING63046E92';
  const camera = fakeCamera(STATIC, 'unionpay-static');
  await withDemo({ camera, name: 'static' }, async ({ page, server }) => {
    await scanToConfirm(page, 'static');
    const input = tid(page, 'amount-input');
    await input.waitFor({ state: 'visible', timeout: 5_000 });
    await input.fill('12.5');
    await screenshot(page, 'static-3b-amount');
    await payWithSandbox(page, 'Pay', 'static');
    await tid(page, 'result-success').waitFor({ state: 'visible', timeout: 20_000 });
    await screenshot(page, 'static-5-result');

    const created = await waitEvent(page, 'interpay:order-created');
    assert.equal(created.detail.order.amount, '12.50');
    assert.equal(created.detail.order.currency, 'CNY');
    const ok = await waitEvent(page, 'interpay:succeeded');
    assert.equal(ok.detail.payment.initiation, 'static');
    assert.equal(ok.detail.outcome.status, 'succeeded');
    const status = await server.json(`/api/orders/${ok.detail.order.order_id}`);
    assert.deepEqual([status.body.status, status.body.amount], ['paid', '12.50']);
  });
});
