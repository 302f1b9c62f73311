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
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { DYNAMIC_UNIONPAY, Widget, launchBrowser, newContext, qrPng, startServer, tmp } from './lib/driver.mjs';

const T = { timeout: 60_000 };

let server;
let browser;

before(async () => {
  server = await startServer();
  // Default fake device (a moving test pattern, no code in it), permission prompts auto-accepted.
  browser = await launchBrowser({ camera: 'pattern' });
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
});

/** A fresh context with `stubs` (functions run before any page script, or [function, argument]) and the demo page open. */
async function open(name, t, ...stubs) {
  const context = await newContext(browser);
  t.after(() => context.close().catch(() => {}));
  for (const stub of stubs) {
    const [fn, arg] = Array.isArray(stub) ? stub : [stub, undefined];
    await context.addInitScript(fn, arg);
  }
  const w = await Widget.open(context, server, { name: `camera-${name}` });
  await w.ready();
  return w;
}

/** Run `fn`; on failure, keep a screenshot and add the page console / errors / widget state to the message. */
async function guarded(w, fn) {
  try {
    await fn();
  } catch (e) {
    await w.annotateFailure(e);
    throw e;
  }
}

/** After a camera failure: the camera-error view with `code`, a sentence, the event, and the fallbacks. */
async function assertCameraError(w, code, keyword) {
  const view = w.tid('camera-error');
  await view.waitFor({ state: 'visible', timeout: 15_000 });
  assert.equal(await view.getAttribute('data-code'), code, 'camera-error carries the error code');
  const msg = await w.text('error-message');
  assert.ok(msg.length >= 15, `a sentence, not a code: ${JSON.stringify(msg)}`);
  assert.match(msg, keyword, `the message says what is wrong: ${JSON.stringify(msg)}`);
  const err = await w.waitEvent('interpay:error');
  assert.equal(err.detail.code, code, 'interpay:error code');
  assert.ok(err.detail.message && err.detail.message.length >= 15, 'interpay:error carries a message');
  const codes = (await w.events('interpay:error')).map((e) => e.detail.code);
  assert.deepEqual(codes, [code], 'exactly one error event, with that code');
  await w.tid('scan-picture').waitFor({ state: 'visible', timeout: 10_000 });
  await w.tid('paste-image').waitFor({ state: 'visible', timeout: 10_000 });
  await w.assertNotBlank();
  assert.equal((await w.trackStates()).filter((s) => s === 'live').length, 0, 'no live camera track');
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

/** A video track that offers neither torch nor zoom, whatever the fake device reports. */
function stubNoTorchZoom() {
  const caps = MediaStreamTrack.prototype.getCapabilities;
  MediaStreamTrack.prototype.getCapabilities = function () {
    const c = { ...(caps ? caps.call(this) : {}) };
    delete c.torch;
    delete c.zoom;
    return c;
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
  return qrPng(DYNAMIC_UNIONPAY, tmp('camera-dynamic-unionpay.png'), 6);
}

/** Tap `scan-picture` and answer the file chooser it opens with `file`. */
async function choosePicture(w, file) {
  const [chooser] = await Promise.all([w.page.waitForEvent('filechooser', { timeout: 10_000 }), w.tid('scan-picture').click()]);
  await chooser.setFiles(file);
}

// -- tests ----------------------------------------------------------------------------------------------

test('torch and zoom: shown when the track offers them, and applied with applyConstraints', T, async (t) => {
  const w = await open('torch', t, stubTorchZoom);
  const { page } = w;
  await guarded(w, async () => {
    await w.tid('scan-button').click();
    const torch = w.tid('torch');
    await torch.waitFor({ state: 'visible', timeout: 15_000 });
    await w.shot('1-controls');
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

    const zoom = w.tid('zoom');
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
    assert.equal((await w.events('interpay:error')).length, 0, 'no error event');
    assert.deepEqual(w.pageErrors, []);
  });
});

test('no torch (nor zoom) control when the track does not offer it', T, async (t) => {
  // Two lenses, no torch / zoom stub: the switch-camera button is the sign that the camera's
  // capabilities have been read and the controls rendered.
  const w = await open('no-torch', t, stubTwoLenses, stubNoTorchZoom);
  const { page } = w;
  await guarded(w, async () => {
    await w.tid('scan-button').click();
    await w.tid('switch-camera').waitFor({ state: 'visible', timeout: 15_000 });
    const caps = await page.evaluate(() => {
      const tr = window.__interpay.tracks.find((x) => x.kind === 'video' && x.readyState === 'live');
      const c = (tr && tr.getCapabilities && tr.getCapabilities()) || {};
      return { torch: !!c.torch, zoom: !!(c.zoom && c.zoom.max > c.zoom.min) };
    });
    assert.deepEqual(caps, { torch: false, zoom: false }, 'precondition: the track offers neither torch nor zoom');
    assert.equal(await w.tid('torch').count(), 0, 'no torch button');
    assert.equal(await w.tid('zoom').count(), 0, 'no zoom control');
    assert.deepEqual(await page.evaluate(() => window.__applied ?? []), []);
  });
});

test('camera in use (NotReadableError): its own message, code camera_in_use, fallbacks shown', T, async (t) => {
  const w = await open('in-use', t, [stubGumReject, 'NotReadableError']);
  const { page } = w;
  await guarded(w, async () => {
    await w.tid('scan-button').click();
    await assertCameraError(w, 'camera_in_use', /use|busy|another/i);
    await w.shot('shown');
    await w.tid('retry-camera').waitFor({ state: 'visible', timeout: 10_000 });
  });
});

test('no camera (NotFoundError, or no mediaDevices at all): code no_camera', T, async (t) => {
  for (const [variant, stub] of [
    ['not-found', [stubGumReject, 'NotFoundError']],
    ['no-media-devices', stubNoMediaDevices],
  ]) {
    const w = await open(`no-camera-${variant}`, t, stub);
    const { page } = w;
    await guarded(w, async () => {
      await w.tid('scan-button').click();
      await assertCameraError(w, 'no_camera', /camera/i);
      await w.shot('shown');
      assert.equal(await w.tid('retry-camera').count(), 0, 'no "try again" for a missing camera');
    });
  }
});

test('insecure context: code insecure_context, the camera is never asked', T, async (t) => {
  const w = await open('insecure', t, stubInsecure);
  const { page } = w;
  await guarded(w, async () => {
    assert.equal(await page.evaluate(() => window.isSecureContext), false, 'precondition: stub active');
    await w.tid('scan-button').click();
    await assertCameraError(w, 'insecure_context', /secure|https/i);
    await w.shot('shown');
    assert.equal(await page.evaluate(() => window.__gumCalls), 0, 'getUserMedia is not called');
    assert.equal(await w.tid('retry-camera').count(), 0, 'no "try again" on an insecure page');
  });
});

test('picture fallback: a photo of a dynamic EMVCo code opens the confirm sheet; a photo without a code says so', T, async (t) => {
  const png = dynamicCodePng();
  // Camera denied: the shopper falls back to a picture.
  const w = await open('picture', t, [stubGumReject, 'NotAllowedError']);
  const { page } = w;
  await guarded(w, async () => {
    await w.tid('scan-button').click();
    await assertCameraError(w, 'camera_denied', /camera/i);

    // A picture without a code: a notice, the fallback stays usable.
    await choosePicture(w, { name: 'nothing.png', mimeType: 'image/png', buffer: plainPng() });
    const notice = w.tid('notice');
    await notice.waitFor({ state: 'visible', timeout: 15_000 });
    await w.shot('1-no-code');
    const said = (await notice.innerText()).trim();
    assert.match(said, /code/i, `the notice says no code was found: ${JSON.stringify(said)}`);
    assert.equal(await w.tid('confirm-sheet').count(), 0, 'no confirm sheet for a picture without a code');
    assert.equal((await w.events('interpay:scanned')).length, 0, 'nothing scanned');
    await w.assertNotBlank();

    // The code's picture: the confirm sheet of that payment.
    await choosePicture(w, png);
    await w.tid('confirm-sheet').waitFor({ state: 'visible', timeout: 15_000 });
    await w.shot('2-confirm');
    assert.match((await w.tid('payee-name').first().innerText()).trim(), /BEST TRANSPORT/);
    const scanned = await w.waitEvent('interpay:scanned');
    assert.equal(scanned.detail.text, DYNAMIC_UNIONPAY, 'the whole payload was read from the picture');
    assert.deepEqual(w.pageErrors, []);
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
    const w = await open('paste', t, [stubClipboard, b64]);
    const { page } = w;
    await guarded(w, async () => {
      await w.tid('scan-button').click();
      await w.tid('camera-error').waitFor({ state: 'visible', timeout: 15_000 });
      await w.tid('paste-image').click();
      await w.tid('confirm-sheet').waitFor({ state: 'visible', timeout: 15_000 });
      assert.match((await w.tid('payee-name').first().innerText()).trim(), /BEST TRANSPORT/);
      assert.equal((await w.waitEvent('interpay:scanned')).detail.text, DYNAMIC_UNIONPAY);
    });
  }
  {
    const w = await open('paste-refused', t, [stubClipboard, null]);
    const { page } = w;
    await guarded(w, async () => {
      await w.tid('scan-button').click();
      await w.tid('camera-error').waitFor({ state: 'visible', timeout: 15_000 });
      await w.tid('paste-image').click();
      const notice = w.tid('notice');
      await notice.waitFor({ state: 'visible', timeout: 10_000 });
      assert.ok((await notice.innerText()).trim().length >= 10, 'the notice is a sentence');
      assert.equal(await w.tid('confirm-sheet').count(), 0);
      await w.tid('scan-picture').waitFor({ state: 'visible', timeout: 10_000 });
      await w.assertNotBlank();
    });
  }
});

test('two back lenses: the plain one is opened, not the ultra-wide; switch-camera moves between them', T, async (t) => {
  const w = await open('switch', t, stubTwoLenses);
  const { page } = w;
  await guarded(w, async () => {
    const exactIds = () => page.evaluate(() => window.__gum.map((c) => c?.video?.deviceId?.exact ?? null));
    await w.tid('scan-button').click();
    const sw = w.tid('switch-camera');
    await sw.waitFor({ state: 'visible', timeout: 15_000 });
    await w.shot('1-open');
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
    assert.equal((await w.events('interpay:error')).length, 0, 'no error event');
  });
});
