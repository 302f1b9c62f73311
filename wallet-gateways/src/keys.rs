//! Keys and certificates: RSA private keys (PKCS#8 or PKCS#1, PEM or bare base64 as Alipay's tools
//! print them), public keys (SubjectPublicKeyInfo, PKCS#1, or an X.509 certificate), SHA256withRSA
//! (PKCS#1 v1.5) signatures in base64, and [`Secret`] strings. `Debug` never shows key material.

use crate::{Error, Result};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ring::signature::{self, KeyPair, RsaKeyPair, UnparsedPublicKey};
use std::sync::Arc;

/// A secret string (APIv3 key, app secret): `Debug` prints `Secret(***)`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }
    /// The secret itself: only for the crypto or the request that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// An RSA private key that signs SHA256withRSA (PKCS#1 v1.5).
#[derive(Clone)]
pub struct PrivateKey(Arc<RsaKeyPair>);

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PrivateKey(RSA-{}, redacted)", self.0.public().modulus_len() * 8)
    }
}

fn der_blocks(text: &str) -> Result<Vec<(String, Vec<u8>)>> {
    let t = text.trim();
    if t.starts_with("-----BEGIN") {
        let blocks = pem::parse_many(t).map_err(|e| Error::Key(format!("bad PEM: {e}")))?;
        if blocks.is_empty() {
            return Err(Error::Key("no PEM block".into()));
        }
        Ok(blocks.into_iter().map(|b| (b.tag().to_string(), b.contents().to_vec())).collect())
    } else {
        // Bare base64 (Alipay's key tool, one line or several).
        let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        let der = B64.decode(compact).map_err(|_| Error::Key("neither PEM nor base64 DER".into()))?;
        Ok(vec![(String::new(), der)])
    }
}

impl PrivateKey {
    /// `-----BEGIN PRIVATE KEY-----` (PKCS#8), `-----BEGIN RSA PRIVATE KEY-----` (PKCS#1), or bare base64 of either.
    pub fn from_pem(text: &str) -> Result<PrivateKey> {
        let (tag, der) = der_blocks(text)?.into_iter().next().ok_or_else(|| Error::Key("empty".into()))?;
        let pair = match tag.as_str() {
            "PRIVATE KEY" => RsaKeyPair::from_pkcs8(&der),
            "RSA PRIVATE KEY" => RsaKeyPair::from_der(&der),
            "" => RsaKeyPair::from_pkcs8(&der).or_else(|_| RsaKeyPair::from_der(&der)),
            other => return Err(Error::Key(format!("a {other:?} PEM block is not an RSA private key"))),
        }
        .map_err(|e| Error::Key(format!("not a usable RSA private key: {e}")))?;
        Ok(PrivateKey(Arc::new(pair)))
    }

    /// base64(SHA256withRSA(message)).
    pub fn sign(&self, message: &[u8]) -> Result<String> {
        let mut sig = vec![0u8; self.0.public().modulus_len()];
        self.0
            .sign(&signature::RSA_PKCS1_SHA256, &ring::rand::SystemRandom::new(), message, &mut sig)
            .map_err(|_| Error::Key("signing failed".into()))?;
        Ok(B64.encode(sig))
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey { pkcs1: Arc::new(self.0.public_key().as_ref().to_vec()) }
    }
}

/// An RSA public key that verifies SHA256withRSA (PKCS#1 v1.5), 2048 bits or more.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    /// PKCS#1 `RSAPublicKey` DER (what ring takes).
    pkcs1: Arc<Vec<u8>>,
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({} bytes DER)", self.pkcs1.len())
    }
}

const RSA_ENCRYPTION: spki::ObjectIdentifier = spki::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

fn from_spki(der: &[u8]) -> Result<PublicKey> {
    use spki::der::Decode;
    let info = spki::SubjectPublicKeyInfoRef::from_der(der).map_err(|e| Error::Key(format!("bad SubjectPublicKeyInfo: {e}")))?;
    spki_key(&info)
}

fn spki_key(info: &spki::SubjectPublicKeyInfoRef<'_>) -> Result<PublicKey> {
    if info.algorithm.oid != RSA_ENCRYPTION {
        return Err(Error::Key(format!("not an RSA key (algorithm {})", info.algorithm.oid)));
    }
    let bits = info.subject_public_key.as_bytes().ok_or_else(|| Error::Key("odd-length key bits".into()))?;
    Ok(PublicKey { pkcs1: Arc::new(bits.to_vec()) })
}

