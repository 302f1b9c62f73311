//! Synthetic codes rendered with the `qrcode` crate, distorted the ways phone cameras distort
//! them (scale, rotation, perspective, blur, noise, uneven light, inversion, mirroring, several
//! codes per frame), then read back with `interpay::decode::decode`.

mod common;

use common::qr::{render, render_code, Img};
use common::rng::Rng;
use interpay::decode::{decode, DecodeOptions, LumaImage, Region};
use qrcode::{EcLevel, QrCode};

/// Bilinear sampling, for the distortions below.
trait Sample {
    fn get(&self, x: f64, y: f64) -> f64;
}

impl Sample for Img {
    fn get(&self, x: f64, y: f64) -> f64 {
        // Bilinear sample with white outside.
        let (x0, y0) = (x.floor(), y.floor());
        let (fx, fy) = (x - x0, y - y0);
        let p = |xx: f64, yy: f64| -> f64 {
            if xx < 0.0 || yy < 0.0 || xx >= self.w as f64 || yy >= self.h as f64 {
                255.0
            } else {
                self.px[yy as usize * self.w + xx as usize] as f64
            }
        };
        let a = p(x0, y0) * (1.0 - fx) + p(x0 + 1.0, y0) * fx;
        let b = p(x0, y0 + 1.0) * (1.0 - fx) + p(x0 + 1.0, y0 + 1.0) * fx;
        a * (1.0 - fy) + b * fy
    }
}

/// Maps the image through the inverse of `f` (output pixel → source point) onto a w×h canvas.
fn warp(src: &Img, w: usize, h: usize, f: impl Fn(f64, f64) -> (f64, f64)) -> Img {
    let mut px = vec![255u8; w * h];
    for y in 0..h {
        for x in 0..w {
            let (sx, sy) = f(x as f64 + 0.5, y as f64 + 0.5);
            px[y * w + x] = src.get(sx - 0.5, sy - 0.5).round().clamp(0.0, 255.0) as u8;
        }
    }
    Img { w, h, px }
}

fn rotate(src: &Img, deg: f64) -> Img {
    let a = deg.to_radians();
    let side = ((src.w as f64) * 1.5) as usize;
    let (cx, cy) = (side as f64 / 2.0, side as f64 / 2.0);
    let (scx, scy) = (src.w as f64 / 2.0, src.h as f64 / 2.0);
    warp(src, side, side, |x, y| {
        let (dx, dy) = (x - cx, y - cy);
        (scx + dx * a.cos() + dy * a.sin(), scy - dx * a.sin() + dy * a.cos())
    })
}

fn box_blur(src: &Img, r: usize) -> Img {
    let mut out = src.px.clone();
    let r = r as isize;
    for y in 0..src.h as isize {
        for x in 0..src.w as isize {
            let (mut s, mut n) = (0u32, 0u32);
            for dy in -r..=r {
                for dx in -r..=r {
                    let (xx, yy) = (x + dx, y + dy);
                    if xx >= 0 && yy >= 0 && (xx as usize) < src.w && (yy as usize) < src.h {
                        s += src.px[yy as usize * src.w + xx as usize] as u32;
                        n += 1;
                    }
                }
            }
            out[y as usize * src.w + x as usize] = (s / n) as u8;
        }
    }
    Img { w: src.w, h: src.h, px: out }
}

const PAY: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

#[test]
fn reads_plain_codes_at_many_scales() {
    for (text, ec) in [("https://pay.example/x?id=42", EcLevel::L), (PAY, EcLevel::M), ("upi://pay?pa=shop@upi&pn=Shop&am=10.00", EcLevel::H)] {
        for scale in [2, 3, 4, 7, 12] {
            let img = render(text, scale, ec);
            assert_eq!(img.decode(&DecodeOptions::default()), vec![text.to_string()], "scale {scale}");
        }
    }
}

#[test]
fn reads_rotated_codes() {
    let img = render(PAY, 5, EcLevel::M);
    for deg in [0.0, 10.0, 30.0, 45.0, 90.0, 135.0, 180.0, 222.0, 270.0, 333.0] {
        let r = rotate(&img, deg);
        assert_eq!(r.decode(&DecodeOptions::default()), vec![PAY.to_string()], "{deg} degrees");
    }
}

#[test]
fn reads_perspective_tilted_codes() {
    let img = render("https://interpay.example/checkout/123456", 6, EcLevel::M);
    let (w, h) = (img.w, img.h);
    for k in [0.0005, 0.001, 0.0015] {
        // A projective warp: the right side shrinks (code tilted away from the camera).
        let out = warp(&img, w, h, |x, y| {
            let d = 1.0 - k * x;
            let cy = h as f64 / 2.0;
            (x / d, cy + (y - cy) / d)
        });
        assert_eq!(out.decode(&DecodeOptions::default()), vec!["https://interpay.example/checkout/123456".to_string()], "k={k}");
    }
}

