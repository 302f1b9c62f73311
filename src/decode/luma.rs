//! Image-view helpers on 8-bit luma buffers: crop, 2× box downscale, 2× bilinear upscale.
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
        let dst = &mut out[y * nw..(y + 1) * nw];
        for (x, d) in dst.iter_mut().enumerate() {
            let s = r0[2 * x] as u32 + r0[2 * x + 1] as u32 + r1[2 * x] as u32 + r1[2 * x + 1] as u32;
            *d = ((s + 2) / 4) as u8;
        }
    }
    (out, nw, nh)
}

/// 2× bilinear upscale.
pub fn upscale2(data: &[u8], w: usize, h: usize) -> (Vec<u8>, usize, usize) {
    let (nw, nh) = (w * 2, h * 2);
    let mut out = vec![0u8; nw * nh];
    let px = |x: usize, y: usize| data.get(y.min(h - 1) * w + x.min(w - 1)).copied().unwrap_or(0) as u32;
    for y in 0..nh {
        // Output pixel centre (y + 0.5) / 2 - 0.5 in source coordinates.
        let sy2 = y as i64 - 1; // 2·(source y) - 0.5·2 ... in half-pixel units
        let y0 = (sy2.max(0) / 2) as usize;
        let fy = if sy2 < 0 { 0 } else if sy2 % 2 == 0 { 1 } else { 3 }; // quarters
        for x in 0..nw {
            let sx2 = x as i64 - 1;
            let x0 = (sx2.max(0) / 2) as usize;
            let fx = if sx2 < 0 { 0 } else if sx2 % 2 == 0 { 1 } else { 3 };
            let a = px(x0, y0) * (4 - fx) + px(x0 + 1, y0) * fx;
            let b = px(x0, y0 + 1) * (4 - fx) + px(x0 + 1, y0 + 1) * fx;
            out[y * nw + x] = ((a * (4 - fy) + b * fy + 8) / 16) as u8;
        }
    }
    (out, nw, nh)
}
