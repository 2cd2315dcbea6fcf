//! Exceptions as audit records: a finding a competent authority has approved stays visible in
//! every report, marked with who approved it, why, under which 批复文号 and until when.
//!
//! Records come from an exceptions file ([`mod@file`]) or from a comment in the document itself
//! ([`comment`]). A record without reason or approver is an error of its own and excuses
//! nothing; an expired one stops applying and says so; one that matches nothing is reported
//! as unused. This is distinct from a rule's 原则上 exception (`term.exception`), which the
//! document records and which turns GD22-02 into a warning.

pub mod comment;
pub mod file;
pub mod index;

use std::path::PathBuf;
use std::sync::Arc;

use jiff::civil::Date;
use serde::Serialize;

use crate::finding::Finding;
use crate::source::{SourceFile, Span};

/// Which findings a record is about, besides its rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The document with this `id`.
    Id(String),
    /// The document in this file (absolute, cleaned), as named from `cwd`.
    Path {
        /// The file.
        absolute: PathBuf,
        /// The working directory finding names are relative to.
        cwd: PathBuf,
    },
    /// A line of the file holding the comment (1-based).
    Line {
        /// The document's file name, as findings show it.
        file: String,
        /// The line the comment covers.
        line: usize,
    },
}

/// Where a record was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// An exceptions file.
    File,
    /// A `# pdao-exception:` comment in the document.
    Comment,
}

/// An approved exception.
#[derive(Debug, Clone)]
pub struct ExceptionRecord {
    /// The rule it excuses.
    pub rule: String,
    /// The document (and line) it applies to.
    pub target: Target,
    /// Only findings at this JSON Pointer or below it.
    pub pointer: Option<String>,
    /// Why the exception was granted.
    pub reason: String,
    /// Who approved it (批准机关).
    pub approver: String,
    /// The approval's document number (批复文号).
    pub document: Option<String>,
    /// The last day it applies.
    pub expires: Option<Date>,
    /// The day it was recorded (a policy may bound how long after it the exception runs).
    pub recorded_at: Option<Date>,
    /// The file it was written in.
    pub source: Arc<SourceFile>,
    /// Where in that file.
    pub span: Span,
    /// File or comment.
    pub origin: Origin,
}

impl ExceptionRecord {
    /// Whether the record is about `f` (regardless of expiry).
    pub fn covers(&self, f: &Finding) -> bool {
        if !f.rule.eq_ignore_ascii_case(&self.rule) {
            return false;
        }
        let target = match &self.target {
            Target::Id(id) => f.document == *id,
            Target::Path { absolute, cwd } => {
                f.file.name() != "<stdin>"
                    && crate::config::paths::absolute(cwd, std::path::Path::new(f.file.name()))
                        == *absolute
            }
            Target::Line { file, line } => f.file.name() == file && f.position.line == *line,
        };
        target
            && self.pointer.as_deref().is_none_or(|p| {
                f.pointer == p
                    || f.pointer
                        .strip_prefix(p)
                        .is_some_and(|rest| rest.starts_with('/'))
            })
    }

    /// The document it names, as users wrote it.
    pub fn target_text(&self) -> String {
        match &self.target {
            Target::Id(id) => id.clone(),
            Target::Path { absolute, cwd } => absolute
                .strip_prefix(cwd)
                .unwrap_or(absolute)
                .display()
                .to_string(),
            Target::Line { file, line } => format!("{file}:{line}"),
        }
    }

    /// `file:line` of the record.
    pub fn location(&self) -> String {
        let p = self.source.position(self.span.start);
        format!("{}:{}", self.source.name(), p.line)
    }
}

/// What became of a record in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExceptionStatus {
    /// It excused at least one finding.
    Applied,
    /// Past its expiry date: it excuses nothing; the findings it covers count again.
    Expired,
    /// It matched no finding (the problem was fixed, or the record names the wrong thing).
    Unused,
    /// The CI policy does not let it apply (see [`ExceptionUse::refusal`]); the findings it
    /// covers count.
    Refused,
}

impl ExceptionStatus {
    /// Lower-case English name.
    pub fn name(self) -> &'static str {
        match self {
            ExceptionStatus::Applied => "applied",
            ExceptionStatus::Expired => "expired",
            ExceptionStatus::Unused => "unused",
            ExceptionStatus::Refused => "refused",
        }
    }

    /// Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            ExceptionStatus::Applied => "已适用",
            ExceptionStatus::Expired => "已过期",
            ExceptionStatus::Unused => "未使用",
            ExceptionStatus::Refused => "不予适用",
        }
    }
}

/// A record and what became of it.
#[derive(Debug, Clone)]
pub struct ExceptionUse {
    /// The record.
    pub record: ExceptionRecord,
    /// Its status.
    pub status: ExceptionStatus,
    /// Findings it covers (excused, or, when expired or refused, the ones that count).
    pub matched: usize,
    /// Why the policy does not let it apply, when it does not.
    pub refusal: Option<crate::text::Text>,
}

impl ExceptionUse {
    /// A one-line note for the human and GitHub reports, or `None` when it applied.
    pub fn note(&self) -> Option<crate::text::Text> {
        let r = &self.record;
        match self.status {
            ExceptionStatus::Applied => None,
            ExceptionStatus::Refused => {
                let why = self
                    .refusal
                    .clone()
                    .unwrap_or_else(|| crate::text::Text::new("", ""));
                Some(crate::text::Text::new(
                    format!(
                        "{}：{} 对 {} 的例外不予适用：{}（{} 项发现照常计入）",
                        r.location(),
                        r.rule,
                        r.target_text(),
                        why.zh,
                        self.matched
                    ),
                    format!(
                        "{}: the exception to {} for {} does not apply: {} ({} findings count)",
                        r.location(),
                        r.rule,
                        r.target_text(),
                        why.en,
                        self.matched
                    ),
                ))
            }
            ExceptionStatus::Expired => Some(crate::text!(
                "{}：{} 对 {} 的例外已于 {} 到期，不再适用（{} 项发现重新计入）",
                "{}: the exception to {} for {} expired on {} and no longer applies ({} findings count again)",
                r.location(),
                r.rule,
                r.target_text(),
                r.expires.map(|d| d.to_string()).unwrap_or_default(),
                self.matched
            )),
            ExceptionStatus::Unused => Some(crate::text!(
                "{}：{} 对 {} 的例外未匹配任何发现，可删除或更正",
                "{}: the exception to {} for {} matches no finding; remove or correct it",
                r.location(),
                r.rule,
                r.target_text()
            )),
        }
    }
}
