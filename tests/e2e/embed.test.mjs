// How merchants ship the widget (issue 12), in a real browser against the real sandbox merchant:
// - served from a CDN: the shop page on one origin (http://localhost:PORT), the widget's files on another
//   (http://127.0.0.1:PORT/interpay/<version>/, with CORS as CDNs send it) under the snippet's SRI hash and a
//   strict CSP. The decoder still runs in a worker (a same-origin blob: module importing the CDN's), and the
//   shopper pays end to end;
// - a tampered file under the SRI hash is not run;
// - the launch button works before the checkout module has arrived: a tap is remembered and the camera opens
//   when the module is ready;
// - each file is downloaded once, the launcher first; the worker's files (its script, the reader) are fetched
//   into the HTTP cache by the launcher once the UI module has arrived, and the worker reads them from there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, newContext, withWidget, fakeCamera, qrPng, tmp, countingProxy, DIST, DYNAMIC_UNIONPAY } from './lib/driver.mjs';

const T = { timeout: 150_000 };
const manifest = () => JSON.parse(readFileSync(path.join(DIST, 'manifest.json'), 'utf8'));

/** The shop page on `shopOrigin` embedding the widget from `cdnOrigin` with the manifest's versioned entry. */
function shopPage(cdnOrigin, { integrity, workerSrc } = {}) {
  const m = manifest();
  const src = `${cdnOrigin}/interpay/${m.versioned_entry.path}`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>shop on another origin</title>
<script type="module" src="${src}" integrity="${integrity || m.versioned_entry.integrity}" crossorigin="anonymous"></script>
<script src="/sandbox-wallet.js"></script></head>
<body><h1>Shop</h1><interpay-checkout order-url="/api/orders" locale="en"></interpay-checkout></body></html>`;
  // What the widget's docs ask of a shop page that loads it from a CDN.
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${cdnOrigin} 'wasm-unsafe-eval'`,
    `style-src 'self' ${cdnOrigin}`,
    `connect-src 'self' ${cdnOrigin}`,
    // The blob: worker imports the CDN's worker script: both are worker sources.
    workerSrc || `worker-src blob: ${cdnOrigin}`,
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
  ].join('; ');
  return { html, csp };
}

async function withCrossOrigin({ name, integrity, workerSrc, setup, camera = DYNAMIC_UNIONPAY }, fn) {
  const server = await startServer();
  const port = new URL(server.origin).port;
  const cdn = `http://127.0.0.1:${port}`;
  const shop = `http://localhost:${port}`;
  const browser = await launchBrowser({ camera: camera ? fakeCamera(camera, name) : undefined });
  try {
    const context = await newContext(browser);
    // Both origins are loopback addresses here; Chromium's Local Network Access check asks the shopper before
    // a page reaches a loopback address, which a real CDN (a public address) never needs: grant it.
    await context.grantPermissions(['local-network-access']);
    const { html, csp } = shopPage(cdn, { integrity, workerSrc });
    await context.route(`${shop}/shop.html`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', headers: { 'content-security-policy': csp }, body: html }),
    );
    if (setup) await setup(context);
    await withWidget(context, server, { name, url: `${shop}/shop.html` }, (w) => fn(w, server, { cdn, shop }));
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
  }
}

test('served from another origin (a CDN) under SRI and a strict CSP: the decoder runs in a worker and the shopper pays', T, async () => {
  await withCrossOrigin({ name: 'cdn-embed' }, async (w, server, { cdn }) => {
    const { page } = w;
    const workers = [];
    page.on('worker', (wk) => workers.push(wk.url()));
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    await w.scanToConfirm();
    assert.ok(workers.some((u) => u.startsWith('blob:')), `a blob: module worker was started: ${JSON.stringify(workers)}`);
    const mainThread = w.consoleMessages.filter((m) => /main thread/.test(m.text));
    assert.deepEqual(mainThread, [], 'decoding did not fall back to the main thread');
    const fromCdn = requests.filter((u) => u.startsWith(`${cdn}/interpay/`));
    // Chromium has wasm SIMD: the worker takes the SIMD build of the reader (tests/e2e/simd.test.mjs).
    assert.ok(fromCdn.some((u) => /interpay-reader-simd\.[0-9a-f]{10}\.wasm$/.test(u)), 'the reader module came from the CDN');
    await w.payWithSandbox('Pay');
    await w.result('result-success');
    const created = await w.waitEvent('interpay:order-created');
    assert.equal(await server.orderStatus(created.detail.order.order_id), 'paid');
    assert.deepEqual(await w.cspViolations(), [], 'no CSP violation');
    assert.deepEqual(w.errors([/favicon/]), [], 'no page error');
  });
});

test('a shop CSP that blocks the worker script: after three failed starts the code is read on the main thread', T, async () => {
  await withCrossOrigin({ name: 'cdn-no-worker', workerSrc: 'worker-src blob:' }, async (w) => {
    await w.scanToConfirm();
    assert.ok(
      w.consoleMessages.some((m) => /never started.*main thread/.test(m.text)),
      `the fallback is said in the console: ${JSON.stringify(w.consoleMessages.map((m) => m.text))}`,
    );
    assert.equal(await w.text('payee-name'), 'BEST TRANSPORT');
  });
});

