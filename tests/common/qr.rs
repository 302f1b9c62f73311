//! QR codes rendered with the `qrcode` crate into 8-bit luma images, black modules on white.

use interpay::decode::{decode, DecodeOptions, LumaImage};
use qrcode::{Color, EcLevel, QrCode};

/// An owned 8-bit greyscale image, row-major.
pub struct Img {
    pub w: usize,
    pub h: usize,
    pub px: Vec<u8>,
}

impl Img {
    pub fn luma(&self) -> LumaImage<'_> {
        LumaImage { width: self.w, height: self.h, data: &self.px }
    }

    /// The texts `interpay::decode::decode` reads in this image.
    pub fn decode(&self, opts: &DecodeOptions) -> Vec<String> {
        decode(self.luma(), opts).into_iter().map(|d| d.text).collect()
    }

    pub fn save_png(&self, path: &std::path::Path) {
        image::GrayImage::from_raw(self.w as u32, self.h as u32, self.px.clone()).expect("w × h pixels").save(path).expect("PNG written");
    }
}

/// `code` with `scale` pixels per module and a quiet zone of `quiet` modules on each side.
pub fn render_code(code: &QrCode, scale: usize, quiet: usize) -> Img {
    let n = code.width();
    let colors = code.to_colors();
    let side = (n + 2 * quiet) * scale;
    let mut px = vec![255u8; side * side];
    for y in 0..n * scale {
        for x in 0..n * scale {
            if colors[(y / scale) * n + x / scale] == Color::Dark {
                px[(y + quiet * scale) * side + x + quiet * scale] = 0;
            }
        }
    }
    Img { w: side, h: side, px }
}

/// `data` (bytes, byte mode or the encoder's choice) as a code with `scale` pixels per module and a 4-module quiet zone.
pub fn render(data: impl AsRef<[u8]>, scale: usize, ec: EcLevel) -> Img {
    let code = QrCode::with_error_correction_level(data.as_ref(), ec).expect("encodable");
    render_code(&code, scale, 4)
}
