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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    unresolved: bool,
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
        related: f
            .related
            .iter()
            .map(|r| {
                json!({
                    "file": r.file.name(),
                    "document": r.document,
                    "line": r.position.line,
                    "column": r.position.column,
                    "pointer": r.pointer,
                    "label": r.label.get(lang),
                })
            })
            .collect(),
        unresolved: f.unresolved,
    }
}

/// Render a run as pretty JSON.
pub fn render(
    run: &RunReport,
    pack: &PackInfo,
    lang: Lang,
    as_of: jiff::civil::Date,
    validity: Option<(jiff::civil::Date, jiff::civil::Date)>,
) -> String {
    let mut findings = Vec::new();
    let mut errors = error_parts(&run.errors, lang);
    for file in &run.files {
        let (f, e) = file_parts(file, lang);
        findings.extend(f);
        errors.extend(e);
    }
    assemble(
        &head(pack, as_of, validity, &Summary::of(run)),
        &findings,
        &errors,
    )
}

/// The fields before `findings`, in order.
pub fn head(
    pack: &PackInfo,
    as_of: jiff::civil::Date,
    validity: Option<(jiff::civil::Date, jiff::civil::Date)>,
    summary: &Summary,
) -> Vec<(&'static str, serde_json::Value)> {
    vec![
        (
            "tool",
            json!({ "name": "pdao", "version": env!("CARGO_PKG_VERSION") }),
        ),
        ("pack", json!(pack)),
        ("as_of", json!(as_of.to_string())),
        (
            "validity",
            validity.map_or_else(
                || json!({ "from": null, "to": null, "known": false }),
                |(from, to)| json!({ "from": from.to_string(), "to": to.to_string(), "known": true }),
            ),
        ),
        ("summary", json!(summary)),
    ]
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
    head: &[(&str, serde_json::Value)],
    findings: &[String],
    errors: &[String],
) -> String {
    let mut out = String::from("{\n");
    for (key, value) in head {
        out.push_str(&format!(
            "  {}: {},\n",
            pretty(key),
            indent(&pretty(value), 2)
        ));
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
        let head = vec![
            ("tool", json!({ "name": "pdao" })),
            ("as_of", json!("2026-01-01")),
            ("summary", json!(Summary::default())),
        ];
        let finding = json!({ "rule": "GD22-02", "nested": { "list": [1, 2], "empty": [] } });
        let error = json!({ "code": "pdao::syntax", "line": null });
        let whole = json!({
            "tool": { "name": "pdao" },
            "as_of": "2026-01-01",
            "summary": Summary::default(),
            "findings": [finding, finding],
            "errors": [error],
        });
        assert_eq!(
            assemble(
                &head,
                &[pretty(&finding), pretty(&finding)],
                &[pretty(&error)]
            ),
            pretty(&whole) + "\n"
        );
        let empty = json!({
            "tool": { "name": "pdao" },
            "as_of": "2026-01-01",
            "summary": Summary::default(),
            "findings": [],
            "errors": [],
        });
        assert_eq!(assemble(&head, &[], &[]), pretty(&empty) + "\n");
    }
}
