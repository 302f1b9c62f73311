//! Binarisation: luma → black/white [`BitMatrix`].
//!
//! [`hybrid`] is a port of ZXing's HybridBinarizer (8×8 blocks, each thresholded at the mean of
//! the 5×5 neighbouring block averages; flat blocks inherit their neighbours' black point), which
//! copes with uneven light, shadows and gradients. [`global_histogram`] is ZXing's
//! GlobalHistogramBinarizer (one threshold from the luma histogram's two peaks), the fallback for
//! small or very soft images. Both are allocation-light, branch-light and never index out of bounds.

/// A binary image, one byte per pixel (1 = black), row-major.
#[derive(Clone)]
pub struct BitMatrix {
    pub width: usize,
    pub height: usize,
    pub bits: Vec<u8>,
}

impl BitMatrix {
    pub fn new(width: usize, height: usize) -> Self {
        Self { width, height, bits: vec![0; width.saturating_mul(height)] }
    }

    /// Black at (x, y)? Out of bounds reads as white.
    #[inline]
    pub fn get(&self, x: usize, y: usize) -> bool {
        if x >= self.width || y >= self.height {
            return false;
        }
        self.bits.get(y * self.width + x).is_some_and(|&b| b != 0)
    }

    /// Same with signed coordinates.
    #[inline]
    pub fn get_i(&self, x: i64, y: i64) -> bool {
        if x < 0 || y < 0 {
            return false;
        }
        self.get(x as usize, y as usize)
    }

    #[inline]
    pub fn row(&self, y: usize) -> &[u8] {
        let start = y.saturating_mul(self.width);
        self.bits.get(start..start.saturating_add(self.width)).unwrap_or(&[])
    }

    /// The transpose (x ↔ y), for column scanning with the row scanner.
    pub fn transposed(&self) -> BitMatrix {
        let (w, h) = (self.width, self.height);
        let mut t = BitMatrix::new(h, w);
        // Tiled to stay cache-friendly on camera frames.
        const T: usize = 32;
        for by in (0..h).step_by(T) {
            for bx in (0..w).step_by(T) {
                for y in by..(by + T).min(h) {
                    for x in bx..(bx + T).min(w) {
                        t.bits[x * h + y] = self.bits[y * w + x];
                    }
                }
            }
        }
        t
    }

    pub fn invert(&mut self) {
        for b in &mut self.bits {
            *b ^= 1;
        }
    }
}

const BLOCK_SIZE_POWER: usize = 3;
const BLOCK_SIZE: usize = 1 << BLOCK_SIZE_POWER;
const MIN_DYNAMIC_RANGE: u32 = 24;
const MINIMUM_DIMENSION: usize = BLOCK_SIZE * 5;

/// Local-block thresholding (ZXing HybridBinarizer). Falls back to the global histogram for
/// images smaller than 40×40.
pub fn hybrid(luma: &[u8], width: usize, height: usize) -> BitMatrix {
    if width < MINIMUM_DIMENSION || height < MINIMUM_DIMENSION || luma.len() < width * height {
        return global_histogram(luma, width, height);
    }
    let sub_w = width.div_ceil(BLOCK_SIZE);
    let sub_h = height.div_ceil(BLOCK_SIZE);
    let black_points = block_black_points(luma, sub_w, sub_h, width, height);
    // Block thresholds: mean of the 5×5 neighbouring black points (clamped at the borders),
    // computed with a summed-area table over the block grid.
    let sw = sub_w + 1;
    let mut sat = vec![0u32; sw * (sub_h + 1)];
    for y in 0..sub_h {
        let mut row_sum = 0u32;
        for x in 0..sub_w {
            row_sum += black_points[y * sub_w + x] as u32;
            sat[(y + 1) * sw + x + 1] = sat[y * sw + x + 1] + row_sum;
        }
    }
    let mut thresholds = vec![0u8; sub_w * sub_h];
    for y in 0..sub_h {
        let top = y.clamp(2, sub_h - 3);
        let (y0, y1) = (top - 2, top + 3);
        for x in 0..sub_w {
            let left = x.clamp(2, sub_w - 3);
            let (x0, x1) = (left - 2, left + 3);
            let sum = sat[y1 * sw + x1] + sat[y0 * sw + x0] - sat[y0 * sw + x1] - sat[y1 * sw + x0];
            thresholds[y * sub_w + x] = (sum / 25) as u8;
        }
    }
    let mut out = BitMatrix::new(width, height);
    // Per-pixel threshold row, rebuilt once per block row: the compare loop below is then a
    // plain zip of three slices, which the compiler vectorises.
    let mut thr_row = vec![0u8; width];
    let mut current_by = usize::MAX;
    for y in 0..height {
        // Each pixel row uses the threshold of the block row it falls in (ZXing clamps the last
        // partial block to height - 8; the difference is confined to the last 7 rows).
        let by = (y / BLOCK_SIZE).min(sub_h - 1);
        if by != current_by {
            current_by = by;
            let trow = &thresholds[by * sub_w..(by + 1) * sub_w];
            for (chunk, &t) in thr_row.chunks_mut(BLOCK_SIZE).zip(trow.iter()) {
                chunk.fill(t);
            }
        }
        let src = &luma[y * width..(y + 1) * width];
        let dst = &mut out.bits[y * width..(y + 1) * width];
        for ((d, &p), &t) in dst.iter_mut().zip(src).zip(thr_row.iter()) {
            *d = (p <= t) as u8;
        }
    }
    out
}

