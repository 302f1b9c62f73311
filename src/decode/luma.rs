//! Image-view helpers on 8-bit luma buffers: RGBA → luma, crop, 2× box downscale, 2× bilinear upscale.
//! All bounds-checked; never panic.

use super::Region;

/// Copies the region (clamped to the image); None when it is empty.
pub fn crop(data: &[u8], w: usize, h: usize, r: Region) -> Option<(Vec<u8>, usize, usize)> {
    let x0 = r.x.min(w);
    let y0 = r.y.min(h);
    let x1 = r.x.saturating_add(r.width).min(w);
    let y1 = r.y.saturating_add(r.height).min(h);
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    let (cw, chh) = (x1 - x0, y1 - y0);
    let mut out = Vec::with_capacity(cw * chh);
    for y in y0..y1 {
        let row = data.get(y * w + x0..y * w + x1)?;
        out.extend_from_slice(row);
    }
    Some((out, cw, chh))
}

/// 2× box-filter downscale.
pub fn downscale2(data: &[u8], w: usize, h: usize) -> (Vec<u8>, usize, usize) {
    let (nw, nh) = ((w / 2).max(1), (h / 2).max(1));
    let mut out = vec![0u8; nw * nh];
    if w < 2 || h < 2 {
        for (i, o) in out.iter_mut().enumerate() {
            *o = data.get(i * 2).copied().unwrap_or(0);
        }
        return (out, nw, nh);
    }
    for y in 0..nh {
        let r0 = data.get(2 * y * w..2 * y * w + w);
        let r1 = data.get((2 * y + 1) * w..(2 * y + 1) * w + w);
        let (Some(r0), Some(r1)) = (r0, r1) else { continue };
        let Some(dst) = out.get_mut(y * nw..(y + 1) * nw) else { continue };
        // Zipped exact pairs (no index arithmetic, no bounds checks): the loop vectorises, a
        // fifth of the scalar version's time on a 1280×720 frame, which every frame without a
        // code pays for.
        for ((d, a), b) in dst.iter_mut().zip(r0.chunks_exact(2)).zip(r1.chunks_exact(2)) {
            let s = a[0] as u16 + a[1] as u16 + b[0] as u16 + b[1] as u16;
            *d = ((s + 2) >> 2) as u8;
        }
    }
    (out, nw, nh)
}

/// 2× bilinear upscale (output pixel centres at source (x + 0.5) / 2 - 0.5: weights 1/4, 3/4).
pub fn upscale2(data: &[u8], w: usize, h: usize) -> (Vec<u8>, usize, usize) {
    let (nw, nh) = (w * 2, h * 2);
    let mut out = vec![0u8; nw * nh];
    if w == 0 || h == 0 || data.len() < w * h {
        return (out, nw, nh);
    }
    // Horizontal pass into two 4×-weighted rows, then the vertical blend per output row. 16-bit lanes
    // (a row value is at most 4 × 255, a blend 16 × 255 + 8): eight to a v128 in the SIMD reader.
    let hrow = |y: usize, dst: &mut [u16]| {
        let Some(src) = data.get(y * w..y * w + w) else { return };
        // Output 2x samples at x - 0.25 (left) and x + 0.25 (right), edges clamped: the two end
        // pixels here, the interior as a zip over 3-pixel windows (no index arithmetic: vectorises).
        let (Some(&first), Some(&last)) = (src.first(), src.last()) else { return };
        let (first, last) = (first as u16, last as u16);
        if let [d0, d1, ..] = dst {
            *d0 = 4 * first;
            *d1 = if w == 1 { 4 * first } else { 3 * first + src[1] as u16 };
        }
        if w >= 2 {
            if let [.., e0, e1] = dst {
                *e0 = src[w - 2] as u16 + 3 * last;
                *e1 = 4 * last;
            }
        }
        for (d, px) in dst.get_mut(2..).unwrap_or(&mut []).chunks_exact_mut(2).zip(src.windows(3)) {
            let (l, c, r) = (px[0] as u16, px[1] as u16, px[2] as u16);
            d[0] = l + 3 * c;
            d[1] = 3 * c + r;
        }
    };
    // Rows above, at and below the source row, each filtered once and rotated down (the far-code
    // windows of camera frames upscale up to a frame's worth of pixels).
    let mut rows = [vec![0u16; nw], vec![0u16; nw], vec![0u16; nw]];
    hrow(0, &mut rows[0]);
    hrow(0, &mut rows[1]);
    hrow(1.min(h - 1), &mut rows[2]);
    for sy in 0..h {
        if sy > 0 {
            rows.rotate_left(1);
            hrow((sy + 1).min(h - 1), &mut rows[2]);
        }
        let top = &mut out[(2 * sy) * nw..(2 * sy + 1) * nw];
        for ((o, &u), &m) in top.iter_mut().zip(&rows[0]).zip(&rows[1]) {
            let v = if sy == 0 { 4 * m } else { u + 3 * m };
            *o = ((v + 8) / 16) as u8;
        }
        let bottom = &mut out[(2 * sy + 1) * nw..(2 * sy + 2) * nw];
        for ((o, &m), &d) in bottom.iter_mut().zip(&rows[1]).zip(&rows[2]) {
            let v = if sy + 1 == h { 4 * m } else { 3 * m + d };
            *o = ((v + 8) / 16) as u8;
        }
    }
    (out, nw, nh)
}

