//! Checks across documents: the set of documents checked together, values resolved through
//! reference fields, and the set relations (subset, equal, within a date range, covers).
//! A reference to a document not in the set is reported as unresolved, never passed.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::primitives::{show, Context, Failure, Related, Unverifiable};
use crate::dates::parse_date;
use crate::document::{Document, Node, Step, Value};
use crate::kind::Kind;
use crate::placeholder::is_placeholder;
use crate::rules::check::{Sel, Selector, Source};
use crate::rules::Path;
use crate::severity::Severity;
use crate::text;
use crate::text::Text;

/// The documents of one run, by id.
#[derive(Debug, Default)]
pub struct DocSet<'a> {
    by_id: HashMap<&'a str, &'a Document>,
    in_order: Vec<&'a Document>,
    /// Documents the measure does not apply to (Art. 2): no relation reads or requires them.
    outside: HashSet<&'a str>,
}

impl<'a> DocSet<'a> {
    /// Index `docs` by id; the first of two documents with one id wins (the caller reports the
    /// duplicate).
    pub fn new(docs: impl IntoIterator<Item = &'a Document>) -> Self {
        let mut set = DocSet::default();
        for doc in docs {
            set.in_order.push(doc);
            set.by_id.entry(doc.id.as_str()).or_insert(doc);
        }
        set
    }

    /// The document with `id`.
    pub fn get(&self, id: &str) -> Option<&'a Document> {
        self.by_id.get(id).copied()
    }

    /// Record that the document with `id` lies outside the measure (see [`super::scope`]).
    pub fn rule_out(&mut self, id: &'a str) {
        self.outside.insert(id);
    }

    /// Whether the document with `id` lies outside the measure.
    pub fn is_outside(&self, id: &str) -> bool {
        self.outside.contains(id)
    }

    /// Documents of `kind` within the measure, in input order.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &'a Document> + '_ {
        self.in_order
            .iter()
            .copied()
            .filter(move |d| d.kind == kind && !self.outside.contains(d.id.as_str()))
    }
}

/// One value found by a source.
#[derive(Debug, Clone)]
struct Found {
    /// The value as text (trimmed), as shown.
    text: String,
    /// The text as compared: folded (`crate::terms::fold`), so that width, spaces and
    /// punctuation do not tell two values apart.
    key: String,
    /// The document it is in (`None`: the document being checked).
    document: Option<String>,
    /// Where in that document.
    at: Vec<Step>,
}

/// What a source yielded.
struct Resolved {
    values: Vec<Found>,
    /// Unresolved or mistyped references, already failures.
    failures: Vec<Failure>,
    /// The source named other documents but none could be used: relations cannot be judged.
    unusable: bool,
    /// How to name the source in messages.
    describe: Text,
    /// Where to point when something is missing from this source.
    anchor: (Option<String>, Vec<Step>),
}

/// All nodes a selector reaches from `base`, with their paths.
fn select<'n>(root: &'n Node, base: &[Step], selector: &Selector) -> Vec<(Vec<Step>, &'n Node)> {
    let Some(start) = root.at(base) else {
        return Vec::new();
    };
    let mut current = vec![(base.to_vec(), start)];
    for sel in &selector.0 {
        let mut next = Vec::new();
        for (path, node) in current {
            match (sel, &node.value) {
                (Sel::Key(k), Value::Map(_)) => {
                    if let Some(e) = node.entry(k) {
                        let mut p = path.clone();
                        p.push(Step::Key(k.clone()));
                        next.push((p, &e.value));
                    }
                }
                (Sel::Index(i), Value::Seq(items)) => {
                    if let Some(item) = items.get(*i) {
                        let mut p = path.clone();
                        p.push(Step::Index(*i));
                        next.push((p, item));
                    }
                }
                (Sel::Any, Value::Seq(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        let mut p = path.clone();
                        p.push(Step::Index(i));
                        next.push((p, item));
                    }
                }
                _ => {}
            }
        }
        current = next;
    }
    current
}

