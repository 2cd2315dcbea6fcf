//! Checking one document against the pack: its kind's JSON Schema, then every rule for its kind.
//! Pure: no I/O and no printing.

pub mod bodies;
pub mod crossdoc;
mod organizations;
pub mod primitives;
pub mod region;
pub mod scope;
mod unfilled;

use std::collections::HashSet;

use jsonschema::error::ValidationErrorKind;

use crate::citation::Citation;
use crate::document::{node::parse_pointer, Document, Step};
use std::collections::HashMap;

use crate::finding::{Finding, RelatedLocation, MAX_PER_RULE};
use crate::kind::{edit_distance, Kind};
use crate::rules::{Pack, Rule, RuleBody};
use crate::schema::{KindSchema, Schemas};
use crate::severity::Severity;
use crate::source::Span;
use crate::text;
use crate::text::Text;

pub use primitives::{evaluate, holds, show, Context, Failure, Unverifiable};

/// Documents of this many bytes or more have their rules evaluated in parallel.
const LARGE_DOCUMENT: usize = 256 * 1024;

/// All findings for `doc`, in file order. A document the scope rule puts outside the measure
/// gets the scope rule's findings only ([`scope`]).
///
/// One defect, one finding: where a rule reports an error at a place, the schema's finding at
/// that place is left out (the rule cites the provision that gives the defect its legal
/// meaning; e.g. GD22-02d for an impossible `term.end`), and a rule's `required` finding on a
/// placeholder stands for the placeholder's own.
pub fn check_document(
    pack: &Pack,
    schemas: &Schemas,
    doc: &Document,
    ctx: &Context,
) -> Vec<Finding> {
    let mut findings = scope::scope_findings(pack, doc, ctx);
    if !scope::rules_out(&findings) {
        let predates = schemas
            .get(doc.kind)
            .and_then(|schema| predates_measure(schema, doc, ctx));
        let rules: Vec<&Rule> = pack
            .rules_for(doc.kind)
            .filter(|r| !r.scope)
            .map(|r| &**r)
            .collect();
        let found: Vec<(&Rule, Vec<Finding>)> = if doc.file.text().len() < LARGE_DOCUMENT {
            rules
                .into_iter()
                .map(|rule| (rule, rule_findings(pack, rule, doc, ctx)))
                .collect()
        } else {
            // A large document is checked on every core, rule by rule: the run may hold no other.
            use rayon::prelude::*;
            rules
                .par_iter()
                .map(|rule| (*rule, rule_findings(pack, rule, doc, ctx)))
                .collect()
        };
        for (rule, mut found) in found {
            if let Some(before) = &predates {
                if !matches!(&rule.body, RuleBody::Check(c) if c.is_transitional()) {
                    found.iter_mut().for_each(|f| before.hold_back(f));
                }
            }
            findings.extend(found);
        }
        if let Some(schema) = schemas.get(doc.kind) {
            let carried = carried_by_rules(&findings, doc);
            let schema_found: Vec<Finding> = schema_findings(pack, schema, doc)
                .into_iter()
                .filter(|f| !carried.covers(&f.pointer))
                .collect();
            findings.extend(schema_found);
        }
    }
    findings.sort_by(|a, b| {
        (a.span.start, &a.rule, &a.pointer).cmp(&(b.span.start, &b.rule, &b.pointer))
    });
    findings
}

/// The places a rule's error stands for: its pointer, and, for a list of nothing but
/// placeholders (which `required` reports at the list), the placeholders in it. Looked up by
/// pointer, so a document with many findings is not compared pairwise.
struct Carried<'a> {
    places: HashSet<&'a str>,
    placeholder_lists: HashSet<&'a str>,
}

impl Carried<'_> {
    fn covers(&self, pointer: &str) -> bool {
        self.places.contains(pointer)
            || pointer
                .rsplit_once('/')
                .is_some_and(|(list, _)| self.placeholder_lists.contains(list))
    }
}

