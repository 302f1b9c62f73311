//! Camera-like 1280×720 frames for the decoder benchmark (`benches/camera_frames.rs`) and the tests:
//! a procedural cluttered scene, payment codes from `tests/data/payment-vectors.jsonl` (versions 1–10)
//! placed by a pinhole camera (rotation, perspective up to 60°, module size down to ~1.5 px), then the
//! optics and the sensor: defocus and motion blur, uneven light, low light with gamma, sensor noise,
//! glare, JPEG; inverted and coloured codes, photographed screens with moiré, several codes per
//! frame, and frames without a code. Deterministic from `(seed, category, index)`; no dependency
//! beyond the crate's own native ones (`qrcode` renders the symbols, `image` does the JPEG round trip).
//!
//! Self-contained (its own generator) so the bench can include it with `#[path]`.
#![allow(dead_code)]

use qrcode::{Color, EcLevel, QrCode, Version};

pub const W: usize = 1280;
pub const H: usize = 720;

/// `(name, hard)`: the benchmark's categories, in table order.
pub const CATEGORIES: &[(&str, bool)] = &[
    ("near", false),
    ("mid", false),
    ("rotated", false),
    ("tilted", false),
    ("dense", false),
    ("defocus", false),
    ("motion", false),
    ("noise", false),
    ("dim", false),
    ("glare", false),
    ("jpeg", false),
    ("coloured", false),
    ("sticker", false),
    ("screen", false),
    ("inverted", false),
    ("multi", false),
    ("clutter", false),
    ("empty", false),
    ("far", true),
    ("far-tilted", true),
    ("steep", true),
    ("far-blur", true),
    ("night", true),
    ("screen-tilted", true),
];

/// SplitMix64: small, fast, good enough for scenes.
#[derive(Clone)]
pub struct Rand(pub u64);

