//! Loading a rule pack: each article file is parsed with spans, validated against the
//! rule-file schema, deserialised into raw types, then checked into [`Rule`]s. Every problem is
//! an [`InputError`] located in its file; a broken file is skipped, the rest of the pack loads.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

use jsonschema::Validator;
use rayon::prelude::*;

use super::check::{Allowed, Check, DateRelation, Path, Selector, Source};
use super::raw::{
    RawArticleFile, RawCheck, RawGlossaryTerm, RawPackManifest, RawPrimitive, RawRule, RawSource,
};
use super::{ArticleEntry, ArticleStatus, Modality, Pack, PackInfo, Rule, RuleBody};
use crate::document::{node::parse_pointer, yaml, Limits};
use crate::error::InputError;
use crate::measure::{fold, Measure};
use crate::schema::Schemas;
use crate::severity::Severity;
use crate::source::{SourceFile, Span};
use crate::terms::{Glossary, Term};
use crate::text;

/// The files of a pack: `pack.yaml`, the measure's text and `articles/*.yaml`, by relative path.
pub struct PackFiles {
    /// Shown before relative paths in messages (`rules` for the built-in pack, or the directory).
    pub origin: String,
    /// `(relative path, text)`.
    pub files: Vec<(String, String)>,
}

/// The JSON Schema of rule files, generated from [`RawArticleFile`]
/// (`schemas/rule-file.schema.json` is this, pretty-printed; a test keeps it fresh).
pub fn rule_file_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(RawArticleFile)).unwrap_or_default()
}