/// Each 8×8 block's black point (ZXing's `calculateBlackPoints`). Two ways to gather a block's sum,
/// minimum and maximum, same numbers (`tests::both_block_scans_give_the_same_black_points`):
/// [`block_stats_rows`], each block's 8 pixels of a row folded in turn (scalar code, the plain wasm
/// reader; natively too, where with the column fold hybrid took ~55% more perf samples on seed-4
/// steep frames), and [`block_stats_columns`], 8 rows folded column-wise first (a plain zip of rows:
/// u8x16 min/max and u16x8 adds in the SIMD wasm reader: 5.0 against 5.6 ms a seed-4 empty frame in
/// Chromium with the row fold), then 8 columns per block.
fn block_black_points(luma: &[u8], sub_w: usize, sub_h: usize, width: usize, height: usize) -> Vec<u8> {
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    let stats = block_stats_rows(luma, sub_w, sub_h, width, height);
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    let stats = block_stats_columns(luma, sub_w, sub_h, width, height);
    black_points_from(&stats, sub_w, sub_h)
}

/// Sum, minimum and maximum of one 8×8 block.
#[derive(Clone, Copy, Debug, PartialEq)]
struct BlockStats {
    sum: u32,
    min: u8,
    max: u8,
}

const NO_STATS: BlockStats = BlockStats { sum: 0, min: 255, max: 0 };

/// [`BlockStats`] of every block, 8 columns folded column-wise over the block row's 8 rows first.
/// Blocks past the image's last whole block (a partial last row or column) take the last 8 pixels,
/// as ZXing does. Out-of-range rows (never, for the sizes `hybrid` passes) leave a block's stats empty.
#[cfg_attr(not(all(target_arch = "wasm32", target_feature = "simd128")), allow(dead_code))]
fn block_stats_columns(luma: &[u8], sub_w: usize, sub_h: usize, width: usize, height: usize) -> Vec<BlockStats> {
    let max_y_off = height - BLOCK_SIZE;
    let max_x_off = width - BLOCK_SIZE;
    let mut stats = vec![NO_STATS; sub_w * sub_h];
    let mut col_sum = vec![0u16; width];
    let mut col_min = vec![255u8; width];
    let mut col_max = vec![0u8; width];
    for (y, out) in stats.chunks_exact_mut(sub_w).enumerate() {
        let yoff = (y << BLOCK_SIZE_POWER).min(max_y_off);
        let Some(rows) = luma.get(yoff * width..(yoff + BLOCK_SIZE) * width) else { continue };
        let (first, rest) = rows.split_at(width);
        for (((s, mn), mx), &p) in col_sum.iter_mut().zip(col_min.iter_mut()).zip(col_max.iter_mut()).zip(first) {
            *s = p as u16;
            *mn = p;
            *mx = p;
        }
        // 7 more rows: at most 8 × 255 in a u16.
        for row in rest.chunks_exact(width) {
            for (((s, mn), mx), &p) in col_sum.iter_mut().zip(col_min.iter_mut()).zip(col_max.iter_mut()).zip(row) {
                *s += p as u16;
                *mn = (*mn).min(p);
                *mx = (*mx).max(p);
            }
        }
        for (x, st) in out.iter_mut().enumerate() {
            let x0 = (x << BLOCK_SIZE_POWER).min(max_x_off);
            let (Some(s), Some(mn), Some(mx)) =
                (col_sum.get(x0..x0 + BLOCK_SIZE), col_min.get(x0..x0 + BLOCK_SIZE), col_max.get(x0..x0 + BLOCK_SIZE))
            else {
                continue;
            };
            *st = BlockStats {
                sum: s.iter().map(|&v| v as u32).sum(),
                min: mn.iter().copied().min().unwrap_or(255),
                max: mx.iter().copied().max().unwrap_or(0),
            };
        }
    }
    stats
}

