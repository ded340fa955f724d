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

    /// The value as a `toml_edit` value; `None` for [`Value::Other`] text that does not parse.
    pub(crate) fn to_toml(&self) -> Option<toml_edit::Value> {
        Some(match self {
            Value::Bool(b) => (*b).into(),
            Value::String(s) => s.as_str().into(),
            Value::Integer(i) => (*i).into(),
            Value::Float(f) => (*f).into(),
            Value::Other(text) => text.parse().ok()?,
        })
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
