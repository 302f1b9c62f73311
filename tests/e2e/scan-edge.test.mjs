// What happens when the scan does not lead to a payment: a non-payment code, a denied camera, and the strict CSP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemo, fakeCamera, tid, waitEvent, events, cspViolations, trackStates, screenshot } from './lib/harness.mjs';
import { widgetReady } from './lib/flow.mjs';

const T = { timeout: 120_000 };

test('a non-payment code (a URL) is shown as such: nothing to pay, no navigation', T, async () => {
  const url = 'https://example.com/menu?table=7';
  const camera = fakeCamera(url, 'url');
  await withDemo({ camera, name: 'not-payment' }, async ({ page }) => {
    const startUrl = page.url();
    await widgetReady(page);
    await tid(page, 'scan-button').click();
    await tid(page, 'not-payment').waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'not-payment-1-shown');

    const shown = (await tid(page, 'not-payment').innerText()).trim();
    assert.ok(shown.includes('example.com'), `the scanned text is shown to the shopper: ${JSON.stringify(shown)}`);
    assert.equal(await tid(page, 'confirm-pay').count(), 0, 'nothing to pay');

    const scanned = await waitEvent(page, 'interpay:scanned');
    assert.equal(scanned.detail.text, url);
    assert.equal(scanned.detail.code.kind, 'not_payment');
    assert.equal(scanned.detail.code.what, 'url');

    // Give a navigation the chance to happen, then check it did not.
    await page.waitForTimeout(1500);
    assert.equal(page.url(), startUrl, 'a scanned URL is never opened by itself');
    assert.equal((await events(page, 'interpay:order-created')).length, 0, 'no order for a non-payment code');
    assert.deepEqual(await cspViolations(page), []);
  });
});

test('a denied camera gives a clear message, never a blank widget', T, async () => {
  await withDemo({ camera: 'denied', name: 'camera-denied' }, async ({ page }) => {
    await widgetReady(page);
    await tid(page, 'scan-button').click();
    const msg = tid(page, 'error-message');
    await msg.waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(page, 'camera-denied-1-message');

    const text = (await msg.innerText()).trim();
    assert.ok(text.length >= 15, `a sentence, not a code: ${JSON.stringify(text)}`);
    assert.match(text, /camera/i, 'the message says what is wrong');

    const err = await waitEvent(page, 'interpay:error');
    assert.ok(err.detail.code, 'interpay:error carries a code');
    assert.ok(err.detail.message, 'interpay:error carries a message');

    // The widget still shows something useful: its host has a size and visible text.
    const box = await page.locator('interpay-checkout').boundingBox();
    assert.ok(box && box.height > 40 && box.width > 100, `widget not collapsed: ${JSON.stringify(box)}`);
    const visibleText = await page.locator('interpay-checkout').evaluate((el) => (el.shadowRoot ? el.shadowRoot.textContent : '').trim());
    assert.ok(visibleText.length > 0, 'the shadow root is not empty');
    assert.deepEqual(await trackStates(page), [], 'no camera track was opened');
  });
});

test('the demo page and the widget run under the strict CSP without a violation', T, async () => {
  const camera = fakeCamera('hello from the CSP test', 'csp');
  await withDemo({ camera, name: 'csp' }, async ({ page, response, consoleMessages, pageErrors }) => {
    const csp = response.headers()['content-security-policy'] || '';
    for (const directive of [
      "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'", "object-src 'none'", "base-uri 'none'",
    ]) {
      assert.ok(csp.includes(directive), `CSP has ${directive}: ${csp}`);
    }
    await widgetReady(page);
    await tid(page, 'scan-button').click();
    // Camera running, worker decoding, a code read (not a payment): every moving part has loaded.
    await tid(page, 'not-payment').waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'csp-1-after-scan');
    assert.deepEqual(await cspViolations(page), [], 'no securitypolicyviolation event');
    const cspConsole = consoleMessages.filter((m) => /Content Security Policy|Refused to/i.test(m.text));
    assert.deepEqual(cspConsole, [], 'no CSP complaint in the console');
    assert.deepEqual(pageErrors, [], 'no uncaught page error');
  });
});

test('the sample codes page shows every code (and the server serves many parallel requests)', T, async () => {
  await withDemo({ camera: 'denied', name: 'codes' }, async ({ page, server }) => {
    await page.goto(server.origin + '/codes.html', { waitUntil: 'load', timeout: 15_000 });
    const sizes = await page.$$eval('img', (imgs) => imgs.map((i) => [i.getAttribute('src'), i.complete && i.naturalWidth]));
    assert.ok(sizes.length >= 5, 'at least five sample codes');
    for (const [src, w] of sizes) assert.ok(w > 0, `${src} loaded`);
    await screenshot(page, 'codes-page');
    assert.deepEqual(await cspViolations(page), []);
  });
});
