//! The rules of issue 13 (docs/payload-policy.md), one test each: what is refused, what is read with a
//! warning, and what is reported.

mod common;

use common::{pay, refused, vector_starting, vector_with, with_crc};
use interpay::payload::{self, Code, ErrorCode, Payment, WarningCode};

fn warned(p: &Payment, code: WarningCode, tag: &str) -> bool {
    p.warnings.iter().any(|w| w.code == code && w.tag.as_deref() == Some(tag))
}

fn account<'a>(p: &'a Payment, kind: &str) -> Option<&'a str> {
    p.payee.accounts.iter().find(|a| a.kind == kind).map(|a| a.value.as_str())
}

/// TLV object.
fn t(id: &str, v: &str) -> String {
    format!("{id}{:02}{v}", v.chars().count())
}

const NODE: &str = "03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad";
/// BOLT11 examples (tests/data, from the spec's Examples section).
const LOW_S: &str = "lnbc1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpl2pkx2ctnv5sxxmmwwd5kgetjypeh2ursdae8g6twvus8g6rfwvs8qun0dfjkxaq9qrsgq357wnc5r2ueh7ck6q93dj32dlqnls087fxdwk8qakdyafkq3yap9us6v52vjjsrvywa6rt52cm9r9zqt8r2t7mlcwspyetp5h2tztugp9lfyql";

#[test]
fn bolt11_high_s_is_accepted_and_recovers_the_same_payee() {
    let low = pay(LOW_S);
    let high = pay(&vector_starting("lnbc1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpl2pkx2ctnv5sxxmmwwd5kgetjypeh2ursdae8g6twvus8g6rfwvs8qun0dfjkxaq9qrsgq357wnc5r2ueh7ck6q93dj32dlqnls087fxdwk8qakdyafkq3yap2r09"));
    assert_eq!(account(&low, "node_id"), Some(NODE));
    assert_eq!(account(&high, "node_id"), Some(NODE));
    // With an n field the signature must be low-S.
    let e = refused(&vector_starting("lnbc25m1p70xwfz"));
    assert_eq!(e.code, ErrorCode::BadSignature);
    assert!(e.message.contains("high-S"), "{e}");
}

#[test]
fn bolt11_unknown_even_feature_missing_secret_and_fallbacks() {
    let e = refused(&vector_starting("lnbc25m1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5vdhkven9v5sxyetpdeessp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygs9q4ps"));
    assert_eq!((e.code, e.tag.as_deref()), (ErrorCode::UnknownFeature, Some("9")));
    assert!(e.message.contains("bit 100"), "the unknown bit is named: {e}");
    // Odd unknown bit 99: ignored.
    pay(&vector_starting("lnbc25m1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5vdhkven9v5sxyetpdeessp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygs9q5sqqqqqqqqqqqqqqqqsgq2a25"));
    let e = refused(&vector_starting("lnbc20m1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqhp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqs9qrsgq7ea976"));
    assert_eq!((e.code, e.tag.as_deref()), (ErrorCode::MissingTag, Some("s")));
    // Fallback addresses are reported as the addresses a wallet pays, with their kind.
    for (start, kind, addr) in [
        ("lntb20m1pvjluezsp5", "fallback_p2pkh", "mk2QpYatsKicvFVuTAQLBryyccRXMUaGHP"),
        ("fppj3a24vwu6r8ejrss3axul8rxldph2q7z9", "fallback_p2sh", "3EktnHQD7RiAE6uzMj2ZifT9YgRrkSgzQX"),
        ("fp4pptdvg0d2nj99568qn6ssdy4cygnwuxgw2ukmnwgwz7jpqjz2kszs", "fallback_p2tr", "bc1pptdvg0d2nj99568qn6ssdy4cygnwuxgw2ukmnwgwz7jpqjz2kszse2s3lm"),
    ] {
        let p = pay(&if start.starts_with("ln") { vector_starting(start) } else { vector_with(start) });
        assert_eq!(account(&p, kind), Some(addr), "{start}");
    }
}

#[test]
fn bip21_offers_and_conflicts() {
    let p = pay("bitcoin:?lno=lno1zcss9mk8y3wkklfvevcrszlmu23kfrxh49px20665dqwmn4p72pksese");
    assert_eq!(account(&p, "bolt12_offer"), Some("lno1zcss9mk8y3wkklfvevcrszlmu23kfrxh49px20665dqwmn4p72pksese"));
    assert!(p.schemes.iter().any(|s| s.id == "lightning"));
    let e = refused(&vector_starting("bitcoin:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4?amount=0.03"));
    assert_eq!((e.code, e.tag.as_deref()), (ErrorCode::PaymentConflict, Some("lightning.amount")));
    assert!(e.message.contains("0.03") && e.message.contains("0.02"), "both amounts are named: {e}");
    let e = refused(&vector_starting("bitcoin:1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH?amount=0.02&lightning="));
    assert_eq!(e.tag.as_deref(), Some("lightning.f"));
    assert!(e.message.contains("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"), "{e}");
    let e = refused(&vector_starting("bitcoin:tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx?lightning="));
    assert_eq!(e.tag.as_deref(), Some("lightning.network"));
    // Agreeing parts: one payment, both ways to pay it.
    let p = pay(&vector_starting("bitcoin:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4?amount=0.02"));
    assert_eq!(p.schemes.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["bitcoin", "lightning"]);
}

