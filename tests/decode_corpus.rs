//! Corpus regression: a fixed subset of the peer corpora (`$INTERPAY_CORPUS`, default
//! `../shared/corpus` beside the repo) must keep reading at least as many codes as measured, and no
//! decoded text may differ from the expected one. A missing corpus is a failure, not a skip: a test
//! that cannot see its data proves nothing; only an explicit `INTERPAY_SKIP_CORPUS=1` skips it
//! (loudly). The full score is `cargo bench --bench decode_corpus`.

use std::path::{Path, PathBuf};

use interpay::decode::{decode, DecodeOptions, LumaImage};

fn root() -> PathBuf {
    std::env::var_os("INTERPAY_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
}

/// (folder under `qr/`, minimum trials read; each image is tried at 0° and 180°)
const SUBSET: &[(&str, usize)] = &[
    ("zxing-cpp/qrcode-1", 16),
    ("zxing-cpp/qrcode-3", 31),
    ("zxing-cpp/qrcode-5", 32),
    ("zxing/qrcode-5", 38),
    ("zxing/qrcode-6", 30),
];

/// `(image, expected bytes)` of a corpus folder: every `NAME.txt` (not `.result.txt`) with an image beside it.
fn samples(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("corpus folder {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    entries
        .iter()
        .filter(|p| p.to_string_lossy().ends_with(".txt") && !p.to_string_lossy().ends_with(".result.txt"))
        .filter_map(|txt| {
            let stem = txt.to_string_lossy().trim_end_matches(".txt").to_string();
            let img = ["png", "jpg", "webp", "jpeg", "gif"].iter().map(|e| PathBuf::from(format!("{stem}.{e}"))).find(|p| p.exists())?;
            Some((img, std::fs::read(txt).unwrap()))
        })
        .collect()
}

#[test]
fn corpus_subset_does_not_regress() {
    let root = root();
    if std::env::var("INTERPAY_SKIP_CORPUS").is_ok_and(|v| v == "1") {
        eprintln!("SKIPPED: INTERPAY_SKIP_CORPUS=1 (the corpus regression proves nothing in this run)");
        return;
    }
    assert!(
        root.join("qr").is_dir(),
        "QR corpus not found: looked for {} (INTERPAY_CORPUS={}). Set INTERPAY_CORPUS to the corpus directory \
         (the one holding qr/zxing and qr/zxing-cpp), or put the shared corpus at ../shared/corpus beside the repo \
         (INTERPAY_SKIP_CORPUS=1 skips this test explicitly).",
        root.join("qr").display(),
        std::env::var("INTERPAY_CORPUS").unwrap_or_else(|_| "unset".into()),
    );
    let mut wrong = Vec::new();
    for &(dir, min_ok) in SUBSET {
        let samples = samples(&root.join("qr").join(dir));
        assert!(!samples.is_empty(), "{dir}: no image with a .txt beside it under {}", root.join("qr").join(dir).display());
        let mut ok = 0;
        let mut n = 0;
        for (img_path, want) in &samples {
            let img = image::open(img_path).expect("image").to_luma8();
            for rot in [0, 180] {
                let r = if rot == 180 { image::imageops::rotate180(&img) } else { img.clone() };
                let (w, h) = r.dimensions();
                let got = decode(LumaImage { width: w as usize, height: h as usize, data: r.as_raw() }, &DecodeOptions::default());
                n += 1;
                if got.iter().any(|g| g.text.as_bytes() == want.as_slice()) {
                    ok += 1;
                }
                // Every code read must be the expected one, however many came back.
                for g in got.iter().filter(|g| g.text.as_bytes() != want.as_slice()) {
                    wrong.push(format!("{} rot {rot}: read {:?}", img_path.display(), g.text));
                }
            }
        }
        eprintln!("{dir}: {ok}/{n}");
        assert!(ok >= min_ok, "{dir}: {ok}/{n} read, expected at least {min_ok}");
    }
    assert!(wrong.is_empty(), "wrong texts:\n{}", wrong.join("\n"));
}
