// Where the time goes between a code in view and the confirmation sheet: one scan on the demo page (CPU ×4, the
// worker warmed up), a DevTools trace of the main thread between two marks (FROM / TO: playing, post, recv,
// inserted, frame, painted; default recv → painted), the marks in ms after the video started playing, and each
// Layout / Paint / Commit / event on the way.   node bench/load/sheet-trace.mjs   (after cargo xtask build)
import { startServer, launchBrowser, newContext, fakeCamera, DYNAMIC_UNIONPAY } from '../../tests/e2e/lib/driver.mjs';
const server = await startServer();
const browser = await launchBrowser({ camera: fakeCamera(DYNAMIC_UNIONPAY, 'bench-load') });
const context = await newContext(browser);
await context.addInitScript(() => {
  window.__t = [];
  const mark = (s) => { window.__t.push([s, performance.now()]); performance.mark(s); };
  window.__mark = mark;
  const W = window.Worker;
  window.Worker = function (...a) {
    const w = new W(...a);
    const pm = w.postMessage.bind(w);
    w.postMessage = (m, t) => { mark('post'); return pm(m, t); };
    w.addEventListener('message', () => mark('recv'));
    return w;
  };
  window.Worker.prototype = W.prototype;
  const watch = () => {
    const el = document.querySelector('interpay-checkout');
    if (!el || !el.shadowRoot) return setTimeout(watch, 5);
    const root = el.shadowRoot;
    new MutationObserver(() => {
      if (!window.__ins && root.querySelector('[data-testid="confirm-sheet"]')) {
        window.__ins = 1; mark('inserted');
        requestAnimationFrame(() => { mark('frame'); setTimeout(() => mark('painted'), 0); });
      }
      const v = root.querySelector('video');
      if (v && !window.__vw) { window.__vw = 1; v.addEventListener('playing', () => mark('playing')); }
    }).observe(root, { childList: true, subtree: true });
  };
  watch();
});
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(process.env.CPU || 4) });
await page.goto(`${server.origin}/`);
await page.waitForFunction(() => !!document.querySelector('interpay-checkout')?.shadowRoot?.querySelector('[data-testid="scan-button"]'), null, { polling: 20 });
await page.waitForTimeout(6000);
const events = []; cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
const traceDone = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
await cdp.send('Tracing.start', { categories: 'devtools.timeline,blink.user_timing,v8.execute,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
await page.evaluate(() => { window.__mark('tap'); document.querySelector('interpay-checkout').shadowRoot.querySelector('[data-testid="scan-button"]').click(); });
await page.waitForFunction(() => window.__t.some((x) => x[0] === 'painted'), null, { polling: 50, timeout: 30000 });
await page.waitForTimeout(300);
await cdp.send('Tracing.end'); await traceDone;
const t = Object.fromEntries((await page.evaluate(() => window.__t)).map(([k, v]) => [k, v]));
const marks = Object.fromEntries(events.filter((e) => e.cat.includes('user_timing') && e.ph !== 'e').map((e) => [e.name, e.ts]));
const names = new Map(); for (const e of events) if (e.name === 'thread_name') names.set(e.pid + ':' + e.tid, e.args.name);
const main = [...names].filter(([, v]) => v === 'CrRendererMain').map(([k]) => k);
const from = marks[process.env.FROM || 'recv'], to = marks[process.env.TO || 'painted'];
const agg = new Map();
for (const e of events) {
  if (!main.includes(e.pid + ':' + e.tid) || e.ph !== 'X' || e.ts < from || e.ts > to) continue;
  const k = e.name + (e.args?.data?.type ? ' ' + e.args.data.type : '') + (e.args?.data?.functionName ? ' ' + e.args.data.functionName : '');
  agg.set(k, (agg.get(k) || 0) + (e.dur || 0) / 1000);
}
console.log([...agg].sort((a, b) => b[1] - a[1]).slice(0, 22).map(([k, v]) => v.toFixed(1).padStart(8) + ' ' + k).join('\n'));
const mainEv = events.filter((e) => main.includes(e.pid + ':' + e.tid) && e.ph === 'X' && e.ts >= marks.recv && e.ts <= marks.painted + 1e5);
for (const e of mainEv) if (['Layout', 'Paint', 'Commit', 'UpdateLayoutTree', 'EventDispatch', 'TimerFire', 'FireAnimationFrame'].includes(e.name))
  console.log(((e.ts - marks.playing) / 1000).toFixed(0).padStart(6), ((e.dur || 0) / 1000).toFixed(1).padStart(7), e.name, e.name === 'Layout' ? JSON.stringify(e.args?.beginData ?? {}).slice(0, 160) : (e.args?.data?.type || ''));
const p0 = t.playing ?? t.tap;
console.log(Object.entries(t).map(([k, v]) => `${k} ${Math.round(v - p0)}`).join(' | '));
await browser.close(); process.exit(0);