/// [`BlockStats`] of every block, each block's 8 pixels of a row folded in turn (ZXing's order).
#[cfg_attr(all(target_arch = "wasm32", target_feature = "simd128"), allow(dead_code))]
fn block_stats_rows(luma: &[u8], sub_w: usize, sub_h: usize, width: usize, height: usize) -> Vec<BlockStats> {
    let max_y_off = height - BLOCK_SIZE;
    let max_x_off = width - BLOCK_SIZE;
    let mut stats = Vec::with_capacity(sub_w * sub_h);
    let mut sums = vec![0u32; sub_w];
    let mut mins = vec![255u8; sub_w];
    let mut maxs = vec![0u8; sub_w];
    for y in 0..sub_h {
        let yoff = (y << BLOCK_SIZE_POWER).min(max_y_off);
        sums.iter_mut().for_each(|v| *v = 0);
        mins.iter_mut().for_each(|v| *v = 255);
        maxs.iter_mut().for_each(|v| *v = 0);
        let full = width / BLOCK_SIZE;
        for yy in 0..BLOCK_SIZE {
            let row = &luma[(yoff + yy) * width..(yoff + yy + 1) * width];
            for (((px, s), mn), mx) in row
                .chunks_exact(BLOCK_SIZE)
                .zip(sums.iter_mut())
                .zip(mins.iter_mut())
                .zip(maxs.iter_mut())
            {
                let mut a = 0u32;
                let mut lo = 255u8;
                let mut hi = 0u8;
                for &p in px {
                    a += p as u32;
                    lo = lo.min(p);
                    hi = hi.max(p);
                }
                *s += a;
                *mn = (*mn).min(lo);
                *mx = (*mx).max(hi);
            }
            if full < sub_w {
                // Partial last block column: ZXing uses the last 8 pixels of the row.
                let px = &row[max_x_off..max_x_off + BLOCK_SIZE];
                let x = sub_w - 1;
                for &p in px {
                    sums[x] += p as u32;
                    mins[x] = mins[x].min(p);
                    maxs[x] = maxs[x].max(p);
                }
            }
        }
        stats.extend(sums.iter().zip(&mins).zip(&maxs).map(|((&sum, &min), &max)| BlockStats { sum, min, max }));
    }
    stats
}

/// ZXing's black point of each block from its stats: the mean, or for a flat block (range ≤ 24) half
/// its minimum unless its up/left neighbours' black points say it is dark.
fn black_points_from(stats: &[BlockStats], sub_w: usize, sub_h: usize) -> Vec<u8> {
    let mut bp = vec![0u8; sub_w * sub_h];
    for y in 0..sub_h {
        for x in 0..sub_w {
            let st = stats.get(y * sub_w + x).copied().unwrap_or(NO_STATS);
            let (min, max) = (st.min as u32, st.max as u32);
            let mut average = st.sum >> (BLOCK_SIZE_POWER * 2);
            if max.saturating_sub(min) <= MIN_DYNAMIC_RANGE {
                // A flat block: assume it is background (white) unless the neighbours say otherwise.
                average = min / 2;
                if y > 0 && x > 0 {
                    let up = bp[(y - 1) * sub_w + x] as u32;
                    let left = bp[y * sub_w + x - 1] as u32;
                    let ul = bp[(y - 1) * sub_w + x - 1] as u32;
                    let avg_neighbor = (up + 2 * left + ul) / 4;
                    if min < avg_neighbor {
                        average = avg_neighbor;
                    }
                }
            }
            bp[y * sub_w + x] = average.min(255) as u8;
        }
    }
    bp
}

const LUMINANCE_BITS: usize = 5;
const LUMINANCE_SHIFT: usize = 8 - LUMINANCE_BITS;
const LUMINANCE_BUCKETS: usize = 1 << LUMINANCE_BITS;

