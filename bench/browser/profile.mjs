// Where a camera frame's time goes in Interpay's wasm: decode_rgba on one category's frames in headless
// Chromium under the DevTools sampling profiler, self and total time per wasm function.
//   cargo xtask build --profiling --out /tmp/prof   (function names kept)
//   node bench/browser/profile.mjs --pkg /tmp/prof/pkg --camera DIR [--category empty] [--reps 10] [--reader plain] [--top 25]
// DIR: camera frames written by `cargo bench --bench camera_frames -- --write DIR` (bench/run writes them too).
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveBench } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (k, d) => { const i = process.argv.indexOf(k); return i > 0 ? process.argv[i + 1] : d; };
const pkgDir = resolve(arg('--pkg', join(here, '../../dist/pkg')));
const cameraDir = resolve(arg('--camera', ''));
const category = arg('--category', 'empty');
const reps = Number(arg('--reps', '10'));
const top = Number(arg('--top', '25'));
const query = arg('--reader') === 'plain' ? '?reader=plain' : '';
const server = await serveBench({ pkgDir, cameraDir });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.error('[page]', m.text()));
  await page.goto(`http://127.0.0.1:${server.address().port}/page.html${query}`);
  await page.waitForFunction(() => typeof window.profileSetup === 'function');
  const n = await page.evaluate((c) => window.profileSetup(c), category);
  await page.evaluate(() => window.profileRun(2)); // warm-up: wasm tier-up
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  const ms = await page.evaluate((r) => window.profileRun(r), reps);
  const { profile } = await cdp.send('Profiler.stop');
  // Self time from hit counts; total time: a node's hits count once for each distinct function on its stack.
  const byId = new Map(profile.nodes.map((nd) => [nd.id, nd]));
  const parent = new Map();
  for (const nd of profile.nodes) for (const c of nd.children || []) parent.set(c, nd.id);
  const self = new Map(), total = new Map();
  let hits = 0;
  for (const nd of profile.nodes) {
    const h = nd.hitCount || 0;
    if (!h) continue;
    const name = nd.callFrame.functionName || '(anonymous)';
    if (name === '(idle)' || name === '(program)' || name === '(garbage collector)') continue;
    hits += h;
    self.set(name, (self.get(name) || 0) + h);
    const seen = new Set();
    for (let id = nd.id; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id).callFrame.functionName || '(anonymous)';
      if (!seen.has(f)) { seen.add(f); total.set(f, (total.get(f) || 0) + h); }
    }
  }
  const pct = (h) => `${((100 * h) / hits).toFixed(1).padStart(5)}%`;
  console.log(`${category}: ${n} frames × ${reps}, ${ms.toFixed(2)} ms/frame (under the profiler), reader ${query ? 'plain' : 'SIMD where supported'}`);
  console.log(' self  total  function');
  for (const [f, h] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(h)} ${pct(total.get(f) || 0)}  ${f}`);
} finally {
  await browser.close();
  server.close();
}
