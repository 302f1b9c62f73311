// Camera features of the widget (src/web/camera.rs, src/web/widget.rs): torch and zoom where the track
// offers them, the distinct camera errors (in use, no camera, insecure context) with their
// `interpay:error` codes, the picture fallbacks (`scan-picture` → `file-input`, `paste-image`), and the choice of the
// plain back lens over an ultra-wide one plus the `switch-camera` control.
//
// One sandbox merchant and one Chromium (default fake camera, permission auto-granted) for the whole
// file; each test gets a fresh browser context. Browser APIs the fake camera cannot provide (torch,
// zoom, several lenses, a busy camera) are stubbed with init scripts before the page loads; the tests
// assert on test ids, event codes and the calls the widget makes, not on wording.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import {
  BASE_ARGS,
  BIN,
  CHROMIUM,
  annotateFailure,
  DYNAMIC_UNIONPAY,
  chromium,
  events,
  openDemo,
  screenshot,
  startServer,
  tid,
  tmp,
  trackStates,
  waitEvent,
} from './lib/harness.mjs';
import { widgetReady } from './lib/flow.mjs';

const T = { timeout: 60_000 };

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Default fake device (a moving test pattern, no code in it), permission prompts auto-accepted.
    args: [...BASE_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  });
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
});

/** A fresh context with `stub` (a function run before any page script) and the demo page open. */
async function open(name, t, stub, arg) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    hasTouch: true,
    locale: 'en-US',
    permissions: ['camera'],
  });
  t.after(() => context.close().catch(() => {}));
  if (stub) await context.addInitScript(stub, arg);
  const ctx = await openDemo(context, server);
  await widgetReady(ctx.page);
  return ctx;
}

/** Run `fn`; on failure, keep a screenshot and add the page console / errors / widget state to the message. */
async function guarded(ctx, name, fn) {
  try {
    await fn();
  } catch (e) {
    await annotateFailure(ctx, `camera-${name}`, e);
    throw e;
  }
}

/** The widget still shows something: a sized host and text in the shadow root. */
async function assertNotBlank(page) {
  const box = await page.locator('interpay-checkout').boundingBox();
  assert.ok(box && box.height > 40 && box.width > 100, `widget not collapsed: ${JSON.stringify(box)}`);
  const text = await page.locator('interpay-checkout').evaluate((el) => (el.shadowRoot ? el.shadowRoot.textContent : '').trim());
  assert.ok(text.length > 0, 'the shadow root is not empty');
}

/** After a camera failure: the camera-error view with `code`, a sentence, the event, and the fallbacks. */
async function assertCameraError(page, code, keyword) {
  const view = tid(page, 'camera-error');
  await view.waitFor({ state: 'visible', timeout: 15_000 });
  assert.equal(await view.getAttribute('data-code'), code, 'camera-error carries the error code');
  const msg = (await tid(page, 'error-message').first().innerText()).trim();
  assert.ok(msg.length >= 15, `a sentence, not a code: ${JSON.stringify(msg)}`);
  assert.match(msg, keyword, `the message says what is wrong: ${JSON.stringify(msg)}`);
  const err = await waitEvent(page, 'interpay:error');
  assert.equal(err.detail.code, code, 'interpay:error code');
  assert.ok(err.detail.message && err.detail.message.length >= 15, 'interpay:error carries a message');
  const codes = (await events(page, 'interpay:error')).map((e) => e.detail.code);
  assert.deepEqual(codes, [code], 'exactly one error event, with that code');
  await tid(page, 'scan-picture').waitFor({ state: 'visible', timeout: 10_000 });
  await tid(page, 'paste-image').waitFor({ state: 'visible', timeout: 10_000 });
  await assertNotBlank(page);
  assert.equal((await trackStates(page)).filter((s) => s === 'live').length, 0, 'no live camera track');
}

// -- stubs (serialised into the page: no closures over this module) --------------------------------

function stubTorchZoom() {
  window.__applied = [];
  const caps = MediaStreamTrack.prototype.getCapabilities;
  const settings = MediaStreamTrack.prototype.getSettings;
  let zoom = 1;
  let torch = false;
  MediaStreamTrack.prototype.getCapabilities = function () {
    const c = caps ? caps.call(this) : {};
    return this.kind === 'video' ? { ...c, torch: true, zoom: { min: 1, max: 5, step: 0.5 } } : c;
  };
  MediaStreamTrack.prototype.getSettings = function () {
    const s = settings.call(this);
    return this.kind === 'video' ? { ...s, zoom, torch } : s;
  };
  MediaStreamTrack.prototype.applyConstraints = function (c) {
    window.__applied.push(JSON.parse(JSON.stringify(c ?? null)));
    for (const a of (c && c.advanced) || []) {
      if ('zoom' in a) zoom = a.zoom;
      if ('torch' in a) torch = a.torch;
    }
    return Promise.resolve();
  };
}

