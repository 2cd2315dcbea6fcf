//! Checked rule checks: paths parsed, regexes compiled, one relation per date comparison.

use std::fmt;

use regex::Regex;

pub use super::raw::ValueType;
use crate::document::Step;

/// A field path relative to the value being checked (`term/start`, `parties/0/name`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path(pub Vec<Step>);

impl Path {
    /// Parse `a/b/0`; an all-digit segment is a list index. Empty or `.` is the value itself.
    pub fn parse(text: &str) -> Result<Path, String> {
        let text = text.trim();
        if text.is_empty() || text == "." {
            return Ok(Path(Vec::new()));
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
            .map(Path)
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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

/// How a date must relate to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    /// N working days (工作日).
    WorkingDays(u32),
    /// N calendar days.
    Days(u32),
}

/// A check primitive, ready to evaluate.
#[derive(Debug, Clone)]
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
        values: Vec<serde_json::Value>,
        /// `false` for 等-lists: outside values warn.
        exhaustive: bool,
        /// Always-wrong values.
        forbidden: Vec<serde_json::Value>,
    },
    /// Matches a regex.
    Pattern {
        /// Field.
        path: Path,
        /// Compiled, linear-time.
        regex: Regex,
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

impl Check {
    /// Every field path the check reads, each with the list paths it sits inside (for `each`/`some`).
    pub fn paths(&self) -> Vec<(Vec<&Path>, &Path)> {
        let mut out = Vec::new();
        self.collect_paths(&mut Vec::new(), &mut out);
        out
    }

    fn collect_paths<'a>(
        &'a self,
        scope: &mut Vec<&'a Path>,
        out: &mut Vec<(Vec<&'a Path>, &'a Path)>,
    ) {
        match self {
            Check::Required(p)
            | Check::Type { path: p, .. }
            | Check::Enum { path: p, .. }
            | Check::Pattern { path: p, .. }
            | Check::Range { path: p, .. }
            | Check::Length { path: p, .. } => out.push((scope.clone(), p)),
            Check::Date { path, other, .. } => {
                out.push((scope.clone(), path));
                out.push((scope.clone(), other));
            }
            Check::Deadline { from, act, .. } => {
                out.push((scope.clone(), from));
                out.push((scope.clone(), act));
            }
            Check::YearlyDeadline { year, act, .. } => {
                out.push((scope.clone(), year));
                out.push((scope.clone(), act));
            }
            Check::Term { start, end, .. } | Check::Period { start, end, .. } => {
                out.push((scope.clone(), start));
                out.push((scope.clone(), end));
            }
            Check::Each { path, check } | Check::Some { path, check } => {
                out.push((scope.clone(), path));
                scope.push(path);
                check.collect_paths(scope, out);
                scope.pop();
            }
            Check::All(cs) | Check::Any(cs) => cs.iter().for_each(|c| c.collect_paths(scope, out)),
            Check::Not(c) => c.collect_paths(scope, out),
            Check::When { when, then } => {
                when.collect_paths(scope, out);
                then.collect_paths(scope, out);
            }
        }
    }
}
