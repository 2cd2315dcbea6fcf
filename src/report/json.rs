//! The JSON report: one object with `summary`, `findings` and `errors`.

use serde::Serialize;
use serde_json::json;

use super::Summary;
use crate::citation::Citation;
use crate::finding::Finding;
use crate::outcome::{Outcome, Suppression};
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
    fingerprint: String,
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
        fingerprint: crate::baseline::fingerprint(f),
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
    let value = serde_json::Value::Object(base(run, pack, lang, as_of, validity));
    serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".into()) + "\n"
}

fn base(
    run: &RunReport,
    pack: &PackInfo,
    lang: Lang,
    as_of: jiff::civil::Date,
    validity: Option<(jiff::civil::Date, jiff::civil::Date)>,
) -> serde_json::Map<String, serde_json::Value> {
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
    match value {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

/// Render a run with its policy applied: the plain report's keys, plus `fail_on`,
/// `suppressed` (excused findings, each with a `suppression` object), `exceptions` (every
/// record with its status), `baseline` (when one was used) and `decisions` (the CI policy,
/// rules turned off or lowered, exclusions, settings the policy set aside).
pub fn render_outcome(
    outcome: &Outcome,
    pack: &PackInfo,
    lang: Lang,
    validity: Option<(jiff::civil::Date, jiff::civil::Date)>,
) -> String {
    let mut map = base(&outcome.run, pack, lang, outcome.as_of, validity);
    map.insert("fail_on".into(), json!(outcome.fail_on));
    let suppressed: Vec<serde_json::Value> = outcome
        .suppressed
        .iter()
        .map(|s| {
            let mut v = serde_json::to_value(finding(&s.finding, lang)).unwrap_or_default();
            let suppression = match (&s.by, outcome.exception_of(s)) {
                (Suppression::Exception(_), Some(e)) => json!({
                    "kind": "exception",
                    "origin": e.record.origin,
                    "reason": e.record.reason,
                    "approver": e.record.approver,
                    "document": e.record.document,
                    "expires": e.record.expires.map(|d| d.to_string()),
                    "recorded_at": e.record.recorded_at.map(|d| d.to_string()),
                    "location": e.record.location(),
                }),
                _ => json!({ "kind": "baseline" }),
            };
            if let Some(obj) = v.as_object_mut() {
                obj.insert("suppression".into(), suppression);
            }
            v
        })
        .collect();
    map.insert("suppressed".into(), json!(suppressed));
    let exceptions: Vec<serde_json::Value> = outcome
        .exceptions
        .iter()
        .map(|e| {
            let r = &e.record;
            json!({
                "rule": r.rule,
                "target": r.target_text(),
                "pointer": r.pointer,
                "reason": r.reason,
                "approver": r.approver,
                "document": r.document,
                "expires": r.expires.map(|d| d.to_string()),
                "origin": r.origin,
                "recorded_at": r.recorded_at.map(|d| d.to_string()),
                "location": r.location(),
                "status": e.status,
                "matched": e.matched,
                "refused_because": e.refusal.as_ref().map(|t| t.get(lang)),
            })
        })
        .collect();
    map.insert("exceptions".into(), json!(exceptions));
    if let Some(b) = &outcome.baseline {
        map.insert("baseline".into(), json!(b));
    }
    map.insert("decisions".into(), json!(outcome.decisions));
    serde_json::to_string_pretty(&serde_json::Value::Object(map)).unwrap_or_else(|_| "{}".into())
        + "\n"
}
