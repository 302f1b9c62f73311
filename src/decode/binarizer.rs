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
    let mut out = BitMatrix::new(width, height);
    let max_y_off = height - BLOCK_SIZE;
    let max_x_off = width - BLOCK_SIZE;
    for y in 0..sub_h {
        let yoff = (y << BLOCK_SIZE_POWER).min(max_y_off);
        let top = y.clamp(2, sub_h.saturating_sub(3).max(2));
        for x in 0..sub_w {
            let xoff = (x << BLOCK_SIZE_POWER).min(max_x_off);
            let left = x.clamp(2, sub_w.saturating_sub(3).max(2));
            let mut sum = 0u32;
            let mut n = 0u32;
            for z in top.saturating_sub(2)..=(top + 2) {
                if z >= sub_h {
                    continue;
                }
                let row = &black_points[z * sub_w..(z + 1) * sub_w];
                for xx in left.saturating_sub(2)..=(left + 2) {
                    if let Some(&v) = row.get(xx) {
                        sum += v as u32;
                        n += 1;
                    }
                }
            }
            let average = if n > 0 { sum / n } else { 128 };
            for yy in 0..BLOCK_SIZE {
                let off = (yoff + yy) * width + xoff;
                if let (Some(src), Some(dst)) = (luma.get(off..off + BLOCK_SIZE), out.bits.get_mut(off..off + BLOCK_SIZE)) {
                    for (d, &s) in dst.iter_mut().zip(src) {
                        *d = (s as u32 <= average) as u8;
                    }
                }
            }
        }
    }
    out
}

fn block_black_points(luma: &[u8], sub_w: usize, sub_h: usize, width: usize, height: usize) -> Vec<u8> {
    let max_y_off = height - BLOCK_SIZE;
    let max_x_off = width - BLOCK_SIZE;
    let mut bp = vec![0u8; sub_w * sub_h];
    for y in 0..sub_h {
        let yoff = (y << BLOCK_SIZE_POWER).min(max_y_off);
        for x in 0..sub_w {
            let xoff = (x << BLOCK_SIZE_POWER).min(max_x_off);
            let mut sum = 0u32;
            let mut min = 255u32;
            let mut max = 0u32;
            let mut yy = 0;
            while yy < BLOCK_SIZE {
                let off = (yoff + yy) * width + xoff;
                if let Some(row) = luma.get(off..off + BLOCK_SIZE) {
                    for &p in row {
                        let p = p as u32;
                        sum += p;
                        min = min.min(p);
                        max = max.max(p);
                    }
                }
                yy += 1;
                if max - min > MIN_DYNAMIC_RANGE {
                    // Finish the rest of the block quickly: only the sum matters now.
                    while yy < BLOCK_SIZE {
                        let off = (yoff + yy) * width + xoff;
                        if let Some(row) = luma.get(off..off + BLOCK_SIZE) {
                            sum += row.iter().map(|&p| p as u32).sum::<u32>();
                        }
                        yy += 1;
                    }
                }
            }
            let mut average = sum >> (BLOCK_SIZE_POWER * 2);
            if max - min <= MIN_DYNAMIC_RANGE {
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
