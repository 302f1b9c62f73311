//! Bits → bytes → segments: format information (BCH, ≤3 bit errors), unmasking, the zig-zag data
//! read, de-interleaving, Reed–Solomon correction over GF(256) (with a check that the error locator
//! has exactly as many roots as its degree, so overloaded blocks fail instead of miscorrecting),
//! and segment parsing with ECI (UTF-8, ISO-8859-x, Shift-JIS, GBK/GB18030, Big5, EUC-KR, UTF-16),
//! Kanji and Hanzi modes, FNC1 and structured append. Every index is checked: never panics.
//!
//! The segment structure is kept (ECI designators included) so that each byte segment is decoded
//! with its own charset.

use super::charset::{self, OnError};
use super::detector::{alignment_positions, ModuleGrid};

include!("version_table.rs");

/// Error-correction level as stored in the format information (index into the EC tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    pub ec_index: usize,
    pub mask: u8,
}

fn format_table() -> [u16; 32] {
    let mut t = [0u16; 32];
    for (d, slot) in t.iter_mut().enumerate() {
        let mut rem = (d as u32) << 10;
        for bit in (10..15).rev() {
            if rem & (1 << bit) != 0 {
                rem ^= 0x537 << (bit - 10);
            }
        }
        *slot = ((((d as u32) << 10) | rem) ^ 0x5412) as u16;
    }
    t
}

fn decode_format_bits(a: u16, b: u16) -> Option<Format> {
    let mut best = None;
    let mut best_d = 4;
    for (d, &code) in format_table().iter().enumerate() {
        for bits in [a, b] {
            let dist = (bits ^ code).count_ones();
            if dist < best_d {
                best_d = dist;
                best = Some(d);
            }
        }
    }
    best.map(|d| Format { ec_index: d >> 3, mask: (d & 7) as u8 })
}

/// Format from the copy around the top-left finder only (independent of the symbol size).
pub fn read_format_copy1(g: &dyn Fn(usize, usize) -> bool) -> Option<Format> {
    let mut a = 0u16;
    for x in 0..6 {
        a = (a << 1) | g(x, 8) as u16;
    }
    a = (a << 1) | g(7, 8) as u16;
    a = (a << 1) | g(8, 8) as u16;
    a = (a << 1) | g(8, 7) as u16;
    for y in (0..6).rev() {
        a = (a << 1) | g(8, y) as u16;
    }
    decode_format_bits(a, a)
}

/// Format from the copy beside the top-right and bottom-left finders only (depends on the size).
pub fn read_format_copy2(g: &dyn Fn(usize, usize) -> bool, size: usize) -> Option<Format> {
    let mut b = 0u16;
    for y in (size - 7..size).rev() {
        b = (b << 1) | g(8, y) as u16;
    }
    for x in size - 8..size {
        b = (b << 1) | g(x, 8) as u16;
    }
    decode_format_bits(b, b)
}

pub fn read_format(g: &dyn Fn(usize, usize) -> bool, size: usize) -> Option<Format> {
    // Copy 1 around the top-left finder; bit 14 first.
    let mut a = 0u16;
    for x in 0..6 {
        a = (a << 1) | g(x, 8) as u16;
    }
    a = (a << 1) | g(7, 8) as u16;
    a = (a << 1) | g(8, 8) as u16;
    a = (a << 1) | g(8, 7) as u16;
    for y in (0..6).rev() {
        a = (a << 1) | g(8, y) as u16;
    }
    // Copy 2: below the top-right finder (bits 14..7 ... ) and right of the bottom-left one.
    let mut b = 0u16;
    for y in (size - 7..size).rev() {
        b = (b << 1) | g(8, y) as u16;
    }
    for x in size - 8..size {
        b = (b << 1) | g(x, 8) as u16;
    }
    decode_format_bits(a, b)
}

