//! A checked file's text with a line index, so spans become line/column in O(log n) and
//! miette reads snippets without rescanning from byte 0 (see the miette performance trap).

use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// A byte range into a [`SourceFile`]'s text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (bytes).
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }

    /// The span as miette wants it.
    pub fn to_miette(self) -> SourceSpan {
        SourceSpan::new(self.start.into(), self.end - self.start)
    }
}

/// A 1-based line and column; the column counts characters (Unicode scalar values), as editors do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
}

/// The text of one input (document or rule file) under the name users know it by.
#[derive(Debug)]
pub struct SourceFile {
    name: String,
    text: String,
    /// Byte offset of the start of every line.
    line_starts: Vec<usize>,
    /// `(byte offset, characters before it)` every [`CHECKPOINT`] bytes or so, so that a column
    /// on a very long line is counted from the nearest checkpoint, not from the line's start.
    checkpoints: Vec<(usize, usize)>,
}

/// Bytes between character-count checkpoints.
const CHECKPOINT: usize = 4096;

/// Lines longer than this are shown in a report as a window around the place, not whole.
const LONG_LINE: usize = 1024;

/// Bytes shown on each side of the place on a long line.
const WINDOW: usize = 240;

impl SourceFile {
    /// Index `text` by lines.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT + 1);
        let (mut next, mut chars, mut counted) = (CHECKPOINT, 0, 0);
        while next < text.len() {
            while !text.is_char_boundary(next) {
                next += 1;
            }
            chars += text.get(counted..next).map_or(0, |t| t.chars().count());
            checkpoints.push((next, chars));
            counted = next;
            next += CHECKPOINT;
        }
        Arc::new(SourceFile {
            name: name.into(),
            text,
            line_starts,
            checkpoints,
        })
    }

    /// The name shown to users (a path, or `<stdin>`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// 0-based line holding byte `offset`.
    fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte range of 0-based line `line`, without its line break.
    fn line_range(&self, line: usize) -> (usize, usize) {
        let start = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        let mut end = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |next| next.saturating_sub(1));
        if end > start && self.text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        (start, end)
    }

    /// Characters before byte `offset` (a character boundary), counted from the nearest
    /// checkpoint.
    fn chars_before(&self, offset: usize) -> usize {
        let i = self.checkpoints.partition_point(|&(at, _)| at <= offset);
        let (at, chars) = i
            .checked_sub(1)
            .and_then(|i| self.checkpoints.get(i))
            .copied()
            .unwrap_or((0, 0));
        chars + self.text.get(at..offset).map_or(0, |t| t.chars().count())
    }

    /// Line and character column of byte `offset` (counted in O(log n) on long lines).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_index(offset);
        let (start, _) = self.line_range(line);
        let column = if offset - start < CHECKPOINT {
            self.text
                .get(start..offset)
                .map_or(0, |t| t.chars().count())
        } else {
            self.chars_before(offset) - self.chars_before(start)
        };
        Position {
            line: line + 1,
            column: column + 1,
        }
    }

    /// The byte at most `by` bytes from `from` towards `limit`, on a character boundary.
    fn step(&self, from: usize, by: usize, limit: usize) -> usize {
        let mut at = if limit < from {
            from.saturating_sub(by).max(limit)
        } else {
            (from + by).min(limit)
        };
        while !self.text.is_char_boundary(at) {
            at = if limit < from { at - 1 } else { at + 1 };
        }
        at
    }

    /// Byte offset of a 1-based line and 0-based character column, as YAML scanners report them.
    pub fn offset_of(&self, line: usize, char_column: usize) -> usize {
        let (start, end) = self.line_range(line.saturating_sub(1));
        let line_text = self.text.get(start..end).unwrap_or("");
        let within = line_text
            .char_indices()
            .nth(char_column)
            .map_or(line_text.len(), |(i, _)| i);
        start + within
    }

    /// The byte offset where the line holding `offset` ends (before its line break).
    pub fn line_end(&self, offset: usize) -> usize {
        self.line_range(self.line_index(offset.min(self.text.len())))
            .1
    }

    /// The line holding byte `offset`, or on a line longer than 1 KiB a window of it around
    /// the offset (with `…` where it is cut), so that a report quoting the line stays small.
    pub fn line_excerpt(&self, offset: usize) -> String {
        let offset = offset.min(self.text.len());
        let (start, end) = self.line_range(self.line_index(offset));
        if end - start <= LONG_LINE {
            return self.text.get(start..end).unwrap_or("").to_string();
        }
        let from = self.step(offset.max(start), WINDOW, start);
        let to = self.step(offset.max(start), WINDOW, end);
        format!(
            "{}{}{}",
            if from > start { "…" } else { "" },
            self.text.get(from..to).unwrap_or(""),
            if to < end { "…" } else { "" }
        )
    }

    /// The text of the 1-based line `line`.
    pub fn line_text(&self, line: usize) -> &str {
        let (start, end) = self.line_range(line.saturating_sub(1));
        self.text.get(start..end).unwrap_or("")
    }
}

