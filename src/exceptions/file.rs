//! The exceptions file (`pdao-exceptions.yaml`, or `.json`): a list of audit records.
//!
//! ```yaml
//! exceptions:
//!   - rule: GD22-02                     # the rule excused
//!     id: SZ-YLJK-2026-XY01             # the document: its id, or `path:` (relative to this file)
//!     pointer: /term/end                # optional: only findings at or below this JSON Pointer
//!     reason: 医学影像模型需经临床验证，研发周期长   # required
//!     approver: 深圳市人民政府             # required: 批准机关
//!     document: 深府办函〔2025〕168号      # 批复文号
//!     expires: 2027-12-31               # optional: the last day it applies
//!     recorded_at: 2026-01-15           # optional: the day it was recorded
//! ```

use std::path::Path;
use std::sync::Arc;

use super::{ExceptionRecord, Origin, Target};
use crate::config::project::Project;
use crate::dates::parse_date;
use crate::document::{yaml, Limits, Node, Value};
use crate::error::InputError;
use crate::rules::Pack;
use crate::source::{SourceFile, Span};
use crate::text;

const KEYS: [&str; 9] = [
    "rule",
    "id",
    "path",
    "pointer",
    "reason",
    "approver",
    "document",
    "expires",
    "recorded_at",
];

/// Where an exceptions file's records are: `dir` (absolute) is the file's directory, which
/// `path:` entries are relative to; they must resolve inside `project`. Names are matched from
/// `cwd`.
pub struct Place<'a> {
    /// The file's directory.
    pub dir: &'a Path,
    /// The working directory.
    pub cwd: &'a Path,
    /// The project `path:` entries must stay in.
    pub project: &'a Project,
}

/// Parse an exceptions file. Invalid records are errors and are left out.
pub fn parse(
    file: &Arc<SourceFile>,
    place: &Place<'_>,
    pack: &Pack,
) -> (Vec<ExceptionRecord>, Vec<InputError>) {
    let root = match yaml::parse(file, Limits::default()) {
        Ok(root) => root,
        Err(e) => return (Vec::new(), vec![e.without_text("YAML/JSON")]),
    };
    let err =
        |span: Span, message: text::Text| InputError::at("pdao::exception", file, span, message);
    let list = match &root.value {
        Value::Map(entries) => {
            let mut list = None;
            let mut errors = Vec::new();
            for e in entries {
                if e.key == "exceptions" {
                    list = Some(&e.value);
                } else {
                    errors.push(err(
                        e.key_span,
                        text!(
                            "未知的键 `{}`：例外文件只有 exceptions 列表",
                            "unknown key `{}`: an exceptions file holds only the exceptions list",
                            e.key
                        ),
                    ));
                }
            }
            if !errors.is_empty() {
                return (Vec::new(), errors);
            }
            list
        }
        Value::Null => return (Vec::new(), Vec::new()),
        _ => {
            // Not a mapping: perhaps not an exceptions file at all; its text is not shown.
            return (
                Vec::new(),
                vec![InputError::whole(
                    "pdao::exception",
                    &SourceFile::new(file.name(), ""),
                    text!(
                        "例外文件须为 `exceptions:` 之下的列表",
                        "an exceptions file must be a list under `exceptions:`"
                    ),
                )],
            );
        }
    };
    let items = match list.map(|l| &l.value) {
        Some(Value::Seq(items)) => items.as_slice(),
        Some(Value::Null) => &[],
        _ => {
            return (
                Vec::new(),
                vec![err(
                    list.map_or_else(|| Span::new(0, 0), |l| l.span),
                    text!(
                        "例外文件须为 `exceptions:` 之下的列表",
                        "an exceptions file must be a list under `exceptions:`"
                    ),
                )],
            )
        }
    };
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for item in items {
        match record(file, item, place, pack) {
            Ok(r) => records.push(r),
            Err(mut e) => errors.append(&mut e),
        }
    }
    (records, errors)
}