/// RGBA (canvas `ImageData`) → luma, integer BT.601 weights: `(77 r + 150 g + 29 b) >> 8` for every pixel
/// (`min(width × height, rgba.len() / 4)` of them). Every frame of the scan loop pays for this. With wasm
/// SIMD (the reader module built with simd128) 16 pixels at a time through [`luma16`], the same lane
/// arithmetic that the tests run natively on an emulated v128 against the scalar formula; the rest (and
/// every pixel elsewhere) scalar.
pub fn from_rgba(rgba: &[u8], width: usize, height: usize) -> Vec<u8> {
    let n = width.saturating_mul(height).min(rgba.len() / 4);
    let Some(rgba) = rgba.get(..n * 4) else { return Vec::new() };
    let mut out = vec![0u8; n];
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    let done = luma_blocks::<simd::V128>(rgba, &mut out);
    #[cfg(target_arch = "x86_64")]
    let done = luma_blocks::<sse2::M128>(rgba, &mut out);
    #[cfg(not(any(all(target_arch = "wasm32", target_feature = "simd128"), target_arch = "x86_64")))]
    let done = 0;
    let (Some(src), Some(dst)) = (rgba.get(done * 4..), out.get_mut(done..)) else { return out };
    luma_scalar(src, dst);
    out
}

/// The scalar formula (a sized zip over exact 4-byte chunks: vectorised natively).
fn luma_scalar(rgba: &[u8], out: &mut [u8]) {
    for (d, px) in out.iter_mut().zip(rgba.chunks_exact(4)) {
        *d = ((px[0] as u32 * 77 + px[1] as u32 * 150 + px[2] as u32 * 29) >> 8) as u8;
    }
}

/// The v128 operations [`luma16`] uses, with wasm's semantics: the simd128 instructions in the reader
/// module, an emulation of their lanes in the native tests.
#[allow(dead_code)]
trait Lanes: Copy {
    /// `v128.load` of 16 bytes.
    fn load(b: &[u8; 16]) -> Self;
    /// `v128.store`.
    fn store(self, b: &mut [u8; 16]);
    /// `v128.and` with `i16x8.splat(0x00ff)`: the low byte of each 16-bit lane.
    fn low_bytes_u16(self) -> Self;
    /// `i16x8.shr_u` by 8: the high byte of each 16-bit lane.
    fn high_bytes_u16(self) -> Self;
    /// `i32x4.dot_i16x8_s` with `[w0, w1]` repeated: lane i = a[2i]·w0 + a[2i+1]·w1 (signed 16-bit).
    fn dot_i16(self, w0: i16, w1: i16) -> Self;
    /// `i32x4.add`.
    fn add_i32(self, o: Self) -> Self;
    /// `i32x4.shr_u` by 8.
    fn shr8_u32(self) -> Self;
    /// `i16x8.narrow_i32x4_u`: signed 32-bit lanes of `a` then `b`, saturated to 0..=65535.
    fn narrow_u16(a: Self, b: Self) -> Self;
    /// `i8x16.narrow_i16x8_u`: signed 16-bit lanes of `a` then `b`, saturated to 0..=255.
    fn narrow_u8(a: Self, b: Self) -> Self;
}

