// Interpay decoder worker (module worker): camera frames in, QR codes and their payment readings out,
// off the main thread. It runs the reader module (decoder + payload parser), not the checkout UI.
//
// In:  {id, width, height, data: ArrayBuffer (RGBA, transferred)}
// Out: {id, codes: "<JSON {codes: [{text, corners, payment | not_payment | error}], hint}>", error: null | string}
//
// A wasm trap leaves this instance unusable: after an error the page terminates this worker and
// starts a fresh one. Its imports resolve from its own URL, so it also runs when started from a
// same-origin blob: module on a page of another origin (the widget served from a CDN).

// Replaced by `cargo xtask build` with the hashed file names.
const READER = /*@interpay-reader*/ { js: './pkg/interpay_reader.js', wasm: './pkg/interpay_reader_bg.wasm', integrity: '' } /*@end*/;

const ready = import(new URL(READER.js, import.meta.url).href).then(async (m) => {
  const wasm = new URL(READER.wasm, import.meta.url).href;
  await m.default({ module_or_path: fetch(wasm, READER.integrity ? { integrity: READER.integrity } : {}) });
  return m;
});
// An unhandled rejection before the first frame is reported with that frame.
ready.catch(() => {});

self.onmessage = async (event) => {
  const { id, width, height, data } = event.data || {};
  try {
    const reader = await ready;
    const codes = reader.read_frame(new Uint8Array(data), width >>> 0, height >>> 0);
    self.postMessage({ id, codes, error: null });
  } catch (err) {
    self.postMessage({ id, codes: '{"codes":[]}', error: String((err && err.message) || err || 'decoder error') });
  }
};
