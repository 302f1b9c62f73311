/*
 * Sandbox wallet: a stand-in for a real wallet's JS bridge, for the demo and the tests.
 *
 * Same shape as the mini-program payment APIs (docs/ARCHITECTURE.md, "Sandbox wallet bridge"):
 *
 *   window.SandboxWalletJSBridge.invoke('requestPayment', params, callback)
 *
 * `params` are the order's `wallet_params` from the merchant (at least `order_id`, `amount`, `currency`).
 * The wallet shows its own sheet (#sandbox-wallet) with Pay / Cancel / Decline. The choice is reported to the
 * sandbox merchant (POST /sandbox/wallet/pay, the stand-in for a wallet's server-to-server notification), then
 * `callback` receives, always asynchronously:
 *   { err_msg: 'requestPayment:ok' }
 *   { err_msg: 'requestPayment:cancel', err_code: 'user_cancelled', err_desc }
 *   { err_msg: 'requestPayment:fail',  err_code, err_desc }
 *
 * Plain script (no module, no inline styles: works under the demo's strict CSP).
 */
(function () {
  'use strict';
  if (window.SandboxWalletJSBridge) return;

  // Where the sandbox merchant lives: the origin this script was served from.
  var script = document.currentScript;
  var base = script && script.src ? new URL('.', script.src).href : location.origin + '/';
  var NOTIFY_URL = new URL('sandbox/wallet/pay', base).href;

  var busy = false;

  function later(cb, res) {
    setTimeout(function () {
      try {
        cb(res);
      } catch (e) {
        console.error('SandboxWalletJSBridge: callback threw', e);
      }
    }, 0);
  }

  function css(el, styles) {
    // CSSOM assignments are allowed by `style-src 'self'` (style attributes in markup are not).
    for (var k in styles) el.style[k] = styles[k];
    return el;
  }

  function make(tag, text, styles) {
    var el = document.createElement(tag);
    if (text != null) el.textContent = text;
    if (styles) css(el, styles);
    return el;
  }

  function formatAmount(amount, currency) {
    var n = Number(amount);
    if (!isFinite(n)) return String(amount) + ' ' + (currency || '');
    try {
      return new Intl.NumberFormat(navigator.language || 'en', { style: 'currency', currency: currency }).format(n);
    } catch (e) {
      return String(amount) + ' ' + (currency || '');
    }
  }

  function notify(orderId, result) {
    return fetch(NOTIFY_URL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ order_id: orderId, result: result }),
      credentials: 'same-origin',
    }).then(function (r) {
      if (!r.ok) {
        return r
          .json()
          .catch(function () {
            return {};
          })
          .then(function (body) {
            var err = (body && body.error) || {};
            throw { code: err.code || 'notify_http_' + r.status, message: err.message || 'HTTP ' + r.status };
          });
      }
      return r.json();
    });
  }

  function showSheet(params, done) {
    var overlay = make('div', null, {
      position: 'fixed', inset: '0', background: 'rgba(0,0,0,0.45)', zIndex: '2147483647',
      display: 'flex', alignItems: 'flex-end', justifyContent: 'center', fontFamily: 'system-ui, sans-serif',
    });
    overlay.id = 'sandbox-wallet';
    overlay.setAttribute('role', 'dialog');
    overlay.setAttribute('aria-modal', 'true');
    overlay.setAttribute('aria-labelledby', 'sandbox-wallet-title');

    var sheet = make('div', null, {
      background: '#fff', color: '#111', width: '100%', maxWidth: '480px', borderRadius: '16px 16px 0 0',
      padding: '20px 20px calc(20px + env(safe-area-inset-bottom))', boxSizing: 'border-box',
      boxShadow: '0 -4px 24px rgba(0,0,0,0.25)',
    });
    var title = make('h2', 'Sandbox Wallet', { margin: '0 0 4px', fontSize: '18px' });
    title.id = 'sandbox-wallet-title';
    var note = make('p', 'Test wallet: no real money moves.', { margin: '0 0 16px', fontSize: '13px', color: '#555' });
    var amount = make('p', formatAmount(params.amount, params.currency), {
      margin: '0 0 4px', fontSize: '28px', fontWeight: '700',
    });
    amount.id = 'sandbox-wallet-amount';
    var order = make('p', 'Order ' + params.order_id, { margin: '0 0 20px', fontSize: '13px', color: '#555' });
    order.id = 'sandbox-wallet-order';
    var status = make('p', '', { minHeight: '1.2em', margin: '0 0 8px', fontSize: '13px', color: '#a00' });
    status.id = 'sandbox-wallet-status';
    status.setAttribute('role', 'status');

    var buttons = make('div', null, { display: 'flex', flexDirection: 'column', gap: '10px' });
    function button(id, label, primary, result) {
      var b = make('button', label, {
        minHeight: '48px', fontSize: '17px', borderRadius: '10px', cursor: 'pointer',
        border: primary ? 'none' : '1px solid #bbb', background: primary ? '#0a7d33' : '#fff',
        color: primary ? '#fff' : '#111', fontWeight: primary ? '700' : '500',
      });
      b.type = 'button';
      b.id = id;
      b.dataset.result = result;
      b.addEventListener('click', function () {
        choose(result);
      });
      buttons.appendChild(b);
      return b;
    }
    var pay = button('sandbox-wallet-pay', 'Pay', true, 'paid');
    button('sandbox-wallet-cancel', 'Cancel', false, 'cancelled');
    button('sandbox-wallet-decline', 'Decline', false, 'failed');

    sheet.append(title, note, amount, order, status, buttons);
    overlay.appendChild(sheet);
    document.body.appendChild(overlay);
    pay.focus();

    var chosen = false;
    function close() {
      document.removeEventListener('keydown', onKey, true);
      overlay.remove();
    }
    function onKey(e) {
      if (e.key === 'Escape') {
        e.stopPropagation();
        choose('cancelled');
      }
    }
    document.addEventListener('keydown', onKey, true);

    function choose(result) {
      if (chosen) return;
      chosen = true;
      Array.prototype.forEach.call(buttons.querySelectorAll('button'), function (b) {
        b.disabled = true;
      });
      status.textContent = 'Processing…';
      css(status, { color: '#555' });
      notify(params.order_id, result).then(
        function () {
          close();
          if (result === 'paid') done({ err_msg: 'requestPayment:ok' });
          else if (result === 'cancelled')
            done({ err_msg: 'requestPayment:cancel', err_code: 'user_cancelled', err_desc: 'The shopper cancelled in the wallet.' });
          else
            done({ err_msg: 'requestPayment:fail', err_code: 'declined', err_desc: 'The sandbox wallet declined the payment.' });
        },
        function (err) {
          close();
          done({ err_msg: 'requestPayment:fail', err_code: err.code || 'network_error', err_desc: err.message || String(err) });
        }
      );
    }
  }

  function requestPayment(params, cb) {
    if (!params || typeof params !== 'object' || !params.order_id) {
      return later(cb, { err_msg: 'requestPayment:fail', err_code: 'invalid_params', err_desc: 'order_id is missing from the payment parameters.' });
    }
    if (busy) {
      return later(cb, { err_msg: 'requestPayment:fail', err_code: 'busy', err_desc: 'Another payment is in progress.' });
    }
    busy = true;
    // Open the sheet on the next tick: the bridge never answers synchronously.
    setTimeout(function () {
      showSheet(params, function (res) {
        busy = false;
        later(cb, res);
      });
    }, 0);
  }

  window.SandboxWalletJSBridge = Object.freeze({
    invoke: function (method, params, cb) {
      if (typeof cb !== 'function') cb = function () {};
      if (method === 'requestPayment') return requestPayment(params, cb);
      later(cb, { err_msg: String(method) + ':fail', err_code: 'unsupported_method', err_desc: 'Unknown method ' + String(method) });
    },
  });
  document.dispatchEvent(new Event('SandboxWalletJSBridgeReady'));
})();
