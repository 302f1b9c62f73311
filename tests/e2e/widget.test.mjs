// The widget's own behaviour in a real browser (headless Chromium, fake camera showing a dynamic UnionPay code):
// accessibility of the sheet, decoder worker recovery, the "not confirmed yet" screen, a Chinese locale, and the
// Leptos component entry (`interpay::web::InterpayCheckout`) mounted from the built pkg/.
// One sandbox merchant and one browser for the whole file; each test gets a fresh context (own cache and storage).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newContext, withWidget, fakeCamera, DYNAMIC_UNIONPAY, SCAN_TIMEOUT } from './lib/driver.mjs';

const T = { timeout: 120_000 };

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser({ camera: fakeCamera(DYNAMIC_UNIONPAY, 'widget-dynamic-unionpay') });
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
});

/** Run `fn(widget)` on the demo page (or `pathname`) in a fresh context prepared by `setup(context)`. */
async function withPage(name, { setup, pathname } = {}, fn) {
  const context = await newContext(browser);
  if (setup) {
    try {
      await setup(context);
    } catch (e) {
      await context.close().catch(() => {});
      throw e;
    }
  }
  await withWidget(context, server, { name: `widget-${name}`, pathname }, fn);
}

/** data-testid (or tag) of the focused element inside the widget's shadow root, and whether it is in the sheet. */
async function focused(page) {
  return page.evaluate(() => {
    const host = document.querySelector('interpay-checkout') || document.querySelector('.interpay-checkout');
    const a = host && host.shadowRoot && host.shadowRoot.activeElement;
    if (!a) return { id: null, inSheet: false, hostFocused: document.activeElement === host };
    const sheet = host.shadowRoot.querySelector('[role="dialog"]');
    return { id: a.getAttribute('data-testid') || a.id || a.tagName.toLowerCase(), inSheet: !!sheet && sheet.contains(a) };
  });
}

test('accessibility: modal dialog, focus moves in, Tab/Shift+Tab stay inside, Escape closes and returns focus, scan announced', T, async () => {
  await withPage('a11y', {}, async (w) => {
    const { page } = w;
    await w.ready();
    const launcher = w.tid('scan-button');
    assert.equal(await launcher.getAttribute('aria-haspopup'), 'dialog');
    assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
    await launcher.focus();
    await page.keyboard.press('Enter');

    const dialog = page.locator('[role="dialog"]');
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await dialog.getAttribute('aria-modal'), 'true');
    const labelledBy = await dialog.getAttribute('aria-labelledby');
    assert.ok(labelledBy, 'the dialog is labelled');
    assert.ok((await page.locator(`#${labelledBy}`).innerText()).trim().length > 0, 'the dialog title has text');
    assert.equal(await launcher.getAttribute('aria-expanded'), 'true');
    await page.waitForFunction(() => {
      const r = document.querySelector('interpay-checkout').shadowRoot;
      const s = r.querySelector('[role="dialog"]');
      return s && r.activeElement && s.contains(r.activeElement);
    }, null, { timeout: 5_000 });

    // The fake camera shows a payment code: the live region announces it.
    await w.tid('confirm-sheet').waitFor({ state: 'visible', timeout: SCAN_TIMEOUT });
    const live = w.tid('live');
    assert.equal(await live.getAttribute('role'), 'status');
    assert.equal(await live.getAttribute('aria-live'), 'polite');
    await page.waitForFunction(
      () => /Code scanned.*BEST TRANSPORT/.test(document.querySelector('interpay-checkout').shadowRoot.querySelector('[data-testid="live"]').textContent),
      null,
      { timeout: 5_000 },
    );
    await w.shot('confirm');

    // Tab and Shift+Tab cycle through the sheet's controls and never leave it.
    const forward = [];
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press('Tab');
      forward.push(await focused(page));
    }
    assert.ok(forward.every((f) => f.inSheet), `Tab stays in the dialog: ${JSON.stringify(forward)}`);
    const ids = forward.map((f) => f.id);
    assert.ok(ids.includes('close'), `Tab reaches the close button: ${ids}`);
    assert.ok(new Set(ids).size < ids.length, `Tab wraps around (a control is reached twice): ${ids}`);
    const backward = [];
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press('Shift+Tab');
      backward.push(await focused(page));
    }
    assert.ok(backward.every((f) => f.inSheet), `Shift+Tab stays in the dialog: ${JSON.stringify(backward)}`);

    // Escape closes the sheet and gives focus back to the launcher.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 5_000 });
    assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
    const after = await focused(page);
    assert.equal(after.id, 'scan-button', `focus returns to the launcher: ${JSON.stringify(after)}`);
  });
});

