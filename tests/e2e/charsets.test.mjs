// Legacy charsets in the browser: the shipped decoder worker turns GBK, Shift_JIS, Big5, EUC-KR, ISO-8859-2,
// windows-1251, UTF-16BE and GB18030 payloads into the same text as the native decoder.
//
// The reader wasm carries no charset tables: in the browser, `decode::charset` is the browser's own
// TextDecoder (the WHATWG Encoding Standard, which encoding_rs implements natively). Each case is a QR code made
// by `interpay encode --hex … [--eci N]` (raw bytes in byte mode), read natively by `interpay decode`, then
// posted as RGBA to the hashed decoder worker the launcher names, in headless Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, DIST, launchBrowser, newContext, startServer, tmp } from './lib/driver.mjs';

// [name, bytes (hex, from Python's codecs), ECI designator or null (charset guessed), the text]
const CASES = [
  ['gbk-guessed', 'b1b1bea9cad0b3afd1f4c7f8', null, '北京市朝阳区'],
  ['shift-jis-guessed', '93fa967b8cea8365834c83588367', null, '日本語テキスト'],
  ['big5-eci28', 'a4a4b5d8a5c1b0ea', 28, '中華民國'],
  ['euc-kr-eci30', 'c7d1b1b9beee', 30, '한국어'],
  ['iso-8859-2-eci4', 'a3f364bc', 4, 'Łódź'],
  ['windows-1251-eci22', 'cff0e8e2e5f2', 22, 'Привет'],
  ['utf-16be-eci25', '004100e94e2d', 25, 'Aé中'],
  ['gb18030-eci29', 'cad5bfeeb7bda3ba95328236', 29, '收款方：𠀀'],
];

/** The shipped assets, as the build's manifest names them (the launcher itself is minified). */
function assets() {
  return JSON.parse(readFileSync(path.join(DIST, 'manifest.json'), 'utf8')).assets;
}

test('legacy charsets: the shipped decoder worker reads the same text as the native decoder', { timeout: 120_000 }, async () => {
  const pngs = CASES.map(([name, hex, eci, want]) => {
    const png = tmp(`charset-${name}.png`);
    execFileSync(BIN.interpay, ['encode', '--hex', hex, ...(eci == null ? [] : ['--eci', String(eci)]), '--png', png, '--scale', '6']);
    const native = JSON.parse(execFileSync(BIN.interpay, ['decode', '--json', png], { encoding: 'utf8' }));
    assert.equal(native.codes[0]?.text, want, `${name}: native decoder`);
    return readFileSync(png).toString('base64');
  });

  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const page = await (await newContext(browser, { camera: false })).newPage();
    await page.goto(server.url);
    const worker = `/interpay/${assets().worker.path}`;
    const texts = await page.evaluate(async ({ worker, pngs }) => {
      const w = new Worker(worker, { type: 'module' });
      let id = 0;
      const read = (rgba, width, height) =>
        new Promise((resolve) => {
          const mine = ++id;
          const onMessage = (e) => {
            if (e.data.id !== mine) return;
            w.removeEventListener('message', onMessage);
            resolve(e.data.error ? `error: ${e.data.error}` : JSON.parse(e.data.codes).codes.map((c) => c.text));
          };
          w.addEventListener('message', onMessage);
          w.postMessage({ id: mine, width, height, data: rgba.buffer }, [rgba.buffer]);
        });
      const out = [];
      for (const b64 of pngs) {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const ctx = canvas.getContext('2d');
        ctx.drawImage(bitmap, 0, 0);
        const { data, width, height } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
        out.push(await read(new Uint8Array(data.buffer), width, height));
      }
      w.terminate();
      return out;
    }, { worker, pngs });
    CASES.forEach(([name, , , want], i) => assert.deepEqual(texts[i], [want], `${name}: in the browser's decoder worker`));
  } finally {
    await browser.close();
    await server.stop();
  }
});
