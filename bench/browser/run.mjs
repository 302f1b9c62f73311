// Browser half of bench/run: serves this page, the built widget wasm (dist/pkg) and the
// 1280x720 frames, runs the three decoders in one headless Chromium page, writes JSON.
//   node bench/browser/run.mjs --frames DIR [--pkg DIR] [--json OUT] [--reps N] [--camera DIR --camera-json OUT] [--reader plain]
// Interpay's reader: the SIMD build where Chromium validates SIMD (as the decoder worker picks it), or with
// --reader plain (BENCH_READER=plain bench/run --browser) the plain build.
// --camera: also the camera frames (DIR/manifest.json from `cargo bench --bench camera_frames -- --write DIR`),
// per category, Interpay wasm vs zxing-wasm in the same page.
import { createServer } from 'node:http';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, dirname, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

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
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.png': 'image/png', '.json': 'application/json' };
const server = createServer(async (req, res) => {
  const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let file;
  if (url === '/' || url === '/page.html') file = join(here, 'page.html');
  else if (url === '/frames/list.json') { res.writeHead(200, { 'content-type': 'application/json' }); return res.end(JSON.stringify(list)); }
  else if (url.startsWith('/frames/')) file = join(framesDir, url.slice(8));
  else if (cameraDir && url.startsWith('/camera/')) file = join(cameraDir, url.slice(8));
  else if (url.startsWith('/pkg/')) file = join(pkgDir, url.slice(5));
  else if (url.startsWith('/node_modules/')) file = join(here, url);
  if (!file || file.includes('..')) { res.writeHead(404); return res.end(); }
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream' });
    res.end(body);
  } catch { res.writeHead(404); res.end(); }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
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
