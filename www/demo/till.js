// Sandbox Café till: issue a bill (POST /api/bills), show its code, and turn to "paid" live when the
// merchant server confirms the shopper's order (server-sent events; polling where EventSource fails).
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var form = $('till-form'), amount = $('till-amount'), tip = $('till-tip'), error = $('till-error');
  var card = $('till-bill'), qr = $('till-qr'), status = $('till-status'), shown = $('till-amount-shown');
  var billId = $('till-bill-id'), payload = $('till-payload'), again = $('till-new'), issue = $('till-issue');
  var source = null, poll = null;

  function money(a, c) {
    try {
      return new Intl.NumberFormat(document.documentElement.lang || 'en', { style: 'currency', currency: c }).format(a);
    } catch (e) {
      return a + ' ' + c;
    }
  }

  function stop() {
    if (source) { source.close(); source = null; }
    if (poll) { clearInterval(poll); poll = null; }
  }

  function show(bill) {
    status.dataset.status = bill.status;
    status.className = 'till-status till-' + bill.status;
    if (bill.status === 'paid') {
      var extra = bill.tip && bill.tip !== '0.00' ? ' (tip ' + money(bill.tip, bill.currency) + ')' : '';
      status.textContent = 'Paid ✓ ' + money(bill.paid_amount || bill.amount, bill.currency) + extra + ' · order ' + bill.order_id;
      stop();
    } else if (bill.status === 'expired') {
      status.textContent = 'This code has expired: make a new bill.';
      stop();
    } else {
      status.textContent = 'Waiting for the payment…';
    }
  }

  function follow(bill) {
    stop();
    if (window.EventSource) {
      source = new EventSource(bill.events_url);
      source.addEventListener('bill', function (e) {
        try { show(JSON.parse(e.data)); } catch (err) { /* keep waiting */ }
      });
      source.onerror = function () {
        // Closed by the server once final, or a network error: fall back to polling while open.
        if (source) { source.close(); source = null; }
        if (status.dataset.status === 'open' && !poll) pollStatus(bill);
      };
    } else {
      pollStatus(bill);
    }
  }

  function pollStatus(bill) {
    poll = setInterval(function () {
      fetch(bill.status_url, { headers: { Accept: 'application/json' } })
        .then(function (r) { return r.json(); })
        .then(show)
        .catch(function () { /* try again */ });
    }, 1000);
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    error.hidden = true;
    var value = amount.value.trim().replace(',', '.');
    if (!/^\d+(\.\d{1,2})?$/.test(value) || Number(value) <= 0) {
      error.textContent = 'Type an amount such as 18.00';
      error.hidden = false;
      amount.focus();
      return;
    }
    issue.disabled = true;
    var body = { amount: value, currency: 'CNY' };
    if (tip.checked) body.tip_rule = 'prompt';
    fetch('/api/bills', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    })
      .then(function (r) {
        return r.json().then(function (v) {
          if (!r.ok) throw new Error((v.error && v.error.message) || ('HTTP ' + r.status));
          return v;
        });
      })
      .then(function (bill) {
        qr.src = bill.qr_url;
        shown.textContent = money(bill.amount, bill.currency);
        billId.textContent = bill.bill_id;
        payload.textContent = bill.payload;
        card.hidden = false;
        if (card.scrollIntoView) card.scrollIntoView({ block: 'start' });
        show(bill);
        follow(bill);
      })
      .catch(function (err) {
        error.textContent = 'Could not issue the bill: ' + err.message;
        error.hidden = false;
      })
      .then(function () { issue.disabled = false; });
  });

  again.addEventListener('click', function () {
    stop();
    card.hidden = true;
    amount.value = '';
    amount.focus();
  });
})();
