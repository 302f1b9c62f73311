//! The QR decoder: an 8-bit luma image → every QR code in it.
//!
//! CONTRACT (used by the widget's worker and the CLI): [`LumaImage`], [`DecodeOptions`],
//! [`Decoded`], [`decode`] and [`rgba_to_luma`]. Must never panic, whatever the input.
//!
//! Pipeline (modelled on ZXing / zxing-cpp, one file per stage):
//! 1. [`luma`]: image view, crop to the region of interest, 2× down/up-scaling;
//! 2. [`binarizer`]: local-block (hybrid) thresholding, global-histogram fallback;
//! 3. [`finder`]: 1:1:3:1:1 finder patterns with cross-checks, grouped into triples;
//! 4. [`detector`]: module size, dimension, alignment pattern, perspective transform, grid sampling
//!    (from the bits, then from the grey levels at the module centres when that grid fails, then
//!    with the grid's control points fitted to the function patterns on the grey levels, whose
//!    levels are also read sharpened against their neighbours for small blurred modules),
//!    version information;
//! 5. [`bitstream`]: format information, unmasking, Reed–Solomon, segments with ECI, Kanji, Hanzi;
//!    a grid that fails as read is retried transposed, which reads mirrored codes;
//! 6. [`text`]: bytes without ECI → text (UTF-8, Shift-JIS, GBK, ISO-8859-1 guess);
//! 7. [`pure`]: a clean symbol filling a small image without quiet zone (screenshots).
//!
//! Passes, cheapest first, stopping as soon as a pass reads something: hybrid binarisation at full
//! size (normal, then inverted; camera-sized frames also try inverted at half size), then with
//! `try_harder` a 2× downscale, the global-histogram binariser (at half size on large frames), a 2×
//! upscale (small images), local thresholds with a shifted block grid (small images) and the
//! pure-symbol reader. In each pass finder patterns come from a row
//! scan, plus a column scan on small images when the rows read nothing (on camera frames, a third
//! finder guessed from each pair and looked for on the grey levels); every plausible triple is
//! tried (several codes per frame), with several candidate sizes, the located alignment pattern,
//! piecewise sampling between alignment patterns, and a bottom-right corner nudged around both the
//! parallelogram estimate and a perspective estimate from the three finder module sizes.

use serde::{Deserialize, Serialize};

pub mod binarizer;
pub mod bitstream;
pub mod charset;
pub mod detector;
pub mod finder;
pub mod guidance;
pub mod luma;
pub mod perspective;
pub mod pure;
pub mod text;

use binarizer::BitMatrix;

/// A borrowed 8-bit greyscale image, row-major, `data.len() >= width * height`.
#[derive(Debug, Clone, Copy)]
pub struct LumaImage<'a> {
    pub width: usize,
    pub height: usize,
    pub data: &'a [u8],
}

/// A rectangle of the image, in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Region {
    pub x: usize,
    pub y: usize,
    pub width: usize,
    pub height: usize,
}

/// One options struct for the whole pipeline.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct DecodeOptions {
    /// Spend more time: more binarizers and scales.
    pub try_harder: bool,
    /// Also look for light-on-dark codes.
    pub try_invert: bool,
    /// Stop after this many codes (0 = no limit).
    pub max_codes: usize,
    /// Only look inside this rectangle (clamped to the image); corners are still reported in
    /// whole-image pixels.
    pub region: Option<Region>,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        Self { try_harder: true, try_invert: true, max_codes: 0, region: None }
    }
}

/// One decoded QR code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decoded {
    /// The text (UTF-8, or decoded from the ECI / byte charset).
    pub text: String,
    /// The raw data bytes of the code.
    pub bytes: Vec<u8>,
    /// Corners in image pixels: top-left, top-right, bottom-right, bottom-left.
    pub corners: [[f32; 2]; 4],
    /// QR version 1–40.
    pub version: u8,
    /// How the bytes became text: "utf-8", "shift_jis", "gbk", "iso-8859-1" (guessed, no ECI),
    /// or "eci:N" (declared by an ECI designator). Lets callers flag or re-decode guesses.
    #[serde(default)]
    pub charset: String,
}

