//! Escaping text from documents for XML (JUnit) and HTML: every document string passes through
//! [`escape`] before it reaches markup.

/// Escape `s` for XML/HTML text and attribute values: `& < > " '` become references, and
/// characters XML 1.0 cannot hold (most C0 controls, lone surrogates cannot occur in `str`,
/// U+FFFE, U+FFFF) become U+FFFD, so that the output always parses. Bidi controls and
/// invisible formatting characters are written visibly (`\u{202e}`), so that a reviewer reads
/// the text as it is ([`crate::visible`]).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                out.push('\u{FFFD}')
            }
            c if crate::visible::is_invisible(c) => {
                out.push_str(&crate::visible::inline(c.encode_utf8(&mut [0; 4])))
            }
            c => out.push(c),
        }
    }
    out
}

/// Escape `s` for an attribute value: as [`escape`], and line breaks and tabs as character
/// references, which XML's attribute-value normalisation would otherwise turn into spaces.
pub fn escape_attr(s: &str) -> String {
    escape(s)
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_forbidden_characters_are_neutralised() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
        assert_eq!(escape("a\u{0}b\u{1b}c\nd"), "a\u{FFFD}b\u{FFFD}c\nd");
        assert_eq!(escape("a\u{202e}b"), "a\\u{202e}b");
    }
}