fn mask_bit(mask: u8, y: usize, x: usize) -> bool {
    match mask {
        0 => (y + x) % 2 == 0,
        1 => y % 2 == 0,
        2 => x % 3 == 0,
        3 => (y + x) % 3 == 0,
        4 => (y / 2 + x / 3) % 2 == 0,
        5 => (y * x) % 2 + (y * x) % 3 == 0,
        6 => ((y * x) % 2 + (y * x) % 3) % 2 == 0,
        _ => ((y + x) % 2 + (y * x) % 3) % 2 == 0,
    }
}

fn function_map(version: usize) -> Vec<bool> {
    let size = 17 + 4 * version;
    let mut f = vec![false; size * size];
    let mut set = |x: usize, y: usize| {
        if let Some(c) = f.get_mut(y * size + x) {
            *c = true;
        }
    };
    for y in 0..9 {
        for x in 0..9 {
            set(x, y);
        }
    }
    for y in 0..9 {
        for x in size - 8..size {
            set(x, y);
        }
    }
    for y in size - 8..size {
        for x in 0..9 {
            set(x, y);
        }
    }
    for i in 0..size {
        set(6, i);
        set(i, 6);
    }
    let pos = alignment_positions(version);
    let n = pos.len();
    for (j, &py) in pos.iter().enumerate() {
        for (i, &px) in pos.iter().enumerate() {
            if (i == 0 && j == 0) || (i == 0 && j == n - 1) || (i == n - 1 && j == 0) {
                continue;
            }
            for y in py - 2..=py + 2 {
                for x in px - 2..=px + 2 {
                    set(x, y);
                }
            }
        }
    }
    if version >= 7 {
        for i in 0..6 {
            for k in size - 11..size - 8 {
                set(i, k);
                set(k, i);
            }
        }
    }
    f
}

/// The raw (interleaved) codewords, unmasked, in reading order.
fn read_codewords(g: &dyn Fn(usize, usize) -> bool, version: usize, mask: u8) -> Vec<u8> {
    let size = 17 + 4 * version;
    let func = function_map(version);
    let mut out = Vec::with_capacity(VERSIONS[version - 1].0 as usize);
    let mut cur = 0u8;
    let mut nbits = 0;
    let mut right = size as isize - 1;
    let mut upward = true;
    while right >= 1 {
        if right == 6 {
            right = 5;
        }
        for vert in 0..size {
            let y = if upward { size - 1 - vert } else { vert };
            for j in 0..2 {
                let x = (right - j) as usize;
                if func.get(y * size + x).copied().unwrap_or(true) {
                    continue;
                }
                let bit = g(x, y) ^ mask_bit(mask, y, x);
                cur = (cur << 1) | bit as u8;
                nbits += 1;
                if nbits == 8 {
                    out.push(cur);
                    cur = 0;
                    nbits = 0;
                }
            }
        }
        upward = !upward;
        right -= 2;
    }
    out
}

// ----------------------------------------------------------------------------------------------
// Reed–Solomon over GF(256), primitive polynomial 0x11d, generator roots α^0..α^(n-1).

struct Gf {
    exp: [u8; 512],
    log: [u8; 256],
}

static GF: Gf = Gf::new();

impl Gf {
    const fn new() -> Self {
        let mut exp = [0u8; 512];
        let mut log = [0u8; 256];
        let mut x: u16 = 1;
        let mut i = 0;
        while i < 255 {
            exp[i] = x as u8;
            log[x as usize] = i as u8;
            x <<= 1;
            if x & 0x100 != 0 {
                x ^= 0x11d;
            }
            i += 1;
        }
        while i < 512 {
            exp[i] = exp[i - 255];
            i += 1;
        }
        Gf { exp, log }
    }
    #[inline]
    fn mul(&self, a: u8, b: u8) -> u8 {
        if a == 0 || b == 0 {
            0
        } else {
            self.exp[self.log[a as usize] as usize + self.log[b as usize] as usize]
        }
    }
    #[inline]
    fn div(&self, a: u8, b: u8) -> u8 {
        if a == 0 || b == 0 {
            0
        } else {
            self.exp[(self.log[a as usize] as usize + 255 - self.log[b as usize] as usize) % 255]
        }
    }
    #[inline]
    fn pow_a(&self, e: usize) -> u8 {
        self.exp[e % 255]
    }
}

