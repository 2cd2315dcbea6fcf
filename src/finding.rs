//! Findings: every one is made by [`Finding::from_rule`] or [`Finding::from_schema`], which attach
//! the citation, so nothing reaches a user without its article.

use std::sync::Arc;

use crate::citation::Citation;
use crate::document::Document;
use crate::measure::Measure;
use crate::rules::Rule;
use crate::severity::Severity;
use crate::source::{Position, SourceFile, Span};
use crate::text::Text;

/// Id reported for JSON Schema violations (wrong type, unknown field, bad format).
pub const SCHEMA_RULE_ID: &str = "PDAO-SCHEMA";

/// One problem in one document.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The rule's id.
    pub rule: String,
    /// Severity after exceptions and 等-lists are taken into account.
    pub severity: Severity,
    /// What is wrong (the rule's message).
    pub message: Text,
    /// What is wrong at this place (the label under the span).
    pub detail: Text,
    /// How to fix it.
    pub help: Text,
    /// The provision.
    pub citation: Citation,
    /// 第二十二条第（二）项.
    pub citation_zh: String,
    /// Art. 22(2).
    pub citation_en: String,
    /// The provision's words.
    pub quote: String,
    /// The document's file.
    pub file: Arc<SourceFile>,
    /// The document's id.
    pub document: String,
    /// JSON Pointer of the offending value (or of the missing field).
    pub pointer: String,
    /// Where to show it.
    pub span: Span,
    /// Line and column of `span`.
    pub position: Position,
    /// Places in other documents the finding is about (cross-document rules).
    pub related: Vec<RelatedLocation>,
    /// The finding says a referenced document is not in the set, rather than that a rule failed.
    pub unresolved: bool,
}

/// A second place a finding points at, possibly in another document.
#[derive(Debug, Clone)]
pub struct RelatedLocation {
    /// The file.
    pub file: Arc<SourceFile>,
    /// The document's id.
    pub document: String,
    /// JSON Pointer in that document.
    pub pointer: String,
    /// Where.
    pub span: Span,
    /// Line and column.
    pub position: Position,
    /// What is there.
    pub label: Text,
}

impl Finding {
    /// A finding of `rule` in `doc` at `pointer`/`span`.
    #[allow(clippy::too_many_arguments)]
    pub fn from_rule(
        rule: &Rule,
        measure: &Measure,
        doc: &Document,
        severity: Severity,
        pointer: String,
        span: Span,
        detail: Text,
    ) -> Finding {
        Finding {
            rule: rule.id.clone(),
            severity,
            message: rule.message.clone(),
            detail,
            help: rule.help.clone(),
            citation: rule.citation,
            citation_zh: rule.citation.zh(measure),
            citation_en: rule.citation.en(measure),
            quote: rule.quote.clone(),
            file: Arc::clone(&doc.file),
            document: doc.id.clone(),
            pointer,
            span,
            position: doc.file.position(span.start),
            related: Vec::new(),
            unresolved: false,
        }
    }

    /// A JSON Schema violation, cited to the provision the field serves (`x-citation`).
    pub fn from_schema(
        citation: Citation,
        measure: &Measure,
        doc: &Document,
        pointer: String,
        span: Span,
        message: Text,
    ) -> Finding {
        let quote = citation
            .scope_text(measure)
            .unwrap_or_default()
            .trim_end_matches(['；', ';', '。'])
            .to_string();
        Finding {
            rule: SCHEMA_RULE_ID.to_string(),
            severity: Severity::Error,
            detail: message.clone(),
            message,
            help: Text::new(
                "按 `pdao schema` 所示的字段名与类型填写",
                "use the field names and types shown by `pdao schema`",
            ),
            citation,
            citation_zh: citation.zh(measure),
            citation_en: citation.en(measure),
            quote,
            file: Arc::clone(&doc.file),
            document: doc.id.clone(),
            pointer,
            span,
            position: doc.file.position(span.start),
            related: Vec::new(),
            unresolved: false,
        }
    }
}
