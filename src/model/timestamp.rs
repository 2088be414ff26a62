//! Reading and writing the timestamps of project files quickly.
//!
//! Every annotation carries two timestamps, so a project of a million annotations holds two
//! million. Gloss writes them to the second in UTC (`2026-11-26T11:06:40Z`, see
//! [`now`](super::now)), and that one shape is read and written here by plain arithmetic; any
//! other RFC 3339 text (an offset, a fraction of a second) goes to `jiff`, which gives the same
//! result for the shape handled here.

use jiff::Timestamp;
use serde::{Deserializer, Serializer};

/// The length of `YYYY-MM-DDTHH:MM:SSZ`.
const LENGTH: usize = 20;

/// Deserializes a timestamp (use with `#[serde(deserialize_with = …)]`).
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
    struct TimestampVisitor;

    impl serde::de::Visitor<'_> for TimestampVisitor {
        type Value = Timestamp;

        fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            formatter.write_str("an RFC 3339 timestamp")
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Timestamp, E> {
            match parse_whole_seconds(text) {
                Some(timestamp) => Ok(timestamp),
                None => text.parse().map_err(E::custom),
            }
        }
    }

    deserializer.deserialize_str(TimestampVisitor)
}

/// Serializes a timestamp as `jiff` does (use with `#[serde(serialize_with = …)]`).
pub(crate) fn serialize<S: Serializer>(timestamp: &Timestamp, serializer: S) -> Result<S::Ok, S::Error> {
    match format_whole_seconds(*timestamp) {
        Some(bytes) => serializer.serialize_str(std::str::from_utf8(&bytes).unwrap_or_default()),
        None => serializer.collect_str(timestamp),
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` read by arithmetic; `None` for any other text, or a date that does not
/// exist.
fn parse_whole_seconds(text: &str) -> Option<Timestamp> {
    let bytes: &[u8; LENGTH] = text.as_bytes().try_into().ok()?;
    let separators_in_place = bytes[4] == b'-' && bytes[7] == b'-' && bytes[10] == b'T' && bytes[13] == b':' && bytes[16] == b':';
    if !separators_in_place || bytes[19] != b'Z' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| {
        bytes.get(range)?.iter().try_fold(0_i64, |value, &byte| byte.is_ascii_digit().then(|| value * 10 + i64::from(byte - b'0')))
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    let valid = (1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day) && hour < 24 && minute < 60 && second < 60;
    if !valid {
        return None;
    }
    Timestamp::from_second(days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second).ok()
}

/// A timestamp of whole seconds in years 0 to 9999 as `YYYY-MM-DDTHH:MM:SSZ`; `None` for any
/// other (which `jiff` writes).
pub(crate) fn format_whole_seconds(timestamp: Timestamp) -> Option<[u8; LENGTH]> {
    if timestamp.subsec_nanosecond() != 0 {
        return None;
    }
    let seconds = timestamp.as_second();
    let (days, of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    if !(0..=9999).contains(&year) {
        return None;
    }
    let mut bytes = *b"0000-00-00T00:00:00Z";
    let mut put_two = |at: usize, value: i64| {
        if let (Some(slot), Ok(value)) = (bytes.get_mut(at..at + 2), u8::try_from(value)) {
            slot.copy_from_slice(&[b'0' + value / 10, b'0' + value % 10]);
        }
    };
    put_two(0, year / 100);
    put_two(2, year % 100);
    put_two(5, month);
    put_two(8, day);
    put_two(11, of_day / 3_600);
    put_two(14, of_day / 60 % 60);
    put_two(17, of_day % 60);
    Some(bytes)
}

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`: years counted from March, so the leap day ends a year).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date `days` after 1970-01-01, as year, month and day (the inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    (year_of_era + era * 400 + i64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    /// A timestamp field read and written through this module.
    #[derive(Debug, PartialEq, serde::Serialize, Deserialize)]
    struct Stamped {
        #[serde(serialize_with = "super::serialize", deserialize_with = "super::deserialize")]
        at: Timestamp,
    }

    #[test]
    fn reads_and_writes_gloss_timestamps() {
        let json = r#"{"at":"2026-11-26T11:06:40Z"}"#;
        let stamped: Stamped = serde_json::from_str(json).expect("valid");
        assert_eq!(stamped.at, "2026-11-26T11:06:40Z".parse::<Timestamp>().expect("valid"));
        assert_eq!(serde_json::to_string(&stamped).ok().as_deref(), Some(json));
    }

    #[test]
    fn other_shapes_go_to_jiff_and_bad_ones_fail() {
        for (text, expected) in
            [("2024-02-29T23:59:59+01:00", "2024-02-29T22:59:59Z"), ("2024-03-01T00:00:00.5Z", "2024-03-01T00:00:00.5Z")]
        {
            let stamped: Stamped = serde_json::from_str(&format!(r#"{{"at":"{text}"}}"#)).expect(text);
            assert_eq!(stamped.at.to_string(), expected);
            assert_eq!(serde_json::to_string(&stamped).ok(), Some(format!(r#"{{"at":"{expected}"}}"#)));
        }
        for bad in ["2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01", "yesterday", ""] {
            assert!(serde_json::from_str::<Stamped>(&format!(r#"{{"at":"{bad}"}}"#)).is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<Stamped>(r#"{"at":5}"#).is_err());
    }

    proptest::proptest! {
        /// Any whole second from year 0 to 9999 reads and writes as `jiff` reads and writes it.
        #[test]
        fn agrees_with_jiff(second in -62_167_219_200_i64..253_402_300_800) {
            let timestamp = Timestamp::from_second(second).expect("in range");
            let text = timestamp.to_string();
            let formatted = format_whole_seconds(timestamp).expect("whole seconds");
            proptest::prop_assert_eq!(std::str::from_utf8(&formatted).ok(), Some(text.as_str()));
            proptest::prop_assert_eq!(parse_whole_seconds(&text), Some(timestamp));
        }

        /// Any text of the right length is read as `jiff` reads it, or left to `jiff`.
        #[test]
        fn reads_valid_dates_as_jiff_does(text in "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z") {
            if let Some(timestamp) = parse_whole_seconds(&text) {
                proptest::prop_assert_eq!(text.parse::<Timestamp>().ok(), Some(timestamp));
            }
        }
    }
}