#[test]
fn reads_blurred_noisy_unevenly_lit_codes() {
    let img = render(PAY, 6, EcLevel::Q);
    let mut b = box_blur(&img, 2);
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let w = b.w;
    for (i, p) in b.px.iter_mut().enumerate() {
        let (x, y) = ((i % w) as f64, (i / w) as f64);
        // Strong light gradient from the top-left corner plus sensor noise, low contrast.
        let light = 0.35 + 0.65 * (x + y) / (2.0 * w as f64);
        let noise = (rng.next() % 21) as f64 - 10.0;
        *p = (40.0 + (*p as f64) * 0.6 * light + noise).clamp(0.0, 255.0) as u8;
    }
    assert_eq!(b.decode(&DecodeOptions::default()), vec![PAY.to_string()]);
}

#[test]
fn reads_inverted_only_when_asked() {
    let mut img = render("light on dark", 5, EcLevel::M);
    for p in &mut img.px {
        *p = 255 - *p;
    }
    assert_eq!(img.decode(&DecodeOptions::default()), vec!["light on dark".to_string()]);
    let no_inv = DecodeOptions { try_invert: false, try_harder: false, ..Default::default() };
    assert!(img.decode(&no_inv).is_empty());
}

#[test]
fn reads_mirrored_codes() {
    let img = render("mirror mirror", 5, EcLevel::M);
    let m = warp(&img, img.w, img.h, |x, y| (img.w as f64 - x, y));
    // The bit decoder retries a grid that fails as read with the grid transposed (a mirrored code): no option needed.
    assert_eq!(m.decode(&DecodeOptions::default()), vec!["mirror mirror".to_string()]);
}

#[test]
fn reads_several_codes_in_one_frame() {
    let texts = ["first code", "second code", "https://third.example/code"];
    let (w, h) = (900, 400);
    let mut px = vec![200u8; w * h];
    for (k, t) in texts.iter().enumerate() {
        let c = render(t, 5, EcLevel::M);
        let ox = 20 + k * 300;
        for y in 0..c.h {
            for x in 0..c.w {
                if ox + x < w && 40 + y < h {
                    px[(40 + y) * w + ox + x] = c.px[y * c.w + x];
                }
            }
        }
    }
    let img = Img { w, h, px };
    let mut got = img.decode(&DecodeOptions::default());
    got.sort();
    let mut want: Vec<String> = texts.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(got, want);
    // max_codes stops early.
    assert_eq!(img.decode(&DecodeOptions { max_codes: 1, ..Default::default() }).len(), 1);
}

#[test]
fn region_of_interest_limits_the_search_and_keeps_image_coordinates() {
    let c = render("in the region", 4, EcLevel::M);
    let (w, h) = (640, 480);
    let mut px = vec![255u8; w * h];
    let (ox, oy) = (300, 200);
    for y in 0..c.h {
        for x in 0..c.w {
            px[(oy + y) * w + ox + x] = c.px[y * c.w + x];
        }
    }
    let img = LumaImage { width: w, height: h, data: &px };
    let opts = DecodeOptions { region: Some(Region { x: 280, y: 180, width: 300, height: 280 }), ..Default::default() };
    let got = decode(img, &opts);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].text, "in the region");
    // Top-left corner of the symbol (quiet zone = 4 modules of 4 px).
    let [x, y] = got[0].corners[0];
    assert!((x - (ox + 16) as f32).abs() < 3.0 && (y - (oy + 16) as f32).abs() < 3.0, "corner {x},{y}");
    let elsewhere = DecodeOptions { region: Some(Region { x: 0, y: 0, width: 200, height: 200 }), ..Default::default() };
    assert!(decode(img, &elsewhere).is_empty());
}

#[test]
fn shift_jis_kanji_codes_are_decoded_not_garbled() {
    // Byte-mode Shift-JIS payload (as Japanese encoders emit it).
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("今度のバージョン");
    let img = render(&sjis[..], 4, EcLevel::M);
    let got = decode(img.luma(), &DecodeOptions::default());
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].text, "今度のバージョン");
    assert_eq!(got[0].bytes, sjis.to_vec());
}

#[test]
fn rgba_to_luma_matches_bt601() {
    let rgba = [255, 255, 255, 255, 0, 0, 0, 255, 255, 0, 0, 255, 10];
    assert_eq!(interpay::decode::rgba_to_luma(&rgba, 3, 1), vec![255, 0, 76]);
    assert_eq!(interpay::decode::rgba_to_luma(&rgba, 5, 5).len(), 3);
}