/// The part of a selector before its first `*`: where a list that lacks a value is shown.
fn anchor_of(base: &[Step], selector: &Selector) -> Vec<Step> {
    let mut out = base.to_vec();
    for sel in &selector.0 {
        match sel {
            Sel::Key(k) => out.push(Step::Key(k.clone())),
            Sel::Index(i) => out.push(Step::Index(*i)),
            Sel::Any => break,
        }
    }
    out
}

/// A document's text as a message quotes it ([`crate::visible::value`]).
fn q(text: &str) -> String {
    crate::visible::value(text)
}

fn scalar_texts(nodes: Vec<(Vec<Step>, &Node)>, document: Option<&str>) -> Vec<Found> {
    nodes
        .into_iter()
        .filter(|(_, n)| !matches!(n.value, Value::Seq(_) | Value::Map(_) | Value::Null))
        .map(|(at, n)| {
            let text = n.display().trim().to_string();
            Found {
                key: crate::terms::fold(&text),
                text,
                document: document.map(str::to_string),
                at,
            }
        })
        // A placeholder is no value: its own finding says to fill it in.
        .filter(|f| !f.text.is_empty() && !is_placeholder(&f.text))
        .collect()
}

fn unresolved(at: Vec<Step>, kind: Kind, id: &str, ctx: &Context) -> Failure {
    let id = q(id);
    let mut f = Failure::new(
        at,
        Text::new(
            format!(
                "引用的{}（{kind}）`{id}` 不在本次检查的文书中，无法核对",
                kind.title_zh()
            ),
            format!("the referenced {kind} `{id}` is not among the documents checked, so this cannot be verified"),
        ),
    );
    f.severity = Some(ctx.unresolved);
    f.unresolved = Some(Unverifiable::NotChecked);
    f
}