/// Luma of 16 RGBA pixels. Each 16-byte load holds 4 pixels; as 16-bit lanes (little-endian) they are
/// `r | g << 8, b | a << 8`, so the low bytes are `r, b` and the high bytes `g, a`, and two dot products
/// give `77 r + 29 b` and `150 g + 0 a` per pixel in 32-bit lanes (at most 65 280), shifted by 8 and
/// narrowed twice (never saturating: every value is ≤ 255) into 16 bytes in pixel order.
#[allow(dead_code)]
#[inline(always)]
fn luma16<L: Lanes>(px: &[u8; 64]) -> [u8; 16] {
    let quad = |i: usize| -> L {
        let mut b = [0u8; 16];
        b.copy_from_slice(&px[16 * i..16 * i + 16]);
        let v = L::load(&b);
        v.low_bytes_u16().dot_i16(77, 29).add_i32(v.high_bytes_u16().dot_i16(150, 0)).shr8_u32()
    };
    let y = L::narrow_u8(L::narrow_u16(quad(0), quad(1)), L::narrow_u16(quad(2), quad(3)));
    let mut out = [0u8; 16];
    y.store(&mut out);
    out
}

/// [`luma16`] over the whole 16-pixel blocks of `rgba`; returns the pixels done.
#[allow(dead_code)]
fn luma_blocks<L: Lanes>(rgba: &[u8], out: &mut [u8]) -> usize {
    let mut done = 0;
    for (src, dst) in rgba.chunks_exact(64).zip(out.chunks_exact_mut(16)) {
        let (Ok(src), Ok(dst)) = (<&[u8; 64]>::try_from(src), <&mut [u8; 16]>::try_from(dst)) else { break };
        *dst = luma16::<L>(src);
        done += 16;
    }
    done
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use core::arch::wasm32::*;

    #[derive(Clone, Copy)]
    pub struct V128(v128);

    impl super::Lanes for V128 {
        #[inline(always)]
        fn load(b: &[u8; 16]) -> Self {
            // SAFETY: `b` is 16 readable bytes; v128.load has no alignment requirement.
            V128(unsafe { v128_load(b.as_ptr() as *const v128) })
        }
        #[inline(always)]
        fn store(self, b: &mut [u8; 16]) {
            // SAFETY: `b` is 16 writable bytes; v128.store has no alignment requirement.
            unsafe { v128_store(b.as_mut_ptr() as *mut v128, self.0) }
        }
        #[inline(always)]
        fn low_bytes_u16(self) -> Self {
            V128(v128_and(self.0, u16x8_splat(0x00ff)))
        }
        #[inline(always)]
        fn high_bytes_u16(self) -> Self {
            V128(u16x8_shr(self.0, 8))
        }
        #[inline(always)]
        fn dot_i16(self, w0: i16, w1: i16) -> Self {
            V128(i32x4_dot_i16x8(self.0, i16x8(w0, w1, w0, w1, w0, w1, w0, w1)))
        }
        #[inline(always)]
        fn add_i32(self, o: Self) -> Self {
            V128(i32x4_add(self.0, o.0))
        }
        #[inline(always)]
        fn shr8_u32(self) -> Self {
            V128(u32x4_shr(self.0, 8))
        }
        #[inline(always)]
        fn narrow_u16(a: Self, b: Self) -> Self {
            V128(u16x8_narrow_i32x4(a.0, b.0))
        }
        #[inline(always)]
        fn narrow_u8(a: Self, b: Self) -> Self {
            V128(u8x16_narrow_i16x8(a.0, b.0))
        }
    }
}