test('decoder worker recovery: a worker that throws on its first frame is replaced and the code still scans', T, async () => {
  let served = 0;
  const setup = (context) =>
    context.route('**/interpay/assets/decoder-worker.*.js', async (route) => {
      // The launcher's prefetch of the worker's files (a `fetch`) is not a worker starting.
      if (route.request().resourceType() === 'fetch') return route.continue();
      const response = await route.fetch();
      let body = await response.text();
      if (served++ === 0) {
        // The first worker throws out of its message handler (like a wasm trap would): no answer, an error event.
        // (The shipped worker is minified: `self.onmessage=async`.)
        const handler = /self\.onmessage\s*=\s*async/;
        assert.ok(handler.test(body), 'decoder-worker.js still has the handler this test breaks');
        body = body.replace(handler, 'self.onmessage = () => { throw new Error("boom (test trap)"); }; const _unused = async');
      }
      await route.fulfill({ status: response.status(), contentType: 'text/javascript', body });
    });
  await withPage('worker-crash', { setup }, async (w) => {
    const { page } = w;
    await w.scanToConfirm();
    assert.ok(served >= 2, `a new worker was started (decoder-worker.js fetched ${served} times)`);
    const crash = (await w.events('interpay:error')).find((e) => e.detail.code === 'decoder_crash');
    assert.ok(crash, 'interpay:error {code: "decoder_crash"} dispatched');
    assert.equal(crash.detail.recovered, true);
    assert.ok(crash.detail.restarts >= 1, `restart count: ${crash.detail.restarts}`);
    assert.ok(crash.bubbles && crash.composed);
    const scanned = await w.waitEvent('interpay:scanned');
    assert.equal(scanned.detail.text, DYNAMIC_UNIONPAY);
    assert.match(await w.text('payee-name'), /BEST TRANSPORT/);
  });
});

test('pending: the wallet says ok but the merchant still says "created" → result-pending + interpay:pending, check-again confirms later', T, async () => {
  let notified = null;
  // The sandbox wallet's server notification is swallowed: the merchant never hears of the payment.
  const setup = (context) =>
    context.route('**/sandbox/wallet/pay', async (route) => {
      notified = route.request().postDataJSON();
      await route.fulfill({ status: 200, contentType: 'application/json', body: '{"ok":true}' });
    });
  await withPage('pending', { setup }, async (w) => {
    await w.scanToConfirm();
    await w.payWithSandbox('Pay');
    assert.equal(notified?.result, 'paid', 'the wallet said paid');
    await w.result('result-pending');
    assert.equal(await w.tid('result-success').count(), 0, 'never shown as paid');
    assert.equal(await w.tid('check-again').isVisible(), true);
    const created = await w.waitEvent('interpay:order-created');
    const orderId = created.detail.order.order_id;
    assert.match(await w.text('order-id'), new RegExp(orderId));
    assert.deepEqual(await w.eventTypes(), ['interpay:scanned', 'interpay:order-created', 'interpay:pending']);
    const [pending] = await w.events('interpay:pending');
    assert.deepEqual(pending.detail.outcome, { status: 'pending' });
    assert.equal(pending.detail.order.order_id, orderId);
    assert.equal(pending.detail.payment.payee.name, 'BEST TRANSPORT');
    assert.ok(pending.bubbles && pending.composed);
    assert.equal(await server.orderStatus(orderId), 'created');

    // The notification arrives late (server to server); "Check again" then confirms the payment.
    await server.notify(orderId, 'paid');
    await w.tid('check-again').click();
    await w.result('result-success');
    const ok = await w.waitEvent('interpay:succeeded');
    assert.equal(ok.detail.order.order_id, orderId);
    assert.deepEqual(ok.detail.outcome, { status: 'succeeded' });
    assert.deepEqual(await w.eventTypes(), ['interpay:scanned', 'interpay:order-created', 'interpay:pending', 'interpay:succeeded']);
  });
});

test('locale zh-CN: Chinese text and the amount formatted by Intl for zh-CN', T, async () => {
  await withPage('zh-CN', {}, async (w) => {
    const { page } = w;
    await w.ready();
    // Options are attributes; changing one remounts the widget.
    await page.evaluate(() => document.querySelector('interpay-checkout').setAttribute('locale', 'zh-CN'));
    await page.waitForFunction(
      () => document.querySelector('interpay-checkout').shadowRoot.querySelector('[data-testid="scan-button"]')?.textContent.includes('扫码支付'),
      null,
      { timeout: 10_000 },
    );
    assert.equal(await page.evaluate(() => document.querySelector('interpay-checkout').shadowRoot.querySelector('.ip-root').getAttribute('lang')), 'zh-CN');
    await w.scanToConfirm();
    await w.shot('confirm');
    const title = await page.locator('[role="dialog"] h2').innerText();
    assert.match(title, /[\u4e00-\u9fff]/, `dialog title in Chinese: ${title}`);
    const expected = await page.evaluate(() =>
      new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY', currencyDisplay: 'symbol', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format('23.72'),
    );
    const amount = await w.text('amount');
    assert.equal(amount, expected, `amount ${amount} = Intl zh-CN ${expected}`);
    assert.match(amount, /¥\s?23\.72/);
    const pay = await w.text('confirm-pay');
    assert.match(pay, /[\u4e00-\u9fff]/, `pay button in Chinese: ${pay}`);
    assert.ok(pay.includes(expected), `pay button shows ${expected}: ${pay}`);
  });
});