function stubGumReject(name) {
  window.__gumCalls = 0;
  navigator.mediaDevices.getUserMedia = function () {
    window.__gumCalls += 1;
    return Promise.reject(new DOMException('stubbed camera failure', name));
  };
}

function stubNoMediaDevices() {
  Object.defineProperty(Navigator.prototype, 'mediaDevices', { get: () => undefined, configurable: true });
}

function stubInsecure() {
  window.__gumCalls = 0;
  Object.defineProperty(window, 'isSecureContext', { get: () => false, configurable: true });
  if (navigator.mediaDevices) {
    const orig = navigator.mediaDevices.getUserMedia;
    navigator.mediaDevices.getUserMedia = function (...a) {
      window.__gumCalls += 1;
      return orig.apply(this, a);
    };
  }
}

/** Two back lenses (ultra-wide listed first); getUserMedia records the constraints, opens the fake camera. */
function stubTwoLenses() {
  window.__gum = [];
  let current = '';
  const md = navigator.mediaDevices;
  const devices = [
    { kind: 'videoinput', deviceId: 'cam-ultrawide', groupId: 'g1', label: 'Back Ultra Wide Camera' },
    { kind: 'videoinput', deviceId: 'cam-main', groupId: 'g2', label: 'Back Camera' },
  ];
  md.enumerateDevices = () => Promise.resolve(devices.map((d) => ({ ...d, toJSON: () => d })));
  md.getUserMedia = function (c) {
    const constraints = JSON.parse(JSON.stringify(c ?? null));
    window.__gum.push(constraints);
    const id = constraints && constraints.video && constraints.video.deviceId;
    current = (id && (id.exact || id.ideal || id)) || 'cam-ultrawide'; // facingMode alone: the phone's pick
    // The fake device knows neither id: open it without the deviceId.
    const video = { ...(constraints.video || {}) };
    delete video.deviceId;
    return MediaDevices.prototype.getUserMedia.call(this, { audio: false, video });
  };
  const settings = MediaStreamTrack.prototype.getSettings;
  MediaStreamTrack.prototype.getSettings = function () {
    const s = settings.call(this);
    return this.kind === 'video' ? { ...s, deviceId: current } : s;
  };
}

