// Interpay: the one script a merchant adds.
//
//   <script type="module" src="https://…/interpay/interpay.js"></script>
//   <interpay-checkout order-url="/api/orders"></interpay-checkout>
//
// Attributes: order-url (required), locale ("en", "fr", "zh-CN", "zh-TW"…), label, scan-region (0.2–1, default 0.7),
// resolve-url. Events (bubbling, composed) on the element: interpay:scanned, interpay:order-created,
// interpay:succeeded, interpay:cancelled, interpay:failed, interpay:pending, interpay:error. Method: open().
// Theme with CSS custom properties on the element (see interpay.css: --interpay-accent, --interpay-radius, …).
// Types: interpay.d.ts.
//
// This file is the launcher, and the only one a page loads up front. It draws the launch button at once
// (usable before any wasm has arrived), then fetches the checkout UI module (widget wasm); the decoder and the
// payload parser are a second module that the decoder worker loads when the camera opens. A tap that comes
// before the UI module is remembered and carried out when it is ready.
//
// Every other file is named by its content hash (cached for good); `cargo xtask build` writes their names and
// SRI hashes into ASSETS below, and the wasm is fetched with its `integrity`.
//
// Strict-CSP friendly: no inline script or style, no eval; the wasm needs 'wasm-unsafe-eval'. Served from another
// origin (a CDN, with CORS), the decoder worker is started from a `blob:` URL: allow `worker-src blob:`.

// Files are found next to this script, or under the base given to configure() (a bundler that moves this
// module into its own chunk: copy the package's assets/ to a public path and name it).
let base = import.meta.url;
const url = (path) => new URL(path, base).href;

/**
 * Where the widget's files are served, for bundled apps: `configure({ assetsUrl: '/interpay/' })` when the
 * package's `assets/` folder is served at `/interpay/assets/`. Call it before the first element connects.
 */
export function configure({ assetsUrl } = {}) {
  if (assetsUrl) base = new URL(assetsUrl.endsWith('/') ? assetsUrl : `${assetsUrl}/`, location.href).href;
}

// Replaced by `cargo xtask build` (hashed names, sha384 integrity); these defaults are the unhashed files.
const ASSETS = /*@interpay-assets*/ {
  css: { path: 'interpay.css', integrity: '' },
  ui: { path: 'pkg/interpay.js', integrity: '' },
  uiWasm: { path: 'pkg/interpay_bg.wasm', integrity: '' },
  reader: { path: 'pkg/interpay_reader.js', integrity: '' },
  readerWasm: { path: 'pkg/interpay_reader_bg.wasm', integrity: '' },
  readerSimd: { path: 'pkg/interpay_reader_simd.js', integrity: '' },
  readerSimdWasm: { path: 'pkg/interpay_reader_simd_bg.wasm', integrity: '' },
  deep: { path: 'pkg/interpay_deep_reader.js', integrity: '' },
  deepWasm: { path: 'pkg/interpay_deep_reader_bg.wasm', integrity: '' },
  worker: { path: 'decoder-worker.js', integrity: '' },
} /*@end*/;

function fetchAsset(asset) {
  return fetch(url(asset.path), asset.integrity ? { integrity: asset.integrity } : {}).then((r) => {
    if (!r.ok) throw new Error(`${asset.path}: HTTP ${r.status}`);
    return r;
  });
}

/** A wasm-bindgen module (its glue `js`, its `wasm` fetched with the integrity), once per page; a failed
 * download is forgotten so that a later element tries again (under a new query: browsers remember a failed
 * module import for its URL). */
function once(js, wasm, arrived) {
  let loading = null;
  let attempts = 0;
  return () => {
    if (!loading) {
      const glue = new URL(url(js.path));
      if (attempts) glue.searchParams.set('retry', String(attempts));
      attempts += 1;
      loading = import(glue.href).then(async (m) => {
        const response = fetchAsset(wasm);
        // `arrived`: called once the whole wasm is in (a tee of the body; compiling streams the other half).
        if (arrived) response.then((r) => r.clone().arrayBuffer()).then(arrived, () => {});
        await m.default({ module_or_path: response });
        return m;
      });
      loading.catch(() => { loading = null; });
    }
    return loading;
  };
}

/** The checkout UI module (shared by every element on the page). Once its wasm has arrived, the decoder
 * worker's files are fetched into the HTTP cache while the UI compiles and mounts (the network is idle then). */
const loadUi = once(ASSETS.ui, ASSETS.uiWasm, prefetchReader);

// A function returning i8x16.popcnt(i8x16.splat(0)): valid only where the engine has wasm SIMD; the worker
// (decoder-worker.js) picks its reader build with the same probe.
const SIMD_PROBE = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11];

