//! SARIF 2.1.0 for code-scanning tools: every rule in `tool.driver.rules` with its citation and
//! quoted text as help; every finding a result with its physical location (columns in UTF-16
//! code units, as `columnKind` says); excused findings carry `suppressions`; with a baseline,
//! results carry `baselineState`. Hand-written serde types: only what pdao emits.

use std::collections::HashMap;

use serde::Serialize;

use crate::baseline::{fingerprint, normalize_path};
use crate::error::InputError;
use crate::exceptions::Origin;
use crate::finding::{Finding, SCHEMA_RULE_ID};
use crate::outcome::{Outcome, Suppressed, Suppression};
use crate::rules::{Pack, RuleBody};
use crate::severity::Severity;
use crate::source::SourceFile;
use crate::text::Lang;

/// The `$schema` URI written into the log (an identifier, never fetched).
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'a str,
    version: &'a str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    invocations: Vec<Invocation>,
    column_kind: &'a str,
    results: Vec<SarifResult>,
    properties: serde_json::Value,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'a str,
    version: &'a str,
    semantic_version: &'a str,
    full_name: String,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: String,
    name: String,
    short_description: Message,
    full_description: Message,
    help: MultiformatMessage,
    default_configuration: Configuration,
    properties: serde_json::Value,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct MultiformatMessage {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification {
    level: &'static str,
    message: Message,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
    descriptor: DescriptorReference,
}

#[derive(Serialize)]
struct DescriptorReference {
    id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    kind: &'static str,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation>,
    partial_fingerprints: HashMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SarifSuppression>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    properties: serde_json::Value,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
}

/// A place in another document that a cross-document finding compares with.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation {
    id: usize,
    physical_location: PhysicalLocation,
    message: Message,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifSuppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<Location>,
    properties: serde_json::Value,
}

/// Percent-encode a path as a relative URI reference: unreserved characters and `/` stay,
/// everything else (spaces, CJK, `<stdin>`'s brackets) is encoded byte by byte. The bytes are
/// the file's own ([`crate::visible::path_bytes`]): a name with a backslash or a byte that is
/// not UTF-8 is encoded as it is on disk.
pub fn path_uri(name: &str) -> String {
    let mut out = String::new();
    for b in crate::visible::path_bytes(&normalize_path(name)) {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// 1-based line and UTF-16 column of byte `offset` in `file`.
fn utf16_position(file: &SourceFile, offset: usize) -> (usize, usize) {
    let p = file.position(offset);
    let line = file.line_text(p.line);
    let column: usize = line
        .chars()
        .take(p.column.saturating_sub(1))
        .map(char::len_utf16)
        .sum();
    (p.line, column + 1)
}

fn location(file: &SourceFile, start: usize, end: usize, pointer: Option<&str>) -> Location {
    let (start_line, start_column) = utf16_position(file, start);
    let (end_line, end_column) = utf16_position(file, end.max(start));
    let uri = path_uri(file.name());
    Location {
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri_base_id: (!uri.starts_with('/')).then_some("%SRCROOT%"),
                uri,
            },
            region: Some(Region {
                start_line,
                start_column,
                end_line,
                end_column,
            }),
        },
        logical_locations: pointer
            .filter(|p| !p.is_empty())
            .map(|p| LogicalLocation {
                fully_qualified_name: p.to_string(),
                kind: "member",
            })
            .into_iter()
            .collect(),
    }
}

/// The place of a decision: a file, and a line when there is one.
fn note_location(file: &str, line: Option<usize>) -> Location {
    let uri = path_uri(file);
    Location {
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri_base_id: (!uri.starts_with('/')).then_some("%SRCROOT%"),
                uri,
            },
            region: line.map(|line| Region {
                start_line: line,
                start_column: 1,
                end_line: line,
                end_column: 1,
            }),
        },
        logical_locations: Vec::new(),
    }
}

fn level(severity: Severity) -> (&'static str, &'static str) {
    match severity {
        Severity::Error => ("fail", "error"),
        Severity::Warning => ("fail", "warning"),
        Severity::Info => ("fail", "note"),
        // SARIF: a result whose kind is not `fail` has level `none`.
        Severity::Review => ("review", "none"),
    }
}

