// The core checkout in the other engines shoppers have: WebKit (Safari's engine, every iOS browser and in-app
// WKWebView; here WebKitGTK's MiniBrowser) and Firefox (ESR, headless), over W3C WebDriver (lib/webdriver.mjs).
// Same flow as checkout.test.mjs in Chromium: load the demo page → scan → confirm sheet → pay with the sandbox
// wallet → success screen with the amount, and the merchant has the order as `paid`.
//
// Neither engine can play a file as its camera (Firefox's fake stream and WebKit's mock capture device are a
// generated pattern), so there are two scans per engine, and the test names say which:
// - the engine's own fake camera is opened (asserted live), and the code is read from a picture through the
//   widget's picture fallback (its file input, what "Scan a picture" opens);
// - a canvas stream showing the code stands in for the camera (getUserMedia answered with
//   canvas.captureStream(), set up after load), and the widget's own scan loop reads it.
//
// INTERPAY_ENGINES=webkit,firefox (default both) picks the engines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DYNAMIC_UNIONPAY, EVENTS, qrPng, startServer, tmp } from './lib/driver.mjs';
import { EngineWidget, engineMissing, launchEngine } from './lib/webdriver.mjs';

const T = { timeout: 120_000 };
const ENGINES = (process.env.INTERPAY_ENGINES || 'webkit,firefox').split(',').map((s) => s.trim()).filter(Boolean);
/** The amount the flow must end on (the code's: 23.72 CNY). */
const EXPECTED_AMOUNT = '23.72';

const CAMERA = {
  webkit: 'WebKitGTK mock camera shows a pattern, not a file',
  firefox: 'Firefox fake camera is a generated pattern, not a file',
};

for (const engine of ENGINES) {
  test(`${engine}: load → scan (${CAMERA[engine]}: the code is read from a picture via the picture fallback) → confirm → pay with the sandbox wallet → success, order paid`, T, async (t) => {
    const missing = engineMissing(engine);
    assert.equal(missing, null, missing || '');
    const png = qrPng(DYNAMIC_UNIONPAY, tmp(`${engine}-dynamic-unionpay.png`), 6);
    const server = await startServer();
    let s;
    let w;
    try {
      s = await launchEngine(engine);
      t.diagnostic(`${engine}: ${s.browser}`);
      w = new EngineWidget(s, { name: 'checkout', events: EVENTS });

      // Load: the demo page under its strict CSP, the widget's launch button rendered.
      const page = await fetch(server.origin + '/');
      assert.match(page.headers.get('content-security-policy') || '', /script-src 'self' 'wasm-unsafe-eval'/);
      await w.open(server.origin);
      const startUrl = await s.url();
      await w.shot('1-ready');

      // Scan: tap "Scan to pay"; the camera (the engine's fake one) or its error screen, and under either
      // the picture fallback.
      await w.tap('scan-button');
      const camera = await s.waitFor(
        'the camera view or the camera error',
        (a, b) => {
          const q = (sel) => {
            const walk = (root) => root.querySelector(sel) || [...root.querySelectorAll('*')].map((e) => e.shadowRoot && walk(e.shadowRoot)).find(Boolean);
            return walk(document);
          };
          const err = q(b);
          if (err) return `camera error (${err.getAttribute('data-code')})`;
          const v = q(a);
          const video = v && (v.tagName === 'VIDEO' ? v : v.querySelector('video'));
          return video && video.readyState >= 2 && video.videoWidth > 0 ? `fake camera stream ${video.videoWidth}×${video.videoHeight}` : null;
        },
        ['[data-testid="camera-view"]', '[data-testid="camera-error"]'],
        15_000,
      );
      t.diagnostic(`${engine}: camera: ${camera}`);
      assert.match(camera, /^fake camera stream/, `${engine} opens its fake camera`);
      await w.shot('2-camera');
      const how = await w.choosePicture(png);
      t.diagnostic(`${engine}: picture given by ${how}`);

      // Confirm sheet: what the code says.
      await w.waitVisible('confirm-sheet', EngineWidget.SCAN_TIMEOUT);
      await w.shot('3-confirm');
      assert.match(await w.text('payee-name'), /BEST TRANSPORT/);
      assert.match(await w.text('amount'), new RegExp(EXPECTED_AMOUNT.replace('.', '\\.')));
      assert.equal(await w.count('amount-input'), 0, 'a dynamic code locks the amount: no amount input');
      const scanned = await w.waitEvent('interpay:scanned');
      assert.equal(scanned.detail?.text, DYNAMIC_UNIONPAY, 'interpay:scanned carries the code read from the picture');

      // Pay with the sandbox wallet, and the result.
      await w.payWithSandbox();
      await w.result('result-success');
      assert.match(await w.text('result-success'), new RegExp(EXPECTED_AMOUNT.replace('.', '\\.')), 'the success screen shows the amount paid');

      const created = await w.waitEvent('interpay:order-created');
      const orderId = created.detail?.order?.order_id;
      assert.match(orderId || '', /^ord_/);
      assert.equal(created.detail.order.amount, EXPECTED_AMOUNT);
      const ok = await w.waitEvent('interpay:succeeded');
      assert.deepEqual(ok.detail.outcome, { status: 'succeeded' });
      assert.match(await w.text('order-id'), new RegExp(orderId));
      assert.deepEqual(
        (await w.recorded()).map((e) => e.type),
        ['interpay:scanned', 'interpay:order-created', 'interpay:succeeded'],
      );

      // The camera is off once the code was read.
      const tracks = await w.trackStates();
      assert.ok(tracks.length > 0, 'the widget opened the camera');
      assert.ok(tracks.every((x) => x === 'ended'), `camera tracks stopped: ${tracks}`);

      // The merchant has it as paid.
      assert.equal(await server.orderStatus(orderId), 'paid');

      assert.deepEqual(await w.cspViolations(), [], 'no CSP violation during the whole flow');
      assert.deepEqual(await w.pageErrors(), [], 'no uncaught page error');
      assert.equal(await s.url(), startUrl, 'the page never navigated');
    } catch (e) {
      if (w) {
        await w.shot('FAILED');
        const state = await s.execute(() => window.__interpay).catch(() => null);
        e.message += `\n--- widget state ---\n${JSON.stringify(state && { events: state.events.map((x) => (x.type === 'interpay:error' ? `${x.type}(${x.detail?.code}: ${x.detail?.message})` : x.type)), csp: state.csp, errors: state.errors })}`;
        e.message += `\n--- ${engine} driver log (last lines) ---\n${s.log().split('\n').slice(-30).join('\n')}`;
      }
      throw e;
    } finally {
      if (s) await s.quit();
      await server.stop();
    }
  });
}

