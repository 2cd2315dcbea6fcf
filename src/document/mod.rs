//! Documents: read a file, parse it with spans kept, and identify its `kind` and `id`.

pub mod node;
pub mod slips;
pub mod yaml;

use std::sync::Arc;

pub use node::{pointer, Entry, Node, Step, Value};
pub use yaml::Limits;

use crate::error::InputError;
use crate::kind::{edit_distance, Kind};
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

/// Decode bytes read from `name`: UTF-8 with or without a byte-order mark, or UTF-16/UTF-32
/// with one (as Windows editors save “Unicode” text). Positions are then counted in the decoded
/// text, in characters, so lines and columns match what the user's editor shows. A NUL byte
/// outside those encodings marks a binary file.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<Arc<SourceFile>, InputError> {
    let decoded = match bytes.as_slice() {
        [0x00, 0x00, 0xFE, 0xFF, rest @ ..] => wide(rest, 4, Endian::Big),
        [0xFF, 0xFE, 0x00, 0x00, rest @ ..] => wide(rest, 4, Endian::Little),
        [0xFE, 0xFF, rest @ ..] => wide(rest, 2, Endian::Big),
        [0xFF, 0xFE, rest @ ..] => wide(rest, 2, Endian::Little),
        _ => {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
            let offset = bytes.len() - body.len();
            if let Some(at) = body.iter().position(|&b| b == 0) {
                return Err(InputError::whole(
                    "pdao::binary",
                    &SourceFile::new(name, ""),
                    text!(
                        "不是文本文件（第 {} 字节处为 NUL）：二进制文件，或没有字节顺序标记（BOM）的 UTF-16/UTF-32 文本",
                        "not a text file (NUL at byte {}): a binary file, or UTF-16/UTF-32 text without a byte-order mark",
                        at + offset
                    ),
                )
                .with_help(text!(
                    "请以 UTF-8 编码保存文书",
                    "save the document as UTF-8"
                )));
            }
            match std::str::from_utf8(body) {
                Ok(text) => Ok(text.to_string()),
                Err(err) => Err(("UTF-8", err.valid_up_to() + offset)),
            }
        }
    };
    match decoded {
        Ok(text) => Ok(SourceFile::new(name, text)),
        Err((encoding, at)) => Err(InputError::whole(
            "pdao::encoding",
            &SourceFile::new(name, ""),
            text!(
                "文件不是有效的 {} 文本（第 {} 字节处无效）",
                "the file is not valid {} text (invalid at byte {})",
                encoding,
                at
            ),
        )
        .with_help(text!(
            "请以 UTF-8 编码保存文书",
            "save the document as UTF-8"
        ))),
    }
}

#[derive(Clone, Copy)]
enum Endian {
    Big,
    Little,
}

/// Decode UTF-16 (`width` 2) or UTF-32 (`width` 4) after its byte-order mark. The error names
/// the encoding and the byte offset (in the file, BOM included) of the first bad unit.
fn wide(body: &[u8], width: usize, endian: Endian) -> Result<String, (&'static str, usize)> {
    let name = if width == 2 { "UTF-16" } else { "UTF-32" };
    if !body.len().is_multiple_of(width) {
        return Err((name, width + body.len() - body.len() % width));
    }
    let unit = |c: &[u8]| {
        let word = c.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
        match endian {
            Endian::Big => word,
            Endian::Little if width == 2 => u32::from((word as u16).swap_bytes()),
            Endian::Little => word.swap_bytes(),
        }
    };
    let mut text = String::with_capacity(body.len());
    let mut units = body.chunks(width).map(unit).enumerate().peekable();
    while let Some((i, u)) = units.next() {
        let c = if width == 2 && (0xD800..0xDC00).contains(&u) {
            units
                .next_if(|(_, low)| (0xDC00..0xE000).contains(low))
                .and_then(|(_, low)| {
                    char::from_u32(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00))
                })
        } else {
            char::from_u32(u)
        };
        match c {
            Some(c) => text.push(c),
            None => return Err((name, width + i * width)),
        }
    }
    Ok(text)
}

