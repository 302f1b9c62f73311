// The one driver of the browser end-to-end tests (node:test + playwright-core + Chromium fake camera).
//
// - startServer(): the real sandbox-merchant binary on a free port, serving dist/ and www/.
// - fakeCamera(text, name): a QR code PNG made by `interpay encode`, turned into a Y4M video (`xtask y4m`)
//   that Chromium plays as the camera.
// - launchBrowser({ camera }) / newContext(browser, options): headless Chromium (system /usr/bin/chromium)
//   with a fake camera (a Y4M file, the default test pattern, or a denied permission), and a phone-sized context.
// - Widget: the page object of the demo page (or any page embedding the widget): recorders for interpay:*
//   events, CSP violations, console messages, page errors and camera tracks, and the checkout steps by test id
//   (docs/ARCHITECTURE.md, "Test ids").
// - withDemo() / withWidget(): per-test fixtures that always clean up and annotate a failure.

import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import path from 'node:path';
import os from 'node:os';
import readline from 'node:readline';
import http from 'node:http';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const TARGET = process.env.CARGO_TARGET_DIR ? path.resolve(process.env.CARGO_TARGET_DIR) : path.join(ROOT, 'target');
// The CLI and the server are the debug builds `cargo test --workspace` leaves in target/debug/ (./dev test runs
// it first; ./dev e2e builds them when missing), so the browser suite needs no second, release build of the
// server stack. INTERPAY_BIN_DIR points elsewhere (e.g. target/release). xtask is always the release build
// `cargo xtask` runs.
const BIN_DIR = process.env.INTERPAY_BIN_DIR ? path.resolve(process.env.INTERPAY_BIN_DIR) : path.join(TARGET, 'debug');
export const BIN = {
  interpay: path.join(BIN_DIR, 'interpay'),
  merchant: path.join(BIN_DIR, 'sandbox-merchant'),
  xtask: path.join(TARGET, 'release', 'xtask'),
};
export const DIST = process.env.INTERPAY_DIST ? path.resolve(process.env.INTERPAY_DIST) : path.join(ROOT, 'dist');
export const ARTIFACTS = path.join(ROOT, 'tests', 'e2e', 'artifacts');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// playwright-core lives project-locally in .tools/ (installed by ./dev), not in a node_modules up the tree.
const require = createRequire(path.join(ROOT, '.tools', 'package.json'));
export const { chromium } = require('playwright-core');

/** Public EMVCo MPM vector: dynamic UnionPay code, 23.72 CNY, payee "BEST TRANSPORT", BEIJING. */
export const DYNAMIC_UNIONPAY =
  '00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A';

/** Every event the widget dispatches (docs/ARCHITECTURE.md, "Events"). */
export const EVENTS = [
  'interpay:scanned',
  'interpay:order-created',
  'interpay:succeeded',
  'interpay:cancelled',
  'interpay:failed',
  'interpay:pending',
  'interpay:error',
];

/** The attribute the widget puts test ids in (docs/ARCHITECTURE.md, "Test ids"). */
export const TESTID_ATTR = 'data-testid';

/** Timeouts shared by the steps. */
export const SCAN_TIMEOUT = 30_000;
export const RESULT_TIMEOUT = 30_000;

for (const p of [BIN.interpay, BIN.merchant]) {
  if (!existsSync(p)) {
    throw new Error(`${p} is missing: build first (./dev test builds everything; or cargo build -p interpay -p sandbox-merchant)`);
  }
}
if (!existsSync(path.join(DIST, 'pkg'))) {
  throw new Error(`${DIST}/pkg is missing: run \`cargo xtask build\` first`);
}

let tmpRoot;
/** A per-run scratch directory. */
export function tmp(name) {
  if (!tmpRoot) {
    tmpRoot = path.join(os.tmpdir(), `interpay-e2e-${process.pid}`);
    mkdirSync(tmpRoot, { recursive: true });
  }
  return path.join(tmpRoot, name);
}

