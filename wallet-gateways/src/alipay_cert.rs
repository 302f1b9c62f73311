//! Alipay public-key-certificate mode (公钥证书模式): the certificate serial numbers requests carry.
//!
//! As Alipay's official SDKs compute them:
//! - alipay-sdk-java-all `AntCertificationUtil.getCertSN` / `getRootCertSN`:
//!   `MD5(cert.getIssuerX500Principal().getName() + cert.getSerialNumber())` as 32 lower-case hex
//!   digits (`fillMD5` pads the leading zeros `BigInteger.toString(16)` drops); the issuer DN in Java's
//!   RFC 2253 form (last RDN first, `type=value` joined by `,`), the serial in decimal;
//! - alipay-sdk-nodejs-all `src/antcertutil.ts` `getCertSN`: the same (issuer attributes `reduceRight`
//!   into `shortName=value,`, serial `BigNumber(hex, 16).toString(10)`);
//! - the root SN (`alipay_root_cert_sn`): every certificate of `alipayRootCert.crt` whose *signature*
//!   algorithm OID starts with `1.2.840.113549.1.1` (RSA signatures: the bundle's SHA-1 and SHA-256 RSA
//!   roots; the ECC / SM2 ones are left out), their SNs joined with `_` in file order.
//!
//! `app_cert_sn` is the SN of `appCertPublicKey_<appid>.crt`; answers carry `alipay_cert_sn`, the SN
//! of `alipayCertPublicKey_RSA2.crt`, whose public key verifies them.

use crate::keys::PublicKey;
use crate::{Error, Result};
use md5::{Digest, Md5};
use x509_cert::der::{Decode, Encode, Tag, Tagged};

/// The RSA signature algorithms' arc (PKCS #1).
const RSA_SIGNATURE_ARC: &str = "1.2.840.113549.1.1";

fn certificates(pem_text: &str) -> Result<Vec<x509_cert::Certificate>> {
    let blocks = pem::parse_many(pem_text.trim()).map_err(|e| Error::Key(format!("bad PEM: {e}")))?;
    let certs: Vec<_> = blocks
        .iter()
        .filter(|b| b.tag() == "CERTIFICATE")
        .map(|b| x509_cert::Certificate::from_der(b.contents()).map_err(|e| Error::Key(format!("bad certificate: {e}"))))
        .collect::<Result<_>>()?;
    if certs.is_empty() {
        return Err(Error::Key("no CERTIFICATE block".into()));
    }
    Ok(certs)
}

/// Java's RFC 2253 keyword of an attribute type (`X500Principal.getName()`), else the dotted OID.
fn keyword(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.4.3" => "CN",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.9" => "STREET",
        "0.9.2342.19200300.100.1.25" => "DC",
        "0.9.2342.19200300.100.1.1" => "UID",
        _ => return None,
    })
}

/// RFC 2253 §2.4 escaping of an attribute value string.
fn escape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let n = v.chars().count();
    for (i, c) in v.chars().enumerate() {
        let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';') || (i == 0 && (c == '#' || c == ' ')) || (i + 1 == n && c == ' ');
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn attribute_value(any: &x509_cert::der::Any) -> Option<String> {
    let bytes = any.value();
    match any.tag() {
        Tag::Utf8String | Tag::PrintableString | Tag::Ia5String | Tag::TeletexString | Tag::VisibleString => String::from_utf8(bytes.to_vec()).ok(),
        Tag::BmpString => {
            let units: Vec<u16> = bytes.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            String::from_utf16(&units).ok()
        }
        _ => None,
    }
}

/// The issuer DN as Java's `X500Principal.getName()` (RFC 2253) prints it.
pub fn rfc2253(name: &x509_cert::name::Name) -> Result<String> {
    let mut rdns = Vec::new();
    for rdn in name.0.iter().rev() {
        let mut parts = Vec::new();
        for atv in rdn.0.iter() {
            let oid = atv.oid.to_string();
            let part = match (keyword(&oid), attribute_value(&atv.value)) {
                (Some(k), Some(v)) => format!("{k}={}", escape(&v)),
                // Other types (or values that are not strings): OID=#hex of the value's DER, as Java does.
                _ => {
                    let der = atv.value.to_der().map_err(|e| Error::Key(format!("bad name attribute: {e}")))?;
                    format!("{oid}=#{}", der.iter().map(|b| format!("{b:02x}")).collect::<String>())
                }
            };
            parts.push(part);
        }
        rdns.push(parts.join("+"));
    }
    Ok(rdns.join(","))
}

