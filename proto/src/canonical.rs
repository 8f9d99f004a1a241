//! Canonical JSON: one byte sequence per JSON value, so a hash over it means the same thing on
//! the phone and on the server.
//!
//! Rules: object keys sorted by their UTF-8 bytes, no insignificant whitespace, strings escaped as
//! `serde_json` escapes them, numbers as `serde_json` prints them (integers exactly, floats in
//! shortest round-trip form). Keys are sorted here explicitly rather than relying on
//! `serde_json`'s map order, which a dependency enabling `preserve_order` would silently change.

use serde::Serialize;
use serde_json::Value;

/// A value that cannot be put into canonical form.
#[derive(Debug, thiserror::Error)]
pub enum CanonicalError {
    /// The value failed to serialise to JSON at all (e.g. a map with non-string keys).
    #[error("value is not representable as JSON: {0}")]
    NotJson(#[from] serde_json::Error),
}

/// Serialises `value` to canonical JSON text.
pub fn canonical_json<T: Serialize + ?Sized>(value: &T) -> Result<String, CanonicalError> {
    let value = serde_json::to_value(value)?;
    let mut out = String::with_capacity(128);
    write_value(&value, &mut out);
    Ok(out)
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_value(item, out);
            }
            out.push('}');
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    // serde_json's string escaping is already deterministic; reuse it rather than re-implement it.
    out.push_str(&Value::String(s.to_owned()).to_string());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_sorted_at_every_depth_and_whitespace_is_dropped() {
        let v = json!({"b": 1, "a": {"z": [true, null], "y": "x"}, "aa": 2.5});
        assert_eq!(
            canonical_json(&v).unwrap(),
            r#"{"a":{"y":"x","z":[true,null]},"aa":2.5,"b":1}"#
        );
    }

    #[test]
    fn equal_values_with_different_key_order_give_equal_text() {
        let a: Value = serde_json::from_str(r#"{"x":1,"y":{"q":2,"p":3}}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{ "y" : {"p":3, "q":2}, "x":1 }"#).unwrap();
        assert_eq!(canonical_json(&a).unwrap(), canonical_json(&b).unwrap());
    }

    #[test]
    fn chinese_text_and_control_characters_round_trip() {
        let v = json!({"note": "灭火器过期\n\"两个\"", "n": -7, "f": 116.397_128});
        let text = canonical_json(&v).unwrap();
        assert_eq!(
            text,
            r#"{"f":116.397128,"n":-7,"note":"灭火器过期\n\"两个\""}"#
        );
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
