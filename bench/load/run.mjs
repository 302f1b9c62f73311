// Load benchmark (issue 12): what a shopper on a slow phone waits for, in headless Chromium with the CPU slowed
// 4× and a 1.6 Mbps / 150 ms link emulated through the DevTools protocol (cold cache):
//   - navigation → launch button usable, and → checkout UI mounted;
//   - tap → camera preview playing (tapping the moment the button is usable, and again once the UI is mounted;
//     a tap before the UI module is shown by the launcher's own camera view);
//   - code in view → confirmation sheet: from the camera video's `playing` event (the first camera view on
//     screen, the launcher's after an early tap) to the end of the first frame the browser draws with the
//     sheet (the compositor commit after the sheet entered the page, from a DevTools trace): what the shopper
//     sees, not when a poll happens to notice; and tap → sheet in all;
//   - the bytes of every file the page and its decoder worker downloaded (as sent on the wire);
// beside the download size of two peer scanner libraries (zxing-wasm's reader, html5-qrcode).
//
//   [INTERPAY_DIST=DIR] node bench/load/run.mjs [--runs 3] [--only early,late,settled]
//   (./dev bench-load runs it after a release build)
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
  // Cold: every run is a new browser context, with an empty HTTP cache. (Not `setCacheDisabled`: the page
  // fetches the worker's files into its cache for the worker, as a browser does.)
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

// Page-side probes (functions, not strings: the demo's CSP forbids eval).
const probe = {
  usable: () => {
    const r = document.querySelector('interpay-checkout')?.shadowRoot;
    const ph = r?.querySelector('[data-testid="launch-placeholder"]');
    return !!((ph && !ph.disabled) || r?.querySelector('[data-testid="scan-button"]'));
  },
  mounted: () => !!document.querySelector('interpay-checkout')?.shadowRoot?.querySelector('[data-testid="scan-button"]'),
  tap: () => {
    const r = document.querySelector('interpay-checkout').shadowRoot;
    (r.querySelector('[data-testid="scan-button"]') || r.querySelector('[data-testid="launch-placeholder"]')).click();
  },
  preview: () => {
    const v = document.querySelector('interpay-checkout')?.shadowRoot?.querySelector('video');
    return !!(v && v.readyState >= 2 && v.videoWidth > 0 && !v.paused);
  },
  sheet: () => {
    const s = document.querySelector('interpay-checkout')?.shadowRoot?.querySelector('[data-testid="confirm-sheet"]');
    return !!(s && s.offsetParent !== null);
  },
};

// Page-side marks (in the trace's clock): the camera video playing, and the sheet entering the page.
function sheetMarks() {
  const watch = () => {
    const root = document.querySelector('interpay-checkout')?.shadowRoot;
    if (!root) return setTimeout(watch, 5);
    let playing = false;
    let inserted = false;
    new MutationObserver(() => {
      const v = root.querySelector('video');
      if (v && !playing) {
        playing = true;
        v.addEventListener('playing', () => performance.mark('interpay-bench-playing'), { once: true });
      }
      if (!inserted && root.querySelector('[data-testid="confirm-sheet"]')) {
        inserted = true;
        performance.mark('interpay-bench-sheet');
      }
    }).observe(root, { childList: true, subtree: true });
  };
  watch();
}

// The first frame committed after the sheet entered the page, in ms after the video started playing.
function sheetFrame(events) {
  const mark = (name) => events.find((e) => e.name === name && e.cat.includes('user_timing'));
  const playing = mark('interpay-bench-playing');
  const sheet = mark('interpay-bench-sheet');
  if (!playing || !sheet) return null;
  const commit = events
    .filter((e) => e.name === 'Commit' && e.pid === sheet.pid && e.tid === sheet.tid && e.ts >= sheet.ts)
    .sort((a, b) => a.ts - b.ts)[0];
  return commit ? Math.round((commit.ts + (commit.dur || 0) - playing.ts) / 1000) : null;
}

