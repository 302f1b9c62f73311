// Browser half of bench/run: serves this page, the built widget wasm (dist/pkg) and the
// 1280x720 frames, runs the three decoders in one headless Chromium page, writes JSON.
//   node bench/browser/run.mjs --frames DIR [--pkg DIR] [--json OUT] [--reps N] [--camera DIR --camera-json OUT] [--reader plain]
// Interpay's reader: the SIMD build where Chromium validates SIMD (as the decoder worker picks it), or with
// --reader plain (BENCH_READER=plain bench/run --browser) the plain build.
// --camera: also the camera frames (DIR/manifest.json from `cargo bench --bench camera_frames -- --write DIR`),
// per category, Interpay wasm vs zxing-wasm in the same page.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveBench } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (k, d) => { const i = process.argv.indexOf(k); return i > 0 ? process.argv[i + 1] : d; };
const framesDir = resolve(arg('--frames', ''));
const pkgDir = resolve(arg('--pkg', join(here, '../../dist/pkg')));
const out = arg('--json');
const reps = Number(arg('--reps', '2'));
const cameraDir = arg('--camera') ? resolve(arg('--camera')) : null;
const cameraOut = arg('--camera-json');
const readerQuery = arg('--reader') === 'plain' ? '?reader=plain' : '';
if (!existsSync(join(pkgDir, 'interpay_reader.js'))) {
  console.error(`bench/browser: ${pkgDir}/interpay_reader.js not found: build the widget first (cargo xtask build)`);
  process.exit(2);
}
const pngs = framesDir === resolve('') ? [] : (await readdir(framesDir)).filter((f) => f.endsWith('.png')).sort();
const list = [];
for (const png of pngs) list.push({ png, text: (await readFile(join(framesDir, png.replace(/\.png$/, '.txt')))).toString('utf8') });
const server = await serveBench({
  pkgDir,
  cameraDir,
  route: (url) => {
    if (url === '/frames/list.json') return { json: list };
    if (url.startsWith('/frames/')) return join(framesDir, url.slice(8));
    return undefined;
  },
});
const port = server.address().port;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.error('[page]', m.text()));
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto(`http://127.0.0.1:${port}/page.html${readerQuery}`);
  await page.waitForFunction(() => typeof window.runBench === 'function');
  if (list.length) {
    const result = await page.evaluate((n) => window.runBench(n), reps);
    const wasm = result['interpay (wasm)'], zx = result['zxing-wasm'];
    console.error(`interpay wasm / zxing-wasm time ratio: ${(wasm.ms / zx.ms).toFixed(2)}x`);
    const json = { decoders: Object.fromEntries(Object.entries(result).map(([k, v]) => [k, { sets: {}, frames: v }])) };
    if (out) await writeFile(out, JSON.stringify(json, null, 1));
    else console.log(JSON.stringify(json, null, 1));
  }
  if (cameraDir) {
    const cam = await page.evaluate((n) => window.runCamera(n), reps);
    const json = { decoders: Object.fromEntries(Object.entries(cam).map(([k, v]) => [k, { camera: v }])) };
    if (cameraOut) await writeFile(cameraOut, JSON.stringify(json, null, 1));
    else console.log(JSON.stringify(json, null, 1));
  }
} finally {
  await browser.close();
  server.close();
}