#[test]
fn emv_mandatory_fields() {
    let e = refused(&with_crc(&[t("00", "01"), t("01", "11"), t("52", "5812"), t("53", "156"), t("58", "CN"), t("59", "SHOP"), t("60", "SHANGHAI")].concat()));
    assert_eq!(e.code, ErrorCode::MissingMerchantAccount);
    let e = refused(&with_crc(&[t("00", "01"), t("15", "6220123456789012"), t("52", "5812"), t("53", "156"), t("59", "SHOP"), t("60", "SHANGHAI")].concat()));
    assert_eq!((e.code, e.tag.as_deref()), (ErrorCode::MissingTag, Some("58")));
    // A missing name, city or MCC is a warning (PromptPay, PayNow and QRIS generators omit them) …
    let p = pay(&with_crc(&[t("00", "01"), t("15", "6220123456789012"), t("53", "156"), t("58", "CN")].concat()));
    for tag in ["52", "59", "60"] {
        assert!(warned(&p, WarningCode::MissingMandatoryTag, tag), "{tag}: {:?}", p.warnings);
    }
    // … and so is a long one (Vietnamese utility bills carry 31-character names).
    let long = "TONG CONG TY DIEN LUC TP HA NOI";
    let p = pay(&with_crc(&[t("00", "01"), t("15", "6220123456789012"), t("53", "156"), t("58", "CN"), t("59", long), t("60", "SHANGHAI PUDONG NEW")].concat()));
    assert_eq!(p.payee.name.as_deref(), Some(long));
    assert!(warned(&p, WarningCode::TooLong, "59") && warned(&p, WarningCode::TooLong, "60"), "{:?}", p.warnings);
}

#[test]
fn khqr_timestamps_and_lengths() {
    let base = |extra: &[String], poi: &str| with_crc(&[&[t("00", "01"), t("01", poi), t("29", &t("00", "sokha_chan@aclb")), t("52", "5999"), t("53", "116")][..], extra].concat().concat());
    // Static: a creation timestamp that is not 13 digits is a warning.
    let p = pay(&base(&[t("58", "KH"), t("59", "Sokha Chan"), t("60", "Phnom Penh"), t("99", &t("00", "17268219157"))], "11"));
    assert!(warned(&p, WarningCode::BadTimestamp, "99.00"), "{:?}", p.warnings);
    // Dynamic: refused (its expiry depends on it).
    let dynamic = base(&[t("54", "100"), t("58", "KH"), t("59", "Sokha Chan"), t("60", "Phnom Penh"), t("99", &[t("00", "17268219157"), t("01", "1726822035797")].concat())], "12");
    let e = payload::parse_at(&dynamic, Some(1_726_821_915_797)).unwrap_err();
    assert_eq!((e.code, e.tag.as_deref()), (ErrorCode::BadTimestamp, Some("99.00")));
    // KHQR keeps its own 25-character name limit.
    let e = refused(&base(&[t("58", "KH"), t("59", "Sokha Chan Trading Company"), t("60", "Phnom Penh")], "11"));
    assert_eq!((e.code, e.tag.as_deref()), (ErrorCode::TooLong, Some("59")));
}

#[test]
fn pix_txid_and_paynow_vpa() {
    // The central bank's BR Code example: txid with a hyphen, read with a warning.
    let p = pay(&vector_starting("00020104141234567890123426580014BR.GOV.BCB.PIX0136123e4567-e12b-12d1-a456-42665544000027300012BR.COM.OUTRO011001234567895204000053039865406123.455802BR5917NOME DO RECEBEDOR6008BRASILIA61087007490062"));
    assert_eq!(p.references.txid.as_deref(), Some("RP12345678-2019"));
    assert!(warned(&p, WarningCode::BadSchemeField, "62.05"));
    let paynow = |kind: &str| with_crc(&[t("00", "01"), t("26", &[t("00", "SG.PAYNOW"), t("01", kind), t("02", "201234567A#WISE")].concat()), t("52", "0000"), t("53", "702"), t("58", "SG"), t("59", "SHOP"), t("60", "Singapore")].concat());
    assert_eq!(account(&pay(&paynow("3")), "vpa"), Some("201234567A#WISE"));
    assert_eq!(refused(&paynow("4")).code, ErrorCode::BadSchemeField);
}

#[test]
fn epc_purpose_is_four_characters() {
    let epc = |purpose: &str| format!("BCD\n002\n1\nSCT\n\nRed Cross\nBE72000000001616\nEUR10.00\n{purpose}\n\nDonation");
    assert_eq!(pay(&epc("CHAR")).references.purpose.as_deref(), Some("CHAR"));
    assert!(pay(&epc("")).references.purpose.is_none());
    for bad in ["ABC", "CHARITY", "CH R"] {
        let e = refused(&epc(bad));
        assert_eq!((e.code, e.tag.as_deref()), (ErrorCode::BadSchemeField, Some("purpose")), "{bad:?}");
    }
}

#[test]
fn a_lookalike_alipay_link_is_never_an_alipay_payment() {
    for link in ["https://evil.com\\@qr.alipay.com/bax01234", "https://qr.alipay.com@evil.com/bax01234", "https://qr.alipay.com.evil.com/bax01234"] {
        match payload::parse(link) {
            Ok(Code::NotPayment(n)) => assert!(n.warnings.iter().any(|w| w.code == WarningCode::LookalikeDomain), "{link}: {n:?}"),
            other => panic!("{link}: {other:?}"),
        }
        assert_eq!(payload::parse_as("alipay", link).unwrap_err().code, ErrorCode::WrongFormat);
    }
}
