//! A point in time as the marketplace sends it: ISO-8601 text or epoch milliseconds.

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use ts_rs::TS;

/// Always serialized as ISO-8601 UTC with milliseconds (`2026-11-26T06:49:09.823Z`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, TS)]
#[ts(type = "string")]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    pub fn now() -> Self {
        Self(Utc::now())
    }

    pub fn from_millis(ms: i64) -> Option<Self> {
        Utc.timestamp_millis_opt(ms).single().map(Self)
    }

    pub fn millis(&self) -> i64 {
        self.0.timestamp_millis()
    }

    pub fn to_iso(&self) -> String {
        self.0.to_rfc3339_opts(SecondsFormat::Millis, true)
    }

    pub fn parse_iso(text: &str) -> Option<Self> {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|d| Self(d.with_timezone(&Utc)))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_iso())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ISO-8601 date string or epoch milliseconds")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Timestamp::parse_iso(v)
                    .ok_or_else(|| E::custom(format!("not an ISO-8601 date: {v:?}")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timestamp, E> {
                Timestamp::from_millis(v)
                    .ok_or_else(|| E::custom(format!("epoch milliseconds out of range: {v}")))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
                let ms = i64::try_from(v).map_err(|_| E::custom("epoch milliseconds too large"))?;
                self.visit_i64(ms)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Timestamp, E> {
                if !v.is_finite() || v.abs() > 8.64e15 {
                    return Err(E::custom("epoch milliseconds out of range"));
                }
                // JS `Date.now()` is integral, but a float sneaks in through some JSON encoders.
                #[allow(clippy::cast_possible_truncation)]
                self.visit_i64(v as i64)
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_iso_and_epoch_millis() {
        let iso: Timestamp = serde_json::from_str("\"2026-11-26T06:49:09.823Z\"").expect("iso");
        let ms: Timestamp = serde_json::from_str("1795675749823").expect("ms");
        assert_eq!(iso, ms);
        let offset: Timestamp =
            serde_json::from_str("\"2026-11-26T07:49:09.823+01:00\"").expect("offset");
        assert_eq!(offset, iso);
        assert_eq!(
            serde_json::to_string(&iso).expect("ser"),
            "\"2026-11-26T06:49:09.823Z\""
        );
    }

    #[test]
    fn rejects_garbage() {
        assert!(serde_json::from_str::<Timestamp>("\"yesterday\"").is_err());
        assert!(serde_json::from_str::<Timestamp>("true").is_err());
        assert!(serde_json::from_str::<Timestamp>("1e300").is_err());
        assert!(serde_json::from_str::<Timestamp>("99999999999999999999").is_err());
    }
}