fn record(
    file: &Arc<SourceFile>,
    item: &Node,
    place: &Place<'_>,
    pack: &Pack,
) -> Result<ExceptionRecord, Vec<InputError>> {
    let err =
        |span: Span, message: text::Text| InputError::at("pdao::exception", file, span, message);
    let Value::Map(entries) = &item.value else {
        return Err(vec![err(
            item.span,
            text!("每条例外须为映射", "each exception must be a mapping"),
        )]);
    };
    let mut errors = Vec::new();
    for e in entries {
        if !KEYS.contains(&e.key.as_str()) {
            errors.push(err(
                e.key_span,
                text!(
                    "未知的键 `{}`（可用：{}）",
                    "unknown key `{}` (known: {})",
                    e.key,
                    KEYS.join(", ")
                ),
            ));
        }
    }
    let head = entries.first().map_or(item.span, |e| e.key_span);
    let text_of = |key: &str, errors: &mut Vec<InputError>| -> Option<(String, Span)> {
        let e = item.entry(key)?;
        match &e.value.value {
            Value::Str(s) if !s.trim().is_empty() => Some((s.trim().to_string(), e.value.span)),
            Value::Int(i) => Some((i.to_string(), e.value.span)),
            Value::Null => None,
            Value::Str(_) => None,
            _ => {
                errors.push(err(
                    e.value.span,
                    text!("`{}` 须为文字", "`{}` must be text", key),
                ));
                None
            }
        }
    };
    let rule = text_of("rule", &mut errors);
    let id = text_of("id", &mut errors);
    let path = text_of("path", &mut errors);
    let pointer = text_of("pointer", &mut errors);
    let reason = text_of("reason", &mut errors);
    let approver = text_of("approver", &mut errors);
    let document = text_of("document", &mut errors);
    let expires = text_of("expires", &mut errors);
    let recorded_at = text_of("recorded_at", &mut errors);
    let rule = match rule {
        None => {
            errors.push(err(
                head,
                text!(
                    "例外缺少 rule（规则编号）",
                    "the exception has no rule (rule id)"
                ),
            ));
            None
        }
        Some((id, span)) => match pack.rule(&id) {
            Some(r) => Some(r.id.clone()),
            None if id == crate::finding::SCHEMA_RULE_ID => Some(id),
            None => {
                errors.push(err(
                    span,
                    text!("没有编号为 {} 的规则", "there is no rule {}", id),
                ));
                None
            }
        },
    };
    let target = match (id, path) {
        (Some((id, _)), None) => Some(Target::Id(id)),
        (None, Some((p, span))) => {
            let absolute = crate::config::paths::absolute(place.dir, Path::new(&p));
            match place.project.contain(&absolute) {
                Ok(_) => Some(Target::Path {
                    absolute,
                    cwd: place.cwd.to_path_buf(),
                }),
                Err(why) => {
                    let why = why.reason(place.project);
                    errors.push(err(
                        span,
                        text::Text::new(
                            format!("path `{p}` {}：例外只能指向项目之内的文书", why.zh),
                            format!(
                                "path `{p}` {}: an exception can only name a document inside the project",
                                why.en
                            ),
                        ),
                    ));
                    None
                }
            }
        }
        (Some(_), Some((_, span))) => {
            errors.push(err(
                span,
                text!("id 与 path 只能写一个", "give either id or path, not both"),
            ));
            None
        }
        (None, None) => {
            errors.push(err(
                head,
                text!(
                    "例外须以 id（文书编号）或 path（文件路径）指明文书",
                    "the exception must name its document by id or path"
                ),
            ));
            None
        }
    };
    let pointer = match pointer {
        Some((p, span)) if !p.starts_with('/') => {
            errors.push(err(
                span,
                text!(
                    "pointer 须为以 / 开头的 JSON Pointer，如 /term/end",
                    "pointer must be a JSON Pointer starting with /, e.g. /term/end"
                ),
            ));
            None
        }
        other => other.map(|(p, _)| p),
    };
    let mut date_of = |key: &str, value: Option<(String, Span)>| match value {
        Some((d, span)) => match parse_date(&d) {
            Some(date) => Some(date),
            None => {
                errors.push(err(
                    span,
                    text!(
                        "{} `{}` 不是日期（写作 2027-12-31）",
                        "{} `{}` is not a date (write 2027-12-31)",
                        key,
                        d
                    ),
                ));
                None
            }
        },
        None => None,
    };
    let expires = date_of("expires", expires);
    let recorded_at = date_of("recorded_at", recorded_at);
    for (value, what) in [(&reason, "reason"), (&approver, "approver")] {
        if value.is_none() {
            errors.push(
                InputError::at(
                    "pdao::exception-incomplete",
                    file,
                    head,
                    text!(
                        "例外缺少 {}：未写明理由与批准机关的例外不予适用",
                        "the exception has no {}: an exception without reason and approver is not applied",
                        what
                    ),
                )
                .with_help(text!(
                    "写明 reason（理由）与 approver（批准机关），最好同时写明 document（批复文号）与 expires（到期日）",
                    "give reason and approver, and preferably document (the approval's number) and expires"
                )),
            );
        }
    }
    match (rule, target, reason, approver) {
        (Some(rule), Some(target), Some((reason, _)), Some((approver, _))) if errors.is_empty() => {
            Ok(ExceptionRecord {
                rule,
                target,
                pointer,
                reason,
                approver,
                document: document.map(|(d, _)| d),
                expires,
                recorded_at,
                source: Arc::clone(file),
                span: head,
                origin: Origin::File,
            })
        }
        _ => Err(errors),
    }
}
