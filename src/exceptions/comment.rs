//! Exceptions written as a YAML comment in the document:
//!
//! ```yaml
//! term:
//!   start: 2026-01-01
//!   # pdao-exception: GD22-02 reason="医学影像模型需经临床验证" approver="深圳市人民政府" document="深府办函〔2025〕168号" expires=2027-12-31
//!   end: 2031-12-31
//!   years: 6   # pdao-exception: GD22-02b reason="同上" approver="深圳市人民政府"
//! ```
//!
//! A comment on a line of its own covers the next line that is neither blank nor a comment;
//! a comment after a value covers its own line. After `pdao-exception:` come the rule id and
//! `key=value` pairs: `reason` and `approver` (required), `document` (批复文号), `expires`
//! (the last day it applies) and `recorded_at` (the day it was recorded). A value with spaces is quoted, in "…" (`\"` and `\\` escape) or
//! “…”. A `#` inside a quoted or block scalar is text, not a comment.

use std::sync::Arc;

use super::{ExceptionRecord, Origin, Target};
use crate::dates::parse_date;
use crate::document::{Node, Value};
use crate::error::InputError;
use crate::rules::Pack;
use crate::source::{SourceFile, Span};
use crate::text;

/// The marker after `#`.
pub const MARKER: &str = "pdao-exception";

const KEYS: [&str; 5] = ["reason", "approver", "document", "expires", "recorded_at"];

/// Whether `text` may hold exception comments (a cheap test before parsing).
pub fn may_hold(text: &str) -> bool {
    text.contains(MARKER)
}

fn scalar_spans(node: &Node, out: &mut Vec<Span>) {
    match &node.value {
        Value::Map(entries) => {
            for e in entries {
                out.push(e.key_span);
                scalar_spans(&e.value, out);
            }
        }
        Value::Seq(items) => items.iter().for_each(|n| scalar_spans(n, out)),
        _ => out.push(node.span),
    }
}

/// The exception comments of a YAML document whose tree is `root`.
pub fn scan(
    file: &Arc<SourceFile>,
    root: &Node,
    pack: &Pack,
) -> (Vec<ExceptionRecord>, Vec<InputError>) {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    if !may_hold(file.text()) {
        return (records, errors);
    }
    let mut spans = Vec::new();
    scalar_spans(root, &mut spans);
    let inside_scalar = |offset: usize| spans.iter().any(|s| s.start <= offset && offset < s.end);
    let text = file.text();
    let mut line_start = 0;
    let lines: Vec<(usize, &str)> = text
        .split('\n')
        .map(|l| {
            let start = line_start;
            line_start += l.len() + 1;
            (start, l.strip_suffix('\r').unwrap_or(l))
        })
        .collect();
    for (index, (start, line)) in lines.iter().enumerate() {
        let Some(hash) = comment_start(line, |i| inside_scalar(start + i)) else {
            continue;
        };
        let comment = line.get(hash + 1..).unwrap_or("").trim_start();
        let Some(rest) = comment.strip_prefix(MARKER) else {
            continue;
        };
        let span = Span::new(start + hash, start + line.len());
        let Some(rest) = rest.strip_prefix(':') else {
            errors.push(InputError::at(
                "pdao::exception",
                file,
                span,
                text!(
                    "例外注释须写作 `# pdao-exception: 规则编号 reason=… approver=…`",
                    "an exception comment reads `# pdao-exception: RULE reason=… approver=…`"
                ),
            ));
            continue;
        };
        let own_line = line.get(..hash).unwrap_or("").trim().is_empty();
        let covered = if own_line {
            lines
                .iter()
                .enumerate()
                .skip(index + 1)
                .find(|(_, (_, l))| {
                    let t = l.trim();
                    !t.is_empty() && !t.starts_with('#')
                })
                .map(|(i, _)| i + 1)
        } else {
            Some(index + 1)
        };
        let Some(covered) = covered else {
            errors.push(InputError::at(
                "pdao::exception",
                file,
                span,
                text!(
                    "例外注释之下没有可适用的行",
                    "the exception comment has no line below it to cover"
                ),
            ));
            continue;
        };
        match parse_comment(rest, pack) {
            Ok(c) => records.push(ExceptionRecord {
                rule: c.rule,
                target: Target::Line {
                    file: file.name().to_string(),
                    line: covered,
                },
                pointer: None,
                reason: c.reason,
                approver: c.approver,
                document: c.document,
                expires: c.expires,
                recorded_at: c.recorded_at,
                source: Arc::clone(file),
                span,
                origin: Origin::Comment,
            }),
            Err((code, message)) => errors.push(
                InputError::at(code, file, span, message).with_help(text!(
                    "写作 # pdao-exception: GD22-02 reason=\"理由\" approver=\"批准机关\" document=\"批复文号\" expires=2027-12-31",
                    "write # pdao-exception: GD22-02 reason=\"why\" approver=\"who approved\" document=\"approval number\" expires=2027-12-31"
                )),
            ),
        }
    }
    (records, errors)
}

/// Byte index of the `#` that starts a comment on `line`: at the start or after whitespace,
/// outside quotes and outside any scalar of the tree.
fn comment_start(line: &str, in_scalar: impl Fn(usize) -> bool) -> Option<usize> {
    let mut previous_blank = true;
    for (i, c) in line.char_indices() {
        if c == '#' && previous_blank && !in_scalar(i) {
            return Some(i);
        }
        previous_blank = c == ' ' || c == '\t';
    }
    None
}

