// The whole checkout in a real browser: fake camera shows a dynamic EMVCo code → the widget decodes it in wasm →
// confirm sheet → order created by the sandbox merchant → sandbox wallet bridge → merchant confirmation → result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemo, fakeCamera, DYNAMIC_UNIONPAY } from './lib/driver.mjs';

const T = { timeout: 120_000 };

test('pay a dynamic UnionPay code end to end (scan → order → sandbox wallet → confirmed success)', T, async () => {
  const camera = fakeCamera(DYNAMIC_UNIONPAY, 'dynamic-unionpay');
  await withDemo({ camera, name: 'success' }, async (w, server) => {
    assert.match(w.response.headers()['content-security-policy'] || '', /script-src 'self' 'wasm-unsafe-eval'/);
    const startUrl = w.page.url();

    await w.scanToConfirm();

    // The confirm sheet shows what the code says.
    assert.match(await w.text('payee-name'), /BEST TRANSPORT/);
    assert.match(await w.text('amount'), /23\.72/);
    assert.ok((await w.text('initiation')).length > 0, 'initiation (dynamic/static) is shown');
    assert.equal(await w.tid('amount-input').count(), 0, 'a dynamic code locks the amount: no amount input');

    const scanned = await w.waitEvent('interpay:scanned');
    assert.equal(scanned.detail.text, DYNAMIC_UNIONPAY);
    assert.equal(scanned.detail.code.kind, 'payment');
    assert.equal(scanned.detail.code.initiation, 'dynamic');
    // The scheme line names the code's scheme (most specific first) as parsed.
    const schemeShown = await w.text('scheme');
    const schemeNames = scanned.detail.code.schemes.map((s) => s.name);
    assert.ok(schemeNames.length > 0, 'the payment names at least one scheme');
    assert.ok(schemeShown.includes(schemeNames[0]), `scheme line ${JSON.stringify(schemeShown)} shows ${schemeNames[0]}`);
    assert.ok(scanned.bubbles && scanned.composed, 'events bubble out of the shadow root');

    await w.payWithSandbox('Pay');
    await w.result('result-success');

    const created = await w.waitEvent('interpay:order-created');
    const orderId = created.detail.order.order_id;
    assert.match(orderId, /^ord_/);
    assert.equal(created.detail.order.amount, '23.72');
    assert.equal(created.detail.order.currency, 'CNY');

    const ok = await w.waitEvent('interpay:succeeded');
    const { payment, order, outcome } = ok.detail;
    assert.equal(payment.payee.name, 'BEST TRANSPORT');
    assert.equal(payment.payee.city, 'BEIJING');
    assert.equal(String(payment.amount), '23.72');
    assert.equal(payment.currency.code, 'CNY');
    assert.equal(order.order_id, orderId);
    assert.deepEqual(outcome, { status: 'succeeded' });

    // Nothing else happened, and in order.
    assert.deepEqual(await w.eventTypes(), ['interpay:scanned', 'interpay:order-created', 'interpay:succeeded']);

    // The merchant has it as paid (the widget confirmed with the status endpoint before success).
    assert.equal(await server.orderStatus(orderId), 'paid');

    // The camera is off once the code was read.
    const tracks = await w.trackStates();
    assert.ok(tracks.length > 0, 'the widget opened the camera');
    assert.ok(tracks.every((s) => s === 'ended'), `camera tracks stopped: ${tracks}`);

    assert.deepEqual(await w.cspViolations(), [], 'no CSP violation during the whole flow');
    assert.equal(w.page.url(), startUrl, 'the page never navigated');
  });
});

