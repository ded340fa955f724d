//! Typed configuration values.

use std::fmt;

/// A configuration value, typed as in TOML: a bool is a bool, not the string `"true"`.
///
/// Keys the schema knows hold [`Value::Bool`] or [`Value::String`]; the other variants let
/// [`crate::ConfigStore::entries`] report whatever else a hand-edited file contains.
///
/// Serialized (as `--json` prints it), a [`Value::Other`] is its structure: an array is an
/// array, an inline table an object, a date-time its text.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A TOML boolean.
    Bool(bool),
    /// A TOML string.
    String(String),
    /// A TOML integer.
    Integer(i64),
    /// A TOML float.
    Float(f64),
    /// Any other TOML value (datetime, array, inline table), as its TOML source text.
    Other(String),
}

impl Value {
    /// The string inside a [`Value::String`].
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The bool inside a [`Value::Bool`].
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The TOML type name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Bool(_) => "bool",
            Value::String(_) => "string",
            Value::Integer(_) => "integer",
            Value::Float(_) => "float",
            Value::Other(_) => "value",
        }
    }

    pub(crate) fn from_toml(value: &toml_edit::Value) -> Value {
        match value {
            toml_edit::Value::Boolean(b) => Value::Bool(*b.value()),
            toml_edit::Value::String(s) => Value::String(s.value().clone()),
            toml_edit::Value::Integer(i) => Value::Integer(*i.value()),
            toml_edit::Value::Float(f) => Value::Float(*f.value()),
            // The value alone: not the spacing and comment around it in the file.
            other => Value::Other(other.clone().decorated("", "").to_string()),
        }
    }

    /// The value as a `toml_edit` value ([`Value::Other`] text that is not TOML: a string).
    pub(crate) fn to_toml(&self) -> toml_edit::Value {
        match self {
            Value::Bool(b) => (*b).into(),
            Value::String(s) => s.as_str().into(),
            Value::Integer(i) => (*i).into(),
            Value::Float(f) => (*f).into(),
            Value::Other(text) => text.parse().unwrap_or_else(|_| text.as_str().into()),
        }
    }
}

impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Bool(b) => s.serialize_bool(*b),
            Value::String(text) => s.serialize_str(text),
            Value::Integer(i) => s.serialize_i64(*i),
            Value::Float(x) => s.serialize_f64(*x),
            Value::Other(text) => match text.parse::<toml_edit::Value>() {
                Ok(value) => Structured(&value).serialize(s),
                Err(_) => s.serialize_str(text),
            },
        }
    }
}

/// A TOML value serialized by its structure.
struct Structured<'a>(&'a toml_edit::Value);

impl serde::Serialize for Structured<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self.0 {
            toml_edit::Value::Array(array) => {
                let mut seq = s.serialize_seq(Some(array.len()))?;
                for item in array.iter() {
                    seq.serialize_element(&Structured(item))?;
                }
                seq.end()
            }
            toml_edit::Value::InlineTable(table) => {
                let mut map = s.serialize_map(Some(table.len()))?;
                for (key, item) in table.iter() {
                    map.serialize_entry(key, &Structured(item))?;
                }
                map.end()
            }
            toml_edit::Value::Datetime(d) => s.collect_str(d.value()),
            scalar => Value::from_toml(scalar).serialize(s),
        }
    }
}

/// Shows the value as a user types it: strings bare, everything else as TOML.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::String(s) => f.write_str(s),
            Value::Integer(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::Other(text) => f.write_str(text),
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_round_trips_through_toml_and_displays_as_typed() {
        let cases = [
            (Value::Bool(true), "true", "bool"),
            (Value::from("text"), "text", "string"),
            (Value::from(String::from("owned")), "owned", "string"),
            (Value::Integer(-3), "-3", "integer"),
            (Value::Float(0.5), "0.5", "float"),
            (Value::Other("[1, 2]".into()), "[1, 2]", "value"),
        ];
        for (value, shown, type_name) in cases {
            assert_eq!(Value::from_toml(&value.to_toml()), value);
            assert_eq!(value.to_string(), shown);
            assert_eq!(value.type_name(), type_name);
        }
        // Text that is not TOML is kept as a string rather than lost.
        assert_eq!(
            Value::Other("not toml [".into()).to_toml().as_str(),
            Some("not toml [")
        );
    }

    #[test]
    fn values_serialize_by_their_structure() {
        let doc: toml_edit::DocumentMut =
            "v = [1, \"a\", { b = true, c = [0.5] }, 1979-05-27]   # note\n"
                .parse()
                .unwrap();
        let value = Value::from_toml(doc["v"].as_value().unwrap());
        assert_eq!(
            value.to_string(),
            r#"[1, "a", { b = true, c = [0.5] }, 1979-05-27]"#
        );
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(json, r#"[1,"a",{"b":true,"c":[0.5]},"1979-05-27"]"#);
        assert_eq!(
            serde_json::to_string(&Value::Other("not toml [".into())).unwrap(),
            r#""not toml [""#
        );
        assert_eq!(
            serde_json::to_string(&[Value::Bool(true), Value::from("x")]).unwrap(),
            r#"[true,"x"]"#
        );
    }

    #[test]
    fn accessors_answer_only_their_own_type() {
        assert_eq!(Value::Bool(false).as_bool(), Some(false));
        assert_eq!(Value::Bool(false).as_str(), None);
        assert_eq!(Value::from("x").as_str(), Some("x"));
        assert_eq!(Value::from("x").as_bool(), None);
        assert_eq!(Value::Integer(1).as_str(), None);
    }
}