/// Images larger than this many pixels are first downscaled (bounds time and memory).
const MAX_PIXELS: usize = 16 * 1024 * 1024;
/// Upper bound of triples tried per pass (each try samples a grid and runs Reed–Solomon).
const MAX_TRIPLES: usize = 24;
/// Upper bound of grids sampled and decoded per frame, over every pass: bounds the time a
/// cluttered or noisy frame can take, whatever the finder patterns found.
const MAX_GRIDS: usize = 600;
/// Upper bound of grids per pass after the full-size passes on camera-sized frames (half size,
/// one global threshold, upscaled windows). Those passes read what the first ones missed within
/// their first 22 grids on the 3360 frames of the tuning seeds, but a bound of 32 lost a far,
/// tilted code of a reporting seed; 64 leaves room and still stops the 200 grids a blurred code
/// that will not read once got in one window.
const MAX_FALLBACK_PASS_GRIDS: usize = 64;

/// Decode every QR code in the image. Never panics.
pub fn decode(img: LumaImage<'_>, opts: &DecodeOptions) -> Vec<Decoded> {
    scan_inner(img, opts, false).0.codes
}

/// The work one frame took: grids sampled and decoded in all, and the most in one fallback pass
/// (bounded by [`MAX_FALLBACK_PASS_GRIDS`]). For the benchmarks and the tests of those bounds.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    pub grids: usize,
    pub fallback_pass_peak: usize,
}

/// [`decode`] and the [`Work`] it took.
#[doc(hidden)]
pub fn decode_counting(img: LumaImage<'_>, opts: &DecodeOptions) -> (Vec<Decoded>, Work) {
    let (scan, work) = scan_inner(img, opts, false);
    (scan.codes, work)
}

/// What one frame gave: the codes, and when none read, a hint for the shopper measured on the
/// frame ([`guidance::Guidance`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scan {
    pub codes: Vec<Decoded>,
    pub hint: Option<guidance::Guidance>,
}

/// [`decode`] plus, when no code reads, the shopper hint (finder patterns seen but too small,
/// too blurred or too dark to read; or a very dark frame). Never panics.
pub fn scan(img: LumaImage<'_>, opts: &DecodeOptions) -> Scan {
    scan_inner(img, opts, true).0
}

fn scan_inner(img: LumaImage<'_>, opts: &DecodeOptions, want_hint: bool) -> (Scan, Work) {
    let (w, h) = (img.width, img.height);
    let empty = (Scan { codes: Vec::new(), hint: None }, Work::default());
    let Some(n) = w.checked_mul(h) else { return empty };
    if w == 0 || h == 0 || img.data.len() < n {
        return empty;
    }
    // Region of interest: crop, and remember the offset.
    let (mut owned, mut ox, mut oy) = (None, 0.0f32, 0.0f32);
    let (mut cw, mut ch) = (w, h);
    if let Some(r) = opts.region {
        if let Some((buf, rw, rh)) = luma::crop(img.data, w, h, r) {
            ox = r.x.min(w) as f32;
            oy = r.y.min(h) as f32;
            owned = Some(buf);
            cw = rw;
            ch = rh;
        }
    }
    let mut scale = 1.0f32;
    while cw.saturating_mul(ch) > MAX_PIXELS {
        let src: &[u8] = owned.as_deref().unwrap_or(img.data);
        let (buf, nw, nh) = luma::downscale2(src, cw, ch);
        owned = Some(buf);
        cw = nw;
        ch = nh;
        scale *= 2.0;
    }
    let base: &[u8] = owned.as_deref().unwrap_or(img.data);
    let mut out = Vec::new();
    let seen = Seen::default();
    decode_passes(base, cw, ch, opts, &mut out, &seen);
    for d in &mut out {
        for c in &mut d.corners {
            c[0] = c[0] * scale + ox;
            c[1] = c[1] * scale + oy;
        }
    }
    let hint = if want_hint && out.is_empty() { guidance::measure(base, cw, ch, &seen.patterns.borrow(), scale) } else { None };
    let work = Work { grids: seen.grids.get(), fallback_pass_peak: seen.fallback_peak.get() };
    (Scan { codes: out, hint }, work)
}

/// What the passes saw: the most finder patterns any pass found, and that pass's patterns
/// (x, y, module size in the pass's input image pixels).
#[derive(Default)]
struct Seen {
    most: std::cell::Cell<usize>,
    /// Grids sampled and decoded so far in this frame (bounded by [`MAX_GRIDS`]).
    grids: std::cell::Cell<usize>,
    /// The current pass's bound on `grids` (the frame's [`MAX_GRIDS`], or less in a fallback pass).
    limit: std::cell::Cell<Option<usize>>,
    /// The most grids one fallback pass took ([`Work::fallback_pass_peak`]).
    fallback_peak: std::cell::Cell<usize>,
    patterns: std::cell::RefCell<Vec<[f32; 3]>>,
    /// In a far-code window of a camera frame (4c): no column scan (the window is a second look
    /// at patterns the rows already found, and the scan would double its cost).
    window: std::cell::Cell<bool>,
}

