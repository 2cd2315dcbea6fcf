//! The JSON report: one object with `summary`, `findings` and `errors`.

use serde::Serialize;
use serde_json::json;

use super::Summary;
use crate::citation::Citation;
use crate::finding::Finding;
use crate::rules::PackInfo;
use crate::text::Lang;
use crate::RunReport;

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
    let findings: Vec<JsonFinding> = run.findings().map(|f| finding(f, lang)).collect();
    let errors: Vec<serde_json::Value> = run
        .input_errors()
        .map(|e| {
            let pos = e.position();
            json!({
                "code": e.code,
                "file": e.file.name(),
                "line": pos.map(|p| p.line),
                "column": pos.map(|p| p.column),
                "message": e.message.get(lang),
                "help": e.help.as_ref().map(|h| h.get(lang)),
            })
        })
        .collect();
    let value = json!({
        "tool": { "name": "pdao", "version": env!("CARGO_PKG_VERSION") },
        "pack": pack,
        "as_of": as_of.to_string(),
        "validity": validity.map_or_else(
            || json!({ "from": null, "to": null, "known": false }),
            |(from, to)| json!({ "from": from.to_string(), "to": to.to_string(), "known": true }),
        ),
        "summary": Summary::of(run),
        "findings": findings,
        "errors": errors,
    });
    serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".into()) + "\n"
}