/// The ids named by a reference field (a string or a list of strings), with their paths.
/// Reference fields are top-level fields of the document, whatever list item a check is on.
fn referenced_ids(root: &Node, reference: &Path) -> Vec<(Vec<Step>, String)> {
    let at = reference.0.clone();
    match root.at(&at).map(|n| &n.value) {
        Some(Value::Str(id)) if !id.trim().is_empty() && !is_placeholder(id) => {
            vec![(at, id.trim().to_string())]
        }
        Some(Value::Seq(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, n)| {
                let id = n.as_str()?.trim();
                let mut p = at.clone();
                p.push(Step::Index(i));
                (!id.is_empty() && !is_placeholder(id)).then(|| (p, id.to_string()))
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn resolve(source: &Source, root: &Node, base: &[Step], ctx: &Context) -> Resolved {
    match source {
        Source::Local(selector) => Resolved {
            values: scalar_texts(select(root, base, selector), None),
            failures: Vec::new(),
            unusable: false,
            describe: Text::new(
                format!("本文书的 `{}`", selector),
                format!("this document's `{}`", selector),
            ),
            anchor: (None, anchor_of(base, selector)),
        },
        Source::Remote {
            reference,
            kind,
            path,
            filter,
        } => {
            let ids = referenced_ids(root, reference);
            let mut values = Vec::new();
            let mut failures = Vec::new();
            let mut used = Vec::new();
            for (at, id) in &ids {
                match ctx.set.get(id) {
                    None => failures.push(unresolved(at.clone(), *kind, id, ctx)),
                    Some(_) if ctx.set.is_outside(id) => {
                        let mut f = Failure::new(
                            at.clone(),
                            Text::new(
                                format!(
                                    "引用的{}（{kind}）`{id}` 不在本办法的适用范围内，不能据以核对",
                                    kind.title_zh()
                                ),
                                format!(
                                    "the referenced {kind} `{id}` is outside the measure's scope, so it cannot be relied on here"
                                ),
                            ),
                        );
                        f.severity = Some(ctx.unresolved);
                        f.unresolved = Some(Unverifiable::OutOfScope);
                        failures.push(f);
                    }
                    Some(doc) if doc.kind != *kind => {
                        let mut f = Failure::new(
                            at.clone(),
                            text!(
                                "`{}` 是{}（{}），不是{}（{}）",
                                "`{}` is a {} ({}), not a {} ({})",
                                id,
                                doc.kind.title_zh(),
                                doc.kind,
                                kind.title_zh(),
                                kind
                            ),
                        );
                        f.severity = Some(Severity::Error);
                        failures.push(f);
                    }
                    Some(doc) => {
                        let passes = filter
                            .as_ref()
                            .is_none_or(|f| super::holds(f, &doc.root, &[], ctx));
                        if passes {
                            values.extend(scalar_texts(select(&doc.root, &[], path), Some(id)));
                            used.push(id.clone());
                        }
                    }
                }
            }
            let unusable = ids.is_empty() || (!failures.is_empty() && used.is_empty());
            let names = if used.is_empty() {
                ids.iter().map(|(_, id)| id.clone()).collect::<Vec<_>>()
            } else {
                used.clone()
            };
            Resolved {
                values,
                failures,
                unusable,
                describe: Text::new(
                    format!("{} {} 的 `{}`", kind.title_zh(), q(&names.join("、")), path),
                    format!("{} {}'s `{}`", kind, q(&names.join(", ")), path),
                ),
                anchor: (used.first().cloned(), anchor_of(&[], path)),
            }
        }
    }
}

/// Resolve the two sides of a relation. `Ok`: both usable, with the reference failures found on
/// the way; `Err`: a side names documents none of which can be used, so only those failures.
fn resolve_pair(
    a: &Source,
    b: &Source,
    root: &Node,
    base: &[Step],
    ctx: &Context,
) -> Result<(Resolved, Resolved, Vec<Failure>), Vec<Failure>> {
    let a = resolve(a, root, base, ctx);
    let b = resolve(b, root, base, ctx);
    let failures: Vec<Failure> = a.failures.iter().chain(&b.failures).cloned().collect();
    if a.unusable || b.unusable {
        return Err(failures);
    }
    Ok((a, b, failures))
}

/// `subset`: every value of `items` is among the values of `of`.
///
/// Where `of` is read in other documents that hold no value there at all, the gap is theirs and
/// their own rules report it: this document gets one `info` that the relation cannot be judged,
/// not one error per value (one defect, one finding).
pub fn subset(
    items: &Source,
    of: &Source,
    reworded: bool,
    root: &Node,
    base: &[Step],
    ctx: &Context,
) -> Vec<Failure> {
    let (items, of, mut out) = match resolve_pair(items, of, root, base, ctx) {
        Ok(resolved) => resolved,
        Err(unusable) => return unusable,
    };
    if of.values.is_empty() && of.anchor.0.is_some() && !items.values.is_empty() {
        let mut f = Failure::new(
            items.anchor.1.clone(),
            Text::new(
                format!("{}没有可比对的值，无法核对", of.describe.zh),
                format!("{} holds no value to compare with", of.describe.en),
            ),
        );
        f.severity = Some(Severity::Info);
        f.related = related_anchor(&of, ctx);
        out.push(f);
        return out;
    }
    let known: BTreeSet<&str> = of.values.iter().map(|f| f.key.as_str()).collect();
    let missing: Vec<&Found> = items
        .values
        .iter()
        .filter(|v| !known.contains(v.key.as_str()))
        .collect();
    // Values of `of` that match no item: where an item may have been restated in other words.
    let wanted: BTreeSet<&str> = items.values.iter().map(|f| f.key.as_str()).collect();
    let mut spare: Vec<&Found> = if reworded {
        of.values
            .iter()
            .filter(|f| !wanted.contains(f.key.as_str()))
            .collect()
    } else {
        Vec::new()
    };
    for value in missing {
        let mut detail = Text::new(
            format!("`{}` 不在{}中", q(&value.text), of.describe.zh),
            format!("`{}` is not among {}", q(&value.text), of.describe.en),
        );
        let mut severity = None;
        let mut partner = None;
        if let Some(i) = closest(value, &spare) {
            let other = spare.remove(i);
            if figures(&value.text).is_subset(&figures(&other.text)) {
                severity = Some(Severity::Warning);
                detail = Text::new(
                    format!(
                        "`{}` 未见照录于{}；`{}` 可能是其另一种写法，请确认",
                        q(&value.text),
                        of.describe.zh,
                        q(&other.text)
                    ),
                    format!(
                        "`{}` is not quoted in {}; `{}` may restate it: confirm",
                        q(&value.text),
                        of.describe.en,
                        q(&other.text)
                    ),
                );
            } else {
                detail = Text::new(
                    format!(
                        "`{}` 不在{}中（最接近的 `{}` 数字不同，不是同一条件）",
                        q(&value.text),
                        of.describe.zh,
                        q(&other.text)
                    ),
                    format!(
                        "`{}` is not among {} (the closest, `{}`, has other figures)",
                        q(&value.text),
                        of.describe.en,
                        q(&other.text)
                    ),
                );
            }
            partner = Some(other);
        }
        let mut failure = match &value.document {
            // A value of this document missing from the other side: point at the value, show
            // where the other side's list is.
            None => {
                let mut f = Failure::new(value.at.clone(), detail);
                f.related = related_anchor(&of, ctx);
                f
            }
            // A value of another document missing here: point at this document's list (or at
            // the value that may restate it), show the value where it stands.
            Some(doc) => {
                let at = partner
                    .filter(|_| severity.is_some())
                    .and_then(|p| p.document.is_none().then(|| p.at.clone()))
                    .unwrap_or_else(|| of.anchor.1.clone());
                let mut f = Failure::new(at, detail);
                f.related = vec![Related {
                    document: doc.clone(),
                    at: value.at.clone(),
                    label: text!("要求的值：{}", "required here: {}", q(&value.text)),
                }];
                f
            }
        };
        failure.severity = severity;
        out.push(failure);
    }
    out
}

/// The numbers a text states (`5000`, `3.5`): a restatement keeps them.
fn figures(text: &str) -> BTreeSet<String> {
    let folded = crate::terms::fold(text);
    let mut out = BTreeSet::new();
    let mut current = String::new();
    for c in folded.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || (c == '.' && !current.is_empty()) {
            current.push(c);
        } else if !current.is_empty() {
            out.insert(
                std::mem::take(&mut current)
                    .trim_end_matches('.')
                    .to_string(),
            );
        }
    }
    out
}

/// The candidate sharing most two-character pieces with `value` (ties: the first).
fn closest(value: &Found, candidates: &[&Found]) -> Option<usize> {
    let pieces = |key: &str| -> BTreeSet<(char, char)> {
        let chars: Vec<char> = key.chars().collect();
        chars
            .windows(2)
            .filter_map(|w| Some((*w.first()?, *w.get(1)?)))
            .collect()
    };
    let mine = pieces(&value.key);
    candidates
        .iter()
        .enumerate()
        .map(|(i, c)| (i, mine.intersection(&pieces(&c.key)).count()))
        .fold(None, |best: Option<(usize, usize)>, (i, n)| match best {
            Some((_, m)) if m >= n => best,
            _ => Some((i, n)),
        })
        .map(|(i, _)| i)
}

/// `equal`: the two sources hold the same values. Single values are compared as such (one
/// finding, at this document's side); sets are compared both ways.
pub fn equal(
    left: &Source,
    right: &Source,
    root: &Node,
    base: &[Step],
    ctx: &Context,
) -> Vec<Failure> {
    let (l, r, mut out) = match resolve_pair(left, right, root, base, ctx) {
        Ok(resolved) => resolved,
        Err(unusable) => return unusable,
    };
    if let ([a], [b]) = (l.values.as_slice(), r.values.as_slice()) {
        if a.key != b.key {
            let (here, there, there_describe) = if a.document.is_none() {
                (a, b, &r.describe)
            } else {
                (b, a, &l.describe)
            };
            let mut f = Failure::new(
                here.at.clone(),
                Text::new(
                    format!(
                        "`{}` 与{}（`{}`）不一致",
                        q(&here.text),
                        there_describe.zh,
                        q(&there.text)
                    ),
                    format!(
                        "`{}` differs from {} (`{}`)",
                        q(&here.text),
                        there_describe.en,
                        q(&there.text)
                    ),
                ),
            );
            if let Some(doc) = &there.document {
                f.related.push(Related {
                    document: doc.clone(),
                    at: there.at.clone(),
                    label: text!("应一致的值：{}", "should match: {}", q(&there.text)),
                });
            }
            out.push(f);
        }
        return out;
    }
    out.extend(
        subset(left, right, false, root, base, ctx)
            .into_iter()
            .filter(|f| f.unresolved.is_none()),
    );
    out.extend(
        subset(right, left, false, root, base, ctx)
            .into_iter()
            .filter(|f| f.unresolved.is_none()),
    );
    out
}

/// `disjoint`: no value of `items` is among the values of `of`.
pub fn disjoint(
    items: &Source,
    of: &Source,
    root: &Node,
    base: &[Step],
    ctx: &Context,
) -> Vec<Failure> {
    let (items, of, mut out) = match resolve_pair(items, of, root, base, ctx) {
        Ok(resolved) => resolved,
        Err(unusable) => return unusable,
    };
    for value in &items.values {
        let Some(clash) = of.values.iter().find(|o| o.key == value.key) else {
            continue;
        };
        let detail = Text::new(
            format!("`{}` 见于{}", q(&value.text), of.describe.zh),
            format!("`{}` is among {}", q(&value.text), of.describe.en),
        );
        let (at, other) = match (&value.document, &clash.document) {
            (None, other) => (
                value.at.clone(),
                other.clone().map(|d| (d, clash.at.clone())),
            ),
            (Some(doc), _) => (clash.at.clone(), Some((doc.clone(), value.at.clone()))),
        };
        let mut f = Failure::new(at, detail);
        if let Some((document, at)) = other {
            f.related.push(Related {
                document,
                at,
                label: text!("同一值在此", "the same value here"),
            });
        }
        out.push(f);
    }
    out
}

fn related_anchor(source: &Resolved, _ctx: &Context) -> Vec<Related> {
    match &source.anchor {
        (Some(doc), at) => vec![Related {
            document: doc.clone(),
            at: at.clone(),
            label: Text::new(
                format!("{}在此", source.describe.zh),
                format!("{} is here", source.describe.en),
            ),
        }],
        (None, _) => Vec::new(),
    }
}

/// `within`: [start, end] lies within [of_start, of_end].
pub fn within(
    start: &Source,
    end: &Source,
    bounds: [Option<&Source>; 2],
    root: &Node,
    base: &[Step],
    ctx: &Context,
) -> Vec<Failure> {
    let [of_start, of_end] = bounds.map(|b| b.map(|s| resolve(s, root, base, ctx)));
    let (start, end) = (
        resolve(start, root, base, ctx),
        resolve(end, root, base, ctx),
    );
    let all: Vec<&Resolved> = [Some(&start), Some(&end), of_start.as_ref(), of_end.as_ref()]
        .into_iter()
        .flatten()
        .collect();
    let mut out: Vec<Failure> = Vec::new();
    for r in &all {
        out.extend(r.failures.iter().cloned());
    }
    if all.iter().any(|r| r.unusable) {
        return out;
    }
    let date = |r: &Resolved| {
        r.values
            .first()
            .and_then(|f| parse_date(&f.text).map(|d| (d, f.clone())))
    };
    let (Some((s, s_at)), Some((e, e_at))) = (date(&start), date(&end)) else {
        return out;
    };
    let mut push = |inner: &Found, outer: &Found, detail: Text| {
        let (at, related_doc, related_at) = match (&inner.document, &outer.document) {
            (None, Some(doc)) => (inner.at.clone(), Some(doc.clone()), outer.at.clone()),
            (Some(doc), None) => (outer.at.clone(), Some(doc.clone()), inner.at.clone()),
            _ => (inner.at.clone(), None, outer.at.clone()),
        };
        let mut f = Failure::new(at, detail);
        if let Some(document) = related_doc {
            f.related.push(Related {
                document,
                at: related_at,
                label: text!("范围的界限", "the bound of the range"),
            });
        }
        out.push(f);
    };
    if let Some((bound, (os, os_at))) = of_start.as_ref().and_then(|b| date(b).map(|d| (b, d))) {
        if s < os {
            push(
                &s_at,
                &os_at,
                Text::new(
                    format!("{s} 早于{}（{os}）", bound.describe.zh),
                    format!("{s} is before {} ({os})", bound.describe.en),
                ),
            );
        }
    }
    if let Some((bound, (oe, oe_at))) = of_end.as_ref().and_then(|b| date(b).map(|d| (b, d))) {
        if e > oe {
            push(
                &e_at,
                &oe_at,
                Text::new(
                    format!("{e} 晚于{}（{oe}）", bound.describe.zh),
                    format!("{e} is after {} ({oe})", bound.describe.en),
                ),
            );
        }
    }
    out
}

/// Whether two organisations (`{ name, credit_code }`) are one: the same 统一社会信用代码 when
/// both give one, else the same name (folded as enum values are). Unknown when either is absent,
/// which is not the same.
fn same_organisation(a: Option<&Node>, b: Option<&Node>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return false;
    };
    let field = |n: &Node, key: &str| {
        n.at(&[Step::Key(key.into())])
            .and_then(Node::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    if let (Some(x), Some(y)) = (field(a, "credit_code"), field(b, "credit_code")) {
        return x.eq_ignore_ascii_case(&y);
    }
    match (field(a, "name"), field(b, "name")) {
        (Some(x), Some(y)) => crate::measure::fold(&x) == crate::measure::fold(&y),
        _ => false,
    }
}

/// `covers`: the list at `list` names every document of `kind` whose [start, end] overlaps the
/// year at `year` (with `same`: only those naming the same organisation there as this one).
#[allow(clippy::too_many_arguments)]
pub fn covers(
    list: &Path,
    kind: Kind,
    year: &Path,
    (start, end): (&Path, &Path),
    same: Option<&Path>,
    root: &Node,
    base: &[Step],
    ctx: &Context,
) -> Vec<Failure> {
    let mut here_at = base.to_vec();
    if let Some(same) = same {
        here_at.extend(same.0.iter().cloned());
    }
    let here = same.map(|_| root.at(&here_at));
    let mut year_at = base.to_vec();
    year_at.extend(year.0.iter().cloned());
    let y = root.at(&year_at).and_then(|n| match &n.value {
        Value::Int(i) => i16::try_from(*i).ok(),
        Value::Str(s) => s.trim().trim_end_matches('年').parse().ok(),
        _ => None,
    });
    let Some(y) = y else {
        return Vec::new();
    };
    let (Ok(first), Ok(last)) = (
        jiff::civil::Date::new(y, 1, 1),
        jiff::civil::Date::new(y, 12, 31),
    ) else {
        return Vec::new();
    };
    let named = referenced_ids(root, list);
    let mut out: Vec<Failure> = named
        .iter()
        .filter(|(_, id)| ctx.set.get(id).is_none())
        .map(|(at, id)| unresolved(at.clone(), kind, id, ctx))
        .collect();
    let names: BTreeSet<&str> = named.iter().map(|(_, id)| id.as_str()).collect();
    let mut list_at = base.to_vec();
    list_at.extend(list.0.iter().cloned());
    for doc in ctx.set.of_kind(kind) {
        let date_at = |p: &Path| {
            doc.root
                .at(&p.0)
                .and_then(Node::as_str)
                .and_then(parse_date)
        };
        let (Some(s), Some(e)) = (date_at(start), date_at(end)) else {
            continue;
        };
        if let (Some(here), Some(same)) = (here, same) {
            if !same_organisation(here, doc.root.at(&same.0)) {
                continue;
            }
        }
        if s <= last && e >= first && !names.contains(doc.id.as_str()) {
            let mut f = Failure::new(
                list_at.clone(),
                text!(
                    "{} 年度内有效的{} `{}`（{} 至 {}）未列入 `{}`",
                    "{} `{}`, in force in {} ({} to {}), is missing from `{}`",
                    y,
                    kind.title_zh(),
                    q(&doc.id),
                    s,
                    e,
                    show(&list.0)
                ),
            );
            f.detail.en = format!(
                "{kind} `{}`, in force in {y} ({s} to {e}), is missing from `{}`",
                q(&doc.id),
                show(&list.0)
            );
            f.related.push(Related {
                document: doc.id.clone(),
                at: start.0.clone(),
                label: text!("该文书的期限", "its term"),
            });
            out.push(f);
        }
    }
    out
}
