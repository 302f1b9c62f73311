// Sandbox Café: log every interpay:* event the widget dispatches (they bubble and are composed).
(function () {
  'use strict';
  var EVENTS = ['interpay:scanned', 'interpay:order-created', 'interpay:succeeded', 'interpay:cancelled',
    'interpay:failed', 'interpay:error'];
  var list = document.getElementById('event-log');
  var clear = document.getElementById('clear-log');

  function summary(name, d) {
    d = d || {};
    var p = d.payment || (d.code && d.code.kind === 'payment' ? d.code : null);
    var parts = [];
    if (d.code && d.code.kind === 'not_payment') parts.push('not a payment code (' + d.code.what + ')');
    if (p && p.payee && p.payee.name) parts.push(p.payee.name);
    if (p && p.amount != null) parts.push(p.amount + ' ' + ((p.currency && p.currency.code) || ''));
    if (d.order && d.order.order_id) parts.push('order ' + d.order.order_id);
    if (d.outcome && d.outcome.status) parts.push('→ ' + d.outcome.status + (d.outcome.code ? ' (' + d.outcome.code + ')' : ''));
    if (name === 'interpay:error') parts.push((d.code || '') + ': ' + (d.message || ''));
    return parts.join(' · ');
  }

  EVENTS.forEach(function (name) {
    document.addEventListener(name, function (e) {
      console.log('[demo]', name, e.detail);
      if (!list) return;
      var li = document.createElement('li');
      li.className = 'ev ev-' + name.slice('interpay:'.length);
      var t = document.createElement('time');
      t.textContent = new Date().toLocaleTimeString();
      var n = document.createElement('strong');
      n.textContent = name;
      var s = document.createElement('span');
      s.textContent = summary(name, e.detail);
      var det = document.createElement('details');
      var sum = document.createElement('summary');
      sum.textContent = 'detail';
      var pre = document.createElement('pre');
      try {
        pre.textContent = JSON.stringify(e.detail, null, 2);
      } catch (err) {
        pre.textContent = String(e.detail);
      }
      det.append(sum, pre);
      li.append(t, ' ', n, ' ', s, det);
      list.prepend(li);
    });
  });
  if (clear) clear.addEventListener('click', function () { list.textContent = ''; });
})();
