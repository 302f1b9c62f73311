// A tap before the checkout UI module has arrived (issue 12: tap → camera preview ≤ 1 s on a slow phone):
// the launcher opens the camera at once and shows it in a view of its own, and the UI module takes that very
// stream when it arrives (the camera is not opened twice). In headless Chromium with a fake camera, the UI
// module held back by a proxy until the test lets it through:
// - the preview plays before the UI module is there, and the code in it is read once it is;
// - closing that view turns the camera off and cancels the tap;
// - a refused camera is shown by the UI module's refusal screen, and not asked for again;
// - a UI module that fails to load turns the camera off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newContext, withWidget, fakeCamera, countingProxy, DYNAMIC_UNIONPAY } from './lib/driver.mjs';

const T = { timeout: 150_000 };
const UI_WASM = /\/interpay\/assets\/interpay-ui\.[0-9a-f]{10}\.wasm$/;

/** The launcher's early view, playing frames from the camera. */
const earlyPlaying = () => {
  const v = document.querySelector('interpay-checkout')?.shadowRoot?.querySelector('[data-testid="early-video"]');
  return !!(v && v.readyState >= 2 && v.videoWidth > 0 && !v.paused);
};

/** The launcher's early view has left the page. */
const earlyGone = () => !document.querySelector('interpay-checkout').shadowRoot.querySelector('[data-testid="early-camera"]');

/** Tap the launch button before the UI module is there, then wait for the early view: playing, or (with
 * `playing: false`, a refused camera) only shown. Returns the button. */
async function tapEarly(w, { playing = true } = {}) {
  const placeholder = w.tid('launch-placeholder');
  await placeholder.waitFor({ state: 'visible', timeout: 10_000 });
  await placeholder.click();
  if (playing) await w.page.waitForFunction(earlyPlaying, null, { timeout: 15_000 });
  else await w.tid('early-camera').waitFor({ state: 'visible', timeout: 10_000 });
  return placeholder;
}

/** Run `fn(w, proxy)` on the demo page behind a proxy that holds the UI module's wasm back. */
async function heldBack({ name, camera, contextOptions = {} }, fn) {
  const server = await startServer();
  const proxy = await countingProxy(server.origin, { hold: UI_WASM });
  const browser = await launchBrowser({ camera });
  try {
    const context = await newContext(browser, contextOptions);
    await withWidget(context, server, { name, url: `${proxy.origin}/` }, (w) => fn(w, proxy));
  } finally {
    await browser.close().catch(() => {});
    await proxy.close();
    await server.stop();
  }
}

test('a tap before the UI module shows the camera at once; the UI module takes that stream and reads the code', T, async () => {
  await heldBack({ name: 'early-camera', camera: fakeCamera(DYNAMIC_UNIONPAY, 'early-camera') }, async (w, proxy) => {
    await tapEarly(w);
    await w.shot('1-early');
    assert.equal(await w.tid('scan-button').count(), 0, 'the preview plays before the UI module is there');
    const dialog = w.page.locator('[data-testid="early-camera"] [role="dialog"]');
    assert.equal(await dialog.getAttribute('aria-modal'), 'true', 'a modal dialog');
    assert.match(await w.page.locator('#ip-early-title').innerText(), /scan/i, 'titled like the UI sheet');
    assert.deepEqual(await w.trackStates(), ['live'], 'one camera opened');
    assert.match(await w.page.locator('[data-testid="early-camera"] .ip-hint').innerText(), /point the camera/i, 'aiming can start');
    proxy.release();
    await w.tid('confirm-sheet').waitFor({ state: 'visible', timeout: 30_000 });
    await w.shot('2-confirm');
    assert.equal((await w.trackStates()).length, 1, 'the UI module used the launcher\'s stream: the camera was opened once');
    const twice = Object.entries(proxy.counts()).filter(([n, c]) => c > 1 && n.startsWith('/interpay/'));
    assert.deepEqual(twice, [], 'no widget file downloaded twice');
    await w.page.waitForFunction(earlyGone, null, { timeout: 5_000 });
    await w.page.waitForFunction(() => window.__interpay.tracks.every((t) => t.readyState === 'ended'), null, { timeout: 5_000 });
    const scanned = await w.waitEvent('interpay:scanned');
    assert.equal(scanned.detail.text, DYNAMIC_UNIONPAY, 'the code in the early stream was read');
    assert.deepEqual(await w.events('interpay:error'), [], 'no error');
  });
});