/// Corrects `block` (data + EC codewords, highest degree first) in place. None when uncorrectable.
fn rs_correct(gf: &Gf, block: &mut [u8], n_ec: usize) -> Option<usize> {
    let n = block.len();
    if n_ec == 0 || n_ec >= n || n > 255 {
        return None;
    }
    // Syndromes S_i = r(α^i).
    let mut synd = vec![0u8; n_ec];
    let mut any = false;
    for (i, s) in synd.iter_mut().enumerate() {
        let a = gf.pow_a(i);
        let mut v = 0u8;
        for &c in block.iter() {
            v = gf.mul(v, a) ^ c;
        }
        *s = v;
        any |= v != 0;
    }
    if !any {
        return Some(0);
    }
    // Berlekamp–Massey.
    let mut c = vec![0u8; n_ec + 1];
    let mut b = vec![0u8; n_ec + 1];
    c[0] = 1;
    b[0] = 1;
    let (mut l, mut m, mut bb) = (0usize, 1usize, 1u8);
    for k in 0..n_ec {
        let mut d = synd[k];
        for i in 1..=l {
            d ^= gf.mul(c[i], synd[k - i]);
        }
        if d == 0 {
            m += 1;
        } else if 2 * l <= k {
            let t = c.clone();
            let coef = gf.div(d, bb);
            for i in 0..=n_ec {
                if i + m <= n_ec {
                    c[i + m] ^= gf.mul(coef, b[i]);
                }
            }
            l = k + 1 - l;
            b = t;
            bb = d;
            m = 1;
        } else {
            let coef = gf.div(d, bb);
            for i in 0..=n_ec {
                if i + m <= n_ec {
                    c[i + m] ^= gf.mul(coef, b[i]);
                }
            }
            m += 1;
        }
    }
    if 2 * l > n_ec {
        return None;
    }
    // Chien search: error at position p (power n-1-p) when Λ(α^-(n-1-p)) = 0.
    let mut positions = Vec::with_capacity(l);
    for p in 0..n {
        let e = n - 1 - p;
        let xinv = gf.pow_a(255 - (e % 255));
        let mut v = 0u8;
        let mut xp = 1u8;
        for &ci in c.iter().take(l + 1) {
            v ^= gf.mul(ci, xp);
            xp = gf.mul(xp, xinv);
        }
        if v == 0 {
            positions.push(p);
        }
    }
    if positions.len() != l {
        return None;
    }
    // Forney: Ω(x) = S(x)Λ(x) mod x^n_ec; e = X·Ω(X⁻¹)/Λ'(X⁻¹) (with b = 0 roots).
    let mut omega = vec![0u8; n_ec];
    for i in 0..n_ec {
        let mut v = 0u8;
        for j in 0..=i.min(l) {
            v ^= gf.mul(c[j], synd[i - j]);
        }
        omega[i] = v;
    }
    for &p in &positions {
        let e = n - 1 - p;
        let x = gf.pow_a(e);
        let xinv = gf.pow_a(255 - (e % 255));
        let mut num = 0u8;
        let mut xp = 1u8;
        for &o in &omega {
            num ^= gf.mul(o, xp);
            xp = gf.mul(xp, xinv);
        }
        // Λ'(x) = Σ odd i: c_i x^(i-1).
        let mut den = 0u8;
        let mut i = 1;
        while i <= l {
            den ^= gf.mul(c[i], gf.pow_a((255 - (e % 255)) * (i - 1)));
            i += 2;
        }
        if den == 0 {
            return None;
        }
        let mag = gf.mul(x, gf.div(num, den));
        if let Some(b) = block.get_mut(p) {
            *b ^= mag;
        }
    }
    // Re-check: the corrected block must be a codeword.
    for i in 0..n_ec {
        let a = gf.pow_a(i);
        let mut v = 0u8;
        for &c in block.iter() {
            v = gf.mul(v, a) ^ c;
        }
        if v != 0 {
            return None;
        }
    }
    Some(l)
}

