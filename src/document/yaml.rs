//! YAML 1.2 / JSON to [`Node`] through saphyr's event stream, keeping spans, with our own
//! limits: nesting depth, alias expansion, one document per file, duplicate keys reported at
//! both places. saphyr's tree loaders are not used: they overflow the stack on deep input.

use std::collections::HashMap;
use std::sync::Arc;

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use super::node::{Entry, Node, Value};
use crate::error::InputError;
use crate::source::{SourceFile, Span};
use crate::text;

/// Bounds that keep hostile input from exhausting the stack or memory.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest nesting of lists and mappings.
    pub max_depth: usize,
    /// Most nodes a file may expand to, aliases included.
    pub max_nodes: usize,
    /// Largest file read, in bytes (`--max-file-size`); a larger one is reported, not read.
    pub max_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 128,
            max_nodes: 2_000_000,
            max_file_bytes: 64 << 20,
        }
    }
}

enum Frame {
    Seq {
        start: usize,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: usize,
        anchor: usize,
        entries: Vec<Entry>,
        key: Option<(String, Span)>,
        seen: HashMap<String, Span>,
    },
}

struct Builder<'f> {
    file: &'f Arc<SourceFile>,
    limits: Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
    root: Option<Node>,
}

/// Parse `file` as one YAML (or JSON) document.
pub fn parse(file: &Arc<SourceFile>, limits: Limits) -> Result<Node, InputError> {
    let mut builder = Builder {
        file,
        limits,
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        root: None,
    };
    let mut documents = 0usize;
    let mut cursor = Cursor::default();
    let mut parser = Parser::new_from_str(file.text());
    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(event) => event,
            Err(e) => {
                let m = e.marker();
                let at = file.offset_of(m.line(), m.col());
                return Err(syntax_error(file, at, e.info(), builder.open_flow()));
            }
        };
        let start = cursor.offset(file, span.start.line(), span.start.col());
        let end = cursor.offset(file, span.end.line(), span.end.col());
        let here = Span::new(start, end);
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(InputError::at(
                        "pdao::multiple-documents",
                        file,
                        here,
                        text!(
                            "一个文件只能包含一份文书，此处开始了第二份（---）",
                            "a file holds one document; a second one starts here (---)"
                        ),
                    )
                    .with_help(text!(
                        "把每份文书放进单独的文件",
                        "put each document in a file of its own"
                    )));
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let resolved = builder.resolve_scalar(&value, style, tag.as_deref(), here)?;
                builder.push(
                    Node {
                        value: resolved,
                        span: here,
                    },
                    anchor,
                    style == ScalarStyle::Plain && value == "<<",
                )?;
            }
            Event::SequenceStart(anchor, tag) => {
                builder.check_container_tag(tag.as_deref(), "seq", here)?;
                builder.open(Frame::Seq {
                    start,
                    anchor,
                    items: Vec::new(),
                })?;
            }
            Event::MappingStart(anchor, tag) => {
                builder.check_container_tag(tag.as_deref(), "map", here)?;
                builder.open(Frame::Map {
                    start,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                    seen: HashMap::new(),
                })?;
            }
            Event::SequenceEnd | Event::MappingEnd => builder.close(end)?,
            Event::Alias(id) => {
                let Some((node, count)) = builder.anchors.get(&id).cloned() else {
                    return Err(InputError::at(
                        "pdao::alias",
                        file,
                        here,
                        text!("别名指向未定义的锚点", "alias to an undefined anchor"),
                    ));
                };
                builder.count(count, here)?;
                let node = Node { span: here, ..node };
                builder.attach(node, false)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
    }
    Ok(builder.root.unwrap_or(Node {
        value: Value::Null,
        span: Span::new(0, 0),
    }))
}

