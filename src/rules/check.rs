//! Checked rule checks: paths parsed, regexes compiled, one relation per date comparison.

use std::fmt;

use regex::Regex;

pub use super::raw::{RegionTest, ValueType};
use crate::document::Step;

/// A field path relative to the value being checked (`term/start`, `parties/0/name`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Path(pub Vec<Step>, pub Anchor);

/// What a [`Path`] starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Anchor {
    /// The value being checked (the root, or the list item inside `each`/`some`).
    #[default]
    Relative,
    /// The document root, whatever list item a check is on (`/notice/deadline`).
    Root,
}

impl Path {
    /// A path relative to the value being checked.
    pub fn relative(steps: Vec<Step>) -> Path {
        Path(steps, Anchor::Relative)
    }

    /// Parse `a/b/0`; an all-digit segment is a list index. Empty or `.` is the value itself; a
    /// leading `/` anchors the path at the document root.
    pub fn parse(text: &str) -> Result<Path, String> {
        let text = text.trim();
        if let Some(rest) = text.strip_prefix('/') {
            return Path::parse(rest).map(|p| Path(p.0, Anchor::Root));
        }
        if text.is_empty() || text == "." {
            return Ok(Path::relative(Vec::new()));
        }
        text.split('/')
            .map(|seg| {
                if seg.is_empty() {
                    Err(format!("empty segment in path `{text}`"))
                } else if seg.bytes().all(|b| b.is_ascii_digit()) {
                    seg.parse().map(Step::Index).map_err(|e| e.to_string())
                } else {
                    Ok(Step::Key(seg.to_string()))
                }
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Path::relative)
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.1 == Anchor::Root {
            f.write_str("/")?;
        }
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|s| match s {
                Step::Key(k) => k.clone(),
                Step::Index(i) => i.to_string(),
            })
            .collect();
        f.write_str(&parts.join("."))
    }
}

/// One step of a [`Selector`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Sel {
    /// A mapping key.
    Key(String),
    /// A list index.
    Index(usize),
    /// Every item of a list (`*`).
    Any,
}

/// A path that may fan out over list items (`data_catalog/*/name`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Selector(pub Vec<Sel>);

impl Selector {
    /// Parse `a/*/b`.
    pub fn parse(text: &str) -> Result<Selector, String> {
        let text = text.trim();
        if text.is_empty() || text == "." {
            return Ok(Selector(Vec::new()));
        }
        text.split('/')
            .map(|seg| match seg {
                "" => Err(format!("empty segment in path `{text}`")),
                "*" => Ok(Sel::Any),
                s if s.bytes().all(|b| b.is_ascii_digit()) => {
                    s.parse().map(Sel::Index).map_err(|e| e.to_string())
                }
                s => Ok(Sel::Key(s.to_string())),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Selector)
    }

    /// The selector with `*` read as "some item" for schema lookups: the path of list items'
    /// fields, split at each `*` (e.g. `a/*/b` → `a`, then `b` inside its items).
    pub fn schema_paths(&self) -> (Vec<Path>, Path) {
        let mut scopes = Vec::new();
        let mut current = Vec::new();
        for s in &self.0 {
            match s {
                Sel::Key(k) => current.push(Step::Key(k.clone())),
                Sel::Index(i) => current.push(Step::Index(*i)),
                Sel::Any => scopes.push(Path::relative(std::mem::take(&mut current))),
            }
        }
        (scopes, Path::relative(current))
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|s| match s {
                Sel::Key(k) => k.clone(),
                Sel::Index(i) => i.to_string(),
                Sel::Any => "*".into(),
            })
            .collect();
        f.write_str(&parts.join("/"))
    }
}

/// Where a cross-document check takes its values.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Source {
    /// This document.
    Local(Selector),
    /// The documents named by a reference field.
    Remote {
        /// The reference field.
        reference: Path,
        /// The kind it refers to (from the schema's `x-ref`).
        kind: crate::kind::Kind,
        /// The path in each referenced document.
        path: Selector,
        /// Only referenced documents where this holds.
        filter: Option<Box<Check>>,
    },
}