/// De-interleaves and corrects; returns the data codewords.
fn correct(raw: &[u8], version: usize, ec_index: usize) -> Option<Vec<u8>> {
    let (total, ecs) = VERSIONS.get(version.checked_sub(1)?)?;
    let (bs, dw, ns) = *ecs.get(ec_index)?;
    let (total, bs, dw, ns) = (*total as usize, bs as usize, dw as usize, ns as usize);
    if raw.len() < total || bs == 0 {
        return None;
    }
    let lb = total.checked_sub(bs * ns)? / (bs + 1);
    let bc = lb + ns;
    let n_ec = bs - dw;
    let mut blocks: Vec<Vec<u8>> = (0..bc).map(|i| Vec::with_capacity(if i < ns { bs } else { bs + 1 })).collect();
    let mut k = 0;
    // Data codewords: column by column; long blocks have one extra at the end.
    for j in 0..=dw {
        for (i, b) in blocks.iter_mut().enumerate() {
            let this_dw = if i < ns { dw } else { dw + 1 };
            if j < this_dw {
                b.push(*raw.get(k)?);
                k += 1;
            }
        }
    }
    for _ in 0..n_ec {
        for b in blocks.iter_mut() {
            b.push(*raw.get(k)?);
            k += 1;
        }
    }
    let gf = &GF;
    let mut data = Vec::with_capacity(total);
    for (i, b) in blocks.iter_mut().enumerate() {
        rs_correct(gf, b, n_ec)?;
        let this_dw = if i < ns { dw } else { dw + 1 };
        data.extend_from_slice(b.get(..this_dw)?);
    }
    Some(data)
}

// ----------------------------------------------------------------------------------------------
// Segments.

/// Kanji / Hanzi mode: `count` 13-bit values, each split as `(v / radix, v % radix)` and offset by
/// `low_base` below `split` (else `high_base`) into a two-byte Shift-JIS / GB2312 code.
fn double_byte_chars(bits: &mut Bits<'_>, count: usize, radix: u32, split: u32, low_base: u32, high_base: u32) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(count.saturating_mul(2));
    for _ in 0..count {
        let v = bits.take(13)?;
        let mut a = ((v / radix) << 8) | (v % radix);
        a += if a < split { low_base } else { high_base };
        out.push((a >> 8) as u8);
        out.push(a as u8);
    }
    Some(out)
}

struct Bits<'a> {
    d: &'a [u8],
    pos: usize,
}

impl Bits<'_> {
    fn left(&self) -> usize {
        (self.d.len() * 8).saturating_sub(self.pos)
    }
    fn take(&mut self, n: usize) -> Option<u32> {
        if n > 32 || self.left() < n {
            return None;
        }
        let mut v = 0u32;
        for _ in 0..n {
            let byte = *self.d.get(self.pos / 8)?;
            v = (v << 1) | ((byte >> (7 - self.pos % 8)) & 1) as u32;
            self.pos += 1;
        }
        Some(v)
    }
}

/// Decoded payload: raw bytes (concatenation of all segments as encoded) and text.
#[derive(Debug, Clone)]
pub struct Payload {
    pub bytes: Vec<u8>,
    pub text: String,
    /// True when an ECI designator fixed the charset of some byte segment.
    pub eci: bool,
    /// How the byte segments were turned into text: "utf-8", "shift_jis", "gbk",
    /// "iso-8859-1", or "eci:N" (N = the ECI assignment number); "utf-8" when there are none.
    pub charset: String,
}

