//! The decoder must never panic (a panic aborts the whole wasm instance) and must never invent a
//! code: odd sizes, short buffers, noise, gradients, checkerboards, stripes and finder-pattern
//! look-alikes all decode to nothing, with every option set.

mod common;

/// Camera-like 1280×720 frames without a code (the generator's "empty" category: clutter, text-like
/// bars, checker tiles, finder-pattern look-alikes alone and in pairs, dark frames) read nothing;
/// nor do frames with hundreds of look-alikes (the finder candidates and triples are capped).
#[test]
fn camera_frames_without_code_read_nothing() {
    let texts = common::frames::payloads(&std::fs::read_to_string(common::VECTORS).unwrap());
    for i in 0..12 {
        let mut s = common::frames::scene(11, "empty", i, &texts);
        if i >= 8 {
            s.lookalikes = 150;
            s.clutter = 400;
        }
        let f = common::frames::render(&s);
        assert!(f.texts.is_empty());
        let luma = f.luma();
        assert_no_code(&format!("empty camera frame {i}"), common::frames::W, common::frames::H, &luma);
    }
}

use common::rng::Rng;
use interpay::decode::{decode, rgba_to_luma, DecodeOptions, LumaImage, Region};

fn all_opts() -> Vec<DecodeOptions> {
    vec![
        DecodeOptions::default(),
        DecodeOptions { try_harder: false, try_invert: false, max_codes: 1, region: None },
        DecodeOptions { region: Some(Region { x: 3, y: 2, width: 1000, height: 7 }), ..Default::default() },
        DecodeOptions { region: Some(Region { x: usize::MAX - 2, y: usize::MAX, width: usize::MAX, height: 5 }), ..Default::default() },
    ]
}

/// Decodes `data` as a w×h image with every option set; none may panic, none may read a code.
fn assert_no_code(what: &str, w: usize, h: usize, data: &[u8]) {
    for o in all_opts() {
        let got = decode(LumaImage { width: w, height: h, data }, &o);
        let texts: Vec<&str> = got.iter().map(|d| d.text.as_str()).collect();
        assert!(texts.is_empty(), "{what} ({w}×{h}, {o:?}): decoded {texts:?} from an image with no code");
    }
}

#[test]
fn degenerate_sizes() {
    assert_no_code("empty", 0, 0, &[]);
    assert_no_code("zero width", 0, 10, &[]);
    assert_no_code("zero height", 10, 0, &[]);
    assert_no_code("one pixel", 1, 1, &[0]);
    assert_no_code("one column", 1, 1000, &vec![0; 1000]);
    assert_no_code("one row", 1000, 1, &vec![0; 1000]);
    assert_no_code("very wide", 100_000, 2, &vec![128; 200_000]);
    assert_no_code("very tall", 2, 50_000, &vec![0; 100_000]);
    assert_no_code("7×7 black", 7, 7, &[0; 49]);
    assert_no_code("39×41 black", 39, 41, &[0; 39 * 41]);
    // Buffer shorter than width × height; overflowing dimensions.
    assert_no_code("short buffer", 100, 100, &[0; 50]);
    assert_no_code("usize::MAX width", usize::MAX, 2, &[0; 16]);
    assert_no_code("width overflowing w×h", usize::MAX / 2 + 1, 2, &[0; 16]);
    assert!(rgba_to_luma(&[1, 2, 3], usize::MAX, usize::MAX).is_empty());
}

#[test]
fn noise_gradients_and_checkerboards_of_odd_sizes() {
    let mut rng = Rng(0xdead_beef_1234_5678);
    for i in 0..60 {
        let w = 1 + rng.below(300) as usize;
        let h = 1 + rng.below(300) as usize;
        let mode = i % 4;
        let data: Vec<u8> = (0..w * h)
            .map(|i| match mode {
                0 => rng.next() as u8,
                1 => if rng.below(2) == 0 { 0 } else { 255 },
                2 => ((i % w) * 255 / w.max(1)) as u8 ^ rng.below(8) as u8,
                _ => if ((i % w) / 3 + (i / w) / 3) % 2 == 0 { 0 } else { 255 },
            })
            .collect();
        let what = ["grey noise", "black/white noise", "noisy gradient", "checkerboard"][mode];
        assert_no_code(what, w, h, &data);
    }
}

/// Many finder-pattern look-alikes in a grid, plus stripes and concentric squares: stresses the
/// candidate grouping, alignment search and transforms; none of them is a code.
#[test]
fn finder_look_alikes_stripes_and_squares() {
    for module in [1usize, 2, 3, 5] {
        let (w, h) = (400, 300);
        let mut img = vec![255u8; w * h];
        for cy in (0..h).step_by(9 * module) {
            for cx in (0..w).step_by(9 * module) {
                for y in 0..7 * module {
                    for x in 0..7 * module {
                        let (mx, my) = (x / module, y / module);
                        let ring = mx.min(my).min(6 - mx).min(6 - my);
                        let black = ring != 1;
                        if black && cy + y < h && cx + x < w {
                            img[(cy + y) * w + cx + x] = 0;
                        }
                    }
                }
            }
        }
        assert_no_code(&format!("grid of finder patterns, module {module}"), w, h, &img);
    }
    let (w, h) = (257, 263);
    let conc: Vec<u8> = (0..w * h)
        .map(|i| {
            let (x, y) = ((i % w) as i64 - 128, (i / w) as i64 - 131);
            if (x.abs().max(y.abs()) / 3) % 2 == 0 { 0 } else { 255 }
        })
        .collect();
    assert_no_code("concentric squares", w, h, &conc);
    let stripes: Vec<u8> = (0..w * h).map(|i| if (i % w) % 4 < 2 { 0 } else { 255 }).collect();
    assert_no_code("stripes", w, h, &stripes);
    assert_no_code("black", w, h, &vec![0; w * h]);
    assert_no_code("white", w, h, &vec![255; w * h]);
}
