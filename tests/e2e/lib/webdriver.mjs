// A small W3C WebDriver client (no dependency) for the browser engines Playwright does not drive here: WebKit
// (WebKitGTK's WebKitWebDriver + MiniBrowser, under Xvfb, over the driver's HTTP API with plain `fetch`) and
// Firefox ESR (headless, over Marionette, the WebDriver protocol Firefox itself serves on a TCP socket: what
// geckodriver translates HTTP into, so no geckodriver has to be built). Used by tests/e2e/engines.test.mjs.
//
// - launchEngine('webkit' | 'firefox'): starts the driver (WebKit) or Firefox with Marionette on a free port,
//   and a session with a phone-sized window. Returns a Session; `session.quit()` ends the session and the
//   browser (its whole process group: xvfb-run starts Xvfb beside the driver).
// - Session: the few commands the tests need (navigate, execute script, find / click / send keys, screenshot).
// - EngineWidget: the page object of the demo page over a Session. The widget renders into an open shadow root:
//   every lookup goes through `find(testid)`, which searches the document and every open shadow root for
//   `[data-testid="…"]` with an execute-script (W3C "Get Element Shadow Root" is not in every driver yet).
//
// Engine facts (measured 2026-12-02, Debian 12): WebKitGTK 2.50 has no camera that plays a file; its
// mock capture device (`enable-mock-capture-devices`) and Firefox's fake stream
// (`media.navigator.streams.fake`) show a generated pattern. The scan there reads a picture of the code
// through the widget's picture fallback (its file input), or a canvas stream showing the code stands in for
// the camera (`useCanvasCamera`); the tests say which in their names.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ARTIFACTS, TESTID_ATTR, recorderScript, tmp } from './driver.mjs';

/** WebKitGTK's MiniBrowser (package libwebkit2gtk-4.1-0, in the multiarch lib directory). */
export const MINIBROWSER = process.env.MINIBROWSER || findMiniBrowser();
function findMiniBrowser() {
  const dirs = existsSync('/usr/lib') ? readdirSync('/usr/lib').map((d) => path.join('/usr/lib', d, 'webkit2gtk-4.1', 'MiniBrowser')) : [];
  return dirs.find((p) => existsSync(p)) || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
}
export const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';
export const WEBKITDRIVER = process.env.WEBKITDRIVER || '/usr/bin/WebKitWebDriver';

/** The phone-sized window the Chromium tests use (390×844). */
export const PHONE = { width: 390, height: 844 };