test('cancel in the wallet shows the cancelled screen; Retry creates a new order with the same code and wallet and pays it', T, async () => {
  const camera = fakeCamera(DYNAMIC_UNIONPAY, 'dynamic-unionpay-cancel');
  await withDemo({ camera, name: 'cancel' }, async (w, server) => {
    await w.scanToConfirm();
    await w.payWithSandbox('Cancel');
    await w.result('result-cancelled');
    assert.equal(await w.tid('result-success').count(), 0);

    const cancelled = await w.waitEvent('interpay:cancelled');
    assert.deepEqual(cancelled.detail.outcome, { status: 'cancelled' });
    assert.equal(cancelled.detail.payment.payee.name, 'BEST TRANSPORT');
    const first = cancelled.detail.order;
    assert.equal(await server.orderStatus(first.order_id), 'cancelled');

    // Retry goes straight back to the wallet (no confirm sheet in between) with a new order for the same code and wallet.
    await w.tid('retry').click();
    await w.sandboxSheet.or(w.tid('confirm-sheet')).first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await w.tid('confirm-sheet').count(), 0, 'Retry goes straight to the wallet, not back to the confirm sheet');
    await w.sandboxSheet.waitFor({ state: 'visible', timeout: 5_000 });
    await w.shot('6-retry');
    const created = await w.events('interpay:order-created');
    assert.equal(created.length, 2, 'Retry creates a second order');
    const second = created[1].detail.order;
    assert.notEqual(second.order_id, first.order_id, 'a new order, not the cancelled one');
    assert.deepEqual(
      [second.wallet, second.amount, second.currency],
      [first.wallet, first.amount, first.currency],
      'same wallet and amount as the first order',
    );
    assert.equal(second.wallet, 'sandbox');
    assert.deepEqual(created[1].detail.payment, created[0].detail.payment, 'same scanned payment');

    await w.answerSandbox('Pay');
    await w.result('result-success');
    const ok = await w.waitEvent('interpay:succeeded');
    assert.deepEqual(ok.detail.outcome, { status: 'succeeded' });
    assert.equal(ok.detail.order.order_id, second.order_id);
    assert.deepEqual(await w.eventTypes(), [
      'interpay:scanned',
      'interpay:order-created',
      'interpay:cancelled',
      'interpay:order-created',
      'interpay:succeeded',
    ]);
    assert.equal(await server.orderStatus(second.order_id), 'paid');
    assert.equal(await server.orderStatus(first.order_id), 'cancelled', 'the cancelled order stays cancelled');
    assert.deepEqual(await w.cspViolations(), []);
  });
});

test('a Retry refused because the earlier order was paid after all (late notification) ends on success for that order', T, async () => {
  const camera = fakeCamera(DYNAMIC_UNIONPAY, 'dynamic-unionpay-late-paid');
  await withDemo({ camera, name: 'late-paid' }, async (w, server) => {
    // The wallet's "cancelled" never reaches the merchant: the order stays open, the widget ends on Retry.
    await w.page.route('**/sandbox/wallet/pay', (route) => route.abort());
    await w.scanToConfirm();
    await w.payWithSandbox('Cancel');
    await w.tid('retry').waitFor({ state: 'visible', timeout: 30_000 });
    const [created] = await w.events('interpay:order-created');
    const first = created.detail.order;
    assert.equal(await server.orderStatus(first.order_id), 'created');

    // The payment went through after all: the wallet's server tells the merchant late.
    await w.page.unroute('**/sandbox/wallet/pay');
    await server.notify(first.order_id, 'paid');
    assert.equal(await server.orderStatus(first.order_id), 'paid');

    // Retry: the merchant refuses a second order (409 already_paid); the widget asks about the first one.
    await w.tid('retry').click();
    await w.result('result-success');
    const ok = await w.waitEvent('interpay:succeeded');
    assert.equal(ok.detail.order.order_id, first.order_id, 'the success is the earlier, paid order');
    assert.equal((await w.events('interpay:order-created')).length, 1, 'no second order was created');
    assert.equal((await w.events('interpay:failed')).filter((e) => e.detail.outcome.code === 'already_paid').length, 0);
    assert.equal(await server.orderStatus(first.order_id), 'paid');
    assert.deepEqual(await w.cspViolations(), []);
  });
});