async function once(browser, server, { tapEarly, settleMs = 0 }) {
  const context = await newContext(browser);
  await context.addInitScript(sheetMarks);
  const page = await context.newPage();
  const { bytes, cdp } = await throttle(page);
  const wait = (fn) => page.waitForFunction(fn, null, { timeout: 90_000, polling: 20 });
  const t0 = Date.now();
  await page.goto(`${server.origin}/`, { waitUntil: 'commit' });
  await wait(probe.usable);
  const buttonMs = Date.now() - t0;
  if (!tapEarly) await wait(probe.mounted);
  const uiMs = tapEarly ? null : Date.now() - t0;
  // A shopper who reads the page first: the decoder worker has warmed up while the page was idle.
  if (settleMs) await page.waitForTimeout(settleMs);
  const trace = [];
  cdp.on('Tracing.dataCollected', (e) => trace.push(...e.value));
  const traced = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,blink.user_timing', transferMode: 'ReportEvents' });
  const tap = Date.now();
  await page.evaluate(probe.tap);
  await wait(probe.preview);
  const previewMs = Date.now() - tap;
  const preview = Date.now();
  await wait(probe.sheet);
  const polledMs = Date.now() - preview;
  // What the shopper waits for in all: from the tap to the sheet (the code is in view from the first frame).
  const tapSheetMs = Date.now() - tap;
  await page.waitForTimeout(500);
  await cdp.send('Tracing.end');
  await traced;
  const sheetMs = sheetFrame(trace) ?? polledMs;
  await context.close();
  return { buttonMs, uiMs, previewMs, sheetMs, polledMs, tapSheetMs, bytes };
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
  const settled = [];
  // `--only early,late,settled`: some of the three columns (the others print —).
  const only = arg('only', 'early,late,settled').split(',');
  for (let i = 0; i < RUNS; i++) {
    if (only.includes('early')) early.push(await once(browser, server, { tapEarly: true }));
    if (only.includes('late')) late.push(await once(browser, server, { tapEarly: false }));
    if (only.includes('settled')) settled.push(await once(browser, server, { tapEarly: false, settleMs: 6000 }));
  }
  const m = (list, k) => median(list.map((r) => r[k]));
  console.log(`\nInterpay load, headless Chromium, CPU ×${CPU} slower, ${LINK.downloadThroughput * 8 / 1e6} Mbps down / ${LINK.latency} ms, cold cache, median of ${RUNS} (${new Date().toISOString().slice(0, 10)})`);
  console.log('| step | tap at once | tap once the UI is up | tap 6 s after the UI is up | goal |');
  console.log('|---|---|---|---|---|');
  const row = (label, k, goal) => console.log(`| ${label} | ${m(early, k) ?? '—'} ms | ${m(late, k) ?? '—'} ms | ${m(settled, k) ?? '—'} ms | ${goal} |`);
  row('navigation → launch button usable', 'buttonMs', '≤ 1500 ms');
  row('navigation → checkout UI mounted', 'uiMs', '');
  row('tap → camera preview', 'previewMs', '≤ 1000 ms');
  row('code in view → confirmation sheet (first frame drawn with it)', 'sheetMs', '≤ 300 ms');
  row('… and until a 20 ms poll of the page sees it', 'polledMs', '');
  row('tap → confirmation sheet (20 ms poll)', 'tapSheetMs', '');
  const bytes = [...early, ...late, ...settled][0].bytes;
  console.log('\n| file (on the wire) | bytes |');
  console.log('|---|---|');
  let total = 0;
  for (const [u, b] of [...bytes.entries()].sort((a, b) => b[1] - a[1])) {
    total += b;
    console.log(`| ${new URL(u).pathname} | ${b} (${kb(b)} KB) |`);
  }
  console.log(`| total seen by the page | ${total} (${kb(total)} KB) |`);
  // The decoder worker's own requests are not reported to the page's DevTools session: its files, as the
  // server sends them to a browser that accepts brotli, from the build's manifest — those the page has not
  // fetched for it already (the launcher fetches them into the HTTP cache, where the worker finds them).
  const man = JSON.parse(readFileSync(path.join(DIST, 'manifest.json'), 'utf8'));
  const seen = new Set([...bytes.keys()].map((u) => new URL(u).pathname.replace(/^\/interpay\//, '')));
  let worker = 0;
  // Chromium has wasm SIMD: the worker loads the SIMD build of the reader where the build has one.
  const readerKeys = man.assets.readerSimd ? ['readerSimd', 'readerSimdWasm'] : ['reader', 'readerWasm'];
  for (const key of ['worker', ...readerKeys]) {
    const f = man.sizes.find((x) => x.path === man.assets[key].path);
    if (seen.has(f.path)) continue;
    worker += f.brotli;
    console.log(`| /interpay/${f.path} (in the worker; brotli size from the manifest) | ${f.brotli} (${kb(f.brotli)} KB) |`);
  }
  console.log(`| total with the worker's | ${total + worker} (${kb(total + worker)} KB) |`);
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