// -- server ------------------------------------------------------------------------------------------

let serverCount = 0;

/** A pass-through HTTP proxy in front of `origin` that counts the requests reaching it by path (what the
 * browser downloaded: HTTP cache hits never arrive here, page and worker requests alike) and can hold back
 * the paths matching `hold` until `release()`. Returns { origin, counts(), release(), close() }. */
export async function countingProxy(origin, { hold } = {}) {
  const counts = new Map();
  let release;
  const held = new Promise((r) => (release = r));
  const target = new URL(origin);
  const proxy = http.createServer(async (req, res) => {
    const p = new URL(req.url, 'http://x').pathname;
    counts.set(p, (counts.get(p) || 0) + 1);
    if (hold && hold.test(p)) await held;
    const up = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${proxy.address().port}`,
    counts: () => Object.fromEntries(counts),
    release: () => release(),
    close: () => new Promise((r) => { proxy.closeAllConnections?.(); proxy.close(r); }),
  };
}

/** Start the sandbox merchant on a free port. Returns { url, origin, stop, json, notify, mockUrl, log }.
 * `gateway: 'mock'` starts it with `--gateway mock` (the protocol-faithful mock WeChat Pay / Alipay
 * gateways in-process; `mockUrl` is their base URL) and keeps its request log (`log()`). */
export async function startServer({ www = path.join(ROOT, 'www'), gateway } = {}) {
  // Sandbox mode (the demo's), and a store of its own: every test server starts empty.
  serverCount += 1;
  const dataDir = tmp(`merchant-data-${serverCount}`);
  const args = ['--sandbox', '--data-dir', dataDir, '--port', '0', '--dist', DIST, '--www', www];
  args.push(...(gateway ? ['--gateway', gateway] : ['--quiet']));
  const proc = spawn(BIN.merchant, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  const rl = readline.createInterface({ input: proc.stdout });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox-merchant did not start: ${stderr}`)), 10_000);
    proc.once('exit', (code) => reject(new Error(`sandbox-merchant exited with ${code}: ${stderr}`)));
    rl.once('line', (line) => {
      clearTimeout(timer);
      const m = /listening on (http:\/\/\S+)/.exec(line);
      m ? resolve(m[1]) : reject(new Error(`unexpected first line from sandbox-merchant: ${line}`));
    });
  });
  const origin = new URL(url).origin;
  let mockUrl;
  if (gateway === 'mock') {
    // The server names its mock gateways on stderr right after the listening line.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const m = /mock gateways at (http:\/\/[^\s)]+)/.exec(stderr);
      if (m) {
        mockUrl = m[1];
        break;
      }
      if (Date.now() > deadline) throw new Error(`sandbox-merchant did not name its mock gateways: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    origin,
    mockUrl,
    /** What the server logged on stderr so far (only without --quiet, i.e. with `gateway`). */
    log: () => stderr,
    /** The log once it matches `re` (it arrives through a pipe, a moment after the response that caused it), or
     * as it is after `ms`. */
    async waitLog(re, ms = 5_000) {
      const end = Date.now() + ms;
      while (!re.test(stderr) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      return stderr;
    },
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => proc.once('exit', r));
      }
    },
    /** GET a JSON API path on the server (from Node, not the page). */
    async json(p) {
      const r = await fetch(origin + p);
      return { status: r.status, body: await r.json() };
    },
    /** The merchant's status of an order: 'created' | 'paid' | 'failed' | 'cancelled'. */
    async orderStatus(orderId) {
      const r = await this.json(`/api/orders/${orderId}`);
      assert.equal(r.status, 200, `GET /api/orders/${orderId}: ${JSON.stringify(r.body)}`);
      return r.body.status;
    },
    /** The wallet's server-to-server notification (what a real wallet sends the merchant after paying). */
    async notify(orderId, result = 'paid') {
      const r = await fetch(origin + '/sandbox/wallet/pay', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ order_id: orderId, result }),
      });
      assert.ok(r.ok, `notification ${result} for ${orderId} accepted (HTTP ${r.status})`);
    },
  };
}

// -- fake camera -------------------------------------------------------------------------------------

/** Render `text` as a QR PNG (`scale` pixels per module) with the project CLI, `interpay encode`. */
export function qrPng(text, out, scale = 1) {
  execFileSync(BIN.interpay, ['encode', '--text', text, '--png', out, '--scale', String(scale)], { stdio: ['ignore', 'ignore', 'pipe'] });
  return out;
}

/** A fake-camera Y4M video (640×480, white, the code centred) showing a QR code of `text`; `shot`: extra
 * `xtask y4m` options for a bad shot (`['--scale', '1']` far away, `['--blur', '4']`, `['--gain', '0.1']`). */
export function fakeCamera(text, name, shot = []) {
  const png = qrPng(text, tmp(`${name}.png`));
  const y4m = tmp(`${name}.y4m`);
  if (!existsSync(BIN.xtask)) throw new Error(`${BIN.xtask} is missing: \`cargo xtask build\` builds it`);
  execFileSync(BIN.xtask, ['y4m', '--png', png, ...shot, y4m]);
  return y4m;
}

