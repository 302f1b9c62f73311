//! Alipay public-key-certificate mode: the serial numbers as Alipay's SDKs compute them (known
//! answers from alipay-sdk-nodejs-all's own test fixtures), and requests / answers against the mock.

use wallet_gateways::alipay::{verify_response_cert, Alipay, TradeCreate};
use wallet_gateways::alipay_cert::{cert_sn, root_cert_sn, CertMode};
use wallet_gateways::keys::{PrivateKey, PublicKey};
use wallet_gateways::mock;
use wallet_gateways::Error;

// alipay-sdk-nodejs-all test/fixtures (public certificates of Alipay's sandbox), and the answers its
// test/antcertutil.test.ts expects for them.
const SDK_APP_CERT: &str = include_str!("data/alipay-sdk-nodejs-all/appCertPublicKey_2021001161683774.crt");
const SDK_ALIPAY_CERT: &str = include_str!("data/alipay-sdk-nodejs-all/alipayCertPublicKey_RSA2.crt");
const SDK_APP_CERT_SN: &str = "866efef280dec9137a87d047ac446315";
const SDK_ALIPAY_CERT_SN: &str = "7513daaaa48aa3ba2e4018d84402479c";
const SDK_ALIPAY_PUBLIC_KEY: &str = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAhoVesfcGvUv1XvUndmX0rmSZ/2posJBCooySbSVFpV79RtHMzrVz2aKkC3WvOXeT5iNeQK4mK8gp3vNkWrHTkQGx5BcmkeO1WS384CQde7dAS0gmxeFs5bs+cCQqV2A2c2R9/5rJMtFtp1Ot/rIiMBUn6Ei0UoztM7AneavqQEzSwYlCKNhPFFtHCiz7u4O5R9CIyvUmYr+zpem2HXBN9ygPAZ0aXBQipGbc45+G07ZCNsmY4hV/Igya1aBf+Ye8p10Ew8uBBri0sIknhSC2LqKKy2IH1fO6q1d1jhN240QRHvbpRNv60kAfZsEulBASBrCMBi49NiJyr5nre7SNywIDAQAB";

#[test]
fn cert_sn_known_answers_from_alipays_sdk() {
    assert_eq!(cert_sn(SDK_APP_CERT).unwrap(), SDK_APP_CERT_SN);
    assert_eq!(cert_sn(SDK_ALIPAY_CERT).unwrap(), SDK_ALIPAY_CERT_SN);
    // The key that verifies answers is the certificate's (loadPublicKey in the same SDK).
    assert_eq!(PublicKey::from_pem(SDK_ALIPAY_CERT).unwrap(), PublicKey::from_pem(SDK_ALIPAY_PUBLIC_KEY).unwrap());
    assert!(cert_sn("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----").is_err());
}

#[test]
fn root_cert_sn_takes_the_rsa_signed_certificates_only() {
    // md5("CN=Interpay Mock Alipay Root R1 (TEST ONLY),OU=Certification Authority,O=Interpay Mock,C=CN" + "23071"),
    // computed apart (Python hashlib): the ECC root of the bundle is left out, as the SDKs leave out
    // the ECC / SM2 roots of alipayRootCert.crt.
    assert_eq!(root_cert_sn(mock::ALIPAY_ROOT_CERT).unwrap(), "22982798cfd1d814ae9ff1d075ab4675");
    // Two RSA roots are joined with "_" in file order.
    let two = format!("{}\n{}", mock::ALIPAY_ROOT_CERT, SDK_ALIPAY_CERT);
    assert_eq!(root_cert_sn(&two).unwrap(), format!("22982798cfd1d814ae9ff1d075ab4675_{SDK_ALIPAY_CERT_SN}"));
    // The issuer DN, last RDN first, and the serial 0x2026120200000002 in decimal.
    assert_eq!(cert_sn(mock::ALIPAY_APP_CERT).unwrap(), "18f4e9c44e940af5bf866faf90703cce");
    let ecc_only: String = mock::ALIPAY_ROOT_CERT.split_inclusive("-----END CERTIFICATE-----").nth(1).unwrap().to_string();
    assert!(matches!(root_cert_sn(&ecc_only), Err(Error::Key(_))));
}

