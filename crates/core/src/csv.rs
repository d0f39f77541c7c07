//! Writing CSV (RFC 4180): one field, quoted only when it must be.

/// `text` as one CSV field: as it is, or — if it holds a comma, a double quote or a line
/// break — between double quotes, its double quotes doubled.
pub fn field(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\"")).into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_field_is_quoted_only_when_it_must_be() {
        assert_eq!(super::field("Ayr"), "Ayr");
        assert_eq!(super::field("Ayr, north"), "\"Ayr, north\"");
        assert_eq!(super::field("the \"new\" town"), "\"the \"\"new\"\" town\"");
        assert_eq!(super::field("two\nlines"), "\"two\nlines\"");
    }
}
