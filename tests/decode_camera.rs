//! Camera-frame categories the decoder once missed, on generated frames of a seed that neither
//! the tuning (1) nor the reported benchmark (2) uses: light-on-dark codes of 3–6 px modules
//! (read at full size, not only at half size), codes tilted 45–60° (finder patterns much taller
//! than wide, the format gate under perspective) and far, defocused codes of 2–3 px modules (half-pixel
//! slack in the finder runs). Each category must read most of its frames, and never a wrong text.

mod common;

use common::frames;
use interpay::decode::{decode, DecodeOptions, LumaImage};

fn reads(category: &str, n: usize) -> (usize, Vec<String>) {
    let texts = frames::payloads(&std::fs::read_to_string(common::VECTORS).unwrap());
    let (mut ok, mut wrong) = (0, Vec::new());
    for i in 0..n {
        let f = frames::frame(5, category, i, &texts);
        let luma = f.luma();
        let got = decode(LumaImage { width: frames::W, height: frames::H, data: &luma }, &DecodeOptions::default());
        ok += f.texts.iter().filter(|t| got.iter().any(|g| &g.text == *t)).count();
        wrong.extend(got.into_iter().filter(|g| !f.texts.contains(&g.text)).map(|g| g.text));
    }
    eprintln!("{category}: {ok}/{n}, wrong {wrong:?}");
    (ok, wrong)
}

#[test]
fn inverted_codes_read() {
    let (ok, wrong) = reads("inverted", 8);
    assert!(wrong.is_empty(), "wrong texts {wrong:?}");
    assert!(ok >= 7, "inverted: {ok}/8 read");
}

#[test]
fn steeply_tilted_codes_read() {
    let (ok, wrong) = reads("steep", 8);
    assert!(wrong.is_empty(), "wrong texts {wrong:?}");
    assert!(ok >= 6, "steep: {ok}/8 read");
}

#[test]
fn far_blurred_codes_read() {
    let (ok, wrong) = reads("far-blur", 12);
    assert!(wrong.is_empty(), "wrong texts {wrong:?}");
    assert!(ok >= 5, "far-blur: {ok}/12 read");
}