#[test]
fn rgba_to_luma_every_pixel_of_a_frame_matches_the_formula() {
    // The vectorised conversion must give each pixel its own BT.601 value, in order, and stop at
    // width×height even when the buffer holds more.
    let (w, h) = (37, 11);
    let rgba: Vec<u8> = (0..(w * h * 4 + 9) as u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    let want: Vec<u8> = rgba.chunks_exact(4).take(w * h).map(|p| ((p[0] as u32 * 77 + p[1] as u32 * 150 + p[2] as u32 * 29) >> 8) as u8).collect();
    assert_eq!(interpay::decode::rgba_to_luma(&rgba, w, h), want);
    assert_eq!(interpay::decode::rgba_to_luma(&rgba, w, h - 1), want[..w * (h - 1)].to_vec());
}

#[test]
fn downscale2_every_pixel_is_the_rounded_mean_of_its_2x2_block() {
    // The vectorised box filter: odd sizes drop the last row / column, every output pixel is
    // (a + b + c + d + 2) / 4 of its own block, in order.
    for (w, h) in [(1281usize, 721usize), (37, 11), (2, 2), (5, 3)] {
        let px: Vec<u8> = (0..(w * h) as u32).map(|i| (i.wrapping_mul(2654435761) >> 11) as u8).collect();
        let (got, nw, nh) = interpay::decode::luma::downscale2(&px, w, h);
        assert_eq!((nw, nh), (w / 2, h / 2));
        let p = |x: usize, y: usize| px[y * w + x] as u32;
        let want: Vec<u8> = (0..nh).flat_map(|y| (0..nw).map(move |x| (x, y))).map(|(x, y)| ((p(2 * x, 2 * y) + p(2 * x + 1, 2 * y) + p(2 * x, 2 * y + 1) + p(2 * x + 1, 2 * y + 1) + 2) / 4) as u8).collect();
        assert_eq!(got, want, "{w}x{h}");
    }
}

#[test]
fn upscale2_every_pixel_is_the_bilinear_blend_of_its_source_neighbours() {
    // Output pixel centres at source (x + 0.5) / 2 - 0.5: weights 3/4 and 1/4 in each direction,
    // edges clamped; each output pixel of its own source neighbours, in order.
    for (w, h) in [(37usize, 11usize), (1, 1), (2, 3), (5, 1), (64, 40)] {
        let px: Vec<u8> = (0..(w * h) as u32).map(|i| (i.wrapping_mul(2654435761) >> 11) as u8).collect();
        let (got, nw, nh) = interpay::decode::luma::upscale2(&px, w, h);
        assert_eq!((nw, nh), (2 * w, 2 * h));
        let p = |x: usize, y: usize| px[y * w + x] as u32;
        // Horizontal 4×-weighted value at output column X of source row y.
        let hz = |xo: usize, y: usize| {
            let x = xo / 2;
            if xo % 2 == 0 {
                if x == 0 { 4 * p(x, y) } else { p(x - 1, y) + 3 * p(x, y) }
            } else if x + 1 == w {
                4 * p(x, y)
            } else {
                3 * p(x, y) + p(x + 1, y)
            }
        };
        for yo in 0..nh {
            for xo in 0..nw {
                let y = yo / 2;
                let v = if yo % 2 == 0 {
                    if y == 0 { 4 * hz(xo, y) } else { hz(xo, y - 1) + 3 * hz(xo, y) }
                } else if y + 1 == h {
                    4 * hz(xo, y)
                } else {
                    3 * hz(xo, y) + hz(xo, y + 1)
                };
                assert_eq!(got[yo * nw + xo] as u32, (v + 8) / 16, "{w}x{h} at ({xo}, {yo})");
            }
        }
    }
}

#[test]
fn reads_pure_codes_without_quiet_zone_in_any_orientation() {
    let text = "https://pay.example/screenshot";
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).unwrap();
    for scale in [1usize, 2, 3] {
        let img = render_code(&code, scale, 0);
        let side = img.w;
        for deg in [0.0, 90.0, 180.0, 270.0] {
            let r = if deg == 0.0 {
                Img { w: img.w, h: img.h, px: img.px.clone() }
            } else {
                let a = (deg as f64).to_radians();
                let c = side as f64 / 2.0;
                warp(&img, side, side, |x, y| {
                    let (dx, dy) = (x - c, y - c);
                    (c + dx * a.cos() + dy * a.sin(), c - dx * a.sin() + dy * a.cos())
                })
            };
            assert_eq!(r.decode(&DecodeOptions::default()), vec![text.to_string()], "scale {scale} rot {deg}");
        }
    }
}
