//! Text fidelity: ECI designators (UTF-8, ISO-8859-1, GB18030/GBK, Shift-JIS), Kanji mode, and
//! byte payloads without ECI; decoded, never garbled.

mod common;

use common::qr::render_code;
use interpay::decode::{decode, DecodeOptions};
use qrcode::bits::Bits;
use qrcode::{EcLevel, QrCode, Version};

fn read_all(bits: Bits) -> interpay::decode::Decoded {
    let code = QrCode::with_bits(bits, EcLevel::M).expect("fits");
    let img = render_code(&code, 4, 4);
    let mut got = decode(img.luma(), &DecodeOptions::default());
    assert_eq!(got.len(), 1, "one code");
    got.remove(0)
}

fn read(bits: Bits) -> (String, Vec<u8>) {
    let d = read_all(bits);
    (d.text, d.bytes)
}

#[test]
fn eci_segments_use_their_own_charsets() {
    let mut bits = Bits::new(Version::Normal(6));
    // ECI 29 (GB18030): "北京" in GBK bytes.
    let (gbk, _, _) = encoding_rs::GBK.encode("北京");
    bits.push_eci_designator(29).unwrap();
    bits.push_byte_data(&gbk).unwrap();
    // ECI 3 (ISO-8859-1): "café".
    bits.push_eci_designator(3).unwrap();
    bits.push_byte_data(b"caf\xe9").unwrap();
    // ECI 26 (UTF-8): "¥12".
    bits.push_eci_designator(26).unwrap();
    bits.push_byte_data("¥12".as_bytes()).unwrap();
    bits.push_terminator(EcLevel::M).unwrap();
    let (text, bytes) = read(bits);
    assert_eq!(text, "北京café¥12");
    // The raw bytes are kept as encoded, for callers that need them.
    let mut want = gbk.to_vec();
    want.extend_from_slice(b"caf\xe9");
    want.extend_from_slice("¥12".as_bytes());
    assert_eq!(bytes, want);
}

#[test]
fn kanji_mode_is_decoded_from_shift_jis() {
    let mut bits = Bits::new(Version::Normal(3));
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("支払い");
    bits.push_kanji_data(&sjis).unwrap();
    bits.push_byte_data(b" OK").unwrap();
    bits.push_terminator(EcLevel::M).unwrap();
    let (text, _) = read(bits);
    assert_eq!(text, "支払い OK");
}

#[test]
fn utf8_without_eci_is_utf8() {
    let mut bits = Bits::new(Version::Normal(4));
    bits.push_byte_data("https://pay.example/店?amt=12.50".as_bytes()).unwrap();
    bits.push_terminator(EcLevel::M).unwrap();
    assert_eq!(read(bits).0, "https://pay.example/店?amt=12.50");
}

#[test]
fn latin1_without_eci_falls_back_to_iso_8859_1() {
    let mut bits = Bits::new(Version::Normal(2));
    bits.push_byte_data(b"Z\xfcrich").unwrap();
    bits.push_terminator(EcLevel::M).unwrap();
    assert_eq!(read(bits).0, "Zürich");
}

#[test]
fn numeric_and_alphanumeric_segments() {
    let mut bits = Bits::new(Version::Normal(3));
    bits.push_alphanumeric_data(b"PAY:").unwrap();
    bits.push_numeric_data(b"0123456789").unwrap();
    bits.push_terminator(EcLevel::M).unwrap();
    assert_eq!(read(bits).0, "PAY:0123456789");
}

#[test]
fn charset_is_reported() {
    let mut bits = Bits::new(Version::Normal(3));
    let (gbk, _, _) = encoding_rs::GBK.encode("北京");
    bits.push_eci_designator(29).unwrap();
    bits.push_byte_data(&gbk).unwrap();
    bits.push_terminator(EcLevel::M).unwrap();
    let d = read_all(bits);
    assert_eq!((d.text.as_str(), d.charset.as_str()), ("北京", "eci:29"));

    let mut bits = Bits::new(Version::Normal(2));
    bits.push_byte_data(b"Z\xfcrich").unwrap();
    bits.push_terminator(EcLevel::M).unwrap();
    assert_eq!(read_all(bits).charset, "iso-8859-1");

    let mut bits = Bits::new(Version::Normal(2));
    bits.push_byte_data("¥".as_bytes()).unwrap();
    bits.push_terminator(EcLevel::M).unwrap();
    assert_eq!(read_all(bits).charset, "utf-8");
}
