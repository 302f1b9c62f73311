// The reader module ships twice (issue 9): with wasm SIMD (simd128) and plain, same exports, same output. The
// decoder worker picks the SIMD one where `WebAssembly.validate` accepts a SIMD instruction, else the plain one;
// `?reader=plain` on the worker's URL forces the plain one. In Chromium (which has SIMD):
// - the worker as shipped downloads the SIMD reader only, and reads a payment code;
// - with `?reader=plain` it downloads the plain reader only, and reads the same code the same way;
// - where the engine says no to SIMD (`WebAssembly.validate` answering false, as an engine without SIMD
//   does for the probe), the worker script — here imported on the main thread, as the launcher's fallback
//   does — picks the plain reader and reads the code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, newContext, qrPng, tmp, DIST, DYNAMIC_UNIONPAY } from './lib/driver.mjs';

const T = { timeout: 90_000 };
const SIMD_WASM = /\/interpay-reader-simd\.[0-9a-f]{10}\.wasm$/;
const PLAIN_WASM = /\/interpay-reader\.[0-9a-f]{10}\.wasm$/;

/** A 640×480 RGBA frame (white, the code drawn 4 px a module in the middle), built in the page from the PNG. */
const FRAME_IN_PAGE = `async (b64) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
  const c = new OffscreenCanvas(640, 480);
  const ctx = c.getContext('2d', { willReadFrequently: true });
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, 640, 480);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(bmp, (640 - bmp.width * 4) / 2, (480 - bmp.height * 4) / 2, bmp.width * 4, bmp.height * 4);
  return ctx.getImageData(0, 0, 640, 480);
}`;

async function withPage(fn) {
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const page = await (await newContext(browser, { camera: false })).newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    // A blank page of the widget's origin (the demo page itself starts the widget, and with it a worker).
    await page.route(`${server.origin}/blank.html`, (r) => r.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>blank</title>' }));
    await page.goto(`${server.origin}/blank.html`);
    const png = readFileSync(qrPng(DYNAMIC_UNIONPAY, tmp('simd-code.png'))).toString('base64');
    const worker = `/interpay/${JSON.parse(readFileSync(path.join(DIST, 'manifest.json'), 'utf8')).assets.worker.path}`;
    await fn({ page, requests, png, worker });
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
  }
}

/** One frame through a decoder worker started from `url`: its reply. */
function readInWorker(page, url, png) {
  return page.evaluate(
    async ({ url, png, frame }) => {
      const img = await eval(frame)(png);
      const w = new Worker(url, { type: 'module' });
      const reply = await new Promise((resolve, reject) => {
        w.onmessage = (e) => resolve(e.data);
        w.onerror = (e) => reject(new Error(e.message || 'worker error'));
        w.postMessage({ id: 1, width: img.width, height: img.height, data: img.data.buffer }, [img.data.buffer]);
      });
      w.terminate();
      return reply;
    },
    { url, png, frame: FRAME_IN_PAGE },
  );
}

function theCode(json) {
  const read = JSON.parse(json);
  assert.equal(read.codes.length, 1, `one code read: ${json}`);
  assert.equal(read.codes[0].text, DYNAMIC_UNIONPAY);
  assert.ok(read.codes[0].payment, `read as a payment: ${json}`);
  return read.codes[0];
}

test('in Chromium the decoder worker loads the SIMD reader, and with ?reader=plain the plain one; both read the code alike', T, async () => {
  await withPage(async ({ page, requests, png, worker }) => {
    const simd = await readInWorker(page, worker, png);
    assert.equal(simd.error, null);
    assert.equal(simd.reader, 'simd', 'Chromium has wasm SIMD: the SIMD reader is used');
    const fast = theCode(simd.codes);
    assert.ok(requests.some((u) => SIMD_WASM.test(u)), `the SIMD reader was downloaded: ${requests.join(' ')}`);
    assert.ok(!requests.some((u) => PLAIN_WASM.test(u)), 'the plain reader was not downloaded');

    requests.length = 0;
    const plain = await readInWorker(page, `${worker}?reader=plain`, png);
    assert.equal(plain.error, null);
    assert.equal(plain.reader, 'plain');
    assert.deepEqual(theCode(plain.codes), fast, 'the same reading, corners included');
    assert.ok(requests.some((u) => PLAIN_WASM.test(u)), `the plain reader was downloaded: ${requests.join(' ')}`);
    assert.ok(!requests.some((u) => SIMD_WASM.test(u)), 'the SIMD reader was not downloaded');
  });
});

test('where the engine rejects the SIMD probe, the worker script picks the plain reader and reads the code', T, async () => {
  await withPage(async ({ page, requests, png, worker }) => {
    const got = await page.evaluate(
      async ({ url, png, frame }) => {
        const img = await eval(frame)(png);
        const validate = WebAssembly.validate;
        // An engine without SIMD: every module with a SIMD instruction fails validation.
        WebAssembly.validate = (bytes) => !new Uint8Array(bytes).includes(0xfd) && validate(bytes);
        const m = await import(url);
        return { kind: m.readerKind, codes: await m.readFrame(img.data.buffer, img.width, img.height) };
      },
      { url: worker, png, frame: FRAME_IN_PAGE },
    );
    assert.equal(got.kind, 'plain');
    theCode(got.codes);
    assert.ok(requests.some((u) => PLAIN_WASM.test(u)), `the plain reader was downloaded: ${requests.join(' ')}`);
    assert.ok(!requests.some((u) => SIMD_WASM.test(u)), 'the SIMD reader was not downloaded');
  });
});
