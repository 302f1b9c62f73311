// Interpay decoder worker (module worker): camera frames in, QR codes and their payment readings out,
// off the main thread. It runs the reader module (decoder + payload parser), not the checkout UI. Where no
// worker can start, the launcher imports this same script on the main thread and calls `readFrame`.
//
// In:  {id, width, height, data: ArrayBuffer (RGBA, transferred)}
// Out: {id, codes: "<JSON {codes: [{text, corners, payment | not_payment | error}], hint}>", error: null | string,
//       reader: 'simd' | 'plain'}
//
// The reader module comes in two builds with the same exports and output: with wasm SIMD (simd128: Chromium
// 91+, Firefox 89+, Safari 16.4+), loaded where `WebAssembly.validate` accepts a SIMD instruction, and plain
// for older engines. `?reader=plain` on this script's URL forces the plain one (tests; a page that wants it).
// The reply names the one in use (`reader: 'simd' | 'plain'`).
//
// The reader module has no deep checks (IDNA and look-alike tables for non-ASCII hosts, secp256k1 for
// Lightning invoices, Keccak for Ethereum checksums: src/payload/deep.rs). A code it reads as
// `deep_check_needed` is read again by the deep reader module, fetched the first time one is needed;
// when that download fails the code is held back (never shown half-checked) and the frame's hint says
// `check_unavailable`; the download is tried again after DEEP_RETRY_MS.
//
// A wasm trap leaves this instance unusable: after an error the page terminates this worker and
// starts a fresh one. Its imports resolve from its own URL, so it also runs when started from a
// same-origin blob: module on a page of another origin (the widget served from a CDN).

// Replaced by `cargo xtask build` with the hashed file names.
const READER = /*@interpay-reader*/ {
  js: './pkg/interpay_reader.js', wasm: './pkg/interpay_reader_bg.wasm', integrity: '',
  simd: { js: './pkg/interpay_reader_simd.js', wasm: './pkg/interpay_reader_simd_bg.wasm', integrity: '' },
  deep: { js: './pkg/interpay_deep_reader.js', wasm: './pkg/interpay_deep_reader_bg.wasm', integrity: '' },
} /*@end*/;

const DEEP_RETRY_MS = 3000;

// `attempt` > 0: a retry after a failed download. Browsers remember a failed module import for its
// URL, so a retry imports the glue under a new query.
// The wasm download starts with the glue's, not after it: one round trip less before the first frame.
function load(spec, attempt = 0) {
  const js = new URL(spec.js, import.meta.url);
  if (attempt) js.searchParams.set('retry', String(attempt));
  const wasm = fetch(new URL(spec.wasm, import.meta.url).href, spec.integrity ? { integrity: spec.integrity } : {});
  // Not an unhandled rejection when the glue fails first; the glue's init reports a failed download.
  wasm.catch(() => {});
  return import(js.href).then(async (m) => {
    await m.default({ module_or_path: wasm });
    return m;
  });
}

// A function returning i8x16.popcnt(i8x16.splat(0)): valid only where the engine has wasm SIMD (the probe
// of wasm-feature-detect's `simd`).
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

function simdSupported() {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch (_) {
    return false;
  }
}

export const readerKind = new URL(import.meta.url).searchParams.get('reader') !== 'plain' && READER.simd && simdSupported() ? 'simd' : 'plain';
const ready = load(readerKind === 'simd' ? READER.simd : READER);
// An unhandled rejection before the first frame is reported with that frame.
ready.catch(() => {});

let deep = null;
let deepFailedAt = -Infinity;
let deepAttempts = 0;

function deepReader() {
  if (!deep) {
    if (Date.now() - deepFailedAt < DEEP_RETRY_MS) return Promise.reject(new Error('deep reader unavailable'));
    deep = load(READER.deep, deepAttempts++);
    deep.catch(() => {
      deep = null;
      deepFailedAt = Date.now();
    });
  }
  return deep;
}

// The codes of `json` that the reader module could not check, read again by the deep reader module.
async function withDeepChecks(json) {
  const read = JSON.parse(json);
  const kept = [];
  let unavailable = false;
  for (const code of read.codes || []) {
    if (!(code.error && code.error.code === 'deep_check_needed')) {
      kept.push(code);
      continue;
    }
    try {
      const m = await deepReader();
      const again = JSON.parse(m.read_text(code.text));
      delete code.error;
      for (const k of ['payment', 'not_payment', 'error']) if (again[k] != null) code[k] = again[k];
      kept.push(code);
    } catch (_) {
      unavailable = true;
    }
  }
  read.codes = kept;
  if (kept.length === 0 && unavailable) read.hint = 'check_unavailable';
  return JSON.stringify(read);
}

/** One RGBA frame → the reader's JSON, deep checks included. The launcher's main-thread fallback (where
 * no worker can start) imports this script and calls it too. */
export async function readFrame(buffer, width, height) {
  const reader = await ready;
  const codes = reader.read_frame(new Uint8Array(buffer), width >>> 0, height >>> 0);
  return codes.includes('"deep_check_needed"') ? withDeepChecks(codes) : codes;
}

// In a worker (not when imported on the main thread): answer the page's frames.
if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
  // Warm up: a few frames of noise through the decoder while nobody waits, so that the engine has compiled
  // the hot loops with its optimising tier before the shopper's first real frame (V8 starts a module on its
  // baseline compiler and optimises a function once it runs hot). One frame per task, and none once a real
  // frame has come: a shopper's frame never waits behind the warm-up.
  let framesSeen = 0;
  ready.then((reader) => {
    const side = 480;
    const frame = new Uint8Array(side * side * 4);
    let x = 12345;
    for (let i = 0; i < frame.length; i += 4) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const v = (x >>> 24) > 127 ? 230 : 25;
      frame[i] = frame[i + 1] = frame[i + 2] = v;
      frame[i + 3] = 255;
    }
    let n = 0;
    const step = () => {
      if (framesSeen || n++ >= 3) return;
      try {
        reader.read_frame(frame, side, side);
      } catch (_) {
        return; // the first real frame reports a broken instance, and the page starts a new worker
      }
      setTimeout(step, 0);
    };
    setTimeout(step, 0);
  }).catch(() => {});
  self.onmessage = async (event) => {
    framesSeen++;
    const { id, width, height, data } = event.data || {};
    try {
      self.postMessage({ id, codes: await readFrame(data, width, height), error: null, reader: readerKind });
    } catch (err) {
      self.postMessage({ id, codes: '{"codes":[]}', error: String((err && err.message) || err || 'decoder error'), reader: readerKind });
    }
  };
}
