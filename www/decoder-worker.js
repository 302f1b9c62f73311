// Interpay decoder worker (module worker): camera frames in, QR codes out, off the main thread.
//
// In:  {id, width, height, data: ArrayBuffer (RGBA, transferred)}
// Out: {id, codes: [{text, corners}], error: null | string}
//
// A wasm trap leaves this instance unusable: after an error the page terminates this worker and
// starts a fresh one.

import init, { decode_rgba } from './pkg/interpay.js';

const ready = init({ module_or_path: new URL('./pkg/interpay_bg.wasm', import.meta.url) });

self.onmessage = async (event) => {
  const { id, width, height, data } = event.data || {};
  try {
    await ready;
    const codes = decode_rgba(new Uint8Array(data), width >>> 0, height >>> 0);
    self.postMessage({ id, codes, error: null });
  } catch (err) {
    self.postMessage({ id, codes: [], error: String((err && err.message) || err || 'decoder error') });
  }
};
