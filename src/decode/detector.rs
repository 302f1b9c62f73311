//! From a finder-pattern triple to a sampled module grid (ZXing's Detector): module size from the
//! black-white-black runs between the patterns, dimension from the distances, the bottom-right
//! alignment pattern searched in growing windows, a perspective transform, grid sampling, and a
//! re-sample when the version-information blocks disagree with the estimated size.

use super::binarizer::BitMatrix;
use super::finder::Triple;
use super::perspective::Perspective;

/// A sampled square module grid (1 = dark), `size` = 17 + 4·version.
#[derive(Clone)]
pub struct ModuleGrid {
    pub size: usize,
    pub cells: Vec<u8>,
    /// Image positions of the grid corners: top-left, top-right, bottom-right, bottom-left.
    pub corners: [[f32; 2]; 4],
}

impl ModuleGrid {
    #[inline]
    pub fn get(&self, x: usize, y: usize) -> bool {
        if x >= self.size || y >= self.size {
            return false;
        }
        self.cells.get(y * self.size + x).is_some_and(|&b| b != 0)
    }
}

fn size_of_bwb_run(img: &BitMatrix, from_x: i64, from_y: i64, to_x: i64, to_y: i64) -> Option<f64> {
    let steep = (to_y - from_y).abs() > (to_x - from_x).abs();
    let (fx, fy, tx, ty) = if steep { (from_y, from_x, to_y, to_x) } else { (from_x, from_y, to_x, to_y) };
    let dx = (tx - fx).abs();
    let dy = (ty - fy).abs();
    let mut error = -dx / 2;
    let xstep = if fx < tx { 1 } else { -1 };
    let ystep = if fy < ty { 1 } else { -1 };
    let mut state = 0;
    let x_limit = tx + xstep;
    let mut x = fx;
    let mut y = fy;
    let mut guard = 0u32;
    while x != x_limit {
        guard += 1;
        if guard > 100_000 {
            return None;
        }
        let (rx, ry) = if steep { (y, x) } else { (x, y) };
        if (state == 1) == img.get_i(rx, ry) {
            if state == 2 {
                return Some((((x - fx).pow(2) + (y - fy).pow(2)) as f64).sqrt());
            }
            state += 1;
        }
        error += dy;
        if error > 0 {
            if y == ty {
                break;
            }
            y += ystep;
            error -= dx;
        }
        x += xstep;
    }
    if state == 2 {
        return Some((((tx + xstep - fx).pow(2) + (ty - fy).pow(2)) as f64).sqrt());
    }
    None
}

fn size_of_bwb_run_both_ways(img: &BitMatrix, from_x: i64, from_y: i64, to_x: i64, to_y: i64) -> Option<f64> {
    let w = img.width as i64;
    let h = img.height as i64;
    let a = size_of_bwb_run(img, from_x, from_y, to_x, to_y);
    let mut scale = 1.0f64;
    let mut other_x = from_x - (to_x - from_x);
    if other_x < 0 {
        scale = from_x as f64 / (from_x - other_x) as f64;
        other_x = 0;
    } else if other_x >= w {
        scale = (w - 1 - from_x) as f64 / (other_x - from_x) as f64;
        other_x = w - 1;
    }
    let mut other_y = (from_y as f64 - (to_y - from_y) as f64 * scale) as i64;
    scale = 1.0;
    if other_y < 0 {
        scale = from_y as f64 / (from_y - other_y) as f64;
        other_y = 0;
    } else if other_y >= h {
        scale = (h - 1 - from_y) as f64 / (other_y - from_y) as f64;
        other_y = h - 1;
    }
    other_x = (from_x as f64 + (other_x - from_x) as f64 * scale) as i64;
    let b = size_of_bwb_run(img, from_x, from_y, other_x, other_y);
    match (a, b) {
        (Some(a), Some(b)) => Some(a + b - 1.0),
        _ => None,
    }
}

fn module_size_one_way(img: &BitMatrix, p: (f64, f64), q: (f64, f64)) -> Option<f64> {
    let a = size_of_bwb_run_both_ways(img, p.0 as i64, p.1 as i64, q.0 as i64, q.1 as i64);
    let b = size_of_bwb_run_both_ways(img, q.0 as i64, q.1 as i64, p.0 as i64, p.1 as i64);
    match (a, b) {
        (Some(a), Some(b)) => Some((a + b) / 14.0),
        (Some(a), None) => Some(a / 7.0),
        (None, Some(b)) => Some(b / 7.0),
        _ => None,
    }
}

/// Module size (mean), and along top-left → top-right and top-left → bottom-left when both
/// were measured (they differ under steep perspective).
fn calculate_module_size(img: &BitMatrix, t: &Triple) -> (f64, Option<(f64, f64)>) {
    let tl = (t.tl.x, t.tl.y);
    let a = module_size_one_way(img, tl, (t.tr.x, t.tr.y));
    let b = module_size_one_way(img, tl, (t.bl.x, t.bl.y));
    let finder_ms = (t.tl.module_size + t.tr.module_size + t.bl.module_size) / 3.0;
    let sane = |v: f64| v.is_finite() && v >= finder_ms * 0.4 && v <= finder_ms * 2.5;
    let est = match (a, b) {
        (Some(a), Some(b)) => (a + b) / 2.0,
        (Some(a), None) => a,
        (None, Some(b)) => b,
        _ => finder_ms,
    };
    let each = match (a, b) {
        (Some(a), Some(b)) if sane(a) && sane(b) => Some((a, b)),
        _ => None,
    };
    // Guard against runaway runs (e.g. a logo touching the pattern).
    if !(est.is_finite()) || est < finder_ms * 0.5 || est > finder_ms * 2.0 {
        (finder_ms, None)
    } else {
        (est, each)
    }
}

fn dist(a: (f64, f64), b: (f64, f64)) -> f64 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

/// Estimated grid dimension (≡ 1 mod 4), or None.
fn compute_dimension(t: &Triple, ms: f64, each: Option<(f64, f64)>) -> Option<usize> {
    let (ma, mb) = each.unwrap_or((ms, ms));
    let tltr = dist((t.tl.x, t.tl.y), (t.tr.x, t.tr.y)) / ma;
    let tlbl = dist((t.tl.x, t.tl.y), (t.bl.x, t.bl.y)) / mb;
    let d = ((tltr + tlbl) / 2.0).round() as i64 + 7;
    let d = match d & 3 {
        0 => d + 1,
        2 => d - 1,
        3 => d + 2, // zxing-cpp: round up to the next valid size instead of failing
        _ => d,
    };
    let d = if d & 3 != 1 { d - 4 } else { d };
    let d = if d > 177 && d <= 189 { 177 } else { d };
    (21..=177).contains(&d).then_some(d as usize)
}

// ---------------------------------------------------------------------------------------------
// Alignment pattern search.

fn align_cross(sc: &[u32; 3], ms: f64) -> bool {
    // Half-pixel slack for small modules (zxing-cpp's IsPattern); under steep perspective the
    // runs along one direction are much shorter than `ms` (the mean over both directions), so
    // the runs are also accepted when they agree with their own mean down to 0.4 `ms`.
    let max_var = ms / 2.0 + 0.5;
    if sc.iter().all(|&c| (ms - c as f64).abs() < max_var) {
        return true;
    }
    let m = sc.iter().sum::<u32>() as f64 / 3.0;
    m >= 0.4 * ms && m <= 1.6 * ms && sc.iter().all(|&c| (m - c as f64).abs() < m / 2.0 + 0.5)
}

fn align_center_from_end(sc: &[u32; 3], end: usize) -> f64 {
    end as f64 - sc[2] as f64 - sc[1] as f64 / 2.0
}

