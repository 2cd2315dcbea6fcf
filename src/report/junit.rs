//! JUnit XML for CI test reports (GitLab, Jenkins, …): one test suite per document, one test
//! case per rule × document. A case fails when the rule has a counted finding at or above the
//! fail level; the failure carries the citation and quoted text. Review items are `skipped`
//! (a person must decide); findings below the fail level and excused ones go to `system-out`.
//! Files that could not be checked are test cases with an `error`.

use std::fmt::Write;

use super::markup::{escape, escape_attr};
use crate::checker::FileOutcome;
use crate::error::InputError;
use crate::finding::SCHEMA_RULE_ID;
use crate::outcome::{Entry, Outcome, Suppression};
use crate::rules::Pack;
use crate::severity::Severity;
use crate::text::Lang;

/// A test suite: name, properties, cases.
type Suite = (String, Vec<(String, String)>, Vec<Case>);

struct Case {
    name: String,
    classname: String,
    file: String,
    body: CaseBody,
    out: Vec<String>,
}

enum CaseBody {
    Pass,
    Failure {
        message: String,
        kind: &'static str,
        text: String,
    },
    Skipped(String),
    Error {
        message: String,
        kind: String,
        text: String,
    },
}

fn describe(entry: &Entry<'_>, outcome: &Outcome, lang: Lang) -> String {
    let f = entry.finding;
    let citation = match lang {
        Lang::Zh => &f.citation_zh,
        Lang::En => &f.citation_en,
    };
    let mut s = format!(
        "{}:{}:{} {} [{}] {}\n  {}\n  {}{} “{}”\n  {}{}",
        f.file.name(),
        f.position.line,
        f.position.column,
        f.severity.name(),
        f.pointer,
        f.message.get(lang),
        f.detail.get(lang).replace('\n', "\n  "),
        match lang {
            Lang::Zh => "依据：",
            Lang::En => "Under",
        },
        citation,
        f.quote,
        match lang {
            Lang::Zh => "修改：",
            Lang::En => "Fix: ",
        },
        f.help.get(lang)
    );
    if let Some(s2) = entry.suppressed {
        let why = match (&s2.by, outcome.exception_of(s2)) {
            (Suppression::Exception(_), Some(e)) => match lang {
                Lang::Zh => format!(
                    "已批准例外（不计入）：{}；批准：{}{}",
                    e.record.reason,
                    e.record.approver,
                    e.record
                        .document
                        .as_deref()
                        .map(|d| format!("；{d}"))
                        .unwrap_or_default()
                ),
                Lang::En => format!(
                    "approved exception (not counted): {}; approved by {}{}",
                    e.record.reason,
                    e.record.approver,
                    e.record
                        .document
                        .as_deref()
                        .map(|d| format!("; {d}"))
                        .unwrap_or_default()
                ),
            },
            _ => match lang {
                Lang::Zh => "基线中已有（不计入）".into(),
                Lang::En => "known from the baseline (not counted)".into(),
            },
        };
        let _ = write!(s, "\n  {why}");
    }
    s
}

fn error_case(e: &InputError, lang: Lang) -> Case {
    let pos = e
        .position()
        .map(|p| format!(":{}:{}", p.line, p.column))
        .unwrap_or_default();
    Case {
        name: e.code.to_string(),
        classname: e.file.name().to_string(),
        file: e.file.name().to_string(),
        body: CaseBody::Error {
            message: e.message.get(lang).to_string(),
            kind: e.code.to_string(),
            text: format!(
                "{}{pos} {}{}",
                e.file.name(),
                e.message.get(lang),
                e.help
                    .as_ref()
                    .map(|h| format!("\n  {}", h.get(lang)))
                    .unwrap_or_default()
            ),
        },
        out: Vec::new(),
    }
}