// -- browser -----------------------------------------------------------------------------------------

export const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Headless Chromium. camera:
 * - undefined: no fake media device flags (pages that never open the camera);
 * - 'pattern': the fake device's own moving test pattern (no code in it), permission auto-granted;
 * - 'denied': fake device present, permission prompts denied;
 * - a Y4M path: that video as the camera, permission auto-granted.
 */
export async function launchBrowser({ camera } = {}) {
  const args = [...BASE_ARGS];
  if (camera) args.push('--use-fake-device-for-media-stream');
  if (camera === 'denied') args.push('--deny-permission-prompts');
  else if (camera) args.push('--use-fake-ui-for-media-stream');
  if (camera && camera !== 'denied' && camera !== 'pattern') args.push(`--use-file-for-fake-video-capture=${camera}`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}

/** A phone-sized context (390×844, touch); camera permission granted unless `camera: false`. */
export function newContext(browser, { camera = true, locale = 'en-US', userAgent } = {}) {
  return browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    isMobile: false,
    hasTouch: true,
    locale,
    ...(userAgent ? { userAgent } : {}),
    permissions: camera ? ['camera'] : [],
  });
}

/** Collect the console messages and uncaught errors of `page`. */
export function recordConsole(page) {
  const consoleMessages = [];
  const pageErrors = [];
  page.on('console', (m) => consoleMessages.push({ type: m.type(), text: m.text() }));
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  return {
    consoleMessages,
    pageErrors,
    /** Uncaught errors and console errors, minus those matching one of `allowed` (regexps). */
    errors(allowed = []) {
      const all = [...pageErrors, ...consoleMessages.filter((m) => m.type === 'error').map((m) => m.text)];
      return all.filter((e) => !allowed.some((re) => re.test(e)));
    },
  };
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: false }).catch(() => {});
}

/** On a failed test: keep a `${name}-FAILED` screenshot and add the page console, page errors and widget
 * state (events seen, CSP violations) to the error's message. `ctx`: { page, consoleMessages, pageErrors }. */
export async function annotateFailure(ctx, name, e) {
  await screenshot(ctx.page, `${name}-FAILED`);
  const logs = ctx.consoleMessages.map((m) => `[${m.type}] ${m.text}`).join('\n');
  const state = await ctx.page.evaluate(() => window.__interpay).catch(() => null);
  const widget = state && { events: state.events.map((ev) => ev.type), csp: state.csp };
  e.message += `\n--- page console ---\n${logs}\n--- page errors ---\n${ctx.pageErrors.join('\n')}\n${JSON.stringify({ state: widget }, null, 1)}`;
}

// -- the widget page object --------------------------------------------------------------------------