/// How a date must relate to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DateRelation {
    /// Strictly earlier.
    Before,
    /// Earlier or the same day.
    OnOrBefore,
    /// Strictly later.
    After,
    /// Later or the same day.
    OnOrAfter,
}

/// How long a deadline allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Allowed {
    /// N working days (工作日).
    WorkingDays(u32),
    /// N calendar days.
    Days(u32),
}

/// A check primitive, ready to evaluate.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Check {
    /// Present and non-empty.
    Required(Path),
    /// Of a type.
    Type {
        /// Field.
        path: Path,
        /// Expected type.
        is: ValueType,
    },
    /// One of a list (each item, for a list value).
    Enum {
        /// Field.
        path: Path,
        /// Allowed values.
        #[serde(with = "json_text")]
        values: Vec<serde_json::Value>,
        /// `false` for 等-lists: outside values warn.
        exhaustive: bool,
        /// Always-wrong values.
        #[serde(with = "json_text")]
        forbidden: Vec<serde_json::Value>,
        /// The article's glossary: the other words that name a value.
        glossary: std::sync::Arc<crate::terms::Glossary>,
    },
    /// Matches a regex.
    Pattern {
        /// Field.
        path: Path,
        /// Linear-time, compiled on first use.
        regex: RulePattern,
    },
    /// A number within bounds.
    Range {
        /// Field.
        path: Path,
        /// Inclusive lower bound.
        min: Option<f64>,
        /// Inclusive upper bound.
        max: Option<f64>,
    },
    /// A length within bounds.
    Length {
        /// Field.
        path: Path,
        /// Inclusive lower bound.
        min: Option<usize>,
        /// Inclusive upper bound.
        max: Option<usize>,
    },
    /// A date compared with another.
    Date {
        /// Field.
        path: Path,
        /// The relation.
        relation: DateRelation,
        /// The other date's field.
        other: Path,
    },
    /// A term of at most N years.
    Term {
        /// First day.
        start: Path,
        /// Last day.
        end: Path,
        /// Cap in years.
        max_years: u32,
    },
    /// A period of calendar days, both ends counted.
    Period {
        /// First day.
        start: Path,
        /// Last day.
        end: Path,
        /// Fewest days.
        min_days: Option<u32>,
        /// Most days.
        max_days: Option<u32>,
    },
    /// An act due within a count after a date.
    Deadline {
        /// The date counted from.
        from: Path,
        /// The act's date.
        act: Path,
        /// How long.
        allowed: Allowed,
    },
    /// An act about year Y due by month/day of Y+1.
    YearlyDeadline {
        /// The year.
        year: Path,
        /// The act's date.
        act: Path,
        /// Month of Y+1.
        month: i8,
        /// Day.
        day: i8,
    },
    /// Every value of `items` is among `of`.
    Subset {
        /// Values to find.
        items: Source,
        /// Where to find them.
        of: Source,
        /// Values of `of` may quote the items in other words: an item without a match is a
        /// warning when a value of `of` that matches no item is paired with it and keeps its
        /// figures.
        reworded: bool,
    },
    /// No value of `items` is among `of`.
    Disjoint {
        /// Values that must not be found…
        items: Source,
        /// …among these.
        of: Source,
    },
    /// The two sources hold the same values.
    Equal {
        /// One side.
        left: Source,
        /// The other.
        right: Source,
    },
    /// [start, end] lies within [of_start, of_end].
    Within {
        /// Inner first day.
        start: Source,
        /// Inner last day.
        end: Source,
        /// Outer first day (no lower bound when absent).
        of_start: Option<Source>,
        /// Outer last day (no upper bound when absent).
        of_end: Option<Source>,
    },
    /// `list` names every document of `kind` whose [start, end] overlaps the year at `year`.
    Covers {
        /// The list of references.
        list: Path,
        /// The kind.
        kind: crate::kind::Kind,
        /// This document's year.
        year: Path,
        /// Candidates' first day.
        start: Path,
        /// Candidates' last day.
        end: Path,
        /// Only candidates naming the same organisation here as this document does.
        same: Option<Path>,
    },
    /// The date at `path` lies in the pack's validity window (Art. 45), when it is known.
    InForce(Path),
    /// A region read against the pack's 行政区划.
    Region {
        /// Field.
        path: Path,
        /// What must hold.
        is: RegionTest,
    },
    /// A stated level fits the region's tier.
    RegionLevel {
        /// The region's field.
        region: Path,
        /// The level's field.
        level: Path,
        /// The level's values for the province, a city and a county.
        levels: TierNames,
    },
    /// Where the date at `date` is before the measure took effect: the act at `act` is due within
    /// `years` years of the measure's issuance (Art. 42 para. 2).
    Transition {
        /// The document's date.
        date: Path,
        /// The act's date.
        act: Path,
        /// Years after issuance.
        years: u32,
    },
    /// The organ named at `path` is a data authority, and of the level of the region at
    /// `same_level_as`, as far as its name shows.
    Body {
        /// The organ's name.
        path: Path,
        /// It must be a data authority.
        data_authority: bool,
        /// The document's region.
        same_level_as: Option<Path>,
    },
    /// The organisation named at `path` is at the level of the first of `same_as` that can be
    /// placed, and at level `is` when given (names that cannot be placed pass).
    Level {
        /// The organisation's name.
        path: Path,
        /// Names or regions to compare with, in order.
        same_as: Vec<Path>,
        /// The level required.
        is: Option<crate::division::Level>,
    },
    /// The text at `path` does not contain the text at `from`.
    Distinct {
        /// The name checked.
        path: Path,
        /// The name it must not contain.
        from: Path,
    },
    /// `check`'s failures, as warnings.
    Warn(Box<Check>),
    /// Every item passes.
    Each {
        /// The list.
        path: Path,
        /// Per item.
        check: Box<Check>,
    },
    /// Some item passes.
    Some {
        /// The list.
        path: Path,
        /// Per item.
        check: Box<Check>,
    },
    /// All pass.
    All(Vec<Check>),
    /// One passes.
    Any(Vec<Check>),
    /// Does not pass.
    Not(Box<Check>),
    /// `then` must pass where `when` passes.
    When {
        /// Condition.
        when: Box<Check>,
        /// Consequence.
        then: Box<Check>,
    },
}

