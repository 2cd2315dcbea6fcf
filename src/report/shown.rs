//! A file's text as the human report shows it: the lines around a finding are printed to a
//! terminal or a CI log, so control characters, ANSI escapes and bidi controls in them are
//! written as visible escapes ([`crate::visible`]), and a place spanning many lines is shown by
//! its first line. Places keep their line and column as the user's editor counts them.

use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::source::{SourceFile, Span};
use crate::visible;

/// Lines of one place shown at most; a longer one (a block of text, a whole list) is shown by
/// its first line, so that a report stays readable and bounded whatever a document holds.
pub const MAX_SPAN_LINES: usize = 8;

/// A file ready to be shown.
#[derive(Debug)]
pub struct ShownSource {
    file: Arc<SourceFile>,
    /// The escaped copy, when the text or the name needs escapes.
    escaped: Option<Escaped>,
}

#[derive(Debug)]
struct Escaped {
    file: Arc<SourceFile>,
    /// The escaped characters, in order.
    shifts: Vec<Shift>,
}

/// One escaped character.
#[derive(Debug)]
struct Shift {
    /// Its byte offset in the original text.
    at: usize,
    /// Where its escape starts and ends in the shown text.
    shown: (usize, usize),
    /// Bytes the escapes up to and including this one added.
    extra: usize,
}

/// Whether a character of a file's text is shown as an escape: line breaks, tabs and the
/// carriage return of a CRLF line end are kept (the renderer lays lines out by them).
fn escaped_in_source(c: char, next: Option<char>) -> bool {
    match c {
        '\n' | '\t' => false,
        '\r' => next != Some('\n'),
        c => visible::is_control(c) || visible::is_invisible(c),
    }
}

impl ShownSource {
    /// Prepare `file` for showing; nothing is copied when nothing needs an escape.
    pub fn new(file: &Arc<SourceFile>) -> ShownSource {
        let text = file.text();
        let mut chars = text.char_indices().peekable();
        let mut shifts = Vec::new();
        let mut shown = String::new();
        let mut copied = 0;
        let mut extra = 0;
        while let Some((at, c)) = chars.next() {
            if !escaped_in_source(c, chars.peek().map(|(_, n)| *n)) {
                continue;
            }
            shown.push_str(text.get(copied..at).unwrap_or(""));
            let escape = visible::inline(c.encode_utf8(&mut [0; 4])).into_owned();
            let start = at + extra;
            extra += escape.len() - c.len_utf8();
            shifts.push(Shift {
                at,
                shown: (start, start + escape.len()),
                extra,
            });
            shown.push_str(&escape);
            copied = at + c.len_utf8();
        }
        let name = visible::inline(file.name());
        if shifts.is_empty() && matches!(name, std::borrow::Cow::Borrowed(_)) {
            return ShownSource {
                file: Arc::clone(file),
                escaped: None,
            };
        }
        let text = if shifts.is_empty() {
            text.to_string()
        } else {
            shown.push_str(text.get(copied..).unwrap_or(""));
            shown
        };
        ShownSource {
            file: Arc::clone(file),
            escaped: Some(Escaped {
                file: SourceFile::new(name.into_owned(), text),
                shifts,
            }),
        }
    }

    /// Where `span` of the original text stands in the shown text, cut to its first line when
    /// it spans more than [`MAX_SPAN_LINES`] lines.
    pub fn span(&self, span: Span) -> SourceSpan {
        let first = self.file.position(span.start).line;
        let last = self.file.position(span.end).line;
        let end = if last.saturating_sub(first) >= MAX_SPAN_LINES {
            self.file.line_end(span.start).max(span.start)
        } else {
            span.end
        };
        let (start, end) = match &self.escaped {
            None => (span.start, end),
            Some(e) => (e.to_shown(span.start), e.to_shown(end)),
        };
        SourceSpan::new(start.into(), end - start)
    }
}

impl Escaped {
    fn to_shown(&self, offset: usize) -> usize {
        let i = self.shifts.partition_point(|s| s.at < offset);
        offset
            + i.checked_sub(1)
                .and_then(|i| self.shifts.get(i))
                .map_or(0, |s| s.extra)
    }

    fn to_original(&self, shown: usize) -> usize {
        let i = self.shifts.partition_point(|s| s.shown.0 <= shown);
        match i.checked_sub(1).and_then(|i| self.shifts.get(i)) {
            None => shown,
            // Within an escape: the character it stands for.
            Some(s) if shown < s.shown.1 => s.at,
            Some(s) => shown - s.extra,
        }
    }
}

impl SourceCode for ShownSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let Some(escaped) = &self.escaped else {
            return self
                .file
                .read_span(span, context_lines_before, context_lines_after);
        };
        let contents = escaped
            .file
            .read_span(span, context_lines_before, context_lines_after)?;
        if context_lines_before > 0 || context_lines_after > 0 {
            return Ok(contents);
        }
        // The place's line and column, as the header shows them: the original file's.
        let at = self.file.position(escaped.to_original(span.offset()));
        Ok(Box::new(MietteSpanContents::new_named(
            contents.name().unwrap_or_default().to_string(),
            contents.data(),
            *contents.span(),
            at.line - 1,
            at.column - 1,
            contents.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_shift_places_and_keep_the_editor_column() {
        let file = SourceFile::new("a.yaml", "k: \u{1b}[31m\u{202e}x\nv: 1\r\n");
        let shown = ShownSource::new(&file);
        let escaped = shown.escaped.as_ref().expect("escaped");
        assert_eq!(escaped.file.text(), "k: \\e[31m\\u{202e}x\nv: 1\r\n");
        let x = file.text().find('x').expect("x");
        let at = shown.span(Span::new(x, x + 1));
        assert_eq!(
            escaped.file.text().get(at.offset()..at.offset() + at.len()),
            Some("x")
        );
        let contents = shown.read_span(&at, 0, 0).expect("span");
        assert_eq!((contents.line(), contents.column()), (0, 9));
        assert!(ShownSource::new(&SourceFile::new("b.yaml", "k: 广州\r\n"))
            .escaped
            .is_none());
    }

    #[test]
    fn long_places_are_cut_to_their_first_line() {
        let text = format!("k: |\n{}", "  line\n".repeat(20));
        let file = SourceFile::new("a.yaml", text.clone());
        let shown = ShownSource::new(&file);
        let span = shown.span(Span::new(3, text.len()));
        assert_eq!(span.offset() + span.len(), 4);
    }
}