test('Leptos component: <InterpayCheckout> pays end to end in its own shadow root, typed callbacks + DOM events', T, async () => {
  // A bare page (no custom element script) that mounts the Rust component from the built pkg/.
  const PAGE = '/__leptos-component-test.html';
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>component</title>
<script src="/sandbox-wallet.js"></script></head><body><h1 class="ip-launch">page heading</h1><div id="app"></div>
<script type="module">
import init, { __mount_component_for_tests } from '/interpay/pkg/interpay_test.js';
await init({ module_or_path: '/interpay/pkg/interpay_test_bg.wasm' });
const component = __mount_component_for_tests(document.getElementById('app'), '/api/orders', 'en');
window.__interpayRemoveComponent = component.remove;
window.__interpaySetLocale = component.setLocale;
</script></body></html>`;
  const setup = (context) => context.route(`**${PAGE}`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: html }));
  await withPage('component', { setup, pathname: PAGE }, async (w) => {
    const { page, pageErrors } = w;
    // Reactive props: a new `locale` signal value remounts the widget in that language, and back.
    await w.ready();
    assert.equal(await w.text('scan-button'), 'Scan to pay');
    await page.evaluate(() => window.__interpaySetLocale('fr'));
    await page.waitForFunction(() => document.querySelector('#app .interpay-checkout').shadowRoot.querySelector('[data-testid="scan-button"]')?.textContent.includes('Scanner pour payer'), null, { timeout: 5_000 });
    await page.evaluate(() => window.__interpaySetLocale('en'));
    await page.waitForFunction(() => document.querySelector('#app .interpay-checkout').shadowRoot.querySelector('[data-testid="scan-button"]')?.textContent.includes('Scan to pay'), null, { timeout: 5_000 });
    await w.scanToConfirm();
    // Styles stay isolated: the widget's CSS is linked inside the component's shadow root only.
    const iso = await page.evaluate(() => {
      const host = document.querySelector('#app .interpay-checkout');
      const link = host.shadowRoot.querySelector('link[data-interpay-css]');
      const launch = host.shadowRoot.querySelector('[data-testid="scan-button"]');
      return {
        linked: !!link && !!link.sheet && link.sheet.cssRules.length > 0,
        docSheets: [...document.styleSheets].length,
        pageHeadingRadius: getComputedStyle(document.querySelector('h1.ip-launch')).borderTopLeftRadius,
        launchRadius: getComputedStyle(launch).borderTopLeftRadius,
      };
    });
    assert.ok(iso.linked, 'interpay.css is loaded in the shadow root');
    assert.equal(iso.docSheets, 0, 'nothing added to the page stylesheets');
    assert.equal(iso.pageHeadingRadius, '0px', 'widget styles do not leak onto the page (.ip-launch outside the widget)');
    assert.notEqual(iso.launchRadius, '0px', 'the launcher inside is styled');

    await w.payWithSandbox('Pay');
    await w.result('result-success');
    const calls = await page.evaluate(() => window.__interpayComponent);
    assert.deepEqual(calls.map((c) => c.callback), ['scanned', 'order_created', 'succeeded']);
    assert.equal(calls[0].text, DYNAMIC_UNIONPAY);
    assert.equal(calls[0].kind, 'payment');
    assert.match(calls[1].order_id, /^ord_/);
    assert.equal(calls[1].amount, '23.72');
    assert.equal(calls[2].order_id, calls[1].order_id);
    assert.equal(calls[2].payee, 'BEST TRANSPORT');
    assert.deepEqual(calls[2].outcome, { status: 'succeeded' });
    // The DOM events are dispatched on the host div too (code written for the custom element keeps working).
    assert.deepEqual((await w.events()).map((e) => e.type), ['interpay:scanned', 'interpay:order-created', 'interpay:succeeded']);

    // Disposal (the component leaves the view): the camera is off and the host div is gone.
    await w.tid('done').click();
    // Removed the moment the camera is live (before the fake camera's code is read).
    const callbacksBefore = await page.evaluate(() => window.__interpayComponent.length);
    const tracksBefore = await page.evaluate(() => window.__interpay.tracks.length);
    const how = await page.evaluate(
      (n) =>
        new Promise((resolve) => {
          document.querySelector('#app .interpay-checkout').shadowRoot.querySelector('[data-testid="scan-button"]').click();
          const iv = setInterval(() => {
            if (window.__interpay.tracks.length > n && window.__interpay.tracks[n].readyState === 'ended') {
              clearInterval(iv);
              resolve('ended before removal');
            }
            if (window.__interpay.tracks.some((t) => t.readyState === 'live')) {
              clearInterval(iv);
              window.__interpayRemoveComponent();
              resolve();
            }
          }, 2);
        }),
      tracksBefore,
    );
    assert.notEqual(how, 'ended before removal', 'the component was removed while its camera was live');
    await page.waitForFunction(() => !document.querySelector('#app .interpay-checkout'), null, { timeout: 5_000 });
    await page.waitForFunction(() => window.__interpay.tracks.every((t) => t.readyState === 'ended'), null, { timeout: 5_000 });
    await page.waitForTimeout(1_000);
    assert.equal(await page.evaluate(() => window.__interpayComponent.length), callbacksBefore, 'no callback after disposal');
    assert.deepEqual(pageErrors, []);
  });
});
