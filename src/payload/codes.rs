//! The stable machine codes of [`super::ParseError::code`] and [`super::Warning::code`].
//!
//! They serialise (JSON, CLI output, wasm events) as the snake_case strings listed here; a code is never
//! renamed or reused for another meaning (the widget translates them, merchants log them). Add variants
//! at will: `ALL` lists every one (a test checks it is complete and that the serde name is `as_str`).

use serde::{Deserialize, Serialize};

macro_rules! codes {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident = $s:literal,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vm])* $var,)*
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &[Self] = &[$(Self::$var,)*];

            /// The stable snake_case name (the same string serde writes).
            pub fn as_str(&self) -> &'static str {
                match self {
                    $(Self::$var => $s,)*
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = ();
            /// The variant whose [`Self::as_str`] is `s`.
            fn from_str(s: &str) -> Result<Self, ()> {
                Self::ALL.iter().copied().find(|c| c.as_str() == s).ok_or(())
            }
        }
    };
}

codes! {
    /// Why a payment code is invalid ([`super::ParseError::code`]).
    ErrorCode {
        /// Shorter than the smallest code of its format.
        TooShort = "too_short",
        /// The format's header is missing or wrong (EMVCo ID 00, EPC "BCD", Swiss "SPC").
        BadHeader = "bad_header",
        /// A TLV ID is not two digits.
        BadTag = "bad_tag",
        /// A TLV length is not two digits, or a length is impossible.
        BadLength = "bad_length",
        /// The data ends inside a field.
        Truncated = "truncated",
        /// A present field has no value (TLV length 00, an empty code).
        EmptyValue = "empty_value",
        /// An ID or parameter appears twice.
        DuplicateTag = "duplicate_tag",
        /// EMVCo: ID 00 not first or the CRC (63) not last.
        BadOrder = "bad_order",
        /// EMVCo: no CRC (ID 63).
        MissingCrc = "missing_crc",
        /// EMVCo: the CRC is not 4 characters.
        BadCrcLength = "bad_crc_length",
        /// EMVCo: the CRC does not match (the message names expected and found).
        BadCrc = "bad_crc",
        /// EMVCo: ID 00 is not a two-digit value.
        BadFormatIndicator = "bad_format_indicator",
        /// EMVCo: ID 01 is not 11 or 12.
        BadPointOfInitiation = "bad_point_of_initiation",
        /// A merchant category code is not 4 digits.
        BadMcc = "bad_mcc",
        /// A mandatory field is absent (the tag names it).
        MissingTag = "missing_tag",
        /// EMVCo: no merchant account information at all (IDs 02-51): nobody to pay.
        MissingMerchantAccount = "missing_merchant_account",
        /// Not an ISO 4217 currency, or not one the scheme pays in.
        UnknownCurrency = "unknown_currency",
        /// An amount is not a plain decimal.
        NonNumericAmount = "non_numeric_amount",
        /// A field or the whole code is longer than its format allows.
        TooLong = "too_long",
        /// EMVCo: ID 55 is not 01, 02 or 03.
        BadTipIndicator = "bad_tip_indicator",
        /// EMVCo: ID 57 is not between 00.01 and 99.99.
        BadPercentage = "bad_percentage",
        /// A country is not ISO 3166-1 alpha-2.
        BadCountry = "bad_country",
        /// EMVCo 64.00 is not an ISO 639 two-letter code.
        BadLanguage = "bad_language",
        /// A scheme profile's rule is broken (PIX, PromptPay, KHQR, EPC identification …).
        BadSchemeField = "bad_scheme_field",
        /// A dynamic code that must carry an amount does not (KHQR).
        MissingAmount = "missing_amount",
        /// A dynamic KHQR without its expiry (99.01).
        MissingExpiration = "missing_expiration",
        /// A KHQR timestamp is not 13 digits.
        BadTimestamp = "bad_timestamp",
        /// The code has expired and its scheme refuses it (KHQR).
        Expired = "expired",
        /// An IBAN fails its format or checksum.
        BadIban = "bad_iban",
        /// A payment reference fails its check (Swiss QR reference, ISO 11649).
        BadReference = "bad_reference",
        /// An amount is out of its format's range.
        BadAmount = "bad_amount",
        /// EPC / Swiss: unsupported character set.
        BadCharset = "bad_charset",
        /// EPC / Swiss: unsupported version.
        UnsupportedVersion = "unsupported_version",
        /// Swiss QR-bill: the EPD trailer is missing.
        BadTrailer = "bad_trailer",
        /// A crypto address fails its checksum or format.
        BadAddress = "bad_address",
        /// A checksum fails (bech32, EIP-55).
        BadChecksum = "bad_checksum",
        /// bech32 with both lower and upper case.
        MixedCase = "mixed_case",
        /// A character outside the format's alphabet.
        BadCharacter = "bad_character",
        /// BOLT11: unknown currency prefix.
        UnknownNetwork = "unknown_network",
        /// BOLT11: no signature.
        MissingSignature = "missing_signature",
        /// BOLT11: the signature is invalid or does not match the payee node key.
        BadSignature = "bad_signature",
        /// BOLT11: an even (required) feature bit this reader does not know (the message names it).
        UnknownFeature = "unknown_feature",
        /// BIP21: the on-chain part and the `lightning=` invoice disagree (amount, network or fallback
        /// address; the tag and message say which): wallets refuse such a URI.
        PaymentConflict = "payment_conflict",
        /// A request the engine does not support (upi://collect, BIP21 req- parameters …).
        Unsupported = "unsupported",
        /// Not shaped like its format at all.
        BadFormat = "bad_format",
        /// `parse_as`: the text is another kind of code.
        WrongFormat = "wrong_format",
        /// `generate`: a negative amount.
        NegativeAmount = "negative_amount",
        /// The reading needs a check this build leaves out (a non-ASCII or punycode host, a BOLT11
        /// signature, an EIP-55 checksum: `payload::deep`); the decoder worker reads the text again with
        /// the reader's full module. Never a verdict on the code.
        DeepCheckNeeded = "deep_check_needed",
    }
}

