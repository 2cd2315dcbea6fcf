//! Input-method slips: a Chinese input method left on types `：` `，` `【` `”` where YAML and JSON
//! need `:` `,` `[` `"`. The parser then fails a line later with a message about something else
//! (`simple key expect ':'`); these functions find the full-width character that caused it, so
//! the error can point at it and say what to type instead.

use crate::text::Text;

/// A full-width character where the syntax needs its ASCII twin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slip {
    /// Byte offset of the character in the text.
    pub offset: usize,
    /// The character.
    pub ch: char,
}

impl Slip {
    /// Byte length of the character.
    pub fn len(&self) -> usize {
        self.ch.len_utf8()
    }

    /// Always false: a slip is one character.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// “全角冒号，应为半角 `:`”.
    pub fn describe(&self) -> Text {
        describe(self.ch).unwrap_or_else(|| Text::new("全角符号", "full-width character"))
    }
}

/// What a full-width character is, and its ASCII twin.
pub fn describe(ch: char) -> Option<Text> {
    let (zh, en, ascii) = match ch {
        '：' => ("全角冒号", "full-width colon", ":"),
        '，' => ("全角逗号", "full-width comma", ","),
        '【' | '［' => ("全角左方括号", "full-width opening bracket", "["),
        '】' | '］' => ("全角右方括号", "full-width closing bracket", "]"),
        '｛' => ("全角左花括号", "full-width opening brace", "{"),
        '｝' => ("全角右花括号", "full-width closing brace", "}"),
        '“' | '”' => ("全角双引号", "full-width double quote", "\""),
        '‘' | '’' => ("全角单引号", "full-width single quote", "'"),
        _ => return None,
    };
    Some(Text::new(
        format!("{zh} `{ch}`，应为半角 `{ascii}`"),
        format!("{en} `{ch}`: use an ASCII `{ascii}`"),
    ))
}

/// The line of `text` holding byte `at`: its start and end (before the line break).
fn line_around(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let start = text
        .get(..at)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = text
        .get(at..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| at + i);
    (start, end)
}

/// A line without its comment (`#` at the start or after a blank, outside quotes).
fn without_comment(line: &str) -> &str {
    let mut quote = None;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '#') if previous.is_whitespace() => return line.get(..i).unwrap_or(line),
            _ => {}
        }
        previous = c;
    }
    line
}