/** The page-side recorders: the `events` (interpay:*) with their detail, CSP violations, camera tracks and
 * uncaught errors, in `window.__interpay`. Self-contained (its source is sent to the page): Playwright installs
 * it before any page script runs (addInitScript, not subject to the page CSP); the WebDriver engines run it right
 * after load (webdriver.mjs), where it may come twice: the second time it keeps what the first recorded. */
export function recorderScript(events) {
  if (window.__interpay) return true;
  window.__interpay = { events: [], csp: [], tracks: [], errors: [] };
  const clone = (v) => {
    try {
      return JSON.parse(JSON.stringify(v ?? null));
    } catch (e) {
      return String(v);
    }
  };
  for (const name of events) {
    window.addEventListener(
      name,
      (e) => window.__interpay.events.push({ type: e.type, detail: clone(e.detail), bubbles: e.bubbles, composed: e.composed }),
      true,
    );
  }
  document.addEventListener('securitypolicyviolation', (e) =>
    window.__interpay.csp.push({ directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, sample: e.sample }),
  );
  if (navigator.mediaDevices && MediaDevices.prototype.getUserMedia) {
    const orig = MediaDevices.prototype.getUserMedia;
    MediaDevices.prototype.getUserMedia = function (...a) {
      return orig.apply(this, a).then((stream) => {
        for (const t of stream.getTracks()) window.__interpay.tracks.push(t);
        return stream;
      });
    };
  }
  window.addEventListener('error', (e) => window.__interpay.errors.push(String(e.message)));
  window.addEventListener('unhandledrejection', (e) => window.__interpay.errors.push(String(e.reason)));
  return true;
}

const SANDBOX_BUTTONS = { Pay: '#sandbox-wallet-pay', Cancel: '#sandbox-wallet-cancel', Decline: '#sandbox-wallet-decline' };

export class Widget {
  /** Open `pathname` (default: the demo page; or a full `url`, e.g. on another origin) in `context` with the recorders. */
  static async open(context, server, { name, pathname = '/', url } = {}) {
    const page = await context.newPage();
    const recorded = recordConsole(page);
    await page.addInitScript(recorderScript, EVENTS);
    const response = await page.goto(url || server.origin + pathname, { waitUntil: 'load' });
    return new Widget({ page, response, name, server, ...recorded });
  }

  constructor({ page, response, name, server, consoleMessages, pageErrors, errors }) {
    Object.assign(this, { page, response, name, server, consoleMessages, pageErrors, errors });
  }

  /** A locator for a widget test id. Playwright CSS locators pierce open shadow roots. */
  tid(id) {
    return this.page.locator(`[${TESTID_ATTR}="${id}"]`);
  }

  /** Visible, trimmed text of a test id. */
  async text(id) {
    return ((await this.tid(id).first().innerText()) || '').trim();
  }

  /** Screenshot `${name}-${step}` into tests/e2e/artifacts/. */
  shot(step) {
    return screenshot(this.page, `${this.name}-${step}`);
  }

  /** Wait until the widget has rendered its launch button. */
  async ready() {
    await this.tid('scan-button').waitFor({ state: 'visible', timeout: 20_000 });
  }

  /** Tap "Scan to pay" (the camera opens). */
  async startScan() {
    await this.ready();
    await this.tid('scan-button').click();
  }

  /** Tap "Scan to pay" and wait for the confirm sheet of the scanned payment. */
  async scanToConfirm() {
    await this.ready();
    await this.shot('1-ready');
    await this.tid('scan-button').click();
    await this.tid('camera-view').waitFor({ state: 'visible', timeout: 10_000 }).catch(() => {});
    await this.shot('2-camera');
    await this.tid('confirm-sheet').waitFor({ state: 'visible', timeout: SCAN_TIMEOUT });
    await this.shot('3-confirm');
  }

  /** Test ids of the wallet options, in the picker's order. */
  walletOptions() {
    return this.page.locator(`[${TESTID_ATTR}^="wallet-option-"]`).evaluateAll((els, attr) => els.map((e) => e.getAttribute(attr).replace(/^wallet-option-/, '')), TESTID_ATTR);
  }

