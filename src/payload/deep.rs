//! Checks that few codes need and whose tables or curves are big: UTS 39 confusable skeletons and IDNA
//! of non-ASCII (or punycode) hosts, secp256k1 public-key recovery and signature checks (BOLT11), Keccak
//! (EIP-55 checksums).
//!
//! Built with the feature `deep-checks` (native builds and the browser's second reader module) they run
//! here. The reader module the decoder worker loads first is built without it, so a shopper's first
//! download carries none of their tables: a parse that would need one of them ends with
//! [`ErrorCode::DeepCheckNeeded`](super::ErrorCode::DeepCheckNeeded), and the worker reads that text
//! again with the full module, fetched the first time a code needs it (`www/decoder-worker.js`). The
//! common case, ASCII hosts, keeps its lookalike check in the first module through [`ascii_skeleton`].
//!
//! Each check below asks [`available`]; where it is absent the caller calls [`skipped`] and returns
//! any value: [`super::parse`] then replaces the whole result by the `deep_check_needed` error, so no
//! partial reading ever reaches the shopper. Native tests run the first module's behaviour with
//! [`without`].

use std::cell::Cell;

thread_local! {
    /// A check was needed and was not available during the current parse.
    static SKIPPED: Cell<bool> = const { Cell::new(false) };
    /// Tests: behave as the first reader module (no deep checks) even where they are built in.
    static FORCED_ABSENT: Cell<bool> = const { Cell::new(false) };
}

/// The deep checks are in this build (and not switched off by [`without`]).
#[cfg_attr(not(feature = "deep-checks"), allow(dead_code))]
pub(crate) fn available() -> bool {
    cfg!(feature = "deep-checks") && !FORCED_ABSENT.with(Cell::get)
}

/// A check was needed and is not in this build: the current parse ends with `deep_check_needed`.
pub(crate) fn skipped() {
    SKIPPED.with(|s| s.set(true));
}

/// Run `f` (a parse) and say whether it needed a check this build lacks.
pub(crate) fn tracking<T>(f: impl FnOnce() -> T) -> (T, bool) {
    let before = SKIPPED.with(|s| s.replace(false));
    let out = f();
    let needed = SKIPPED.with(|s| s.replace(before));
    (out, needed)
}

/// Run `f` as the first reader module would: without the deep checks (for tests and benchmarks).
pub fn without<T>(f: impl FnOnce() -> T) -> T {
    let before = FORCED_ABSENT.with(|s| s.replace(true));
    let out = f();
    FORCED_ABSENT.with(|s| s.set(before));
    out
}

/// UTS 39 skeleton of one ASCII character (`None`: the character is its own skeleton). The whole ASCII
/// part of Unicode's confusables.txt: a test checks every ASCII character against `unicode-security`.
fn ascii_prototype(c: u8) -> Option<&'static str> {
    Some(match c {
        b'"' => "''",
        b'%' => "\u{b0}/\u{2080}",
        b'0' => "O",
        b'1' => "l",
        b'I' => "l",
        b'`' => "'",
        b'm' => "rn",
        b'|' => "l",
        _ => return None,
    })
}

/// UTS 39 skeleton of an ASCII string (NFD is the identity on ASCII, so the skeleton is the mapping of
/// each character); equal to `unicode_security::skeleton` on every ASCII input.
pub fn ascii_skeleton(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for &b in s.as_bytes() {
        match ascii_prototype(b) {
            Some(p) => out.push_str(p),
            None => out.push(b as char),
        }
    }
    out
}

/// UTS 39 skeleton of any string (`s` itself, and [`skipped`], where the tables are not in this build).
pub(crate) fn skeleton(s: &str) -> String {
    if s.is_ascii() {
        return ascii_skeleton(s);
    }
    #[cfg(feature = "deep-checks")]
    if available() {
        return unicode_security::skeleton(s).collect();
    }
    skipped();
    s.to_string()
}

/// IDNA (UTS 46) of a host that is not plain ASCII: (the Unicode the shopper sees, its ASCII form).
/// The ASCII form is the URL parser's (in the browser its own IDNA, natively the `url` crate's), the
/// Unicode form its `xn--` labels punycode-decoded: no IDNA mapping tables of our own. `None` (and
/// [`skipped`]) where the deep checks are not in this build.
pub(crate) fn idna_forms(host: &str) -> Option<(String, String)> {
    #[cfg(feature = "deep-checks")]
    if available() {
        let ascii = if host.is_ascii() {
            host.to_ascii_lowercase()
        } else {
            super::urls::url_host(&format!("https://{host}/")).unwrap_or_else(|| host.to_string())
        };
        let unicode: Vec<String> = ascii
            .split('.')
            .map(|label| {
                let puny = label.get(..4).filter(|p| p.eq_ignore_ascii_case("xn--")).and_then(|_| label.get(4..));
                puny.and_then(idna::punycode::decode_to_string).unwrap_or_else(|| label.to_string())
            })
            .collect();
        return Some((unicode.join("."), ascii));
    }
    let _ = host;
    skipped();
    None
}

