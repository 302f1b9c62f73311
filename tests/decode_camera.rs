//! Camera-frame categories the decoder once missed, on generated frames of a seed that neither
//! the tuning (1) nor the reported benchmark (2) uses: light-on-dark codes of 3–6 px modules
//! (read at full size, not only at half size), codes tilted 45–60° (finder patterns much taller
//! than wide, the format gate under perspective) and far, defocused codes of 2–3 px modules (half-pixel
//! slack in the finder runs). Each category must read most of its frames, and never a wrong text.

mod common;

use common::frames;
use interpay::decode::{decode, decode_counting, DecodeOptions, LumaImage};

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

/// Frames of the tuning seeds (1–3) whose codes of 1.5–2.6 px modules (far, far and defocused, far
/// and tilted, night) the binary grid sampling missed: the block thresholds lose isolated modules
/// that the grey levels at the module centres, against their sampled neighbours, still show
/// (seed 3 far-018, 1.5 px modules, also needs the finder centres refined on the grey levels).
#[test]
fn small_blurred_modules_read_from_grey_levels() {
    assert_frames_read(&[(1, "far-blur", 13), (1, "far-blur", 18), (1, "far-tilted", 10), (2, "far-blur", 11), (2, "far-blur", 14), (2, "night", 5), (3, "far", 9), (3, "far", 18)]);
}

/// Frames of the tuning seeds where the finder centres from pixel runs put the grid a fraction of
/// a module off somewhere (defocused 2–3 px modules, a dim noisy night code): every grid sampled
/// from them failed, and zxing-cpp read them. Fitting the grid's four control points to the
/// function patterns (finders, timing, alignment) on the grey levels reads them.
#[test]
fn grids_fitted_to_function_patterns_read() {
    assert_frames_read(&[(2, "far-blur", 0), (2, "far-blur", 10), (2, "far-blur", 16), (3, "night", 19)]);
}

/// Frames of tuning seed 3 (far and defocused, 2.2–3 px modules) and seed 2 (far, 1.9 px) that no
/// grid read, fitted or not: the blur leaks each module's neighbours into its level. Reading the
/// fitted grid's levels sharpened against their four neighbours (`2v − mean4`) reads them (zxing-cpp
/// reads seed 2 far-018 too).
#[test]
fn blurred_module_levels_read_sharpened() {
    assert_frames_read(&[(3, "far-blur", 2), (3, "far-blur", 7), (3, "far-blur", 8), (3, "far-blur", 14), (3, "far-blur", 16), (3, "far-blur", 19), (2, "far", 18)]);
}

/// Every code of each `(seed, category, index)` frame reads with its exact text, and nothing else reads.
fn assert_frames_read(cases: &[(u64, &str, usize)]) {
    let texts = frames::payloads(&std::fs::read_to_string(common::VECTORS).unwrap());
    let mut missed = Vec::new();
    for &(seed, category, i) in cases {
        let f = frames::frame(seed, category, i, &texts);
        let luma = f.luma();
        let got = decode(LumaImage { width: frames::W, height: frames::H, data: &luma }, &DecodeOptions::default());
        let wrong: Vec<&str> = got.iter().filter(|g| !f.texts.contains(&g.text)).map(|g| g.text.as_str()).collect();
        assert!(wrong.is_empty(), "seed {seed} {category}-{i:03}: wrong texts {wrong:?}");
        if !f.texts.iter().all(|t| got.iter().any(|g| &g.text == t)) {
            missed.push(format!("seed {seed} {category}-{i:03} ({:.2} px modules)", f.module_px));
        }
    }
    assert!(missed.is_empty(), "not read: {missed:?}");
}

/// Frames of tuning seeds (2, 10) with version-8 codes tilted 45–60°: the bottom-right alignment
/// pattern sits modules away from the parallelogram's estimate, and the pattern nearest to it was
/// a look-alike in the data (every grid through it failed; zxing-cpp read them). Each candidate in a
/// wide window is now scored by how well its transform lands on the function patterns.
#[test]
fn steep_codes_take_the_alignment_pattern_that_fits() {
    assert_frames_read(&[(2, "steep", 11), (10, "steep", 7), (10, "steep", 18)]);
}

/// Frames of tuning seed 10 where the finder scan found two of the three finder patterns (a dim
/// night code, a far code tilted 37°; zxing-cpp read both): the third is guessed from the pair and
/// found with a finder template on the grey levels.
#[test]
fn a_missing_third_finder_is_found_from_the_other_two() {
    assert_frames_read(&[(10, "night", 19), (10, "far-tilted", 7)]);
}

/// Codes that will not read once took up to 200 grids in one of the passes after the full-size
/// ones (an upscaled window), 8 ms a frame against zxing-cpp's 3.7. Each of those passes now stops
/// at 64 grids (tuning seed 12 steep-018 reaches the bound and does not read; seed 3 far-blur-007
/// reaches it in one pass and reads in a later one).
#[test]
fn fallback_passes_stop_at_their_grid_bound() {
    let texts = frames::payloads(&std::fs::read_to_string(common::VECTORS).unwrap());
    for (seed, cat, i, reads) in [(12, "steep", 18, false), (3, "far-blur", 7, true)] {
        let f = frames::frame(seed, cat, i, &texts);
        let luma = f.luma();
        let (got, work) = decode_counting(LumaImage { width: frames::W, height: frames::H, data: &luma }, &DecodeOptions::default());
        assert!(got.iter().all(|g| f.texts.contains(&g.text)), "seed {seed} {cat}-{i:03}: a wrong text");
        assert_eq!(f.texts.iter().all(|t| got.iter().any(|g| &g.text == t)), reads, "seed {seed} {cat}-{i:03}: read");
        assert_eq!(work.fallback_pass_peak, 64, "seed {seed} {cat}-{i:03} no longer reaches the bound (pick another frame): {work:?}");
    }
}
