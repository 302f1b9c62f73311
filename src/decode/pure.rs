//! "Pure" codes: a clean, axis-aligned symbol filling (most of) a small image, as in screenshots
//! and generated images, possibly without a quiet zone, where finder-pattern scanning has too
//! little room (ZXing's `extractPureBits`, extended to any of the four orientations).

use super::binarizer::BitMatrix;
use super::detector::ModuleGrid;

/// Module size measured along the diagonal from a bounding-box corner into a finder pattern:
/// five colour changes = 7 modules. `dx`, `dy` = ±1 direction.
fn diagonal_module(img: &BitMatrix, x0: i64, y0: i64, dx: i64, dy: i64) -> Option<f64> {
    let (w, h) = (img.width as i64, img.height as i64);
    let (mut x, mut y) = (x0, y0);
    let mut in_black = true;
    let mut transitions = 0;
    while x >= 0 && y >= 0 && x < w && y < h {
        if in_black != img.get_i(x, y) {
            transitions += 1;
            if transitions == 5 {
                break;
            }
            in_black = !in_black;
        }
        x += dx;
        y += dy;
    }
    if transitions < 5 {
        return None;
    }
    Some((x - x0).abs() as f64 / 7.0)
}

/// Samples the symbol inside the dark pixels' bounding box; the grid is returned in each of the
/// four rotations (the bit decoder expects the top-left finder at (0, 0)).
pub fn extract(img: &BitMatrix) -> Vec<ModuleGrid> {
    let h = img.height;
    let (mut left, mut top, mut right, mut bottom) = (usize::MAX, usize::MAX, 0usize, 0usize);
    for y in 0..h {
        let row = img.row(y);
        if let Some(first) = row.iter().position(|&b| b != 0) {
            let last = row.iter().rposition(|&b| b != 0).unwrap_or(first);
            left = left.min(first);
            right = right.max(last);
            top = top.min(y);
            bottom = bottom.max(y);
        }
    }
    if left == usize::MAX || right <= left || bottom <= top {
        return Vec::new();
    }
    let (l, t, r, b) = (left as i64, top as i64, right as i64, bottom as i64);
    let ms = [(l, t, 1, 1), (r, t, -1, 1), (l, b, 1, -1), (r, b, -1, -1)]
        .iter()
        .filter(|&&(x, y, _, _)| img.get_i(x, y))
        .filter_map(|&(x, y, dx, dy)| diagonal_module(img, x, y, dx, dy))
        .fold(None, |acc: Option<f64>, m| Some(acc.map_or(m, |a| a.max(m))));
    let Some(ms) = ms else { return Vec::new() };
    if ms < 1.0 {
        return Vec::new();
    }
    let side = ((right - left + 1).max(bottom - top + 1)) as f64;
    let dim = (side / ms).round() as usize;
    #[cfg(all(debug_assertions, not(target_arch = "wasm32")))]
    if std::env::var_os("INTERPAY_DEBUG").is_some() {
        eprintln!("pure: bbox {left},{top}-{right},{bottom} ms {ms:.2} dim {dim}");
    }
    if !(21..=177).contains(&dim) || dim % 4 != 1 {
        return Vec::new();
    }
    let ms = side / dim as f64;
    let mut cells = vec![0u8; dim * dim];
    for y in 0..dim {
        for x in 0..dim {
            let px = left as f64 + (x as f64 + 0.5) * ms;
            let py = top as f64 + (y as f64 + 0.5) * ms;
            cells[y * dim + x] = img.get_i(px as i64, py as i64) as u8;
        }
    }
    let corners = |k: usize| -> [[f32; 2]; 4] {
        let (l, t) = (left as f32, top as f32);
        let s = (dim as f64 * ms) as f32;
        let c = [[l, t], [l + s, t], [l + s, t + s], [l, t + s]];
        // Rotation k (×90° clockwise) moves the symbol's top-left to image corner k.
        [c[k % 4], c[(k + 1) % 4], c[(k + 2) % 4], c[(k + 3) % 4]]
    };
    let mut out = Vec::with_capacity(4);
    let mut cur = cells;
    for k in 0..4 {
        out.push(ModuleGrid { size: dim, cells: cur.clone(), corners: corners(k) });
        // Rotate 90° counter-clockwise for the next try: new(x, y) = old(dim-1-y, x).
        let mut next = vec![0u8; dim * dim];
        for y in 0..dim {
            for x in 0..dim {
                next[y * dim + x] = cur[x * dim + (dim - 1 - y)];
            }
        }
        cur = next;
    }
    out
}