/// The compressed public key that signed `digest` (secp256k1, `sig` = r ‖ s ‖ recovery id), high-S
/// accepted (see `crypto::recover`). `None` for a bad signature, and (with [`skipped`]) where secp256k1
/// is not in this build.
pub(crate) fn secp256k1_recover(digest: &[u8; 32], sig: &[u8]) -> Option<Vec<u8>> {
    #[cfg(feature = "deep-checks")]
    if available() {
        use k256::ecdsa::{RecoveryId, Signature, VerifyingKey};
        let s = Signature::from_slice(sig.get(..64)?).ok()?;
        let rid = RecoveryId::from_byte(*sig.get(64)?)?;
        let (s, rid) = match s.normalize_s() {
            Some(low) => (low, RecoveryId::new(rid.is_y_odd(), rid.is_x_reduced())),
            None => (s, rid),
        };
        let vk = VerifyingKey::recover_from_prehash(digest, &s, rid).ok()?;
        return Some(vk.to_encoded_point(true).as_bytes().to_vec());
    }
    let _ = (digest, sig);
    skipped();
    None
}

/// Why a secp256k1 signature (`sig` = r ‖ s …) over `digest` does not verify with the SEC1 key `node`,
/// low-S required; `Ok` where secp256k1 is not in this build (with [`skipped`]).
pub(crate) fn secp256k1_verify(digest: &[u8; 32], sig: &[u8], node: &[u8]) -> Result<(), &'static str> {
    #[cfg(feature = "deep-checks")]
    if available() {
        use k256::ecdsa::signature::hazmat::PrehashVerifier;
        use k256::ecdsa::{Signature, VerifyingKey};
        let s = sig.get(..64).and_then(|b| Signature::from_slice(b).ok()).ok_or("signature is missing or invalid")?;
        if s.normalize_s().is_some() {
            return Err("high-S signature with a payee node key (n): BOLT11 requires low-S then");
        }
        let vk = VerifyingKey::from_sec1_bytes(node).map_err(|_| "the payee node key (n) is not a valid public key")?;
        return vk.verify_prehash(digest, &s).map_err(|_| "signature does not match the payee node key (n)");
    }
    let _ = (digest, sig, node);
    skipped();
    Ok(())
}

/// Keccak-256 of `data` (EIP-55); `None` (and [`skipped`]) where Keccak is not in this build.
pub(crate) fn keccak256(data: &[u8]) -> Option<[u8; 32]> {
    #[cfg(feature = "deep-checks")]
    if available() {
        use sha3::{Digest as _, Keccak256};
        return Some(Keccak256::digest(data).into());
    }
    let _ = data;
    skipped();
    None
}

#[cfg(all(test, feature = "deep-checks"))]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_skeleton_is_unicode_securitys_on_every_ascii_character() {
        for b in 0u8..0x80 {
            let s = (b as char).to_string();
            let full: String = unicode_security::skeleton(&s).collect();
            assert_eq!(ascii_skeleton(&s), full, "ASCII {b:#04x}");
        }
        for s in ["paypal.com", "rnomo.vn", "a1ipay.com", "PAYPAL", "x\"y`z|%0Im"] {
            assert_eq!(ascii_skeleton(s), unicode_security::skeleton(s).collect::<String>(), "{s}");
        }
    }

    #[test]
    fn without_deep_checks_a_parse_says_it_needed_one_and_with_them_it_does_not() {
        let (sk, needed) = tracking(|| without(|| skeleton("p\u{430}ypal")));
        assert!(needed);
        assert_eq!(sk, "p\u{430}ypal");
        let (sk, needed) = tracking(|| skeleton("p\u{430}ypal"));
        assert!(!needed);
        assert_eq!(sk, "paypal");
        // ASCII needs no tables, in either build.
        let (sk, needed) = tracking(|| without(|| skeleton("paypa1")));
        assert_eq!((sk.as_str(), needed), ("paypal", false));
        let (_, needed) = tracking(|| without(|| keccak256(b"")));
        assert!(needed);
        assert_eq!(keccak256(b"").map(|h| h[0]), Some(0xc5));
    }
}
