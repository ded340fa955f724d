//! Typed configuration values.

use std::fmt;

/// A configuration value, typed as in TOML: a bool is a bool, not the string `"true"`.
///
/// Keys the schema knows hold [`Value::Bool`] or [`Value::String`]; the other variants let
/// [`crate::ConfigStore::entries`] report whatever else a hand-edited file contains.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(untagged)]
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
            other => Value::Other(other.to_string().trim().to_string()),
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
    fn accessors_answer_only_their_own_type() {
        assert_eq!(Value::Bool(false).as_bool(), Some(false));
        assert_eq!(Value::Bool(false).as_str(), None);
        assert_eq!(Value::from("x").as_str(), Some("x"));
        assert_eq!(Value::from("x").as_bool(), None);
        assert_eq!(Value::Integer(1).as_str(), None);
    }
}