/// A big-endian unsigned integer in decimal (what `BigInteger.toString()` prints for the serial).
pub fn decimal(be: &[u8]) -> String {
    let mut digits: Vec<u8> = Vec::new(); // little-endian base 10
    for &byte in be {
        let mut carry = u32::from(byte);
        for d in digits.iter_mut() {
            let v = u32::from(*d) * 256 + carry;
            *d = (v % 10) as u8;
            carry = v / 10;
        }
        while carry > 0 {
            digits.push((carry % 10) as u8);
            carry /= 10;
        }
    }
    if digits.is_empty() {
        return "0".into();
    }
    digits.iter().rev().map(|d| char::from(b'0' + d)).collect()
}

fn cert_sn_of(c: &x509_cert::Certificate) -> Result<String> {
    let tbs = &c.tbs_certificate;
    let text = format!("{}{}", rfc2253(&tbs.issuer)?, decimal(tbs.serial_number.as_bytes()));
    Ok(Md5::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect())
}

/// `app_cert_sn` / `alipay_cert_sn`: the SN of the (first) certificate in `pem_text`.
pub fn cert_sn(pem_text: &str) -> Result<String> {
    cert_sn_of(&certificates(pem_text)?[0])
}

/// `alipay_root_cert_sn`: the SNs of the bundle's RSA-signed certificates, joined with `_`.
pub fn root_cert_sn(pem_text: &str) -> Result<String> {
    let mut sns = Vec::new();
    for c in certificates(pem_text)? {
        if c.signature_algorithm.oid.to_string().starts_with(RSA_SIGNATURE_ARC) {
            sns.push(cert_sn_of(&c)?);
        }
    }
    if sns.is_empty() {
        return Err(Error::Key("no RSA-signed certificate in the root bundle".into()));
    }
    Ok(sns.join("_"))
}

/// What public-key-certificate mode adds to a configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertMode {
    pub app_cert_sn: String,
    pub alipay_root_cert_sn: String,
    /// The SN of the Alipay certificate whose key we verify with (answers name theirs in `alipay_cert_sn`).
    pub alipay_cert_sn: String,
}

impl CertMode {
    /// From the three files Alipay's console hands out: `appCertPublicKey_<appid>.crt`,
    /// `alipayRootCert.crt`, `alipayCertPublicKey_RSA2.crt`. Answers the mode and Alipay's public key
    /// (from its certificate).
    pub fn from_pems(app_cert: &str, root_cert: &str, alipay_cert: &str) -> Result<(CertMode, PublicKey)> {
        let mode = CertMode { app_cert_sn: cert_sn(app_cert)?, alipay_root_cert_sn: root_cert_sn(root_cert)?, alipay_cert_sn: cert_sn(alipay_cert)? };
        Ok((mode, PublicKey::from_pem(alipay_cert)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_serials() {
        assert_eq!(decimal(&[]), "0");
        assert_eq!(decimal(&[0x00]), "0");
        assert_eq!(decimal(&[0x01, 0x00]), "256");
        assert_eq!(decimal(&[0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), u64::MAX.to_string());
        // 0x20200514E63C2FE04D538716FE21358B (alipay-sdk-nodejs-all's alipayCertPublicKey_RSA2.crt)
        assert_eq!(decimal(&0x20200514E63C2FE04D538716FE21358Bu128.to_be_bytes()), 0x20200514E63C2FE04D538716FE21358Bu128.to_string());
    }

    #[test]
    fn rfc2253_escapes() {
        assert_eq!(escape("a,b+c"), "a\\,b\\+c");
        assert_eq!(escape(" #x "), "\\ #x\\ ");
        assert_eq!(escape("#x"), "\\#x");
        assert_eq!(escape("Root R1 (TEST ONLY)"), "Root R1 (TEST ONLY)");
    }
}