  /** Choose `wallet` in the picker and confirm (confirm-pay must be enabled then). */
  async payWith(wallet) {
    const option = this.tid(`wallet-option-${wallet}`);
    await option.waitFor({ state: 'visible', timeout: 10_000 });
    await option.click();
    const pay = this.tid('confirm-pay');
    await pay.waitFor({ state: 'visible', timeout: 5_000 });
    assert.equal(await pay.isEnabled(), true, `confirm-pay is enabled once ${wallet} is chosen`);
    await pay.click();
  }

  /** The sandbox wallet's sheet (in the host page, not the widget). */
  get sandboxSheet() {
    return this.page.locator('#sandbox-wallet');
  }

  /** Answer the open sandbox wallet sheet with `button` (Pay | Cancel | Decline). */
  async answerSandbox(button) {
    const sheet = this.sandboxSheet;
    await sheet.waitFor({ state: 'visible', timeout: 15_000 });
    await this.shot('4-wallet');
    await this.page.locator(SANDBOX_BUTTONS[button]).click();
    await sheet.waitFor({ state: 'detached', timeout: 10_000 });
  }

  /** Choose the sandbox wallet, confirm, and answer its sheet with `button` (Pay | Cancel | Decline). */
  async payWithSandbox(button) {
    await this.payWith('sandbox');
    await this.answerSandbox(button);
  }

  /** Wait for the result screen `screen` (result-success | result-cancelled | result-failed | result-pending). */
  async result(screen) {
    await this.tid(screen).waitFor({ state: 'visible', timeout: RESULT_TIMEOUT });
    await this.shot(`5-${screen}`);
  }

  /** interpay:* events recorded so far, optionally of one type. */
  async events(type) {
    const all = await this.page.evaluate(() => window.__interpay.events);
    return type ? all.filter((e) => e.type === type) : all;
  }

  /** The types of the interpay:* events recorded so far, in order. */
  async eventTypes() {
    return (await this.events()).map((e) => e.type);
  }

  /** Wait until an event of `type` has been recorded; returns the last one. */
  async waitEvent(type, timeout = 15_000) {
    await this.page.waitForFunction((t) => window.__interpay.events.some((e) => e.type === t), type, { timeout });
    const list = await this.events(type);
    return list[list.length - 1];
  }

  cspViolations() {
    return this.page.evaluate(() => window.__interpay.csp);
  }

  /** States of every camera track the page opened: 'live' | 'ended'. */
  trackStates() {
    return this.page.evaluate(() => window.__interpay.tracks.map((t) => t.readyState));
  }

  /** The widget still shows something: a sized host and text in the shadow root. */
  async assertNotBlank() {
    const host = this.page.locator('interpay-checkout');
    const box = await host.boundingBox();
    assert.ok(box && box.height > 40 && box.width > 100, `widget not collapsed: ${JSON.stringify(box)}`);
    const text = await host.evaluate((el) => (el.shadowRoot ? el.shadowRoot.textContent : '').trim());
    assert.ok(text.length > 0, 'the shadow root is not empty');
  }

  annotateFailure(e) {
    return annotateFailure(this, this.name, e);
  }
}

/** Run `fn(widget)` on a page opened in `context`; on failure annotate; always close the context. */
export async function withWidget(context, server, { name, pathname, url }, fn) {
  let widget;
  try {
    widget = await Widget.open(context, server, { name, pathname, url });
    await fn(widget);
  } catch (e) {
    if (widget) await widget.annotateFailure(e);
    throw e;
  } finally {
    await context.close().catch(() => {});
  }
}

/** Per-test fixture: own server + browser (`camera` as in launchBrowser) + the demo page; always cleaned up. */
export async function withDemo({ camera, name }, fn) {
  const server = await startServer();
  const browser = await launchBrowser({ camera });
  try {
    const context = await newContext(browser, { camera: camera !== 'denied' });
    await withWidget(context, server, { name }, (w) => fn(w, server));
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
  }
}