impl Seen {
    /// The bound on [`Seen::grids`] for the pass running now.
    fn grid_limit(&self) -> usize {
        self.limit.get().map_or(MAX_GRIDS, |l| l.min(MAX_GRIDS))
    }
    fn record(&self, p: &[finder::FinderPattern], scale: f32) {
        if p.len() > self.most.get() {
            self.most.set(p.len());
            let mut v = self.patterns.borrow_mut();
            v.clear();
            v.extend(p.iter().take(8).map(|q| [q.x as f32 * scale, q.y as f32 * scale, q.module_size as f32 * scale]));
        }
    }
    fn get(&self) -> usize {
        self.most.get()
    }
}

/// `INTERPAY_PASS_STATS` set (native builds): every pass prints its size, grids and time. Read once
/// per process, not once per pass.
#[cfg(not(target_arch = "wasm32"))]
fn pass_stats() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("INTERPAY_PASS_STATS").is_some())
}

fn decode_passes(luma: &[u8], w: usize, h: usize, opts: &DecodeOptions, out: &mut Vec<Decoded>, seen: &Seen) {
    let mut pass = 0u32;
    // Most finder patterns any pass found: the shifted-grid retry only runs when some pass saw at
    // least two (near a code), so frames without a code do not pay for it.
    // Passes after the full-size ones get at most [`MAX_FALLBACK_PASS_GRIDS`] grids each.
    let fallback = std::cell::Cell::new(false);
    let mut run = |bits: &BitMatrix, grey: Option<detector::Grey>, scale: f32, out: &mut Vec<Decoded>| {
        pass += 1;
        seen.limit.set(fallback.get().then(|| seen.grids.get() + MAX_FALLBACK_PASS_GRIDS));
        let before = seen.grids.get();
        #[cfg(not(target_arch = "wasm32"))]
        let t0 = pass_stats().then(std::time::Instant::now);
        let ok = run_matrix(bits, grey, scale, opts, out, seen);
        if fallback.get() {
            seen.fallback_peak.set(seen.fallback_peak.get().max(seen.grids.get() - before));
        }
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(t0) = t0 {
            eprintln!("PASS {pass} {}x{} scale {scale} grids {} {:.2} ms{}", bits.width, bits.height, seen.grids.get() - before, t0.elapsed().as_secs_f64() * 1e3, if ok { " READ" } else { "" });
        }
        ok
    };
    // 1. Local thresholds at full size, normal then inverted (the same bits flipped: one more
    //    finder scan; light-on-dark codes of 3–4 px modules do not survive the half-size pass).
    let large = w.saturating_mul(h) > 640 * 480 && w.min(h) >= 320;
    let mut bits = binarizer::hybrid(luma, w, h);
    if run(&bits, grey(luma, w, h, false), 1.0, out) {
        return;
    }
    if opts.try_invert {
        bits.invert();
        if run(&bits, grey(luma, w, h, true), 1.0, out) {
            return;
        }
    }
    drop(bits);
    if !opts.try_harder && !(opts.try_invert && large) {
        return;
    }
    // On camera-sized frames only: a still image (a picked photo, a screenshot) is read once,
    // and its shifted-block passes need more grids (one more corpus image reads with them).
    fallback.set(large);
    // 2. Large modules / noisy camera frames: a 2× box downscale smooths noise.
    let small = (w.min(h) >= 160).then(|| luma::downscale2(luma, w, h));
    if let Some((small, sw, sh)) = &small {
        let mut bits = binarizer::hybrid(small, *sw, *sh);
        if opts.try_harder && run(&bits, grey(small, *sw, *sh, false), 2.0, out) {
            return;
        }
        // Inverted at half size only without `try_harder`'s full-size inverted pass above.
        if opts.try_invert && !opts.try_harder {
            bits.invert();
            if run(&bits, grey(small, *sw, *sh, true), 2.0, out) {
                return;
            }
        }
    }
    if !opts.try_harder {
        return;
    }
    // 3. One global threshold (soft, low-contrast or very blurred codes); on large frames at half
    //    size, which keeps the cost of a frame without a code low.
    let (gl, gw, gh, gs): (&[u8], usize, usize, f32) = match &small {
        Some((s, sw, sh)) if w.saturating_mul(h) > 640 * 480 => (s, *sw, *sh, 2.0),
        _ => (luma, w, h, 1.0),
    };
    let mut bits = binarizer::global_histogram(gl, gw, gh);
    if run(&bits, grey(gl, gw, gh, false), gs, out) {
        return;
    }
    if opts.try_invert {
        bits.invert();
        if run(&bits, grey(gl, gw, gh, true), gs, out) {
            return;
        }
    }
    // 4. Tiny codes: 2× bilinear upscale gives the local thresholds and run lengths room to work.
    if w.max(h) <= 640 {
        let (big, bw, bh) = luma::upscale2(luma, w, h);
        let bits = binarizer::hybrid(&big, bw, bh);
        if run(&bits, grey(&big, bw, bh, false), 0.5, out) {
            return;
        }
    }
    // 4b. Small still images: local thresholds with the block grid shifted by half a block.
    //     Which side of a block edge a finder pattern or module falls on changes the thresholds
    //     it gets; on wrinkled or unevenly lit codes one alignment reads where the other does not
    //     (the same image then reads in some rotations only). Camera frames skip this (speed), and
    //     so do images where no pass found two finder patterns.
    if w.saturating_mul(h) <= 640 * 480 && w >= 48 && h >= 48 && seen.get() >= 2 {
        for (px, py) in [(4usize, 4usize), (4, 0), (0, 4), (2, 2), (6, 6)] {
            let (pw, ph) = (w + px, h + py);
            let mut padded = Vec::with_capacity(pw * ph);
            for y in 0..ph {
                let sy = y.saturating_sub(py).min(h - 1);
                let Some(row) = luma.get(sy * w..sy * w + w) else { break };
                let first = row.first().copied().unwrap_or(0);
                padded.extend(std::iter::repeat_n(first, px));
                padded.extend_from_slice(row);
            }
            if padded.len() != pw * ph {
                break;
            }
            let bits = binarizer::hybrid(&padded, pw, ph);
            let before = out.len();
            let ok = run(&bits, grey(&padded, pw, ph, false), 1.0, out);
            for d in out.iter_mut().skip(before) {
                for c in &mut d.corners {
                    c[0] -= px as f32;
                    c[1] -= py as f32;
                }
            }
            if ok {
                return;
            }
        }
    }
    // 4c. Far codes on camera frames (modules under ~3 px): some pass saw a small finder pattern
    //     but nothing read. Upscale 2× only a window around it (at most two windows), where run
    //     lengths of 1–2 px become 2–4 px and the sampling grid lands inside modules.
    if large && out.is_empty() {
        let pats: Vec<[f32; 3]> = seen.patterns.borrow().iter().filter(|p| p[2] > 0.0 && p[2] < 3.2).copied().collect();
        let mut windows: Vec<(Region, [f32; 3])> = Vec::new();
        for p in pats {
            let half = (p[2] * 55.0).clamp(90.0, 260.0);
            let (x0, y0) = ((p[0] - half).max(0.0) as usize, (p[1] - half).max(0.0) as usize);
            let r = Region { x: x0, y: y0, width: (2.0 * half) as usize, height: (2.0 * half) as usize };
            let covered = windows.iter().any(|(q, _)| p[0] as usize >= q.x + q.width / 4 && (p[0] as usize) < q.x + 3 * q.width / 4 && p[1] as usize >= q.y + q.height / 4 && (p[1] as usize) < q.y + 3 * q.height / 4);
            if !covered && windows.len() < 2 {
                windows.push((r, p));
            }
        }
        // The windows' patterns are in window pixels: keep the whole-frame ones for the hint.
        let keep = (seen.most.get(), seen.patterns.borrow().clone());
        seen.window.set(true);
        // Windows that sampled grids (a triple passed the format gate): a later window around a
        // pattern whose whole finder lies inside one of them is the same code seen again, and
        // costs as much as the first (half the time of a far, defocused frame that does not read).
        let mut sampled: Vec<Region> = Vec::new();
        for (r, p) in windows {
            if sampled.iter().any(|q| finder_inside(q, &p)) {
                continue;
            }
            let grids_before = seen.grids.get();
            let Some((buf, cw, chh)) = luma::crop(luma, w, h, r) else { continue };
            let (big, bw, bh) = luma::upscale2(&buf, cw, chh);
            let before = out.len();
            let mut bits = binarizer::hybrid(&big, bw, bh);
            let mut ok = run(&bits, grey(&big, bw, bh, false), 0.5, out);
            if !ok && opts.try_invert {
                bits.invert();
                ok = run(&bits, grey(&big, bw, bh, true), 0.5, out);
            }
            for d in out.iter_mut().skip(before) {
                for c in &mut d.corners {
                    c[0] += r.x as f32;
                    c[1] += r.y as f32;
                }
            }
            if ok {
                return;
            }
            if seen.grids.get() > grids_before {
                sampled.push(r);
            }
        }
        seen.window.set(false);
        seen.most.set(keep.0);
        *seen.patterns.borrow_mut() = keep.1;
    }
    // 5. A clean symbol filling a small image (screenshots, generated images, no quiet zone).
    if w.max(h) <= 1024 {
        let bits = binarizer::global_histogram(luma, w, h);
        for g in pure::extract(&bits) {
            if let Some(d) = decode_grid(g, 1.0) {
                out.push(d);
                return;
            }
        }
    }
}