/// Render a run as JUnit XML.
pub fn render(outcome: &Outcome, pack: &Pack, lang: Lang) -> String {
    let mut suites: Vec<Suite> = Vec::new();
    for file in &outcome.run.files {
        let FileOutcome::Checked { kind, id, .. } = &file.outcome else {
            continue;
        };
        let entries = outcome.entries(file);
        let mut rule_ids: Vec<String> = pack.rules_for(*kind).map(|r| r.id.clone()).collect();
        rule_ids.insert(0, SCHEMA_RULE_ID.to_string());
        for e in &entries {
            if !rule_ids.contains(&e.finding.rule) {
                rule_ids.push(e.finding.rule.clone());
            }
        }
        let cases = rule_ids
            .iter()
            .map(|rule_id| {
                let mine: Vec<&Entry<'_>> = entries
                    .iter()
                    .filter(|e| e.finding.rule == *rule_id)
                    .collect();
                let citation = pack
                    .rule(rule_id)
                    .map(|r| match lang {
                        Lang::Zh => r.citation.zh(&pack.measure),
                        Lang::En => r.citation.en(&pack.measure),
                    })
                    .unwrap_or_default();
                let failing: Vec<&&Entry<'_>> = mine
                    .iter()
                    .filter(|e| e.suppressed.is_none() && outcome.fails(e.finding))
                    .collect();
                let reviews: Vec<&&Entry<'_>> = mine
                    .iter()
                    .filter(|e| e.suppressed.is_none() && e.finding.severity == Severity::Review)
                    .collect();
                let body = if let Some(first) = failing.first() {
                    CaseBody::Failure {
                        message: format!(
                            "{}{}{}",
                            if citation.is_empty() {
                                match lang {
                                    Lang::Zh => first.finding.citation_zh.clone(),
                                    Lang::En => first.finding.citation_en.clone(),
                                }
                            } else {
                                citation.clone()
                            },
                            match lang {
                                Lang::Zh => "：",
                                Lang::En => ": ",
                            },
                            first.finding.message.get(lang)
                        ),
                        kind: first.finding.severity.name(),
                        text: failing
                            .iter()
                            .map(|e| describe(e, outcome, lang))
                            .collect::<Vec<_>>()
                            .join("\n"),
                    }
                } else if let Some(first) = reviews.first() {
                    CaseBody::Skipped(format!(
                        "{}: {}",
                        match lang {
                            Lang::Zh => "待人工审核",
                            Lang::En => "needs human review",
                        },
                        first.finding.message.get(lang)
                    ))
                } else {
                    CaseBody::Pass
                };
                let out = mine
                    .iter()
                    .filter(|e| e.suppressed.is_some() || !outcome.fails(e.finding))
                    .map(|e| describe(e, outcome, lang))
                    .collect();
                Case {
                    name: if citation.is_empty() {
                        rule_id.clone()
                    } else {
                        format!("{rule_id} {citation}")
                    },
                    classname: format!("{} ({})", id, kind.name()),
                    file: file.name.clone(),
                    body,
                    out,
                }
            })
            .collect();
        suites.push((
            file.name.clone(),
            vec![
                ("kind".into(), kind.name().into()),
                ("id".into(), id.clone()),
            ],
            cases,
        ));
    }
    let errors: Vec<Case> = outcome
        .run
        .input_errors()
        .map(|e| error_case(e, lang))
        .collect();
    if !errors.is_empty() {
        suites.push(("pdao".into(), Vec::new(), errors));
    }
    // What decided the run, as a suite of its own: properties for the CI policy, one passing
    // case whose output lists every decision.
    let notes = crate::decisions::notes(outcome);
    if !notes.is_empty() {
        let d = &outcome.decisions;
        let mut properties = Vec::new();
        if let Some(p) = &d.policy {
            properties.push(("policy".to_string(), p.file.clone()));
            properties.push(("policy_sha256".to_string(), p.sha256.clone()));
        }
        if let Some(c) = &d.configuration {
            properties.push(("configuration".to_string(), c.clone()));
        }
        properties.push(("gitignore".to_string(), d.gitignore.to_string()));
        if let Some(b) = &outcome.baseline {
            properties.push(("baseline".to_string(), b.file.clone()));
            properties.push(("baseline_sha256".to_string(), b.sha256.clone()));
        }
        suites.push((
            "pdao-decisions".into(),
            properties,
            vec![Case {
                name: "decisions".into(),
                classname: "pdao".into(),
                file: d.configuration.clone().unwrap_or_default(),
                body: CaseBody::Pass,
                out: notes.iter().map(|n| n.text.get(lang).to_string()).collect(),
            }],
        ));
    }
    let count = |cases: &[Case], pick: fn(&CaseBody) -> bool| {
        cases.iter().filter(|c| pick(&c.body)).count()
    };
    let is_failure = |b: &CaseBody| matches!(b, CaseBody::Failure { .. });
    let is_error = |b: &CaseBody| matches!(b, CaseBody::Error { .. });
    let is_skipped = |b: &CaseBody| matches!(b, CaseBody::Skipped(_));
    let all: Vec<&Case> = suites.iter().flat_map(|s| &s.2).collect();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"pdao\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
        all.len(),
        all.iter().filter(|c| is_failure(&c.body)).count(),
        all.iter().filter(|c| is_error(&c.body)).count(),
        all.iter().filter(|c| is_skipped(&c.body)).count(),
    );
    for (name, properties, cases) in &suites {
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
            escape_attr(name),
            cases.len(),
            count(cases, is_failure),
            count(cases, is_error),
            count(cases, is_skipped),
        );
        if !properties.is_empty() {
            xml.push_str("    <properties>\n");
            for (k, v) in properties {
                let _ = writeln!(
                    xml,
                    "      <property name=\"{}\" value=\"{}\"/>",
                    escape_attr(k),
                    escape_attr(v)
                );
            }
            xml.push_str("    </properties>\n");
        }
        for case in cases {
            let _ = write!(
                xml,
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\"",
                escape_attr(&case.name),
                escape_attr(&case.classname),
                escape_attr(&case.file)
            );
            if matches!(case.body, CaseBody::Pass) && case.out.is_empty() {
                xml.push_str("/>\n");
                continue;
            }
            xml.push_str(">\n");
            match &case.body {
                CaseBody::Pass => {}
                CaseBody::Failure {
                    message,
                    kind,
                    text,
                } => {
                    let _ = writeln!(
                        xml,
                        "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                        escape_attr(message),
                        kind,
                        escape(text)
                    );
                }
                CaseBody::Skipped(message) => {
                    let _ = writeln!(xml, "      <skipped message=\"{}\"/>", escape_attr(message));
                }
                CaseBody::Error {
                    message,
                    kind,
                    text,
                } => {
                    let _ = writeln!(
                        xml,
                        "      <error message=\"{}\" type=\"{}\">{}</error>",
                        escape_attr(message),
                        escape_attr(kind),
                        escape(text)
                    );
                }
            }
            if !case.out.is_empty() {
                let _ = writeln!(
                    xml,
                    "      <system-out>{}</system-out>",
                    escape(&case.out.join("\n"))
                );
            }
            xml.push_str("    </testcase>\n");
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    xml
}
