//! Finder-pattern detection (the three 7×7 "eyes"), after ZXing's FinderPatternFinder:
//! scan rows for 1:1:3:1:1 black/white runs, confirm each candidate with vertical, horizontal and
//! diagonal cross-checks, merge repeated sightings, then group the patterns into plausible
//! triples (several codes per frame are supported: every plausible triple is returned, best first).

use super::binarizer::BitMatrix;

#[derive(Debug, Clone, Copy)]
pub struct FinderPattern {
    pub x: f64,
    pub y: f64,
    pub module_size: f64,
    pub count: u32,
}

const MIN_SKIP: usize = 3;
const MAX_MODULES: usize = 97;
/// Upper bound on candidates kept per image (bounds the triple search, which is cubic).
const MAX_CANDIDATES: usize = 40;

/// Run widths in 1:1:3:1:1 ratio: each outer run within `module / tolerance_div` + 0.5 px of the
/// module, the centre within 3·`module / tolerance_div` of three modules.
#[inline]
fn found_pattern_within(sc: &[u32; 5], tolerance_div: f64) -> bool {
    let total: u32 = sc.iter().sum();
    if total < 7 || sc.iter().any(|&c| c == 0) {
        return false;
    }
    let module = total as f64 / 7.0;
    // The half-pixel slack (zxing-cpp's IsPattern) keeps 1.5–2.5 px modules, whose runs are
    // quantised to whole pixels, from failing on rounding alone.
    // The centre gets no slack: a checkerboard's 1:1:1:1:1 runs would pass with it.
    let max_var = module / tolerance_div + 0.5;
    (module - sc[0] as f64).abs() < max_var
        && (module - sc[1] as f64).abs() < max_var
        && (3.0 * module - sc[2] as f64).abs() < 3.0 * module / tolerance_div
        && (module - sc[3] as f64).abs() < max_var
        && (module - sc[4] as f64).abs() < max_var
}

/// Rows and columns: the centre run must also dominate (zxing-cpp's plausibility test; not on
/// the diagonals, where blur rounds the rings' corners).
#[inline]
fn found_pattern_cross(sc: &[u32; 5]) -> bool {
    sc[2] >= 2 * sc[0].max(sc[4]) && sc[2] >= sc[1].max(sc[3]) && found_pattern_within(sc, 2.0)
}

/// Diagonal runs are noisier: a looser tolerance.
#[inline]
fn found_pattern_diagonal(sc: &[u32; 5]) -> bool {
    found_pattern_within(sc, 1.333)
}

#[inline]
fn center_from_end(sc: &[u32; 5], end: usize) -> f64 {
    end as f64 - sc[4] as f64 - sc[3] as f64 - sc[2] as f64 / 2.0
}

struct Finder<'a> {
    img: &'a BitMatrix,
    centers: Vec<FinderPattern>,
}