/// Whether `text` is a mapping key as pdao documents write them: a snake_case name, or a quoted
/// string (JSON).
fn is_key(text: &str) -> bool {
    let t = text.trim();
    let quoted = |q: char| t.len() >= 2 && t.starts_with(q) && t.ends_with(q);
    quoted('"')
        || quoted('\'')
        || (t.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
}

/// How far around a character the key before or after it is looked for. Keys are short; the
/// bound keeps a long line of full-width punctuation linear to scan.
const KEY_WINDOW: usize = 256;

/// The first `max` bytes of `s` (on a character boundary).
fn head(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// Whether a comma stands between a value and a following `key:`, as in a flow mapping.
fn separates_keys(before: &str, after: &str) -> bool {
    let value_ends = before
        .trim_end()
        .chars()
        .last()
        .is_some_and(|c| !c.is_whitespace() && !matches!(c, ':' | '：' | ',' | '，'));
    let after = head(after.trim_start(), KEY_WINDOW);
    let key_len = if let Some(q @ ('"' | '\'')) = after.chars().next() {
        after
            .get(1..)
            .and_then(|rest| rest.find(q))
            .map(|end| end + 2)
    } else {
        Some(
            after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(after.len()),
        )
    };
    let next_is_key = key_len.is_some_and(|n| {
        n > 0
            && is_key(after.get(..n).unwrap_or(""))
            && after
                .get(n..)
                .is_some_and(|rest| rest.trim_start().starts_with([':', '：']))
    });
    value_ends && next_is_key
}

/// The slips in one line of text (`from`: the line's start offset in the whole text), among the
/// characters before byte `until` of the whole text. `in_flow`: the line lies inside an open
/// `[`/`{`, where `，` and closing brackets are syntax.
fn slips_in_line(line: &str, from: usize, until: usize, in_flow: bool) -> Vec<Slip> {
    let line = without_comment(line);
    let mut out = Vec::new();
    // Where the text that may be a key starts: after the last `{`, `[` or comma.
    let mut segment_start = 0;
    for (i, ch) in line.char_indices() {
        if from + i >= until {
            break;
        }
        let before = line.get(..i).unwrap_or("");
        let hit = match ch {
            // `level：县级`, `- name：广州`, `{"id"："x"}`: a key followed by a full-width colon.
            // A segment longer than any key is not looked at, which keeps the scan linear.
            '：' if i - segment_start <= KEY_WINDOW => {
                let mut key = line.get(segment_start..i).unwrap_or("").trim_start();
                while let Some(rest) = key.strip_prefix("- ") {
                    key = rest.trim_start();
                }
                is_key(key)
            }
            '】' | '］' | '｝' => in_flow,
            // Inside `[`/`{` a comma separates items; the parser may stop before it has opened
            // the collection, so a comma that separates a value from the next key counts too
            // (`"x"，"region": …`, `2026-01-01， end: …`).
            '，' => in_flow || separates_keys(before, line.get(i + ch.len_utf8()..).unwrap_or("")),
            // `products: 【a, b】`, `term: ｛start: …｝`: a value that opens with a full-width bracket.
            '【' | '［' | '｛' => {
                let b = before.trim_end();
                b.is_empty() || b.ends_with(':') || b.ends_with('-') || b.ends_with(',') || in_flow
            }
            _ => false,
        };
        if hit {
            out.push(Slip {
                offset: from + i,
                ch,
            });
        }
        if matches!(ch, '{' | '[' | ',' | '，') {
            segment_start = i + ch.len_utf8();
        }
    }
    out
}

/// The slip that most likely caused a syntax error the parser reports at byte `error_at` of
/// `text`. `flow_open`: the offset of the innermost `[`/`{` still open there, if any.
///
/// Looked for on the error's line up to the error, and on the line before it (the parser often
/// stops a line after the slip), and from an open `[`/`{` on; a quoted value whose closing quote
/// is full-width (`"广州市”`) is found from its opening quote.
pub fn near_error(text: &str, error_at: usize, flow_open: Option<usize>) -> Option<Slip> {
    let error_at = error_at.min(text.len());
    let (line_start, line_end) = line_around(text, error_at);
    // A quoted scalar the parser could not close: `"广州市”` or `'广州市’`.
    let at_char = text.get(error_at..).and_then(|t| t.chars().next());
    if let Some(q @ ('"' | '\'')) = at_char {
        let rest = text.get(error_at + 1..line_end).unwrap_or("");
        if !rest.contains(q) {
            let twins: &[char] = if q == '"' {
                &['”', '“']
            } else {
                &['’', '‘']
            };
            if let Some(i) = rest.find(twins) {
                let offset = error_at + 1 + i;
                let ch = text.get(offset..).and_then(|t| t.chars().next())?;
                return Some(Slip { offset, ch });
            }
        }
    }
    // The previous line that holds something other than a comment.
    let mut previous = None;
    let mut cursor = line_start;
    while cursor > 0 {
        let (start, end) = line_around(text, cursor - 1);
        let line = text.get(start..end).unwrap_or("");
        if !without_comment(line).trim().is_empty() {
            previous = Some(start);
            break;
        }
        cursor = start;
    }
    let first = match (flow_open, previous) {
        (Some(f), Some(p)) => f.min(p),
        (Some(f), None) => f,
        (None, Some(p)) => p,
        (None, None) => line_start,
    };
    let until = error_at + at_char.map_or(0, char::len_utf8);
    let mut start = first;
    let mut found = Vec::new();
    while start <= line_start {
        let (s, e) = line_around(text, start);
        let in_flow = flow_open.is_some_and(|f| f < e);
        found.extend(slips_in_line(
            text.get(s..e).unwrap_or(""),
            s,
            until,
            in_flow,
        ));
        if e >= text.len() {
            break;
        }
        start = e + 1;
    }
    // Inside an open `[`/`{`, only what comes after it counts as part of that collection.
    found.retain(|s| flow_open.is_none_or(|f| s.offset > f || s.ch == '：'));
    found.into_iter().next()
}

/// A slip inside a value the schema rejects: `【a, b】` where a list is expected, `｛…｝` where a
/// mapping is, or `name：广州` where a mapping is (a list item written with a full-width colon).
pub fn in_value(value: &str, expected: &str) -> Option<Text> {
    let v = value.trim();
    let first = v.chars().next()?;
    let ch = match first {
        '【' | '［' if expected.contains("array") => first,
        '｛' if expected.contains("object") => first,
        _ if expected.contains("object") => {
            let (key, _) = v.split_once('：')?;
            if !is_key(key) {
                return None;
            }
            '：'
        }
        _ => return None,
    };
    describe(ch)
}

/// A slip inside a key the schema does not know: `start：2026-01-01` written in a flow mapping.
pub fn in_key(key: &str) -> Option<Text> {
    let (name, _) = key.split_once('：')?;
    is_key(name).then(|| describe('：')).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slip(text: &str, line: usize, col: usize, flow: Option<usize>) -> Option<(usize, char)> {
        let file = crate::source::SourceFile::new("t.yaml", text);
        let at = file.offset_of(line, col);
        near_error(text, at, flow).map(|s| {
            let p = file.position(s.offset);
            (p.line, s.ch)
        })
    }

    #[test]
    fn a_full_width_colon_after_a_key_is_found_on_the_line_before_the_error() {
        let text = "kind: implementation-plan\nid: x\nlevel：县级\nregion: 广州市\n";
        assert_eq!(slip(text, 4, 0, None), Some((3, '：')));
        let text = "kind: x\nid: x\nterm:\n  start：2026-01-01\n  # note\n\n  end: 2027-01-01\n";
        assert_eq!(slip(text, 7, 5, None), Some((4, '：')));
        let list = "kind: x\nproducts:\n  - name：广州\n    form: API\n";
        assert_eq!(slip(list, 4, 8, None), Some((3, '：')));
    }

    #[test]
    fn a_colon_inside_chinese_text_is_not_a_slip() {
        let text = "kind: x\ndescription: 本方案包括：数据、产品\nlevel 县级\nregion: x\n";
        assert_eq!(slip(text, 4, 0, None), None);
    }

    #[test]
    fn commas_and_brackets_count_inside_flow_collections() {
        let text = "kind: x\nterm: {start: 2026-01-01， end: 2027-01-01}\n";
        let brace = text.find('{');
        assert_eq!(slip(text, 2, 29, brace), Some((2, '，')));
        let text = "kind: x\nproducts: [a, b］\nlevel: 县级\n";
        let bracket = text.find('[');
        assert_eq!(slip(text, 3, 5, bracket), Some((2, '］')));
        let text = "kind: x\nterm: ｛start: 2026-01-01, end: 2027-01-01｝\n";
        assert_eq!(slip(text, 2, 12, None), Some((2, '｛')));
        // A full-width comma in text outside any flow collection is text.
        let text = "kind: x\nname: 广州，深圳\nlevel 县级\n";
        assert_eq!(slip(text, 3, 0, None), None);
        // The parser may fail before it has opened the collection: a comma before a key counts.
        let json = "{\"kind\": \"x\", \"id\": \"x\"，\"region\": \"广州市\"}\n";
        assert_eq!(slip(json, 1, 26, None), Some((1, '，')));
    }

    #[test]
    fn a_quoted_value_closed_with_a_full_width_quote() {
        let text = "kind: x\nregion: \"广州市”\nlevel: 县级\n";
        assert_eq!(slip(text, 2, 8, None), Some((2, '”')));
    }

    #[test]
    fn a_long_line_of_full_width_punctuation_is_scanned_in_linear_time() {
        let started = std::time::Instant::now();
        for unit in ["b：", "，\"", "a，", "【 "] {
            let text = format!("a: 1\n{}\nc: 2\n", unit.repeat(200_000));
            let at = text.rfind('c').unwrap_or(0);
            let _ = near_error(&text, at, None);
            let _ = near_error(&text, at, Some(5));
        }
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }

    #[test]
    fn values_and_keys_the_schema_rejects() {
        assert!(in_value("【a, b】", "array").is_some());
        assert!(in_value("name：广州", "object").is_some());
        assert!(in_value("说明：见附件", "object").is_none());
        assert!(in_value("【方案内容】说明", "string").is_none());
        assert!(in_key("start：2026-01-01").is_some());
        assert!(in_key("起始：x").is_none());
    }
}