fn eci_decode(eci: u32, bytes: &[u8]) -> Option<String> {
    // ECI assignment number → WHATWG label (where WHATWG maps a label to a superset, that superset).
    let label = match eci {
        3 | 1 => return Some(bytes.iter().map(|&b| b as char).collect()), // ISO-8859-1
        2 | 20 => "shift_jis",
        4 => "iso-8859-2",
        5 => "iso-8859-3",
        6 => "iso-8859-4",
        7 => "iso-8859-5",
        8 => "iso-8859-6",
        9 => "iso-8859-7",
        10 => "iso-8859-8",
        11 => "windows-1254", // ISO-8859-9 superset
        12 => "iso-8859-10",
        13 => "windows-874", // ISO-8859-11 superset
        15 => "iso-8859-13",
        16 => "iso-8859-14",
        17 => "iso-8859-15",
        18 => "iso-8859-16",
        21 => "windows-1250",
        22 => "windows-1251",
        23 => "windows-1252",
        24 => "windows-1256",
        25 => "utf-16be",
        26 => "utf-8",
        27 => return Some(bytes.iter().map(|&b| (b & 0x7f) as char).collect()),
        28 => "big5",
        29 => "gb18030",
        30 => "euc-kr",
        _ => return None,
    };
    charset::decode(label, bytes, OnError::Replace)
}

/// Parses the data codewords into bytes and text.
fn parse_segments(data: &[u8], version: usize) -> Option<Payload> {
    let mut bits = Bits { d: data, pos: 0 };
    let vclass = if version <= 9 { 0 } else if version <= 26 { 1 } else { 2 };
    let mut all = Vec::new();
    let mut text = String::new();
    let mut eci: Option<u32> = None;
    let mut any_eci = false;
    let mut fnc1 = false;
    // Bytes of consecutive byte segments without ECI are decoded together (guessed charset).
    let mut pending: Vec<u8> = Vec::new();
    let mut charset = String::from("utf-8");
    let flush = |pending: &mut Vec<u8>, text: &mut String, eci: Option<u32>, charset: &mut String| {
        if pending.is_empty() {
            return;
        }
        let s = match eci.and_then(|e| eci_decode(e, pending).map(|s| (s, e))) {
            Some((s, e)) => {
                *charset = format!("eci:{e}");
                s
            }
            None => {
                let (s, cs) = super::text::decode_text(pending);
                *charset = cs.name().to_string();
                s
            }
        };
        text.push_str(&s);
        pending.clear();
    };
    while bits.left() >= 4 {
        let mode = bits.take(4)?;
        match mode {
            0 => break,
            1 => {
                flush(&mut pending, &mut text, eci, &mut charset);
                let mut count = bits.take([10, 12, 14][vclass])? as usize;
                let mut s = String::new();
                while count >= 3 {
                    let v = bits.take(10)?;
                    if v >= 1000 {
                        return None;
                    }
                    s.push_str(&format!("{v:03}"));
                    count -= 3;
                }
                if count == 2 {
                    let v = bits.take(7)?;
                    if v >= 100 {
                        return None;
                    }
                    s.push_str(&format!("{v:02}"));
                } else if count == 1 {
                    let v = bits.take(4)?;
                    if v >= 10 {
                        return None;
                    }
                    s.push_str(&format!("{v}"));
                }
                all.extend_from_slice(s.as_bytes());
                text.push_str(&s);
            }
            2 => {
                flush(&mut pending, &mut text, eci, &mut charset);
                const ALPHA: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
                let mut count = bits.take([9, 11, 13][vclass])? as usize;
                let mut s = Vec::new();
                while count >= 2 {
                    let v = bits.take(11)? as usize;
                    s.push(*ALPHA.get(v / 45)?);
                    s.push(*ALPHA.get(v % 45)?);
                    count -= 2;
                }
                if count == 1 {
                    s.push(*ALPHA.get(bits.take(6)? as usize)?);
                }
                if fnc1 {
                    // GS1: '%' is FNC1 (0x1D), "%%" is a literal '%'.
                    let mut t = Vec::new();
                    let mut i = 0;
                    while i < s.len() {
                        if s[i] == b'%' {
                            if s.get(i + 1) == Some(&b'%') {
                                t.push(b'%');
                                i += 1;
                            } else {
                                t.push(0x1d);
                            }
                        } else {
                            t.push(s[i]);
                        }
                        i += 1;
                    }
                    s = t;
                }
                all.extend_from_slice(&s);
                text.push_str(&String::from_utf8_lossy(&s));
            }
            4 => {
                let count = bits.take(if vclass == 0 { 8 } else { 16 })? as usize;
                if bits.left() < count * 8 {
                    return None;
                }
                for _ in 0..count {
                    let b = bits.take(8)? as u8;
                    all.push(b);
                    pending.push(b);
                }
            }
            7 => {
                flush(&mut pending, &mut text, eci, &mut charset);
                let first = bits.take(8)?;
                let v = if first & 0x80 == 0 {
                    first & 0x7f
                } else if first & 0xc0 == 0x80 {
                    ((first & 0x3f) << 8) | bits.take(8)?
                } else if first & 0xe0 == 0xc0 {
                    ((first & 0x1f) << 16) | bits.take(16)?
                } else {
                    return None;
                };
                eci = Some(v);
                any_eci = true;
            }
            8 => {
                flush(&mut pending, &mut text, eci, &mut charset);
                let count = bits.take([8, 10, 12][vclass])? as usize;
                // Kanji: Shift-JIS pairs, 0x8140… and 0xC140….
                let sj = double_byte_chars(&mut bits, count, 0xc0, 0x1f00, 0x8140, 0xc140)?;
                all.extend_from_slice(&sj);
                text.push_str(&charset::decode("shift_jis", &sj, OnError::Replace).unwrap_or_default());
            }
            0xd => {
                // Hanzi (GB2312) mode, subset 1.
                flush(&mut pending, &mut text, eci, &mut charset);
                let subset = bits.take(4)?;
                let count = bits.take([8, 10, 12][vclass])? as usize;
                if subset != 1 {
                    return None;
                }
                let gb = double_byte_chars(&mut bits, count, 0x60, 0x0a00, 0xa1a1, 0xa6a1)?;
                all.extend_from_slice(&gb);
                text.push_str(&charset::decode("gbk", &gb, OnError::Replace).unwrap_or_default());
            }
            3 => {
                // Structured append: symbol index, count, parity. Content follows.
                bits.take(16)?;
            }
            5 => fnc1 = true,
            9 => {
                fnc1 = true;
                bits.take(8)?;
            }
            _ => return None,
        }
    }
    flush(&mut pending, &mut text, eci, &mut charset);
    Some(Payload { bytes: all, text, eci: any_eci, charset })
}