/** The W3C web element identifier (the key of an element reference). */
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** What is missing to run `engine` here, or null. */
export function engineMissing(engine) {
  const need = engine === 'webkit' ? [WEBKITDRIVER, MINIBROWSER, '/usr/bin/xvfb-run'] : [FIREFOX];
  const missing = need.filter((p) => !existsSync(p));
  return missing.length ? `${engine}: missing ${missing.join(', ')} (./dev setup --test installs them)` : null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Thrown for a WebDriver error answer: `.error` is the W3C error code ("no such element", …). */
export class WebDriverError extends Error {
  constructor(command, status, value) {
    super(`${command}: HTTP ${status} ${value?.error || ''}: ${value?.message || JSON.stringify(value)}`.slice(0, 2000));
    this.error = value?.error;
  }
}

async function call(base, method, p, body) {
  const r = await fetch(base + p, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = { value: { error: 'bad answer', message: text.slice(0, 500) } };
  }
  if (!r.ok) throw new WebDriverError(`${method} ${p}`, r.status, json.value);
  return json.value;
}

/** Firefox ESR's prefs (a fresh profile's user.js): fake camera (a generated pattern) with the permission prompt
 * off, Marionette on `port`, and nothing that reaches for the internet (the test machine has none). */
function firefoxPrefs(port) {
  return {
    'marionette.port': port,
    'media.navigator.streams.fake': true,
    'media.navigator.permission.disabled': true,
    'browser.shell.checkDefaultBrowser': false,
    'browser.startup.homepage_override.mstone': 'ignore',
    'browser.startup.page': 0,
    'browser.sessionstore.resume_from_crash': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'datareporting.healthreport.uploadEnabled': false,
    'toolkit.telemetry.reportingpolicy.firstRun': false,
    'app.update.disabledForTesting': true,
    'messaging-system.rsexperimentloader.enabled': false,
    'app.normandy.enabled': false,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'extensions.update.enabled': false,
    'browser.safebrowsing.update.enabled': false,
  };
}

/** MiniBrowser in automation mode; the mock capture device stands in for a camera. */
function webkitCapabilities() {
  return {
    browserName: 'MiniBrowser',
    'webkitgtk:browserOptions': {
      binary: MINIBROWSER,
      args: ['--automation', '--enable-media-stream=true', '--enable-mock-capture-devices=true'],
    },
  };
}

/** Start the driver for `engine` (WebKit) or the browser itself (Firefox, Marionette) and a session. */
export async function launchEngine(engine) {
  const missing = engineMissing(engine);
  if (missing) throw new Error(missing);
  return engine === 'webkit' ? launchWebKit() : launchFirefox();
}

/** Spawn `cmd` in its own process group (so `kill()` ends xvfb-run, Xvfb and the driver together), keeping the tail of its output. */
function spawnGroup(cmd, args) {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  proc.stdout.on('data', (d) => (log = (log + d).slice(-20_000)));
  proc.stderr.on('data', (d) => (log = (log + d).slice(-20_000)));
  const kill = () => {
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {}
  };
  return { proc, kill, log: () => log };
}

async function launchWebKit() {
  const port = await freePort();
  const cmd = 'xvfb-run';
  const { proc, kill, log } = spawnGroup(cmd, ['-a', '-s', '-screen 0 1280x1024x24', WEBKITDRIVER, `--port=${port}`]);
  const base = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`${cmd} exited with ${proc.exitCode}: ${log()}`);
      const ready = await call(base, 'GET', '/status').then((v) => v && v.ready !== false, () => false);
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`${cmd} did not answer /status in 20 s: ${log()}`);
      await sleep(200);
    }
    const value = await call(base, 'POST', '/session', { capabilities: { alwaysMatch: webkitCapabilities() } });
    const session = new Session({ engine: 'webkit', base: `${base}/session/${value.sessionId}`, capabilities: value.capabilities, kill, log });
    await session.setWindowRect(PHONE).catch(() => {});
    return session;
  } catch (e) {
    kill();
    throw e;
  }
}