/// Whether the whole finder pattern `p` (x, y, module size) lies inside the window `q`.
fn finder_inside(q: &Region, p: &[f32; 3]) -> bool {
    let m = 7.0 * p[2];
    p[0] - m >= q.x as f32 && p[0] + m < (q.x + q.width) as f32 && p[1] - m >= q.y as f32 && p[1] + m < (q.y + q.height) as f32
}

/// Finds and decodes codes in one binary image; true when something was read.
fn run_matrix(bits: &BitMatrix, grey: Option<detector::Grey>, scale: f32, opts: &DecodeOptions, out: &mut Vec<Decoded>, seen: &Seen) -> bool {
    let before = out.len();
    let mut patterns = finder::find_patterns(bits, opts.try_harder);
    seen.record(&patterns, scale);
    #[cfg(all(debug_assertions, not(target_arch = "wasm32")))]
    if std::env::var_os("INTERPAY_DEBUG").is_some() {
        eprintln!("matrix {}x{} scale {scale}: {} patterns", bits.width, bits.height, patterns.len());
        for p in &patterns {
            eprintln!("  p ({:.1},{:.1}) ms {:.2} n {}", p.x, p.y, p.module_size, p.count);
        }
    }
    if patterns.len() >= 3 {
        try_patterns(bits, grey, &patterns, 0, scale, opts, out, seen);
    }
    // Two finder patterns but the third not found (far, tilted, dim codes): guess it from each
    // pair and look for it on the grey levels; camera-sized full-size passes and far-code windows.
    if out.len() == before && opts.try_harder && patterns.len() >= 2 && (seen.window.get() || (scale == 1.0 && bits.width.saturating_mul(bits.height) > 640 * 480)) {
        if let Some(g) = grey.as_ref() {
            let old = patterns.len();
            patterns.extend(detector::missing_finders(g, &patterns));
            if patterns.len() > old {
                try_patterns(bits, grey, &patterns, old, scale, opts, out, seen);
            }
        }
    }
    if out.len() > before || !opts.try_harder || scale > 1.0 || bits.width.saturating_mul(bits.height) > 640 * 480 || seen.window.get() {
        return out.len() > before;
    }
    // Nothing read: scan the columns too (finder patterns cut badly by rows under rotation and
    // perspective are often clean in columns), and retry the triples that use a new pattern.
    // Only on small images: on camera frames the half-size passes cover this more cheaply.
    let t = bits.transposed();
    let old = patterns.len();
    for mut p in finder::find_patterns(&t, true) {
        std::mem::swap(&mut p.x, &mut p.y);
        let dup = patterns.iter().any(|q| (q.x - p.x).abs() <= q.module_size.max(p.module_size) && (q.y - p.y).abs() <= q.module_size.max(p.module_size));
        if !dup && patterns.len() < 48 {
            patterns.push(p);
        }
    }
    seen.record(&patterns, scale);
    if patterns.len() > old && patterns.len() >= 3 {
        try_patterns(bits, grey, &patterns, old, scale, opts, out, seen);
    }
    out.len() > before
}