/// A located syntax error. When a full-width character typed by a Chinese input method broke
/// the syntax (`level：县级`), the error points at it and says what to type instead; the parser's
/// own message stays as a label where it stopped. An error inside an open `[`/`{` names the
/// line where it was opened.
fn syntax_error(
    file: &Arc<SourceFile>,
    at: usize,
    info: &str,
    flow: Option<(usize, char)>,
) -> InputError {
    let opened = |(offset, bracket): (usize, char)| {
        let line = file.position(offset).line;
        let close = if bracket == '[' { ']' } else { '}' };
        (offset, bracket, close, line)
    };
    let flow = flow.map(opened);
    if let Some(slip) = super::slips::near_error(file.text(), at, flow.map(|f| f.0)) {
        let what = slip.describe();
        let mut err = InputError::at(
            "pdao::syntax",
            file,
            Span::new(slip.offset, slip.offset + slip.len()),
            text!("YAML/JSON 语法错误：{}", "YAML/JSON syntax error: {}", what.zh)
                .with_en(format!("YAML/JSON syntax error: {}", what.en)),
        )
        .labelled(what)
        .with_help(text!(
            "把输入法切换到英文标点（半角）后重新输入这个符号；冒号后留一个空格，如 level: 县级",
            "switch the input method to ASCII punctuation and retype this character; put a space after a colon, e.g. level: 县级"
        ));
        if at != slip.offset {
            err = err.with_label(
                Span::new(at, at),
                text!("解析在此中断：{}", "the parser stopped here: {}", info),
            );
        }
        if let Some((offset, bracket, _, line)) = flow {
            err = err.with_label(
                Span::new(offset, offset + 1),
                text!(
                    "所在的 `{}` 在第 {} 行打开",
                    "inside the `{}` opened on line {}",
                    bracket,
                    line
                ),
            );
        }
        return err;
    }
    match flow {
        Some((offset, bracket, close, line)) => InputError::at(
            "pdao::syntax",
            file,
            Span::new(at, at),
            text!(
                "YAML/JSON 语法错误：{}（位于第 {} 行打开的 `{}` 之内，请检查它是否以 `{}` 闭合）",
                "YAML/JSON syntax error: {} (inside the `{}` opened on line {}: check that it is closed with `{}`)",
                info,
                line,
                bracket,
                close
            )
            .with_en(format!(
                "YAML/JSON syntax error: {info} (inside the `{bracket}` opened on line {line}: check that it is closed with `{close}`)"
            )),
        )
        .with_label(
            Span::new(offset, offset + 1),
            text!(
                "`{}` 在此打开（第 {} 行）",
                "`{}` opened here (line {})",
                bracket,
                line
            ),
        )
        .with_help(text!(
            "在 `{}` 之内，各项以半角逗号 `,` 分隔，最后以 `{}` 闭合",
            "inside `{}`, separate the items with ASCII commas `,` and close it with `{}`",
            bracket,
            close
        )),
        None => InputError::at(
            "pdao::syntax",
            file,
            Span::new(at, at),
            text!(
                "YAML/JSON 语法错误：{}",
                "YAML/JSON syntax error: {}",
                info
            ),
        ),
    }
}

/// Byte offsets of saphyr's (line, character column) positions. Events come in document
/// order, so the cursor moves forward along a line from the last position instead of counting
/// characters from the line's start every time: linear, not quadratic, on a 1 MB line.
#[derive(Default)]
struct Cursor {
    line: usize,
    column: usize,
    byte: usize,
}

impl Cursor {
    fn offset(&mut self, file: &SourceFile, line: usize, column: usize) -> usize {
        if line != self.line || column < self.column {
            self.line = line;
            self.column = 0;
            self.byte = file.offset_of(line, 0);
        }
        let rest = file.text().get(self.byte..).unwrap_or("");
        let mut chars = rest.chars().peekable();
        while self.column < column {
            let next = chars.next();
            // A line ends before `\n`, or before `\r\n` (or a last `\r`), as in offset_of.
            let crlf = next == Some('\r') && matches!(chars.peek(), None | Some('\n'));
            match next {
                Some(c) if c != '\n' && !crlf => {
                    self.byte += c.len_utf8();
                    self.column += 1;
                }
                // Past the end of the line: as offset_of, stop at its end.
                _ => break,
            }
        }
        let stopped = self.column;
        if stopped < column {
            // Keep the cursor where the line ends; a later column on this line ends there too.
            return file.offset_of(line, column);
        }
        self.byte
    }
}