test('on the main thread too, a code that needs the deep checks is read by the deep reader from the CDN', T, async () => {
  const idn = 'https://p\u0430ypal.com/pay?amount=20';
  const png = tmp('cdn-main-thread-idn.png');
  qrPng(idn, png, 8);
  await withCrossOrigin({ name: 'cdn-no-worker-deep', workerSrc: 'worker-src blob:', camera: null }, async (w, _server, { cdn }) => {
    const requests = [];
    w.page.on('request', (r) => requests.push(r.url()));
    await w.startScan();
    await w.tid('file-input').setInputFiles(png);
    await w.tid('not-payment').waitFor({ state: 'visible', timeout: 30_000 });
    const warning = w.page.locator('[data-testid="warnings"] li[data-code="lookalike_domain"]');
    assert.match(await warning.innerText(), /\(xn--pypal-4ve\.com\) imitates paypal\.com/);
    assert.ok(w.consoleMessages.some((m) => /main thread/.test(m.text)), 'read on the main thread');
    assert.ok(requests.some((u) => u.startsWith(`${cdn}/interpay/`) && /interpay-deep-reader\.[0-9a-f]{10}\.wasm$/.test(u)), 'the deep reader came from the CDN');
  });
});

test('a launcher that does not match its SRI hash is not run', T, async () => {
  // The hash of other bytes: the browser must refuse the script (a CDN serving tampered files).
  const wrong = 'sha384-' + Buffer.alloc(48, 7).toString('base64');
  await withCrossOrigin({ name: 'cdn-sri', integrity: wrong }, async (w) => {
    const { page } = w;
    await page.waitForTimeout(1_500);
    const defined = await page.evaluate(() => !!customElements.get('interpay-checkout'));
    assert.equal(defined, false, 'the element was not defined by a script failing its integrity check');
    assert.ok(w.consoleMessages.some((m) => /integrity/i.test(m.text)), 'the browser reports the integrity failure');
  });
});

test('the launch button works before the checkout module arrives; each file is downloaded once', T, async () => {
  const server = await startServer();
  // Hold the UI module back until the test has tapped (a proxy, not Playwright's routing: that turns the
  // HTTP cache off, and the worker is meant to read its files from the cache the launcher filled).
  const proxy = await countingProxy(server.origin, { hold: /\/interpay\/assets\/interpay-ui\.[0-9a-f]{10}\.wasm$/ });
  const browser = await launchBrowser({ camera: fakeCamera(DYNAMIC_UNIONPAY, 'early-tap') });
  try {
    const context = await newContext(browser);
    await withWidget(context, server, { name: 'early-tap', url: `${proxy.origin}/` }, async (w) => {
      const placeholder = w.tid('launch-placeholder');
      await placeholder.waitFor({ state: 'visible', timeout: 10_000 });
      assert.equal(await placeholder.isEnabled(), true, 'the launch button is usable at once');
      assert.equal(await w.tid('scan-button').count(), 0, 'the checkout module is not there yet');
      await placeholder.click();
      assert.equal(await placeholder.getAttribute('aria-busy'), 'true', 'the tap is acknowledged');
      proxy.release();
      // The remembered tap opens the camera and the code is read, with no second tap.
      await w.tid('confirm-sheet').waitFor({ state: 'visible', timeout: 30_000 });
      const counts = proxy.counts();
      const twice = Object.entries(counts).filter(([n, c]) => c > 1 && n.startsWith('/interpay/'));
      assert.deepEqual(twice, [], 'no widget file downloaded twice');
      const names = Object.keys(counts);
      const wasm = names.filter((n) => n.endsWith('.wasm'));
      assert.equal(wasm.filter((n) => /interpay-ui\./.test(n)).length, 1, `UI module once: ${wasm}`);
      assert.equal(wasm.filter((n) => /interpay-reader(-simd)?\./.test(n)).length, 1, `one reader module (SIMD or plain), once: ${wasm}`);
      assert.equal(wasm.filter((n) => /interpay-deep-reader\./.test(n)).length, 0, `no deep reader for an ordinary code: ${wasm}`);
      assert.ok(!names.some((n) => n.startsWith('/interpay/pkg/')), 'only hashed assets are used by the launcher');
    });
  } finally {
    await browser.close().catch(() => {});
    await proxy.close();
    await server.stop();
  }
});

test('the worker\'s files arrive while the UI module mounts, before the tap, and the worker takes them from the cache', T, async () => {
  const server = await startServer();
  const proxy = await countingProxy(server.origin);
  const browser = await launchBrowser({ camera: fakeCamera(DYNAMIC_UNIONPAY, 'prefetch') });
  try {
    const context = await newContext(browser);
    await withWidget(context, server, { name: 'prefetch', url: `${proxy.origin}/` }, async (w) => {
      const { page } = w;
      // No worker yet (the widget starts it when the page is idle, or at the tap): the launcher fetched its files.
      await w.tid('scan-button').waitFor({ state: 'attached', timeout: 20_000 });
      const readerWasm = (c) => Object.keys(c).filter((n) => /interpay-reader(-simd)?\.[0-9a-f]{10}\.wasm$/.test(n));
      await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => /interpay-reader(-simd)?\.[0-9a-f]{10}\.wasm$/.test(e.name) && e.initiatorType === 'fetch' && e.responseEnd > 0), null, { timeout: 20_000 });
      assert.equal(readerWasm(proxy.counts()).length, 1, `the page fetched one reader build: ${JSON.stringify(proxy.counts())}`);
      await w.tid('scan-button').click();
      await w.tid('confirm-sheet').waitFor({ state: 'visible', timeout: 30_000 });
      const counts = proxy.counts();
      for (const [n, c] of Object.entries(counts)) {
        if (n.startsWith('/interpay/')) assert.equal(c, 1, `${n} downloaded once (the worker read it from the cache): ${JSON.stringify(counts)}`);
      }
      assert.ok(Object.keys(counts).some((n) => /decoder-worker\.[0-9a-f]{10}\.js$/.test(n)), 'the worker script came through the proxy once');
    });
  } finally {
    await browser.close().catch(() => {});
    await proxy.close();
    await server.stop();
  }
});
