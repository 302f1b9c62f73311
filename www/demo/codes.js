// Sample codes page: the dynamic 18.00 code is a real bill from the merchant server (POST /api/bills),
// not a hand-made code (the server refuses codes it did not issue for its own account).
(function () {
  'use strict';
  var img = document.getElementById('bill-code');
  var id = document.getElementById('bill-id');
  if (!img) return;
  fetch('/api/bills', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ amount: '18.00', currency: 'CNY', note: 'one flat white' }),
  })
    .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status)); })
    .then(function (bill) {
      // Load it first, then swap: the visible image is never half-loaded.
      var next = new Image();
      next.onload = function () {
        img.src = bill.qr_url;
        img.dataset.billId = bill.bill_id;
        if (id) id.textContent = bill.bill_id;
      };
      next.src = bill.qr_url;
    })
    .catch(function (e) {
      if (id) id.textContent = 'not issued (' + e.message + ')';
    });
})();