/// The same lanes with SSE2 (every x86-64 CPU has it), for the native builds (the CLI, the server,
/// the benchmarks): the scalar loop's stride-4 loads took a fifth of a frame without a code.
#[cfg(target_arch = "x86_64")]
mod sse2 {
    use core::arch::x86_64::*;

    #[derive(Clone, Copy)]
    pub struct M128(__m128i);

    // SAFETY (every block below): SSE2 is part of the x86-64 baseline, so these intrinsics are
    // always available; the loads and stores are unaligned ones on 16 valid bytes.
    impl super::Lanes for M128 {
        #[inline(always)]
        fn load(b: &[u8; 16]) -> Self {
            M128(unsafe { _mm_loadu_si128(b.as_ptr() as *const __m128i) })
        }
        #[inline(always)]
        fn store(self, b: &mut [u8; 16]) {
            unsafe { _mm_storeu_si128(b.as_mut_ptr() as *mut __m128i, self.0) }
        }
        #[inline(always)]
        fn low_bytes_u16(self) -> Self {
            M128(unsafe { _mm_and_si128(self.0, _mm_set1_epi16(0x00ff)) })
        }
        #[inline(always)]
        fn high_bytes_u16(self) -> Self {
            M128(unsafe { _mm_srli_epi16::<8>(self.0) })
        }
        #[inline(always)]
        fn dot_i16(self, w0: i16, w1: i16) -> Self {
            M128(unsafe { _mm_madd_epi16(self.0, _mm_set1_epi32(((w1 as u16 as i32) << 16) | w0 as u16 as i32)) })
        }
        #[inline(always)]
        fn add_i32(self, o: Self) -> Self {
            M128(unsafe { _mm_add_epi32(self.0, o.0) })
        }
        #[inline(always)]
        fn shr8_u32(self) -> Self {
            M128(unsafe { _mm_srli_epi32::<8>(self.0) })
        }
        /// SSE2 has no unsigned 32→16 narrowing (`_mm_packus_epi32` is SSE4.1): the signed one is
        /// the same on 0..=32767, and [`super::luma16`] narrows only values ≤ 255.
        #[inline(always)]
        fn narrow_u16(a: Self, b: Self) -> Self {
            M128(unsafe { _mm_packs_epi32(a.0, b.0) })
        }
        #[inline(always)]
        fn narrow_u8(a: Self, b: Self) -> Self {
            M128(unsafe { _mm_packus_epi16(a.0, b.0) })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A v128 as 16 little-endian bytes, each operation written lane by lane from the wasm SIMD spec.
    #[derive(Clone, Copy, Debug, PartialEq)]
    struct Emu([u8; 16]);

    impl Emu {
        fn u16s(self) -> [u16; 8] {
            std::array::from_fn(|i| u16::from_le_bytes([self.0[2 * i], self.0[2 * i + 1]]))
        }
        fn i16s(self) -> [i16; 8] {
            self.u16s().map(|v| v as i16)
        }
        fn i32s(self) -> [i32; 4] {
            std::array::from_fn(|i| i32::from_le_bytes([self.0[4 * i], self.0[4 * i + 1], self.0[4 * i + 2], self.0[4 * i + 3]]))
        }
        fn from_u16s(v: [u16; 8]) -> Self {
            Emu(std::array::from_fn(|i| v[i / 2].to_le_bytes()[i % 2]))
        }
        fn from_i32s(v: [i32; 4]) -> Self {
            Emu(std::array::from_fn(|i| v[i / 4].to_le_bytes()[i % 4]))
        }
    }

    impl Lanes for Emu {
        fn load(b: &[u8; 16]) -> Self {
            Emu(*b)
        }
        fn store(self, b: &mut [u8; 16]) {
            *b = self.0;
        }
        fn low_bytes_u16(self) -> Self {
            Emu::from_u16s(self.u16s().map(|v| v & 0x00ff))
        }
        fn high_bytes_u16(self) -> Self {
            Emu::from_u16s(self.u16s().map(|v| v >> 8))
        }
        fn dot_i16(self, w0: i16, w1: i16) -> Self {
            let a = self.i16s();
            Emu::from_i32s(std::array::from_fn(|i| {
                (a[2 * i] as i32 * w0 as i32).wrapping_add(a[2 * i + 1] as i32 * w1 as i32)
            }))
        }
        fn add_i32(self, o: Self) -> Self {
            let (a, b) = (self.i32s(), o.i32s());
            Emu::from_i32s(std::array::from_fn(|i| a[i].wrapping_add(b[i])))
        }
        fn shr8_u32(self) -> Self {
            Emu::from_i32s(self.i32s().map(|v| ((v as u32) >> 8) as i32))
        }
        fn narrow_u16(a: Self, b: Self) -> Self {
            let (a, b) = (a.i32s(), b.i32s());
            Emu::from_u16s(std::array::from_fn(|i| (if i < 4 { a[i] } else { b[i - 4] }).clamp(0, 65535) as u16))
        }
        fn narrow_u8(a: Self, b: Self) -> Self {
            let (a, b) = (a.i16s(), b.i16s());
            Emu(std::array::from_fn(|i| (if i < 8 { a[i] } else { b[i - 8] }).clamp(0, 255) as u8))
        }
    }

    fn formula(px: &[u8]) -> u8 {
        ((px[0] as u32 * 77 + px[1] as u32 * 150 + px[2] as u32 * 29) >> 8) as u8
    }

    /// The SIMD path's lane arithmetic (emulated v128) gives the scalar formula's value for every pixel:
    /// every r, g, b of 0..=255 (with varied alpha), in every lane position, plus a frame-sized run
    /// whose length is not a multiple of 16 (the scalar tail).
    #[test]
    fn simd_luma_lanes_equal_the_scalar_formula_for_every_colour() {
        let mut checked = 0usize;
        for r in 0..=255u32 {
            let rgba: Vec<u8> =
                (0..256 * 256u32).flat_map(|i| [r as u8, (i >> 8) as u8, i as u8, (i.wrapping_mul(37) >> 3) as u8]).collect();
            let mut simd = vec![0u8; rgba.len() / 4];
            assert_eq!(luma_blocks::<Emu>(&rgba, &mut simd), simd.len(), "65 536 pixels are whole 16-pixel blocks");
            #[cfg(target_arch = "x86_64")]
            {
                let mut sse = vec![0u8; simd.len()];
                assert_eq!(luma_blocks::<sse2::M128>(&rgba, &mut sse), sse.len());
                assert!(sse == simd, "SSE2 lanes differ from the wasm lanes for r={r}");
            }
            for (i, (px, &y)) in rgba.chunks_exact(4).zip(&simd).enumerate() {
                assert_eq!(y, formula(px), "pixel {i} of r={r}: {px:?}");
                checked += 1;
            }
        }
        assert_eq!(checked, 1 << 24);
        // Lane order: 16 distinct pixels come out in pixel order.
        let px: [u8; 64] = std::array::from_fn(|i| if i % 4 == 0 { (i / 4 * 16) as u8 } else { 0 });
        let want: [u8; 16] = std::array::from_fn(|i| formula(&px[4 * i..4 * i + 4]));
        assert_eq!(luma16::<Emu>(&px), want);
        assert_ne!(want[1], want[2]);
    }

    #[test]
    fn the_simd_blocks_and_the_scalar_tail_cover_every_pixel() {
        let (w, h) = (37, 11);
        let rgba: Vec<u8> = (0..w * h * 4).map(|i| (i * 131 % 251) as u8).collect();
        let mut out = vec![0u8; w * h];
        let done = luma_blocks::<Emu>(&rgba, &mut out);
        assert_eq!(done, w * h / 16 * 16);
        luma_scalar(&rgba[done * 4..], &mut out[done..]);
        let want: Vec<u8> = rgba.chunks_exact(4).map(formula).collect();
        assert_eq!(out, want);
        assert_eq!(from_rgba(&rgba, w, h), want);
    }
}
