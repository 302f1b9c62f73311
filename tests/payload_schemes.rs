//! Scheme profiles: every wallet family a code can be paid with, and the accounts each names.

mod common;

use common::pay;
use interpay::payload::{self, Code, ErrorCode, Payment};

/// The payload of the vector with this `id`.
fn vector(id: &str) -> String {
    common::vectors().into_iter().find(|v| v["id"] == id).unwrap_or_else(|| panic!("no vector {id}"))["payload"].as_str().unwrap().to_string()
}

fn ids(p: &Payment) -> Vec<&str> {
    p.schemes.iter().map(|s| s.id.as_str()).collect()
}

fn account<'a>(p: &'a Payment, scheme: &str, kind: &str) -> Option<&'a str> {
    p.payee.accounts.iter().find(|a| a.scheme == scheme && a.kind == kind).map(|a| a.value.as_str())
}

#[test]
fn multi_scheme_codes_list_every_family() {
    // SGQR label: registry first, then the wallets whose templates it carries.
    assert_eq!(ids(&pay(&vector("sgqr-64"))), ["sgqr", "grabpay", "dash", "nets", "emvco"]);
    // Bharat QR: card networks, RuPay, IMPS account and UPI VPA.
    let p = pay(&vector("upi-bharatqr-80"));
    for s in ["visa", "mastercard", "rupay", "upi"] {
        assert!(ids(&p).contains(&s), "{s} missing from {:?}", ids(&p));
    }
    assert_eq!(account(&p, "upi", "vpa"), Some("razorpaybqr@icici"));
    // QRIS acquirer template of an Indonesian wallet: payable by every QRIS wallet.
    assert_eq!(ids(&pay(&vector("qris-71"))), ["qris", "shopeepay", "emvco"]);
}

#[test]
fn accounts_per_scheme() {
    let p = pay(&vector("promptpay-29"));
    assert_eq!(ids(&p)[0], "promptpay");
    assert_eq!(account(&p, "promptpay", "phone"), Some("+66801234567"));
    assert_eq!(account(&pay(&vector("promptpay-31")), "promptpay", "national_id"), Some("1111111111111"));
    assert_eq!(account(&pay(&vector("promptpay-33")), "promptpay", "ewallet_id"), Some("012345678901234"));
    let p = pay(&vector("sgqr-paynow-62"));
    assert_eq!(account(&p, "paynow", "uen"), Some("200002150HWCF"));
    let p = pay(&vector("vietqr-52"));
    assert_eq!(account(&p, "vietqr", "bank_bin"), Some("970422"));
    assert_eq!(account(&p, "vietqr", "account"), Some("660704060000129"));
    let p = pay(&vector("qrph-54"));
    assert_eq!(account(&p, "qrph", "bic"), Some("GXCHPHM2XXX"));
    let p = pay(&vector("hk-fps-67"));
    assert_eq!(account(&p, "fps", "mobile"), Some("+852-67891234"));
    let p = pay(&vector("duitnow-133"));
    assert_eq!(account(&p, "duitnow", "participant_id"), Some("501664"));
}

#[test]
fn pix_static_dynamic_and_recurrence() {
    let p = pay(&vector("pix-16"));
    assert_eq!(account(&p, "pix", "pix_key_email"), Some("thalesog@me.com"));
    assert_eq!(p.initiation, payload::Initiation::Static);
    assert_eq!(p.amount.unwrap().to_string(), "10.00");
    let p = pay(&vector("pix-19"));
    assert_eq!(p.initiation, payload::Initiation::Dynamic);
    assert_eq!(p.references.url.as_deref(), Some("https://payload.psp.com/3ec9d2f9-5f03-4e0e-820d-63a81e769e87"));
    let p = pay(&vector("pix-24"));
    assert!(p.references.recurrence_url.as_deref().unwrap().starts_with("https://qr-h.sandbox.pix.bcb.gov.br/rest/api/rec/"));
}

#[test]
fn unionpay_recognised() {
    // Primitive tag 15 (EMVCo UnionPay merchant account) and the UnionPay AID in a template.
    let with = common::with_crc;
    let p = pay(&with("000201010211151662201234567890125204581253031565802CN5904SHOP6008SHANGHAI"));
    assert_eq!(ids(&p), ["unionpay", "emvco"]);
    assert_eq!(account(&p, "unionpay", "merchant_id"), Some("6220123456789012"));
    let p = pay(&with("00020101021126300016A00000033301010101061234565204581253031565802CN5904SHOP6008SHANGHAI"));
    assert_eq!(ids(&p), ["unionpay", "emvco"]);
    assert_eq!(account(&p, "unionpay", "merchant_id"), Some("123456"));
    // UnionPay URL form.
    let p = pay("https://qr.95516.com/00010000/01213270247009520084852952021972");
    assert_eq!((p.format.as_str(), ids(&p)[0]), ("unionpay_url", "unionpay"));
}

#[test]
fn khqr_rules() {
    let k = |id| payload::parse_at(&vector(id), Some(1_726_821_915_797 + 1000));
    let Ok(Code::Payment(p)) = k("khqr-36") else { panic!() };
    assert_eq!(ids(&p)[0], "khqr");
    assert_eq!(account(&p, "khqr", "bakong_account"), Some("john_smith@devb"));
    assert_eq!(p.payee.name_alt.as_deref(), Some("ចន ស្មីន"));
    assert_eq!(k("khqr-39").unwrap_err().code, ErrorCode::MissingAmount);
    assert_eq!(k("khqr-41").unwrap_err().code, ErrorCode::MissingExpiration);
    assert_eq!(k("khqr-42").unwrap_err().code, ErrorCode::BadTimestamp);
    assert_eq!(k("khqr-44").unwrap_err().tag.as_deref(), Some("30.00"));
    assert_eq!(k("khqr-45").unwrap_err().tag.as_deref(), Some("53"));
}