// The camera path in these engines: the widget's scan loop (video element → frames → decoder worker) reading a
// live stream. Their fake cameras show only a pattern, so a canvas stream showing the code stands in for the
// camera (getUserMedia answered with canvas.captureStream(), set up after load); the rest is the same flow.
for (const engine of ENGINES) {
  test(`${engine}: scan from a camera stream (a canvas stream showing the code stands in for the camera) → confirm → pay → success, order paid`, T, async (t) => {
    const missing = engineMissing(engine);
    assert.equal(missing, null, missing || '');
    const png = qrPng(DYNAMIC_UNIONPAY, tmp(`${engine}-stream-dynamic-unionpay.png`), 6);
    const server = await startServer();
    let s;
    let w;
    try {
      s = await launchEngine(engine);
      w = new EngineWidget(s, { name: 'stream', events: EVENTS });
      await w.open(server.origin);
      await w.useCanvasCamera(png);
      await w.tap('scan-button');
      await w.waitVisible('camera-view', 15_000).catch(() => {});
      await w.shot('2-camera');
      await w.waitVisible('confirm-sheet', EngineWidget.SCAN_TIMEOUT);
      await w.shot('3-confirm');
      assert.match(await w.text('payee-name'), /BEST TRANSPORT/);
      assert.match(await w.text('amount'), new RegExp(EXPECTED_AMOUNT.replace('.', '\\.')));
      assert.equal((await w.waitEvent('interpay:scanned')).detail?.text, DYNAMIC_UNIONPAY);

      await w.payWithSandbox();
      await w.result('result-success');
      assert.match(await w.text('result-success'), new RegExp(EXPECTED_AMOUNT.replace('.', '\\.')));
      const orderId = (await w.waitEvent('interpay:order-created')).detail?.order?.order_id;
      assert.match(orderId || '', /^ord_/);
      assert.equal(await server.orderStatus(orderId), 'paid');

      const tracks = await w.trackStates();
      assert.ok(tracks.length > 0, 'the widget opened the (canvas) camera');
      assert.ok(tracks.every((x) => x === 'ended'), `camera tracks stopped: ${tracks}`);
      assert.deepEqual(await w.cspViolations(), [], 'no CSP violation during the whole flow');
      assert.deepEqual(await w.pageErrors(), [], 'no uncaught page error');
    } catch (e) {
      if (w) {
        await w.shot('FAILED');
        const state = await s.execute(() => window.__interpay).catch(() => null);
        e.message += `\n--- widget state ---\n${JSON.stringify(state && { events: state.events.map((x) => (x.type === 'interpay:error' ? `${x.type}(${x.detail?.code}: ${x.detail?.message})` : x.type)), csp: state.csp, errors: state.errors })}`;
      }
      throw e;
    } finally {
      if (s) await s.quit();
      await server.stop();
    }
  });
}