impl Rand {
    pub fn new(seed: u64, a: u64, b: u64) -> Self {
        let mut r = Rand(seed ^ a.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b.wrapping_mul(0xC2B2_AE3D_27D4_EB4F));
        r.next();
        r
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn f(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
    pub fn range(&mut self, a: f32, b: f32) -> f32 {
        a + (b - a) * self.f()
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, p: f32) -> bool {
        self.f() < p
    }
    /// Roughly normal (sum of 4 uniforms), mean 0, sd 1.
    pub fn gauss(&mut self) -> f32 {
        (self.f() + self.f() + self.f() + self.f() - 2.0) * 1.732
    }
}

/// How one code is placed and drawn.
#[derive(Clone, Debug)]
pub struct Placement {
    pub text: String,
    /// QR version to encode with (raised to the smallest that holds the text).
    pub version: i16,
    /// Pixels per module at the code's centre (before perspective).
    pub module_px: f32,
    /// Centre in the frame.
    pub cx: f32,
    pub cy: f32,
    /// In-plane rotation, tilt (rotation out of the plane) and the tilt axis direction, radians.
    pub roll: f32,
    pub tilt: f32,
    pub tilt_axis: f32,
    /// Quiet zone in modules and the card margin beyond it.
    pub quiet: f32,
    /// Module (dark) and paper colours, linear 0–255 RGB.
    pub ink: [f32; 3],
    pub paper: [f32; 3],
    /// Light modules on dark paper.
    pub inverted: bool,
    /// Drawn as a photographed screen (emissive, pixel grid, moiré).
    pub screen: bool,
}

/// A whole frame's recipe: background, codes, optics and sensor.
#[derive(Clone, Debug)]
pub struct Scene {
    pub seed: u64,
    pub codes: Vec<Placement>,
    /// Number of clutter shapes; finder-pattern look-alikes among them.
    pub clutter: usize,
    pub lookalikes: usize,
    /// Gaussian defocus sigma (px), motion blur length (px) and angle.
    pub defocus: f32,
    pub motion: f32,
    pub motion_angle: f32,
    /// Exposure (1 = normal, 0.1 = night), sensor noise sigma (at the output, 0–255), output gamma.
    pub exposure: f32,
    pub noise: f32,
    pub gamma: f32,
    /// Glare blobs: (x, y, radius, strength).
    pub glare: Vec<(f32, f32, f32, f32)>,
    /// JPEG quality, 0 = none.
    pub jpeg: u8,
}

/// A rendered frame: RGB 1280×720 and the texts of the codes in it.
pub struct Frame {
    pub category: String,
    pub index: usize,
    pub rgb: Vec<u8>,
    pub texts: Vec<String>,
    /// Module size of the smallest code, px (0 without a code).
    pub module_px: f32,
}

impl Frame {
    /// BT.601 luma, the same integer weights as `interpay::decode::rgba_to_luma`.
    pub fn luma(&self) -> Vec<u8> {
        self.rgb.chunks_exact(3).map(|p| ((p[0] as u32 * 77 + p[1] as u32 * 150 + p[2] as u32 * 29) >> 8) as u8).collect()
    }
    pub fn rgba(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(W * H * 4);
        for p in self.rgb.chunks_exact(3) {
            v.extend_from_slice(&[p[0], p[1], p[2], 255]);
        }
        v
    }
}

/// The payment texts the frames carry: every valid ASCII vector of tests/data/payment-vectors.jsonl
/// that a version-10 code holds (at EC level L).
pub fn payloads(vectors_jsonl: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in vectors_jsonl.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        if v["valid"].as_bool() != Some(true) {
            continue;
        }
        let Some(p) = v["payload"].as_str() else { continue };
        // ASCII only: a byte-mode code without ECI leaves the charset to a guess (zxing-cpp and
        // Interpay guess differently), which would score as a wrong text for a reason unrelated
        // to reading the camera frame.
        if !p.is_ascii() || p.len() < 8 || p.len() > 260 || out.iter().any(|q: &String| q == p) {
            continue;
        }
        if QrCode::with_version(p.as_bytes(), Version::Normal(10), EcLevel::L).is_ok() {
            out.push(p.to_string());
        }
    }
    out
}

fn smallest_version(text: &str, ec: EcLevel, at_least: i16) -> Option<QrCode> {
    (at_least.max(1)..=40).find_map(|v| QrCode::with_version(text.as_bytes(), Version::Normal(v), ec).ok())
}

/// The recipe of frame `index` of `category` for `seed`.
pub fn scene(seed: u64, category: &str, index: usize, texts: &[String]) -> Scene {
    let cat_id = CATEGORIES.iter().position(|c| c.0 == category).unwrap_or(99) as u64;
    let mut r = Rand::new(seed, cat_id + 1, index as u64 + 1);
    let pick_text = |r: &mut Rand, max_len: usize| -> String {
        for _ in 0..50 {
            let t = &texts[r.below(texts.len())];
            if t.len() <= max_len {
                return t.clone();
            }
        }
        texts.iter().min_by_key(|t| t.len()).cloned().unwrap_or_default()
    };
    let code = |r: &mut Rand, m: (f32, f32), tilt: (f32, f32)| -> Placement {
        let version = [1, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 8][r.below(12)];
        let text = pick_text(r, if version <= 3 { 60 } else { 200 });
        let quiet = if r.chance(0.7) { 4.0 } else { r.range(2.0, 4.0) };
        Placement {
            text,
            version,
            module_px: r.range(m.0, m.1),
            cx: W as f32 / 2.0 + r.range(-330.0, 330.0),
            cy: H as f32 / 2.0 + r.range(-170.0, 170.0),
            roll: r.range(-0.35, 0.35),
            tilt: r.range(tilt.0, tilt.1).to_radians(),
            tilt_axis: r.range(0.0, std::f32::consts::PI),
            quiet,
            ink: [r.range(5.0, 40.0); 3],
            paper: [r.range(200.0, 250.0); 3],
            inverted: false,
            screen: false,
        }
    };
    let mut s = Scene {
        seed: r.next(),
        codes: Vec::new(),
        clutter: 40 + r.below(80),
        lookalikes: r.below(3),
        defocus: r.range(0.3, 0.7),
        motion: 0.0,
        motion_angle: 0.0,
        exposure: r.range(0.75, 1.05),
        noise: r.range(2.0, 4.5),
        gamma: 1.0,
        glare: Vec::new(),
        jpeg: 0,
    };
    let hard_tilt = (0.0f32, 15.0f32);
    match category {
        "near" => s.codes.push(code(&mut r, (5.0, 9.0), hard_tilt)),
        "mid" => s.codes.push(code(&mut r, (3.0, 5.0), hard_tilt)),
        "rotated" => {
            let mut c = code(&mut r, (3.0, 6.0), hard_tilt);
            c.roll = r.range(0.0, std::f32::consts::TAU);
            s.codes.push(c);
        }
        "tilted" => s.codes.push(code(&mut r, (3.0, 5.0), (20.0, 40.0))),
        "dense" => {
            let mut c = code(&mut r, (2.5, 4.0), hard_tilt);
            c.version = 7 + r.below(4) as i16;
            c.text = pick_text(&mut r, 200);
            s.codes.push(c);
        }
        "defocus" => {
            let c = code(&mut r, (3.5, 6.0), hard_tilt);
            s.defocus = c.module_px * r.range(0.25, 0.4);
            s.codes.push(c);
        }
        "motion" => {
            let c = code(&mut r, (4.0, 7.0), hard_tilt);
            s.motion = c.module_px * r.range(0.6, 1.1);
            s.motion_angle = r.range(0.0, std::f32::consts::PI);
            s.codes.push(c);
        }
        "noise" => {
            s.codes.push(code(&mut r, (3.0, 5.0), hard_tilt));
            s.noise = r.range(12.0, 22.0);
        }
        "dim" => {
            s.codes.push(code(&mut r, (3.0, 5.0), hard_tilt));
            s.exposure = r.range(0.2, 0.35);
            s.noise = r.range(4.0, 7.0);
            s.gamma = r.range(1.6, 2.2);
        }
        "glare" => {
            let c = code(&mut r, (3.5, 6.0), hard_tilt);
            let side = c.module_px * 33.0;
            s.glare.push((c.cx + r.range(-0.3, 0.3) * side, c.cy + r.range(-0.3, 0.3) * side, side * r.range(0.15, 0.3), r.range(120.0, 220.0)));
            s.codes.push(c);
        }
        "jpeg" => {
            s.codes.push(code(&mut r, (2.5, 4.5), hard_tilt));
            s.jpeg = 20 + r.below(40) as u8;
        }
        "coloured" => {
            let mut c = code(&mut r, (3.0, 5.0), hard_tilt);
            let inks = [[20.0, 40.0, 140.0], [150.0, 20.0, 30.0], [10.0, 100.0, 50.0], [90.0, 30.0, 110.0], [0.0, 90.0, 120.0]];
            let papers = [[250.0, 235.0, 150.0], [255.0, 210.0, 220.0], [200.0, 235.0, 255.0], [230.0, 255.0, 210.0], [255.0, 255.0, 255.0]];
            c.ink = inks[r.below(inks.len())];
            c.paper = papers[r.below(papers.len())];
            s.codes.push(c);
        }
        "sticker" => {
            // A code on a saturated card: little quiet zone, strong colour.
            let mut c = code(&mut r, (3.0, 5.0), hard_tilt);
            c.quiet = r.range(1.0, 2.0);
            let cards = [[220.0, 40.0, 40.0], [30.0, 120.0, 220.0], [250.0, 180.0, 20.0], [30.0, 160.0, 80.0]];
            c.paper = [235.0, 235.0, 230.0];
            s.codes.push(c);
            s.clutter += 40;
            let card = cards[r.below(cards.len())];
            s.glare.push((card[0], card[1], -1.0, card[2])); // marker: card colour (see render)
        }
        "screen" => {
            let mut c = code(&mut r, (3.0, 5.5), hard_tilt);
            c.screen = true;
            s.codes.push(c);
        }
        "inverted" => {
            let mut c = code(&mut r, (3.0, 6.0), hard_tilt);
            c.inverted = true;
            s.codes.push(c);
        }
        "multi" => {
            let n = 2 + r.below(2);
            let slots = [(-400.0, -150.0), (0.0, 120.0), (400.0, -150.0), (-380.0, 190.0)];
            let start = r.below(4);
            for k in 0..n {
                let mut c = code(&mut r, (2.5, 4.0), hard_tilt);
                let (dx, dy) = slots[(start + k) % 4];
                c.cx = W as f32 / 2.0 + dx + r.range(-30.0, 30.0);
                c.cy = H as f32 / 2.0 + dy + r.range(-20.0, 20.0);
                c.version = c.version.min(5);
                c.text = pick_text(&mut r, 90);
                if s.codes.iter().all(|o: &Placement| o.text != c.text) {
                    s.codes.push(c);
                }
            }
        }
        "clutter" => {
            s.codes.push(code(&mut r, (3.0, 5.0), (0.0, 25.0)));
            s.clutter = 300 + r.below(200);
            s.lookalikes = 6 + r.below(8);
        }
        "empty" => {
            s.clutter = 80 + r.below(300);
            s.lookalikes = r.below(8);
            if r.chance(0.3) {
                s.exposure = r.range(0.2, 0.4);
                s.gamma = 1.8;
            }
        }
        "far" => s.codes.push(code(&mut r, (1.5, 2.2), hard_tilt)),
        "far-tilted" => s.codes.push(code(&mut r, (1.8, 2.6), (25.0, 45.0))),
        "steep" => s.codes.push(code(&mut r, (3.0, 5.0), (45.0, 60.0))),
        "far-blur" => {
            let c = code(&mut r, (2.0, 3.0), hard_tilt);
            s.defocus = c.module_px * r.range(0.35, 0.5);
            s.codes.push(c);
        }
        "night" => {
            s.codes.push(code(&mut r, (2.5, 4.5), hard_tilt));
            s.exposure = r.range(0.07, 0.14);
            s.noise = r.range(5.0, 9.0);
            s.gamma = r.range(2.0, 2.6);
            s.defocus = r.range(0.6, 1.0);
        }
        "screen-tilted" => {
            let mut c = code(&mut r, (2.5, 4.0), (30.0, 50.0));
            c.screen = true;
            s.codes.push(c);
        }
        _ => {}
    }
    // Keep codes inside the frame.
    for c in &mut s.codes {
        let half = (c.version as f32 * 4.0 + 17.0 + 2.0 * c.quiet) * c.module_px * 0.75;
        c.cx = c.cx.clamp(half.min(W as f32 / 2.0), (W as f32 - half).max(W as f32 / 2.0));
        c.cy = c.cy.clamp(half.min(H as f32 / 2.0), (H as f32 - half).max(H as f32 / 2.0));
    }
    s
}

/// Renders frame `index` of `category`.
pub fn frame(seed: u64, category: &str, index: usize, texts: &[String]) -> Frame {
    let s = scene(seed, category, index, texts);
    let mut f = render(&s);
    f.category = category.to_string();
    f.index = index;
    f
}

// ---- rendering ----

/// 3×3 homography, row-major.
#[derive(Clone, Copy, Debug)]
struct Homography([f32; 9]);

impl Homography {
    /// Unit square (0,0),(1,0),(1,1),(0,1) → the quad (zxing's squareToQuadrilateral).
    fn square_to_quad(q: [[f32; 2]; 4]) -> Self {
        let [[x0, y0], [x1, y1], [x2, y2], [x3, y3]] = q;
        let dx3 = x0 - x1 + x2 - x3;
        let dy3 = y0 - y1 + y2 - y3;
        if dx3.abs() < 1e-6 && dy3.abs() < 1e-6 {
            return Homography([x1 - x0, x2 - x1, x0, y1 - y0, y2 - y1, y0, 0.0, 0.0, 1.0]);
        }
        let dx1 = x1 - x2;
        let dx2 = x3 - x2;
        let dy1 = y1 - y2;
        let dy2 = y3 - y2;
        let den = dx1 * dy2 - dx2 * dy1;
        let a13 = (dx3 * dy2 - dx2 * dy3) / den;
        let a23 = (dx1 * dy3 - dx3 * dy1) / den;
        Homography([x1 - x0 + a13 * x1, x3 - x0 + a23 * x3, x0, y1 - y0 + a13 * y1, y3 - y0 + a23 * y3, y0, a13, a23, 1.0])
    }
    fn inverse(&self) -> Self {
        let [a, b, c, d, e, f, g, h, i] = self.0;
        let m = [e * i - f * h, c * h - b * i, b * f - c * e, f * g - d * i, a * i - c * g, c * d - a * f, d * h - e * g, b * g - a * h, a * e - b * d];
        Homography(m)
    }
    fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        let m = &self.0;
        let w = m[6] * x + m[7] * y + m[8];
        ((m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w)
    }
}

/// The image quad of a placement's square of side `side` modules centred on the code, by a pinhole
/// camera (focal length 1000 px) looking at the tilted plane.
fn project(c: &Placement, side: f32) -> [[f32; 2]; 4] {
    let f = 1000.0f32;
    // Depth giving `module_px` at the centre for a unit module.
    let z0 = f / c.module_px;
    let (sr, cr) = c.roll.sin_cos();
    let (st, ct) = c.tilt.sin_cos();
    let (sa, ca) = c.tilt_axis.sin_cos();
    let h = side / 2.0;
    let mut out = [[0.0; 2]; 4];
    for (k, (u, v)) in [(-h, -h), (h, -h), (h, h), (-h, h)].into_iter().enumerate() {
        // roll in the plane
        let (x, y) = (u * cr - v * sr, u * sr + v * cr);
        // tilt about the axis (ca, sa) in the plane: rotate the component across the axis out of the plane.
        let along = x * ca + y * sa;
        let across = -x * sa + y * ca;
        let (across2, z) = (across * ct, across * st);
        let (x3, y3) = (along * ca - across2 * sa, along * sa + across2 * ca);
        let zz = z0 + z;
        out[k] = [c.cx + f * x3 / zz, c.cy + f * y3 / zz];
    }
    out
}

fn lerp3(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
}

/// Value noise on a lattice of `cell` px.
fn value_noise(r: &mut Rand, w: usize, h: usize, cell: usize) -> Vec<f32> {
    let gw = w / cell + 2;
    let gh = h / cell + 2;
    let g: Vec<f32> = (0..gw * gh).map(|_| r.f()).collect();
    let mut out = vec![0.0; w * h];
    for y in 0..h {
        let fy = y as f32 / cell as f32;
        let (iy, ty) = (fy as usize, fy.fract());
        let ty = ty * ty * (3.0 - 2.0 * ty);
        for x in 0..w {
            let fx = x as f32 / cell as f32;
            let (ix, tx) = (fx as usize, fx.fract());
            let tx = tx * tx * (3.0 - 2.0 * tx);
            let a = g[iy * gw + ix] + (g[iy * gw + ix + 1] - g[iy * gw + ix]) * tx;
            let b = g[(iy + 1) * gw + ix] + (g[(iy + 1) * gw + ix + 1] - g[(iy + 1) * gw + ix]) * tx;
            out[y * w + x] = a + (b - a) * ty;
        }
    }
    out
}

fn background(r: &mut Rand, s: &Scene) -> Vec<[f32; 3]> {
    let n1 = value_noise(r, W, H, 160);
    let n2 = value_noise(r, W, H, 23);
    let n3 = value_noise(r, W, H, 5);
    let c0 = [r.range(60.0, 200.0), r.range(60.0, 200.0), r.range(60.0, 200.0)];
    let c1 = [r.range(30.0, 230.0), r.range(30.0, 230.0), r.range(30.0, 230.0)];
    let grain = r.range(10.0, 40.0);
    let mut img: Vec<[f32; 3]> = (0..W * H)
        .map(|i| {
            let c = lerp3(c0, c1, n1[i]);
            let d = (n2[i] - 0.5) * 50.0 + (n3[i] - 0.5) * grain;
            [c[0] + d, c[1] + d, c[2] + d]
        })
        .collect();
    // Clutter: rectangles, discs, lines, text-like bar rows, checker tiles.
    for _ in 0..s.clutter {
        let col = [r.range(0.0, 255.0), r.range(0.0, 255.0), r.range(0.0, 255.0)];
        let x = r.range(-50.0, W as f32);
        let y = r.range(-50.0, H as f32);
        match r.below(5) {
            0 => {
                let (w, h) = (r.range(5.0, 200.0), r.range(5.0, 150.0));
                fill(&mut img, (x, y, x + w, y + h), |px, py| px >= x && px < x + w && py >= y && py < y + h, col);
            }
            1 => {
                let rad = r.range(3.0, 80.0);
                fill(&mut img, (x - rad, y - rad, x + rad, y + rad), |px, py| (px - x).powi(2) + (py - y).powi(2) < rad * rad, col);
            }
            2 => {
                let (a, len, th) = (r.range(0.0, 3.14), r.range(20.0, 400.0), r.range(1.0, 6.0));
                let (dx, dy) = (a.cos(), a.sin());
                fill(&mut img, (x - len, y - len, x + len, y + len), |px, py| {
                    let (u, v) = ((px - x) * dx + (py - y) * dy, -(px - x) * dy + (py - y) * dx);
                    u >= 0.0 && u < len && v.abs() < th / 2.0
                }, col);
            }
            3 => {
                // "Text": rows of short dark bars.
                let (rows, size) = (1 + r.below(5), r.range(4.0, 14.0));
                let mut bars = Vec::new();
                for k in 0..rows {
                    let mut bx = 0.0;
                    while bx < 150.0 {
                        let bw = r.range(size * 0.3, size * 1.2);
                        bars.push((bx, k as f32 * size * 1.6, bw, size));
                        bx += bw + r.range(size * 0.2, size * 0.8);
                    }
                }
                let dark = [r.range(0.0, 60.0); 3];
                fill(&mut img, (x, y, x + 160.0, y + rows as f32 * size * 1.6), |px, py| {
                    let (u, v) = (px - x, py - y);
                    u >= 0.0 && v >= 0.0 && u < 160.0 && v < rows as f32 * size * 1.6 && bars.iter().any(|&(a, b, w, h)| u >= a && u < a + w && v >= b && v < b + h)
                }, dark);
            }
            _ => {
                let (cell, n) = (r.range(2.0, 12.0), r.range(3.0, 12.0));
                let other = [r.range(0.0, 255.0), r.range(0.0, 255.0), r.range(0.0, 255.0)];
                fill(&mut img, (x, y, x + n * cell, y + n * cell), |px, py| {
                    let (u, v) = ((px - x) / cell, (py - y) / cell);
                    u >= 0.0 && v >= 0.0 && u < n && v < n && (u as i32 + v as i32) % 2 == 0
                }, other);
                let _ = col;
            }
        }
    }
    // Finder-pattern look-alikes (concentric squares 1:1:3:1:1), alone or in pairs.
    for _ in 0..s.lookalikes {
        let (x, y, m) = (r.range(20.0, W as f32 - 60.0), r.range(20.0, H as f32 - 60.0), r.range(2.0, 6.0));
        let rot = r.range(0.0, 1.0);
        let (sn, cs) = rot.sin_cos();
        let dark = [r.range(0.0, 50.0); 3];
        let light = [r.range(200.0, 255.0); 3];
        let pairs = 1 + r.below(2);
        for k in 0..pairs {
            let ox = x + k as f32 * m * r.range(10.0, 25.0);
            fill(&mut img, (ox - 7.0 * m, y - 7.0 * m, ox + 7.0 * m, y + 7.0 * m), |px, py| {
                let (u, v) = ((px - ox) * cs + (py - y) * sn, -(px - ox) * sn + (py - y) * cs);
                let d = (u.abs().max(v.abs())) / m;
                d < 4.5
            }, light);
            fill(&mut img, (ox - 7.0 * m, y - 7.0 * m, ox + 7.0 * m, y + 7.0 * m), |px, py| {
                let (u, v) = ((px - ox) * cs + (py - y) * sn, -(px - ox) * sn + (py - y) * cs);
                let d = (u.abs().max(v.abs())) / m;
                d < 1.5 || (2.5..3.5).contains(&d)
            }, dark);
        }
    }
    img
}

fn fill(img: &mut [[f32; 3]], bbox: (f32, f32, f32, f32), inside: impl Fn(f32, f32) -> bool, col: [f32; 3]) {
    let x0 = bbox.0.floor().max(0.0) as usize;
    let y0 = bbox.1.floor().max(0.0) as usize;
    let x1 = (bbox.2.ceil().max(0.0) as usize + 1).min(W);
    let y1 = (bbox.3.ceil().max(0.0) as usize + 1).min(H);
    for y in y0..y1 {
        for x in x0..x1 {
            if inside(x as f32 + 0.5, y as f32 + 0.5) {
                img[y * W + x] = col;
            }
        }
    }
}

fn draw_code(img: &mut [[f32; 3]], c: &Placement, card: Option<[f32; 3]>, r: &mut Rand) -> Option<f32> {
    let ec = [EcLevel::L, EcLevel::M, EcLevel::M, EcLevel::Q][r.below(4)];
    let code = smallest_version(&c.text, ec, c.version).or_else(|| smallest_version(&c.text, EcLevel::L, 1))?;
    let n = code.width();
    let colors = code.to_colors();
    let margin = if card.is_some() { c.quiet + r.range(4.0, 10.0) } else { c.quiet };
    let side = n as f32 + 2.0 * margin;
    let quad = project(c, side);
    let h = Homography::square_to_quad(quad);
    let inv = h.inverse();
    let (bx0, by0) = quad.iter().fold((f32::MAX, f32::MAX), |a, p| (a.0.min(p[0]), a.1.min(p[1])));
    let (bx1, by1) = quad.iter().fold((f32::MIN, f32::MIN), |a, p| (a.0.max(p[0]), a.1.max(p[1])));
    let (ink, paper) = if c.inverted { (c.paper, c.ink) } else { (c.ink, c.paper) };
    let (ink, paper) = if c.screen { ([25.0, 28.0, 35.0], [235.0, 240.0, 255.0]) } else { (ink, paper) };
    // Screen: sub-pixel grid period and moiré beat.
    let grid = r.range(2.2, 3.6);
    let (beat_a, beat_f) = (r.range(0.0, 3.14), r.range(0.04, 0.12));
    let ss = 3usize;
    for y in (by0.floor().max(0.0) as usize)..(by1.ceil().min(H as f32) as usize) {
        for x in (bx0.floor().max(0.0) as usize)..(bx1.ceil().min(W as f32) as usize) {
            let mut acc = [0.0f32; 3];
            let mut hits = 0;
            for sy in 0..ss {
                for sx in 0..ss {
                    let px = x as f32 + (sx as f32 + 0.5) / ss as f32;
                    let py = y as f32 + (sy as f32 + 0.5) / ss as f32;
                    let (u, v) = inv.apply(px, py);
                    if !(0.0..1.0).contains(&u) || !(0.0..1.0).contains(&v) {
                        continue;
                    }
                    let (mu, mv) = (u * side - margin, v * side - margin);
                    let inner = c.quiet.min(margin);
                    let col = if mu >= 0.0 && mv >= 0.0 && (mu as usize) < n && (mv as usize) < n {
                        if colors[(mv as usize) * n + mu as usize] == Color::Dark { ink } else { paper }
                    } else if let Some(cc) = card {
                        if mu >= -inner && mv >= -inner && mu < n as f32 + inner && mv < n as f32 + inner { paper } else { cc }
                    } else {
                        paper
                    };
                    let col = if c.screen {
                        // Pixel grid (dark gaps between screen pixels in module space) and moiré.
                        let (gu, gv) = ((mu * n as f32 / grid).fract(), (mv * n as f32 / grid).fract());
                        let gap = if gu < 0.2 || gv < 0.2 { 0.75 } else { 1.0 };
                        let m = 1.0 + 0.18 * ((px * beat_a.cos() + py * beat_a.sin()) * beat_f * std::f32::consts::TAU).sin();
                        [col[0] * gap * m, col[1] * gap * m, col[2] * gap * m]
                    } else {
                        col
                    };
                    acc[0] += col[0];
                    acc[1] += col[1];
                    acc[2] += col[2];
                    hits += 1;
                }
            }
            if hits > 0 {
                let t = hits as f32 / (ss * ss) as f32;
                let o = img[y * W + x];
                let k = 1.0 / hits as f32;
                img[y * W + x] = lerp3(o, [acc[0] * k, acc[1] * k, acc[2] * k], t);
            }
        }
    }
    Some(c.module_px)
}

fn gaussian_blur(img: &mut [[f32; 3]], sigma: f32) {
    if sigma < 0.2 {
        return;
    }
    let rad = (sigma * 3.0).ceil() as i32;
    let k: Vec<f32> = (-rad..=rad).map(|i| (-(i * i) as f32 / (2.0 * sigma * sigma)).exp()).collect();
    let sum: f32 = k.iter().sum();
    let k: Vec<f32> = k.iter().map(|v| v / sum).collect();
    let mut tmp = vec![[0.0f32; 3]; W * H];
    for y in 0..H {
        for x in 0..W {
            let mut a = [0.0; 3];
            for (j, kv) in k.iter().enumerate() {
                let xx = (x as i32 + j as i32 - rad).clamp(0, W as i32 - 1) as usize;
                let p = img[y * W + xx];
                a[0] += p[0] * kv;
                a[1] += p[1] * kv;
                a[2] += p[2] * kv;
            }
            tmp[y * W + x] = a;
        }
    }
    for y in 0..H {
        for x in 0..W {
            let mut a = [0.0; 3];
            for (j, kv) in k.iter().enumerate() {
                let yy = (y as i32 + j as i32 - rad).clamp(0, H as i32 - 1) as usize;
                let p = tmp[yy * W + x];
                a[0] += p[0] * kv;
                a[1] += p[1] * kv;
                a[2] += p[2] * kv;
            }
            img[y * W + x] = a;
        }
    }
}

fn motion_blur(img: &mut [[f32; 3]], len: f32, angle: f32) {
    if len < 1.0 {
        return;
    }
    let steps = (len.ceil() as usize).max(2);
    let (dx, dy) = (angle.cos() * len / (steps - 1) as f32, angle.sin() * len / (steps - 1) as f32);
    let src = img.to_vec();
    for y in 0..H {
        for x in 0..W {
            let mut a = [0.0; 3];
            for s in 0..steps {
                let t = s as f32 - (steps - 1) as f32 / 2.0;
                let xx = (x as f32 + t * dx).round().clamp(0.0, W as f32 - 1.0) as usize;
                let yy = (y as f32 + t * dy).round().clamp(0.0, H as f32 - 1.0) as usize;
                let p = src[yy * W + xx];
                a[0] += p[0];
                a[1] += p[1];
                a[2] += p[2];
            }
            let k = 1.0 / steps as f32;
            img[y * W + x] = [a[0] * k, a[1] * k, a[2] * k];
        }
    }
}

/// Renders a scene.
pub fn render(s: &Scene) -> Frame {
    let mut r = Rand(s.seed);
    let mut img = background(&mut r, s);
    // Sticker cards: colour passed as a marker glare entry (radius < 0).
    let card = s.glare.iter().find(|g| g.2 < 0.0).map(|g| [g.0, g.1, g.3]);
    let mut module_px = 0.0f32;
    let mut texts = Vec::new();
    for c in &s.codes {
        if let Some(m) = draw_code(&mut img, c, card, &mut r) {
            module_px = if module_px == 0.0 { m } else { module_px.min(m) };
            texts.push(c.text.clone());
        }
    }
    // Light: a broad gradient plus vignetting, times the exposure; glare adds light.
    let (lx, ly, la) = (r.range(-1.0, 1.0), r.range(-1.0, 1.0), r.range(0.0, 0.35));
    for y in 0..H {
        for x in 0..W {
            let (u, v) = (x as f32 / W as f32 - 0.5, y as f32 / H as f32 - 0.5);
            let light = s.exposure * (1.0 + la * (lx * u + ly * v)) * (1.0 - 0.5 * (u * u + v * v));
            let p = &mut img[y * W + x];
            let mut add = 0.0;
            for &(gx, gy, gr, gs) in s.glare.iter().filter(|g| g.2 > 0.0) {
                let d2 = (x as f32 - gx).powi(2) + (y as f32 - gy).powi(2);
                add += gs * (-d2 / (2.0 * gr * gr)).exp();
            }
            for ch in p.iter_mut() {
                *ch = *ch * light + add;
            }
        }
    }
    gaussian_blur(&mut img, s.defocus);
    motion_blur(&mut img, s.motion, s.motion_angle);
    // Sensor: noise (stronger in the dark: shot noise), then the tone curve.
    let mut out = Vec::with_capacity(W * H * 3);
    for p in &img {
        let shared = r.gauss();
        for &ch in p {
            let lin = (ch / 255.0).clamp(0.0, 1.0);
            let toned = lin.powf(1.0 / s.gamma.max(0.1)) * 255.0;
            let n = s.noise * (0.7 * shared + 0.5 * r.gauss());
            out.push((toned + n).round().clamp(0.0, 255.0) as u8);
        }
    }
    if s.jpeg > 0 {
        let mut buf = Vec::new();
        let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, s.jpeg);
        if image::ImageEncoder::write_image(enc, &out, W as u32, H as u32, image::ExtendedColorType::Rgb8).is_ok() {
            if let Ok(dec) = image::load_from_memory_with_format(&buf, image::ImageFormat::Jpeg) {
                out = dec.to_rgb8().into_raw();
            }
        }
    }
    Frame { category: String::new(), index: 0, rgb: out, texts, module_px }
}
