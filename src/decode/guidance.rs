//! Shopper guidance: when a frame shows finder patterns but no code reads, say why, from the
//! decoder's own measurements at those patterns — module size (move closer), edge sharpness
//! (hold still / focus) and luminance (more light). A pure measurement: no state, no allocation
//! beyond a few numbers; the widget turns it into a message (and offers the torch for `TooDark`).
//!
//! Rules, first that holds wins:
//! 1. `TooDark`: around the patterns the mean luma is below [`DARK_MEAN`] or the black-to-white
//!    contrast below [`DARK_CONTRAST`]; also a whole frame this dark when no pattern is seen
//!    (a code in the dark often shows no pattern at all).
//! 2. `TooSmall`: the module size (in frame pixels) is below [`SMALL_MODULE_PX`].
//! 3. `TooBlurred`: the estimated blur (Gaussian sigma from the steepest edge across a pattern,
//!    relative to its contrast) exceeds [`BLUR_PER_MODULE`] of a module.
//!
//! Measured on the two patterns of most similar module size at a distance a code could have, or
//! on the strongest lone pattern (a far code often shows only one). A finder-like shape in the
//! scene can then give a hint without a code; the hint is advice, never a read.

use serde::{Deserialize, Serialize};

/// What the shopper should change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Guidance {
    /// Move closer: modules too small to sample.
    TooSmall,
    /// Hold still / let the camera focus: edges too soft.
    TooBlurred,
    /// More light (torch): too dark or too little contrast.
    TooDark,
    /// Not the decoder's: a code read, but the checks its reading needs could not be downloaded (the
    /// decoder worker sets it; `payload::deep`). Check the connection.
    CheckUnavailable,
}

pub const DARK_MEAN: f32 = 40.0;
pub const DARK_CONTRAST: f32 = 28.0;
pub const SMALL_MODULE_PX: f32 = 2.2;
pub const BLUR_PER_MODULE: f32 = 0.38;

/// The hint for a frame in which nothing read. `luma` is `w`×`h`; `patterns` are `[x, y, module]`
/// in `luma` pixels; `scale` maps `luma` pixels to frame pixels (> 1 when the decoder downscaled).
pub fn measure(luma: &[u8], w: usize, h: usize, patterns: &[[f32; 3]], scale: f32) -> Option<Guidance> {
    if w == 0 || h == 0 || luma.len() < w.saturating_mul(h) {
        return None;
    }
    #[cfg(not(target_arch = "wasm32"))]
    if std::env::var_os("INTERPAY_DEBUG_HINT").is_some() {
        eprintln!("hint patterns {patterns:?}");
    }
    let pair = best_pair(patterns);
    // A lone pattern (the others cut by blur or glare) still tells blur and light, not size
    // (finder-like shapes in the scene are often small).
    let lone = pair.is_none();
    let pair = pair.or_else(|| patterns.first().map(|&p| (p, p)));
    let Some((a, b)) = pair else {
        // No pattern: only a very dark frame gets a hint.
        let (mean, lo, hi) = stats(luma, w, h, 0, 0, w, h, 4);
        return (mean < DARK_MEAN * 0.75 && hi - lo < 3.0 * DARK_CONTRAST).then_some(Guidance::TooDark);
    };
    let mut means = 0.0;
    let mut contrast = f32::MAX;
    let mut blur = 0.0f32;
    let mut ms = 0.0;
    for p in [a, b] {
        let m = p[2].max(0.5);
        let r = (4.5 * m).ceil() as usize;
        let (cx, cy) = (p[0].max(0.0) as usize, p[1].max(0.0) as usize);
        let (mean, lo, hi) = stats(luma, w, h, cx.saturating_sub(r), cy.saturating_sub(r), (cx + r).min(w), (cy + r).min(h), 1);
        means += mean / 2.0;
        contrast = contrast.min(hi - lo);
        blur = blur.max(edge_sigma(luma, w, h, cx, cy, r) / m);
        ms += m * scale / 2.0;
    }
    if means < DARK_MEAN || contrast < DARK_CONTRAST {
        Some(Guidance::TooDark)
    } else if ms < SMALL_MODULE_PX && (!lone || ms >= 1.0) {
        Some(Guidance::TooSmall)
    } else if blur > BLUR_PER_MODULE {
        Some(Guidance::TooBlurred)
    } else {
        None
    }
}