/// JSON values stored as their JSON text, for formats that are not self-describing (the
/// pre-compiled pack).
mod json_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(values: &[serde_json::Value], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&serde_json::Value::from(values.to_vec()).to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<serde_json::Value>, D::Error> {
        let text = <&str>::deserialize(d)?;
        serde_json::from_str(text).map_err(serde::de::Error::custom)
    }
}

/// A rule's regular expression, kept as written and compiled on first use: a run compiles only
/// the patterns of the rules it evaluates. A pack loaded from YAML compiles each pattern once to
/// report a bad one at its place; the pre-compiled built-in pack was checked when it was made.
#[derive(Debug, Clone)]
pub struct RulePattern {
    source: String,
    compiled: std::sync::OnceLock<Option<Regex>>,
}

impl RulePattern {
    /// Compile `source` now, to report an error.
    pub fn new(source: &str) -> Result<RulePattern, regex::Error> {
        let regex = RulePattern::build(source)?;
        let compiled = std::sync::OnceLock::new();
        let _ = compiled.set(Some(regex));
        Ok(RulePattern {
            source: source.to_string(),
            compiled,
        })
    }

    /// A pattern checked elsewhere, compiled when first used.
    pub fn checked(source: String) -> RulePattern {
        RulePattern {
            source,
            compiled: std::sync::OnceLock::new(),
        }
    }