impl PublicKey {
    /// `-----BEGIN PUBLIC KEY-----` (SPKI), `-----BEGIN RSA PUBLIC KEY-----` (PKCS#1),
    /// `-----BEGIN CERTIFICATE-----` (its key), or bare base64 SPKI (Alipay's public key as shown in its console).
    pub fn from_pem(text: &str) -> Result<PublicKey> {
        let (tag, der) = der_blocks(text)?.into_iter().next().ok_or_else(|| Error::Key("empty".into()))?;
        match tag.as_str() {
            "PUBLIC KEY" | "" => from_spki(&der),
            "RSA PUBLIC KEY" => Ok(PublicKey { pkcs1: Arc::new(der) }),
            "CERTIFICATE" => Ok(Certificate::from_der(&der)?.key),
            other => Err(Error::Key(format!("a {other:?} PEM block is not a public key"))),
        }
    }

    /// Whether `signature_b64` is a valid SHA256withRSA signature of `message`.
    pub fn verify(&self, message: &[u8], signature_b64: &str) -> bool {
        let Ok(sig) = B64.decode(signature_b64.trim()) else { return false };
        UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, self.pkcs1.as_slice()).verify(message, &sig).is_ok()
    }
}

/// An X.509 certificate's serial (upper-case hex, no leading zeros: how WeChat Pay names it in
/// `Wechatpay-Serial` and `serial_no`) and public key.
#[derive(Debug, Clone)]
pub struct Certificate {
    pub serial: String,
    pub key: PublicKey,
}

impl Certificate {
    pub fn from_pem(text: &str) -> Result<Certificate> {
        let (tag, der) = der_blocks(text)?.into_iter().next().ok_or_else(|| Error::Key("empty".into()))?;
        if tag != "CERTIFICATE" {
            return Err(Error::Key(format!("expected a CERTIFICATE PEM block, got {tag:?}")));
        }
        Certificate::from_der(&der)
    }