/** The worker's script and the reader build it will load (the glue and the wasm), at low priority, into the
 * HTTP cache: the worker — started when the page is idle or at the tap — then reads them from there instead
 * of downloading them after the tap. Content-hashed and immutable, so each is downloaded once. */
let prefetched = false;
function prefetchReader() {
  if (prefetched || typeof fetch !== 'function') return;
  prefetched = true;
  let simd = false;
  try {
    simd = !!(ASSETS.readerSimd && typeof WebAssembly === 'object' && WebAssembly.validate(new Uint8Array(SIMD_PROBE)));
  } catch (_) { /* plain */ }
  const files = [ASSETS.worker, simd ? ASSETS.readerSimd : ASSETS.reader, simd ? ASSETS.readerSimdWasm : ASSETS.readerWasm];
  for (const f of files) {
    if (!f) continue;
    const init = { priority: 'low' };
    if (f.integrity) init.integrity = f.integrity;
    fetch(url(f.path), init).then((r) => r.arrayBuffer()).catch(() => {});
  }
}
/** Only where no worker can start: the worker's own script (reader, deep reader and all) on the main
 * thread. A failed import is retried under a new query (browsers remember a failed import for its URL). */
let mainThreadReader = null;
let mainThreadAttempts = 0;
const readFrame = (buffer, width, height) => {
  if (!mainThreadReader) {
    const script = new URL(url(ASSETS.worker.path));
    if (mainThreadAttempts) script.searchParams.set('retry', String(mainThreadAttempts));
    mainThreadAttempts += 1;
    mainThreadReader = import(script.href);
    mainThreadReader.catch(() => { mainThreadReader = null; });
  }
  return mainThreadReader.then((m) => m.readFrame(buffer, width, height));
};

// The launcher's own words (the UI module has the rest): launch label, load failure, "opening", and the
// early camera view's title, close button and status lines (the same words as the UI module's camera screen).
const FALLBACK_TEXT = {
  en: ['Scan to pay', 'The payment widget could not load. Check your connection and reload the page.', 'Opening…',
    'Scan a payment code', 'Close', 'Starting the camera…', 'Point the camera at the QR code'],
  fr: ['Scanner pour payer', 'Le module de paiement n’a pas pu se charger. Vérifiez votre connexion et rechargez la page.', 'Ouverture…',
    'Scanner un code de paiement', 'Fermer', 'Démarrage de la caméra…', 'Placez le code QR dans le cadre'],
  'zh-CN': ['扫码支付', '支付组件加载失败。请检查网络后刷新页面。', '正在打开…', '扫描付款码', '关闭', '正在启动摄像头…', '将二维码放入框内'],
  'zh-TW': ['掃碼付款', '付款元件載入失敗。請檢查網路後重新整理頁面。', '正在開啟…', '掃描付款碼', '關閉', '正在啟動相機…', '將 QR 碼放入框內'],
};

function fallbackText(el) {
  const tags = [el.getAttribute('locale'), document.documentElement.lang, ...(navigator.languages || [])].filter(Boolean);
  for (const t of tags) {
    const l = t.toLowerCase();
    if (l.startsWith('fr')) return FALLBACK_TEXT.fr;
    if (l.startsWith('zh')) return /hant|tw|hk|mo/.test(l) ? FALLBACK_TEXT['zh-TW'] : FALLBACK_TEXT['zh-CN'];
    if (l.startsWith('en')) return FALLBACK_TEXT.en;
  }
  return FALLBACK_TEXT.en;
}

const SVG = 'http://www.w3.org/2000/svg';
function icon(d) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'ip-icon');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  svg.appendChild(path);
  return svg;
}
const qrIcon = () => icon('M3 3h7v7H3zM5 5v3h3V5zM14 3h7v7h-7zM16 5v3h3V5zM3 14h7v7H3zM5 16v3h3v-3zM14 14h3v3h-3zM18 18h3v3h-3zM18 14h3v2h-3zM14 19h2v2h-2z');
const closeIcon = () => icon('M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z');

const el = (tag, className, attrs = {}) => {
  const e = document.createElement(tag);
  if (className) e.className = className;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
};

// The camera the UI module asks for first (src/web/camera.rs, `get_user_media(None)`): the same constraints,
// so the stream opened here is the one it would have opened.
const CAMERA_CONSTRAINTS = { audio: false, video: { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: { ideal: 'environment' } } };
const stopStream = (s) => { for (const t of (s && s.getTracks()) || []) t.stop(); };

/**
 * A tap that comes before the UI module: the camera is opened at once (the permission prompt, the camera
 * starting and the preview all happen while the UI module downloads) and shown in a view drawn with the
 * widget's own styles. The UI module takes the stream (`takeCamera`, once) when it opens its camera screen,
 * and this view goes away when the UI's video plays. A stream nobody took is stopped: the camera light never
 * stays on behind the shopper's back.
 */