    fn build(source: &str) -> Result<Regex, regex::Error> {
        regex::RegexBuilder::new(source)
            .size_limit(1 << 20)
            .nest_limit(64)
            .build()
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether `text` matches. A pattern that cannot be compiled (only possible for one that
    /// bypassed the loader) matches everything: it reports nothing rather than a false error.
    pub fn is_match(&self, text: &str) -> bool {
        self.compiled
            .get_or_init(|| RulePattern::build(&self.source).ok())
            .as_ref()
            .is_none_or(|r| r.is_match(text))
    }
}

impl serde::Serialize for RulePattern {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.source)
    }
}

impl<'de> serde::Deserialize<'de> for RulePattern {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<RulePattern, D::Error> {
        String::deserialize(d).map(RulePattern::checked)
    }
}

/// The values a document's level takes for each tier of place (`省级`, `地级以上市`, `县级`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TierNames {
    /// The province as a whole.
    pub province: String,
    /// A prefecture-level city.
    pub city: String,
    /// A county-level division.
    pub county: String,
}

impl TierNames {
    /// The value for `tier`.
    pub fn of(&self, tier: crate::region::Tier) -> &str {
        match tier {
            crate::region::Tier::Province => &self.province,
            crate::region::Tier::City => &self.city,
            crate::region::Tier::County => &self.county,
        }
    }

    /// The tier a value names, if it names one.
    pub fn tier(&self, value: &str) -> Option<crate::region::Tier> {
        use crate::region::Tier;
        [Tier::Province, Tier::City, Tier::County]
            .into_iter()
            .find(|t| self.of(*t) == value)
    }
}

/// A field a check reads: the list paths it sits inside, then its path within their items.
pub type FieldUse = (Vec<Path>, Path);

/// A field a check reads in another document: the kind, then as [`FieldUse`].
pub type RemoteFieldUse = (crate::kind::Kind, Vec<Path>, Path);

impl Source {
    fn collect(&self, scope: &[Path], local: &mut Vec<FieldUse>, remote: &mut Vec<RemoteFieldUse>) {
        match self {
            Source::Local(sel) => {
                let (mut scopes, last) = sel.schema_paths();
                let mut full = scope.to_vec();
                full.append(&mut scopes);
                local.push((full, last));
            }
            Source::Remote {
                reference,
                kind,
                path,
                filter,
            } => {
                // Reference fields are top-level fields, whatever list item a check is on.
                local.push((Vec::new(), reference.clone()));
                let (scopes, last) = path.schema_paths();
                remote.push((*kind, scopes, last));
                if let Some(f) = filter {
                    let mut inner_local = Vec::new();
                    f.collect(&mut Vec::new(), &mut inner_local, remote);
                    remote.extend(inner_local.into_iter().map(|(s, p)| (*kind, s, p)));
                }
            }
        }
    }
}

impl Check {
    /// Call `f` on this check and every check inside it.
    pub fn visit(&self, f: &mut dyn FnMut(&Check)) {
        f(self);
        match self {
            Check::Each { check, .. } | Check::Some { check, .. } | Check::Not(check) => {
                check.visit(f)
            }
            Check::All(cs) | Check::Any(cs) => cs.iter().for_each(|c| c.visit(f)),
            Check::When { when, then } => {
                when.visit(f);
                then.visit(f);
            }
            _ => {}
        }
    }

    /// Whether this check or any check inside it satisfies `pred`.
    pub fn any(&self, pred: &dyn Fn(&Check) -> bool) -> bool {
        pred(self)
            || match self {
                Check::Each { check, .. }
                | Check::Some { check, .. }
                | Check::Not(check)
                | Check::Warn(check) => check.any(pred),
                Check::All(cs) | Check::Any(cs) => cs.iter().any(|c| c.any(pred)),
                Check::When { when, then } => when.any(pred) || then.any(pred),
                _ => false,
            }
    }

    /// Whether the check is about when the measure applies (Art. 42, 45): it reads the issuance
    /// date, and is not itself held back for documents that predate the measure.
    pub fn is_transitional(&self) -> bool {
        self.any(&|c| matches!(c, Check::InForce(_) | Check::Transition { .. }))
    }