    pub fn from_der(der: &[u8]) -> Result<Certificate> {
        use x509_cert::der::{Decode, Encode};
        let cert = x509_cert::Certificate::from_der(der).map_err(|e| Error::Key(format!("bad certificate: {e}")))?;
        let tbs = &cert.tbs_certificate;
        let hex: String = tbs.serial_number.as_bytes().iter().map(|b| format!("{b:02X}")).collect();
        let serial = hex.trim_start_matches('0').to_string();
        let spki_der = tbs.subject_public_key_info.to_der().map_err(|e| Error::Key(format!("bad certificate key: {e}")))?;
        Ok(Certificate { serial: if serial.is_empty() { "0".into() } else { serial }, key: from_spki(&spki_der)? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Known answer: wechatpay-go `utils/sign_test.go` (Tencent's SDK) signs "source" with its testing
    /// key and expects this signature (PKCS#1 v1.5 is deterministic).
    const WECHATPAY_GO_TEST_KEY: &str = "-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDZUJN33V+dSfvd
fL0Mu+39XrZNXFFMQSy1V15FpncHeV47SmV0TzTqZc7hHB0ddqAdDi8Z5k3TKqb7
6sOwYr5TcAfuR6PIPaleyE0/0KrljBum2Isa2Nyq7Dgc3ElBQ6YN4l/a+DpvKaz1
FSKmKrhLNskqokWVSlu4g8OlKlbPXQ9ibII14MZRQrrkTmHYHzfi7GXXM0thAKuR
0HNvyhTHBh4/lrYM3GaMvmWwkwvsMavnOex6+eioZHBOb1/EIZ/LzC6zuHArPpyW
3daGaZ1rtQB1vVzTyERAVVFsXXgBHvfFud3w3ShsJYk8JvMwK2RpJ5/gV0QSARcm
LDRUAlPzAgMBAAECggEBAMc7rDeUaXiWv6bMGbZ3BTXpg1FhdddnWUnYE8HfX/km
OFI7XtBHXcgYFpcjYz4D5787pcsk7ezPidAj58zqenuclmjKnUmT3pfbI5eCA2v4
C9HnbYDrmUPK1ZcADtka4D6ScDccpNYNa1g2TFHzkIrEa6H+q7S3O2fqxY/DRVtN
0JIXalBb8daaqL5QVzSmM2BMVnHy+YITJWIkP2a3pKs9C0W65JGDsnG0wVrHinHF
+cnhFZIbaPEI//DAFMc9NkrWOKVRTEgcCUxCFaHOZVNxDWZD7A2ZfJB2rK6eg//y
gEiFDR2h6mTaDowMB4YF2n2dsIO4/dCG8vPHI20jn4ECgYEA/ZGu6lEMlO0XZnam
AZGtiNgLcCfM/C2ZERZE7QTRPZH1WdK92Al9ndldsswFw4baJrJLCmghjF/iG4zi
hhBvLnOLksnZUfjdumxoHDWXo2QBWbI5QsWIE7AuTiWgWj1I7X4fCXSQf6i+M/y2
6TogQ7d0ANpZFyOkTNMn/tiJvLECgYEA22XqlamG/yfAGWery5KNH2DGlTIyd6xJ
WtJ9j3jU99lZ0bCQ5xhiBbU9ImxCi3zgTsoqLWgA/p00HhNFNoUcTl9ofc0G3zwT
D1y0ZzcnVKxGJdZ6ohW52V0hJStAigtjYAsUgjm7//FH7PiQDBDP1Wa6xSRkDQU/
aSbQxvEE8+MCgYEA3bb8krW7opyM0XL9RHH0oqsFlVO30Oit5lrqebS0oHl3Zsr2
ZGgoBlWBsEzk3UqUhTFwm/DhJLTSJ/TQPRkxnhQ5/mewNhS9C7yua7wQkzVmWN+V
YeUGTvDGDF6qDz12/vJAgSwDDRym8x4NcXD5tTw7mmNRcwIfL22SkysThIECgYAV
BgccoEoXWS/HP2/u6fQr9ZIR6eV8Ij5FPbZacTG3LlS1Cz5XZra95UgebFFUHHtC
EY1JHJY7z8SWvTH8r3Su7eWNaIAoFBGffzqqSVazfm6aYZsOvRY6BfqPHT3p/H1h
Tq6AbBffxrcltgvXnCTORjHPglU0CjSxVs7awW3AEQKBgB5WtaC8VLROM7rkfVIq
+RXqE5vtJfa3e3N7W3RqxKp4zHFAPfr82FK5CX2bppEaxY7SEZVvVInKDc5gKdG/
jWNRBmvvftZhY59PILHO2X5vO4FXh7suEjy6VIh0gsnK36mmRboYIBGsNuDHjXLe
BDa+8mDLkWu5nHEhOxy2JJZl
-----END PRIVATE KEY-----";
    const WECHATPAY_GO_EXPECTED: &str = "BKyAfU4iMCuvXMXS0Wzam3V/cnxZ+JaqigPM5OhljS2iOT95OO6Fsuml2JkFANJU9K6q9bLlDhPXuoVz+pp4hAm6pHU4ld815U4jsKu1RkyaII+1CYBUYC8TK0XtJ8FwUXXz8vZHh58rrAVN1XwNyvD1vfpxrMT4SL536GLwvpUHlCqIMzoZUguLli/K8V29QiOhuH6IEqLNJn8e9b3nwNcQ7be3CzYGpDAKBfDGPCqCv8Rw5zndhlffk2FEA70G4hvMwe51qMN/RAJbknXG23bSlObuTCN7Ndj1aJGH6/L+hdwfLpUtJm4QYVazzW7DFD27EpSQEqA8bX9+8m1rLg==";

    #[test]
    fn sha256_with_rsa_known_answer() {
        let k = PrivateKey::from_pem(WECHATPAY_GO_TEST_KEY).unwrap();
        assert_eq!(k.sign(b"source").unwrap(), WECHATPAY_GO_EXPECTED);
        assert!(k.public_key().verify(b"source", WECHATPAY_GO_EXPECTED));
        assert!(!k.public_key().verify(b"sourcE", WECHATPAY_GO_EXPECTED));
        assert!(!k.public_key().verify(b"source", "not base64!"));
    }

    #[test]
    fn key_forms() {
        // Bare base64 PKCS#8 (Alipay's tool) parses like the PEM.
        let body: String = WECHATPAY_GO_TEST_KEY.lines().filter(|l| !l.starts_with("-----")).collect();
        let k = PrivateKey::from_pem(&body).unwrap();
        assert_eq!(k.sign(b"source").unwrap(), WECHATPAY_GO_EXPECTED);
        assert!(format!("{k:?}").contains("redacted") && !format!("{k:?}").contains("MII"));
        let cert = Certificate::from_pem(include_str!("mock/keys/wechat_platform.cert.pem")).unwrap();
        assert_eq!(cert.serial, "5157F09EFDC096DE15EBE81A47057A7232F1B8E1");
        assert_eq!(cert.key, PublicKey::from_pem(include_str!("mock/keys/wechat_platform.pub.pem")).unwrap());
        assert!(PublicKey::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----").is_err());
        assert!(PrivateKey::from_pem("garbage").is_err());
        assert_eq!(format!("{:?}", Secret::new("k")), "Secret(***)");
    }
}