class EarlyCamera {
  constructor(root, text, onClose) {
    const [, , opening, title, close, starting, point] = text;
    this.stream = null;
    this.taken = false;
    this.ended = false;
    this.promise = navigator.mediaDevices.getUserMedia(CAMERA_CONSTRAINTS);
    this.promise.then((s) => {
      this.stream = s;
      if (this.ended && !this.taken) stopStream(s);
      else if (!this.ended) {
        this.video.srcObject = s;
        const p = this.video.play();
        if (p) p.catch(() => {});
        // Aiming can start: the code is read as soon as the UI module is there.
        this.video.addEventListener('playing', () => { this.hint.textContent = point; }, { once: true });
      }
    }, () => {
      // Refused or failed: the UI module explains it, with its fallbacks, when it arrives.
      this.hint.textContent = opening;
    });
    const overlay = el('div', 'ip-overlay ip-early', { 'data-interpay-early': '', 'data-testid': 'early-camera' });
    const sheet = el('div', 'ip-sheet', { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'ip-early-title' });
    const head = el('header', 'ip-head');
    const h = el('h2', 'ip-title', { id: 'ip-early-title', tabindex: '-1' });
    h.textContent = title;
    const closeButton = el('button', 'ip-icon-btn', { type: 'button', 'aria-label': close, 'data-testid': 'early-close' });
    closeButton.appendChild(closeIcon());
    closeButton.addEventListener('click', onClose);
    // A modal dialog: Escape closes it, and Tab stays on its one control (the close button).
    overlay.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onClose();
      } else if (e.key === 'Tab') {
        e.preventDefault();
        closeButton.focus();
      }
    });
    head.append(h, closeButton);
    const viewport = el('div', 'ip-viewport');
    this.video = el('video', 'ip-video', { playsinline: '', autoplay: '', muted: '', disablepictureinpicture: '', 'aria-hidden': 'true', 'data-testid': 'early-video' });
    this.video.muted = true;
    const frame = el('div', 'ip-frame', { 'aria-hidden': 'true' });
    for (const c of ['ip-tl', 'ip-tr', 'ip-bl', 'ip-br']) frame.appendChild(el('span', `ip-corner ${c}`));
    this.hint = el('p', 'ip-hint', { role: 'status' });
    this.hint.textContent = starting;
    viewport.append(this.video, frame, this.hint);
    const camera = el('section', 'ip-camera');
    camera.appendChild(viewport);
    const body = el('div', 'ip-body');
    body.appendChild(camera);
    sheet.append(el('div', 'ip-grabber', { 'aria-hidden': 'true' }), head, body);
    overlay.appendChild(sheet);
    this.overlay = overlay;
    root.appendChild(overlay);
    h.focus();
  }

  /** For the UI module: the stream's promise, once (undefined after that, or once this view has ended). */
  take() {
    if (this.taken || this.ended) return undefined;
    this.taken = true;
    return this.promise;
  }

  /** The UI module is mounted and opening its sheet: leave when its video plays (the UI's sheet has slid
   * in beneath by then), or after 1.5 s; a stream it has not taken by then is stopped. */
  handOver(root) {
    const mountedAt = performance.now();
    let done = false;
    const leave = () => {
      if (done) return;
      done = true;
      root.removeEventListener('playing', onPlaying, true);
      this.end();
    };
    const onPlaying = (e) => {
      if (e.target === this.video) return;
      setTimeout(leave, Math.max(0, 250 - (performance.now() - mountedAt)));
    };
    root.addEventListener('playing', onPlaying, true);
    setTimeout(leave, 1500);
  }

  /** Remove the view; the stream is stopped unless the UI module took it. */
  end() {
    if (this.ended) return;
    this.ended = true;
    if (!this.taken) stopStream(this.stream);
    this.video.srcObject = null;
    this.overlay.remove();
  }
}