codes! {
    /// Why a code that parses looks wrong ([`super::Warning::code`]).
    WarningCode {
        /// An amount of 0 on a static code (or a non-EMVCo format).
        AmountZero = "amount_zero",
        /// A dynamic code with amount 0: the merchant probably forgot the amount.
        AmountZeroDynamic = "amount_zero_dynamic",
        /// A dynamic code without an amount: the shopper types it.
        DynamicWithoutAmount = "dynamic_without_amount",
        /// The country does not use the currency.
        CountryCurrencyMismatch = "country_currency_mismatch",
        /// The scheme belongs to another country.
        CountrySchemeMismatch = "country_scheme_mismatch",
        /// A host imitates a payment provider (also on `NotPayment` URLs).
        LookalikeDomain = "lookalike_domain",
        /// A URL is not HTTPS.
        InsecureUrl = "insecure_url",
        /// An EMVCo mandatory tag real generators omit (52, 59, 60, PIX 62-05).
        MissingMandatoryTag = "missing_mandatory_tag",
        /// No merchant account information (IDs 02-51). No longer produced: such a code is refused
        /// (`ErrorCode::MissingMerchantAccount`); kept so the name stays reserved.
        MissingMerchantAccount = "missing_merchant_account",
        /// An EMVCo template 26-51 without a GUID (sub-ID 00).
        MissingGuid = "missing_guid",
        /// EMVCo payload format indicator other than "01" (DuitNow "02").
        FormatIndicator = "format_indicator",
        /// TLV lengths count UTF-8 bytes (VietQR generators); accepted because the CRC confirms it.
        LengthCountsBytes = "length_counts_bytes",
        /// EMVCo CRC written in lowercase hex.
        CrcLowercase = "crc_lowercase",
        /// More decimals than the currency has.
        AmountPrecision = "amount_precision",
        /// A field or the payload is longer than the spec allows, accepted as real generators write it.
        TooLong = "too_long",
        /// EMVCo 62-09 is not made of A, M, E.
        BadConsumerDataRequest = "bad_consumer_data_request",
        /// An advisory scheme-profile rule (the message says which).
        BadSchemeField = "bad_scheme_field",
        /// A two-letter country that is not ISO 3166-1.
        UnknownCountry = "unknown_country",
        /// A text field contains control characters.
        ControlCharacters = "control_characters",
        /// EMVCo 56/57 without tip indicator 55.
        OrphanFee = "orphan_fee",
        /// Expired (PayNow, BOLT11): the wallet will probably refuse it.
        Expired = "expired",
        /// PayNow: the payer may edit the amount.
        AmountEditable = "amount_editable",
        /// Only one wallet app can pay it (wxp://, weixin://).
        WalletOnly = "wallet_only",
        /// Not per its spec, read anyway (bitcoin://).
        NonCompliant = "non_compliant",
        /// EIP-681 prefix other than pay-.
        UnknownPrefix = "unknown_prefix",
        /// An unknown query parameter (UPI).
        UnknownParameter = "unknown_parameter",
        /// EIP-681 ERC-20 amount in base units.
        TokenUnits = "token_units",
        /// EIP-681 call of a contract function.
        ContractCall = "contract_call",
        /// A reference fails its check digit (EPC ISO 11649).
        BadReference = "bad_reference",
        /// A timestamp a static code does not need is malformed (KHQR 99.00), read anyway.
        BadTimestamp = "bad_timestamp",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant is in ALL exactly once, its serde name is `as_str`, and `from_str` inverts it.
    fn check<T: Copy + Eq + std::hash::Hash + std::fmt::Debug + Serialize + std::str::FromStr + std::fmt::Display>(all: &[T], as_str: fn(&T) -> &'static str, variants: Vec<T>) {
        let set: std::collections::HashSet<T> = all.iter().copied().collect();
        assert_eq!(set.len(), all.len(), "duplicate in ALL");
        let every: std::collections::HashSet<T> = variants.into_iter().collect();
        assert_eq!(set, every, "ALL differs from the variants");
        let names: std::collections::HashSet<&str> = all.iter().map(as_str).collect();
        assert_eq!(names.len(), all.len(), "two variants share a name");
        for c in all {
            assert_eq!(serde_json::to_value(c).unwrap(), serde_json::Value::String(as_str(c).into()), "{c:?}");
            assert_eq!(c.to_string(), as_str(c));
            assert!(as_str(c).bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{c:?}");
            assert!(as_str(c).parse::<T>().ok() == Some(*c), "{c:?}");
        }
    }

    /// Every variant, listed independently of the `codes!` macro: the generated function matches on the
    /// list exhaustively (a variant missing from it does not compile), and the list must equal ALL.
    macro_rules! every {
        ($t:ident: $($v:ident)|*) => {{
            fn exhaustive(c: $t) -> bool {
                match c {
                    $($t::$v)|* => true,
                }
            }
            let _ = exhaustive;
            vec![$($t::$v),*]
        }};
    }

    fn error_variants() -> Vec<ErrorCode> {
        every!(ErrorCode: TooShort | BadHeader | BadTag | BadLength | Truncated | EmptyValue | DuplicateTag | BadOrder | MissingCrc | BadCrcLength
            | BadCrc | BadFormatIndicator | BadPointOfInitiation | BadMcc | MissingTag | MissingMerchantAccount | UnknownCurrency | NonNumericAmount
            | TooLong | BadTipIndicator | BadPercentage | BadCountry | BadLanguage | BadSchemeField | MissingAmount | MissingExpiration
            | BadTimestamp | Expired | BadIban | BadReference | BadAmount | BadCharset | UnsupportedVersion | BadTrailer | BadAddress
            | BadChecksum | MixedCase | BadCharacter | UnknownNetwork | MissingSignature | BadSignature | UnknownFeature | PaymentConflict
            | Unsupported | BadFormat | WrongFormat | NegativeAmount | DeepCheckNeeded)
    }

    fn warning_variants() -> Vec<WarningCode> {
        every!(WarningCode: AmountZero | AmountZeroDynamic | DynamicWithoutAmount | CountryCurrencyMismatch | CountrySchemeMismatch
            | LookalikeDomain | InsecureUrl | MissingMandatoryTag | MissingMerchantAccount | MissingGuid | FormatIndicator | LengthCountsBytes
            | CrcLowercase | AmountPrecision | TooLong | BadConsumerDataRequest | BadSchemeField | UnknownCountry | ControlCharacters | OrphanFee
            | Expired | AmountEditable | WalletOnly | NonCompliant | UnknownPrefix | UnknownParameter | TokenUnits | ContractCall | BadReference
            | BadTimestamp)
    }

    #[test]
    fn error_codes_complete_and_stable() {
        check(ErrorCode::ALL, ErrorCode::as_str, error_variants());
        assert_eq!(ErrorCode::BadCrc.as_str(), "bad_crc");
        assert_eq!(serde_json::from_str::<ErrorCode>("\"bad_scheme_field\"").unwrap(), ErrorCode::BadSchemeField);
    }

    #[test]
    fn warning_codes_complete_and_stable() {
        check(WarningCode::ALL, WarningCode::as_str, warning_variants());
        assert_eq!(WarningCode::LookalikeDomain.as_str(), "lookalike_domain");
    }
}