/// Tries the plausible triples of `patterns`, best first; with `first_new` > 0 only triples
/// using at least one pattern at index ≥ `first_new` (the others were tried already).
fn try_patterns(bits: &BitMatrix, grey: Option<detector::Grey>, patterns: &[finder::FinderPattern], first_new: usize, scale: f32, opts: &DecodeOptions, out: &mut Vec<Decoded>, seen: &Seen) {
    let triples = finder::triples(patterns);
    // On small still images every plausible triple gets a full look; on camera-sized images
    // triples whose format information does not read are skipped (speed).
    let gate = !(opts.try_harder && scale <= 1.0 && bits.width.saturating_mul(bits.height) <= 640 * 480);
    let mut used = vec![false; patterns.len()];
    let mut tried = 0;
    for t in triples.iter() {
        if first_new > 0 && t.idx.iter().all(|&i| i < first_new) {
            continue;
        }
        tried += 1;
        if tried > MAX_TRIPLES {
            break;
        }
        if t.idx.iter().any(|&i| used.get(i).copied().unwrap_or(true)) {
            continue;
        }
        if seen.grids.get() >= seen.grid_limit() {
            break;
        }
        let mut got: Option<Decoded> = None;
        detector::for_each_grid(bits, grey, t, opts.try_harder, gate, |g| {
            // Counted only when decoded, so `grids` never passes the limit.
            if seen.grids.get() >= seen.grid_limit() {
                return true;
            }
            seen.grids.set(seen.grids.get() + 1);
            if let Some(d) = decode_grid(g, scale) {
                got = Some(d);
                true
            } else {
                false
            }
        });
        if let Some(d) = got {
            for &i in &t.idx {
                if let Some(u) = used.get_mut(i) {
                    *u = true;
                }
            }
            if !out.iter().any(|o| o.bytes == d.bytes && near(o, &d)) {
                out.push(d);
            }
            if opts.max_codes > 0 && out.len() >= opts.max_codes {
                break;
            }
        }
    }
}