/// The generated schema for rule files, compiled once.
fn rule_file_validator() -> Result<&'static Validator, String> {
    static VALIDATOR: OnceLock<Result<Validator, String>> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| {
            let schema = rule_file_schema();
            jsonschema::options()
                .with_pattern_options(jsonschema::PatternOptions::regex())
                .build(&schema)
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Load a pack. Returns the pack built from every file that loaded, and the errors of the rest.
pub fn load_pack(files: &PackFiles, schemas: &Schemas) -> (Option<Pack>, Vec<InputError>) {
    let mut errors = Vec::new();
    let named = |rel: &str| format!("{}/{}", files.origin, rel);
    let find = |rel: &str| files.files.iter().find(|(n, _)| n == rel).map(|(_, t)| t);

    let manifest_file = SourceFile::new(
        named("pack.yaml"),
        find("pack.yaml").cloned().unwrap_or_default(),
    );
    if find("pack.yaml").is_none() {
        errors.push(InputError::whole(
            "pdao::pack",
            &manifest_file,
            text!("规则包缺少 pack.yaml", "the rule pack has no pack.yaml"),
        ));
        return (None, errors);
    }
    let manifest: RawPackManifest = match deserialize(&manifest_file) {
        Ok(m) => m,
        Err(e) => {
            errors.push(e);
            return (None, errors);
        }
    };
    let Some(source_text) = find(&manifest.source) else {
        errors.push(InputError::whole(
            "pdao::pack",
            &manifest_file,
            text!(
                "pack.yaml 指向的条文文本 {} 不存在",
                "the measure text {} named in pack.yaml is missing",
                manifest.source
            ),
        ));
        return (None, errors);
    };
    let measure = Measure::parse(source_text);

    let mut articles = BTreeMap::new();
    let mut rules: Vec<Arc<Rule>> = Vec::new();
    let mut seen_ids: HashMap<String, (Arc<SourceFile>, Span)> = HashMap::new();
    let mut article_files: Vec<&(String, String)> = files
        .files
        .iter()
        .filter(|(n, _)| {
            n.starts_with("articles/") && (n.ends_with(".yaml") || n.ends_with(".yml"))
        })
        .collect();
    article_files.sort_by(|a, b| a.0.cmp(&b.0));
    // Parsing and checking the article files is most of a one-document run's start-up: done
    // in parallel, then merged in file order.
    let articles_loaded: Vec<_> = article_files
        .par_iter()
        .map(|(rel, text)| {
            let file = SourceFile::new(named(rel), text.clone());
            let loaded = load_article(&file, &measure, schemas);
            (file, loaded)
        })
        .collect();
    for (file, loaded) in articles_loaded {
        match loaded {
            Ok((entry, loaded)) => {
                let mut file_rules = Vec::new();
                let mut duplicate = false;
                for (rule, span) in loaded {
                    if let Some((first_file, first_span)) = seen_ids.get(&rule.id) {
                        let other = if Arc::ptr_eq(first_file, &file) {
                            Some(*first_span)
                        } else {
                            None
                        };
                        let mut err = InputError::at(
                            "pdao::duplicate-id",
                            &file,
                            span,
                            text!(
                                "规则编号 {} 重复（首次出现于 {}）",
                                "rule id {} is used twice (first in {})",
                                rule.id,
                                first_file.name()
                            ),
                        );
                        if let Some(s) = other {
                            err = err.with_label(s, text!("首次出现", "first used here"));
                        }
                        errors.push(err);
                        duplicate = true;
                        continue;
                    }
                    seen_ids.insert(rule.id.clone(), (Arc::clone(&file), span));
                    file_rules.push(Arc::new(rule));
                }
                if !duplicate || !file_rules.is_empty() {
                    if let Some(previous) = articles.insert(entry.number, entry) {
                        errors.push(InputError::whole(
                            "pdao::duplicate-article",
                            &file,
                            text!(
                                "第 {} 条已有规则文件 {}",
                                "article {} already has the rule file {}",
                                previous.number,
                                previous.file
                            ),
                        ));
                    }
                }
                rules.extend(file_rules);
            }
            Err(mut errs) => errors.append(&mut errs),
        }
    }
    let mut calendar = crate::calendar::WorkingDayCalendar::default();
    let mut calendar_files: Vec<&(String, String)> = files
        .files
        .iter()
        .filter(|(n, _)| {
            n.starts_with("calendar/") && (n.ends_with(".yaml") || n.ends_with(".yml"))
        })
        .collect();
    calendar_files.sort_by(|a, b| a.0.cmp(&b.0));
    for (rel, text) in calendar_files {
        if let Err(e) = calendar.add_file(&SourceFile::new(named(rel), text.clone())) {
            errors.push(e);
        }
    }
    let mut regions = crate::region::Divisions::default();
    let mut region_files: Vec<&(String, String)> = files
        .files
        .iter()
        .filter(|(n, _)| n.starts_with("regions/") && (n.ends_with(".yaml") || n.ends_with(".yml")))
        .collect();
    region_files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut last_region_file = None;
    for (rel, text) in region_files {
        let file = SourceFile::new(named(rel), text.clone());
        if let Err(mut e) = regions.add_file(&file) {
            errors.append(&mut e);
        }
        last_region_file = Some(file);
    }
    if let Some(file) = last_region_file {
        for conflict in regions.conflicts() {
            errors.push(InputError::whole("pdao::regions", &file, conflict));
        }
    }
    let info = PackInfo {
        name: manifest.name,
        title: manifest.title,
        status: manifest.status,
        published: manifest.published,
        issued: manifest.issued,
        validity_years: manifest.validity_years,
    };
    (
        Some(Pack {
            info,
            measure,
            articles,
            rules,
            calendar,
            regions,
        }),
        errors,
    )
}

fn deserialize<T: serde::de::DeserializeOwned>(file: &Arc<SourceFile>) -> Result<T, InputError> {
    let root = yaml::parse(file, Limits::default())?;
    serde_json::from_value(root.to_json()).map_err(|e| {
        InputError::at(
            "pdao::rule-file",
            file,
            root.locate(&[]),
            text!("格式不符：{}", "malformed: {}", e),
        )
    })
}

pub(super) type Loaded = (ArticleEntry, Vec<(Rule, Span)>);

pub(super) fn load_article(
    file: &Arc<SourceFile>,
    measure: &Measure,
    schemas: &Schemas,
) -> Result<Loaded, Vec<InputError>> {
    let root = yaml::parse(file, Limits::default()).map_err(|e| vec![e])?;
    let json = root.to_json();
    let at = |pointer: &str| root.locate(&parse_pointer(&root, pointer));
    let validator = rule_file_validator().map_err(|e| {
        vec![InputError::whole(
            "pdao::rule-schema",
            file,
            text!(
                "规则文件 Schema 无法编译：{}",
                "the rule-file schema does not compile: {}",
                e
            ),
        )]
    })?;
    let schema_errors: Vec<InputError> = validator
        .iter_errors(&json)
        .map(|e| {
            let pointer = e.instance_path().as_str().to_string();
            InputError::at(
                "pdao::rule-file",
                file,
                at(&pointer),
                text!(
                    "规则文件不符合 rule-file.schema.json（{}）：{}",
                    "rule file does not match rule-file.schema.json (at {}): {}",
                    if pointer.is_empty() { "/" } else { &pointer },
                    e
                ),
            )
        })
        .collect();
    if !schema_errors.is_empty() {
        return Err(schema_errors);
    }
    let raw: RawArticleFile = serde_json::from_value(json).map_err(|e| {
        vec![InputError::at(
            "pdao::rule-file",
            file,
            root.locate(&[]),
            text!("规则文件格式不符：{}", "malformed rule file: {}", e),
        )]
    })?;

    let mut errors = Vec::new();
    let Some(article) = measure.article(raw.article) else {
        return Err(vec![InputError::at(
            "pdao::unknown-article",
            file,
            at("/article"),
            text!(
                "条文中没有第 {} 条",
                "the measure has no article {}",
                raw.article
            ),
        )]);
    };
    if article.title != raw.title {
        errors.push(InputError::at(
            "pdao::article-title",
            file,
            at("/title"),
            text!(
                "第 {} 条的标题是【{}】",
                "article {}'s heading is 【{}】",
                raw.article,
                article.title
            ),
        ));
    }
    if article.chapter != raw.chapter {
        errors.push(InputError::at(
            "pdao::article-chapter",
            file,
            at("/chapter"),
            text!(
                "第 {} 条属于第 {} 章",
                "article {} belongs to chapter {}",
                raw.article,
                article.chapter
            ),
        ));
    }
    let mut rules = Vec::new();
    // Folded once per file: every rule's quote is looked up in it.
    let article_text = fold(&article.full_text());
    let glossary = glossary(&raw.terms, &at, file, &mut errors);
    for (i, raw_rule) in raw.rules.into_iter().enumerate() {
        let base = format!("/rules/{i}");
        match check_rule(
            raw_rule,
            raw.article,
            &article_text,
            measure,
            schemas,
            &base,
            &at,
            file,
            &glossary,
        ) {
            Ok(rule) => rules.push((rule, at(&format!("{base}/id")))),
            Err(mut errs) => errors.append(&mut errs),
        }
    }
    // A term no `enum` of the file names would be a glossary entry nothing reads.
    let named: Vec<String> = rules
        .iter()
        .flat_map(|(r, _): &(Rule, Span)| enum_words(&r.body))
        .map(|w| crate::terms::fold(&w))
        .collect();
    for (i, term) in glossary.terms.iter().enumerate() {
        if !named.contains(&crate::terms::fold(&term.term)) {
            errors.push(InputError::at(
                "pdao::rule-file",
                file,
                at(&format!("/terms/{i}/term")),
                text!(
                    "术语 {} 不是本文件任何 enum 的取值",
                    "the term {} is not a value of any enum in this file",
                    term.term
                ),
            ));
        }
    }
    let derived = if rules.is_empty() {
        ArticleStatus::NotCheckable
    } else if rules
        .iter()
        .all(|(r, _): &(Rule, Span)| matches!(r.body, RuleBody::Review { .. }))
    {
        ArticleStatus::Review
    } else {
        ArticleStatus::Checked
    };
    let reason = raw.reason.filter(|r| !r.trim().is_empty());
    match (raw.status, derived) {
        (Some(ArticleStatus::NotCheckable), ArticleStatus::NotCheckable) | (None, ArticleStatus::NotCheckable)
            if reason.is_none() =>
        {
            errors.push(InputError::at(
                "pdao::article-status",
                file,
                at("/status"),
                text!(
                    "没有规则的条文须记为 status: not-checkable，并以 reason 写明一行理由",
                    "an article without rules must be recorded as status: not-checkable with a one-line reason"
                ),
            ))
        }
        (Some(declared), derived) if declared != derived && errors.is_empty() => {
            errors.push(InputError::at(
                "pdao::article-status",
                file,
                at("/status"),
                text!(
                    "status 与规则不符：按其规则应为 {}",
                    "status does not match the rules: they make it {}",
                    serde_json::to_value(derived).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
                ),
            ))
        }
        _ => {}
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((
        ArticleEntry {
            number: raw.article,
            title: raw.title,
            file: file.name().to_string(),
            status: derived,
            reason,
        },
        rules,
    ))
}

/// The article's glossary; a word that names two terms is an error (it could not tell them apart).
fn glossary(
    raw: &[RawGlossaryTerm],
    at: &dyn Fn(&str) -> Span,
    file: &Arc<SourceFile>,
    errors: &mut Vec<InputError>,
) -> Arc<Glossary> {
    let mut owner: HashMap<String, usize> = HashMap::new();
    for (i, t) in raw.iter().enumerate() {
        let words = std::iter::once((format!("/terms/{i}/term"), &t.term)).chain(
            t.synonyms
                .iter()
                .enumerate()
                .map(move |(j, s)| (format!("/terms/{i}/synonyms/{j}"), s)),
        );
        for (pointer, word) in words {
            let folded = crate::terms::fold(word);
            if folded.is_empty() {
                errors.push(InputError::at(
                    "pdao::rule-file",
                    file,
                    at(&pointer),
                    text!("术语或同义词为空", "an empty term or synonym"),
                ));
                continue;
            }
            match owner.get(&folded) {
                Some(&first) if first != i => errors.push(InputError::at(
                    "pdao::rule-file",
                    file,
                    at(&pointer),
                    text!(
                        "“{}”已属于术语 {}",
                        "“{}” already names the term {}",
                        word,
                        raw.get(first).map(|t| t.term.as_str()).unwrap_or_default()
                    ),
                )),
                _ => {
                    owner.insert(folded, i);
                }
            }
        }
    }
    Arc::new(Glossary::new(
        raw.iter()
            .map(|t| Term {
                term: t.term.clone(),
                synonyms: t.synonyms.clone(),
                head: t.head,
                basis: t.basis.clone(),
            })
            .collect(),
    ))
}

/// The string values and forbidden values of every `enum` in a rule.
fn enum_words(body: &RuleBody) -> Vec<String> {
    let mut out = Vec::new();
    let mut visit = |c: &Check| {
        if let Check::Enum {
            values, forbidden, ..
        } = c
        {
            out.extend(
                values
                    .iter()
                    .chain(forbidden)
                    .filter_map(|v| v.as_str().map(str::to_string)),
            );
        }
    };
    match body {
        RuleBody::Check(c) | RuleBody::Review { when: Some(c), .. } => c.visit(&mut visit),
        RuleBody::Review { .. } => {}
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn check_rule(
    raw: RawRule,
    article_number: u32,
    article_text: &str,
    measure: &Measure,
    schemas: &Schemas,
    base: &str,
    at: &dyn Fn(&str) -> Span,
    file: &Arc<SourceFile>,
    glossary: &Arc<Glossary>,
) -> Result<Rule, Vec<InputError>> {
    let mut errors = Vec::new();
    let mut err = |pointer: &str, message: text::Text| {
        errors.push(InputError::at(
            "pdao::rule",
            file,
            at(&format!("{base}{pointer}")),
            message,
        ));
    };
    let id_article = raw.id.get(2..4).and_then(|d| d.parse::<u32>().ok());
    if id_article != Some(article_number) {
        err(
            "/id",
            text!(
                "规则编号 {} 应以 GD{:02} 开头",
                "rule id {} must start with GD{:02}",
                raw.id,
                article_number
            ),
        );
    }
    if raw.citation.article != article_number {
        err(
            "/citation/article",
            text!(
                "本文件是第 {} 条，引用却指向第 {} 条",
                "this file is article {}, but the citation names article {}",
                article_number,
                raw.citation.article
            ),
        );
    } else if !raw.citation.exists_in(measure) {
        err(
            "/citation",
            text!(
                "条文中没有 {} 这一款项",
                "the measure has no {}",
                raw.citation.zh(measure)
            ),
        );
    }
    if !article_text.contains(&fold(&raw.quote)) {
        err(
            "/quote",
            text!(
                "引文不在第 {} 条原文中（比较时已统一全半角与空白）",
                "the quote is not in article {}'s text (full/half width and whitespace folded)",
                article_number
            ),
        );
    }
    let scope = raw
        .citation
        .scope_text(measure)
        .map(|s| fold(&s))
        .unwrap_or_default();
    let word = raw.modality.word();
    if !raw.modality.fits(&fold(&raw.quote), &scope) {
        if raw.modality == Modality::Declares {
            err(
                "/modality",
                text!(
                    "“陈述”只用于没有情态词的款项，所引款项中另有情态词",
                    "“陈述” is only for a provision without a modal word, and the cited provision has one"
                ),
            );
        } else {
            err(
                "/modality",
                text!(
                    "“{}”既不在引文中，也不在所引款项中",
                    "“{}” is neither in the quote nor in the cited provision",
                    word
                ),
            );
        }
    }
    for (i, kind) in raw.kinds.iter().enumerate() {
        if schemas.get(*kind).is_none() {
            err(
                &format!("/kinds/{i}"),
                text!(
                    "文书类型 {} 没有 Schema",
                    "document kind {} has no schema",
                    kind
                ),
            );
        }
    }
    let exception = match &raw.exception {
        None => None,
        Some(_) if raw.modality != Modality::InPrinciple => {
            err(
                "/exception",
                text!(
                    "只有“原则上”的规则可以设例外",
                    "only 原则上 rules can have an exception"
                ),
            );
            None
        }
        Some(p) => match Path::parse(p) {
            Ok(path) => Some(path),
            Err(e) => {
                err("/exception", text!("路径无效：{}", "invalid path: {}", e));
                None
            }
        },
    };
    let mut report = |p: &str, m: text::Text| {
        errors.push(InputError::at("pdao::rule", file, at(p), m));
    };
    let body = match (&raw.check, &raw.review) {
        (Some(check), None) => {
            convert(check, &format!("{base}/check"), &mut report, glossary).map(RuleBody::Check)
        }
        (None, Some(review)) => {
            let when = review
                .when
                .as_ref()
                .map(|w| convert(w, &format!("{base}/review/when"), &mut report, glossary));
            let at_path = match Path::parse(review.at.as_deref().unwrap_or("")) {
                Ok(p) => Some(p),
                Err(e) => {
                    report(
                        &format!("{base}/review/at"),
                        text!("路径无效：{}", "invalid path: {}", e),
                    );
                    None
                }
            };
            match (when, at_path) {
                (Some(None), _) | (_, None) => None,
                (when, Some(at)) => Some(RuleBody::Review {
                    confirm: review.confirm.clone(),
                    when: when.flatten(),
                    at,
                }),
            }
        }
        _ => {
            report(
                base,
                text!(
                    "规则须恰好有 check 与 review 之一",
                    "a rule needs exactly one of check and review"
                ),
            );
            None
        }
    };
    if raw.scope && (raw.modality != Modality::Applies || !matches!(body, Some(RuleBody::Check(_))))
    {
        report(
            &format!("{base}/scope"),
            text!(
                "只有“适用”条款的检查规则（check）可以标为适用范围规则（scope）",
                "only a check rule on a 适用 provision can be the scope rule (scope)"
            ),
        );
    }
    if let Some(body) = &body {
        let (paths, remote) = match body {
            RuleBody::Check(check) => check.field_uses(),
            RuleBody::Review { when, at, .. } => {
                let (mut p, r) = when.as_ref().map(Check::field_uses).unwrap_or_default();
                if !at.0.is_empty() {
                    p.push((Vec::new(), at.clone()));
                }
                (p, r)
            }
        };
        let refs = body_references(body);
        for kind in &raw.kinds {
            let Some(schema) = schemas.get(*kind) else {
                continue;
            };
            if let Some(e) = &exception {
                // The exception may sit at the root or beside any list item the check visits.
                let mut scopes: Vec<Vec<Path>> = vec![Vec::new()];
                for (scope, p) in &paths {
                    scopes.push(scope.clone());
                    let mut s = scope.clone();
                    s.push(p.clone());
                    scopes.push(s);
                }
                if !scopes.iter().any(|s| path_known(schema, s, e)) {
                    errors.push(InputError::at(
                        "pdao::unknown-field",
                        file,
                        at(&format!("{base}/exception")),
                        text!(
                            "文书类型 {} 的 Schema 中找不到例外字段 {}",
                            "document kind {}'s schema has no exception field {}",
                            kind,
                            e
                        ),
                    ));
                }
            }
            for (scope, path) in &paths {
                if !path_known(schema, scope, path) {
                    errors.push(InputError::at(
                        "pdao::unknown-field",
                        file,
                        at(base),
                        text!(
                            "文书类型 {} 的 Schema 中没有字段 {}",
                            "document kind {}'s schema has no field {}",
                            kind,
                            shown_field(scope, path)
                        ),
                    ));
                }
            }
            for (reference, target) in &refs {
                let declared = schema
                    .annotation(&reference.0, "x-ref")
                    .and_then(|r| r.as_str());
                if declared != Some(target.name()) {
                    errors.push(InputError::at(
                        "pdao::reference",
                        file,
                        at(base),
                        text!(
                            "文书类型 {} 的字段 {} 不是指向 {} 的引用（Schema 中应有 \"x-ref\": \"{}\"，实为 {}）",
                            "document kind {}'s field {} is not a reference to {} (the schema needs \"x-ref\": \"{}\"; found {})",
                            kind,
                            reference,
                            target,
                            target,
                            declared.unwrap_or("-")
                        ),
                    ));
                }
            }
        }
        for (kind, scope, path) in &remote {
            let known = schemas
                .get(*kind)
                .is_some_and(|s| path_known(s, scope, path));
            if !known {
                errors.push(InputError::at(
                    "pdao::unknown-field",
                    file,
                    at(base),
                    text!(
                        "被引用的文书类型 {} 的 Schema 中没有字段 {}",
                        "the referenced document kind {}'s schema has no field {}",
                        kind,
                        shown_field(scope, path)
                    ),
                ));
            }
        }
    }
    match body {
        Some(body) if errors.is_empty() => Ok(Rule {
            id: raw.id,
            citation: raw.citation,
            quote: raw.quote,
            modality: raw.modality,
            severity: if matches!(body, RuleBody::Review { .. }) {
                Severity::Review
            } else {
                raw.modality.severity()
            },
            kinds: raw.kinds,
            exception,
            message: raw.message,
            help: raw.help,
            rationale: raw.rationale,
            scope: raw.scope,
            body,
            file: file.name().to_string(),
        }),
        _ => Err(errors),
    }
}

fn shown_field(scope: &[Path], path: &Path) -> String {
    scope.iter().map(|p| format!("{p}[*].")).collect::<String>() + &path.to_string()
}

/// The reference fields a rule follows, with the kind each must refer to.
fn body_references(body: &RuleBody) -> Vec<(Path, crate::kind::Kind)> {
    fn walk(check: &Check, out: &mut Vec<(Path, crate::kind::Kind)>) {
        let source = |s: &Source, out: &mut Vec<(Path, crate::kind::Kind)>| {
            if let Source::Remote {
                reference, kind, ..
            } = s
            {
                out.push((reference.clone(), *kind));
            }
        };
        match check {
            Check::Subset {
                items: a, of: b, ..
            }
            | Check::Disjoint { items: a, of: b }
            | Check::Equal { left: a, right: b } => {
                source(a, out);
                source(b, out);
            }
            Check::Within {
                start,
                end,
                of_start,
                of_end,
            } => {
                for s in [Some(start), Some(end), of_start.as_ref(), of_end.as_ref()]
                    .into_iter()
                    .flatten()
                {
                    source(s, out);
                }
            }
            Check::Covers { list, kind, .. } => out.push((list.clone(), *kind)),
            Check::Each { check, .. }
            | Check::Some { check, .. }
            | Check::Not(check)
            | Check::Warn(check) => walk(check, out),
            Check::All(cs) | Check::Any(cs) => cs.iter().for_each(|c| walk(c, out)),
            Check::When { when, then } => {
                walk(when, out);
                walk(then, out);
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    match body {
        RuleBody::Check(c) => walk(c, &mut out),
        RuleBody::Review { when: Some(c), .. } => walk(c, &mut out),
        RuleBody::Review { .. } => {}
    }
    out
}

fn path_known(schema: &crate::schema::KindSchema, scope: &[Path], path: &Path) -> bool {
    let mut current = None;
    for list in scope {
        let Some(list_schema) = schema.resolve(current, &list.0) else {
            return false;
        };
        match schema.items(list_schema) {
            Some(items) => current = Some(items),
            None => return false,
        }
    }
    schema.resolve(current, &path.0).is_some()
}

/// Raw source → [`Source`].
fn convert_source(
    raw: &RawSource,
    pointer: &str,
    report: &mut dyn FnMut(&str, text::Text),
    g: &Arc<Glossary>,
) -> Option<Source> {
    let selector = |p: &str, at: &str, report: &mut dyn FnMut(&str, text::Text)| {
        Selector::parse(p)
            .map_err(|e| report(at, text!("路径无效：{}", "invalid path: {}", e)))
            .ok()
    };
    match raw {
        RawSource::Local(p) => selector(p, pointer, report).map(Source::Local),
        RawSource::Remote(r) => {
            let reference = match Path::parse(&r.reference) {
                Ok(p) => Some(p),
                Err(e) => {
                    report(
                        &format!("{pointer}/ref"),
                        text!("路径无效：{}", "invalid path: {}", e),
                    );
                    None
                }
            };
            let path = selector(&r.path, &format!("{pointer}/path"), report);
            let filter = match &r.filter {
                Some(f) => Some(Box::new(convert(
                    f,
                    &format!("{pointer}/where"),
                    report,
                    g,
                )?)),
                None => None,
            };
            Some(Source::Remote {
                reference: reference?,
                kind: r.kind,
                path: path?,
                filter,
            })
        }
    }
}

/// Raw check → [`Check`], reporting bad paths, regexes and relations at their pointer.
fn convert(
    raw: &RawCheck,
    pointer: &str,
    report: &mut dyn FnMut(&str, text::Text),
    g: &Arc<Glossary>,
) -> Option<Check> {
    let path = |p: &str, at: &str, report: &mut dyn FnMut(&str, text::Text)| match Path::parse(p) {
        Ok(path) => Some(path),
        Err(e) => {
            report(at, text!("路径无效：{}", "invalid path: {}", e));
            None
        }
    };
    let prim = match raw {
        RawCheck::Conditional(c) => {
            let when = convert(&c.when, &format!("{pointer}/when"), report, g);
            let then = convert(&c.then, &format!("{pointer}/then"), report, g);
            return Some(Check::When {
                when: Box::new(when?),
                then: Box::new(then?),
            });
        }
        RawCheck::Primitive(p) => &**p,
    };
    Some(match prim {
        RawPrimitive::Required(p) => {
            Check::Required(path(p, &format!("{pointer}/required"), report)?)
        }
        RawPrimitive::Type(t) => Check::Type {
            path: path(&t.path, &format!("{pointer}/type/path"), report)?,
            is: t.is,
        },
        RawPrimitive::Enum(e) => {
            let at = format!("{pointer}/enum");
            if let Some(bad) = e
                .values
                .iter()
                .chain(&e.forbidden)
                .find(|v| v.is_array() || v.is_object())
            {
                report(
                    &at,
                    text!(
                        "枚举值必须是简单值：{}",
                        "enum values must be scalars: {}",
                        bad
                    ),
                );
                return None;
            }
            Check::Enum {
                path: path(&e.path, &format!("{at}/path"), report)?,
                values: e.values.clone(),
                exhaustive: e.exhaustive,
                forbidden: e.forbidden.clone(),
                glossary: Arc::clone(g),
            }
        }
        RawPrimitive::Pattern(p) => {
            let at = format!("{pointer}/pattern/regex");
            let regex = match crate::rules::check::RulePattern::new(&p.regex) {
                Ok(r) => r,
                Err(e) => {
                    report(&at, text!("正则表达式无效：{}", "invalid regex: {}", e));
                    return None;
                }
            };
            Check::Pattern {
                path: path(&p.path, &format!("{pointer}/pattern/path"), report)?,
                regex,
            }
        }
        RawPrimitive::Range(r) => {
            if let (Some(min), Some(max)) = (r.min, r.max) {
                if min > max {
                    report(
                        &format!("{pointer}/range"),
                        text!("min 大于 max", "min is greater than max"),
                    );
                    return None;
                }
            }
            Check::Range {
                path: path(&r.path, &format!("{pointer}/range/path"), report)?,
                min: r.min,
                max: r.max,
            }
        }
        RawPrimitive::Length(l) => Check::Length {
            path: path(&l.path, &format!("{pointer}/length/path"), report)?,
            min: l.min,
            max: l.max,
        },
        RawPrimitive::Date(d) => {
            let at = format!("{pointer}/date");
            let relations = [
                (DateRelation::Before, &d.before),
                (DateRelation::OnOrBefore, &d.on_or_before),
                (DateRelation::After, &d.after),
                (DateRelation::OnOrAfter, &d.on_or_after),
            ];
            let given: Vec<_> = relations
                .iter()
                .filter_map(|(r, o)| o.as_ref().map(|o| (*r, o)))
                .collect();
            let [(relation, other)] = given.as_slice() else {
                report(
                    &at,
                    text!(
                        "date 须恰好给出 before、on_or_before、after、on_or_after 之一",
                        "date needs exactly one of before, on_or_before, after, on_or_after"
                    ),
                );
                return None;
            };
            Check::Date {
                path: path(&d.path, &format!("{at}/path"), report)?,
                relation: *relation,
                other: path(other, &at, report)?,
            }
        }
        RawPrimitive::Term(t) => Check::Term {
            start: path(&t.start, &format!("{pointer}/term/start"), report)?,
            end: path(&t.end, &format!("{pointer}/term/end"), report)?,
            max_years: t.max_years,
        },
        RawPrimitive::Deadline(d) => {
            let at = format!("{pointer}/deadline");
            let allowed = match (d.working_days, d.days) {
                (Some(n), None) => Allowed::WorkingDays(n),
                (None, Some(n)) => Allowed::Days(n),
                _ => {
                    report(
                        &at,
                        text!(
                            "deadline 须恰好给出 working_days 与 days 之一",
                            "deadline needs exactly one of working_days and days"
                        ),
                    );
                    return None;
                }
            };
            Check::Deadline {
                from: path(&d.from, &format!("{at}/from"), report)?,
                act: path(&d.act, &format!("{at}/act"), report)?,
                allowed,
            }
        }
        RawPrimitive::YearlyDeadline(y) => {
            let at = format!("{pointer}/yearly_deadline");
            if jiff::civil::Date::new(2001, y.month, y.day).is_err() {
                report(
                    &at,
                    text!("月、日不构成日期", "month and day do not make a date"),
                );
                return None;
            }
            Check::YearlyDeadline {
                year: path(&y.year, &format!("{at}/year"), report)?,
                act: path(&y.act, &format!("{at}/act"), report)?,
                month: y.month,
                day: y.day,
            }
        }
        RawPrimitive::Region(r) => Check::Region {
            path: path(&r.path, &format!("{pointer}/region/path"), report)?,
            is: r.is,
        },
        RawPrimitive::RegionLevel(r) => {
            let at = format!("{pointer}/region_level");
            let levels = super::check::TierNames {
                province: r.province.trim().to_string(),
                city: r.city.trim().to_string(),
                county: r.county.trim().to_string(),
            };
            if levels.province == levels.city
                || levels.city == levels.county
                || levels.province == levels.county
            {
                report(
                    &at,
                    text!(
                        "province、city、county 须是三个不同的层级名称",
                        "province, city and county must be three different level names"
                    ),
                );
                return None;
            }
            let region = path(&r.region, &format!("{at}/region"), report);
            let level = path(&r.level, &format!("{at}/level"), report);
            Check::RegionLevel {
                region: region?,
                level: level?,
                levels,
            }
        }
        RawPrimitive::Transition(t) => {
            let at = format!("{pointer}/transition");
            Check::Transition {
                date: path(&t.date, &format!("{at}/date"), report)?,
                act: path(&t.act, &format!("{at}/act"), report)?,
                years: t.years,
            }
        }
        RawPrimitive::Body(b) => {
            let at = format!("{pointer}/body");
            if !b.data_authority && b.same_level_as.is_none() {
                report(
                    &at,
                    text!(
                        "body 须给出 data_authority 或 same_level_as",
                        "body needs data_authority or same_level_as"
                    ),
                );
                return None;
            }
            let same_level_as = match &b.same_level_as {
                Some(p) => Some(path(p, &format!("{at}/same_level_as"), report)?),
                None => None,
            };
            Check::Body {
                path: path(&b.path, &format!("{at}/path"), report)?,
                data_authority: b.data_authority,
                same_level_as,
            }
        }
        RawPrimitive::InForce(f) => {
            Check::InForce(path(&f.path, &format!("{pointer}/in_force/path"), report)?)
        }
        RawPrimitive::Period(p) => {
            if p.min_days.is_none() && p.max_days.is_none() {
                report(
                    &format!("{pointer}/period"),
                    text!(
                        "period 须给出 min_days 或 max_days",
                        "period needs min_days or max_days"
                    ),
                );
                return None;
            }
            Check::Period {
                start: path(&p.start, &format!("{pointer}/period/start"), report)?,
                end: path(&p.end, &format!("{pointer}/period/end"), report)?,
                min_days: p.min_days,
                max_days: p.max_days,
            }
        }
        RawPrimitive::Subset(sub) => {
            let at = format!("{pointer}/subset");
            let items = convert_source(&sub.items, &format!("{at}/items"), report, g);
            let of = convert_source(&sub.of, &format!("{at}/of"), report, g);
            Check::Subset {
                items: items?,
                of: of?,
                reworded: sub.reworded,
            }
        }
        RawPrimitive::Disjoint(sub) => {
            let at = format!("{pointer}/disjoint");
            if sub.reworded {
                report(
                    &at,
                    text!("reworded 只用于 subset", "reworded applies to subset only"),
                );
                return None;
            }
            let items = convert_source(&sub.items, &format!("{at}/items"), report, g);
            let of = convert_source(&sub.of, &format!("{at}/of"), report, g);
            Check::Disjoint {
                items: items?,
                of: of?,
            }
        }
        RawPrimitive::Equal(eq) => {
            let at = format!("{pointer}/equal");
            let left = convert_source(&eq.left, &format!("{at}/left"), report, g);
            let right = convert_source(&eq.right, &format!("{at}/right"), report, g);
            Check::Equal {
                left: left?,
                right: right?,
            }
        }
        RawPrimitive::Within(w) => {
            let at = format!("{pointer}/within");
            let start = convert_source(&w.start, &format!("{at}/start"), report, g);
            let end = convert_source(&w.end, &format!("{at}/end"), report, g);
            if w.of_start.is_none() && w.of_end.is_none() {
                report(
                    &at,
                    text!(
                        "within 须给出 of_start 或 of_end",
                        "within needs of_start or of_end"
                    ),
                );
                return None;
            }
            let of_start = match &w.of_start {
                Some(b) => Some(convert_source(b, &format!("{at}/of_start"), report, g)?),
                None => None,
            };
            let of_end = match &w.of_end {
                Some(b) => Some(convert_source(b, &format!("{at}/of_end"), report, g)?),
                None => None,
            };
            Check::Within {
                start: start?,
                end: end?,
                of_start,
                of_end,
            }
        }
        RawPrimitive::Covers(c) => {
            let at = format!("{pointer}/covers");
            Check::Covers {
                list: path(&c.list, &format!("{at}/list"), report)?,
                kind: c.kind,
                year: path(&c.year, &format!("{at}/year"), report)?,
                start: path(&c.start, &format!("{at}/start"), report)?,
                end: path(&c.end, &format!("{at}/end"), report)?,
                same: match &c.same {
                    Some(s) => Some(path(s, &format!("{at}/same"), report)?),
                    None => None,
                },
            }
        }
        RawPrimitive::Each(s) | RawPrimitive::Some(s) => {
            let key = if matches!(prim, RawPrimitive::Each(_)) {
                "each"
            } else {
                "some"
            };
            let list = path(&s.path, &format!("{pointer}/{key}/path"), report);
            let inner = convert(&s.check, &format!("{pointer}/{key}/check"), report, g);
            let (path, check) = (list?, Box::new(inner?));
            if key == "each" {
                Check::Each { path, check }
            } else {
                Check::Some { path, check }
            }
        }
        RawPrimitive::All(cs) | RawPrimitive::Any(cs) => {
            let key = if matches!(prim, RawPrimitive::All(_)) {
                "all"
            } else {
                "any"
            };
            let converted: Vec<Option<Check>> = cs
                .iter()
                .enumerate()
                .map(|(i, c)| convert(c, &format!("{pointer}/{key}/{i}"), report, g))
                .collect();
            let checks = converted.into_iter().collect::<Option<Vec<_>>>()?;
            if key == "all" {
                Check::All(checks)
            } else {
                Check::Any(checks)
            }
        }
        RawPrimitive::Not(c) => {
            Check::Not(Box::new(convert(c, &format!("{pointer}/not"), report, g)?))
        }
        RawPrimitive::Warn(c) => {
            Check::Warn(Box::new(convert(c, &format!("{pointer}/warn"), report, g)?))
        }
        RawPrimitive::Level(l) => {
            let at = format!("{pointer}/level");
            let same_as = l.same_as.as_deref().unwrap_or_default();
            if same_as.is_empty() == l.is.is_none() {
                report(
                    &at,
                    text!(
                        "level 须恰好给出 same_as（非空）与 is 之一",
                        "level needs exactly one of same_as (not empty) and is"
                    ),
                );
                return None;
            }
            let others: Vec<Option<Path>> = same_as
                .iter()
                .enumerate()
                .map(|(i, p)| path(p, &format!("{at}/same_as/{i}"), report))
                .collect();
            Check::Level {
                path: path(&l.path, &format!("{at}/path"), report)?,
                same_as: others.into_iter().collect::<Option<Vec<_>>>()?,
                is: l.is.map(|is| match is {
                    super::raw::LevelName::Province => crate::division::Level::Province,
                    super::raw::LevelName::City => crate::division::Level::City,
                    super::raw::LevelName::County => crate::division::Level::County,
                }),
            }
        }
        RawPrimitive::Distinct(d) => {
            let at = format!("{pointer}/distinct");
            let checked = path(&d.path, &format!("{at}/path"), report);
            let from = path(&d.from, &format!("{at}/from"), report);
            Check::Distinct {
                path: checked?,
                from: from?,
            }
        }
    })
}