class InterpayCheckout extends HTMLElement {
  connectedCallback() {
    if (this._handle || this._loading) return;
    const root = this.shadowRoot || this.attachShadow({ mode: 'open' });
    if (!root.querySelector('link[data-interpay-css]')) {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = url(ASSETS.css.path);
      if (ASSETS.css.integrity) {
        link.integrity = ASSETS.css.integrity;
        link.crossOrigin = 'anonymous';
      }
      link.setAttribute('data-interpay-css', '');
      root.appendChild(link);
    }
    // The launch button works at once; the UI module arrives behind it.
    const [label, failed, opening] = fallbackText(this);
    let placeholder = root.querySelector('[data-interpay-placeholder]');
    if (!placeholder) {
      placeholder = document.createElement('div');
      placeholder.setAttribute('data-interpay-placeholder', '');
      placeholder.className = 'ip-root';
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'ip-launch';
      b.setAttribute('part', 'launch');
      b.setAttribute('data-testid', 'launch-placeholder');
      b.setAttribute('aria-haspopup', 'dialog');
      const span = document.createElement('span');
      span.textContent = this.getAttribute('label') || label;
      b.append(qrIcon(), span);
      b.addEventListener('click', () => {
        if (this._failed || this._handle) return;
        this._openWhenReady = true;
        b.setAttribute('aria-busy', 'true');
        span.textContent = opening;
        this._openCameraEarly();
      });
      placeholder.appendChild(b);
      root.appendChild(placeholder);
    }
    this._failed = false;
    this._loading = loadUi()
      .then((m) => {
        this._loading = null;
        if (!this.isConnected || this._handle) return;
        const early = this._early;
        this._handle = m.mount_widget(root, this, {
          orderUrl: this.getAttribute('order-url') || undefined,
          locale: this.getAttribute('locale') || undefined,
          label: this.getAttribute('label') || undefined,
          scanRegion: this.getAttribute('scan-region') || undefined,
          resolveUrl: this.getAttribute('resolve-url') || undefined,
          workerUrl: url(ASSETS.worker.path),
          readFrame,
          takeCamera: () => (early ? early.take() : undefined),
        });
        if (this._openWhenReady) {
          this._openWhenReady = false;
          this.open();
        }
        if (early) {
          early.handOver(root);
          this._early = null;
        }
      })
      .catch((err) => {
        this._loading = null;
        this._failed = true;
        this._endEarlyCamera();
        console.error('interpay: failed to load', err);
        const b = placeholder.querySelector('button');
        if (b) {
          b.disabled = true;
          b.removeAttribute('aria-busy');
        }
        const p = document.createElement('p');
        p.className = 'ip-load-error';
        p.setAttribute('role', 'alert');
        p.setAttribute('data-testid', 'error-message');
        p.textContent = failed;
        placeholder.appendChild(p);
        this.dispatchEvent(new CustomEvent('interpay:error', {
          bubbles: true, composed: true, detail: { code: 'load_failed', message: String((err && err.message) || err) },
        }));
      });
  }

  /** Open the scan sheet, as a tap on the launch button does (after the UI module has loaded if it has not). */
  open() {
    const b = this.shadowRoot && this.shadowRoot.querySelector('[data-testid="scan-button"]');
    if (b) {
      if (b.getAttribute('aria-expanded') !== 'true') b.click();
    } else if (!this._failed) {
      this._openWhenReady = true;
      this._openCameraEarly();
    }
  }

  /** Before the UI module: open the camera now and show it (EarlyCamera); closing it cancels the tap. */
  _openCameraEarly() {
    const root = this.shadowRoot;
    const md = typeof navigator === 'object' ? navigator.mediaDevices : null;
    // Without a camera API (or off HTTPS) the UI module says why, with its fallbacks, when it arrives.
    if (this._early || !root || !window.isSecureContext || !md || typeof md.getUserMedia !== 'function') return;
    try {
      this._early = new EarlyCamera(root, fallbackText(this), () => {
        this._openWhenReady = false;
        this._endEarlyCamera();
        const b = root.querySelector('[data-testid="launch-placeholder"]');
        if (b) {
          b.removeAttribute('aria-busy');
          b.lastChild.textContent = this.getAttribute('label') || fallbackText(this)[0];
          b.focus();
        }
      });
    } catch (err) {
      console.warn('interpay: early camera', err);
      this._early = null;
    }
  }

  _endEarlyCamera() {
    if (this._early) this._early.end();
    this._early = null;
  }

  static get observedAttributes() { return ['locale', 'label', 'scan-region', 'order-url', 'resolve-url']; }

  // Options are read at mount: a change remounts the widget (unless a payment is on screen).
  attributeChangedCallback(name, oldValue, newValue) {
    if (!this._handle || oldValue === newValue) return;
    const sheetOpen = this.shadowRoot && this.shadowRoot.querySelector('.ip-overlay:not([hidden])');
    if (sheetOpen) return;
    this.disconnectedCallback();
    this.connectedCallback();
  }

  disconnectedCallback() {
    this._endEarlyCamera();
    if (this._handle) {
      this._handle.unmount();
      this._handle.free();
      this._handle = null;
      const ph = this.shadowRoot && this.shadowRoot.querySelector('[data-interpay-placeholder]');
      if (ph) ph.remove();
    }
  }
}

if (!customElements.get('interpay-checkout')) {
  customElements.define('interpay-checkout', InterpayCheckout);
}

export { InterpayCheckout };
