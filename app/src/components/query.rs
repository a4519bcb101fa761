//! Query strings for the links the pages build (filters, paging, exports): one encoder, so
//! every link reads back the same through the router's query map.

use std::fmt;

/// A query string under construction (without the `?`). Pairs keep their order; a pair with
/// an empty value is left out, since every filter reads a missing key as "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryString(String);

impl QueryString {
    pub fn new() -> Self {
        Self::default()
    }

    /// All `pairs`, in order, the empty ones left out.
    pub fn from_pairs<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        pairs.into_iter().fold(Self::new(), |query, (key, value)| {
            query.with(key.as_ref(), value.as_ref())
        })
    }

    /// Adds `key=value`, both percent-encoded, unless `value` is empty.
    pub fn with(mut self, key: &str, value: &str) -> Self {
        if !value.is_empty() {
            if !self.0.is_empty() {
                self.0.push('&');
            }
            self.0.push_str(&encode(key));
            self.0.push('=');
            self.0.push_str(&encode(value));
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A link to `path` with this query (`path` alone when there is nothing to add).
    pub fn href(&self, path: &str) -> String {
        if self.0.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{}", self.0)
        }
    }
}

impl fmt::Display for QueryString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Percent-encodes everything but the unreserved characters of RFC 3986 (so a space is
/// `%20`, never `+`, and `&`, `=`, `#` and non-ASCII letters cannot break the query).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_are_left_out_and_the_rest_is_percent_encoded() {
        let query = QueryString::new()
            .with("text", "")
            .with("city", "San Martín & Co=1")
            .with("page", "2");
        assert_eq!(
            query.as_str(),
            "city=San%20Mart%C3%ADn%20%26%20Co%3D1&page=2"
        );
        assert_eq!(query.href("/contactos"), format!("/contactos?{query}"));
        assert_eq!(QueryString::new().href("/auditoria"), "/auditoria");
    }

    #[test]
    fn pairs_keep_their_order() {
        let query = QueryString::from_pairs([("b", "2"), ("a", "1"), ("c", "")]);
        assert_eq!(query.to_string(), "b=2&a=1");
        assert_eq!(encode("a.b_c-d~e+f"), "a.b_c-d~e%2Bf");
    }
}
