//! Corpus score of `interpay::decode::decode` on the peer corpora (zxing-cpp and ZXing black-box
//! QR samples), each image at 0/90/180/270 degrees, same scoring as `shared/corpus/peer_decoders.py`:
//! a trial passes when one decoded text equals the `.txt` byte for byte.
//!
//! `cargo bench --bench decode_corpus [-- [--fails] [--json OUT] [--summary OUT] [--frames] [--frames-dir DIR] [FILTER]]`
//! (`--frames`: also time each code pasted on a 1280×720 canvas; `--frames-dir`: time the frame files
//! `bench/run` wrote for the peers; `--summary`: JSON for `bench/peers.py --table`).
//! Corpus: `$INTERPAY_CORPUS` or `../shared/corpus` (beside the repo); skipped when absent.

use std::path::{Path, PathBuf};
use std::time::Instant;

use interpay::decode::{decode, DecodeOptions, LumaImage};

struct Sample {
    set: String,
    category: String,
    path: PathBuf,
    want: Vec<u8>,
}

fn corpus_root() -> PathBuf {
    match std::env::var_os("INTERPAY_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    }
}

fn samples(root: &Path, filter: Option<&str>) -> Vec<Sample> {
    let mut out = Vec::new();
    for set in ["zxing-cpp", "zxing"] {
        let set_dir = root.join("qr").join(set);
        let Ok(cats) = std::fs::read_dir(&set_dir) else { continue };
        let mut cats: Vec<_> = cats.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
        cats.sort();
        for cat in cats {
            let Ok(files) = std::fs::read_dir(&cat) else { continue };
            let mut files: Vec<_> = files.flatten().map(|e| e.path()).collect();
            files.sort();
            for txt in files.iter().filter(|p| p.extension().is_some_and(|e| e == "txt")) {
                let name = txt.to_string_lossy();
                if name.ends_with(".result.txt") {
                    continue;
                }
                let stem = name.trim_end_matches(".txt").to_string();
                let img = ["png", "jpg", "webp", "jpeg", "gif", "pgm"]
                    .iter()
                    .map(|e| PathBuf::from(format!("{stem}.{e}")))
                    .find(|p| p.exists());
                let Some(img) = img else { continue };
                if let Some(f) = filter {
                    if !img.to_string_lossy().contains(f) {
                        continue;
                    }
                }
                let Ok(want) = std::fs::read(txt) else { continue };
                out.push(Sample {
                    set: set.to_string(),
                    category: cat.file_name().unwrap_or_default().to_string_lossy().into_owned(),
                    path: img,
                    want,
                });
            }
        }
    }
    out
}

fn rotate(img: &image::GrayImage, deg: u32) -> image::GrayImage {
    match deg {
        90 => image::imageops::rotate90(img),
        180 => image::imageops::rotate180(img),
        270 => image::imageops::rotate270(img),
        _ => img.clone(),
    }
}

/// Places `code` (scaled by `scale`) on a mid-grey 1280×720 canvas with a soft gradient.
fn frame_1280x720(code: &image::GrayImage) -> image::GrayImage {
    let mut canvas = image::GrayImage::from_fn(1280, 720, |x, y| image::Luma([(90 + (x / 16) + (y / 24)) as u8]));
    let (w, h) = code.dimensions();
    let s = (600.0 / w.max(h) as f32).min(1.0);
    let code = if s < 1.0 {
        image::imageops::resize(code, (w as f32 * s) as u32, (h as f32 * s) as u32, image::imageops::FilterType::Triangle)
    } else {
        code.clone()
    };
    let (w, h) = code.dimensions();
    image::imageops::overlay(&mut canvas, &code, ((1280 - w) / 2) as i64, ((720 - h) / 2) as i64);
    canvas
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let show_fails = args.iter().any(|a| a == "--fails");
    let frames = args.iter().any(|a| a == "--frames");
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1).cloned());
    let json_out = value("--json");
    let summary_out = value("--summary");
    let frames_dir = value("--frames-dir");
    let filter = args
        .iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with("--") && !(*i > 0 && args[i - 1].starts_with("--") && args[i - 1] != "--fails" && args[i - 1] != "--frames"))
        .map(|(_, a)| a.as_str());
    let root = corpus_root();
    if !root.join("qr").exists() {
        println!("decode_corpus: corpus not found at {} (set INTERPAY_CORPUS); skipping", root.display());
        return;
    }
    let samples = samples(&root, filter);
    let opts = DecodeOptions::default();
    let mut rows: Vec<(String, String, String, u32, bool, bool)> = Vec::new(); // set, cat, file, rot, ok, wrong
    let mut total_secs = 0.0f64;
    let mut n_images = 0usize;
    let mut frame_secs = 0.0f64;
    let mut frame_n = 0usize;
    let mut frame_ok = 0usize;
    for s in &samples {
        let img = match image::open(&s.path) {
            Ok(i) => i.to_luma8(),
            Err(e) => {
                eprintln!("cannot read {}: {e}", s.path.display());
                continue;
            }
        };
        for rot in [0u32, 90, 180, 270] {
            let r = rotate(&img, rot);
            let (w, h) = r.dimensions();
            let t = Instant::now();
            let got = decode(LumaImage { width: w as usize, height: h as usize, data: r.as_raw() }, &opts);
            total_secs += t.elapsed().as_secs_f64();
            n_images += 1;
            let ok = got.iter().any(|d| d.text.as_bytes() == s.want.as_slice());
            let wrong = !ok && got.iter().any(|d| !d.text.is_empty());
            let file = s.path.strip_prefix(&root).unwrap_or(&s.path).to_string_lossy().into_owned();
            if show_fails && !ok {
                let texts: Vec<String> = got.iter().map(|d| d.text.chars().take(60).collect()).collect();
                println!("FAIL {file} rot={rot} got={texts:?}");
            }
            if wrong && got.len() == 1 {
                // A single code with another text than expected: a wrong read, unless the image holds several codes.
                println!(
                    "WRONG? {file} rot={rot} got={:?} want={:?}",
                    got[0].text.chars().take(80).collect::<String>(),
                    String::from_utf8_lossy(&s.want).chars().take(80).collect::<String>()
                );
            }
            rows.push((s.set.clone(), s.category.clone(), file, rot, ok, wrong));
            if frames && rot == 0 {
                let f = frame_1280x720(&r);
                let t = Instant::now();
                let got = decode(LumaImage { width: 1280, height: 720, data: f.as_raw() }, &opts);
                frame_secs += t.elapsed().as_secs_f64();
                frame_n += 1;
                frame_ok += got.iter().any(|d| d.text.as_bytes() == s.want.as_slice()) as usize;
            }
        }
    }
    println!("{:<22} {:>9}", "category", "interpay");
    for set in ["zxing-cpp", "zxing"] {
        let mut cats: Vec<&String> = rows.iter().filter(|r| r.0 == set).map(|r| &r.1).collect();
        cats.dedup();
        for c in cats {
            let n = rows.iter().filter(|r| r.0 == set && &r.1 == c).count();
            let ok = rows.iter().filter(|r| r.0 == set && &r.1 == c && r.4).count();
            println!("{:<22} {:>9}", format!("{set}/{c}"), format!("{ok}/{n}"));
        }
    }
    for set in ["zxing-cpp", "zxing"] {
        let n = rows.iter().filter(|r| r.0 == set).count();
        let ok = rows.iter().filter(|r| r.0 == set && r.4).count();
        println!("TOTAL {set:<16} {ok}/{n}");
    }
    let wrong = rows.iter().filter(|r| r.5).count();
    println!("other texts returned on failed trials: {wrong}");
    println!("time: {:.2} ms/image over {n_images} images", total_secs * 1000.0 / n_images.max(1) as f64);
    if frames {
        println!(
            "1280x720 frames: {frame_ok}/{frame_n} read, {:.2} ms/frame",
            frame_secs * 1000.0 / frame_n.max(1) as f64
        );
    }
    // Same 1280×720 frame files the Python peers were timed on (bench/run).
    let mut dir_frames = serde_json::Value::Null;
    if let Some(dir) = &frames_dir {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|d| d.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "png")).collect())
            .unwrap_or_default();
        files.sort();
        let mut loaded = Vec::new();
        for f in &files {
            let want = std::fs::read(f.with_extension("txt")).unwrap_or_default();
            if let Ok(i) = image::open(f) {
                loaded.push((i.to_luma8(), want));
            }
        }
        // Warm-up pass, then the timed pass.
        for (img, _) in loaded.iter().take(5) {
            let (w, h) = img.dimensions();
            let _ = decode(LumaImage { width: w as usize, height: h as usize, data: img.as_raw() }, &opts);
        }
        let mut ok = 0;
        let t = Instant::now();
        for (img, want) in &loaded {
            let (w, h) = img.dimensions();
            let got = decode(LumaImage { width: w as usize, height: h as usize, data: img.as_raw() }, &opts);
            ok += got.iter().any(|d| d.text.as_bytes() == want.as_slice()) as usize;
        }
        let ms = t.elapsed().as_secs_f64() * 1000.0 / loaded.len().max(1) as f64;
        println!("1280x720 frames from {dir}: {ok}/{} read, {ms:.2} ms/frame", loaded.len());
        dir_frames = serde_json::json!({"ok": ok, "n": loaded.len(), "ms": ms});
    }
    if let Some(out) = summary_out {
        let mut sets = serde_json::Map::new();
        for set in ["zxing-cpp", "zxing"] {
            let n = rows.iter().filter(|r| r.0 == set).count();
            let ok = rows.iter().filter(|r| r.0 == set && r.4).count();
            sets.insert(set.to_string(), serde_json::json!({"ok": ok, "trials": n, "ms": total_secs * 1000.0 / n_images.max(1) as f64}));
        }
        let v = serde_json::json!({"decoders": {"interpay (native)": {"sets": sets, "frames": dir_frames}}});
        let _ = std::fs::write(out, serde_json::to_string_pretty(&v).unwrap_or_default());
    }
    if let Some(out) = json_out {
        let v: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| serde_json::json!({"set": r.0, "image": r.2, "rot": r.3, "ok": r.4}))
            .collect();
        let _ = std::fs::write(out, serde_json::to_string(&v).unwrap_or_default());
    }
}