/// The grey image behind a pass's bits (see [`detector::Grey`]).
fn grey(data: &[u8], width: usize, height: usize, inv: bool) -> Option<detector::Grey<'_>> {
    Some(detector::Grey { data, width, height, inv })
}

fn near(a: &Decoded, b: &Decoded) -> bool {
    let c = |d: &Decoded| {
        let x = d.corners.iter().map(|p| p[0]).sum::<f32>() / 4.0;
        let y = d.corners.iter().map(|p| p[1]).sum::<f32>() / 4.0;
        (x, y)
    };
    let (ax, ay) = c(a);
    let (bx, by) = c(b);
    let r = (a.corners[0][0] - a.corners[2][0]).abs().max((a.corners[0][1] - a.corners[2][1]).abs());
    (ax - bx).abs() <= r && (ay - by).abs() <= r
}

fn decode_grid(g: detector::ModuleGrid, scale: f32) -> Option<Decoded> {
    let size = g.size;
    if size < 21 || size > 177 || size % 4 != 1 {
        return None;
    }
    let corners = g.corners.map(|[x, y]| [x * scale, y * scale]);
    #[cfg(all(debug_assertions, not(target_arch = "wasm32")))]
    if std::env::var_os("INTERPAY_DEBUG").is_some() {
        eprintln!("      decode dim {size} template-miss {} fmt {}", detector::debug_template_miss(&g), bitstream::debug_fmt(&g));
    }
    if let Some((p, version)) = bitstream::decode_grid(&g) {
        return Some(Decoded { text: p.text, bytes: p.bytes, corners, version: version as u8, charset: p.charset });
    }
    None
}

/// RGBA (canvas `ImageData`) → luma, integer BT.601 weights.
pub fn rgba_to_luma(rgba: &[u8], width: usize, height: usize) -> Vec<u8> {
    // Every frame of the scan loop pays for this: `luma::from_rgba` (wasm SIMD in the SIMD reader).
    luma::from_rgba(rgba, width, height)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finder_is_inside_a_window_only_with_its_whole_pattern() {
        let q = Region { x: 100, y: 100, width: 200, height: 200 };
        assert!(finder_inside(&q, &[200.0, 200.0, 2.0]));
        // The centre is inside, the pattern's edge (3.5 modules out, 7 with margin) is not.
        assert!(!finder_inside(&q, &[110.0, 200.0, 2.0]));
        assert!(!finder_inside(&q, &[200.0, 295.0, 2.0]));
        assert!(!finder_inside(&q, &[400.0, 200.0, 2.0]));
    }
}
