//! Text from outside — document values, keys and ids, file names, rule-pack messages — made safe
//! to show on a terminal or in a CI log: nothing in it can act as a control sequence (an ANSI
//! escape, a carriage return that overwrites a line, a bidi override that reorders it) or as a
//! CI runner's workflow command.
//!
//! Characters that would act are written as escapes: `\e` (ESC), `\n`, `\r`, `\t`, `\0`,
//! `\x07` for other C0 controls and DEL, `\u{9b}` for C1 controls, `\u{202e}` for bidi controls
//! and invisible formatting characters. File names are escaped losslessly ([`path`]): a
//! backslash is written `\\` and a byte that is not UTF-8 `\xNN` (always 80–FF, where a control
//! character is always below 80), so two different names never look the same.

use std::borrow::Cow;
use std::fmt::Write;
use std::path::Path;

/// Characters of a value quoted in a message before it is cut.
pub const MAX_VALUE_CHARS: usize = 200;

/// Whether `c` is a control character: C0, DEL or C1.
pub fn is_control(c: char) -> bool {
    c.is_control()
}

/// Whether `c` is a bidi control or an invisible formatting character, which can make text
/// read differently from what it is.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{00AD}'
            | '\u{180E}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// Whether `c` needs an escape inside one line of output.
fn needs_escape(c: char) -> bool {
    is_control(c) || is_invisible(c)
}

