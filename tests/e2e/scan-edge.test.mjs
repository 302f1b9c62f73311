// What happens when the scan does not lead to a payment: a non-payment code, a denied camera, and the strict CSP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemo, fakeCamera, SCAN_TIMEOUT } from './lib/driver.mjs';

const T = { timeout: 120_000 };

test('a non-payment code (a URL) is shown as such: nothing to pay, no navigation', T, async () => {
  const url = 'https://example.com/menu?table=7';
  const camera = fakeCamera(url, 'url');
  await withDemo({ camera, name: 'not-payment' }, async (w) => {
    const startUrl = w.page.url();
    await w.startScan();
    await w.tid('not-payment').waitFor({ state: 'visible', timeout: SCAN_TIMEOUT });
    await w.shot('1-shown');

    const shown = await w.text('not-payment');
    assert.ok(shown.includes('example.com'), `the scanned text is shown to the shopper: ${JSON.stringify(shown)}`);
    assert.equal(await w.tid('confirm-pay').count(), 0, 'nothing to pay');

    const scanned = await w.waitEvent('interpay:scanned');
    assert.equal(scanned.detail.text, url);
    assert.equal(scanned.detail.code.kind, 'not_payment');
    assert.equal(scanned.detail.code.what, 'url');

    // Give a navigation the chance to happen, then check it did not.
    await w.page.waitForTimeout(1500);
    assert.equal(w.page.url(), startUrl, 'a scanned URL is never opened by itself');
    assert.deepEqual(await w.eventTypes(), ['interpay:scanned'], 'no order (nor anything else) for a non-payment code');
    assert.deepEqual(await w.cspViolations(), []);
  });
});

test('a denied camera gives a clear message and the camera_denied error, never a blank widget', T, async () => {
  await withDemo({ camera: 'denied', name: 'camera-denied' }, async (w) => {
    await w.startScan();
    const msg = w.tid('error-message');
    await msg.waitFor({ state: 'visible', timeout: 15_000 });
    await w.shot('1-message');

    const text = (await msg.innerText()).trim();
    assert.ok(text.length >= 15, `a sentence, not a code: ${JSON.stringify(text)}`);
    assert.match(text, /camera/i, 'the message says what is wrong');
    assert.equal(await w.tid('camera-error').getAttribute('data-code'), 'camera_denied', 'camera-error carries the error code');

    const err = await w.waitEvent('interpay:error');
    assert.equal(err.detail.code, 'camera_denied');
    assert.ok(err.detail.message && err.detail.message.length >= 15, 'interpay:error carries a message');
    assert.deepEqual((await w.events('interpay:error')).map((e) => e.detail.code), ['camera_denied'], 'exactly one error event');

    // The widget still shows something useful, with the picture fallbacks.
    await w.assertNotBlank();
    await w.tid('scan-picture').waitFor({ state: 'visible', timeout: 10_000 });
    assert.deepEqual(await w.trackStates(), [], 'no camera track was opened');
  });
});

test('the demo page and the widget run under the strict CSP without a violation', T, async () => {
  const camera = fakeCamera('hello from the CSP test', 'csp');
  await withDemo({ camera, name: 'csp' }, async (w) => {
    const csp = w.response.headers()['content-security-policy'] || '';
    for (const directive of [
      "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'", "object-src 'none'", "base-uri 'none'",
    ]) {
      assert.ok(csp.includes(directive), `CSP has ${directive}: ${csp}`);
    }
    await w.startScan();
    // Camera running, worker decoding, a code read (not a payment): every moving part has loaded.
    await w.tid('not-payment').waitFor({ state: 'visible', timeout: SCAN_TIMEOUT });
    await w.shot('1-after-scan');
    assert.deepEqual(await w.cspViolations(), [], 'no securitypolicyviolation event');
    const cspConsole = w.consoleMessages.filter((m) => /Content Security Policy|Refused to/i.test(m.text));
    assert.deepEqual(cspConsole, [], 'no CSP complaint in the console');
    assert.deepEqual(w.pageErrors, [], 'no uncaught page error');
  });
});

test('the sample codes page shows every code (and the server serves many parallel requests)', T, async () => {
  await withDemo({ camera: 'denied', name: 'codes' }, async (w, server) => {
    await w.page.goto(server.origin + '/codes.html', { waitUntil: 'load', timeout: 15_000 });
    const sizes = await w.page.$$eval('img', (imgs) => imgs.map((i) => [i.getAttribute('src'), i.complete && i.naturalWidth]));
    assert.ok(sizes.length >= 5, 'at least five sample codes');
    for (const [src, wd] of sizes) assert.ok(wd > 0, `${src} loaded`);
    await w.shot('page');
    assert.deepEqual(await w.cspViolations(), []);
  });
});