test('a wallet decline shows the failed screen with a retry', T, async () => {
  const camera = fakeCamera(DYNAMIC_UNIONPAY, 'dynamic-unionpay-decline');
  await withDemo({ camera, name: 'failed' }, async (w, server) => {
    await w.scanToConfirm();
    await w.payWithSandbox('Decline');
    await w.result('result-failed');
    assert.equal(await w.tid('result-success').count(), 0);
    assert.ok(await w.tid('retry').isVisible(), 'the failed screen offers a retry');

    const failed = await w.waitEvent('interpay:failed');
    // The merchant's status names the failure, the wallet's answer explains it.
    assert.deepEqual(failed.detail.outcome, { status: 'failed', code: 'merchant_failed', message: 'The sandbox wallet declined the payment.' });
    assert.match(await w.text('error-message'), /declined/, 'the failed screen says why');
    assert.equal(failed.detail.payment.currency.code, 'CNY');
    assert.equal(await server.orderStatus(failed.detail.order.order_id), 'failed');
    assert.deepEqual(await w.eventTypes(), ['interpay:scanned', 'interpay:order-created', 'interpay:failed']);
  });
});

test('a static code takes the amount the shopper types, and the merchant charges exactly that', T, async () => {
  // Sandbox Café's till sticker (www/demo/codes/unionpay-static.svg).
  const STATIC = '0002010102111508123456785204581453031565802CN5912SANDBOX CAFE6007BEIJING63046E92';
  const camera = fakeCamera(STATIC, 'unionpay-static');
  await withDemo({ camera, name: 'static' }, async (w, server) => {
    await w.scanToConfirm();
    const input = w.tid('amount-input');
    await input.waitFor({ state: 'visible', timeout: 5_000 });
    await input.fill('12.5');
    await w.shot('3b-amount');
    await w.payWithSandbox('Pay');
    await w.result('result-success');

    const created = await w.waitEvent('interpay:order-created');
    assert.equal(created.detail.order.amount, '12.50');
    assert.equal(created.detail.order.currency, 'CNY');
    const ok = await w.waitEvent('interpay:succeeded');
    assert.equal(ok.detail.payment.initiation, 'static');
    assert.deepEqual(ok.detail.outcome, { status: 'succeeded' });
    const status = await server.json(`/api/orders/${ok.detail.order.order_id}`);
    assert.deepEqual([status.body.status, status.body.amount], ['paid', '12.50']);
  });
});

test('a merchant listener that takes its time does not hold back the confirmation sheet: events leave after the paint', T, async () => {
  const camera = fakeCamera(DYNAMIC_UNIONPAY, 'slow-listener');
  await withDemo({ camera, name: 'slow-listener' }, async (w) => {
    await w.page.evaluate(() => {
      const root = document.querySelector('interpay-checkout').shadowRoot;
      const seen = { sheetAt: null, frames: [], atListener: null };
      window.__slow = seen;
      new MutationObserver(() => {
        if (seen.sheetAt == null && root.querySelector('[data-testid="confirm-sheet"]')) seen.sheetAt = performance.now();
      }).observe(root, { childList: true, subtree: true });
      const tick = () => {
        seen.frames.push(performance.now());
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      // A merchant's listener doing 400 ms of work (logging, analytics, re-rendering its own page).
      document.addEventListener('interpay:scanned', () => {
        seen.atListener = {
          sheetInDom: !!root.querySelector('[data-testid="confirm-sheet"]'),
          framesAfterSheet: seen.sheetAt == null ? -1 : seen.frames.filter((f) => f > seen.sheetAt).length,
        };
        const until = performance.now() + 400;
        while (performance.now() < until) { /* busy */ }
      });
    });
    await w.scanToConfirm();
    const at = await w.page.waitForFunction(() => window.__slow.atListener, null, { timeout: 10_000 }).then((h) => h.jsonValue());
    assert.ok(at.sheetInDom, 'the sheet is in the page when the listener runs');
    assert.ok(at.framesAfterSheet >= 1, `the browser drew a frame with the sheet before the listener ran (frames since the sheet: ${at.framesAfterSheet})`);
    // And the event still carries the code.
    assert.equal((await w.waitEvent('interpay:scanned')).detail.text, DYNAMIC_UNIONPAY);
  });
});
