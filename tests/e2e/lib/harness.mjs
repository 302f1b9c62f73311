// Shared helpers for the browser end-to-end tests (node:test + playwright-core + Chromium fake camera).
//
// - startServer(): the real sandbox-merchant binary on a free port, serving dist/ and www/.
// - fakeCamera(text): a QR code PNG made by `interpay encode`, turned into a Y4M video
//   (`xtask y4m`) that Chromium plays as the camera.
// - launch(): headless Chromium (system /usr/bin/chromium) with the fake camera, or with the camera denied.
// - openDemo(): the demo page with recorders for interpay:* events, CSP violations, console errors and camera tracks.

import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import os from 'node:os';
import readline from 'node:readline';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const TARGET = process.env.CARGO_TARGET_DIR ? path.resolve(process.env.CARGO_TARGET_DIR) : path.join(ROOT, 'target');
export const BIN = {
  interpay: path.join(TARGET, 'release', 'interpay'),
  merchant: path.join(TARGET, 'release', 'sandbox-merchant'),
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

export const EVENTS = [
  'interpay:scanned',
  'interpay:order-created',
  'interpay:succeeded',
  'interpay:cancelled',
  'interpay:failed',
  'interpay:error',
];

/** The attribute the widget puts test ids in (docs/ARCHITECTURE.md, "Test ids"). */
export const TESTID_ATTR = 'data-testid';

/** A locator for a widget test id. Playwright CSS locators pierce open shadow roots. */
export function tid(page, id) {
  return page.locator(`[${TESTID_ATTR}="${id}"]`);
}

for (const [name, p] of Object.entries(BIN)) {
  if (name !== 'xtask' && !existsSync(p)) {
    throw new Error(`${p} is missing: build first (./dev test builds everything; or cargo build --release -p interpay -p sandbox-merchant)`);
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

/** Start the sandbox merchant on a free port. Returns { url, origin, stop }. */
export async function startServer() {
  const proc = spawn(BIN.merchant, ['--port', '0', '--dist', DIST, '--www', path.join(ROOT, 'www'), '--quiet'], {
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
  return {
    url,
    origin,
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
  };
}

/** Render `text` as a QR PNG with the project CLI (`interpay encode`). */
export function qrPng(text, out) {
  execFileSync(BIN.interpay, ['encode', '--text', text, '--png', out, '--scale', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return out;
}

/** A fake-camera Y4M video (640×480, white, the code centred) showing a QR code of `text`. */
export function fakeCamera(text, name) {
  const png = tmp(`${name}.png`);
  const y4m = tmp(`${name}.y4m`);
  qrPng(text, png);
  execFileSync(BIN.xtask, ['y4m', '--png', png, y4m]);
  return y4m;
}

export const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Launch headless Chromium.
 * camera: a Y4M path (fake camera, permission auto-granted) or 'denied' (fake device present, permission denied).
 */
export async function launch({ camera }) {
  const args = [...BASE_ARGS, '--use-fake-device-for-media-stream'];
  if (camera !== 'denied') {
    args.push('--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${camera}`);
  } else {
    args.push('--deny-permission-prompts');
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    isMobile: false,
    hasTouch: true,
    locale: 'en-US',
    permissions: camera === 'denied' ? [] : ['camera'],
  });
  return { browser, context };
}

/** Recorders installed before any page script runs (not subject to the page CSP). */
function recorderScript(events) {
  window.__interpay = { events: [], csp: [], errors: [], tracks: [] };
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
}

/** Open the demo page with recorders. Returns { page, console, pageErrors }. */
export async function openDemo(context, server, pathname = '/') {
  const page = await context.newPage();
  const consoleMessages = [];
  const pageErrors = [];
  page.on('console', (m) => consoleMessages.push({ type: m.type(), text: m.text() }));
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.addInitScript(recorderScript, EVENTS);
  const response = await page.goto(server.origin + pathname, { waitUntil: 'load' });
  return { page, response, consoleMessages, pageErrors };
}

/** interpay:* events recorded so far, optionally of one type. */
export async function events(page, type) {
  const all = await page.evaluate(() => window.__interpay.events);
  return type ? all.filter((e) => e.type === type) : all;
}

/** Wait until an event of `type` has been recorded; returns the last one. */
export async function waitEvent(page, type, timeout = 15_000) {
  await page.waitForFunction((t) => window.__interpay.events.some((e) => e.type === t), type, { timeout });
  const list = await events(page, type);
  return list[list.length - 1];
}

export async function cspViolations(page) {
  return page.evaluate(() => window.__interpay.csp);
}

/** States of every camera track the page opened: 'live' | 'ended'. */
export async function trackStates(page) {
  return page.evaluate(() => window.__interpay.tracks.map((t) => t.readyState));
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: false }).catch(() => {});
}

/** Describe recorded page state when an assertion fails (console, errors, events). */
export async function diagnostics(page, extra = {}) {
  const state = await page.evaluate(() => window.__interpay).catch(() => null);
  return JSON.stringify({ ...extra, state: state && { events: state.events.map((e) => e.type), csp: state.csp } }, null, 1);
}

/** On a failed test: keep a `${name}-FAILED` screenshot and add the page console, page errors and widget
 * state (events seen, CSP violations) to the error's message. */
export async function annotateFailure(ctx, name, e) {
  await screenshot(ctx.page, `${name}-FAILED`);
  const logs = ctx.consoleMessages.map((m) => `[${m.type}] ${m.text}`).join('\n');
  e.message += `\n--- page console ---\n${logs}\n--- page errors ---\n${ctx.pageErrors.join('\n')}\n${await diagnostics(ctx.page)}`;
}

/**
 * Per-test fixture: server + browser + demo page; always cleaned up.
 * `fn` gets { page, server, consoleMessages, pageErrors, response }.
 */
export async function withDemo({ camera, name }, fn) {
  const server = await startServer();
  const { browser, context } = await launch({ camera });
  let ctx;
  try {
    ctx = await openDemo(context, server);
    await fn({ ...ctx, server });
  } catch (e) {
    if (ctx) await annotateFailure(ctx, name, e);
    throw e;
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
  }
}