async function launchFirefox() {
  const port = await freePort();
  const profile = tmp(`firefox-profile-${port}`);
  mkdirSync(profile, { recursive: true });
  const prefs = Object.entries(firefoxPrefs(port)).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`);
  writeFileSync(path.join(profile, 'user.js'), prefs.join('\n') + '\n');
  const { proc, kill, log } = spawnGroup(FIREFOX, ['-marionette', '-headless', '-no-remote', '-profile', profile, `--width=${PHONE.width}`, `--height=${PHONE.height}`]);
  const quitAll = () => {
    kill();
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    const m = await Marionette.connect(port, proc, log, 30_000);
    const value = await m.request('WebDriver:NewSession', {});
    const session = new Session({ engine: 'firefox', marionette: m, capabilities: value.capabilities, kill: quitAll, log });
    await session.setWindowRect(PHONE).catch(() => {});
    return session;
  } catch (e) {
    quitAll();
    throw e;
  }
}

/**
 * Marionette, Firefox's own remote protocol (what geckodriver speaks to Firefox): on a TCP socket, packets
 * `<byte length>:<JSON>`; Firefox greets with `{applicationType, marionetteProtocol: 3}`, a command is
 * `[0, id, "WebDriver:Name", params]` and its answer `[1, id, error | null, result]`. The command names and
 * parameters are WebDriver's (Mozilla's remote/marionette/driver.sys.mjs).
 */
class Marionette {
  static async connect(port, proc, log, timeout) {
    const deadline = Date.now() + timeout;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`firefox exited with ${proc.exitCode}: ${log()}`);
      const socket = await new Promise((resolve) => {
        const s = net.connect(port, '127.0.0.1');
        s.once('connect', () => resolve(s));
        s.once('error', () => resolve(null));
      });
      if (socket) {
        const m = new Marionette(socket);
        const hello = await m.next();
        if (hello.marionetteProtocol !== 3) throw new Error(`unexpected Marionette greeting ${JSON.stringify(hello)}`);
        return m;
      }
      if (Date.now() > deadline) throw new Error(`firefox did not open Marionette on ${port} in ${timeout} ms: ${log()}`);
      await sleep(200);
    }
  }

  constructor(socket) {
    this.socket = socket;
    this.buf = Buffer.alloc(0);
    this.waiting = [];
    this.packets = [];
    this.lastId = 0;
    this.closed = null;
    socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.drain();
    });
    socket.on('close', () => {
      this.closed = new Error('Marionette connection closed');
      for (const w of this.waiting.splice(0)) w.reject(this.closed);
    });
  }

  drain() {
    for (;;) {
      const colon = this.buf.indexOf(0x3a);
      if (colon < 0) return;
      const len = Number(this.buf.subarray(0, colon).toString('latin1'));
      if (this.buf.length < colon + 1 + len) return;
      const packet = JSON.parse(this.buf.subarray(colon + 1, colon + 1 + len).toString('utf8'));
      this.buf = this.buf.subarray(colon + 1 + len);
      const w = this.waiting.shift();
      w ? w.resolve(packet) : this.packets.push(packet);
    }
  }

  /** The next packet from Firefox. */
  next() {
    if (this.packets.length) return Promise.resolve(this.packets.shift());
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** Send one command and wait for its answer (one at a time: the tests never overlap commands). */
  async request(name, params = {}) {
    const id = ++this.lastId;
    const body = JSON.stringify([0, id, name, params]);
    this.socket.write(`${Buffer.byteLength(body, 'utf8')}:${body}`);
    for (;;) {
      const [type, rid, error, result] = await this.next();
      if (type !== 1 || rid !== id) continue;
      if (error) throw new WebDriverError(name, 'Marionette', error);
      return result;
    }
  }
}

/** A WebDriver HTTP command (as the Session issues them) → the Marionette command and its parameters. */
function marionetteCommand(method, p, body) {
  const el = /^\/element\/([^/]+)\/(click|value)$/.exec(p);
  if (el) return el[2] === 'click' ? ['WebDriver:ElementClick', { id: el[1] }] : ['WebDriver:ElementSendKeys', { id: el[1], ...body }];
  const known = {
    'POST /url': ['WebDriver:Navigate', body],
    'GET /url': ['WebDriver:GetCurrentURL', {}],
    'POST /window/rect': ['WebDriver:SetWindowRect', body],
    'POST /execute/async': ['WebDriver:ExecuteAsyncScript', body],
    'GET /screenshot': ['WebDriver:TakeScreenshot', { full: false, hash: false }],
    'DELETE ': ['Marionette:Quit', { flags: ['eForceQuit'] }],
  }[`${method} ${p}`];
  if (!known) throw new Error(`no Marionette command for ${method} ${p}`);
  return known;
}

export class Session {
  constructor({ engine, base, marionette, capabilities, kill, log }) {
    Object.assign(this, { engine, base, marionette, capabilities, kill, log });
  }

  /** "WebKitGTK 2.50.6" / "Firefox 153.8.0". */
  get browser() {
    const c = this.capabilities || {};
    return `${c.browserName} ${c.browserVersion}`;
  }

  /** One WebDriver command: over HTTP to the driver, or as its Marionette equivalent to Firefox. */
  async cmd(method, p, body) {
    if (!this.marionette) return call(this.base, method, p, body);
    const [name, params] = marionetteCommand(method, p, body);
    const r = await this.marionette.request(name, params);
    // Marionette wraps a command's value as {value} where WebDriver's HTTP answer is the value itself.
    return r && typeof r === 'object' && Object.keys(r).length === 1 && 'value' in r ? r.value : r;
  }

  navigate(url) {
    return this.cmd('POST', '/url', { url });
  }

  url() {
    return this.cmd('GET', '/url');
  }

  setWindowRect({ width, height }) {
    return this.cmd('POST', '/window/rect', { width, height });
  }

  /** Run `fn` (a function; its source is sent) in the page with `args`; returns its (awaited) value. */
  execute(fn, ...args) {
    return this.cmd('POST', '/execute/async', {
      script: `const done = arguments[arguments.length - 1];
        Promise.resolve((${fn}).apply(null, Array.prototype.slice.call(arguments, 0, -1)))
          .then((v) => done({ ok: v === undefined ? null : v }), (e) => done({ err: String(e && e.stack || e) }));`,
      args,
    }).then((r) => {
      if (r && 'err' in r) throw new Error(`script failed in ${this.engine}: ${r.err}`);
      return r ? r.ok : r;
    });
  }

  click(el) {
    return this.cmd('POST', `/element/${el[ELEMENT]}/click`, {});
  }

  sendKeys(el, text) {
    return this.cmd('POST', `/element/${el[ELEMENT]}/value`, { text });
  }

  /** Save a screenshot of the viewport as tests/e2e/artifacts/NAME.png. */
  async screenshot(name) {
    try {
      const b64 = await this.cmd('GET', '/screenshot');
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(path.join(ARTIFACTS, `${name}.png`), Buffer.from(b64, 'base64'));
    } catch {}
  }

  /** Wait until `fn(...args)` in the page returns a truthy value; returns it. */
  async waitFor(what, fn, args = [], timeout = 15_000) {
    const deadline = Date.now() + timeout;
    let last;
    for (;;) {
      try {
        const v = await this.execute(fn, ...args);
        if (v) return v;
      } catch (e) {
        last = e;
      }
      if (Date.now() > deadline) throw new Error(`${this.engine}: timed out after ${timeout} ms waiting for ${what}${last ? ` (${last.message})` : ''}`);
      await sleep(150);
    }
  }

  async quit() {
    await this.cmd('DELETE', '').catch(() => {});
    this.kill();
  }
}

// -- page-side helpers (serialised into the page: no closures over this module) ---------------------------

/** The first element matching `sel` in the document or any open shadow root (depth first), or null; with
 * `visible`, only if it is rendered (a box, not hidden). Self-contained: no eval under the page's CSP. */
function pageFind(sel, visible) {
  const walk = (root) => {
    const hit = root.querySelector(sel);
    if (hit) return hit;
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) {
        const h = walk(el.shadowRoot);
        if (h) return h;
      }
    }
    return null;
  };
  const el = walk(document);
  if (!el) return null;
  if (visible) {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    if (!(r.width > 0 && r.height > 0) || cs.visibility === 'hidden' || cs.display === 'none' || el.closest('[hidden]')) return null;
  }
  return el;
}

/** Put `b64` (a PNG) on the file input `el` as the shopper's chosen picture and fire `change`. */
function setPicture(el, b64, name) {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const dt = new DataTransfer();
  dt.items.add(new File([bytes], name, { type: 'image/png' }));
  el.files = dt.files;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
  return el.files.length;
}

/** Make the camera a stream of a canvas showing the PNG `b64` (640×480, white, the code centred, redrawn
 * 15 times a second): getUserMedia for video answers that stream. What Chromium's Y4M fake camera does, for
 * engines whose fake camera shows only a pattern. The widget's own scan loop then reads the frames. */
function canvasCamera(b64) {
  const orig = MediaDevices.prototype.getUserMedia;
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onerror = () => reject(new Error('the code picture did not load'));
    img.onload = () => {
      const c = document.createElement('canvas');
      c.width = 640;
      c.height = 480;
      const g = c.getContext('2d');
      const draw = () => {
        g.fillStyle = '#fff';
        g.fillRect(0, 0, c.width, c.height);
        const side = Math.min(360, img.width);
        g.imageSmoothingEnabled = false;
        g.drawImage(img, (c.width - side) / 2, (c.height - side) / 2, side, side);
      };
      draw();
      setInterval(draw, 66);
      MediaDevices.prototype.getUserMedia = function (constraints) {
        if (!constraints || !constraints.video) return orig.call(this, constraints);
        const stream = c.captureStream(15);
        for (const t of stream.getTracks()) window.__interpay.tracks.push(t);
        // The answer is chained on the engine's own getUserMedia (its fake camera, stopped at once): a promise
        // made by the page's API, which Firefox's WebDriver script sandbox can hand to the page.
        return orig.call(this, { video: true }).then((real) => {
          for (const t of real.getTracks()) t.stop();
          return stream;
        });
      };
      resolve(true);
    };
    img.src = `data:image/png;base64,${b64}`;
  });
}

const SCAN_TIMEOUT = 30_000;
const RESULT_TIMEOUT = 30_000;

/** The demo page's widget, driven over WebDriver by data-testid (docs/ARCHITECTURE.md, "Test ids"). */
export class EngineWidget {
  constructor(session, { name, events }) {
    Object.assign(this, { s: session, name, events });
  }

  sel(id) {
    return `[${TESTID_ATTR}="${id}"]`;
  }

  /** The element of test id `id` (document or shadow roots), or null. */
  find(id, { visible = false } = {}) {
    return this.s.execute(pageFind, this.sel(id), visible);
  }

  /** Wait until test id `id` is visible; returns the element. */
  waitVisible(id, timeout = 15_000) {
    return this.s.waitFor(`[${id}] visible`, pageFind, [this.sel(id), true], timeout);
  }

  /** Wait until a host-page element (CSS `sel`, light DOM) is visible / gone. */
  waitHost(sel, { gone = false } = {}, timeout = 15_000) {
    return this.s.waitFor(`${sel} ${gone ? 'gone' : 'visible'}`, (s, g) => (g ? !document.querySelector(s) : document.querySelector(s)), [sel, gone], timeout);
  }

  async count(id) {
    return (await this.find(id)) ? 1 : 0;
  }

  /** Visible, trimmed text of test id `id`. */
  async text(id) {
    const el = await this.waitVisible(id);
    return ((await this.s.execute((e) => e.innerText || e.textContent, el)) || '').trim();
  }

  /** Click test id `id` with a real WebDriver click (scrolls it into view, checks it can be clicked). */
  async tap(id) {
    const el = await this.waitVisible(id);
    await this.s.click(el);
  }

  shot(step) {
    return this.s.screenshot(`${this.s.engine}-${this.name}-${step}`);
  }

  async open(origin, pathname = '/') {
    await this.s.navigate(origin + pathname);
    // WebDriver classic has no init scripts: the recorders start right after load, for the flow that follows.
    await this.s.execute(recorderScript, this.events);
    await this.waitVisible('scan-button', 20_000);
  }

  /**
   * Read `png` as the scanned code through the picture fallback: the widget's own file input (what
   * "Scan a picture" opens). First the driver's file upload (Element Send Keys with a path, as a shopper's
   * file chooser would); if the driver cannot do that on a hidden input in a shadow root, the same file set
   * with a DataTransfer and a `change` event. Returns how the file was given.
   */
  async choosePicture(png) {
    await this.waitVisible('scan-picture');
    const input = await this.find('file-input');
    if (!input) throw new Error('the widget has no file-input');
    try {
      await this.s.sendKeys(input, png);
      return 'driver file upload';
    } catch (e) {
      const n = await this.s.execute(setPicture, input, readFileSync(png).toString('base64'), path.basename(png));
      if (n !== 1) throw new Error(`could not set the picture on file-input (${e.message})`);
      return `DataTransfer (driver upload refused: ${e.error || e.message})`;
    }
  }

  /** From now on the camera shows the code in `png` (a canvas stream; see canvasCamera). */
  useCanvasCamera(png) {
    return this.s.execute(canvasCamera, readFileSync(png).toString('base64'));
  }

  /** The interpay:* events recorded since the page was opened, optionally of one type. */
  async recorded(type) {
    const all = await this.s.execute(() => window.__interpay.events);
    return type ? all.filter((e) => e.type === type) : all;
  }

  async waitEvent(type, timeout = 15_000) {
    await this.s.waitFor(`event ${type}`, (t) => window.__interpay.events.some((e) => e.type === t), [type], timeout);
    const list = await this.recorded(type);
    return list[list.length - 1];
  }

  /** States of the camera tracks the page opened since the recorders were installed: 'live' | 'ended'. */
  trackStates() {
    return this.s.execute(() => window.__interpay.tracks.map((t) => t.readyState));
  }

  cspViolations() {
    return this.s.execute(() => window.__interpay.csp);
  }

  pageErrors() {
    return this.s.execute(() => window.__interpay.errors);
  }

  /** Choose the sandbox wallet, confirm, and answer its sheet (in the host page) with Pay. */
  async payWithSandbox() {
    await this.tap('wallet-option-sandbox');
    const pay = await this.waitVisible('confirm-pay');
    const enabled = await this.s.execute((e) => !e.disabled && e.getAttribute('aria-disabled') !== 'true', pay);
    if (!enabled) throw new Error('confirm-pay is disabled once the sandbox wallet is chosen');
    await this.s.click(pay);
    await this.waitHost('#sandbox-wallet');
    await this.shot('4-wallet');
    await this.s.click(await this.waitHost('#sandbox-wallet-pay'));
    await this.waitHost('#sandbox-wallet', { gone: true }, 10_000);
  }

  async result(screen) {
    await this.waitVisible(screen, RESULT_TIMEOUT);
    await this.shot(`5-${screen}`);
  }

  static SCAN_TIMEOUT = SCAN_TIMEOUT;
}
