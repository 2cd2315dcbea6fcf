//! GitLab Code Quality (a subset of the Code Climate issue format) for merge-request widgets:
//! one issue per counted finding, with a fingerprint stable across runs and line moves
//! ([`crate::baseline::fingerprint`], made unique within the report). Excused findings (an
//! approved exception, or the baseline) are left out: the widget shows what needs attention.
//! Files that could not be checked are `blocker` issues; what decided the run (the CI policy,
//! rules turned off or lowered, exclusions, exceptions applied, the baseline) are `info` ones.

use std::collections::HashMap;

use serde::Serialize;

use crate::baseline::{fingerprint, normalize_path, occurrence_fingerprint};
use crate::outcome::Outcome;
use crate::severity::Severity;
use crate::text::Lang;

#[derive(Serialize)]
struct Issue {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: String,
    description: String,
    content: Content,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Content {
    body: String,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

/// GitLab's severity for a pdao severity.
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "minor",
        Severity::Review => "info",
    }
}

/// Render a run as a GitLab Code Quality report (a JSON array).
pub fn render(outcome: &Outcome, lang: Lang) -> String {
    let mut issues = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut unique = |fp: String| {
        let n = seen.entry(fp.clone()).or_default();
        *n += 1;
        occurrence_fingerprint(&fp, *n)
    };
    for e in outcome.run.input_errors() {
        let line = e.position().map_or(1, |p| p.line);
        let path = normalize_path(e.file.name());
        issues.push(Issue {
            kind: "issue",
            check_name: e.code.to_string(),
            description: e.message.get(lang).to_string(),
            content: Content {
                body: e
                    .help
                    .as_ref()
                    .map(|h| h.get(lang).to_string())
                    .unwrap_or_default(),
            },
            fingerprint: unique(crate::baseline::hash_parts(&[
                "pdao-input-error-v1",
                e.code,
                &path,
                e.message.get(Lang::En),
            ])),
            severity: "blocker",
            location: Location {
                path,
                lines: Lines {
                    begin: line,
                    end: line,
                },
            },
        });
    }
    for f in outcome.run.findings() {
        let citation = match lang {
            Lang::Zh => &f.citation_zh,
            Lang::En => &f.citation_en,
        };
        let end = f.file.position(f.span.end).line.max(f.position.line);
        let detail = f.detail.get(lang);
        issues.push(Issue {
            kind: "issue",
            check_name: f.rule.clone(),
            description: match lang {
                Lang::Zh => format!(
                    "{citation}：{}（{}）",
                    f.message.get(lang),
                    first_line(detail)
                ),
                Lang::En => format!(
                    "{citation}: {} ({})",
                    f.message.get(lang),
                    first_line(detail)
                ),
            },
            content: Content {
                body: match lang {
                    Lang::Zh => format!(
                        "**依据** {citation}\n\n> {}\n\n{}\n\n**修改** {}\n\n`{}` · {}",
                        f.quote,
                        detail,
                        f.help.get(lang),
                        f.pointer,
                        f.document
                    ),
                    Lang::En => format!(
                        "**Under** {citation}\n\n> {}\n\n{}\n\n**Fix** {}\n\n`{}` · {}",
                        f.quote,
                        detail,
                        f.help.get(lang),
                        f.pointer,
                        f.document
                    ),
                },
            },
            fingerprint: unique(fingerprint(f)),
            severity: severity(f.severity),
            location: Location {
                path: normalize_path(f.file.name()),
                lines: Lines {
                    begin: f.position.line,
                    end,
                },
            },
        });
    }
    // What decided the run (the CI policy, rules turned off or lowered, exclusions, exceptions
    // applied and their approvers, the baseline), as info issues: the widget shows them too.
    for n in crate::decisions::notes(outcome) {
        let path = n
            .file
            .as_deref()
            .map_or_else(|| ".".to_string(), normalize_path);
        let line = n.line.unwrap_or(1);
        issues.push(Issue {
            kind: "issue",
            check_name: n.kind.code().to_string(),
            description: n.text.get(lang).to_string(),
            content: Content {
                body: String::new(),
            },
            fingerprint: unique(crate::baseline::hash_parts(&[
                "pdao-decision-v1",
                n.kind.code(),
                n.text.get(Lang::En),
            ])),
            severity: "info",
            location: Location {
                path,
                lines: Lines {
                    begin: line,
                    end: line,
                },
            },
        });
    }
    serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into()) + "\n"
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}
