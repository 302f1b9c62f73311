// Load benchmark (issue 12): what a shopper on a slow phone waits for, in headless Chromium with the CPU slowed
// 4× and a 1.6 Mbps / 150 ms link emulated through the DevTools protocol (cold cache):
//   - navigation → launch button usable, and → checkout UI mounted;
//   - tap → camera preview playing (tapping the moment the button is usable, and again once the UI is mounted);
//   - code in view → confirmation sheet;
//   - the bytes of every file the page and its decoder worker downloaded (as sent on the wire);
// beside the download size of two peer scanner libraries (zxing-wasm's reader, html5-qrcode).
//
//   node bench/load/run.mjs [--runs 3] [--dist DIR]      (./dev bench-load runs it after a release build)
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import path from 'node:path';
import { startServer, launchBrowser, newContext, fakeCamera, ROOT, DIST, DYNAMIC_UNIONPAY } from '../../tests/e2e/lib/driver.mjs';

const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const RUNS = Number(arg('runs', '3'));
const LINK = { latency: 150, downloadThroughput: (1.6e6 / 8), uploadThroughput: (0.75e6 / 8) };
const CPU = 4;

async function throttle(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, ...LINK });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU });
  const bytes = new Map();
  const urls = new Map();
  cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
  cdp.on('Network.loadingFinished', (e) => {
    const u = urls.get(e.requestId);
    if (u) bytes.set(u, (bytes.get(u) || 0) + e.encodedDataLength);
  });
  return { cdp, bytes };
}

const inShadow = (sel) => `document.querySelector('interpay-checkout')?.shadowRoot?.querySelector('${sel}')`;

async function once(browser, server, { tapEarly }) {
  const context = await newContext(browser);
  const page = await context.newPage();
  const { bytes } = await throttle(page);
  const t0 = Date.now();
  await page.goto(`${server.origin}/`, { waitUntil: 'commit' });
  const usable = `(${inShadow('[data-testid="launch-placeholder"]')} && !${inShadow('[data-testid="launch-placeholder"]')}.disabled) || ${inShadow('[data-testid="scan-button"]')}`;
  await page.waitForFunction(usable, null, { timeout: 60_000, polling: 20 });
  const buttonMs = Date.now() - t0;
  if (!tapEarly) await page.waitForFunction(`!!${inShadow('[data-testid="scan-button"]')}`, null, { timeout: 60_000, polling: 20 });
  const uiMs = tapEarly ? null : Date.now() - t0;
  const tap = Date.now();
  await page.evaluate(`(${inShadow('[data-testid="scan-button"]')} || ${inShadow('[data-testid="launch-placeholder"]')}).click()`);
  await page.waitForFunction(`(() => { const v = ${inShadow('video')}; return v && v.readyState >= 2 && v.videoWidth > 0 && !v.paused; })()`, null, { timeout: 60_000, polling: 20 });
  const previewMs = Date.now() - tap;
  const preview = Date.now();
  await page.waitForFunction(`!!${inShadow('[data-testid="confirm-sheet"]')} && ${inShadow('[data-testid="confirm-sheet"]')}.offsetParent !== null`, null, { timeout: 60_000, polling: 20 });
  const sheetMs = Date.now() - preview;
  await context.close();
  return { buttonMs, uiMs, previewMs, sheetMs, bytes };
}

function median(xs) {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : null;
}

function peerSizes() {
  // The peers' npm packages, installed by bench/browser (zxing-wasm) and bench/load (html5-qrcode).
  const out = [];
  const sizeOf = (files) => files.reduce((a, f) => {
    const b = readFileSync(f);
    return { raw: a.raw + b.length, gzip: a.gzip + gzipSync(b, { level: 9 }).length, br: a.br + brotliCompressSync(b).length };
  }, { raw: 0, gzip: 0, br: 0 });
  const zx = path.join(ROOT, 'bench/browser/node_modules/zxing-wasm/dist/reader');
  if (existsSync(zx)) {
    const files = readdirSync(zx).filter((f) => /\.(js|wasm)$/.test(f) && !/\.d\.ts$/.test(f)).map((f) => path.join(zx, f));
    out.push({ name: 'zxing-wasm reader (dist/reader, js + wasm)', ...sizeOf(files) });
  }
  const h5 = path.join(ROOT, 'bench/load/node_modules/html5-qrcode/html5-qrcode.min.js');
  if (existsSync(h5)) out.push({ name: 'html5-qrcode (html5-qrcode.min.js)', ...sizeOf([h5]) });
  return out;
}

const kb = (n) => (n / 1024).toFixed(1);
const server = await startServer();
const browser = await launchBrowser({ camera: fakeCamera(DYNAMIC_UNIONPAY, 'bench-load') });
try {
  const early = [];
  const late = [];
  for (let i = 0; i < RUNS; i++) {
    early.push(await once(browser, server, { tapEarly: true }));
    late.push(await once(browser, server, { tapEarly: false }));
  }
  const m = (list, k) => median(list.map((r) => r[k]));
  console.log(`\nInterpay load, headless Chromium, CPU ×${CPU} slower, ${LINK.downloadThroughput * 8 / 1e6} Mbps down / ${LINK.latency} ms, cold cache, median of ${RUNS} (${new Date().toISOString().slice(0, 10)})`);
  console.log('| step | tap at once | tap once the UI is up | goal |');
  console.log('|---|---|---|---|');
  console.log(`| navigation → launch button usable | ${m(early, 'buttonMs')} ms | ${m(late, 'buttonMs')} ms | ≤ 1500 ms |`);
  console.log(`| navigation → checkout UI mounted | — | ${m(late, 'uiMs')} ms | |`);
  console.log(`| tap → camera preview | ${m(early, 'previewMs')} ms | ${m(late, 'previewMs')} ms | ≤ 1000 ms |`);
  console.log(`| code in view → confirmation sheet | ${m(early, 'sheetMs')} ms | ${m(late, 'sheetMs')} ms | ≤ 300 ms |`);
  const bytes = early[early.length - 1].bytes;
  console.log('\n| file (on the wire) | bytes |');
  console.log('|---|---|');
  let total = 0;
  for (const [u, b] of [...bytes.entries()].sort((a, b) => b[1] - a[1])) {
    total += b;
    console.log(`| ${new URL(u).pathname} | ${b} (${kb(b)} KB) |`);
  }
  console.log(`| total | ${total} (${kb(total)} KB) |`);
  const peers = peerSizes();
  if (peers.length) {
    console.log('\n| peer scanner library | raw | gzip | brotli |');
    console.log('|---|---|---|---|');
    for (const p of peers) console.log(`| ${p.name} | ${kb(p.raw)} KB | ${kb(p.gzip)} KB | ${kb(p.br)} KB |`);
  }
  const manifest = JSON.parse(readFileSync(path.join(DIST, 'manifest.json'), 'utf8'));
  console.log(`\nInterpay (manifest, gzip): before the button ${kb(manifest.first_load_gzip)} KB, once scanning ${kb(manifest.scanning_gzip)} KB`);
} finally {
  await browser.close();
  await server.stop();
}