struct Parsed {
    rule: String,
    reason: String,
    approver: String,
    document: Option<String>,
    expires: Option<jiff::civil::Date>,
    recorded_at: Option<jiff::civil::Date>,
}

type Problem = (&'static str, text::Text);

fn parse_comment(rest: &str, pack: &Pack) -> Result<Parsed, Problem> {
    let bad = |m: text::Text| ("pdao::exception", m);
    let rest = rest.trim();
    let (rule, mut rest) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if rule.is_empty() || rule.contains('=') {
        return Err(bad(text!(
            "例外注释须先写规则编号",
            "an exception comment starts with the rule id"
        )));
    }
    let rule = match pack.rule(rule) {
        Some(r) => r.id.clone(),
        None if rule == crate::finding::SCHEMA_RULE_ID => rule.to_string(),
        None => {
            return Err(bad(text!(
                "没有编号为 {} 的规则",
                "there is no rule {}",
                rule
            )))
        }
    };
    let mut values: Vec<(&str, String)> = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let Some((key, after)) = rest.split_once('=') else {
            return Err(bad(text!(
                "`{}` 不是 key=value",
                "`{}` is not key=value",
                rest
            )));
        };
        let key = key.trim();
        if !KEYS.contains(&key) {
            let hint = if matches!(key, "pointer" | "id" | "path") {
                text::Text::new(
                    format!("；注释中的例外只适用于它所覆盖的那一行，不用 {key}"),
                    format!("; a comment covers its own line and takes no {key}"),
                )
            } else {
                text::Text::new("", "")
            };
            return Err(bad(text::Text::new(
                format!("未知的键 `{key}`（可用：{}）{}", KEYS.join(", "), hint.zh),
                format!(
                    "unknown key `{key}` (known: {}){}",
                    KEYS.join(", "),
                    hint.en
                ),
            )));
        }
        if values.iter().any(|(k, _)| *k == key) {
            return Err(bad(text!("`{}` 写了两次", "`{}` is given twice", key)));
        }
        let (value, after) = quoted_value(after).map_err(bad)?;
        values.push((key, value));
        rest = after;
    }
    let take = |k: &str| {
        values
            .iter()
            .find(|(key, _)| *key == k)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let missing: Vec<&str> = ["reason", "approver"]
        .into_iter()
        .filter(|k| take(k).is_none())
        .collect();
    if !missing.is_empty() {
        return Err((
            "pdao::exception-incomplete",
            text!(
                "例外缺少 {}：未写明理由与批准机关的例外不予适用",
                "the exception has no {}: an exception without reason and approver is not applied",
                missing.join("、")
            )
            .with_en(format!(
                "the exception has no {}: an exception without reason and approver is not applied",
                missing.join(" or ")
            )),
        ));
    }
    let date_of = |key: &str| match take(key) {
        None => Ok(None),
        Some(d) => parse_date(&d).map(Some).ok_or_else(|| {
            bad(text!(
                "{} `{}` 不是日期（写作 2027-12-31）",
                "{} `{}` is not a date (write 2027-12-31)",
                key,
                d
            ))
        }),
    };
    let expires = date_of("expires")?;
    let recorded_at = date_of("recorded_at")?;
    Ok(Parsed {
        rule,
        reason: take("reason").unwrap_or_default(),
        approver: take("approver").unwrap_or_default(),
        document: take("document"),
        expires,
        recorded_at,
    })
}

/// A value after `=`: "…" with `\"` and `\\` escapes, “…”, or a run of non-blank characters.
fn quoted_value(s: &str) -> Result<(String, &str), text::Text> {
    if let Some(body) = s.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, e @ ('"' | '\\'))) => out.push(e),
                    _ => {
                        return Err(text!(
                            "引号内只能用 \\\" 与 \\\\ 转义",
                            "only \\\" and \\\\ escape inside quotes"
                        ))
                    }
                },
                '"' => return Ok((out, body.get(i + 1..).unwrap_or(""))),
                c => out.push(c),
            }
        }
        return Err(text!("引号未闭合", "unclosed quote"));
    }
    if let Some(body) = s.strip_prefix('“') {
        return match body.split_once('”') {
            Some((v, after)) => Ok((v.to_string(), after)),
            None => Err(text!("引号未闭合", "unclosed quote")),
        };
    }
    let end = s.find(char::is_whitespace).unwrap_or(s.len());
    Ok((
        s.get(..end).unwrap_or("").to_string(),
        s.get(end..).unwrap_or(""),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_quoted_three_ways() {
        assert_eq!(
            quoted_value(r#""a \"b\" c" rest"#).map(|(v, r)| (v, r.to_string())),
            Ok(("a \"b\" c".to_string(), " rest".to_string()))
        );
        assert_eq!(
            quoted_value("“深府 办函” x").map(|(v, _)| v),
            Ok("深府 办函".to_string())
        );
        assert_eq!(
            quoted_value("2027-12-31 x").map(|(v, _)| v),
            Ok("2027-12-31".to_string())
        );
        assert!(quoted_value("\"open").is_err());
    }

    #[test]
    fn a_hash_inside_quotes_is_not_a_comment() {
        let line = r#"name: "a # pdao-exception: x"  # real"#;
        let quoted = 6..29;
        assert_eq!(comment_start(line, |i| quoted.contains(&i)), Some(31));
        assert_eq!(comment_start("  # c", |_| false), Some(2));
        assert_eq!(comment_start("a#b", |_| false), None);
    }
}
