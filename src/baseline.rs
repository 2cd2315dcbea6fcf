//! Fingerprints and the baseline: a repository that already has findings records them once
//! (`--write-baseline FILE`) and from then on fails only on new ones (`--baseline FILE`).
//!
//! A fingerprint is a hash of the rule, the file's path, the JSON Pointer and the offending
//! value's text (whitespace removed): it does not change when lines move or the file is
//! re-indented, and it changes when the offending value does.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::InputError;
use crate::finding::Finding;
use crate::source::SourceFile;
use crate::text;

/// Format version written into baseline files.
pub const BASELINE_VERSION: u32 = 1;

/// A path as fingerprints see it: `/` separators, no `./` or empty components. A backslash is
/// a separator only on Windows; elsewhere it is part of a name (which pdao writes `\\`, see
/// [`crate::visible::path`]), so `a\\b.yaml` and `a/b.yaml` stay two files.
pub fn normalize_path(name: &str) -> String {
    let unified = if cfg!(windows) {
        name.replace('\\', "/")
    } else {
        name.to_string()
    };
    let absolute = unified.starts_with('/');
    let parts: Vec<&str> = unified
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// The finding's fingerprint: 32 hex digits, stable across runs and line moves.
pub fn fingerprint(f: &Finding) -> String {
    let value: String = f
        .file
        .text()
        .get(f.span.start..f.span.end)
        .unwrap_or("")
        .split_whitespace()
        .collect();
    hash_parts(&[
        "pdao-fingerprint-v1",
        f.rule.as_str(),
        &normalize_path(f.file.name()),
        &f.pointer,
        &value,
    ])
}

/// SHA-256 of the parts (each followed by a NUL byte), as 32 hex digits.
pub fn hash_parts(parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part.as_bytes());
        hash.update([0u8]);
    }
    hash.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// SHA-256 of `bytes`, as 64 hex digits (reports name the baseline and policy files by it).
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The fingerprint of the `n`-th finding (from 1) sharing `fp` in one report: the first keeps
/// `fp`, later ones get a derived one, so fingerprints are unique and still stable.
pub fn occurrence_fingerprint(fp: &str, n: usize) -> String {
    if n <= 1 {
        fp.to_string()
    } else {
        hash_parts(&[fp, &n.to_string()])
    }
}

/// One known finding. Only `fingerprint` is matched; the rest helps people review the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// The fingerprint.
    pub fingerprint: String,
    /// The rule.
    pub rule: String,
    /// The file.
    pub file: String,
    /// The JSON Pointer.
    pub pointer: String,
    /// The message, for people reading the baseline (never matched).
    #[serde(default)]
    pub message: String,
}

/// A baseline file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version.
    pub version: u32,
    /// The tool that wrote it.
    #[serde(default)]
    pub tool: String,
    /// Known findings, in input order.
    pub findings: Vec<BaselineEntry>,
}

impl Baseline {
    /// The baseline of a set of findings (messages in Chinese: the file is for reviewers).
    pub fn of<'a>(findings: impl Iterator<Item = &'a Finding>) -> Baseline {
        Baseline {
            version: BASELINE_VERSION,
            tool: format!("pdao {}", env!("CARGO_PKG_VERSION")),
            findings: findings
                .map(|f| BaselineEntry {
                    fingerprint: fingerprint(f),
                    rule: f.rule.clone(),
                    file: normalize_path(f.file.name()),
                    pointer: f.pointer.clone(),
                    message: f.message.zh.clone(),
                })
                .collect(),
        }
    }

    /// The file's text: pretty JSON, one entry per finding, so that diffs read well.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into()) + "\n"
    }

    /// Parse a baseline file.
    pub fn parse(file: &Arc<SourceFile>) -> Result<Baseline, InputError> {
        let baseline: Baseline = serde_json::from_str(file.text()).map_err(|e| {
            let offset = file.offset_of(e.line(), e.column().saturating_sub(1));
            let error = InputError::at(
                "pdao::baseline",
                file,
                crate::source::Span::new(offset, offset),
                text!("基线文件格式不符：{}", "malformed baseline file: {}", e),
            );
            let not_an_object = !file.text().trim_start().starts_with('{');
            if e.is_syntax() || e.is_eof() || not_an_object {
                // Perhaps not a baseline at all: its text (or a value quoted by the parser) is
                // not shown.
                return error.without_text("JSON");
            }
            error.with_help(text!(
                "用 pdao check --write-baseline FILE 重新生成",
                "regenerate it with pdao check --write-baseline FILE"
            ))
        })?;
        if baseline.version != BASELINE_VERSION {
            return Err(InputError::whole(
                "pdao::baseline",
                file,
                text!(
                    "基线文件版本 {} 不受支持（应为 {}）",
                    "baseline version {} is not supported (expected {})",
                    baseline.version,
                    BASELINE_VERSION
                ),
            ));
        }
        Ok(baseline)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_lexically() {
        assert_eq!(normalize_path("./a//b/./c.yaml"), "a/b/c.yaml");
        let backslash = if cfg!(windows) {
            "a/b.yaml"
        } else {
            "a\\b.yaml"
        };
        assert_eq!(normalize_path("a\\b.yaml"), backslash);
        assert_eq!(normalize_path("/abs/./x"), "/abs/x");
    }
}