#[tokio::test]
async fn certificate_mode_requests_carry_both_sns_and_answers_name_alipays_certificate() {
    let m = mock::start("127.0.0.1:0").await.unwrap();
    let cfg = mock::alipay_cert_config(&m.base);
    let mode = cfg.cert_mode.clone().unwrap();
    assert_eq!((mode.app_cert_sn.as_str(), mode.alipay_root_cert_sn.as_str()), ("18f4e9c44e940af5bf866faf90703cce", "22982798cfd1d814ae9ff1d075ab4675"));
    let ali = Alipay::new(cfg.clone()).unwrap();
    // Both SNs are request parameters, inside the signature.
    let p = ali.signed_params("alipay.trade.query", None, &[], wallet_gateways::time::now_secs()).unwrap();
    assert_eq!(p["app_cert_sn"], mode.app_cert_sn);
    assert_eq!(p["alipay_root_cert_sn"], mode.alipay_root_cert_sn);
    let t = TradeCreate { out_trade_no: "o_cert".into(), total_amount: "1.00".into(), subject: "cert".into(), buyer_open_id: Some("oBuyer".into()), ..Default::default() };
    let trade_no = ali.trade_create(&t).await.unwrap();
    assert_eq!(ali.query("o_cert").await.unwrap().trade_no, trade_no);

    // Another app certificate than the one Alipay holds for this app: refused by the gateway.
    let mut wrong = cfg.clone();
    wrong.cert_mode.as_mut().unwrap().app_cert_sn = SDK_APP_CERT_SN.into();
    assert!(matches!(Alipay::new(wrong).unwrap().query("o_cert").await, Err(Error::Vendor { code, .. }) if code == "isv.app-cert-sn-mismatch"));
    let mut wrong = cfg.clone();
    wrong.cert_mode.as_mut().unwrap().alipay_root_cert_sn = "687b59193f3f462dd5336e5abf83c5d8".into();
    assert!(matches!(Alipay::new(wrong).unwrap().query("o_cert").await, Err(Error::Vendor { code, .. }) if code == "isv.alipay-root-cert-sn-mismatch"));
    // An answer naming another Alipay certificate than ours is not believed.
    let mut other = cfg.clone();
    other.cert_mode.as_mut().unwrap().alipay_cert_sn = SDK_ALIPAY_CERT_SN.into();
    assert!(matches!(Alipay::new(other).unwrap().query("o_cert").await, Err(Error::UnknownSerial(sn)) if sn == mode.alipay_cert_sn));
    // Public-key mode against the same gateway still works (no SNs sent, none answered).
    assert_eq!(Alipay::new(mock::alipay_config(&m.base)).unwrap().query("o_cert").await.unwrap().trade_no, trade_no);
}

#[test]
fn certificate_mode_answer_checks() {
    let alipay = PrivateKey::from_pem(mock::ALIPAY_PLATFORM_KEY).unwrap();
    let (mode, key) = CertMode::from_pems(mock::ALIPAY_APP_CERT, mock::ALIPAY_ROOT_CERT, mock::ALIPAY_CERT).unwrap();
    assert_eq!(key, alipay.public_key(), "the mock Alipay certificate carries the mock Alipay key");
    let inner = r#"{"code":"10000","msg":"Success","trade_no":"2026","out_trade_no":"o1"}"#;
    let sign = alipay.sign(inner.as_bytes()).unwrap();
    let with = |sn: &str| format!(r#"{{"alipay_trade_query_response":{inner},"alipay_cert_sn":"{sn}","sign":"{sign}"}}"#);
    assert_eq!(verify_response_cert(&key, "alipay.trade.query", &with(&mode.alipay_cert_sn), &mode.alipay_cert_sn).unwrap()["trade_no"], "2026");
    assert_eq!(verify_response_cert(&key, "alipay.trade.query", &with("x"), &mode.alipay_cert_sn), Err(Error::UnknownSerial("x".into())));
    let none = format!(r#"{{"alipay_trade_query_response":{inner},"sign":"{sign}"}}"#);
    assert!(matches!(verify_response_cert(&key, "alipay.trade.query", &none, &mode.alipay_cert_sn), Err(Error::Signature(_))));
}
