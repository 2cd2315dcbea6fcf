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
    #[serde(skip_serializing_if = "is_zero")]
    omitted: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
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
        omitted: f.omitted,
    }
}

/// The whole report, serialised as it is built (no intermediate JSON tree, which would hold a
/// second copy of every finding).
#[derive(Serialize)]
struct Report<'a> {
    tool: serde_json::Value,
    pack: &'a PackInfo,
    as_of: String,
    validity: serde_json::Value,
    summary: Summary,
    findings: Vec<JsonFinding<'a>>,
    errors: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fail_on: Option<crate::outcome::FailOn>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<Vec<SuppressedFinding<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exceptions: Option<Vec<serde_json::Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'a crate::outcome::BaselineUse>,
    /// What decided the run (policy, rules off or lowered, exclusions, exceptions, baseline).
    #[serde(skip_serializing_if = "Option::is_none")]
    decisions: Option<&'a crate::decisions::Decisions>,
}

/// An excused finding: the finding's keys, then what excuses it.
#[derive(Serialize)]
struct SuppressedFinding<'a> {
    #[serde(flatten)]
    finding: JsonFinding<'a>,
    suppression: serde_json::Value,
}

/// Render a run as pretty JSON.
pub fn render(
    run: &RunReport,
    pack: &PackInfo,
    lang: Lang,
    as_of: jiff::civil::Date,
    validity: Option<(jiff::civil::Date, jiff::civil::Date)>,
) -> String {
    to_text(&base(run, pack, lang, as_of, validity))
}

fn to_text(report: &Report<'_>) -> String {
    serde_json::to_string_pretty(report).unwrap_or_else(|_| "{}".into()) + "\n"
}

fn base<'a>(
    run: &'a RunReport,
    pack: &'a PackInfo,
    lang: Lang,
    as_of: jiff::civil::Date,
    validity: Option<(jiff::civil::Date, jiff::civil::Date)>,
) -> Report<'a> {
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
    Report {
        tool: json!({ "name": "pdao", "version": env!("CARGO_PKG_VERSION") }),
        pack,
        as_of: as_of.to_string(),
        validity: validity.map_or_else(
            || json!({ "from": null, "to": null, "known": false }),
            |(from, to)| json!({ "from": from.to_string(), "to": to.to_string(), "known": true }),
        ),
        summary: Summary::of(run),
        findings: run.findings().map(|f| finding(f, lang)).collect(),
        errors,
        fail_on: None,
        suppressed: None,
        exceptions: None,
        baseline: None,
        decisions: None,
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
    let mut report = base(&outcome.run, pack, lang, outcome.as_of, validity);
    report.fail_on = Some(outcome.fail_on);
    let suppressed = outcome
        .suppressed
        .iter()
        .map(|s| {
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
            SuppressedFinding {
                finding: finding(&s.finding, lang),
                suppression,
            }
        })
        .collect();
    report.suppressed = Some(suppressed);
    let exceptions = outcome
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
    report.exceptions = Some(exceptions);
    report.baseline = outcome.baseline.as_ref();
    report.decisions = Some(&outcome.decisions);
    to_text(&report)
}