fn align_cross_check_vertical(img: &BitMatrix, start_i: usize, center_j: usize, max_count: u32, orig_total: u32, ms: f64) -> Option<f64> {
    let max_i = img.height;
    let mut sc = [0u32; 3];
    let mut i = start_i as i64;
    while i >= 0 && img.get(center_j, i as usize) && sc[1] <= max_count {
        sc[1] += 1;
        i -= 1;
    }
    if i < 0 || sc[1] > max_count {
        return None;
    }
    while i >= 0 && !img.get(center_j, i as usize) && sc[0] <= max_count {
        sc[0] += 1;
        i -= 1;
    }
    if sc[0] > max_count {
        return None;
    }
    let mut i = start_i + 1;
    while i < max_i && img.get(center_j, i) && sc[1] <= max_count {
        sc[1] += 1;
        i += 1;
    }
    if i == max_i || sc[1] > max_count {
        return None;
    }
    while i < max_i && !img.get(center_j, i) && sc[2] <= max_count {
        sc[2] += 1;
        i += 1;
    }
    if sc[2] > max_count {
        return None;
    }
    // Heights and widths differ under steep perspective (see the finder's vertical check).
    let total: u32 = sc.iter().sum();
    if 5 * total < 2 * orig_total || 2 * total > 5 * orig_total {
        return None;
    }
    align_cross(&sc, ms).then(|| align_center_from_end(&sc, i))
}

fn find_alignment_in_region(img: &BitMatrix, ms: f64, est_x: f64, est_y: f64, allowance_factor: f64) -> Option<(f64, f64)> {
    let (confirmed, possible) = alignment_search(img, ms, est_x, est_y, allowance_factor, if allowance_factor <= 4.0 { 1 } else { 4 })?;
    // The confirmed candidate closest to the estimate (a neighbouring alignment pattern of a
    // large version can sit inside a wide search window), else the closest unconfirmed one.
    let d2 = |x: f64, y: f64| (x - est_x).powi(2) + (y - est_y).powi(2);
    let best = |v: &mut dyn Iterator<Item = (f64, f64)>| v.min_by(|a, b| d2(a.0, a.1).partial_cmp(&d2(b.0, b.1)).unwrap_or(std::cmp::Ordering::Equal));
    if let Some(c) = best(&mut confirmed.iter().copied()) {
        return Some(c);
    }
    best(&mut possible.iter().copied())
}

/// The alignment-pattern candidates in the window of ±`allowance_factor` modules around the
/// estimate: the confirmed ones (seen on two rows; the scan stops after `max_confirmed`) and the
/// ones seen once. None when the window is too small.
fn alignment_search(img: &BitMatrix, ms: f64, est_x: f64, est_y: f64, allowance_factor: f64, max_confirmed: usize) -> Option<(Vec<(f64, f64)>, Vec<(f64, f64)>)> {
    let allowance = (allowance_factor * ms) as i64;
    let (w, h) = (img.width as i64, img.height as i64);
    let (ex, ey) = (est_x as i64, est_y as i64);
    let left = (ex - allowance).max(0);
    let right = (ex + allowance).min(w - 1);
    if ((right - left) as f64) < ms * 3.0 {
        return None;
    }
    let top = (ey - allowance).max(0);
    let bottom = (ey + allowance).min(h - 1);
    if ((bottom - top) as f64) < ms * 3.0 {
        return None;
    }
    let (start_x, start_y) = (left as usize, top as usize);
    let (width, height) = ((right - left) as usize, (bottom - top) as usize);
    let max_j = start_x + width;
    let middle_i = start_y + height / 2;
    let mut possible: Vec<(f64, f64, f64)> = Vec::new();
    let mut confirmed: Vec<(f64, f64)> = Vec::new();
    let handle = |sc: &[u32; 3], i: usize, j: usize, possible: &mut Vec<(f64, f64, f64)>| -> Option<(f64, f64)> {
        let total: u32 = sc.iter().sum();
        let cj = align_center_from_end(sc, j);
        if cj < 0.0 {
            return None;
        }
        let ci = align_cross_check_vertical(img, i, cj as usize, 2 * sc[1], total, ms)?;
        let est_ms = total as f64 / 3.0;
        for p in possible.iter() {
            if (ci - p.1).abs() <= est_ms && (cj - p.0).abs() <= est_ms {
                let d = (est_ms - p.2).abs();
                if d <= 1.0 || d <= p.2 {
                    return Some(((p.0 + cj) / 2.0, (p.1 + ci) / 2.0));
                }
            }
        }
        possible.push((cj, ci, est_ms));
        None
    };
    for i_gen in 0..height {
        let half = (i_gen + 1) / 2;
        let i = if i_gen & 1 == 0 { middle_i + half } else { middle_i.wrapping_sub(half) };
        if i >= img.height {
            continue;
        }
        let row = img.row(i);
        let black = |j: usize| row.get(j).is_some_and(|&b| b != 0);
        let mut sc = [0u32; 3];
        let mut j = start_x;
        while j < max_j && !black(j) {
            j += 1;
        }
        let mut state = 0usize;
        while j < max_j {
            if black(j) {
                if state == 1 {
                    sc[1] += 1;
                } else if state == 2 {
                    if align_cross(&sc, ms) {
                        if let Some(c) = handle(&sc, i, j, &mut possible) {
                            confirmed.push(c);
                            if confirmed.len() >= max_confirmed {
                                break;
                            }
                        }
                    }
                    sc = [sc[2], 1, 0];
                    state = 1;
                } else {
                    state += 1;
                    sc[state] += 1;
                }
            } else {
                if state == 1 {
                    state += 1;
                }
                sc[state] += 1;
            }
            j += 1;
        }
        if align_cross(&sc, ms) {
            if let Some(c) = handle(&sc, i, max_j, &mut possible) {
                confirmed.push(c);
            }
        }
        if !confirmed.is_empty() && confirmed.len() >= max_confirmed {
            break;
        }
    }
    Some((confirmed, possible.iter().map(|p| (p.0, p.1)).collect()))
}

// ---------------------------------------------------------------------------------------------
// Grid sampling.

fn sample(img: &BitMatrix, dim: usize, xf: &Perspective) -> Option<Vec<u8>> {
    let (w, h) = (img.width as f64, img.height as f64);
    let mut cells = vec![0u8; dim * dim];
    let mut outside = 0usize;
    for y in 0..dim {
        for x in 0..dim {
            let (px, py) = xf.map(x as f64 + 0.5, y as f64 + 0.5)?;
            if px < -1.5 || py < -1.5 || px > w + 0.5 || py > h + 0.5 {
                outside += 1;
                if outside > dim {
                    return None;
                }
                continue;
            }
            let ix = px.clamp(0.0, w - 1.0) as usize;
            let iy = py.clamp(0.0, h - 1.0) as usize;
            cells[y * dim + x] = img.get(ix, iy) as u8;
        }
    }
    Some(cells)
}

/// The grey image a [`BitMatrix`] was binarised from (same size), for sampling modules at
/// sub-pixel positions: `inv` when the bits were inverted (light-on-dark codes).
#[derive(Clone, Copy)]
pub struct Grey<'a> {
    pub data: &'a [u8],
    pub width: usize,
    pub height: usize,
    pub inv: bool,
}

impl Grey<'_> {
    /// Bilinear grey level at image position (px, py) (pixel centres at i + 0.5), edges clamped;
    /// inverted when `inv`. None outside the image.
    #[inline]
    fn at(&self, px: f64, py: f64) -> Option<f64> {
        let (w, h) = (self.width, self.height);
        if w == 0 || h == 0 || self.data.len() < w * h || !(px.is_finite() && py.is_finite()) {
            return None;
        }
        if px < -1.0 || py < -1.0 || px > w as f64 + 1.0 || py > h as f64 + 1.0 {
            return None;
        }
        let fx = (px - 0.5).clamp(0.0, (w - 1) as f64);
        let fy = (py - 0.5).clamp(0.0, (h - 1) as f64);
        let (x0, y0) = (fx as usize, fy as usize);
        let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
        let (tx, ty) = (fx - x0 as f64, fy - y0 as f64);
        let g = |x: usize, y: usize| self.data.get(y * w + x).copied().unwrap_or(0) as f64;
        let top = g(x0, y0) * (1.0 - tx) + g(x1, y0) * tx;
        let bottom = g(x0, y1) * (1.0 - tx) + g(x1, y1) * tx;
        let v = top * (1.0 - ty) + bottom * ty;
        Some(if self.inv { 255.0 - v } else { v })
    }
}