impl Builder<'_> {
    /// The innermost `[` or `{` still open: its offset and bracket.
    fn open_flow(&self) -> Option<(usize, char)> {
        self.stack.iter().rev().find_map(|frame| {
            let start = match frame {
                Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
            };
            let c = self.file.text().get(start..)?.chars().next()?;
            matches!(c, '[' | '{').then_some((start, c))
        })
    }

    fn error(&self, code: &'static str, span: Span, message: text::Text) -> InputError {
        InputError::at(code, self.file, span, message)
    }

    fn count(&mut self, n: usize, span: Span) -> Result<(), InputError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.limits.max_nodes {
            return Err(self.error(
                "pdao::too-large",
                span,
                text!(
                    "文书展开后超过 {} 个节点（别名炸弹？），已停止读取",
                    "the document expands to more than {} nodes (an alias bomb?); reading stopped",
                    self.limits.max_nodes
                ),
            ));
        }
        Ok(())
    }

    fn open(&mut self, frame: Frame) -> Result<(), InputError> {
        let start = match &frame {
            Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
        };
        if self.stack.len() >= self.limits.max_depth {
            return Err(self.error(
                "pdao::too-deep",
                Span::new(start, start),
                text!(
                    "嵌套超过 {} 层，已停止读取",
                    "nesting deeper than {} levels; reading stopped",
                    self.limits.max_depth
                ),
            ));
        }
        if matches!(self.stack.last(), Some(Frame::Map { key: None, .. })) {
            return Err(self.error(
                "pdao::complex-key",
                Span::new(start, start),
                text!(
                    "映射的键必须是简单值，不能是列表或映射",
                    "mapping keys must be scalars, not lists or mappings"
                ),
            ));
        }
        self.count(1, Span::new(start, start))?;
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self, end: usize) -> Result<(), InputError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let (node, anchor) = match frame {
            Frame::Seq {
                start,
                anchor,
                items,
            } => {
                let end = items.last().map_or(end, |n| n.span.end.max(start));
                (
                    Node {
                        value: Value::Seq(items),
                        span: Span::new(start, end.max(start)),
                    },
                    anchor,
                )
            }
            Frame::Map {
                start,
                anchor,
                entries,
                ..
            } => {
                let end = entries.last().map_or(end, |e| e.value.span.end.max(start));
                (
                    Node {
                        value: Value::Map(entries),
                        span: Span::new(start, end.max(start)),
                    },
                    anchor,
                )
            }
        };
        if anchor != 0 {
            let size = subtree_size(&node);
            self.anchors.insert(anchor, (node.clone(), size));
        }
        self.attach(node, false)
    }

    fn push(&mut self, node: Node, anchor: usize, merge_key: bool) -> Result<(), InputError> {
        self.count(1, node.span)?;
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), 1));
        }
        self.attach(node, merge_key)
    }

    fn attach(&mut self, node: Node, merge_key: bool) -> Result<(), InputError> {
        let file = self.file;
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries, key, seen, ..
            }) => match key.take() {
                Some((k, key_span)) => entries.push(Entry {
                    key: k,
                    key_span,
                    value: node,
                }),
                None => {
                    if merge_key {
                        return Err(InputError::at(
                            "pdao::merge-key",
                            file,
                            node.span,
                            text!(
                                "不支持合并键 <<：请把字段直接写出",
                                "merge keys (<<) are not supported: write the fields out"
                            ),
                        ));
                    }
                    let k = match &node.value {
                        Value::Str(s) => s.clone(),
                        Value::Seq(_) | Value::Map(_) => {
                            return Err(InputError::at(
                                "pdao::complex-key",
                                file,
                                node.span,
                                text!("映射的键必须是简单值", "mapping keys must be scalars"),
                            ))
                        }
                        _ => node.display(),
                    };
                    if let Some(first) = seen.get(&k) {
                        return Err(InputError::at(
                            "pdao::duplicate-key",
                            file,
                            node.span,
                            text!(
                                "键 `{}` 重复：后一个值会悄悄覆盖前一个",
                                "duplicate key `{}`: the second value would silently override the first",
                                crate::visible::value(&k)
                            ),
                        )
                        .labelled(text!("重复的键", "duplicate"))
                        .with_label(*first, text!("第一次出现", "first defined here"))
                        .with_help(text!(
                            "删除或合并其中一个，使每个键只出现一次",
                            "remove or merge one of them so that each key appears once"
                        )));
                    }
                    seen.insert(k.clone(), node.span);
                    *key = Some((k, node.span));
                }
            },
        }
        Ok(())
    }

    fn check_container_tag(
        &self,
        tag: Option<&Tag>,
        core: &str,
        span: Span,
    ) -> Result<(), InputError> {
        match tag {
            None => Ok(()),
            Some(t) if t.is_yaml_core_schema() && t.suffix.ends_with(core) => Ok(()),
            Some(t) => Err(self.unsupported_tag(t, span)),
        }
    }

    fn unsupported_tag(&self, tag: &Tag, span: Span) -> InputError {
        self.error(
            "pdao::tag",
            span,
            text!(
                "不支持 YAML 标签 {}{}：文书只能包含普通数据",
                "YAML tag {}{} is not supported: documents hold plain data only",
                tag.handle,
                tag.suffix
            ),
        )
    }

    fn resolve_scalar(
        &self,
        raw: &str,
        style: ScalarStyle,
        tag: Option<&Tag>,
        span: Span,
    ) -> Result<Value, InputError> {
        if let Some(t) = tag {
            if !t.is_yaml_core_schema() {
                return Err(self.unsupported_tag(t, span));
            }
            let bad = || {
                self.error(
                    "pdao::tag",
                    span,
                    text!(
                        "值 `{}` 与标签 !!{} 不符",
                        "value `{}` does not fit tag !!{}",
                        raw,
                        t.suffix.rsplit(':').next().unwrap_or("")
                    ),
                )
            };
            return match t.suffix.rsplit(':').next().unwrap_or("") {
                "str" => Ok(Value::Str(raw.to_string())),
                "null" => Ok(Value::Null),
                "bool" => match resolve_plain(raw) {
                    v @ Value::Bool(_) => Ok(v),
                    _ => Err(bad()),
                },
                "int" => match resolve_plain(raw) {
                    v @ Value::Int(_) => Ok(v),
                    _ => Err(bad()),
                },
                "float" => match resolve_plain(raw) {
                    Value::Int(i) => Ok(Value::Float(i as f64)),
                    v @ Value::Float(_) => Ok(v),
                    _ => Err(bad()),
                },
                _ => Err(self.unsupported_tag(t, span)),
            };
        }
        Ok(match style {
            ScalarStyle::Plain => resolve_plain(raw),
            _ => Value::Str(raw.to_string()),
        })
    }
}

