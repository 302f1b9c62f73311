//! The decoder must never panic (a panic aborts the whole wasm instance): odd sizes, short
//! buffers, random and adversarial content.

use interpay::decode::{decode, rgba_to_luma, DecodeOptions, LumaImage, Region};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn all_opts() -> Vec<DecodeOptions> {
    vec![
        DecodeOptions::default(),
        DecodeOptions { try_harder: false, try_invert: false, max_codes: 1, region: None },
        DecodeOptions { region: Some(Region { x: 3, y: 2, width: 1000, height: 7 }), ..Default::default() },
        DecodeOptions { region: Some(Region { x: usize::MAX - 2, y: usize::MAX, width: usize::MAX, height: 5 }), ..Default::default() },
    ]
}

fn run(w: usize, h: usize, data: &[u8]) {
    for o in all_opts() {
        let _ = decode(LumaImage { width: w, height: h, data }, &o);
    }
}

#[test]
fn degenerate_sizes() {
    run(0, 0, &[]);
    run(0, 10, &[]);
    run(10, 0, &[]);
    run(1, 1, &[0]);
    run(1, 1000, &vec![0; 1000]);
    run(1000, 1, &vec![0; 1000]);
    run(100_000, 2, &vec![128; 200_000]);
    run(2, 50_000, &vec![0; 100_000]);
    run(7, 7, &[0; 49]);
    run(39, 41, &[0; 39 * 41]);
    // Buffer shorter than width × height; overflowing dimensions.
    run(100, 100, &[0; 50]);
    run(usize::MAX, 2, &[0; 16]);
    run(usize::MAX / 2 + 1, 2, &[0; 16]);
    let _ = rgba_to_luma(&[1, 2, 3], usize::MAX, usize::MAX);
}

#[test]
fn random_noise_of_odd_sizes() {
    let mut rng = Rng(0xdead_beef_1234_5678);
    for _ in 0..60 {
        let w = 1 + (rng.next() % 300) as usize;
        let h = 1 + (rng.next() % 300) as usize;
        let mode = rng.next() % 4;
        let data: Vec<u8> = (0..w * h)
            .map(|i| match mode {
                0 => rng.next() as u8,
                1 => if rng.next() % 2 == 0 { 0 } else { 255 },
                2 => ((i % w) * 255 / w.max(1)) as u8 ^ (rng.next() % 8) as u8,
                _ => if ((i % w) / 3 + (i / w) / 3) % 2 == 0 { 0 } else { 255 },
            })
            .collect();
        run(w, h, &data);
    }
}

/// Many finder-pattern look-alikes in a grid, plus stripes and concentric squares: stresses the
/// candidate grouping, alignment search and transforms.
#[test]
fn adversarial_patterns() {
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
        run(w, h, &img);
    }
    // Concentric squares and stripes.
    let (w, h) = (257, 263);
    let conc: Vec<u8> = (0..w * h)
        .map(|i| {
            let (x, y) = ((i % w) as i64 - 128, (i / w) as i64 - 131);
            if (x.abs().max(y.abs()) / 3) % 2 == 0 { 0 } else { 255 }
        })
        .collect();
    run(w, h, &conc);
    let stripes: Vec<u8> = (0..w * h).map(|i| if (i % w) % 4 < 2 { 0 } else { 255 }).collect();
    run(w, h, &stripes);
    run(w, h, &vec![0; w * h]);
    run(w, h, &vec![255; w * h]);
}