fn rules(pack: &Pack, lang: Lang) -> Vec<ReportingDescriptor> {
    let m = &pack.measure;
    let mut out: Vec<ReportingDescriptor> = pack
        .rules
        .iter()
        .map(|r| {
            let citation = match lang {
                Lang::Zh => r.citation.zh(m),
                Lang::En => r.citation.en(m),
            };
            let confirm: Vec<String> = match &r.body {
                RuleBody::Review { confirm, .. } => {
                    confirm.iter().map(|c| c.get(lang).to_string()).collect()
                }
                RuleBody::Check(_) => Vec::new(),
            };
            let (under, fix) = match lang {
                Lang::Zh => ("依据", "修改"),
                Lang::En => ("Under", "Fix"),
            };
            let mut text = format!(
                "{under}：{citation} “{}”\n{fix}：{}",
                r.quote,
                r.help.get(lang)
            );
            let mut markdown = format!(
                "**{under}** {citation}\n\n> {}\n\n**{fix}** {}",
                r.quote,
                r.help.get(lang)
            );
            for c in &confirm {
                text.push_str(&format!("\n☐ {c}"));
                markdown.push_str(&format!("\n- [ ] {c}"));
            }
            ReportingDescriptor {
                id: r.id.clone(),
                name: r.id.replace('-', ""),
                short_description: Message {
                    text: r.message.get(lang).to_string(),
                },
                full_description: Message {
                    text: format!("{citation} “{}”", r.quote),
                },
                help: MultiformatMessage { text, markdown },
                default_configuration: Configuration {
                    level: level(Pack::listed_severity(r)).1,
                },
                properties: serde_json::json!({
                    "citation": r.citation,
                    "citation_zh": r.citation.zh(m),
                    "citation_en": r.citation.en(m),
                    "quote": r.quote,
                    "modality": r.modality.word(),
                    "kinds": r.kinds,
                    "file": r.file,
                    "tags": [format!("article-{}", r.citation.article), "compliance"],
                }),
            }
        })
        .collect();
    out.push(ReportingDescriptor {
        id: SCHEMA_RULE_ID.into(),
        name: "PdaoSchema".into(),
        short_description: Message {
            text: match lang {
                Lang::Zh => "文书不符合其类型的 JSON Schema（字段名、类型、格式）".into(),
                Lang::En => {
                    "The document does not match its kind's JSON Schema (field names, types, formats)"
                        .into()
                }
            },
        },
        full_description: Message {
            text: match lang {
                Lang::Zh => "每个字段所服务的条文见 pdao schema KIND".into(),
                Lang::En => "pdao schema KIND shows the article each field serves".into(),
            },
        },
        help: MultiformatMessage {
            text: "pdao schema KIND".into(),
            markdown: "`pdao schema KIND`".into(),
        },
        default_configuration: Configuration { level: "error" },
        properties: serde_json::json!({ "tags": ["schema"] }),
    });
    out
}

fn result(
    f: &Finding,
    suppressed: Option<&Suppressed>,
    outcome: &Outcome,
    index: &HashMap<&str, usize>,
    lang: Lang,
) -> SarifResult {
    let (kind, lvl) = level(f.severity);
    let detail = f.detail.get(lang);
    let citation = match lang {
        Lang::Zh => &f.citation_zh,
        Lang::En => &f.citation_en,
    };
    let mut text = f.message.get(lang).to_string();
    if !detail.is_empty() && detail != text {
        text.push_str(match lang {
            Lang::Zh => "：",
            Lang::En => ": ",
        });
        text.push_str(detail);
    }
    text.push_str(&format!(" [{citation}]"));
    let suppressions = match suppressed {
        Some(s) => match (&s.by, outcome.exception_of(s)) {
            (Suppression::Exception(_), Some(e)) => {
                let r = &e.record;
                vec![SarifSuppression {
                    kind: match r.origin {
                        Origin::File => "external",
                        Origin::Comment => "inSource",
                    },
                    status: "accepted",
                    justification: r.reason.clone(),
                    location: Some(location(&r.source, r.span.start, r.span.end, None)),
                    properties: serde_json::json!({
                        "approver": r.approver,
                        "document": r.document,
                        "expires": r.expires.map(|d| d.to_string()),
                    }),
                }]
            }
            _ => Vec::new(),
        },
        None => Vec::new(),
    };
    let baseline_state = outcome.baseline.as_ref().map(|_| match suppressed {
        Some(Suppressed {
            by: Suppression::Baseline,
            ..
        }) => "unchanged",
        _ => "new",
    });
    SarifResult {
        rule_id: f.rule.clone(),
        rule_index: index.get(f.rule.as_str()).copied(),
        kind,
        level: lvl,
        message: Message { text },
        locations: vec![location(
            &f.file,
            f.span.start,
            f.span.end,
            Some(&f.pointer),
        )],
        related_locations: f
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| RelatedLocation {
                id: i + 1,
                physical_location: location(&r.file, r.span.start, r.span.end, None)
                    .physical_location,
                message: Message {
                    text: format!("{} {}: {}", r.document, r.pointer, r.label.get(lang)),
                },
            })
            .collect(),
        partial_fingerprints: HashMap::from([("pdao/v1", fingerprint(f))]),
        suppressions,
        baseline_state,
        properties: serde_json::json!({
            "severity": f.severity.name(),
            "document": f.document,
            "pointer": f.pointer,
            "citation": f.citation,
            "citation_zh": f.citation_zh,
            "citation_en": f.citation_en,
            "quote": f.quote,
            "help": f.help.get(lang),
        }),
    }
}