/// Full bit decoding of a sampled grid (tries the transposed grid for mirrored codes).
pub fn decode_grid(g: &ModuleGrid) -> Option<(Payload, usize)> {
    let size = g.size;
    if !(21..=177).contains(&size) || size % 4 != 1 {
        return None;
    }
    let version = (size - 17) / 4;
    for transposed in [false, true] {
        let get = |x: usize, y: usize| if transposed { g.get(y, x) } else { g.get(x, y) };
        let Some(f) = read_format(&get, size) else { continue };
        let raw = read_codewords(&get, version, f.mask);
        let Some(data) = correct(&raw, version, f.ec_index) else { continue };
        if let Some(p) = parse_segments(&data, version) {
            return Some((p, version));
        }
    }
    None
}

#[cfg(all(debug_assertions, not(target_arch = "wasm32")))]
pub fn debug_fmt(g: &ModuleGrid) -> String {
    let get = |x: usize, y: usize| g.get(x, y);
    match read_format(&get, g.size) {
        None => "none".into(),
        Some(f) => {
            let raw = read_codewords(&get, (g.size - 17) / 4, f.mask);
            format!("mask {} ec {} rs {}", f.mask, f.ec_index, correct(&raw, (g.size - 17) / 4, f.ec_index).is_some())
        }
    }
}
