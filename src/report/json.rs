//! The JSON report: one object with `summary`, `findings` and `errors`.

use serde::Serialize;
use serde_json::json;

use super::Summary;
use crate::citation::Citation;
use crate::error::InputError;
use crate::finding::Finding;
use crate::rules::PackInfo;
use crate::text::Lang;
use crate::{FileOutcome, FileReport, RunReport};

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    detail: &'a str,
    help: &'a str,
    file: &'a str,
    document: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    pointer: &'a str,
    citation: &'a Citation,
    citation_zh: &'a str,
    citation_en: &'a str,
    quote: &'a str,
}

fn finding(f: &Finding, lang: Lang) -> JsonFinding<'_> {
    let end = f.file.position(f.span.end);
    JsonFinding {
        rule: &f.rule,
        severity: f.severity.name(),
        message: f.message.get(lang),
        detail: f.detail.get(lang),
        help: f.help.get(lang),
        file: f.file.name(),
        document: &f.document,
        line: f.position.line,
        column: f.position.column,
        end_line: end.line,
        end_column: end.column,
        pointer: &f.pointer,
        citation: &f.citation,
        citation_zh: &f.citation_zh,
        citation_en: &f.citation_en,
        quote: &f.quote,
    }
}

/// Render a run as pretty JSON.
pub fn render(run: &RunReport, pack: &PackInfo, lang: Lang) -> String {
    let mut findings = Vec::new();
    let mut errors = error_parts(&run.errors, lang);
    for file in &run.files {
        let (f, e) = file_parts(file, lang);
        findings.extend(f);
        errors.extend(e);
    }
    assemble(pack, &Summary::of(run), &findings, &errors)
}

/// One input's findings and error, each already rendered as a pretty JSON object, so that a
/// streamed run keeps only this text, not the document.
pub fn file_parts(file: &FileReport, lang: Lang) -> (Vec<String>, Vec<String>) {
    match &file.outcome {
        FileOutcome::Checked { findings, .. } => (
            findings.iter().map(|f| pretty(&finding(f, lang))).collect(),
            Vec::new(),
        ),
        FileOutcome::Failed(e) => (Vec::new(), error_parts(std::slice::from_ref(e), lang)),
        FileOutcome::Skipped => (Vec::new(), Vec::new()),
    }
}

/// Errors, each rendered as a pretty JSON object.
pub fn error_parts(errors: &[InputError], lang: Lang) -> Vec<String> {
    errors
        .iter()
        .map(|e| {
            let pos = e.position();
            pretty(&json!({
                "code": e.code,
                "file": e.file.name(),
                "line": pos.map(|p| p.line),
                "column": pos.map(|p| p.column),
                "message": e.message.get(lang),
                "help": e.help.as_ref().map(|h| h.get(lang)),
            }))
        })
        .collect()
}

/// The report object from its parts: the same text `serde_json::to_string_pretty` gives for
/// the whole object, built without holding every finding as a JSON tree.
pub fn assemble(
    pack: &PackInfo,
    summary: &Summary,
    findings: &[String],
    errors: &[String],
) -> String {
    let tool = json!({ "name": "pdao", "version": env!("CARGO_PKG_VERSION") });
    let mut out = String::from("{\n");
    for (key, value) in [
        ("tool", pretty(&tool)),
        ("pack", pretty(pack)),
        ("summary", pretty(summary)),
    ] {
        out.push_str(&format!("  \"{key}\": {},\n", indent(&value, 2)));
    }
    for (key, items, last) in [("findings", findings, false), ("errors", errors, true)] {
        out.push_str(&format!("  \"{key}\": ["));
        for (i, item) in items.iter().enumerate() {
            out.push_str(if i == 0 { "\n    " } else { ",\n    " });
            out.push_str(&indent(item, 4));
        }
        if !items.is_empty() {
            out.push_str("\n  ");
        }
        out.push_str(if last { "]\n" } else { "],\n" });
    }
    out.push_str("}\n");
    out
}

fn pretty(value: &impl Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".into())
}

/// Indent every line but the first by `by` spaces (JSON strings hold no raw line breaks).
fn indent(text: &str, by: usize) -> String {
    text.replace('\n', &format!("\n{}", " ".repeat(by)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assembled_parts_read_as_the_pretty_whole() {
        let pack = PackInfo {
            name: "p".into(),
            title: "标题".into(),
            status: "s".into(),
            published: "2025-09-16".into(),
            issued: None,
            validity_years: Some(2),
        };
        let summary = Summary::default();
        let finding = json!({ "rule": "GD22-02", "nested": { "list": [1, 2], "empty": [] } });
        let error = json!({ "code": "pdao::syntax", "line": null });
        let whole = json!({
            "tool": { "name": "pdao", "version": env!("CARGO_PKG_VERSION") },
            "pack": pack,
            "summary": summary,
            "findings": [finding, finding],
            "errors": [error],
        });
        assert_eq!(
            assemble(
                &pack,
                &summary,
                &[pretty(&finding), pretty(&finding)],
                &[pretty(&error)]
            ),
            pretty(&whole) + "\n"
        );
        let empty = json!({
            "tool": { "name": "pdao", "version": env!("CARGO_PKG_VERSION") },
            "pack": pack,
            "summary": summary,
            "findings": [],
            "errors": [],
        });
        assert_eq!(assemble(&pack, &summary, &[], &[]), pretty(&empty) + "\n");
    }
}
