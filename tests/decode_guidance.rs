//! Shopper guidance (`interpay::decode::scan` → `hint`): generated camera frames with a code too
//! small, too blurred or too dark to read give that hint; a readable code gives its text and no
//! hint; a frame without code gives no hint (unless it is very dark).

mod common;

use common::frames::{self, Scene};
use interpay::decode::guidance::Guidance;
use interpay::decode::{scan, DecodeOptions, LumaImage};

fn texts() -> Vec<String> {
    frames::payloads(&std::fs::read_to_string(common::VECTORS).unwrap())
}

/// A "mid" frame of the generator, then `tweak`ed.
fn scene(i: usize, tweak: impl Fn(&mut Scene)) -> Scene {
    let mut s = frames::scene(7, "mid", i, &texts());
    s.clutter = 60;
    s.lookalikes = 0;
    s.codes.truncate(1);
    tweak(&mut s);
    s
}

fn run(s: &Scene) -> (Vec<String>, Option<Guidance>) {
    let f = frames::render(s);
    let luma = f.luma();
    let r = scan(LumaImage { width: frames::W, height: frames::H, data: &luma }, &DecodeOptions::default());
    (r.codes.into_iter().map(|c| c.text).collect(), r.hint)
}

fn expect_hint(what: &str, want: Guidance, tweak: impl Fn(&mut Scene) + Copy) {
    let mut hits = 0;
    for i in 0..6 {
        let s = scene(i, tweak);
        let (codes, hint) = run(&s);
        eprintln!("{what} {i}: codes {} hint {hint:?}", codes.len());
        assert!(codes.iter().all(|t| *t == s.codes[0].text), "{what} {i}: wrong text {codes:?}");
        if codes.is_empty() {
            assert!(hint.is_none() || hint == Some(want), "{what} {i}: hint {hint:?}, expected {want:?}");
            hits += (hint == Some(want)) as usize;
        }
    }
    assert!(hits >= 4, "{what}: only {hits}/6 frames gave {want:?}");
}

#[test]
fn too_small_code_says_move_closer() {
    expect_hint("too small", Guidance::TooSmall, |s| {
        // 1.7 px modules of a defocused version 9 read since the grid fit (1.5 px do not).
        s.codes[0].module_px = 1.5;
        s.codes[0].version = 9;
        s.defocus = 0.6;
    });
}

#[test]
fn too_blurred_code_says_hold_still() {
    expect_hint("too blurred", Guidance::TooBlurred, |s| {
        s.codes[0].module_px = 5.0;
        s.defocus = 3.0;
    });
}

#[test]
fn too_dark_code_says_more_light() {
    expect_hint("too dark", Guidance::TooDark, |s| {
        s.exposure = 0.035;
        s.gamma = 1.0;
        s.noise = 2.0;
    });
}

#[test]
fn readable_code_and_empty_scene_give_no_hint() {
    for i in 0..4 {
        let s = scene(i, |s| s.codes[0].module_px = 4.0);
        let (codes, hint) = run(&s);
        assert_eq!(codes, vec![s.codes[0].text.clone()], "frame {i}");
        assert_eq!(hint, None, "frame {i}: a code read gives no hint");
    }
    for i in 0..6 {
        let mut s = frames::scene(7, "empty", i, &texts());
        s.exposure = 1.0;
        s.gamma = 1.0;
        let (codes, hint) = run(&s);
        assert!(codes.is_empty(), "empty {i}: {codes:?}");
        assert_eq!(hint, None, "empty {i}: no code, no hint");
    }
}