// -- images --------------------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
/** A 320×240 grey-gradient PNG with no code in it (8-bit greyscale). */
function plainPng() {
  const w = 320;
  const h = 240;
  const raw = Buffer.alloc((w + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w + 1)] = 0; // filter: none
    for (let x = 0; x < w; x++) raw[y * (w + 1) + 1 + x] = 80 + Math.floor((x * 120) / w);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The public dynamic UnionPay vector as a PNG made by `interpay encode` (a photo-sized picture). */
function dynamicCodePng() {
  const out = tmp('camera-dynamic-unionpay.png');
  execFileSync(BIN.interpay, ['encode', '--text', DYNAMIC_UNIONPAY, '--png', out, '--scale', '6'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return out;
}

/** Tap `scan-picture` and answer the file chooser it opens with `file`. */
async function choosePicture(page, file) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser', { timeout: 10_000 }), tid(page, 'scan-picture').click()]);
  await chooser.setFiles(file);
}

// -- tests ----------------------------------------------------------------------------------------------

test('torch and zoom: shown when the track offers them, and applied with applyConstraints', T, async (t) => {
  const ctx = await open('torch', t, stubTorchZoom);
  const { page } = ctx;
  await guarded(ctx, 'torch', async () => {
    await tid(page, 'scan-button').click();
    const torch = tid(page, 'torch');
    await torch.waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(page, 'camera-torch-1-controls');
    assert.equal(await torch.getAttribute('aria-pressed'), 'false', 'torch starts off');
    assert.ok((await torch.getAttribute('aria-label'))?.length > 0, 'the torch button has an accessible name');

    await torch.click();
    await page.waitForFunction(() => window.__applied.some((c) => c?.advanced?.[0]?.torch === true), null, { timeout: 10_000 });
    await page.waitForFunction(
      () => document.querySelector('interpay-checkout').shadowRoot.querySelector('[data-testid="torch"]').getAttribute('aria-pressed') === 'true',
      null,
      { timeout: 10_000 },
    );
    await torch.click();
    await page.waitForFunction(() => window.__applied.some((c) => c?.advanced?.[0]?.torch === false), null, { timeout: 10_000 });
    await page.waitForFunction(
      () => document.querySelector('interpay-checkout').shadowRoot.querySelector('[data-testid="torch"]').getAttribute('aria-pressed') === 'false',
      null,
      { timeout: 10_000 },
    );

    const zoom = tid(page, 'zoom');
    await zoom.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await zoom.getAttribute('min'), '1');
    assert.equal(await zoom.getAttribute('max'), '5');
    await zoom.evaluate((el) => {
      el.value = '3';
      el.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    });
    await page.waitForFunction(() => window.__applied.some((c) => c?.advanced?.[0]?.zoom === 3), null, { timeout: 10_000 });

    const applied = await page.evaluate(() => window.__applied);
    assert.deepEqual(applied, [{ advanced: [{ torch: true }] }, { advanced: [{ torch: false }] }, { advanced: [{ zoom: 3 }] }]);
    assert.equal((await events(page, 'interpay:error')).length, 0, 'no error event');
    assert.deepEqual(ctx.pageErrors, []);
  });
});

test('no torch (nor zoom) control when the track does not offer it', T, async (t) => {
  // Two lenses, no torch / zoom stub: the switch-camera button is the sign that the camera's
  // capabilities have been read and the controls rendered.
  const ctx = await open('no-torch', t, stubTwoLenses);
  const { page } = ctx;
  await guarded(ctx, 'no-torch', async () => {
    await tid(page, 'scan-button').click();
    await tid(page, 'switch-camera').waitFor({ state: 'visible', timeout: 15_000 });
    const caps = await page.evaluate(() => {
      const tr = window.__interpay.tracks.find((x) => x.kind === 'video' && x.readyState === 'live');
      const c = (tr && tr.getCapabilities && tr.getCapabilities()) || {};
      return { torch: !!c.torch, zoom: !!(c.zoom && c.zoom.max > c.zoom.min) };
    });
    assert.equal(caps.torch, false, 'precondition: the fake camera has no torch');
    assert.equal(await tid(page, 'torch').count(), 0, 'no torch button');
    if (!caps.zoom) assert.equal(await tid(page, 'zoom').count(), 0, 'no zoom control');
    assert.deepEqual(await page.evaluate(() => window.__applied ?? []), []);
  });
});

test('camera in use (NotReadableError): its own message, code camera_in_use, fallbacks shown', T, async (t) => {
  const ctx = await open('in-use', t, stubGumReject, 'NotReadableError');
  const { page } = ctx;
  await guarded(ctx, 'in-use', async () => {
    await tid(page, 'scan-button').click();
    await assertCameraError(page, 'camera_in_use', /use|busy|another/i);
    await screenshot(page, 'camera-in-use');
    await tid(page, 'retry-camera').waitFor({ state: 'visible', timeout: 10_000 });
  });
});

test('no camera (NotFoundError, or no mediaDevices at all): code no_camera', T, async (t) => {
  for (const [variant, stub, arg] of [
    ['not-found', stubGumReject, 'NotFoundError'],
    ['no-media-devices', stubNoMediaDevices, undefined],
  ]) {
    const ctx = await open(`no-camera-${variant}`, t, stub, arg);
    const { page } = ctx;
    await guarded(ctx, `no-camera-${variant}`, async () => {
      await tid(page, 'scan-button').click();
      await assertCameraError(page, 'no_camera', /camera/i);
      await screenshot(page, `camera-no-camera-${variant}`);
      assert.equal(await tid(page, 'retry-camera').count(), 0, 'no "try again" for a missing camera');
    });
  }
});

test('insecure context: code insecure_context, the camera is never asked', T, async (t) => {
  const ctx = await open('insecure', t, stubInsecure);
  const { page } = ctx;
  await guarded(ctx, 'insecure', async () => {
    assert.equal(await page.evaluate(() => window.isSecureContext), false, 'precondition: stub active');
    await tid(page, 'scan-button').click();
    await assertCameraError(page, 'insecure_context', /secure|https/i);
    await screenshot(page, 'camera-insecure');
    assert.equal(await page.evaluate(() => window.__gumCalls), 0, 'getUserMedia is not called');
    assert.equal(await tid(page, 'retry-camera').count(), 0, 'no "try again" on an insecure page');
  });
});

test('picture fallback: a photo of a dynamic EMVCo code opens the confirm sheet; a photo without a code says so', T, async (t) => {
  const png = dynamicCodePng();
  // Camera denied: the shopper falls back to a picture.
  const ctx = await open('picture', t, stubGumReject, 'NotAllowedError');
  const { page } = ctx;
  await guarded(ctx, 'picture', async () => {
    await tid(page, 'scan-button').click();
    await assertCameraError(page, 'camera_denied', /camera/i);

    // A picture without a code: a notice, the fallback stays usable.
    await choosePicture(page, { name: 'nothing.png', mimeType: 'image/png', buffer: plainPng() });
    const notice = tid(page, 'notice');
    await notice.waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(page, 'camera-picture-1-no-code');
    const said = (await notice.innerText()).trim();
    assert.match(said, /code/i, `the notice says no code was found: ${JSON.stringify(said)}`);
    assert.equal(await tid(page, 'confirm-sheet').count(), 0, 'no confirm sheet for a picture without a code');
    assert.equal((await events(page, 'interpay:scanned')).length, 0, 'nothing scanned');
    await assertNotBlank(page);

    // The code's picture: the confirm sheet of that payment.
    await choosePicture(page, png);
    await tid(page, 'confirm-sheet').waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(page, 'camera-picture-2-confirm');
    assert.match((await tid(page, 'payee-name').first().innerText()).trim(), /BEST TRANSPORT/);
    const scanned = await waitEvent(page, 'interpay:scanned');
    assert.equal(scanned.detail.text, DYNAMIC_UNIONPAY, 'the whole payload was read from the picture');
    assert.deepEqual(ctx.pageErrors, []);
  });
});

/** Camera denied; `navigator.clipboard.read` answers with an image made from `b64` (or is refused when null). */
function stubClipboard(b64) {
  navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
  const read = () => {
    if (b64 === null) return Promise.reject(new DOMException('no permission', 'NotAllowedError'));
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const blob = new Blob([bytes], { type: 'image/png' });
    return Promise.resolve([{ types: ['image/png'], getType: () => Promise.resolve(blob) }]);
  };
  Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => ({ read }), configurable: true });
}