fn subtree_size(node: &Node) -> usize {
    let mut size = 0usize;
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        size += 1;
        match &n.value {
            Value::Seq(items) => stack.extend(items.iter()),
            Value::Map(entries) => stack.extend(entries.iter().map(|e| &e.value)),
            _ => {}
        }
    }
    size
}

/// YAML 1.2 core schema resolution of a plain scalar.
fn resolve_plain(raw: &str) -> Value {
    match raw {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(hex) = raw.strip_prefix("0x") {
        if let Ok(i) = i64::from_str_radix(hex, 16) {
            return Value::Int(i);
        }
    }
    if let Some(oct) = raw.strip_prefix("0o") {
        if let Ok(i) = i64::from_str_radix(oct, 8) {
            return Value::Int(i);
        }
    }
    let digits = raw.strip_prefix(['-', '+']).unwrap_or(raw);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(i) = raw.parse::<i64>() {
            return Value::Int(i);
        }
    }
    let looks_float = !digits.is_empty()
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && digits.bytes().any(|b| b.is_ascii_digit());
    if looks_float {
        if let Ok(f) = raw.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::Str(raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Node, InputError> {
        parse(&SourceFile::new("t.yaml", text), Limits::default())
    }

    #[test]
    fn plain_scalars_follow_yaml_1_2() {
        assert_eq!(resolve_plain("no"), Value::Str("no".into()));
        assert_eq!(resolve_plain("2026-01-01"), Value::Str("2026-01-01".into()));
        assert_eq!(resolve_plain("5"), Value::Int(5));
        assert_eq!(resolve_plain("1.5"), Value::Float(1.5));
        assert_eq!(resolve_plain("~"), Value::Null);
    }

    #[test]
    fn spans_point_at_keys_and_values_in_bytes() {
        let root = load("名称: 广州\nterm:\n  start: 2026-01-01\n").expect("parses");
        let term = root.entry("term").expect("term");
        let start = term.value.entry("start").expect("start");
        let text = "名称: 广州\nterm:\n  start: 2026-01-01\n";
        assert_eq!(&text[start.key_span.start..start.key_span.end], "start");
        assert_eq!(
            &text[start.value.span.start..start.value.span.end],
            "2026-01-01"
        );
        let name = root.entry("名称").expect("名称");
        assert_eq!(&text[name.value.span.start..name.value.span.end], "广州");
    }

    #[test]
    fn duplicate_keys_name_both_places() {
        let err = load("term: 1\nid: x\nterm: 2\n").expect_err("duplicate");
        assert_eq!(err.code, "pdao::duplicate-key");
        assert_eq!(err.labels.len(), 2);
        assert_eq!(err.position().map(|p| p.line), Some(3));
        assert_eq!(err.file.position(err.labels[1].span.start).line, 1);
    }

    #[test]
    fn depth_and_alias_bombs_are_bounded() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(load(&deep).expect_err("deep").code, "pdao::too-deep");
        // saphyr refuses absurd nesting itself; either way it is an error, not a crash.
        assert!(load(&"[".repeat(100_000)).is_err());
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in 'b'..='k' {
            bomb.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
            prev = name;
        }
        assert_eq!(load(&bomb).expect_err("bomb").code, "pdao::too-large");
    }

    #[test]
    fn the_cursor_agrees_with_line_and_column() {
        let text = "名称: 广州\r\nlist: [一, 二, 三]\nmap: {a: 1, b: 2}\n  # c\nz: |\n  text\n\n";
        let file = SourceFile::new("t.yaml", text);
        let mut cursor = Cursor::default();
        let positions: Vec<(usize, usize)> = (1..=8)
            .flat_map(|line| (0..20).map(move |col| (line, col)))
            .collect();
        for &(line, col) in &positions {
            assert_eq!(
                cursor.offset(&file, line, col),
                file.offset_of(line, col),
                "{line}:{col}"
            );
        }
        for &(line, col) in positions.iter().rev() {
            assert_eq!(cursor.offset(&file, line, col), file.offset_of(line, col));
        }
    }

    #[test]
    fn a_one_megabyte_line_parses_in_linear_time() {
        let items = vec!["1"; 300_000].join(", ");
        let root = load(&format!("a: [{items}]\n")).expect("parses");
        let list = root.entry("a").expect("a");
        assert!(matches!(&list.value.value, Value::Seq(items) if items.len() == 300_000));
    }

    #[test]
    fn json_parses_with_the_same_spans() {
        let root = load("{\"kind\": \"x\", \"n\": [1, 2.5, null]}").expect("json");
        assert_eq!(root.entry("kind").and_then(|e| e.value.as_str()), Some("x"));
    }

    #[test]
    fn tags_and_second_documents_are_refused() {
        assert_eq!(
            load("a: !!python/object x\n").expect_err("tag").code,
            "pdao::tag"
        );
        assert_eq!(
            load("a: 1\n---\nb: 2\n").expect_err("two").code,
            "pdao::multiple-documents"
        );
        assert_eq!(
            load("<<: {a: 1}\n").expect_err("merge").code,
            "pdao::merge-key"
        );
        assert_eq!(
            load("a: !!str 5\n")
                .expect("str")
                .entry("a")
                .and_then(|e| e.value.as_str()),
            Some("5")
        );
    }
}