/// Samples the grid from the grey image: the bilinear grey level at each module centre, dark when
/// below the mean of the module's 7×7 neighbourhood of sampled levels. The binary image loses
/// isolated modules of 1.5–2.5 px or of a blurred code (the block thresholds see them as grey);
/// relative to their sampled neighbours they are still darker or lighter.
fn sample_grey(g: &Grey, dim: usize, xf: &Perspective) -> Option<Vec<u8>> {
    Some(threshold_cells(&sample_levels(g, dim, xf)?, dim))
}

/// The grey level at each module centre (255 outside the image; None when more than `dim`
/// centres fall outside).
fn sample_levels(g: &Grey, dim: usize, xf: &Perspective) -> Option<Vec<f64>> {
    let mut v = vec![0f64; dim * dim];
    let mut outside = 0usize;
    for y in 0..dim {
        for x in 0..dim {
            let (px, py) = xf.map(x as f64 + 0.5, y as f64 + 0.5)?;
            match g.at(px, py) {
                Some(l) => v[y * dim + x] = l,
                None => {
                    outside += 1;
                    if outside > dim {
                        return None;
                    }
                    v[y * dim + x] = 255.0;
                }
            }
        }
    }
    Some(v)
}

/// The module levels `v` with each pushed away from the mean of its four neighbours
/// (`v + k·(v − mean4)`): undoes part of the blur that leaks neighbouring modules into a small
/// module's level.
fn sharpened(v: &[f64], dim: usize, k: f64) -> Vec<f64> {
    let at = |x: usize, y: usize| v.get(y * dim + x).copied().unwrap_or(255.0);
    let mut s = vec![0f64; dim * dim];
    for y in 0..dim {
        for x in 0..dim {
            let c = at(x, y);
            let l = if x > 0 { at(x - 1, y) } else { c };
            let r = if x + 1 < dim { at(x + 1, y) } else { c };
            let u = if y > 0 { at(x, y - 1) } else { c };
            let d = if y + 1 < dim { at(x, y + 1) } else { c };
            s[y * dim + x] = c + k * (c - (l + r + u + d) / 4.0);
        }
    }
    s
}

/// Dark (1) where a sampled level is below the mean of the 7×7 modules around it.
fn threshold_cells(v: &[f64], dim: usize) -> Vec<u8> {
    // Integral image of the sampled levels, (dim + 1)².
    let n = dim + 1;
    let mut sum = vec![0f64; n * n];
    for y in 0..dim {
        let mut row = 0.0;
        for x in 0..dim {
            row += v[y * dim + x];
            sum[(y + 1) * n + x + 1] = sum[y * n + x + 1] + row;
        }
    }
    const R: usize = 3;
    let mut cells = vec![0u8; dim * dim];
    for y in 0..dim {
        let (y0, y1) = (y.saturating_sub(R), (y + R + 1).min(dim));
        for x in 0..dim {
            let (x0, x1) = (x.saturating_sub(R), (x + R + 1).min(dim));
            let s = sum[y1 * n + x1] - sum[y0 * n + x1] - sum[y1 * n + x0] + sum[y0 * n + x0];
            let mean = s / ((y1 - y0) * (x1 - x0)) as f64;
            cells[y * dim + x] = (v[y * dim + x] < mean) as u8;
        }
    }
    cells
}

/// Finder patterns of modules below this size get their centres refined on the grey levels.
const REFINE_MS: f64 = 2.4;

