//! Checking one document against the pack: its kind's JSON Schema, then every rule for its kind.
//! Pure: no I/O and no printing.

pub mod crossdoc;
pub mod primitives;

use jsonschema::error::ValidationErrorKind;

use crate::citation::Citation;
use crate::document::{node::parse_pointer, Document, Step};
use crate::finding::{Finding, RelatedLocation};
use crate::kind::{edit_distance, Kind};
use crate::rules::{Pack, Rule, RuleBody};
use crate::schema::{KindSchema, Schemas};
use crate::severity::Severity;
use crate::text;
use crate::text::Text;

pub use primitives::{evaluate, show, Context, Failure};

/// All findings for `doc`, in file order.
pub fn check_document(
    pack: &Pack,
    schemas: &Schemas,
    doc: &Document,
    ctx: &Context,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Some(schema) = schemas.get(doc.kind) {
        findings.extend(schema_findings(pack, schema, doc));
    }
    for rule in pack.rules_for(doc.kind) {
        findings.extend(rule_findings(pack, rule, doc, ctx));
    }
    findings.sort_by(|a, b| {
        (a.span.start, &a.rule, &a.pointer).cmp(&(b.span.start, &b.rule, &b.pointer))
    });
    findings
}

/// The findings of one rule on one document.
pub fn rule_findings(pack: &Pack, rule: &Rule, doc: &Document, ctx: &Context) -> Vec<Finding> {
    let check = match &rule.body {
        RuleBody::Check(check) => check,
        RuleBody::Review { confirm, when, at } => {
            if when
                .as_ref()
                .is_some_and(|w| !evaluate(w, &doc.root, &[], ctx).is_empty())
            {
                return Vec::new();
            }
            let detail = Text::new(
                confirm
                    .iter()
                    .map(|c| format!("☐ {}", c.zh))
                    .collect::<Vec<_>>()
                    .join("\n"),
                confirm
                    .iter()
                    .map(|c| format!("☐ {}", c.en))
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
            return vec![Finding::from_rule(
                rule,
                &pack.measure,
                doc,
                Severity::Review,
                crate::document::pointer(&at.0),
                doc.root.locate(&at.0),
                detail,
            )];
        }
    };
    let mut failures = evaluate(check, &doc.root, &[], ctx);
    // One place, one message: sources that share a reference report it unresolved only once.
    let mut seen = std::collections::HashSet::new();
    failures.retain(|f| seen.insert((f.at.clone(), f.detail.zh.clone())));
    if failures.is_empty() {
        return Vec::new();
    }
    // The exception that governs a failure is the nearest one enclosing it: the record at the
    // rule's `exception` path looked up from the failing value's parents upwards (an entry's own
    // exception first, then the document's).
    let exception_for = |at: &[Step]| {
        let path = rule.exception.as_ref()?;
        (0..=at.len()).rev().find_map(|depth| {
            let mut full = at.get(..depth)?.to_vec();
            full.extend(path.0.iter().cloned());
            let record = doc.root.at(&full)?;
            let field = |k: &str| {
                record
                    .entry(k)
                    .filter(|e| !e.value.is_empty())
                    .map(|e| primitives::quoted(&e.value))
            };
            Some((field("reason")?, field("approver")?))
        })
    };
    failures
        .into_iter()
        .map(|f| {
            let exception = exception_for(&f.at);
            let mut severity = f.severity.unwrap_or(rule.severity);
            let mut detail = f.detail;
            if let Some((reason, approver)) = &exception {
                if severity == Severity::Error {
                    severity = Severity::Warning;
                    detail = Text::new(
                        format!(
                            "{}；已记录例外：{}（批准：{}）",
                            detail.zh, reason, approver
                        ),
                        format!(
                            "{}; exception recorded: {} (approved by {})",
                            detail.en, reason, approver
                        ),
                    );
                }
            }
            let span = doc.root.locate(&f.at);
            let mut finding = Finding::from_rule(
                rule,
                &pack.measure,
                doc,
                severity,
                crate::document::pointer(&f.at),
                span,
                detail,
            );
            finding.unresolved = f.unresolved;
            if f.unresolved {
                finding.message = Text::new(
                    format!("无法核对（引用的文书不在本次检查中）：{}", rule.message.zh),
                    format!(
                        "Cannot verify (a referenced document was not checked): {}",
                        rule.message.en
                    ),
                );
            }
            finding.related = f
                .related
                .iter()
                .filter_map(|r| {
                    let other = if r.document == doc.id {
                        doc
                    } else {
                        ctx.set.get(&r.document)?
                    };
                    let span = other.root.locate(&r.at);
                    Some(RelatedLocation {
                        file: std::sync::Arc::clone(&other.file),
                        document: other.id.clone(),
                        pointer: crate::document::pointer(&r.at),
                        span,
                        position: other.file.position(span.start),
                        label: r.label.clone(),
                    })
                })
                .collect();
            finding
        })
        .collect()
}

/// The provision a field serves: the deepest `x-citation` along the path, else the schema
/// root's, else the kind's main article.
fn citation_for(schema: &KindSchema, kind: Kind, path: &[Step]) -> Citation {
    let read = |s: &serde_json::Value| {
        s.get("x-citation")
            .and_then(|c| serde_json::from_value::<Citation>(c.clone()).ok())
    };
    let mut best = read(&schema.json);
    for c in schema.citations_along(path).into_iter().flatten() {
        if let Ok(c) = serde_json::from_value::<Citation>(c.clone()) {
            best = Some(c);
        }
    }
    best.unwrap_or(Citation {
        article: kind.main_article(),
        paragraph: None,
        item: None,
        sub_item: None,
    })
}

/// What a schema error is about, as far as the report distinguishes.
enum SchemaProblem {
    Unknown(Vec<String>),
    Type,
    Format(String),
    Other,
}

/// The `type` a schema asks for at `path`, as users read it.
fn expected_types(schema: &KindSchema, path: &[Step]) -> String {
    match schema.resolve(None, path).and_then(|s| s.get("type")) {
        Some(serde_json::Value::String(t)) => t.clone(),
        Some(serde_json::Value::Array(ts)) => ts
            .iter()
            .filter_map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(" / "),
        _ => "?".into(),
    }
}

fn schema_findings<'a>(
    pack: &'a Pack,
    schema: &'a KindSchema,
    doc: &'a Document,
) -> Box<dyn Iterator<Item = Finding> + 'a> {
    let instance = doc.root.to_json();
    let validator = match schema.validator() {
        Ok(v) => v,
        // Only a schema that does not compile gets here: say so on the document, never pass it.
        Err(message) => {
            let failure = Finding::from_schema(
                citation_for(schema, doc.kind, &[]),
                &pack.measure,
                doc,
                String::new(),
                doc.root.locate(&[]),
                Text::new(
                    format!(
                        "{} 的 Schema 无法编译，未按 Schema 检查：{message}",
                        doc.kind
                    ),
                    format!(
                        "the {} schema does not compile, so it was not applied: {message}",
                        doc.kind
                    ),
                ),
            );
            return Box::new(std::iter::once(failure));
        }
    };
    // Most documents are valid: the yes/no check allocates no errors, so try it first.
    if validator.is_valid(&instance) {
        return Box::new(std::iter::empty());
    }
    let errors: Vec<_> = validator
        .iter_errors(&instance)
        .map(|e| {
            let kind = match e.kind() {
                ValidationErrorKind::AdditionalProperties { unexpected } => {
                    SchemaProblem::Unknown(unexpected.clone())
                }
                ValidationErrorKind::Type { .. } => SchemaProblem::Type,
                ValidationErrorKind::Format { format } => SchemaProblem::Format(format.clone()),
                _ => SchemaProblem::Other,
            };
            (e.instance_path().as_str().to_string(), kind, e.to_string())
        })
        .collect();
    Box::new(errors.into_iter().flat_map(move |(pointer, kind, fallback)| {
            let path = parse_pointer(&doc.root, &pointer);
            let made = |path: Vec<Step>, message: Text| {
                let citation = citation_for(schema, doc.kind, &path);
                Finding::from_schema(
                    citation,
                    &pack.measure,
                    doc,
                    crate::document::pointer(&path),
                    doc.root.locate(&path),
                    message,
                )
            };
            match kind {
                SchemaProblem::Unknown(unexpected) => {
                    let known: Vec<String> = schema
                        .resolve(None, &path)
                        .and_then(|s| s.get("properties"))
                        .and_then(|p| p.as_object())
                        .map(|p| p.keys().cloned().collect())
                        .unwrap_or_default();
                    unexpected
                        .into_iter()
                        .map(|key| {
                            let shown = crate::visible::value(&key);
                            let near = known
                                .iter()
                                .filter(|k| edit_distance(k, &key) <= 2)
                                .min_by_key(|k| edit_distance(k, &key));
                            let message = match near {
                                Some(n) => text!(
                                    "未知字段 `{}`，是否应为 `{}`？",
                                    "unknown field `{}`: did you mean `{}`?",
                                    shown,
                                    n
                                ),
                                None => text!("未知字段 `{}`", "unknown field `{}`", shown),
                            };
                            let mut at = path.clone();
                            at.push(Step::Key(key.clone()));
                            made(at, message)
                        })
                        .collect::<Vec<_>>()
                }
                SchemaProblem::Type => {
                    let node = doc.root.at(&path);
                    let shown = node.map(primitives::quoted).unwrap_or_default();
                    let expected = expected_types(schema, &path);
                    let mut message = text!(
                        "`{}` 类型不符（应为 {}）：{}",
                        "`{}` has the wrong type (expected {}): {}",
                        show(&path),
                        expected,
                        shown
                    );
                    let scalar = node.is_some_and(|n| {
                        n.as_f64().is_some() || matches!(n.value, crate::document::Value::Bool(_))
                    });
                    if expected.contains("string") && scalar {
                        message.zh.push_str("；作为文字时请加引号");
                        message.en.push_str("; quote it to make it text");
                    }
                    vec![made(path, message)]
                }
                SchemaProblem::Format(format) => {
                    let value = doc.root.at(&path).map(|n| n.display()).unwrap_or_default();
                    let shown = crate::visible::value(&value);
                    let message = match format.as_str() {
                        "credit-code" => {
                            let why = match crate::identity::credit_code_problem(&value) {
                                Some("length") => text!("长度不是 18 位", "not 18 characters"),
                                Some("alphabet") => text!(
                                    "含有代码字符集以外的字符（不用 I O Z S V）",
                                    "characters outside the code's alphabet (no I O Z S V)"
                                ),
                                Some("region") => text!(
                                    "第 3–8 位应为行政区划代码",
                                    "positions 3-8 must be a region code"
                                ),
                                _ => text!("校验码不符", "wrong check digit"),
                            };
                            Text::new(
                                format!("`{shown}` 不是有效的统一社会信用代码（GB 32100-2015：{}）", why.zh),
                                format!("`{shown}` is not a valid 统一社会信用代码 (GB 32100-2015: {})", why.en),
                            )
                        }
                        "cn-date" => text!(
                            "`{}` 不是日期：写作 2026-03-01 或 2026年3月1日，且须为真实日期",
                            "`{}` is not a date: write 2026-03-01 or 2026年3月1日, a real calendar day",
                            shown
                        ),
                        other => text!(
                            "`{}` 不符合格式 {}",
                            "`{}` does not match the format {}",
                            shown,
                            other
                        ),
                    };
                    vec![made(path, message)]
                }
                SchemaProblem::Other => {
                    let fallback = crate::visible::value(&fallback);
                    let message = Text::new(
                        format!("`{}` 不符合 Schema：{}", show(&path), fallback),
                        format!("`{}` does not match the schema: {}", show(&path), fallback),
                    );
                    vec![made(path, message)]
                }
            }
        }))
}
