//! CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no xor-out), as EMVCo tag 63 requires.

const CCITT_FALSE: crc::Crc<u16> = crc::Crc::<u16>::new(&crc::CRC_16_IBM_3740);

/// CRC over the UTF-8 bytes, as 4 uppercase hex digits.
pub fn crc16_hex(data: &str) -> String {
    format!("{:04X}", CCITT_FALSE.checksum(data.as_bytes()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn check_value() {
        assert_eq!(super::crc16_hex("123456789"), "29B1");
    }
}