/// One threshold for the whole image, from the histogram of the whole image.
pub fn global_histogram(luma: &[u8], width: usize, height: usize) -> BitMatrix {
    let mut out = BitMatrix::new(width, height);
    let n = width.saturating_mul(height).min(luma.len());
    let mut buckets = [0u32; LUMINANCE_BUCKETS];
    for &p in &luma[..n] {
        buckets[(p as usize) >> LUMINANCE_SHIFT] += 1;
    }
    let black_point = estimate_black_point(&buckets).unwrap_or(128);
    for (d, &s) in out.bits.iter_mut().zip(&luma[..n]) {
        *d = ((s as u32) < black_point) as u8;
    }
    out
}

fn estimate_black_point(buckets: &[u32; LUMINANCE_BUCKETS]) -> Option<u32> {
    let num = buckets.len();
    let mut max_bucket_count = 0;
    let mut first_peak = 0;
    let mut first_peak_size = 0;
    for (x, &b) in buckets.iter().enumerate() {
        if b > first_peak_size {
            first_peak = x;
            first_peak_size = b;
        }
        if b > max_bucket_count {
            max_bucket_count = b;
        }
    }
    let mut second_peak = 0usize;
    let mut second_peak_score = 0u64;
    for (x, &b) in buckets.iter().enumerate() {
        let d = x.abs_diff(first_peak) as u64;
        let score = b as u64 * d * d;
        if score > second_peak_score {
            second_peak = x;
            second_peak_score = score;
        }
    }
    let (mut first, mut second) = (first_peak, second_peak);
    if first > second {
        std::mem::swap(&mut first, &mut second);
    }
    if second - first <= num / 16 {
        return None;
    }
    let mut best_valley = second - 1;
    let mut best_valley_score: i64 = -1;
    for x in (first + 1..second).rev() {
        let from_first = (x - first) as i64;
        let score = from_first * from_first * (second - x) as i64 * (max_bucket_count as i64 - buckets[x] as i64);
        if score > best_valley_score {
            best_valley = x;
            best_valley_score = score;
        }
    }
    Some((best_valley << LUMINANCE_SHIFT) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A test image: noise, flat patches and gradients (flat blocks take the neighbour rule), with
    /// sizes that are and are not multiples of the block size.
    fn image(w: usize, h: usize, seed: u32) -> Vec<u8> {
        let mut s = seed.wrapping_mul(2_654_435_761).max(1);
        (0..w * h)
            .map(|i| {
                s ^= s << 13;
                s ^= s >> 17;
                s ^= s << 5;
                let (x, y) = (i % w, i / w);
                match (x / 24 + y / 16) % 3 {
                    0 => (s % 256) as u8,
                    1 => 200 + (s % 9) as u8,
                    _ => ((x * 3 + y * 2) % 256) as u8 / if (x / 8) % 2 == 0 { 1 } else { 4 },
                }
            })
            .collect()
    }

    /// The row-wise scan (the plain wasm reader's and native builds') and the column-wise scan (the SIMD
    /// reader's) give every block the same sum, minimum and maximum, hence the same black points.
    #[test]
    fn both_block_scans_give_the_same_black_points() {
        for (w, h) in [(40, 40), (41, 47), (64, 48), (95, 73), (1280, 720), (333, 200)] {
            for seed in 1..4 {
                let luma = image(w, h, seed + w as u32);
                let (sub_w, sub_h) = (w.div_ceil(BLOCK_SIZE), h.div_ceil(BLOCK_SIZE));
                let rows = block_stats_rows(&luma, sub_w, sub_h, w, h);
                let cols = block_stats_columns(&luma, sub_w, sub_h, w, h);
                assert_eq!(rows.len(), sub_w * sub_h);
                assert_eq!(rows, cols, "{w}x{h} seed {seed}");
                // Not vacuous: the last block column and row (partial when w or h is not a multiple of 8)
                // hold the image's last 8 pixels.
                let last = rows[sub_w * sub_h - 1];
                let want: u32 = (h - 8..h).flat_map(|y| (w - 8..w).map(move |x| (x, y))).map(|(x, y)| luma[y * w + x] as u32).sum();
                assert_eq!(last.sum, want, "{w}x{h}: last block");
                assert!(rows.iter().any(|s| s.max - s.min <= MIN_DYNAMIC_RANGE as u8) && rows.iter().any(|s| s.max - s.min > 100));
            }
        }
    }
}
