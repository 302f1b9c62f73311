// Interpay: the one script a merchant adds.
//
//   <script type="module" src="https://…/interpay/interpay.js"></script>
//   <interpay-checkout order-url="/api/orders"></interpay-checkout>
//
// Attributes: order-url (required), locale ("en", "fr", "zh-CN", "zh-TW"…), label, scan-region (0.2–1, default 0.7).
// Events (bubbling, composed) on the element: interpay:scanned, interpay:order-created, interpay:succeeded,
// interpay:cancelled, interpay:failed, interpay:error. Theme with CSS custom properties on the element
// (see interpay.css: --interpay-accent, --interpay-radius, --interpay-font, …).
//
// Strict-CSP friendly: no inline script or style, no eval; the wasm needs 'wasm-unsafe-eval'.

const here = import.meta.url;
const url = (path) => new URL(path, here).href;

let wasm = null;
function loadWasm() {
  if (!wasm) {
    wasm = import('./pkg/interpay.js').then(async (m) => {
      await m.default({ module_or_path: url('./pkg/interpay_bg.wasm') });
      return m;
    });
    // Let a later element retry after a failed download.
    wasm.catch(() => { wasm = null; });
  }
  return wasm;
}

const FALLBACK_TEXT = {
  en: ['Scan to pay', 'The payment widget could not load. Check your connection and reload the page.'],
  fr: ['Scanner pour payer', 'Le module de paiement n’a pas pu se charger. Vérifiez votre connexion et rechargez la page.'],
  'zh-CN': ['扫码支付', '支付组件加载失败。请检查网络后刷新页面。'],
  'zh-TW': ['掃碼付款', '付款元件載入失敗。請檢查網路後重新整理頁面。'],
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

class InterpayCheckout extends HTMLElement {
  connectedCallback() {
    if (this._handle || this._loading) return;
    const root = this.shadowRoot || this.attachShadow({ mode: 'open' });
    if (!root.querySelector('link[data-interpay-css]')) {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = url('./interpay.css');
      link.setAttribute('data-interpay-css', '');
      root.appendChild(link);
    }
    // Never a blank widget: a (disabled) launcher shows while the wasm loads.
    const [label, failed] = fallbackText(this);
    let placeholder = root.querySelector('[data-interpay-placeholder]');
    if (!placeholder) {
      placeholder = document.createElement('div');
      placeholder.setAttribute('data-interpay-placeholder', '');
      placeholder.className = 'ip-root';
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'ip-launch';
      b.disabled = true;
      b.setAttribute('aria-busy', 'true');
      b.textContent = this.getAttribute('label') || label;
      placeholder.appendChild(b);
      root.appendChild(placeholder);
    }
    this._loading = loadWasm()
      .then((m) => {
        this._loading = null;
        if (!this.isConnected || this._handle) return;
        this._handle = m.mount_widget(root, this, {
          orderUrl: this.getAttribute('order-url') || undefined,
          locale: this.getAttribute('locale') || undefined,
          label: this.getAttribute('label') || undefined,
          scanRegion: this.getAttribute('scan-region') || undefined,
          workerUrl: url('./decoder-worker.js'),
        });
      })
      .catch((err) => {
        this._loading = null;
        console.error('interpay: failed to load', err);
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

  static get observedAttributes() { return ['locale', 'label', 'scan-region']; }

  // Options are read at mount: a change remounts the widget (unless a payment is on screen).
  attributeChangedCallback(name, oldValue, newValue) {
    if (!this._handle || oldValue === newValue) return;
    const sheetOpen = this.shadowRoot && this.shadowRoot.querySelector('.ip-overlay:not([hidden])');
    if (sheetOpen) return;
    this.disconnectedCallback();
    this.connectedCallback();
  }

  disconnectedCallback() {
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
