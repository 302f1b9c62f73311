//! Crypto payment URIs: Bitcoin BIP21, Lightning BOLT11 (checksum, amount from the human-readable
//! part, tagged fields, signature → payee node key), Ethereum EIP-681.

use super::emv::warn;
use super::error::err;
use super::urls::{check_url, pct_decode, base_payment};
use super::{currency, Account, ErrorCode, Initiation, ParseError, Payment, WarningCode};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

const CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

fn polymod(values: impl Iterator<Item = u8>) -> u32 {
    const GEN: [u32; 5] = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
    let mut chk: u32 = 1;
    for v in values {
        let b = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ v as u32;
        for (i, g) in GEN.iter().enumerate() {
            if (b >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub enum Bech32Variant {
    Bech32,
    Bech32m,
}

/// Decode bech32/bech32m (no length limit): (lowercase hrp, 5-bit data without checksum, variant).
/// A bech32 failure: (byte position, error code, message).
pub type Bech32Error = (usize, ErrorCode, String);

pub fn bech32_decode(s: &str) -> Result<(String, Vec<u8>, Bech32Variant), Bech32Error> {
    if s.bytes().any(|b| b.is_ascii_lowercase()) && s.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err((0, ErrorCode::MixedCase, "bech32 strings must be all lowercase or all uppercase".into()));
    }
    if !s.is_ascii() {
        return Err((0, ErrorCode::BadCharacter, "bech32 strings are ASCII".into()));
    }
    let s = s.to_ascii_lowercase();
    let sep = s.rfind('1').ok_or((0, ErrorCode::BadFormat, "no separator '1'".to_string()))?;
    if sep == 0 || sep + 7 > s.len() {
        return Err((sep, ErrorCode::Truncated, "human-readable part or checksum missing".into()));
    }
    let hrp = &s[..sep];
    let mut data = Vec::with_capacity(s.len() - sep - 1);
    for (i, c) in s[sep + 1..].bytes().enumerate() {
        match CHARSET.iter().position(|&x| x == c) {
            Some(v) => data.push(v as u8),
            None => return Err((sep + 1 + i, ErrorCode::BadCharacter, format!("{:?} is not a bech32 character", c as char))),
        }
    }
    let expanded = hrp.bytes().map(|b| b >> 5).chain(std::iter::once(0)).chain(hrp.bytes().map(|b| b & 31)).chain(data.iter().copied());
    let variant = match polymod(expanded) {
        1 => Bech32Variant::Bech32,
        0x2bc830a3 => Bech32Variant::Bech32m,
        _ => return Err((s.len() - 6, ErrorCode::BadChecksum, "bech32 checksum does not match".into())),
    };
    data.truncate(data.len() - 6);
    Ok((hrp.to_string(), data, variant))
}

/// bech32 / bech32m string of `hrp` and 5-bit `data` (checksum appended).
pub fn bech32_encode(hrp: &str, data: &[u8], variant: Bech32Variant) -> String {
    let konst = match variant {
        Bech32Variant::Bech32 => 1,
        Bech32Variant::Bech32m => 0x2bc830a3,
    };
    let expanded = hrp.bytes().map(|b| b >> 5).chain(std::iter::once(0)).chain(hrp.bytes().map(|b| b & 31)).chain(data.iter().copied()).chain([0u8; 6]);
    let pm = polymod(expanded) ^ konst;
    let mut out = String::with_capacity(hrp.len() + 1 + data.len() + 6);
    out.push_str(hrp);
    out.push('1');
    for &d in data {
        out.push(CHARSET[(d & 31) as usize] as char);
    }
    for i in 0..6 {
        out.push(CHARSET[((pm >> (5 * (5 - i))) & 31) as usize] as char);
    }
    out
}

/// Base58Check string of `body` (version byte included).
pub fn base58check_encode(body: &[u8]) -> String {
    const A: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let mut v = body.to_vec();
    let h = Sha256::digest(Sha256::digest(body));
    v.extend_from_slice(&h[..4]);
    let mut digits: Vec<u8> = Vec::new();
    for &b in &v {
        let mut carry = b as u32;
        for d in digits.iter_mut() {
            carry += (*d as u32) << 8;
            *d = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let zeros = v.iter().take_while(|&&b| b == 0).count();
    std::iter::repeat_n('1', zeros).chain(digits.iter().rev().map(|&d| A[d as usize] as char)).collect()
}

/// The on-chain address of a BOLT11 `f` field (5-bit version, then 5-bit data) on `network`:
/// (account kind, address), or None for an unknown version or a malformed program.
pub fn fallback_address(network: &str, version: u8, data: &[u8]) -> Option<(&'static str, String)> {
    let (hrp, p2pkh, p2sh) = match network {
        "bitcoin" => ("bc", 0x00, 0x05),
        "testnet" | "signet" => ("tb", 0x6f, 0xc4),
        "regtest" => ("bcrt", 0x6f, 0xc4),
        _ => return None,
    };
    match version {
        17 | 18 => {
            let hash = convert_bits(data, 5, 8, false)?;
            if hash.len() != 20 {
                return None;
            }
            let mut body = vec![if version == 17 { p2pkh } else { p2sh }];
            body.extend(hash);
            Some((if version == 17 { "fallback_p2pkh" } else { "fallback_p2sh" }, base58check_encode(&body)))
        }
        0..=16 => {
            let prog = convert_bits(data, 5, 8, false)?;
            let ok = if version == 0 { prog.len() == 20 || prog.len() == 32 } else { (2..=40).contains(&prog.len()) };
            if !ok {
                return None;
            }
            let variant = if version == 0 { Bech32Variant::Bech32 } else { Bech32Variant::Bech32m };
            let mut d = vec![version];
            d.extend_from_slice(data);
            let kind = match (version, prog.len()) {
                (0, 20) => "fallback_p2wpkh",
                (0, _) => "fallback_p2wsh",
                (1, 32) => "fallback_p2tr",
                _ => "fallback_segwit",
            };
            Some((kind, bech32_encode(hrp, &d, variant)))
        }
        _ => None,
    }
}

/// Regroup bits (5 → 8 or 8 → 5).
pub fn convert_bits(data: &[u8], from: u32, to: u32, pad: bool) -> Option<Vec<u8>> {
    let mut acc: u32 = 0;
    let mut bits: u32 = 0;
    let mut out = Vec::new();
    let maxv = (1u32 << to) - 1;
    for &v in data {
        if (v as u32) >> from != 0 {
            return None;
        }
        acc = (acc << from) | v as u32;
        bits += from;
        while bits >= to {
            bits -= to;
            out.push(((acc >> bits) & maxv) as u8);
        }
        acc &= (1 << bits) - 1;
    }
    if pad {
        if bits > 0 {
            out.push(((acc << (to - bits)) & maxv) as u8);
        }
    } else if bits >= from || ((acc << (to - bits)) & maxv) != 0 {
        return None;
    }
    Some(out)
}

fn base58check(s: &str) -> Option<Vec<u8>> {
    const A: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    let mut out: Vec<u8> = Vec::new();
    for c in s.bytes() {
        let mut carry = A.iter().position(|&x| x == c)? as u32;
        for b in out.iter_mut().rev() {
            carry += (*b as u32) * 58;
            *b = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            out.insert(0, (carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let zeros = s.bytes().take_while(|&b| b == b'1').count();
    let mut v = vec![0u8; zeros];
    v.extend(out);
    if v.len() < 5 {
        return None;
    }
    let (body, check) = v.split_at(v.len() - 4);
    let h = Sha256::digest(Sha256::digest(body));
    (h[..4] == *check).then(|| body.to_vec())
}

/// Bitcoin address → network name, or None.
pub fn btc_address_network(a: &str) -> Option<&'static str> {
    let lower = a.to_ascii_lowercase();
    for (hrp, net) in [("bcrt", "regtest"), ("bc", "bitcoin"), ("tb", "testnet")] {
        if lower.starts_with(&format!("{hrp}1")) {
            let (h, data, variant) = bech32_decode(a).ok()?;
            if h != hrp || data.is_empty() {
                return None;
            }
            let ver = data[0];
            let prog = convert_bits(&data[1..], 5, 8, false)?;
            let ok = match ver {
                0 => variant == Bech32Variant::Bech32 && (prog.len() == 20 || prog.len() == 32),
                1..=16 => variant == Bech32Variant::Bech32m && (2..=40).contains(&prog.len()),
                _ => false,
            };
            return ok.then_some(net);
        }
    }
    let body = base58check(a)?;
    if body.len() != 21 {
        return None;
    }
    match body[0] {
        0x00 | 0x05 => Some("bitcoin"),
        0x6f | 0xc4 => Some("testnet"),
        _ => None,
    }
}

fn crypto_amount(v: &str, pos: usize, tag: &str, max_scale: u32) -> Result<Decimal, ParseError> {
    let a = super::emv::parse_decimal(v).ok_or_else(|| err(ErrorCode::NonNumericAmount, pos, tag, format!("amount must be a plain non-negative decimal, found {v:?}")))?;
    if a.normalize().scale() > max_scale {
        return Err(err(ErrorCode::NonNumericAmount, pos, tag, format!("amount {v} has more than {max_scale} decimals")));
    }
    Ok(a)
}

/// `bitcoin:ADDRESS?amount=…&label=…&message=…` (scheme case-insensitive).
pub fn parse_bip21(text: &str, now_ms: Option<i64>) -> Result<Payment, ParseError> {
    let t = text.trim();
    let (scheme, rest) = t.split_once(':').ok_or_else(|| err(ErrorCode::BadFormat, 0, "scheme", "not a bitcoin: URI"))?;
    if !scheme.eq_ignore_ascii_case("bitcoin") {
        return Err(err(ErrorCode::BadFormat, 0, "scheme", format!("BIP21 URIs use the bitcoin: scheme, found {scheme:?}")));
    }
    let mut p = base_payment("bip21", ("bitcoin", "Bitcoin"));
    p.currency = Some(currency::crypto("BTC", 8));
    let mut base = scheme.len() + 1;
    let rest = match rest.strip_prefix("//") {
        Some(r) => {
            warn(&mut p.warnings, WarningCode::NonCompliant, Some("scheme"), "bitcoin:// is not BIP21 (use bitcoin:ADDRESS)");
            base += 2;
            r
        }
        None => rest,
    };
    let (addr, q) = rest.split_once('?').unwrap_or((rest, ""));
    let mut lightning: Option<(usize, String)> = None;
    let mut offer: Option<String> = None;
    let mut seen: Vec<String> = Vec::new();
    let mut off = base + addr.chars().count() + 1;
    for part in q.split('&') {
        let here = off;
        off += part.chars().count() + 1;
        if part.is_empty() {
            continue;
        }
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let k = pct_decode(k, false);
        let v = pct_decode(v, false);
        let kl = k.to_ascii_lowercase();
        if seen.contains(&kl) {
            return Err(err(ErrorCode::DuplicateTag, here, &kl, format!("parameter {k} appears twice")));
        }
        seen.push(kl.clone());
        match kl.as_str() {
            "amount" => {
                let a = crypto_amount(&v, here + 7, "amount", 8)?;
                if a.is_zero() {
                    warn(&mut p.warnings, WarningCode::AmountZero, Some("amount"), "amount 0");
                }
                p.amount = Some(a);
                p.initiation = Initiation::Dynamic;
            }
            "label" => p.payee.name = Some(v),
            "message" => p.references.message = Some(v),
            "r" => {
                check_url(&v, "r", &mut p.warnings);
                p.references.url = Some(v);
            }
            "lightning" => lightning = Some((here, v)),
            // BIP321: a BOLT12 offer, a payment instruction of its own (the URI may then have no address).
            "lno" => {
                if !bolt12_offer_shaped(&v) {
                    return Err(err(ErrorCode::BadFormat, here, "lno", format!("{v:?} is not a BOLT12 offer (lno1…)")));
                }
                offer = Some(v);
            }
            "pj" => check_url(&v, "pj", &mut p.warnings),
            _ if kl.starts_with("req-") => {
                return Err(err(ErrorCode::Unsupported, here, &kl, format!("required parameter {k} is not understood (BIP21: such a URI must be rejected)")));
            }
            _ => {}
        }
    }
    if addr.is_empty() && lightning.is_none() && offer.is_none() {
        return Err(err(ErrorCode::MissingTag, base, "address", "bitcoin: URI without an address, a lightning invoice or a BOLT12 offer (lno)"));
    }
    if !addr.is_empty() {
        let net = btc_address_network(addr).ok_or_else(|| err(ErrorCode::BadAddress, base, "address", format!("{addr:?} is not a valid Bitcoin address (checksum)")))?;
        p.network = Some(net.into());
        p.payee.accounts.push(Account { scheme: "bitcoin".into(), kind: "address".into(), value: addr.into() });
    }
    if let Some((at, ln)) = lightning {
        let inv = parse_bolt11(&ln, now_ms).map_err(|mut e| {
            e.tag = Some(format!("lightning.{}", e.tag.unwrap_or_default()));
            e
        })?;
        // The on-chain part and the invoice must ask for the same payment, or a wallet refuses the URI:
        // say which part disagrees.
        let conflict = |what: &str, msg: String| err(ErrorCode::PaymentConflict, at, &format!("lightning.{what}"), msg);
        if let (Some(a), Some(b)) = (p.amount, inv.amount) {
            if a.normalize() != b.normalize() {
                return Err(conflict("amount", format!("the URI asks for {} BTC but its lightning invoice for {} BTC", a.normalize(), b.normalize())));
            }
        }
        if let (Some(a), Some(b)) = (p.network.as_deref(), inv.network.as_deref()) {
            let same = a == b || (matches!(a, "testnet" | "signet") && matches!(b, "testnet" | "signet"));
            if !same {
                return Err(conflict("network", format!("the address is on {a} but the lightning invoice on {b}")));
            }
        }
        let fallbacks: Vec<&str> = inv.payee.accounts.iter().filter(|x| x.kind.starts_with("fallback")).map(|x| x.value.as_str()).collect();
        if !addr.is_empty() && !fallbacks.is_empty() && !fallbacks.iter().any(|f| f.eq_ignore_ascii_case(addr)) {
            return Err(conflict("f", format!("the URI pays {addr} but its lightning invoice falls back to {}", fallbacks.join(", "))));
        }
        p.schemes.push(inv.schemes[0].clone());
        p.payee.accounts.extend(inv.payee.accounts);
        if p.amount.is_none() {
            p.amount = inv.amount;
        }
        p.references.reference = inv.references.reference;
        if p.references.message.is_none() {
            p.references.message = inv.references.message;
        }
        if p.network.is_none() {
            p.network = inv.network;
        }
        p.warnings.extend(inv.warnings);
    }
    if let Some(o) = offer {
        if !p.schemes.iter().any(|s| s.id == "lightning") {
            p.schemes.push(super::Scheme { id: "lightning".into(), name: "Lightning".into() });
        }
        p.payee.accounts.push(Account { scheme: "lightning".into(), kind: "bolt12_offer".into(), value: o });
    }
    Ok(p)
}

/// A BOLT12 offer string: `lno1` then bech32 characters (BOLT12 strings carry no checksum; `+` joins
/// split parts), one case.
fn bolt12_offer_shaped(v: &str) -> bool {
    let joined: String = v.split('+').map(|x| x.trim()).collect();
    let lower = joined.to_ascii_lowercase();
    let one_case = joined == lower || joined == joined.to_ascii_uppercase();
    one_case && lower.len() > 8 && lower.starts_with("lno1") && lower[4..].bytes().all(|b| CHARSET.contains(&b))
}

fn bolt_network(rest: &str) -> Option<(&'static str, &str)> {
    for (pre, net) in [("bcrt", "regtest"), ("tbs", "signet"), ("tb", "testnet"), ("bc", "bitcoin"), ("sb", "simnet")] {
        if let Some(r) = rest.strip_prefix(pre) {
            if r.is_empty() || r.as_bytes()[0].is_ascii_digit() {
                return Some((net, r));
            }
        }
    }
    None
}

fn be(data: &[u8]) -> u64 {
    data.iter().fold(0u64, |acc, &v| acc.wrapping_shl(5) | v as u64)
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

pub fn looks_like_bolt11(t: &str) -> bool {
    let l = t.trim().to_ascii_lowercase();
    let l = l.strip_prefix("lightning:").unwrap_or(&l);
    let shaped = l.starts_with("ln") && l.contains('1') && l.bytes().all(|b| b.is_ascii_alphanumeric());
    shaped && (l.len() >= 20 || l.get(2..).and_then(bolt_network).is_some())
}

/// Lightning invoice (BOLT11). `lightning:` prefix tolerated.
pub fn parse_bolt11(text: &str, now_ms: Option<i64>) -> Result<Payment, ParseError> {
    let t = text.trim();
    let (t, base) = match t.get(..10) {
        Some(pre) if pre.eq_ignore_ascii_case("lightning:") => (&t[10..], 10usize),
        _ => (t, 0),
    };
    let (hrp, data, _) = bech32_decode(t).map_err(|(pos, code, msg)| err(code, base + pos, "bolt11", msg))?;
    let Some(rest) = hrp.strip_prefix("ln") else {
        return Err(err(ErrorCode::BadFormat, base, "hrp", "Lightning invoices start with ln"));
    };
    let (network, amount_s) = bolt_network(rest).ok_or_else(|| err(ErrorCode::UnknownNetwork, base + 2, "hrp", format!("unknown currency prefix in {hrp:?}")))?;
    let mut p = base_payment("bolt11", ("lightning", "Lightning"));
    p.network = Some(network.into());
    p.currency = Some(currency::crypto("BTC", 8));
    if !amount_s.is_empty() {
        let (num, mult) = match amount_s.as_bytes()[amount_s.len() - 1] {
            m @ (b'm' | b'u' | b'n' | b'p') => (&amount_s[..amount_s.len() - 1], Some(m)),
            _ => (amount_s, None),
        };
        if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) || num.len() > 20 || (num.len() > 1 && num.starts_with('0')) {
            return Err(err(ErrorCode::NonNumericAmount, base + 2, "hrp", format!("bad amount {amount_s:?} in the human-readable part")));
        }
        let n: i128 = num.parse().map_err(|_| err(ErrorCode::NonNumericAmount, base + 2, "hrp", "amount too large"))?;
        let scale = match mult {
            None => 0,
            Some(b'm') => 3,
            Some(b'u') => 6,
            Some(b'n') => 9,
            _ => {
                if n % 10 != 0 {
                    return Err(err(ErrorCode::NonNumericAmount, base + 2, "hrp", "a pico-bitcoin amount must be a multiple of 10 (millisatoshi)"));
                }
                12
            }
        };
        let a = Decimal::try_from_i128_with_scale(n, scale).map_err(|_| err(ErrorCode::NonNumericAmount, base + 2, "hrp", "amount too large"))?;
        p.amount = Some(a.normalize());
        p.initiation = Initiation::Dynamic;
    }
    if data.len() < 7 + 104 {
        return Err(err(ErrorCode::MissingSignature, base + hrp.len() + 1, "signature", "invoice too short: timestamp and signature missing"));
    }
    let sig_start = data.len() - 104;
    let timestamp = be(&data[..7]);
    let mut i = 7;
    let mut node: Option<Vec<u8>> = None;
    let mut expiry: u64 = 3600;
    let mut has_hash = false;
    let (mut has_secret, mut descriptions, mut unknown_even): (bool, usize, Option<usize>) = (false, 0, None);
    while i < sig_start {
        if i + 3 > sig_start {
            return Err(err(ErrorCode::Truncated, base + hrp.len() + 1 + i, "bolt11", "truncated tagged field"));
        }
        let typ = data[i];
        let len = (data[i + 1] as usize) * 32 + data[i + 2] as usize;
        let fstart = i + 3;
        let fend = fstart + len;
        if fend > sig_start {
            return Err(err(ErrorCode::Truncated, base + hrp.len() + 1 + i, "bolt11", "tagged field runs into the signature"));
        }
        let f = &data[fstart..fend];
        match typ {
            // p: the first payment hash of the right length is the one (BOLT11: later ones are less preferred).
            1 if len == 52 && !has_hash => {
                let h = convert_bits(f, 5, 8, false).unwrap_or_default();
                p.references.reference = Some(hex(&h));
                has_hash = true;
            }
            13 => {
                let d = convert_bits(f, 5, 8, false).unwrap_or_default();
                if p.references.message.is_none() {
                    p.references.message = Some(String::from_utf8_lossy(&d).into_owned());
                }
                descriptions += 1;
            }
            // h: hashed description.
            23 if len == 52 => descriptions += 1,
            // s: payment secret.
            16 if len == 52 => has_secret = true,
            // 9: feature bits, big-endian over the 5-bit groups; an unknown even (required) bit fails.
            5 => {
                for (j, &g) in f.iter().enumerate() {
                    for k in 0..5 {
                        let bit = (len - 1 - j) * 5 + k;
                        if (g >> k) & 1 == 1 && bit.is_multiple_of(2) && !KNOWN_EVEN_FEATURES.contains(&bit) && unknown_even.is_none() {
                            unknown_even = Some(bit);
                        }
                    }
                }
            }
            19 if len == 53 => node = convert_bits(f, 5, 8, false),
            6 => expiry = be(f),
            9 if len > 1 => {
                // Fallback on-chain address: 5-bit version (17 P2PKH, 18 P2SH, 0-16 segwit), then the hash or
                // witness program; reported as the address a wallet would pay. Unknown versions are skipped.
                if let Some((kind, addr)) = fallback_address(network, f[0], &f[1..]) {
                    p.payee.accounts.push(Account { scheme: "bitcoin".into(), kind: kind.into(), value: addr });
                }
            }
            _ => {}
        }
        i = fend;
    }
    if !has_hash {
        return Err(err(ErrorCode::MissingTag, base + hrp.len() + 1, "p", "invoice without a payment hash (p)"));
    }
    // Signature: 64 bytes + recovery id, over sha256(hrp bytes || data bits padded to bytes).
    let sig = convert_bits(&data[sig_start..], 5, 8, true).unwrap_or_default();
    let mut msg = hrp.as_bytes().to_vec();
    msg.extend(convert_bits(&data[..sig_start], 5, 8, true).unwrap_or_default());
    let sig_pos = base + hrp.len() + 1 + sig_start;
    let payee = match &node {
        // With n, the signature is checked against n, and must be low-S (BOLT11).
        Some(n) => {
            verify(&msg, &sig, n).map_err(|why| err(ErrorCode::BadSignature, sig_pos, "signature", why))?;
            n.clone()
        }
        // Without n, the payee is the key recovered from the signature, high-S or low-S alike.
        None => recover(&msg, &sig).ok_or_else(|| err(ErrorCode::BadSignature, sig_pos, "signature", "signature is missing or invalid"))?,
    };
    let fields = base + hrp.len() + 1;
    if let Some(bit) = unknown_even {
        return Err(err(ErrorCode::UnknownFeature, fields, "9", format!("the invoice requires feature bit {bit}, which this reader does not know (BOLT11: fail the payment)")));
    }
    if !has_secret {
        return Err(err(ErrorCode::MissingTag, fields, "s", "invoice without a payment secret (s): BOLT11 readers must refuse it (wallets cannot pay it safely)"));
    }
    if descriptions != 1 {
        let why = if descriptions == 0 { "invoice without a description (d) or a description hash (h)" } else { "invoice with more than one description (d / h): BOLT11 allows exactly one" };
        return Err(err(if descriptions == 0 { ErrorCode::MissingTag } else { ErrorCode::DuplicateTag }, fields, "d", why));
    }
    p.payee.accounts.insert(0, Account { scheme: "lightning".into(), kind: "node_id".into(), value: hex(&payee) });
    let exp = timestamp.saturating_add(expiry);
    p.references.expires = Some(exp.to_string());
    if let Some(now) = now_ms {
        if (exp as i128) * 1000 < now as i128 {
            warn(&mut p.warnings, WarningCode::Expired, Some("x"), "this invoice has expired; the wallet will refuse it");
        }
    }
    Ok(p)
}

/// Even feature bits a BOLT11 reader knows (BOLT 9, context 9): var_onion_optin 8, payment_secret 14,
/// basic_mpp 16, option_route_blinding 24, option_attribution_data 36, option_payment_metadata 48.
const KNOWN_EVEN_FEATURES: &[usize] = &[8, 14, 16, 24, 36, 48];

/// Public-key recovery, accepting high-S signatures as BOLT11 requires: k256 verifies low-S only, so a
/// high-S signature (r, s) is read as its low-S twin (r, n - s) with the same recovery flag, which is how
/// BOLT11's own high-S example is made (same r and flag as the low-S one) and recovers the signer's key.
fn recover(msg: &[u8], sig: &[u8]) -> Option<Vec<u8>> {
    if sig.len() < 65 {
        return None;
    }
    super::deep::secp256k1_recover(&Sha256::digest(msg).into(), sig)
}

/// Check the signature against the node key of the n field; BOLT11 then requires low-S.
fn verify(msg: &[u8], sig: &[u8], node: &[u8]) -> Result<(), &'static str> {
    super::deep::secp256k1_verify(&Sha256::digest(msg).into(), sig, node)
}

/// EIP-55 mixed-case checksum.
fn eip55_ok(addr: &str) -> bool {
    let hexpart = &addr[2..];
    let has_lower = hexpart.bytes().any(|b| b.is_ascii_lowercase());
    let has_upper = hexpart.bytes().any(|b| b.is_ascii_uppercase());
    if !(has_lower && has_upper) {
        return true;
    }
    // Where Keccak is not in this build the parse ends with `deep_check_needed` (payload::deep).
    let Some(h) = super::deep::keccak256(hexpart.to_ascii_lowercase().as_bytes()) else {
        return true;
    };
    hexpart.bytes().enumerate().all(|(i, c)| {
        let nib = (h[i / 2] >> (if i % 2 == 0 { 4 } else { 0 })) & 0xf;
        if c.is_ascii_digit() { true } else if nib >= 8 { c.is_ascii_uppercase() } else { c.is_ascii_lowercase() }
    })
}

fn eth_target(s: &str, pos: usize, tag: &str) -> Result<&'static str, ParseError> {
    if s.len() == 42 && (s.starts_with("0x") || s.starts_with("0X")) && s[2..].bytes().all(|b| b.is_ascii_hexdigit()) {
        if !eip55_ok(s) {
            return Err(err(ErrorCode::BadChecksum, pos, tag, format!("{s} fails its EIP-55 mixed-case checksum")));
        }
        return Ok("address");
    }
    let ens = s.contains('.') && s.split('.').all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')) && !s.starts_with("0x");
    if ens {
        return Ok("ens_name");
    }
    Err(err(ErrorCode::BadAddress, pos, tag, format!("{s:?} is neither a 0x address nor an ENS name")))
}

/// Exact number with optional exponent ("2.014e18") → integer Decimal.
fn eth_number(v: &str) -> Option<Decimal> {
    let (m, e) = match v.find(['e', 'E']) {
        Some(i) => (&v[..i], v[i + 1..].parse::<i32>().ok()?),
        None => (v, 0),
    };
    let mut d = super::emv::parse_decimal(m)?;
    if !(0..=28).contains(&e) {
        return None;
    }
    for _ in 0..e {
        d = d.checked_mul(Decimal::TEN)?;
    }
    Some(d.normalize())
}

/// `ethereum:[pay-]TARGET[@CHAIN][/FUNCTION][?PARAMS]`
pub fn parse_eip681(text: &str) -> Result<Payment, ParseError> {
    let t = text.trim();
    let (scheme, rest) = t.split_once(':').ok_or_else(|| err(ErrorCode::BadFormat, 0, "scheme", "not an ethereum: URI"))?;
    if !scheme.eq_ignore_ascii_case("ethereum") {
        return Err(err(ErrorCode::BadFormat, 0, "scheme", "EIP-681 URIs use the ethereum: scheme"));
    }
    let base = scheme.len() + 1;
    let mut p = base_payment("eip681", ("ethereum", "Ethereum"));
    let (head, q) = rest.split_once('?').unwrap_or((rest, ""));
    let (head, function) = head.split_once('/').map(|(a, b)| (a, Some(b))).unwrap_or((head, None));
    let (target_full, chain) = head.split_once('@').map(|(a, b)| (a, Some(b))).unwrap_or((head, None));
    let (prefix, target) = if target_full.starts_with("0x") || target_full.starts_with("0X") {
        (None, target_full)
    } else {
        match target_full.split_once('-') {
            Some((pre, tgt)) if !tgt.is_empty() && !pre.contains('.') => (Some(pre), tgt),
            _ => (None, target_full),
        }
    };
    let tpos = base + prefix.map(|x| x.len() + 1).unwrap_or(0);
    if let Some(pre) = prefix {
        if pre != "pay" {
            warn(&mut p.warnings, WarningCode::UnknownPrefix, Some("prefix"), format!("prefix {pre:?} (EIP-681 defines pay-)"));
        }
    }
    let kind = eth_target(target, tpos, "target_address")?;
    let chain_id = match chain {
        Some(c) if !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()) && c.len() <= 20 => c.to_string(),
        Some(c) => return Err(err(ErrorCode::BadSchemeField, tpos + target.len() + 1, "chain_id", format!("chain id must be a number, found {c:?}"))),
        None => "1".into(),
    };
    p.network = Some(format!("ethereum:{chain_id}"));
    let mut wei: Option<Decimal> = None;
    let mut params: Vec<(String, String)> = Vec::new();
    for part in q.split('&').filter(|s| !s.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        params.push((pct_decode(k, false), pct_decode(v, false)));
    }
    let qpos = base + head.len() + function.map(|f| f.len() + 1).unwrap_or(0) + 1;
    for (k, v) in &params {
        if params.iter().filter(|(x, _)| x == k).count() > 1 {
            return Err(err(ErrorCode::DuplicateTag, qpos, k, format!("parameter {k} appears twice")));
        }
        if k == "value" {
            let w = eth_number(v).ok_or_else(|| err(ErrorCode::NonNumericAmount, qpos, "value", format!("value must be a number of wei, found {v:?}")))?;
            if w.scale() != 0 {
                return Err(err(ErrorCode::NonNumericAmount, qpos, "value", format!("value {v} is not a whole number of wei")));
            }
            wei = Some(w);
        }
    }
    match function {
        None | Some("") => {
            p.payee.accounts.push(Account { scheme: "ethereum".into(), kind: kind.into(), value: target.into() });
            p.currency = Some(currency::crypto("ETH", 18));
            if let Some(w) = wei {
                let mut eth = w;
                eth.set_scale(18).ok();
                let eth = if w.scale() == 0 { Decimal::from_i128_with_scale(w.mantissa(), 18) } else { eth };
                p.amount = Some(eth.normalize());
                p.initiation = Initiation::Dynamic;
            }
        }
        Some("transfer") => {
            // ERC-20: the target is the token contract, the payee is `address`, the amount `uint256` in token units.
            p.payee.accounts.push(Account { scheme: "ethereum".into(), kind: "token_contract".into(), value: target.into() });
            let to = params.iter().find(|(k, _)| k == "address").map(|(_, v)| v.clone());
            match to {
                Some(a) => {
                    let kind = eth_target(&a, qpos, "address").unwrap_or("address");
                    p.payee.accounts.insert(0, Account { scheme: "ethereum".into(), kind: kind.into(), value: a });
                }
                None => return Err(err(ErrorCode::MissingTag, qpos, "address", "ERC-20 transfer without a recipient (address=)")),
            }
            if let Some((_, u)) = params.iter().find(|(k, _)| k == "uint256") {
                let units = eth_number(u).ok_or_else(|| err(ErrorCode::NonNumericAmount, qpos, "uint256", format!("token amount must be a number, found {u:?}")))?;
                p.references.message = Some(format!("ERC-20 transfer of {units} base units (token decimals unknown)"));
                p.initiation = Initiation::Dynamic;
                warn(&mut p.warnings, WarningCode::TokenUnits, Some("uint256"), "token amount is in the token's base units; the wallet shows the real amount");
            }
        }
        Some(f) => {
            p.payee.accounts.push(Account { scheme: "ethereum".into(), kind: "contract".into(), value: target.into() });
            warn(&mut p.warnings, WarningCode::ContractCall, Some("function_name"), format!("calls contract function {f}: check in the wallet what it does"));
            p.references.purpose = Some(f.to_string());
        }
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    #[test]
    fn addresses() {
        assert_eq!(super::btc_address_network("1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH"), Some("bitcoin"));
        assert_eq!(super::btc_address_network("1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMJ"), None);
        assert_eq!(super::btc_address_network("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"), Some("bitcoin"));
        assert_eq!(super::btc_address_network("bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297"), Some("bitcoin"));
        assert_eq!(super::btc_address_network("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx"), Some("testnet"));
    }

    #[test]
    fn encoders_invert_the_decoders() {
        use super::*;
        let (hrp, data, v) = bech32_decode("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4").unwrap();
        assert_eq!(bech32_encode(&hrp, &data, v), "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
        let (hrp, data, v) = bech32_decode("bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297").unwrap();
        assert_eq!(v, Bech32Variant::Bech32m);
        assert_eq!(bech32_encode(&hrp, &data, v), "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297");
        let body = base58check("1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH").unwrap();
        assert_eq!(base58check_encode(&body), "1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH");
        assert_eq!(base58check_encode(&[0u8; 21]).chars().take(1).collect::<String>(), "1");
        // Unknown fallback versions (19-31) are skipped, as BOLT11 requires.
        assert_eq!(fallback_address("bitcoin", 19, &[0; 32]), None);
    }

    #[test]
    fn eip55() {
        assert!(super::eip55_ok("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"));
        assert!(!super::eip55_ok("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"));
    }
}