test('closing the early camera view turns the camera off and cancels the tap', T, async () => {
  await heldBack({ name: 'early-camera-close', camera: fakeCamera(DYNAMIC_UNIONPAY, 'early-camera-close') }, async (w, proxy) => {
    const placeholder = await tapEarly(w);
    // A modal dialog: the keyboard stays in it.
    for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab']) {
      await w.page.keyboard.press(key);
      const focused = await w.page.evaluate(() => document.querySelector('interpay-checkout').shadowRoot.activeElement?.getAttribute('data-testid'));
      assert.equal(focused, 'early-close', `${key} stays in the camera view`);
    }
    await w.tid('early-close').click();
    assert.equal(await w.tid('early-camera').count(), 0, 'the view is gone');
    assert.deepEqual(await w.trackStates(), ['ended'], 'the camera light is off');
    assert.equal(await placeholder.getAttribute('aria-busy'), null, 'the launch button is back to rest');
    proxy.release();
    await w.tid('scan-button').waitFor({ state: 'visible', timeout: 30_000 });
    await w.page.waitForTimeout(1_000);
    assert.equal(await w.tid('scan-button').getAttribute('aria-expanded'), 'false', 'the cancelled tap does not open the sheet');
    assert.deepEqual(await w.trackStates(), ['ended'], 'no camera opened afterwards');
  });
});

test('a camera refused before the UI module arrives: its refusal screen, and no second prompt', T, async () => {
  await heldBack({ name: 'early-camera-denied', camera: 'denied', contextOptions: { camera: false } }, async (w, proxy) => {
    await w.page.evaluate(() => {
      window.__gum = 0;
      const orig = MediaDevices.prototype.getUserMedia;
      MediaDevices.prototype.getUserMedia = function (...a) {
        window.__gum += 1;
        return orig.apply(this, a);
      };
    });
    await tapEarly(w, { playing: false });
    proxy.release();
    const view = w.tid('camera-error');
    await view.waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await view.getAttribute('data-code'), 'camera_denied', 'the refusal, from the launcher\'s request');
    const codes = (await w.events('interpay:error')).map((e) => e.detail.code);
    assert.deepEqual(codes, ['camera_denied'], 'one error event');
    await w.tid('scan-picture').waitFor({ state: 'visible', timeout: 10_000 });
    await w.page.waitForFunction(earlyGone, null, { timeout: 5_000 });
    assert.equal(await w.page.evaluate(() => window.__gum), 1, 'the camera was asked for once');
  });
});

test('a UI module that cannot load after an early tap turns the camera off and says so', T, async () => {
  const server = await startServer();
  const browser = await launchBrowser({ camera: fakeCamera(DYNAMIC_UNIONPAY, 'early-camera-fail') });
  try {
    const context = await newContext(browser);
    let fail;
    const failing = new Promise((r) => (fail = r));
    await context.route(UI_WASM, async (route) => {
      await failing;
      await route.abort('connectionreset');
    });
    await withWidget(context, server, { name: 'early-camera-fail' }, async (w) => {
      await tapEarly(w);
      fail();
      await w.tid('error-message').waitFor({ state: 'visible', timeout: 15_000 });
      assert.equal(await w.tid('early-camera').count(), 0, 'the camera view is gone');
      assert.deepEqual(await w.trackStates(), ['ended'], 'the camera light is off');
      const err = await w.waitEvent('interpay:error');
      assert.equal(err.detail.code, 'load_failed');
    });
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
  }
});