impl Finder<'_> {
    fn cross_check_vertical(&self, start_i: usize, center_j: usize, max_count: u32, original_total: u32) -> Option<(f64, u32)> {
        let img = self.img;
        let max_i = img.height;
        let mut sc = [0u32; 5];
        let mut i = start_i as i64;
        while i >= 0 && img.get(center_j, i as usize) {
            sc[2] += 1;
            i -= 1;
        }
        if i < 0 {
            return None;
        }
        while i >= 0 && !img.get(center_j, i as usize) && sc[1] <= max_count {
            sc[1] += 1;
            i -= 1;
        }
        if i < 0 || sc[1] > max_count {
            return None;
        }
        while i >= 0 && img.get(center_j, i as usize) && sc[0] <= max_count {
            sc[0] += 1;
            i -= 1;
        }
        if sc[0] > max_count {
            return None;
        }
        let mut i = start_i + 1;
        while i < max_i && img.get(center_j, i) {
            sc[2] += 1;
            i += 1;
        }
        if i == max_i {
            return None;
        }
        while i < max_i && !img.get(center_j, i) && sc[3] < max_count {
            sc[3] += 1;
            i += 1;
        }
        if i == max_i || sc[3] >= max_count {
            return None;
        }
        while i < max_i && img.get(center_j, i) && sc[4] < max_count {
            sc[4] += 1;
            i += 1;
        }
        if sc[4] >= max_count {
            return None;
        }
        // Under steep perspective or shear a finder pattern is much taller than wide (or the
        // reverse): its rings are still concentric, so the 1:1:3:1:1 ratio holds in both
        // directions, only the totals differ (zxing-cpp allows a 5× spread across directions).
        let total: u32 = sc.iter().sum();
        if 5 * total < 2 * original_total || 2 * total > 5 * original_total {
            return None;
        }
        found_pattern_cross(&sc).then(|| (center_from_end(&sc, i), total))
    }

    fn cross_check_horizontal(&self, start_j: usize, center_i: usize, max_count: u32, original_total: u32) -> Option<f64> {
        let img = self.img;
        let max_j = img.width;
        let row = img.row(center_i);
        let black = |j: usize| row.get(j).is_some_and(|&b| b != 0);
        let mut sc = [0u32; 5];
        let mut j = start_j as i64;
        while j >= 0 && black(j as usize) {
            sc[2] += 1;
            j -= 1;
        }
        if j < 0 {
            return None;
        }
        while j >= 0 && !black(j as usize) && sc[1] <= max_count {
            sc[1] += 1;
            j -= 1;
        }
        if j < 0 || sc[1] > max_count {
            return None;
        }
        while j >= 0 && black(j as usize) && sc[0] <= max_count {
            sc[0] += 1;
            j -= 1;
        }
        if sc[0] > max_count {
            return None;
        }
        let mut j = start_j + 1;
        while j < max_j && black(j) {
            sc[2] += 1;
            j += 1;
        }
        if j == max_j {
            return None;
        }
        while j < max_j && !black(j) && sc[3] < max_count {
            sc[3] += 1;
            j += 1;
        }
        if j == max_j || sc[3] >= max_count {
            return None;
        }
        while j < max_j && black(j) && sc[4] < max_count {
            sc[4] += 1;
            j += 1;
        }
        if sc[4] >= max_count {
            return None;
        }
        let total: u32 = sc.iter().sum();
        if 5 * total.abs_diff(original_total) >= original_total {
            return None;
        }
        found_pattern_cross(&sc).then(|| center_from_end(&sc, j))
    }

    /// 1:1:3:1:1 along the diagonal through (cj, ci) with direction (dx, 1), dx = ±1.
    fn cross_check_diagonal(&self, ci: usize, cj: usize, dx: i64) -> bool {
        let img = self.img;
        let (ci, cj) = (ci as i64, cj as i64);
        // Runs outwards from the centre: centre, white, black on each side; bounded by the image.
        let limit = (img.width.max(img.height)) as i64;
        let run = |dir: i64, start: i64, black: bool| -> (u32, i64) {
            let mut n = 0u32;
            let mut k = start;
            while k < limit && img.get_i(cj + dir * dx * k, ci + dir * k) == black {
                n += 1;
                k += 1;
            }
            (n, k)
        };
        let (c0, k) = run(-1, 0, true);
        let (w0, k) = run(-1, k, false);
        let (b0, _) = run(-1, k, true);
        let (c1, k) = run(1, 1, true);
        let (w1, k) = run(1, k, false);
        let (b1, _) = run(1, k, true);
        let sc = [b0, w0, c0 + c1, w1, b1];
        if sc.contains(&0) {
            return false;
        }
        found_pattern_diagonal(&sc)
    }

    fn handle_possible_center(&mut self, sc: &[u32; 5], i: usize, j: usize) -> bool {
        let total: u32 = sc.iter().sum();
        let center_j = center_from_end(sc, j);
        if center_j < 0.0 {
            return false;
        }
        let Some((center_i, v_total)) = self.cross_check_vertical(i, center_j as usize, 2 * sc[2] + 2, total) else {
            return false;
        };
        if center_i < 0.0 {
            return false;
        }
        let Some(center_j) = self.cross_check_horizontal(center_j as usize, center_i as usize, sc[2], total) else {
            return false;
        };
        // Both diagonals (zxing-cpp checks four directions): noise and textures rarely pass all.
        if center_j < 0.0 || !self.cross_check_diagonal(center_i as usize, center_j as usize, 1) || !self.cross_check_diagonal(center_i as usize, center_j as usize, -1) {
            return false;
        }
        // Module size: the mean of the two directions (they differ under perspective).
        let ms = (total + v_total) as f64 / 14.0;
        for c in &mut self.centers {
            if (center_i - c.y).abs() <= ms && (center_j - c.x).abs() <= ms {
                let d = (ms - c.module_size).abs();
                if d <= 1.0 || d <= c.module_size {
                    let n = c.count as f64;
                    c.x = (n * c.x + center_j) / (n + 1.0);
                    c.y = (n * c.y + center_i) / (n + 1.0);
                    c.module_size = (n * c.module_size + ms) / (n + 1.0);
                    c.count += 1;
                    return true;
                }
            }
        }
        if self.centers.len() < 4 * MAX_CANDIDATES {
            self.centers.push(FinderPattern { x: center_j, y: center_i, module_size: ms, count: 1 });
        }
        true
    }
}