fn notification(e: &InputError, lang: Lang) -> Notification {
    let locations = match e.labels.first() {
        Some(l) => vec![location(&e.file, l.span.start, l.span.end, None)],
        None => vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: path_uri(e.file.name()),
                    uri_base_id: (!e.file.name().starts_with('/')).then_some("%SRCROOT%"),
                },
                region: None,
            },
            logical_locations: Vec::new(),
        }],
    };
    Notification {
        level: "error",
        message: Message {
            text: e.message.get(lang).to_string(),
        },
        locations,
        descriptor: DescriptorReference {
            id: e.code.to_string(),
        },
    }
}

/// Render a run as a SARIF 2.1.0 log.
pub fn render(outcome: &Outcome, pack: &Pack, lang: Lang) -> String {
    let rules = rules(pack, lang);
    let index: HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut results = Vec::new();
    for file in &outcome.run.files {
        for entry in outcome.entries(file) {
            results.push(result(
                entry.finding,
                entry.suppressed,
                outcome,
                &index,
                lang,
            ));
        }
    }
    let mut notifications: Vec<Notification> = outcome
        .run
        .input_errors()
        .map(|e| notification(e, lang))
        .collect();
    for e in &outcome.exceptions {
        if let Some(note) = e.note() {
            let r = &e.record;
            notifications.push(Notification {
                level: "warning",
                message: Message {
                    text: note.get(lang).to_string(),
                },
                locations: vec![location(&r.source, r.span.start, r.span.end, None)],
                descriptor: DescriptorReference {
                    id: format!("pdao::exception-{}", e.status.name()),
                },
            });
        }
    }
    for n in crate::decisions::notes(outcome) {
        notifications.push(Notification {
            level: "note",
            message: Message {
                text: n.text.get(lang).to_string(),
            },
            locations: n
                .file
                .as_deref()
                .map(|f| note_location(f, n.line))
                .into_iter()
                .collect(),
            descriptor: DescriptorReference {
                id: n.kind.code().to_string(),
            },
        });
    }
    let run = Run {
        tool: Tool {
            driver: Driver {
                name: "pdao",
                version: env!("CARGO_PKG_VERSION"),
                semantic_version: env!("CARGO_PKG_VERSION"),
                full_name: format!("pdao {} ({})", env!("CARGO_PKG_VERSION"), pack.info.title),
                rules,
            },
        },
        invocations: vec![Invocation {
            execution_successful: outcome.run.input_errors().next().is_none(),
            tool_execution_notifications: notifications,
        }],
        column_kind: "utf16CodeUnits",
        results,
        properties: serde_json::json!({
            "pack": pack.info,
            "fail_on": outcome.fail_on,
            "decisions": outcome.decisions,
        }),
    };
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![run],
    };
    serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".into()) + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_code_units() {
        let file = SourceFile::new("a.yaml", "k: 𝒳广x\n");
        // 'x' after "k: " (3), 𝒳 (2 units), 广 (1 unit).
        let offset = "k: 𝒳广".len();
        assert_eq!(utf16_position(&file, offset), (1, 7));
    }

    #[test]
    fn paths_become_relative_uri_references() {
        assert_eq!(path_uri("./协议/a b.yaml"), "%E5%8D%8F%E8%AE%AE/a%20b.yaml");
        assert_eq!(path_uri("<stdin>"), "%3Cstdin%3E");
        if cfg!(unix) {
            assert_eq!(path_uri("a\\\\b\\xff.yaml"), "a%5Cb%FF.yaml");
        }
    }
}
