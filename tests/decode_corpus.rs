//! Corpus regression: a fixed subset of the peer corpora (`$INTERPAY_CORPUS` or
//! `../shared/corpus`) must keep reading at least as many codes as measured, with no wrong text.
//! Skipped (with a message) when the corpus is absent. The full score is `cargo bench --bench decode_corpus`.

use std::path::{Path, PathBuf};

use interpay::decode::{decode, DecodeOptions, LumaImage};

fn root() -> PathBuf {
    std::env::var_os("INTERPAY_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
}

/// (folder, minimum passes at 0° and 180°, trials)
const SUBSET: &[(&str, usize)] = &[
    ("zxing-cpp/qrcode-1", 16),
    ("zxing-cpp/qrcode-3", 31),
    ("zxing-cpp/qrcode-5", 32),
    ("zxing/qrcode-5", 38),
    ("zxing/qrcode-6", 30),
];

#[test]
fn corpus_subset_does_not_regress() {
    let root = root();
    if !root.join("qr").exists() {
        eprintln!("corpus not found at {} (set INTERPAY_CORPUS): skipping", root.display());
        return;
    }
    for &(dir, min_ok) in SUBSET {
        let d = root.join("qr").join(dir);
        let mut ok = 0;
        let mut n = 0;
        let mut entries: Vec<_> = std::fs::read_dir(&d).expect("corpus folder").flatten().map(|e| e.path()).collect();
        entries.sort();
        for txt in entries.iter().filter(|p| p.to_string_lossy().ends_with(".txt") && !p.to_string_lossy().ends_with(".result.txt")) {
            let stem = txt.to_string_lossy().trim_end_matches(".txt").to_string();
            let Some(img_path) = ["png", "jpg", "webp", "jpeg", "gif"].iter().map(|e| PathBuf::from(format!("{stem}.{e}"))).find(|p| p.exists()) else {
                continue;
            };
            let want = std::fs::read(txt).unwrap();
            let img = image::open(&img_path).expect("image").to_luma8();
            for rot in [0, 180] {
                let r = if rot == 180 { image::imageops::rotate180(&img) } else { img.clone() };
                let (w, h) = r.dimensions();
                let got = decode(LumaImage { width: w as usize, height: h as usize, data: r.as_raw() }, &DecodeOptions::default());
                n += 1;
                if got.iter().any(|g| g.text.as_bytes() == want.as_slice()) {
                    ok += 1;
                } else if got.len() == 1 {
                    panic!("wrong text for {} rot {rot}: {:?}", img_path.display(), got[0].text);
                }
            }
        }
        eprintln!("{dir}: {ok}/{n}");
        assert!(ok >= min_ok, "{dir}: {ok}/{n} read, expected at least {min_ok}");
    }
}
