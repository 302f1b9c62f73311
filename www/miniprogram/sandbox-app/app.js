// Sandbox wallet app for deep-link hand-offs: /miniprogram/sandbox-app/?order_id&amount&currency&return_url
(function () {
  'use strict';
  var q = new URLSearchParams(location.search);
  var orderId = q.get('order_id') || '';
  var amount = q.get('amount') || '';
  var currency = q.get('currency') || '';
  var back = q.get('return_url') || '';
  var $ = function (id) { return document.getElementById(id); };

  // Only ever send the shopper back to an http(s) page of this origin (never javascript:, never elsewhere).
  function safeBack(url) {
    try {
      var u = new URL(url, location.href);
      if ((u.protocol === 'http:' || u.protocol === 'https:') && u.origin === location.origin) return u.href;
    } catch (e) { /* fall through */ }
    return null;
  }

  function withResult(url, result, code, message) {
    var parts = ['interpay_result=' + encodeURIComponent(result)];
    if (!/interpay_order=/.test(url)) parts.unshift('interpay_order=' + encodeURIComponent(orderId));
    if (code) parts.push('interpay_code=' + encodeURIComponent(code));
    if (message) parts.push('interpay_message=' + encodeURIComponent(message));
    return url + (url.indexOf('#') >= 0 ? '&' : '#') + parts.join('&');
  }

  var n = Number(amount);
  try {
    $('amount').textContent = new Intl.NumberFormat(navigator.language || 'en', { style: 'currency', currency: currency }).format(n);
  } catch (e) {
    $('amount').textContent = amount + ' ' + currency;
  }
  $('order').textContent = 'Order ' + orderId;
  var target = safeBack(back);
  if (!orderId || !target) {
    $('status').textContent = 'This payment link is incomplete.';
    ['pay', 'cancel', 'decline'].forEach(function (id) { $(id).disabled = true; });
    return;
  }

  function finish(result, serverResult, code, message) {
    ['pay', 'cancel', 'decline'].forEach(function (id) { $(id).disabled = true; });
    $('status').textContent = 'Returning to the shop…';
    fetch('/sandbox/wallet/pay', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ order_id: orderId, result: serverResult }),
    })
      .catch(function () { /* the shop asks its status endpoint anyway */ })
      .then(function () { location.replace(withResult(target, result, code, message)); });
  }

  $('pay').addEventListener('click', function () { finish('ok', 'paid'); });
  $('cancel').addEventListener('click', function () { finish('cancel', 'cancelled'); });
  $('decline').addEventListener('click', function () { finish('fail', 'failed', 'declined', 'Declined by the sandbox wallet'); });
})();