fn carried_by_rules<'a>(findings: &'a [Finding], doc: &Document) -> Carried<'a> {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error && !f.unresolved);
    let placeholder_lists = errors
        .clone()
        .filter(|f| {
            doc.root
                .at(&parse_pointer(&doc.root, &f.pointer))
                .is_some_and(|n| {
                    matches!(n.value, crate::document::Value::Seq(_))
                        && crate::placeholder::unfilled(n)
                })
        })
        .map(|f| f.pointer.as_str())
        .collect();
    Carried {
        places: errors.map(|f| f.pointer.as_str()).collect(),
        placeholder_lists,
    }
}

/// A finding the schema layer makes beside JSON Schema validation (a placeholder, a code used for
/// two organisations), before it is cited: the place, what is wrong, how to fix it.
pub(crate) struct SchemaNote {
    at: Vec<Step>,
    message: Text,
    help: Option<Text>,
    related: Vec<(Vec<Step>, Text)>,
}

impl SchemaNote {
    pub(crate) fn new(at: Vec<Step>, message: Text) -> Self {
        SchemaNote {
            at,
            message,
            help: None,
            related: Vec::new(),
        }
    }

    pub(crate) fn with_help(mut self, help: Text) -> Self {
        self.help = Some(help);
        self
    }

    /// Another place in the same document the note is about.
    pub(crate) fn related(mut self, at: Vec<Step>, label: Text) -> Self {
        self.related.push((at, label));
        self
    }

    fn into_finding(self, pack: &Pack, schema: &KindSchema, doc: &Document) -> Finding {
        let span = doc.root.locate(&self.at);
        let mut finding = Finding::from_schema(
            citation_for(schema, doc.kind, &self.at),
            &pack.measure,
            doc,
            crate::document::pointer(&self.at),
            span,
            self.message,
        );
        if let Some(help) = self.help {
            finding.help = help;
        }
        finding.related = self
            .related
            .into_iter()
            .map(|(at, label)| {
                let span = doc.root.locate(&at);
                RelatedLocation {
                    file: std::sync::Arc::clone(&doc.file),
                    document: doc.id.clone(),
                    pointer: crate::document::pointer(&at),
                    span,
                    position: doc.file.position(span.start),
                    label,
                }
            })
            .collect();
        finding
    }
}

/// A document dated before the measure took effect (its kind's `x-document-date`, before the
/// issuance date): the measure does not reach back to it (non-retroactivity; Art. 42 para. 2
/// gives operations begun earlier one year from issuance to be brought in line).
struct Predates {
    /// The document's date.
    dated: jiff::civil::Date,
    /// The issuance date.
    from: jiff::civil::Date,
    /// The last day of Art. 42 para. 2's year.
    due: Option<jiff::civil::Date>,
}

impl Predates {
    /// A duty of the measure found unmet on the earlier document is not a breach: shown as
    /// `info`, with what Art. 42 para. 2 asks instead. Review items stay as they are.
    fn hold_back(&self, finding: &mut Finding) {
        if !matches!(finding.severity, Severity::Error | Severity::Warning) {
            return;
        }
        finding.severity = Severity::Info;
        let due = self
            .due
            .map_or_else(|| "出台一年内".to_string(), |d| format!(" {d} 前"));
        let due_en = self.due.map_or_else(
            || "within a year of its issuance".to_string(),
            |d| format!("by {d}"),
        );
        finding.detail = Text::new(
            format!(
                "{}；本文书日期 {} 早于本办法施行之日 {}，本办法不溯及既往，不作为违反处理；本办法实施前已开展的授权运营，应于{}对照国家和省要求完善（第四十二条第二款）",
                finding.detail.zh, self.dated, self.from, due
            ),
            format!(
                "{}; the document is dated {}, before the measure took effect on {}: the measure does not reach back to it, so this is not a breach; an operation begun earlier is to be brought in line {} (Art. 42 para. 2)",
                finding.detail.en, self.dated, self.from, due_en
            ),
        );
    }
}