/// The darkness-weighted centroid of the disc of radius `r` around (cx, cy) (weights: how far
/// below the disc's mid-level a pixel is), twice; None when the disc has no contrast or the
/// centre moves more than `r / 2` (not a dark core).
fn core_centroid(g: &Grey, cx: f64, cy: f64, r: f64) -> Option<(f64, f64)> {
    let (w, h) = (g.width as i64, g.height as i64);
    if g.data.len() < g.width * g.height || !(r.is_finite() && r >= 1.0 && r <= 20.0) {
        return None;
    }
    let (mut x, mut y) = (cx, cy);
    for _ in 0..2 {
        let (x0, x1) = (((x - r).floor() as i64).max(0), ((x + r).ceil() as i64).min(w - 1));
        let (y0, y1) = (((y - r).floor() as i64).max(0), ((y + r).ceil() as i64).min(h - 1));
        if x1 <= x0 || y1 <= y0 {
            return None;
        }
        let px = |i: i64, j: i64| -> f64 {
            let v = g.data.get(j as usize * g.width + i as usize).copied().unwrap_or(255) as f64;
            if g.inv { 255.0 - v } else { v }
        };
        let (mut lo, mut hi) = (255.0f64, 0.0f64);
        for j in y0..=y1 {
            for i in x0..=x1 {
                let v = px(i, j);
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
        if hi - lo < 24.0 {
            return None;
        }
        let mid = (lo + hi) / 2.0;
        let (mut sw, mut sx, mut sy) = (0.0, 0.0, 0.0);
        for j in y0..=y1 {
            for i in x0..=x1 {
                let (pcx, pcy) = (i as f64 + 0.5, j as f64 + 0.5);
                if (pcx - x).powi(2) + (pcy - y).powi(2) > r * r {
                    continue;
                }
                let wgt = (mid - px(i, j)).max(0.0);
                sw += wgt;
                sx += wgt * pcx;
                sy += wgt * pcy;
            }
        }
        if sw <= 0.0 {
            return None;
        }
        x = sx / sw;
        y = sy / sw;
    }
    ((x - cx).abs() <= r / 2.0 && (y - cy).abs() <= r / 2.0).then_some((x, y))
}

/// Alignment-pattern centre coordinates (module units) for a version ≥ 2.
pub fn alignment_positions(version: usize) -> Vec<usize> {
    if !(2..=40).contains(&version) {
        return Vec::new();
    }
    let num = version / 7 + 2;
    let step = if version == 32 { 26 } else { (version * 4 + num * 2 + 1) / (num * 2 - 2) * 2 };
    let mut out = vec![6usize];
    let mut pos = version * 4 + 10;
    let mut tail = Vec::new();
    for _ in 0..num - 1 {
        tail.push(pos);
        pos = pos.saturating_sub(step);
    }
    tail.reverse();
    out.extend(tail);
    out
}

/// Samples the grid piecewise: every alignment pattern predicted by `xf` is searched for near
/// its predicted position, and each cell between neighbouring alignment patterns gets its own
/// perspective transform. Copes with curved or strongly tilted codes (zxing-cpp's SampleQR idea).
fn sample_local(img: &BitMatrix, dim: usize, xf: &Perspective, ms: f64) -> Option<Vec<u8>> {
    let version = (dim.checked_sub(17)?) / 4;
    let pos = alignment_positions(version);
    let n = pos.len();
    if n < 2 {
        return None;
    }
    let mut pts = vec![(0.0f64, 0.0f64); n * n];
    let mut found = 0;
    for j in 0..n {
        for i in 0..n {
            let (mx, my) = (pos[i] as f64 + 0.5, pos[j] as f64 + 0.5);
            let pred = xf.map(mx, my)?;
            let finder_corner = (i == 0 && j == 0) || (i == n - 1 && j == 0) || (i == 0 && j == n - 1);
            let mut p = pred;
            if !finder_corner {
                // Predict from already located neighbours when possible (handles curvature).
                let pred2 = if i > 0 && j > 0 {
                    let a = pts[j * n + i - 1];
                    let b = pts[(j - 1) * n + i];
                    let c = pts[(j - 1) * n + i - 1];
                    (a.0 + b.0 - c.0, a.1 + b.1 - c.1)
                } else {
                    pred
                };
                let guess = if i > 0 && j > 0 { ((pred.0 + pred2.0) / 2.0, (pred.1 + pred2.1) / 2.0) } else { pred };
                if let Some(a) = find_alignment_in_region(img, ms, guess.0, guess.1, 6.0) {
                    if (a.0 - guess.0).abs() < 3.0 * ms && (a.1 - guess.1).abs() < 3.0 * ms {
                        p = a;
                        found += 1;
                    }
                }
            }
            pts[j * n + i] = p;
        }
    }
    if found == 0 {
        return None;
    }
    let (w, h) = (img.width as f64, img.height as f64);
    let mut cells = vec![0u8; dim * dim];
    for cj in 0..n - 1 {
        for ci in 0..n - 1 {
            let (x0, x1, y0, y1) = (pos[ci], pos[ci + 1], pos[cj], pos[cj + 1]);
            let src = [
                (x0 as f64 + 0.5, y0 as f64 + 0.5),
                (x1 as f64 + 0.5, y0 as f64 + 0.5),
                (x1 as f64 + 0.5, y1 as f64 + 0.5),
                (x0 as f64 + 0.5, y1 as f64 + 0.5),
            ];
            let dst = [pts[cj * n + ci], pts[cj * n + ci + 1], pts[(cj + 1) * n + ci + 1], pts[(cj + 1) * n + ci]];
            let t = Perspective::quad_to_quad(src, dst)?;
            let xs = if ci == 0 { 0 } else { x0 };
            let xe = if ci == n - 2 { dim } else { x1 };
            let ys = if cj == 0 { 0 } else { y0 };
            let ye = if cj == n - 2 { dim } else { y1 };
            for y in ys..ye {
                for x in xs..xe {
                    let (px, py) = t.map(x as f64 + 0.5, y as f64 + 0.5)?;
                    let ix = px.clamp(0.0, w - 1.0) as usize;
                    let iy = py.clamp(0.0, h - 1.0) as usize;
                    if let Some(c) = cells.get_mut(y * dim + x) {
                        *c = img.get(ix, iy) as u8;
                    }
                }
            }
        }
    }
    Some(cells)
}

/// Upper bound of third-finder hypotheses searched per binary image (see [`missing_finders`]).
const MAX_FINDER_GUESSES: usize = 24;
/// Least correlation of the 9×9 finder template (finder and separator) to accept a guessed finder.
const FINDER_GUESS_MIN: f64 = 0.8;

/// Correlation (−1…1) of the grey levels at the 9×9 module centres around `c` (module vectors
/// `e1`, `e2`) with a finder pattern and its light separator.
fn finder_score(g: &Grey, c: (f64, f64), e1: (f64, f64), e2: (f64, f64)) -> f64 {
    let (mut n, mut sv, mut svv, mut st, mut svt) = (0.0f64, 0.0, 0.0, 0.0, 0.0);
    for j in -4..=4i32 {
        for i in -4..=4i32 {
            let (fi, fj) = (i as f64, j as f64);
            let Some(v) = g.at(c.0 + fi * e1.0 + fj * e2.0, c.1 + fi * e1.1 + fj * e2.1) else { return -1.0 };
            let r = i.abs().max(j.abs());
            let t = if r <= 1 || r == 3 { 0.0 } else { 1.0 };
            n += 1.0;
            sv += v;
            svv += v * v;
            st += t;
            svt += v * t;
        }
    }
    // The template's own variance: t is 0/1, so Σt² = Σt.
    let cov = svt - sv * st / n;
    let var = (svv - sv * sv / n) * (st - st * st / n);
    if var <= 0.0 {
        return -1.0;
    }
    cov / var.sqrt()
}

/// Far or tilted codes where the finder scan found only two of the three finder patterns (the
/// third cut badly by the rows, or blurred): each pair of similar patterns predicts the third one
/// (beside either pattern, or across the diagonal between them, on either side), and a 9×9
/// finder template scored on the grey levels around each prediction (±4–7 modules a module at a
/// time, then a quarter module) finds it. Returns the found ones, to be tried with the others (the format gate then
/// decides). Bounded: at most [`MAX_FINDER_GUESSES`] predictions.
pub fn missing_finders(g: &Grey, patterns: &[super::finder::FinderPattern]) -> Vec<super::finder::FinderPattern> {
    let mut out: Vec<super::finder::FinderPattern> = Vec::new();
    let mut guesses = 0;
    let n = patterns.len().min(6);
    for a in 0..n {
        for b in a + 1..n {
            let (Some(pa), Some(pb)) = (patterns.get(a), patterns.get(b)) else { continue };
            let ms = (pa.module_size + pb.module_size) / 2.0;
            if !(ms.is_finite() && ms >= 1.0) || pa.module_size.max(pb.module_size) > 1.5 * pa.module_size.min(pb.module_size) {
                continue;
            }
            let v = (pb.x - pa.x, pb.y - pa.y);
            let len = (v.0 * v.0 + v.1 * v.1).sqrt();
            // 14 modules (version 1) to 100 apart (up to ~version 20, or the diagonal of smaller).
            if !(len >= 14.0 * ms && len <= 100.0 * ms) {
                continue;
            }
            let perp = (-v.1, v.0);
            // Darkness of a finder core: halfway between the pair's cores and the light ring
            // around them (two modules out along the pair).
            let (ux, uy) = (v.0 / len * 2.0 * ms, v.1 / len * 2.0 * ms);
            let core = |p: &super::finder::FinderPattern| g.at(p.x, p.y);
            let ring = |p: &super::finder::FinderPattern| Some((g.at(p.x + ux, p.y + uy)? + g.at(p.x - ux, p.y - uy)? + g.at(p.x - uy, p.y + ux)? + g.at(p.x + uy, p.y - ux)?) / 4.0);
            let (Some(ca), Some(cb), Some(ra), Some(rb)) = (core(pa), core(pb), ring(pa), ring(pb)) else { continue };
            if ra - ca < 16.0 || rb - cb < 16.0 {
                continue;
            }
            let dark = (ca.max(cb) + ra.min(rb)) / 2.0;
            // Perspective moves the third pattern away from the square's prediction, more so
            // the larger the code: search ±4–7 modules.
            let reach = ((len / ms * 0.12).round() as i32).clamp(4, 7);
            let mid = ((pa.x + pb.x) / 2.0, (pa.y + pb.y) / 2.0);
            // Module vectors at a guess `c`: along the code's sides, which run from the guess to
            // the patterns of a diagonal pair, or along the pair and from its corner to the guess.
            let k_side = len / ms;
            let k_diag = len / ms * std::f64::consts::FRAC_1_SQRT_2;
            let basis = |c: (f64, f64), kind: u8| -> ((f64, f64), (f64, f64)) {
                match kind {
                    0 => ((v.0 / k_side, v.1 / k_side), ((c.0 - pa.x) / k_side, (c.1 - pa.y) / k_side)),
                    1 => ((v.0 / k_side, v.1 / k_side), ((c.0 - pb.x) / k_side, (c.1 - pb.y) / k_side)),
                    _ => (((pa.x - c.0) / k_diag, (pa.y - c.1) / k_diag), ((pb.x - c.0) / k_diag, (pb.y - c.1) / k_diag)),
                }
            };
            let preds = [
                ((pa.x + perp.0, pa.y + perp.1), 0u8),
                ((pa.x - perp.0, pa.y - perp.1), 0),
                ((pb.x + perp.0, pb.y + perp.1), 1),
                ((pb.x - perp.0, pb.y - perp.1), 1),
                ((mid.0 + perp.0 / 2.0, mid.1 + perp.1 / 2.0), 2),
                ((mid.0 - perp.0 / 2.0, mid.1 - perp.1 / 2.0), 2),
            ];
            for (p, kind) in preds {
                if patterns.iter().chain(out.iter()).any(|q| (q.x - p.0).abs() < 5.0 * ms && (q.y - p.1).abs() < 5.0 * ms) {
                    continue;
                }
                guesses += 1;
                if guesses > MAX_FINDER_GUESSES {
                    return out;
                }
                // Only where the centre is as dark as the pair's cores and most of the rings two and
                // three modules out are light and dark (at most 9 samples per position; the
                // template, 81 samples, then runs only near finder-like spots).
                let score_at = |c: (f64, f64)| {
                    if g.at(c.0, c.1).is_none_or(|v| v > dark) {
                        return -1.0;
                    }
                    let (e1, e2) = basis(c, kind);
                    let ring = |k: f64, light: bool| {
                        [(k, 0.0), (-k, 0.0), (0.0, k), (0.0, -k)]
                            .iter()
                            .filter(|&&(i, j)| g.at(c.0 + i * e1.0 + j * e2.0, c.1 + i * e1.1 + j * e2.1).is_some_and(|v| (v > dark) == light))
                            .count()
                    };
                    if ring(2.0, true) < 3 || ring(3.0, false) < 2 {
                        return -1.0;
                    }
                    finder_score(g, c, e1, e2)
                };
                let mut best = (-1.0f64, p);
                for j in -reach..=reach {
                    for i in -reach..=reach {
                        let c = (p.0 + i as f64 * ms, p.1 + j as f64 * ms);
                        let s = score_at(c);
                        if s > best.0 {
                            best = (s, c);
                        }
                    }
                }
                #[cfg(all(debug_assertions, not(target_arch = "wasm32")))]
                if std::env::var_os("INTERPAY_DEBUG").is_some() {
                    eprintln!("  finder guess {guesses} near ({:.0},{:.0}): coarse score {:.3} at ({:.1},{:.1})", p.0, p.1, best.0, best.1 .0, best.1 .1);
                }
                if best.0 < FINDER_GUESS_MIN - 0.2 {
                    continue;
                }
                let c0 = best.1;
                for j in -3..=3i32 {
                    for i in -3..=3i32 {
                        let c = (c0.0 + i as f64 * ms / 4.0, c0.1 + j as f64 * ms / 4.0);
                        let s = score_at(c);
                        if s > best.0 {
                            best = (s, c);
                        }
                    }
                }
                #[cfg(all(debug_assertions, not(target_arch = "wasm32")))]
                if std::env::var_os("INTERPAY_DEBUG").is_some() {
                    eprintln!("  guessed finder near ({:.0},{:.0}) from ({:.0},{:.0}) ({:.0},{:.0}): ({:.1},{:.1}) score {:.3}", p.0, p.1, pa.x, pa.y, pb.x, pb.y, best.1 .0, best.1 .1, best.0);
                }
                if best.0 >= FINDER_GUESS_MIN {
                    out.push(super::finder::FinderPattern { x: best.1 .0, y: best.1 .1, module_size: ms, count: 0 });
                }
            }
        }
    }
    out
}

/// Upper bound of alignment-pattern candidates scored per grid size (see [`best_alignment`]).
const MAX_ALIGN_CANDIDATES: usize = 12;

/// Under steep perspective the bottom-right alignment pattern is modules away from where the
/// parallelogram of the finder patterns puts it, and the nearest look-alike in the data is often
/// closer to that estimate than the real one. Every candidate in a wide window (around the
/// parallelogram's estimate and the one the finder module sizes predict) is scored by how well its
/// transform lands on the function patterns (template correlation on the grey levels, `gt`: the
/// refined finder centres); the best one is kept when it fits clearly better than `found`.
fn best_alignment(img: &BitMatrix, g: &Grey, t: &Triple, gt: &Triple, dim: usize, ms: f64, est: (f64, f64), found: Option<(f64, f64)>) -> Option<(f64, f64)> {
    let tmpl = function_template(dim);
    if tmpl.is_empty() {
        return found;
    }
    let score = |a: (f64, f64)| transform_for(gt, Some(a), dim).map_or(-1.0, |xf| fit_score(g, &tmpl, &xf));
    let mut cands: Vec<(f64, f64)> = Vec::new();
    let push = |c: (f64, f64), cands: &mut Vec<(f64, f64)>| {
        if cands.len() < MAX_ALIGN_CANDIDATES && !cands.iter().any(|q| (q.0 - c.0).abs() < ms / 2.0 && (q.1 - c.1).abs() < ms / 2.0) {
            cands.push(c);
        }
    };
    let corr = 1.0 - 3.0 / (dim as f64 - 7.0);
    let mut ests = vec![est];
    if let Some(n) = persp_nudge(t).filter(|n| n.0.abs() < 16.0 * ms && n.1.abs() < 16.0 * ms) {
        ests.push((est.0 + corr * n.0, est.1 + corr * n.1));
    }
    for e in ests {
        if let Some((confirmed, possible)) = alignment_search(img, ms, e.0, e.1, 8.0, 6) {
            for c in confirmed.into_iter().chain(possible) {
                if (c.0 - est.0).abs() <= 10.0 * ms && (c.1 - est.1).abs() <= 10.0 * ms {
                    push(c, &mut cands);
                }
            }
        }
    }
    let base = found.map_or(-1.0, score);
    let best = cands.into_iter().map(|c| (score(c), c)).max_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
    #[cfg(all(debug_assertions, not(target_arch = "wasm32")))]
    if std::env::var_os("INTERPAY_DEBUG").is_some() {
        eprintln!("    align found {found:?} score {base:.3}, best candidate {best:?}");
    }
    match best {
        Some((s, c)) if s > base + 0.02 => Some(c),
        _ => found,
    }
}

/// Under strong perspective the finder patterns' module sizes differ: the projective weight
/// w ∝ ms^(-2/3) is affine over the code, which places the bottom-right centre at
/// (w_tr·TR + w_bl·BL − w_tl·TL) / (w_tr + w_bl − w_tl). Returned as the offset from the
/// parallelogram's corner; None when the sizes agree (no perspective to correct).
fn persp_nudge(t: &Triple) -> Option<(f64, f64)> {
    let wt = |m: f64| m.max(0.1).powf(-2.0 / 3.0);
    let (a, b, c) = (wt(t.tl.module_size), wt(t.tr.module_size), wt(t.bl.module_size));
    let den = b + c - a;
    let ratio = a.max(b).max(c) / a.min(b).min(c);
    if !(ratio > 1.1 && den > 0.2 * a) {
        return None;
    }
    let bx = (b * t.tr.x + c * t.bl.x - a * t.tl.x) / den;
    let by = (b * t.tr.y + c * t.bl.y - a * t.tl.y) / den;
    let n = (bx - (t.tr.x - t.tl.x + t.bl.x), by - (t.tr.y - t.tl.y + t.bl.y));
    (n.0.is_finite() && n.1.is_finite()).then_some(n)
}

fn transform_for(t: &Triple, align: Option<(f64, f64)>, dim: usize) -> Option<Perspective> {
    transform_with_br(t, align, dim, (0.0, 0.0))
}

/// `nudge`: offset added to the bottom-right point (alignment pattern or parallelogram estimate).
fn transform_with_br(t: &Triple, align: Option<(f64, f64)>, dim: usize, nudge: (f64, f64)) -> Option<Perspective> {
    let d3 = dim as f64 - 3.5;
    let (brx, bry, src_br) = match align {
        Some((x, y)) => (x, y, d3 - 3.0),
        None => (t.tr.x - t.tl.x + t.bl.x, t.tr.y - t.tl.y + t.bl.y, d3),
    };
    let (brx, bry) = (brx + nudge.0, bry + nudge.1);
    Perspective::quad_to_quad(
        [(3.5, 3.5), (d3, 3.5), (src_br, src_br), (3.5, d3)],
        [(t.tl.x, t.tl.y), (t.tr.x, t.tr.y), (brx, bry), (t.bl.x, t.bl.y)],
    )
}

fn version_info_table() -> [u32; 34] {
    let mut t = [0u32; 34];
    for (i, slot) in t.iter_mut().enumerate() {
        let v = (i + 7) as u32;
        let mut rem = v << 12;
        for bit in (12..18).rev() {
            if rem & (1 << bit) != 0 {
                rem ^= 0x1F25 << (bit - 12);
            }
        }
        *slot = (v << 12) | rem;
    }
    t
}

fn decode_version_bits(bits: u32) -> Option<usize> {
    let mut best = None;
    let mut best_d = 4;
    for (i, &code) in version_info_table().iter().enumerate() {
        let d = (bits ^ code).count_ones();
        if d < best_d {
            best_d = d;
            best = Some(i + 7);
        }
    }
    best
}

/// Version read from the version-information blocks of a sampled grid (either copy).
pub fn read_version(cells: &[u8], dim: usize) -> Option<usize> {
    read_version_with(&|x: usize, y: usize| cells.get(y * dim + x).is_some_and(|&b| b != 0), dim)
}

/// Same, from any module reader.
fn read_version_with(get: &dyn Fn(usize, usize) -> bool, dim: usize) -> Option<usize> {
    if dim < 45 {
        return None;
    }
    let mut bits = 0u32;
    for j in (0..6).rev() {
        for i in (dim - 11..=dim - 9).rev() {
            bits = (bits << 1) | get(i, j) as u32;
        }
    }
    if let Some(v) = decode_version_bits(bits) {
        return Some(v);
    }
    let mut bits = 0u32;
    for i in (0..6).rev() {
        for j in (dim - 11..=dim - 9).rev() {
            bits = (bits << 1) | get(i, j) as u32;
        }
    }
    decode_version_bits(bits)
}

/// Dimension from counting the timing-pattern modules between two finder patterns (the line
/// through row / column 6), or None when the count is not a valid size.
fn timing_dimension(img: &BitMatrix, t: &Triple, dim_est: usize) -> [Option<usize>; 2] {
    let k = 3.0 / (dim_est as f64 - 7.0).max(1.0);
    let count = |a: (f64, f64), b: (f64, f64)| -> Option<usize> {
        let len = dist(a, b);
        if !(len.is_finite()) || len < 10.0 || len > 20_000.0 {
            return None;
        }
        let steps = (len * 2.0) as usize;
        let mut runs = 1usize;
        let mut last = img.get_i(a.0 as i64, a.1 as i64);
        let mut run_len = 0usize;
        for i in 1..=steps {
            let f = i as f64 / steps as f64;
            let p = (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f);
            let v = img.get_i(p.0 as i64, p.1 as i64);
            run_len += 1;
            // Ignore single-sample blips.
            if v != last && run_len >= 2 {
                runs += 1;
                last = v;
                run_len = 0;
            }
        }
        let d = runs + 12;
        (d % 4 == 1 && (21..=177).contains(&d)).then_some(d)
    };
    let (bx, by) = (t.bl.x - t.tl.x, t.bl.y - t.tl.y);
    let (rx, ry) = (t.tr.x - t.tl.x, t.tr.y - t.tl.y);
    let row = count((t.tl.x + bx * k, t.tl.y + by * k), (t.tr.x + bx * k, t.tr.y + by * k));
    let col = count((t.tl.x + rx * k, t.tl.y + ry * k), (t.bl.x + rx * k, t.bl.y + ry * k));
    [row, col]
}

/// Candidate grids for a triple: the estimated dimension first, re-sampled at the size the
/// version information says when it disagrees, then the neighbouring sizes.
/// `gate`: skip triples whose format information does not read (fast path for camera frames).
pub fn for_each_grid(img: &BitMatrix, grey: Option<Grey>, t: &Triple, try_harder: bool, gate: bool, mut f: impl FnMut(ModuleGrid) -> bool) -> bool {
    // Small modules: the finder centres from whole-pixel runs are off by up to half a pixel, a
    // third of a 1.5 px module; the grey-level centroid of each dark core is sub-pixel.
    // Used by the grey-level samples only (the bits' own centres suit the bits' grids).
    let gt = match grey.as_ref() {
        Some(g) if t.tl.module_size.max(t.tr.module_size).max(t.bl.module_size) < REFINE_MS => {
            let mut r = *t;
            for p in [&mut r.tl, &mut r.tr, &mut r.bl] {
                if let Some((x, y)) = core_centroid(g, p.x, p.y, 1.5 * p.module_size) {
                    p.x = x;
                    p.y = y;
                }
            }
            r
        }
        _ => *t,
    };
    let (ms, each) = calculate_module_size(img, t);
    if !(ms.is_finite() && ms >= 0.5) {
        return false;
    }
    let Some(dim0) = compute_dimension(t, ms, each) else { return false };
    #[cfg(all(debug_assertions, not(target_arch = "wasm32")))]
    if std::env::var_os("INTERPAY_DEBUG").is_some() {
        eprintln!("  triple tl ({:.0},{:.0}) tr ({:.0},{:.0}) bl ({:.0},{:.0}) ms {ms:.2} each {each:?} dim0 {dim0}", t.tl.x, t.tl.y, t.tr.x, t.tr.y, t.bl.x, t.bl.y);
    }
    // The other estimate (mean module size) joins the candidate sizes below.
    let dim_mean = if each.is_some() { compute_dimension(t, ms, None).filter(|&d| d != dim0) } else { None };
    // Cheap gate: the format information (30 modules) must be readable near the estimated
    // geometry, or this triple is not a code (saves sampling whole grids for false triples).
    // On camera frames random texture passes the format check about half the time (15 bits, up
    // to 3 errors): also ask for the timing patterns to alternate, or both format copies to agree.
    // A false triple then rarely costs the dozens of grids tried below. Under steep perspective
    // the estimated size is often a version off, so the neighbouring sizes get the same check
    // (the first that passes is tried first).
    let mut dim0 = dim0;
    if gate {
        let persp = persp_nudge(t).filter(|n| n.0.abs() < 16.0 * ms && n.1.abs() < 16.0 * ms);
        // `strict`: the other hypotheses (sizes, corners) must give stronger evidence, or random
        // texture passes one of them most of the time.
        let passes_with = |d: usize, nudge: Option<(f64, f64)>, strict: bool| -> bool {
            let Some(xf) = transform_with_br(t, None, d, nudge.unwrap_or((0.0, 0.0))) else { return false };
            let get = |x: usize, y: usize| -> bool {
                xf.map(x as f64 + 0.5, y as f64 + 0.5).is_some_and(|(px, py)| img.get_i(px as i64, py as i64))
            };
            let f1 = super::bitstream::read_format_copy1(&get);
            if f1.is_none() && (!try_harder || super::bitstream::read_format(&get, d).is_none()) {
                return false;
            }
            // Versions 7+ carry version information (18 bits beside the top-right and
            // bottom-left finders, up to 3 errors): random texture rarely reads as a version near
            // the estimate, and a false triple of a large size costs dozens of big grids.
            if d >= 45 && read_version_with(&get, d).is_none_or(|v| (17 + 4 * v).abs_diff(d) > 8) {
                return false;
            }
            let agree = f1.is_some() && f1 == super::bitstream::read_format_copy2(&get, d);
            agree || timing_score(&get, d) >= if strict { STRICT_TIMING } else { 0.62 }
        };
        // The parallelogram corner, then (steep perspective) the corner the module sizes predict.
        let passes = |d: usize| passes_with(d, None, d != dim0) || (try_harder && persp.is_some() && passes_with(d, persp, true));
        let mut cands = vec![dim0];
        if try_harder {
            cands.extend(dim_mean);
            cands.extend([dim0 + 4, dim0.wrapping_sub(4)].into_iter().filter(|d| (21..=177).contains(d)));
        }
        match cands.into_iter().find(|&d| passes(d)) {
            Some(d) => dim0 = d,
            None => return false,
        }
    }
    let mut dims = vec![dim0];
    let mut n_primary = 1;
    if try_harder {
        let d1 = dist((t.tl.x, t.tl.y), (t.tr.x, t.tr.y)) / ((t.tl.module_size + t.tr.module_size) / 2.0);
        let d2 = dist((t.tl.x, t.tl.y), (t.bl.x, t.bl.y)) / ((t.tl.module_size + t.bl.module_size) / 2.0);
        let d = ((d1 + d2) / 2.0).round() as i64 + 7;
        let d = match d & 3 {
            0 => d + 1,
            2 => d - 1,
            3 => d - 2,
            _ => d,
        };
        if (21..=177).contains(&d) && !dims.contains(&(d as usize)) {
            dims.push(d as usize);
        }
        for d in timing_dimension(img, t, dim0).into_iter().flatten() {
            if !dims.contains(&d) && d.abs_diff(dim0) <= 16 {
                dims.push(d);
            }
        }
        if let Some(d) = dim_mean {
            if !dims.contains(&d) {
                dims.push(d);
            }
        }
        n_primary = dims.len();
        for d in [dim0 + 4, dim0.wrapping_sub(4), dim0 + 8, dim0.wrapping_sub(8)] {
            if (21..=177).contains(&d) && !dims.contains(&d) {
                dims.push(d);
            }
        }
    }
    let mut tried: Vec<usize> = Vec::new();
    // Grids fitted to the function patterns (see [`fit_grid`]) for this triple so far.
    let mut fits = 0;
    let mut k = 0;
    while k < dims.len() && k < 8 {
        let dim = dims[k];
        let speculative = k >= n_primary;
        k += 1;
        if tried.contains(&dim) {
            continue;
        }
        tried.push(dim);
        // Speculative sizes (±4, ±8 modules) only when the size-dependent format copy agrees.
        if speculative {
            let Some(xf) = transform_for(t, None, dim) else { continue };
            let get = |x: usize, y: usize| -> bool {
                xf.map(x as f64 + 0.5, y as f64 + 0.5).is_some_and(|(px, py)| img.get_i(px as i64, py as i64))
            };
            if super::bitstream::read_format_copy2(&get, dim).is_none() {
                continue;
            }
        }
        let align = if dim > 21 {
            let mods_between = (dim - 7) as f64;
            let corr = 1.0 - 3.0 / mods_between;
            let brx = t.tr.x - t.tl.x + t.bl.x;
            let bry = t.tr.y - t.tl.y + t.bl.y;
            let ex = t.tl.x + corr * (brx - t.tl.x);
            let ey = t.tl.y + corr * (bry - t.tl.y);
            let mut found = None;
            for f in [4.0, 8.0, 16.0] {
                if let Some(a) = find_alignment_in_region(img, ms, ex, ey, f) {
                    if (a.0 - ex).abs() <= 10.0 * ms && (a.1 - ey).abs() <= 10.0 * ms {
                        found = Some(a);
                        break;
                    }
                }
            }
            match grey.as_ref().filter(|_| try_harder) {
                Some(g) => best_alignment(img, g, t, &gt, dim, ms, (ex, ey), found),
                None => found,
            }
        } else {
            None
        };
        let mut variants = vec![align];
        if align.is_some() && try_harder {
            variants.push(None);
        }
        // Perspective without a located alignment pattern: the bottom-right corner is not where
        // the parallelogram puts it. Try it nudged around, a module at a time (cheap for the
        // small versions this concerns).
        if try_harder && k <= 3 && dim <= if gate { 45 } else { 57 } {
            let base = transform_for(t, None, dim);
            let mut nudged = false;
            let (ux, uy) = ((t.tr.x - t.tl.x) / (dim as f64 - 7.0), (t.tr.y - t.tl.y) / (dim as f64 - 7.0));
            let (vx, vy) = ((t.bl.x - t.tl.x) / (dim as f64 - 7.0), (t.bl.y - t.tl.y) / (dim as f64 - 7.0));
            if let Some(base) = base {
                let cells0 = sample(img, dim, &base);
                if let Some(c0) = &cells0 {
                    let d = dim as f64;
                    let c = |x: f64, y: f64| {
                        let p = base.map(x, y).unwrap_or((0.0, 0.0));
                        [p.0 as f32, p.1 as f32]
                    };
                    let corners = [c(0.0, 0.0), c(d, 0.0), c(d, d), c(0.0, d)];
                    if f(ModuleGrid { size: dim, cells: c0.clone(), corners }) {
                        return true;
                    }
                    if let Some(cells) = grey.as_ref().and_then(|g| sample_grey(g, dim, &transform_for(&gt, None, dim)?)) {
                        if f(ModuleGrid { size: dim, cells, corners }) {
                            return true;
                        }
                    }
                    if let Some(grids) = grey.as_ref().filter(|_| fits < MAX_FITS).and_then(|g| fitted_grids(img, g, &gt, None, dim, ms)) {
                        fits += 1;
                        for grid in grids {
                            if f(grid) {
                                return true;
                            }
                        }
                    }
                    // Under strong perspective the finder patterns' module sizes differ: the
                    // projective weight w ∝ ms^(-2/3) is affine over the code, which places the
                    // bottom-right centre at (w_tr·TR + w_bl·BL − w_tl·TL) / (w_tr + w_bl − w_tl).
                    let persp = persp_nudge(t);
                    if let Some(nudge) = persp.filter(|n| n.0.abs() < 8.0 * ms * 2.0 && n.1.abs() < 8.0 * ms * 2.0) {
                        for (i, j) in [(0, 0), (-1, -1), (1, 1), (-1, 1), (1, -1), (-1, 0), (0, -1), (1, 0), (0, 1), (-2, -2), (2, 2), (-2, 0), (0, -2), (2, 0), (0, 2), (-2, 2), (2, -2), (-3, -3), (3, 3), (-3, 0), (0, -3), (3, 0), (0, 3), (-4, -4), (4, 4), (-3, 3), (3, -3)] {
                            let nudge = (nudge.0 + ux * i as f64 + vx * j as f64, nudge.1 + uy * i as f64 + vy * j as f64);
                            if let Some(cells) = transform_with_br(t, None, dim, nudge).and_then(|xf| sample(img, dim, &xf)) {
                                if f(ModuleGrid { size: dim, cells, corners }) {
                                    return true;
                                }
                            }
                        }
                    }
                    for (i, j) in [(-1, -1), (1, 1), (-1, 1), (1, -1), (-2, -2), (2, 2), (-2, 0), (0, -2), (2, 0), (0, 2), (-1, 0), (0, -1), (1, 0), (0, 1), (-3, -3), (3, 3)] {
                        let nudge = (ux * i as f64 + vx * j as f64, uy * i as f64 + vy * j as f64);
                        let Some(xf) = transform_with_br(t, None, dim, nudge) else { continue };
                        let Some(cells) = sample(img, dim, &xf) else { continue };
                        if f(ModuleGrid { size: dim, cells, corners }) {
                            return true;
                        }
                    }
                    nudged = true;
                }
            }
            if nudged && align.is_none() {
                continue;
            }
        }
        for a in variants {
            let Some(xf) = transform_for(t, a, dim) else { continue };
            let Some(cells) = sample(img, dim, &xf) else { continue };
            #[cfg(all(debug_assertions, not(target_arch = "wasm32")))]
            if std::env::var_os("INTERPAY_DEBUG").is_some() {
                eprintln!("    grid dim {dim} ms {ms:.2} align {a:?} version-info {:?}", read_version(&cells, dim));
                if std::env::var_os("INTERPAY_DEBUG_GRID").is_some() {
                    for row in cells.chunks(dim) {
                        eprintln!("      {}", row.iter().map(|&b| if b != 0 { '#' } else { '.' }).collect::<String>());
                    }
                }
            }
            if let Some(v) = read_version(&cells, dim) {
                let vd = 17 + 4 * v;
                if vd != dim && !tried.contains(&vd) && !dims.contains(&vd) {
                    dims.insert(k, vd);
                    if k < n_primary + 1 {
                        n_primary += 1;
                    }
                }
            }
            let c = |x: f64, y: f64| {
                let p = xf.map(x, y).unwrap_or((0.0, 0.0));
                [p.0 as f32, p.1 as f32]
            };
            let d = dim as f64;
            let corners = [c(0.0, 0.0), c(d, 0.0), c(d, d), c(0.0, d)];
            if f(ModuleGrid { size: dim, cells, corners }) {
                return true;
            }
            if let Some(cells) = grey.as_ref().and_then(|g| sample_grey(g, dim, &transform_for(&gt, a, dim)?)) {
                if f(ModuleGrid { size: dim, cells, corners }) {
                    return true;
                }
            }
            if let Some(grids) = grey.as_ref().filter(|_| try_harder && fits < MAX_FITS).and_then(|g| fitted_grids(img, g, &gt, a, dim, ms)) {
                fits += 1;
                for grid in grids {
                    if f(grid) {
                        return true;
                    }
                }
            }
            if try_harder && dim > 25 {
                if let Some(cells) = sample_local(img, dim, &xf, ms) {
                    if f(ModuleGrid { size: dim, cells, corners }) {
                        return true;
                    }
                }
            }
        }
    }
    false
}

const STRICT_TIMING: f64 = 0.9;

/// Share of the timing-pattern modules (row 6 and column 6 between the finder patterns) that
/// alternate as they should (dark at even indices); 0.5 for noise.
fn timing_score(get: &dyn Fn(usize, usize) -> bool, dim: usize) -> f64 {
    if dim < 21 {
        return 0.0;
    }
    let (mut ok, mut n) = (0u32, 0u32);
    for i in 8..dim - 8 {
        let want = i % 2 == 0;
        ok += (get(i, 6) == want) as u32 + (get(6, i) == want) as u32;
        n += 2;
    }
    ok as f64 / n.max(1) as f64
}

// ---------------------------------------------------------------------------------------------
// Fitting the grid to the function patterns on the grey levels.

/// The function modules of a `dim` grid whose colour is known whatever the data: the three finder
/// patterns with their separators, both timing patterns and the alignment patterns (x, y, dark).
fn function_template(dim: usize) -> Vec<(u16, u16, bool)> {
    let mut t = Vec::new();
    if !(21..=177).contains(&dim) {
        return t;
    }
    for (ox, oy) in [(0i64, 0i64), (dim as i64 - 7, 0), (0, dim as i64 - 7)] {
        for dy in -1..=7i64 {
            for dx in -1..=7i64 {
                let (x, y) = (ox + dx, oy + dy);
                if x < 0 || y < 0 || x >= dim as i64 || y >= dim as i64 {
                    continue;
                }
                let r = (dx - 3).abs().max((dy - 3).abs());
                t.push((x as u16, y as u16, r == 3 || r <= 1));
            }
        }
    }
    for i in 8..dim - 8 {
        t.push((i as u16, 6, i % 2 == 0));
        t.push((6, i as u16, i % 2 == 0));
    }
    let pos = alignment_positions((dim - 17) / 4);
    let last = pos.len().saturating_sub(1);
    for (j, &cy) in pos.iter().enumerate() {
        for (i, &cx) in pos.iter().enumerate() {
            // The three corners hold finder patterns, not alignment patterns.
            if (i == 0 && j == 0) || (i == last && j == 0) || (i == 0 && j == last) {
                continue;
            }
            for dy in -2..=2i64 {
                for dx in -2..=2i64 {
                    let r = dx.abs().max(dy.abs());
                    t.push(((cx as i64 + dx) as u16, (cy as i64 + dy) as u16, r != 1));
                }
            }
        }
    }
    t
}

/// Correlation (−1…1) between the grey levels sampled at the template's module centres and the
/// template (dark = low): how well a transform lands on the function patterns.
fn fit_score(g: &Grey, tmpl: &[(u16, u16, bool)], xf: &Perspective) -> f64 {
    let (mut n, mut sv, mut svv, mut st, mut stt, mut svt) = (0.0f64, 0.0, 0.0, 0.0, 0.0, 0.0);
    for &(x, y, dark) in tmpl {
        let Some((px, py)) = xf.map(x as f64 + 0.5, y as f64 + 0.5) else { return -1.0 };
        let Some(v) = g.at(px, py) else { continue };
        let t = if dark { 0.0 } else { 1.0 };
        n += 1.0;
        sv += v;
        svv += v * v;
        st += t;
        stt += t * t;
        svt += v * t;
    }
    if n < tmpl.len() as f64 * 0.8 {
        return -1.0;
    }
    let cov = svt - sv * st / n;
    let var = (svv - sv * sv / n) * (stt - st * st / n);
    if var <= 0.0 {
        return -1.0;
    }
    cov / var.sqrt()
}

/// Moves the four control points of a grid transform (the finder centres and the bottom-right
/// point: alignment pattern or parallelogram corner), by steps of half, a quarter and an eighth
/// of a module, while the sampled function patterns fit better (bounded hill climb). Small and
/// blurred modules, or finders whose pixel-run centres are off by a fraction of a module, give
/// a grid that drifts off the modules somewhere; the function patterns pull it back.
/// Returns the refined transform when it fits better than the start.
/// `Err` when the start fits too poorly to be worth the climb (see [`FIT_MIN_START`]).
fn fit_grid(g: &Grey, t: &Triple, align: Option<(f64, f64)>, dim: usize, ms: f64) -> Result<Option<Perspective>, ()> {
    let tmpl = function_template(dim);
    if tmpl.is_empty() || !(ms.is_finite() && ms > 0.0) {
        return Err(());
    }
    let d3 = dim as f64 - 3.5;
    let br_src = if align.is_some() { d3 - 3.0 } else { d3 };
    let src = [(3.5, 3.5), (d3, 3.5), (br_src, br_src), (3.5, d3)];
    let br = align.unwrap_or((t.tr.x - t.tl.x + t.bl.x, t.tr.y - t.tl.y + t.bl.y));
    let mut dst = [(t.tl.x, t.tl.y), (t.tr.x, t.tr.y), br, (t.bl.x, t.bl.y)];
    let score = |d: &[(f64, f64); 4]| Perspective::quad_to_quad(src, *d).map_or(-1.0, |xf| fit_score(g, &tmpl, &xf));
    let start = score(&dst);
    #[cfg(all(debug_assertions, not(target_arch = "wasm32")))]
    if std::env::var_os("INTERPAY_DEBUG").is_some() {
        eprintln!("      fit dim {dim} start {start:.3}");
    }
    // A poor start is a wrong hypothesis (size, alignment pattern), not a grid slightly off: the
    // climb would spend its whole budget and rarely land on a code.
    if start < FIT_MIN_START {
        return Err(());
    }
    let mut best = start;
    let mut evals = 0;
    for step in [0.5 * ms, 0.25 * ms, 0.125 * ms] {
        let mut improved = true;
        let mut rounds = 0;
        while improved && rounds < 3 {
            improved = false;
            rounds += 1;
            for k in 0..4 {
                for (dx, dy) in [(1.0, 0.0), (-1.0, 0.0), (0.0, 1.0), (0.0, -1.0)] {
                    evals += 1;
                    if evals > FIT_EVALS {
                        break;
                    }
                    let mut cand = dst;
                    cand[k].0 += dx * step;
                    cand[k].1 += dy * step;
                    let s = score(&cand);
                    if s > best + 1e-4 {
                        best = s;
                        dst = cand;
                        improved = true;
                    }
                }
            }
        }
    }
    Ok((best > start + 1e-3).then(|| Perspective::quad_to_quad(src, dst)).flatten())
}

/// Upper bound of fitted grids per triple (each costs up to [`FIT_EVALS`] template scores).
const MAX_FITS: usize = 2;
/// Least template score of a grid worth fitting.
const FIT_MIN_START: f64 = 0.6;
/// How far [`sharpened`] pushes a level away from its neighbours' mean (`2v − mean4`).
const SHARPEN: f64 = 1.0;

/// Upper bound of template scores per fitted grid.
const FIT_EVALS: usize = 120;

/// The grids (grey-level, binary and sharpened grey-level samples) of the transform [`fit_grid`] refines, with its
/// corners; None when the grid was not worth fitting (not counted against [`MAX_FITS`]).
fn fitted_grids(img: &BitMatrix, g: &Grey, t: &Triple, align: Option<(f64, f64)>, dim: usize, ms: f64) -> Option<Vec<ModuleGrid>> {
    let Some(xf) = fit_grid(g, t, align, dim, ms).ok()? else { return Some(Vec::new()) };
    let c = |x: f64, y: f64| {
        let p = xf.map(x, y).unwrap_or((0.0, 0.0));
        [p.0 as f32, p.1 as f32]
    };
    let d = dim as f64;
    let corners = [c(0.0, 0.0), c(d, 0.0), c(d, d), c(0.0, d)];
    let mut out = Vec::new();
    let levels = sample_levels(g, dim, &xf);
    if let Some(v) = &levels {
        out.push(ModuleGrid { size: dim, cells: threshold_cells(v, dim), corners });
    }
    if let Some(cells) = sample(img, dim, &xf) {
        out.push(ModuleGrid { size: dim, cells, corners });
    }
    // Small blurred modules: on the far-blur frames of the tuning seeds this grid read 2–7 codes
    // in 20 that the two above missed (k = 1 read as many as k = 0.5 or more, 0 wrong texts).
    if let Some(v) = &levels {
        out.push(ModuleGrid { size: dim, cells: threshold_cells(&sharpened(v, dim, SHARPEN), dim), corners });
    }
    Some(out)
}

#[cfg(all(debug_assertions, not(target_arch = "wasm32")))]
pub fn debug_template_miss(g: &ModuleGrid) -> String {
    let t = function_template(g.size);
    let miss = t.iter().filter(|&&(x, y, d)| g.get(x as usize, y as usize) != d).count();
    format!("{miss}/{}", t.len())
}