    /// Whether the check compares this document with others of the set.
    pub fn is_cross_document(&self) -> bool {
        let remote = |s: &Source| matches!(s, Source::Remote { .. });
        self.any(&|c| match c {
            Check::Subset {
                items: a, of: b, ..
            }
            | Check::Disjoint { items: a, of: b }
            | Check::Equal { left: a, right: b } => remote(a) || remote(b),
            Check::Within {
                start,
                end,
                of_start,
                of_end,
            } => [Some(start), Some(end), of_start.as_ref(), of_end.as_ref()]
                .into_iter()
                .flatten()
                .any(remote),
            Check::Covers { .. } => true,
            _ => false,
        })
    }

    /// Every field of the checked document the check reads, with the list paths it sits inside.
    pub fn paths(&self) -> Vec<FieldUse> {
        self.field_uses().0
    }

    /// Fields read in this document, and fields read in referenced documents.
    pub fn field_uses(&self) -> (Vec<FieldUse>, Vec<RemoteFieldUse>) {
        let (mut local, mut remote) = (Vec::new(), Vec::new());
        self.collect(&mut Vec::new(), &mut local, &mut remote);
        (local, remote)
    }

    fn collect(
        &self,
        scope: &mut Vec<Path>,
        out: &mut Vec<FieldUse>,
        remote: &mut Vec<RemoteFieldUse>,
    ) {
        let mut push = |p: &Path| {
            let scope = if p.1 == Anchor::Root {
                Vec::new()
            } else {
                scope.clone()
            };
            out.push((scope, p.clone()));
        };
        match self {
            Check::Required(p)
            | Check::Type { path: p, .. }
            | Check::Enum { path: p, .. }
            | Check::Pattern { path: p, .. }
            | Check::Range { path: p, .. }
            | Check::Length { path: p, .. }
            | Check::Region { path: p, .. }
            | Check::InForce(p) => push(p),
            Check::RegionLevel { region, level, .. } => {
                push(region);
                push(level);
            }
            Check::Body {
                path,
                same_level_as,
                ..
            } => {
                push(path);
                if let Some(r) = same_level_as {
                    push(r);
                }
            }
            Check::Level { path, same_as, .. } => {
                push(path);
                same_as.iter().for_each(&mut push);
            }
            Check::Distinct { path, from } => {
                push(path);
                push(from);
            }
            Check::Transition {
                date: a, act: b, ..
            }
            | Check::Date {
                path: a, other: b, ..
            }
            | Check::Deadline {
                from: a, act: b, ..
            }
            | Check::YearlyDeadline {
                year: a, act: b, ..
            }
            | Check::Term {
                start: a, end: b, ..
            }
            | Check::Period {
                start: a, end: b, ..
            } => {
                push(a);
                push(b);
            }
            Check::Subset {
                items: a, of: b, ..
            }
            | Check::Disjoint { items: a, of: b }
            | Check::Equal { left: a, right: b } => {
                a.collect(scope, out, remote);
                b.collect(scope, out, remote);
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
                    s.collect(scope, out, remote);
                }
            }
            Check::Covers {
                list,
                kind,
                year,
                start,
                end,
                same,
            } => {
                push(list);
                push(year);
                remote.push((*kind, Vec::new(), start.clone()));
                remote.push((*kind, Vec::new(), end.clone()));
                if let Some(same) = same {
                    push(same);
                    remote.push((*kind, Vec::new(), same.clone()));
                }
            }
            Check::Each { path, check } | Check::Some { path, check } => {
                push(path);
                scope.push(path.clone());
                check.collect(scope, out, remote);
                scope.pop();
            }
            Check::All(cs) | Check::Any(cs) => {
                cs.iter().for_each(|c| c.collect(scope, out, remote))
            }
            Check::Not(c) | Check::Warn(c) => c.collect(scope, out, remote),
            Check::When { when, then } => {
                when.collect(scope, out, remote);
                then.collect(scope, out, remote);
            }
        }
    }
}
