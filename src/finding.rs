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
    /// For the one finding that stands for the rest of its rule in its document, beyond the
    /// first [`MAX_PER_RULE`] listed: how many more there are. Otherwise 0.
    pub omitted: usize,
}

/// Findings of one rule in one document listed at most; the rest are counted in one more
/// finding ([`Finding::omitted_after`]), so that a hostile document cannot make the work or
/// the report grow without bound.
pub const MAX_PER_RULE: usize = 100;

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
    /// The finding that counts `omitted` more findings of `first`'s rule in `doc`, beyond the
    /// [`MAX_PER_RULE`] listed: same rule, citation and help, placed at the document's `id`,
    /// with the highest `severity` among those it counts.
    pub fn omitted_after(
        first: &Finding,
        doc: &Document,
        severity: Severity,
        omitted: usize,
    ) -> Finding {
        let span = doc
            .root
            .entry("id")
            .map_or_else(|| doc.root.locate(&[]), |e| e.value.span);
        let message = crate::text!(
            "本文书中另有 {} 项 {} 的发现未逐一列出（每条规则在每份文书中至多列出 {} 项）",
            "{} more findings of {} in this document are not listed (at most {} per rule in a document)",
            omitted,
            first.rule,
            MAX_PER_RULE
        );
        Finding {
            severity,
            detail: crate::text!(
                "另有 {} 项未列出；修正所列各项后再次检查可见其余",
                "{} more not listed; fix those listed and check again to see the rest",
                omitted
            ),
            message,
            pointer: String::new(),
            span,
            position: doc.file.position(span.start),
            related: Vec::new(),
            unresolved: false,
            omitted,
            ..first.clone()
        }
    }

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
            omitted: 0,
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
            omitted: 0,
        }
    }
}
