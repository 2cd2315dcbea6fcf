//! Documents: read a file, parse it with spans kept, and identify its `kind` and `id`.

pub mod node;
pub mod yaml;

use std::sync::Arc;

pub use node::{pointer, Entry, Node, Step, Value};
pub use yaml::Limits;

use crate::error::InputError;
use crate::kind::Kind;
use crate::source::{SourceFile, Span};
use crate::text;

/// The syntax a document was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// YAML 1.2.
    Yaml,
    /// JSON (parsed by the same YAML 1.2 parser, of which it is a subset).
    Json,
}

impl Format {
    /// Detect the syntax from the file name, or from the first character when the name says nothing.
    pub fn detect(name: &str, text: &str) -> Format {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            Format::Json
        } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            Format::Yaml
        } else if text.trim_start().starts_with(['{', '[']) {
            Format::Json
        } else {
            Format::Yaml
        }
    }
}

/// A parsed document of a known kind.
#[derive(Debug, Clone)]
pub struct Document {
    /// Its text and name.
    pub file: Arc<SourceFile>,
    /// Its syntax.
    pub format: Format,
    /// The tree, with spans.
    pub root: Node,
    /// `kind:`.
    pub kind: Kind,
    /// `id:`.
    pub id: String,
}

/// Why a file is not a pdao document at all (as opposed to a malformed one).
#[derive(Debug)]
pub enum Unrecognised {
    /// The root is not a mapping with a `kind` key: some other YAML/JSON file.
    NoKind,
}

/// Decode bytes read from `name`: UTF-8, with or without a byte-order mark.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<Arc<SourceFile>, InputError> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, text)),
        Err(err) => {
            let file = SourceFile::new(name, "");
            let at = err.utf8_error().valid_up_to();
            Err(InputError::whole(
                "pdao::encoding",
                &file,
                text!(
                    "文件不是 UTF-8 文本（第 {} 字节处无效）",
                    "the file is not UTF-8 text (invalid at byte {})",
                    at
                ),
            )
            .with_help(text!(
                "请以 UTF-8 编码保存文书",
                "save the document as UTF-8"
            )))
        }
    }
}

/// Parse `file` and identify it. `Ok(Err(_))` means the file parsed but is not a pdao document.
pub fn load(
    file: &Arc<SourceFile>,
    limits: Limits,
) -> Result<Result<Document, Unrecognised>, InputError> {
    let format = Format::detect(file.name(), file.text());
    let root = yaml::parse(file, limits)?;
    let Some(kind_entry) = root.entry("kind") else {
        return Ok(Err(Unrecognised::NoKind));
    };
    let kind = match &kind_entry.value.value {
        Value::Str(name) => match Kind::from_name(name) {
            Some(kind) => kind,
            None => {
                let err = InputError::at(
                    "pdao::unknown-kind",
                    file,
                    kind_entry.value.span,
                    text!("未知的文书类型 `{}`", "unknown document kind `{}`", name),
                );
                let known = Kind::ALL.map(Kind::name).join(", ");
                return Err(match Kind::suggest(name) {
                    Some(k) => err.with_help(text!("是否应为 `{}`？", "did you mean `{}`?", k)),
                    None => err.with_help(text!("可用类型：{}", "known kinds: {}", known)),
                });
            }
        },
        _ => {
            return Err(InputError::at(
                "pdao::unknown-kind",
                file,
                kind_entry.value.span,
                text!("`kind` 必须是文字", "`kind` must be a string"),
            ))
        }
    };
    let id = match root.entry("id").map(|e| &e.value) {
        Some(Node {
            value: Value::Str(id),
            ..
        }) if !id.trim().is_empty() => id.clone(),
        Some(other) => {
            return Err(InputError::at(
                "pdao::missing-id",
                file,
                other.span,
                text!("`id` 必须是非空文字", "`id` must be a non-empty string"),
            ))
        }
        None => {
            return Err(InputError::at(
                "pdao::missing-id",
                file,
                kind_entry.key_span,
                text!("文书缺少 `id`", "the document has no `id`"),
            )
            .with_help(text!(
                "在 kind 之后写明本文书的编号，如 id: gz-transport-2026",
                "add the document's identifier after kind, e.g. id: gz-transport-2026"
            )))
        }
    };
    Ok(Ok(Document {
        file: Arc::clone(file),
        format,
        root,
        kind,
        id,
    }))
}

/// The error for a file that was named explicitly but is not a pdao document.
pub fn not_a_document(file: &Arc<SourceFile>, root_span: Option<Span>) -> InputError {
    let err = match root_span {
        Some(span) => InputError::at(
            "pdao::not-a-document",
            file,
            span,
            text!(
                "不是 pdao 文书：缺少 `kind`",
                "not a pdao document: no `kind`"
            ),
        ),
        None => InputError::whole(
            "pdao::not-a-document",
            file,
            text!(
                "不是 pdao 文书：顶层必须是包含 `kind` 与 `id` 的映射",
                "not a pdao document: the top level must be a mapping with `kind` and `id`"
            ),
        ),
    };
    err.with_help(text!(
        "在文件开头写明 kind（如 kind: operating-agreement）与 id",
        "start the file with kind (e.g. kind: operating-agreement) and id"
    ))
}