test('paste an image: a pasted code opens the confirm sheet; a refused clipboard gives a notice', T, async (t) => {
  const b64 = readFileSync(dynamicCodePng()).toString('base64');
  {
    const ctx = await open('paste', t, stubClipboard, b64);
    const { page } = ctx;
    await guarded(ctx, 'paste', async () => {
      await tid(page, 'scan-button').click();
      await tid(page, 'camera-error').waitFor({ state: 'visible', timeout: 15_000 });
      await tid(page, 'paste-image').click();
      await tid(page, 'confirm-sheet').waitFor({ state: 'visible', timeout: 15_000 });
      assert.match((await tid(page, 'payee-name').first().innerText()).trim(), /BEST TRANSPORT/);
      assert.equal((await waitEvent(page, 'interpay:scanned')).detail.text, DYNAMIC_UNIONPAY);
    });
  }
  {
    const ctx = await open('paste-refused', t, stubClipboard, null);
    const { page } = ctx;
    await guarded(ctx, 'paste-refused', async () => {
      await tid(page, 'scan-button').click();
      await tid(page, 'camera-error').waitFor({ state: 'visible', timeout: 15_000 });
      await tid(page, 'paste-image').click();
      const notice = tid(page, 'notice');
      await notice.waitFor({ state: 'visible', timeout: 10_000 });
      assert.ok((await notice.innerText()).trim().length >= 10, 'the notice is a sentence');
      assert.equal(await tid(page, 'confirm-sheet').count(), 0);
      await tid(page, 'scan-picture').waitFor({ state: 'visible', timeout: 10_000 });
      await assertNotBlank(page);
    });
  }
});

test('two back lenses: the plain one is opened, not the ultra-wide; switch-camera moves between them', T, async (t) => {
  const ctx = await open('switch', t, stubTwoLenses);
  const { page } = ctx;
  await guarded(ctx, 'switch', async () => {
    const exactIds = () => page.evaluate(() => window.__gum.map((c) => c?.video?.deviceId?.exact ?? null));
    await tid(page, 'scan-button').click();
    const sw = tid(page, 'switch-camera');
    await sw.waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(page, 'camera-switch-1-open');
    // First call: facingMode environment (labels unknown); then the plain back lens by id.
    assert.deepEqual(await exactIds(), [null, 'cam-main'], 'opened the plain back camera, not the ultra-wide');
    const first = await page.evaluate(() => window.__gum[0].video);
    assert.equal(first.facingMode?.ideal, 'environment', 'first asks for the back camera');

    await sw.click();
    await page.waitForFunction(() => window.__gum.length >= 3, null, { timeout: 10_000 });
    await sw.waitFor({ state: 'visible', timeout: 15_000 });
    assert.deepEqual(await exactIds(), [null, 'cam-main', 'cam-ultrawide'], 'switch asks for the other lens');
    await page.waitForFunction(() => window.__interpay.tracks.filter((tr) => tr.readyState === 'live').length === 1, null, {
      timeout: 10_000,
    });
    assert.equal((await events(page, 'interpay:error')).length, 0, 'no error event');
  });
});