/// Every confirmed finder pattern, most often seen first.
pub fn find_patterns(img: &BitMatrix, try_harder: bool) -> Vec<FinderPattern> {
    let (max_i, max_j) = (img.height, img.width);
    let mut skip = (3 * max_i) / (4 * MAX_MODULES);
    if skip < MIN_SKIP || try_harder {
        skip = MIN_SKIP;
    }
    let mut f = Finder { img, centers: Vec::new() };
    // Each scanned row as run lengths (reused buffer): the 1:1:3:1:1 test then runs once per run
    // instead of once per pixel, and the run loop is branch-light on smooth rows.
    let mut runs: Vec<u32> = Vec::with_capacity(max_j / 2 + 2);
    let mut i = skip - 1;
    while i < max_i {
        let row = img.row(i);
        runs.clear();
        let Some(&first) = row.first() else { break };
        let mut cur = first;
        let mut start = 0usize;
        for (j, &b) in row.iter().enumerate() {
            if b != cur {
                runs.push((j - start) as u32);
                start = j;
                cur = b;
            }
        }
        runs.push((row.len() - start) as u32);
        // Windows of five runs starting on a black run; `end` = the pixel after the fifth run.
        let mut k = if first != 0 { 0 } else { 1 };
        let mut end = if first != 0 { 0 } else { runs.first().copied().unwrap_or(0) as usize };
        while k + 4 < runs.len() {
            let Some(w) = runs.get(k..k + 5) else { break };
            let sc = [w[0], w[1], w[2], w[3], w[4]];
            let stop = end + w.iter().sum::<u32>() as usize;
            if found_pattern_cross(&sc) && f.handle_possible_center(&sc, i, stop) {
                // Skip past this pattern: the next window starts at the black run after it.
                end = stop + runs.get(k + 5).copied().unwrap_or(0) as usize;
                k += 6;
            } else {
                end += (w[0] + w[1]) as usize;
                k += 2;
            }
        }
        i += skip;
    }
    let mut c = f.centers;
    c.sort_by(|a, b| b.count.cmp(&a.count));
    c.truncate(MAX_CANDIDATES);
    c
}

/// Three finder patterns, ordered bottom-left, top-left, top-right, with a plausibility score
/// (lower is better).
#[derive(Debug, Clone, Copy)]
pub struct Triple {
    pub bl: FinderPattern,
    pub tl: FinderPattern,
    pub tr: FinderPattern,
    pub idx: [usize; 3],
    pub score: f64,
}

fn dist(a: &FinderPattern, b: &FinderPattern) -> f64 {
    ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt()
}

/// All plausible triples, best first.
pub fn triples(p: &[FinderPattern]) -> Vec<Triple> {
    let n = p.len();
    let mut out = Vec::new();
    for i in 0..n {
        for j in (i + 1)..n {
            for k in (j + 1)..n {
                make_triple(p, [i, j, k], &mut out);
            }
        }
    }
    out.sort_by(|a, b| a.score.partial_cmp(&b.score).unwrap_or(std::cmp::Ordering::Equal));
    out
}

fn make_triple(p: &[FinderPattern], idx: [usize; 3], out: &mut Vec<Triple>) {
    let [a, b, c] = [p[idx[0]], p[idx[1]], p[idx[2]]];
    let ms = [a.module_size, b.module_size, c.module_size];
    let ms_max = ms.iter().cloned().fold(f64::MIN, f64::max);
    let ms_min = ms.iter().cloned().fold(f64::MAX, f64::min);
    if ms_min <= 0.0 || ms_max / ms_min > 2.5 {
        return;
    }
    let dab = dist(&a, &b);
    let dbc = dist(&b, &c);
    let dac = dist(&a, &c);
    let longest = dab.max(dbc).max(dac);
    // Normally the top-left pattern is opposite the longest side; under strong perspective the
    // two other candidates can be nearly as long, so every vertex with a near-right angle is tried
    // (the score ranks them).
    let choices = [
        (a, b, c, (idx[0], idx[1], idx[2]), dbc, dab, dac),
        (b, a, c, (idx[1], idx[0], idx[2]), dac, dab, dbc),
        (c, a, b, (idx[2], idx[0], idx[1]), dab, dac, dbc),
    ];
    for (tl, mut p1, mut p2, (ti, mut i1, mut i2), hyp, l1, l2) in choices {
        if l1 <= 0.0 || l2 <= 0.0 || hyp < longest * 0.9 {
            continue;
        }
        let leg_ratio = l1.max(l2) / l1.min(l2);
        if leg_ratio > 2.0 {
            continue;
        }
        let (v1x, v1y) = (p1.x - tl.x, p1.y - tl.y);
        let (v2x, v2y) = (p2.x - tl.x, p2.y - tl.y);
        let cos = (v1x * v2x + v1y * v2y) / (l1 * l2);
        if cos.abs() > 0.72 {
            continue;
        }
        let mean_ms = (ms[0] + ms[1] + ms[2]) / 3.0;
        let dim = (l1 + l2) / 2.0 / mean_ms + 7.0;
        if !(15.0..=190.0).contains(&dim) {
            continue;
        }
        // Orientation: in image coordinates (y down), top-right × bottom-left must be positive.
        let cross = v1x * v2y - v1y * v2x;
        if cross < 0.0 {
            std::mem::swap(&mut p1, &mut p2);
            std::mem::swap(&mut i1, &mut i2);
        }
        let (tr, bl) = (p1, p2);
        let not_longest = if hyp < longest { 0.5 } else { 0.0 };
        let score = cos.abs() + (leg_ratio - 1.0) + (ms_max / ms_min - 1.0) * 0.5 + not_longest;
        out.push(Triple { bl, tl, tr, idx: [i2, ti, i1], score });
    }
}