/// Whether `doc` predates the measure: its kind's date (`x-document-date` in the schema) is
/// before the issuance date, when that is known.
fn predates_measure(schema: &KindSchema, doc: &Document, ctx: &Context) -> Option<Predates> {
    let (from, _) = ctx.in_force?;
    let path = crate::rules::Path::parse(schema.json().get("x-document-date")?.as_str()?).ok()?;
    let dated = doc
        .root
        .at(&path.0)
        .and_then(crate::document::Node::as_str)
        .and_then(crate::dates::parse_date)?;
    (dated < from).then(|| Predates {
        dated,
        from,
        due: from
            .checked_add(jiff::ToSpan::day(1))
            .ok()
            .and_then(|start| crate::dates::term_last_day(start, 1)),
    })
}

/// The findings of one rule on one document.
pub fn rule_findings(pack: &Pack, rule: &Rule, doc: &Document, ctx: &Context) -> Vec<Finding> {
    let check = match &rule.body {
        RuleBody::Check(check) => check,
        RuleBody::Review { confirm, when, at } => {
            if when
                .as_ref()
                .is_some_and(|w| !holds(w, &doc.root, &[], ctx))
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
    let mut seen = std::collections::HashSet::with_capacity(failures.len());
    let first: Vec<bool> = failures
        .iter()
        .map(|f| seen.insert((f.at.as_slice(), f.detail.zh.as_str())))
        .collect();
    drop(seen);
    let mut first = first.into_iter();
    failures.retain(|_| first.next().unwrap_or(false));
    if failures.is_empty() {
        return Vec::new();
    }
    // The first MAX_PER_RULE are listed; the rest are counted in one more finding.
    let omitted = failures.split_off(failures.len().min(MAX_PER_RULE));
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
                    .filter(|e| !crate::placeholder::unfilled(&e.value))
                    .map(|e| primitives::quoted(&e.value))
            };
            Some((field("reason")?, field("approver")?))
        })
    };
    let severity_of = |f: &Failure| {
        let severity = f.severity.unwrap_or(rule.severity);
        if severity == Severity::Error && exception_for(&f.at).is_some() {
            Severity::Warning
        } else {
            severity
        }
    };
    let mut findings: Vec<Finding> = failures
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
            finding.unresolved = f.unresolved.is_some();
            if let Some(message) = f.message {
                finding.message = message;
            }
            match f.unresolved {
                Some(Unverifiable::NotChecked) => {
                    finding.message = Text::new(
                        format!("无法核对（引用的文书不在本次检查中）：{}", rule.message.zh),
                        format!(
                            "Cannot verify (a referenced document was not checked): {}",
                            rule.message.en
                        ),
                    );
                }
                Some(Unverifiable::OutOfScope) => {
                    finding.message = Text::new(
                        format!("无法核对（引用的文书不适用本办法）：{}", rule.message.zh),
                        format!(
                            "Cannot verify (a referenced document is outside the measure): {}",
                            rule.message.en
                        ),
                    );
                }
                None => {}
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
        .collect();
    if let (Some(first), Some(severity)) = (findings.first(), omitted.iter().map(severity_of).min())
    {
        let summary = Finding::omitted_after(first, doc, severity, omitted.len());
        findings.push(summary);
    }
    findings
}