/// Write the escape of `c`.
fn push_escape(out: &mut String, c: char) {
    match c {
        '\u{1b}' => out.push_str("\\e"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\0' => out.push_str("\\0"),
        c if (c as u32) < 0x80 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

fn escape_where(s: &str, escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    // Printable ASCII, the common case, needs no escape under any rule here.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) || !s.chars().any(&escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if escape(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `s` for one line of output: every control character (line breaks too), ANSI escape and
/// bidi or invisible formatting character written as an escape.
pub fn inline(s: &str) -> Cow<'_, str> {
    escape_where(s, needs_escape)
}

/// `s` as a message of several lines: as [`inline`], but line breaks and tabs kept (a lone
/// carriage return, which would overwrite the line, is escaped).
pub fn multiline(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' => out.push(c),
            '\r' if chars.peek() == Some(&'\n') => {}
            c if needs_escape(c) => push_escape(&mut out, c),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A document value as a message quotes it: [`inline`], and cut after [`MAX_VALUE_CHARS`]
/// characters with the number left out, so a message stays one short line whatever the value.
pub fn value(s: &str) -> String {
    let shown = inline(s);
    if shown.len() <= MAX_VALUE_CHARS {
        return shown.into_owned();
    }
    match shown.char_indices().nth(MAX_VALUE_CHARS) {
        None => shown.into_owned(),
        Some((at, _)) => {
            let rest = shown.get(at..).map_or(0, |r| r.chars().count());
            format!("{}…(+{rest})", shown.get(..at).unwrap_or(""))
        }
    }
}

/// A file name as pdao shows it everywhere: lossless and safe. On Unix every byte of the name
/// is kept: valid UTF-8 as text with [`inline`]'s escapes and `\\` for a backslash, other
/// bytes as `\xNN`. (On Windows, where `\` separates directories, it is written `/`.)
pub fn path(p: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::with_capacity(p.as_os_str().len());
        for chunk in p.as_os_str().as_bytes().utf8_chunks() {
            for c in chunk.valid().chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    c if needs_escape(c) => push_escape(&mut out, c),
                    c => out.push(c),
                }
            }
            for b in chunk.invalid() {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        let unified = p.to_string_lossy().replace('\\', "/");
        inline(&unified).into_owned()
    }
}

/// The bytes of the file a name made by [`path`] stands for (a URI encodes them). Text that
/// is not one of the escapes is taken as written.
pub fn path_bytes(name: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(name.len());
    let mut rest = name;
    while let Some(at) = rest.find('\\') {
        out.extend_from_slice(rest.get(..at).unwrap_or("").as_bytes());
        let after = rest.get(at + 1..).unwrap_or("");
        let (bytes, used): (Vec<u8>, usize) = match after.as_bytes().first() {
            Some(b'\\') => (vec![b'\\'], 1),
            Some(b'e') => (vec![0x1b], 1),
            Some(b'n') => (vec![b'\n'], 1),
            Some(b'r') => (vec![b'\r'], 1),
            Some(b't') => (vec![b'\t'], 1),
            Some(b'0') => (vec![0], 1),
            Some(b'x') => match after.get(1..3).and_then(|h| u8::from_str_radix(h, 16).ok()) {
                Some(b) => (vec![b], 3),
                None => (vec![b'\\'], 0),
            },
            Some(b'u') => {
                let code = after
                    .strip_prefix("u{")
                    .and_then(|t| t.split_once('}'))
                    .and_then(|(hex, _)| u32::from_str_radix(hex, 16).ok().map(|n| (n, hex.len())))
                    .and_then(|(n, len)| char::from_u32(n).map(|c| (c, len)));
                match code {
                    Some((c, len)) => (c.to_string().into_bytes(), len + 3),
                    None => (vec![b'\\'], 0),
                }
            }
            _ => (vec![b'\\'], 0),
        };
        out.extend(bytes);
        rest = after.get(used..).unwrap_or("");
    }
    out.extend_from_slice(rest.as_bytes());
    out
}

/// Whether a line would be taken as a workflow command by a CI runner: GitHub Actions reads
/// `::command::` (and the older `##[command]`) at the start of any line of a job's output,
/// after leading white space.
pub fn is_command_line(line: &str) -> bool {
    let body = line.trim_start_matches(|c: char| c.is_whitespace() || is_invisible(c));
    body.starts_with("::") || body.starts_with("##[")
}

/// `text` with every line that [`is_command_line`] made inert: its first character (`:` or
/// `#`) replaced by `escape(that character)` — `\x3a` in plain text, `&#58;` in markup, which
/// reads back as the same character.
pub fn defuse_commands(text: &str, escape: impl Fn(char) -> String) -> Cow<'_, str> {
    if !text.lines().any(is_command_line) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.split_inclusive('\n') {
        if is_command_line(line) {
            let at = line
                .find(|c: char| !(c.is_whitespace() || is_invisible(c)))
                .unwrap_or(0);
            let (head, tail) = line.split_at(at);
            let mut tail = tail.chars();
            out.push_str(head);
            if let Some(first) = tail.next() {
                out.push_str(&escape(first));
            }
            out.push_str(tail.as_str());
        } else {
            out.push_str(line);
        }
    }
    Cow::Owned(out)
}

/// [`defuse_commands`] for plain text: `\x3a`.
pub fn defuse_plain(text: &str) -> Cow<'_, str> {
    defuse_commands(text, |c| format!("\\x{:02x}", c as u32))
}

/// [`defuse_commands`] for XML and HTML: a character reference, `&#58;`.
pub fn defuse_markup(text: &str) -> Cow<'_, str> {
    defuse_commands(text, |c| format!("&#{};", c as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_escapes_and_bidi_are_made_visible() {
        assert_eq!(
            inline("a\u{1b}[31mb\u{7}c\u{202e}d\ne\u{9b}"),
            "a\\e[31mb\\x07c\\u{202e}d\\ne\\u{9b}"
        );
        assert_eq!(multiline("a\nb\r\nc\rd\u{1b}"), "a\nb\nc\\rd\\e");
        assert!(matches!(inline("广州市 plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn long_values_are_cut() {
        let long = "长".repeat(MAX_VALUE_CHARS + 50);
        let shown = value(&long);
        assert!(shown.ends_with("…(+50)"), "{shown}");
        assert_eq!(value("short"), "short");
    }

    #[cfg(unix)]
    #[test]
    fn names_are_lossless() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let backslash = Path::new("a\\x5cb.yaml");
        let invalid = Path::new(OsStr::from_bytes(b"a\xffb.yaml"));
        let replacement = Path::new("a\u{FFFD}b.yaml");
        let names = [path(backslash), path(invalid), path(replacement)];
        assert_eq!(names[0], "a\\\\x5cb.yaml");
        assert_eq!(names[1], "a\\xffb.yaml");
        assert_eq!(names[2], "a\u{FFFD}b.yaml");
        for (name, p) in names.iter().zip([backslash, invalid, replacement]) {
            assert_eq!(path_bytes(name), p.as_os_str().as_bytes(), "{name}");
        }
        let odd = Path::new("\u{1b}[2J\n::error::x\u{202e}.yaml");
        assert_eq!(path(odd), "\\e[2J\\n::error::x\\u{202e}.yaml");
        assert_eq!(path_bytes(&path(odd)), odd.as_os_str().as_bytes());
    }

    #[test]
    fn command_lines_are_defused() {
        let text = "ok\n::set-output name=x::y\n  ::error::z\n##[warning]w\nfine :: here\n";
        assert_eq!(
            defuse_plain(text),
            "ok\n\\x3a:set-output name=x::y\n  \\x3a:error::z\n\\x23#[warning]w\nfine :: here\n"
        );
        assert_eq!(defuse_markup("\t::x"), "\t&#58;:x");
        assert!(defuse_plain(text).lines().all(|l| !is_command_line(l)));
    }
}
