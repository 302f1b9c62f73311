//! Clock helpers: Unix seconds, and Alipay's `yyyy-MM-dd HH:mm:ss` in Beijing time (UTC+8).

use std::time::{SystemTime, UNIX_EPOCH};

pub fn now_secs() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// (year, month, day, hour, minute, second) of Unix seconds `t` (civil-from-days, H. Hinnant).
pub fn civil(t: i64) -> (i64, i64, i64, i64, i64, i64) {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, secs / 3600, secs % 3600 / 60, secs % 60)
}

/// Alipay's `timestamp`: `yyyy-MM-dd HH:mm:ss`, China Standard Time.
pub fn alipay_timestamp(t: i64) -> String {
    let (y, m, d, h, mi, s) = civil(t + 8 * 3600);
    format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02}")
}

/// WeChat Pay's RFC 3339 time in +08:00 (`success_time`, `time_expire`).
pub fn rfc3339_cst(t: i64) -> String {
    let (y, m, d, h, mi, s) = civil(t + 8 * 3600);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}+08:00")
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats() {
        assert_eq!(super::alipay_timestamp(0), "1970-01-01 08:00:00");
        assert_eq!(super::alipay_timestamp(1_764_118_800), "2025-11-26 09:00:00");
        assert_eq!(super::rfc3339_cst(1_764_118_800), "2025-11-26T09:00:00+08:00");
    }
}