/// The provision a field serves: the deepest `x-citation` along the path, else the schema
/// root's, else the kind's main article.
fn citation_for(schema: &KindSchema, kind: Kind, path: &[Step]) -> Citation {
    let read = |s: &serde_json::Value| {
        s.get("x-citation")
            .and_then(|c| serde_json::from_value::<Citation>(c.clone()).ok())
    };
    let mut best = read(schema.json());
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

/// What a schema error is about, as far as the report distinguishes: one unknown key (an
/// `additionalProperties` error names all of a mapping's; each is a finding of its own), a
/// wrong type, a bad format, or anything else.
enum SchemaProblem {
    Unknown(String),
    Type,
    Format(String),
    Other(String),
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

/// The schema layer's findings: JSON Schema violations, placeholders left in the document, and
/// codes given for two organisations. A placeholder's finding replaces the type or format
/// error the validator reports at the same place (`<YYYY-MM-DD>` is not a date, but the fix is
/// to fill it in).
fn schema_findings(pack: &Pack, schema: &KindSchema, doc: &Document) -> Vec<Finding> {
    let placeholders = unfilled::placeholders(&doc.root);
    let at_placeholder: HashSet<String> = placeholders
        .iter()
        .map(|n| crate::document::pointer(&n.at))
        .collect();
    let mut out: Vec<Finding> = validation_findings(pack, schema, doc)
        .filter(|f| !at_placeholder.contains(&f.pointer))
        .collect();
    let notes = placeholders
        .into_iter()
        .chain(organizations::same_code_other_name(
            &doc.root,
            schema.credit_code_fields(),
        ));
    out.extend(notes.map(|n| n.into_finding(pack, schema, doc)));
    out
}

fn validation_findings<'a>(
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
    // The first MAX_PER_RULE problems are listed, in the order the validator meets them; the
    // rest are only counted, so that neither the work nor the report grows with them.
    let mut listed: Vec<(String, SchemaProblem)> = Vec::new();
    let mut omitted = 0usize;
    for e in validator.iter_errors(&instance) {
        list_problem(&e, &mut listed, &mut omitted);
    }
    // The mappings that hold unknown keys, each indexed once: a key is found in constant time
    // however many keys the mapping has.
    let mut mappings: HashMap<String, Mapping> = HashMap::new();
    let mut findings: Vec<Finding> = listed
        .into_iter()
        .map(|(pointer, kind)| {
            let made = |path: Vec<Step>, span: Span, message: Text| {
                let citation = citation_for(schema, doc.kind, &path);
                Finding::from_schema(
                    citation,
                    &pack.measure,
                    doc,
                    crate::document::pointer(&path),
                    span,
                    message,
                )
            };
            match kind {
                SchemaProblem::Unknown(key) => {
                    let mapping = mappings
                        .entry(pointer)
                        .or_insert_with_key(|pointer| Mapping::new(schema, doc, pointer));
                    let shown = crate::visible::value(&key);
                    let near = mapping
                        .known
                        .iter()
                        .filter(|k| k.len().abs_diff(key.len()) <= 2)
                        .map(|k| (edit_distance(k, &key), k))
                        .filter(|(d, _)| *d <= 2)
                        .min_by_key(|(d, _)| *d)
                        .map(|(_, k)| k);
                    let slip = crate::document::slips::in_key(&key);
                    let message = match (slip, near) {
                        (Some(slip), _) => Text::new(
                            format!("未知字段 `{shown}`：{}", slip.zh),
                            format!("unknown field `{shown}`: {}", slip.en),
                        ),
                        (None, Some(n)) => text!(
                            "未知字段 `{}`，是否应为 `{}`？",
                            "unknown field `{}`: did you mean `{}`?",
                            shown,
                            n
                        ),
                        (None, None) => text!("未知字段 `{}`", "unknown field `{}`", shown),
                    };
                    let span = mapping
                        .spans
                        .get(key.as_str())
                        .copied()
                        .unwrap_or(mapping.at);
                    let mut at = mapping.path.clone();
                    at.push(Step::Key(key));
                    made(at, span, message)
                }
                SchemaProblem::Type => {
                    let path = parse_pointer(&doc.root, &pointer);
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
                    if let Some(slip) = crate::document::slips::in_value(&shown, &expected) {
                        message.zh.push_str(&format!("；{}", slip.zh));
                        message.en.push_str(&format!("; {}", slip.en));
                    }
                    let span = doc.root.locate(&path);
                    made(path, span, message)
                }
                SchemaProblem::Format(format) => {
                    let path = parse_pointer(&doc.root, &pointer);
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
                    let span = doc.root.locate(&path);
                    made(path, span, message)
                }
                SchemaProblem::Other(fallback) => {
                    let path = parse_pointer(&doc.root, &pointer);
                    let fallback = crate::visible::value(&fallback);
                    let message = Text::new(
                        format!("`{}` 不符合 Schema：{}", show(&path), fallback),
                        format!("`{}` does not match the schema: {}", show(&path), fallback),
                    );
                    let span = doc.root.locate(&path);
                    made(path, span, message)
                }
            }
        })
        .collect();
    if omitted > 0 {
        if let Some(first) = findings.first() {
            let summary = Finding::omitted_after(first, doc, Severity::Error, omitted);
            findings.push(summary);
        }
    }
    Box::new(findings.into_iter())
}

/// List the problem a schema error stands for, up to [`MAX_PER_RULE`] (the rest counted in
/// `omitted`). A value that fits none of an `anyOf`'s branches is judged by the one branch of its
/// own type (a list against the list branch), so an impossible date inside a list item is found
/// at the item's field, not at the list.
fn list_problem(
    e: &jsonschema::ValidationError<'_>,
    listed: &mut Vec<(String, SchemaProblem)>,
    omitted: &mut usize,
) {
    let pointer = e.instance_path().as_str();
    if let ValidationErrorKind::AdditionalProperties { unexpected } = e.kind() {
        let room = MAX_PER_RULE.saturating_sub(listed.len());
        *omitted += unexpected.len().saturating_sub(room);
        listed.extend(
            unexpected
                .iter()
                .take(room)
                .map(|key| (pointer.to_string(), SchemaProblem::Unknown(key.clone()))),
        );
        return;
    }
    if let ValidationErrorKind::AnyOf { context } = e.kind() {
        let own_type = |branch: &&Vec<jsonschema::ValidationError<'static>>| {
            !branch.is_empty()
                && !branch.iter().any(|b| {
                    matches!(b.kind(), ValidationErrorKind::Type { .. })
                        && b.instance_path().as_str() == pointer
                })
        };
        let mut fitting = context.iter().filter(own_type);
        if let (Some(branch), None) = (fitting.next(), fitting.next()) {
            for inner in branch {
                list_problem(inner, listed, omitted);
            }
            return;
        }
    }
    if listed.len() >= MAX_PER_RULE {
        *omitted += 1;
        return;
    }
    let kind = match e.kind() {
        ValidationErrorKind::Type { .. } => SchemaProblem::Type,
        ValidationErrorKind::Format { format } => SchemaProblem::Format(format.clone()),
        _ => SchemaProblem::Other(e.to_string()),
    };
    listed.push((pointer.to_string(), kind));
}

/// A mapping that holds unknown keys: its path, the keys its schema knows (for did-you-mean
/// hints), and where each of its keys stands.
struct Mapping {
    path: Vec<Step>,
    known: Vec<String>,
    spans: HashMap<String, Span>,
    /// Where the mapping itself stands, for a key not found.
    at: Span,
}

impl Mapping {
    fn new(schema: &KindSchema, doc: &Document, pointer: &str) -> Mapping {
        let path = parse_pointer(&doc.root, pointer);
        let known = schema
            .resolve(None, &path)
            .and_then(|s| s.get("properties"))
            .and_then(|p| p.as_object())
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        let node = doc.root.at(&path);
        // As `Node::locate` shows a key's value: a container by its key, a scalar by itself.
        let spans = match node.map(|n| &n.value) {
            Some(crate::document::Value::Map(entries)) => entries
                .iter()
                .map(|e| {
                    let span = match e.value.value {
                        crate::document::Value::Map(_) | crate::document::Value::Seq(_) => {
                            e.key_span
                        }
                        _ => e.value.span,
                    };
                    (e.key.clone(), span)
                })
                .collect(),
            _ => HashMap::new(),
        };
        Mapping {
            at: doc.root.locate(&path),
            path,
            known,
            spans,
        }
    }
}