/// Two patterns of similar module size at a distance a code could have, the most alike first.
fn best_pair(p: &[[f32; 3]]) -> Option<([f32; 3], [f32; 3])> {
    let mut best: Option<(f32, usize, usize)> = None;
    for i in 0..p.len() {
        for j in (i + 1)..p.len() {
            let (a, b) = (p[i], p[j]);
            let (m0, m1) = (a[2].min(b[2]), a[2].max(b[2]));
            if m0 <= 0.0 || m1 / m0 > 1.6 {
                continue;
            }
            let d = ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt() / ((m0 + m1) / 2.0);
            if !(12.0..=190.0).contains(&d) {
                continue;
            }
            let score = m1 / m0;
            if best.is_none_or(|b| score < b.0) {
                best = Some((score, i, j));
            }
        }
    }
    best.map(|(_, i, j)| (p[i], p[j]))
}

/// Mean, 5th and 95th percentile luma of a window (every `step`-th pixel).
#[allow(clippy::too_many_arguments)]
fn stats(luma: &[u8], w: usize, _h: usize, x0: usize, y0: usize, x1: usize, y1: usize, step: usize) -> (f32, f32, f32) {
    let mut hist = [0u32; 256];
    let mut n = 0u32;
    let mut sum = 0u64;
    for y in (y0..y1).step_by(step.max(1)) {
        for x in (x0..x1).step_by(step.max(1)) {
            if let Some(&v) = luma.get(y * w + x) {
                hist[v as usize] += 1;
                sum += v as u64;
                n += 1;
            }
        }
    }
    if n == 0 {
        return (0.0, 0.0, 0.0);
    }
    let pct = |q: f32| {
        let target = (n as f32 * q) as u32;
        let mut acc = 0;
        for (v, &c) in hist.iter().enumerate() {
            acc += c;
            if acc > target {
                return v as f32;
            }
        }
        255.0
    };
    (sum as f32 / n as f32, pct(0.05), pct(0.95))
}

/// Blur sigma (px) from the steepest step along the row and the column through a pattern: an
/// edge of contrast C blurred by a Gaussian of sigma s has a steepest slope of C / (s·√(2π)).
fn edge_sigma(luma: &[u8], w: usize, h: usize, cx: usize, cy: usize, r: usize) -> f32 {
    let mut best = f32::MAX;
    let lines: [(usize, usize, isize, isize); 2] = [(cx.saturating_sub(r), cy, 1, 0), (cx, cy.saturating_sub(r), 0, 1)];
    for (x0, y0, dx, dy) in lines {
        let (mut lo, mut hi, mut steep) = (255.0f32, 0.0f32, 0.0f32);
        let mut prev: Option<f32> = None;
        for k in 0..=2 * r {
            let (x, y) = (x0 as isize + dx * k as isize, y0 as isize + dy * k as isize);
            if x < 0 || y < 0 || x as usize >= w || y as usize >= h {
                continue;
            }
            let Some(&v) = luma.get(y as usize * w + x as usize) else { continue };
            let v = v as f32;
            lo = lo.min(v);
            hi = hi.max(v);
            if let Some(p) = prev {
                steep = steep.max((v - p).abs());
            }
            prev = Some(v);
        }
        let c = hi - lo;
        if c > 1.0 && steep > 0.0 {
            // One pixel step of a sharp edge is the whole contrast: sigma floors at ~0.4 px.
            best = best.min(c / (steep * 2.5066));
        }
    }
    if best == f32::MAX {
        0.0
    } else {
        best
    }
}