/// Parse `file` and identify it. `Ok(Err(_))` means the file parsed but is not a pdao document.
pub fn load(
    file: &Arc<SourceFile>,
    limits: Limits,
) -> Result<Result<Document, Unrecognised>, InputError> {
    let format = Format::detect(file.name(), file.text());
    let root = yaml::parse(file, limits)?;
    let Some(kind_entry) = root.entry("kind") else {
        if let Some(near) = misspelt_kind(&root) {
            return Err(misspelt_kind_error(file, near));
        }
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
                    text!(
                        "未知的文书类型 `{}`",
                        "unknown document kind `{}`",
                        crate::visible::value(name)
                    ),
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

/// Whether `key` reads as a slip for `kind`: another case (`Kind`, `KIND`), or one letter
/// added, dropped, changed or two swapped (`knid`, `kinds`, `kin`). `id`, two edits away, is not.
pub fn near_kind(key: &str) -> bool {
    let lower: Vec<char> = key.to_lowercase().chars().collect();
    let kind: Vec<char> = "kind".chars().collect();
    if lower == kind {
        return key != "kind";
    }
    if edit_distance(&lower.iter().collect::<String>(), "kind") <= 1 {
        return true;
    }
    // One swap of neighbours.
    lower.len() == kind.len() && {
        let differ: Vec<usize> = (0..kind.len())
            .filter(|&i| lower.get(i) != kind.get(i))
            .collect();
        matches!(differ.as_slice(), [a, b] if *b == a + 1
            && lower.get(*a) == kind.get(*b)
            && lower.get(*b) == kind.get(*a))
    }
}

/// The entry of a mapping without `kind` whose key is a slip for it ([`near_kind`]) in a file
/// that otherwise looks like a document: the key's value names a kind (or nearly), or the
/// mapping has an `id`. A configuration file with a `bind:` key is left alone.
fn misspelt_kind(root: &Node) -> Option<&Entry> {
    let Value::Map(entries) = &root.value else {
        return None;
    };
    let has_id = root.entry("id").is_some();
    entries.iter().find(|e| {
        near_kind(&e.key)
            && (has_id
                || e.value.as_str().is_some_and(|v| {
                    Kind::from_name(v.trim())
                        .or_else(|| Kind::suggest(v.trim()))
                        .is_some()
                }))
    })
}

fn misspelt_kind_error(file: &Arc<SourceFile>, near: &Entry) -> InputError {
    InputError::at(
        "pdao::misspelt-kind",
        file,
        near.key_span,
        text!(
            "键 `{}` 像是 `kind` 的误写：本文件未被识别为文书，未作检查",
            "the key `{}` looks like a misspelt `kind`: this file was not recognised as a document and was not checked",
            crate::visible::value(&near.key)
        ),
    )
    .labelled(text!("应为 `kind`", "should be `kind`"))
    .with_help(text!(
        "写作小写的 kind（如 kind: operating-agreement）",
        "write it as kind, in lower case (e.g. kind: operating-agreement)"
    ))
}

/// For a file whose name looks like a copy of a document (`a.yaml.bak`), the error that says
/// it holds one and was not checked, located at its `kind` — or `None` when it is not a
/// document at all (no kind pdao knows or nearly knows, or not even YAML or JSON).
pub fn document_copy(file: &Arc<SourceFile>, limits: Limits) -> Option<InputError> {
    let root = yaml::parse(file, limits).ok()?;
    let (span, kind) = match root.entry("kind") {
        Some(entry) => {
            let name = entry.value.as_str()?.trim();
            let kind = Kind::from_name(name).or_else(|| Kind::suggest(name))?;
            (entry.value.span, kind.name().to_string())
        }
        None => {
            let near = misspelt_kind(&root)?;
            (near.key_span, crate::visible::value(&near.value.display()))
        }
    };
    Some(
        InputError::at(
            "pdao::document-copy",
            file,
            span,
            text!(
                "这像是一份文书（{}）的副本，但文件名不以 .yaml、.yml 或 .json 结尾，未作检查",
                "this looks like a copy of a document ({}), but its name does not end in .yaml, .yml or .json, so it was not checked",
                kind
            ),
        )
        .with_help(text!(
            "若它是要提交的文书，改名为 .yaml；若是旧副本，删除它，或在 pdao.toml 的 exclude 中排除（报告会列出排除的文件数）",
            "if it is a document to submit, rename it to .yaml; if it is an old copy, delete it, or exclude it in pdao.toml (reports count excluded files)"
        )),
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big: bool) -> Vec<u8> {
        let mut out = if big {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for u in text.encode_utf16() {
            out.extend(if big {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        out
    }

    #[test]
    fn slips_for_kind_are_near_and_id_is_not() {
        for key in [
            "Kind", "KIND", "knid", "kidn", "iknd", "kinds", "kin", "kimd", "kind ",
        ] {
            assert!(near_kind(key), "{key}");
        }
        for key in ["kind", "id", "name", "kinder-garten", "dink", "type"] {
            assert!(!near_kind(key), "{key}");
        }
        let file = SourceFile::new("a.yaml", "knid: operating-agreement\nregion: 广州市\n");
        let err = load(&file, Limits::default()).expect_err("misspelt");
        assert_eq!(err.code, "pdao::misspelt-kind");
        let config = SourceFile::new("b.yaml", "bind: 0.0.0.0\nport: 80\n");
        assert!(matches!(load(&config, Limits::default()), Ok(Err(_))));
    }

    #[test]
    fn utf16_and_utf32_with_a_bom_are_decoded() {
        let text = "kind: operating-agreement\nid: 广州𠀋\n";
        for big in [true, false] {
            let file = decode("u.yaml", utf16(text, big)).expect("utf-16");
            assert_eq!(file.text(), text);
        }
        let mut utf32 = vec![0xFF, 0xFE, 0, 0];
        utf32.extend(text.chars().flat_map(|c| (c as u32).to_le_bytes()));
        assert_eq!(decode("u.yaml", utf32).expect("utf-32").text(), text);
    }

    #[test]
    fn bad_encodings_and_binaries_are_named_with_the_byte() {
        let mut lone = utf16("ab", false);
        lone.extend([0x00, 0xD8, b'c', 0]);
        let err = decode("x.yaml", lone).expect_err("lone surrogate");
        assert_eq!(err.code, "pdao::encoding");
        assert!(err.message.en.contains("UTF-16") && err.message.en.contains("byte 6"));
        let err = decode("x.yaml", vec![0xFF, 0xFE, b'a']).expect_err("odd length");
        assert!(err.message.en.contains("byte 2"), "{}", err.message.en);
        let err = decode("x.yaml", b"a: \xff\n".to_vec()).expect_err("latin-1");
        assert_eq!(err.code, "pdao::encoding");
        assert!(err.message.en.contains("UTF-8") && err.message.en.contains("byte 3"));
        let err = decode("x.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()).expect_err("binary");
        assert!(matches!(err.code, "pdao::binary" | "pdao::encoding"));
        let err = decode("x.yaml", b"a: 1\0".to_vec()).expect_err("NUL");
        assert_eq!(err.code, "pdao::binary");
        assert_eq!(
            decode("x.yaml", b"\xEF\xBB\xBFa: 1\n".to_vec())
                .expect("utf-8 bom")
                .text(),
            "a: 1\n"
        );
    }
}