impl SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let start = span.offset();
        let end = start + span.len();
        if end > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first = self.line_index(start);
        let last = self.line_index(end.saturating_sub(1).max(start));
        let long = |line: usize| {
            let (a, b) = self.line_range(line);
            b - a > LONG_LINE
        };
        // Context lines are for orientation: a very long one is left out.
        let mut from = first.saturating_sub(context_lines_before);
        while from < first && long(from) {
            from += 1;
        }
        let mut to = (last + context_lines_after).min(self.line_starts.len() - 1);
        while to > last && long(to) {
            to -= 1;
        }
        let (mut data_start, _) = self.line_range(from);
        let (_, mut data_end) = self.line_range(to);
        let column = if context_lines_before == 0 {
            self.position(start).column - 1
        } else {
            0
        };
        let (line_start, line_end) = self.line_range(first);
        if context_lines_before > 0 && first == last && line_end - line_start > LONG_LINE {
            // One place on a very long line (a minified file, a 1 MB list): show a window
            // around it, without the neighbouring lines, so a report stays readable and a
            // thousand findings on that line do not print it a thousand times.
            (from, to) = (first, first);
            data_start = self.step(start, WINDOW, line_start);
            data_end = self.step(end, WINDOW, line_end);
        }
        let data = self
            .text
            .as_bytes()
            .get(data_start..data_end)
            .unwrap_or(&[]);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            SourceSpan::new(data_start.into(), data_end - data_start),
            from,
            column,
            to - from + 1,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_on_long_lines_count_characters() {
        let line: String = "广a".repeat(10_000);
        let text = format!("x\n{line}\n{line}");
        let file = SourceFile::new("t", text.clone());
        for (i, _) in text.char_indices().step_by(997) {
            let before = &text[..i];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            assert_eq!(file.position(i), Position { line, column }, "byte {i}");
        }
    }

    #[test]
    fn excerpts_of_long_lines_are_windows() {
        let text = format!("a: 1\nb: [{}]\n", "广, ".repeat(50_000));
        let file = SourceFile::new("t", text.clone());
        assert_eq!(file.line_excerpt(1), "a: 1");
        let excerpt = file.line_excerpt(text.len() / 2);
        assert!(
            excerpt.starts_with('…') && excerpt.ends_with('…'),
            "{excerpt}"
        );
        assert!(excerpt.len() <= 2 * WINDOW + 16);
    }

    #[test]
    fn a_place_on_a_long_line_is_shown_in_a_window() {
        let text = format!("a: [{}]\nb: 1\n", "1, ".repeat(50_000));
        let file = SourceFile::new("t", text.clone());
        let at = text.len() / 2;
        let contents = file
            .read_span(&SourceSpan::new(at.into(), 1), 1, 1)
            .expect("span");
        assert!(contents.data().len() <= 2 * WINDOW + 8);
        assert_eq!(contents.line(), 0);
        let short = file
            .read_span(&SourceSpan::new((text.len() - 2).into(), 1), 1, 1)
            .expect("span");
        assert!(
            short.data().starts_with(b"b: 1"),
            "a long context line is left out"
        );
        let small = SourceFile::new("t", "a: 1\nb: 2\nc: 3\n");
        let contents = small
            .read_span(&SourceSpan::new(5.into(), 1), 1, 1)
            .expect("span");
        assert_eq!(contents.data(), b"a: 1\nb: 2\nc: 3");
    }
}
