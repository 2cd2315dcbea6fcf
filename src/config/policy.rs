//! Rule selection and severity overrides (`[rules]`, `[[overrides]]` in `pdao.toml`, and the
//! `tighten` table of a layered rule pack), applied to findings after evaluation.

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::paths::PathGlobs;
use crate::error::InputError;
use crate::finding::{Finding, SCHEMA_RULE_ID};
use crate::rules::Pack;
use crate::severity::Severity;
use crate::source::{SourceFile, Span};
use crate::text;

/// What a severity entry sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The rule is not run: its findings are dropped.
    Off,
    /// Report as an error.
    Error,
    /// Report as a warning.
    Warning,
    /// Report as an info.
    Info,
}

impl Level {
    /// Parse `off`, `error`, `warning`, `info`.
    pub fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "off" => Level::Off,
            "error" => Level::Error,
            "warning" => Level::Warning,
            "info" => Level::Info,
            _ => return None,
        })
    }

    /// The name written in a configuration.
    pub fn name(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
        }
    }

    /// The severity it sets; `None` for `off`.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
        }
    }
}

/// Which findings an entry is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// One rule, by id (`GD22-13`, `PDAO-SCHEMA`).
    Rule(String),
    /// Every rule citing an article (`article:18`).
    Article(u32),
}

impl Selector {
    /// Parse `GD22-13` or `article:18`.
    pub fn parse(s: &str) -> Option<Selector> {
        match s.strip_prefix("article:") {
            Some(n) => n.trim().parse().ok().map(Selector::Article),
            None if !s.trim().is_empty() && !s.contains(char::is_whitespace) => {
                Some(Selector::Rule(s.to_string()))
            }
            None => None,
        }
    }

    fn selects(&self, f: &Finding) -> bool {
        match self {
            Selector::Rule(id) => f.rule.eq_ignore_ascii_case(id),
            Selector::Article(n) => f.citation.article == *n,
        }
    }
}

/// One entry, with where it was written (for errors found once the pack is loaded).
#[derive(Debug, Clone)]
pub struct SeverityEntry {
    /// What it selects.
    pub selector: Selector,
    /// What it sets.
    pub level: Level,
    /// The file it was written in.
    pub file: Arc<SourceFile>,
    /// The key's place.
    pub span: Span,
}

/// A table of entries: a rule id beats an article within one table.
#[derive(Debug, Clone, Default)]
pub struct SeverityTable(pub Vec<SeverityEntry>);

impl SeverityTable {
    fn level_for(&self, f: &Finding) -> Option<Level> {
        let by = |rule: bool| {
            self.0
                .iter()
                .rev()
                .find(|e| matches!(e.selector, Selector::Rule(_)) == rule && e.selector.selects(f))
                .map(|e| e.level)
        };
        by(true).or_else(|| by(false))
    }
}

/// Everything that sets a finding's severity beyond the rule's own.
#[derive(Debug, Clone, Default)]
pub struct SeverityPolicy {
    /// Raise-only entries of layered rule packs (a 实施细则 may tighten, never loosen).
    pub tighten: SeverityTable,
    /// The configuration's `[rules]`.
    pub rules: SeverityTable,
    /// `[[overrides]]`, in order; later ones win.
    pub overrides: Vec<(PathGlobs, SeverityTable)>,
    /// The directory override globs are relative to (absolute).
    pub root: PathBuf,
    /// The working directory, to make file names absolute.
    pub cwd: PathBuf,
}

impl SeverityPolicy {
    /// The severity `f` is reported with, or `None` when its rule is turned off. Review
    /// items keep their severity: they can only be turned off.
    pub fn severity_of(&self, f: &Finding) -> Option<Severity> {
        let mut level = None;
        let mut severity = f.severity;
        if let Some(t) = self.tighten.level_for(f).and_then(Level::severity) {
            if severity != Severity::Review && t < severity {
                severity = t;
            }
        }
        if let Some(l) = self.rules.level_for(f) {
            level = Some(l);
        }
        if !self.overrides.is_empty() {
            if let Some(rel) =
                crate::config::paths::relative_to(&self.root, &self.cwd, f.file.name())
            {
                for (globs, table) in &self.overrides {
                    if globs.matches(&rel) {
                        if let Some(l) = table.level_for(f) {
                            level = Some(l);
                        }
                    }
                }
            }
        }
        match level {
            None => Some(severity),
            Some(Level::Off) => None,
            Some(_) if severity == Severity::Review => Some(severity),
            Some(l) => l.severity(),
        }
    }

    /// Drop the entries of `[rules]` and `[[overrides]]` that turn a rule off or lower it (a
    /// CI policy does not let them apply).
    pub fn without_loosenings(&mut self, pack: &Pack) {
        let keep = |t: &mut SeverityTable| {
            t.0.retain(|e| crate::config::ci_policy::loosening(e, pack).is_none());
        };
        keep(&mut self.rules);
        for (_, t) in &mut self.overrides {
            keep(t);
        }
    }

    /// Entries naming a rule the pack does not have, or an article the measure does not have.
    pub fn check(&self, pack: &Pack) -> Vec<InputError> {
        let tables = std::iter::once(&self.tighten)
            .chain(std::iter::once(&self.rules))
            .chain(self.overrides.iter().map(|(_, t)| t));
        let mut errors = Vec::new();
        for entry in tables.flat_map(|t| &t.0) {
            match &entry.selector {
                Selector::Rule(id) if id != SCHEMA_RULE_ID && pack.rule(id).is_none() => {
                    let near = pack
                        .rules
                        .iter()
                        .map(|r| r.id.as_str())
                        .filter(|r| crate::kind::edit_distance(r, id) <= 2)
                        .min_by_key(|r| crate::kind::edit_distance(r, id));
                    let mut e = InputError::at(
                        "pdao::config",
                        &entry.file,
                        entry.span,
                        text!("没有编号为 {} 的规则", "there is no rule {}", id),
                    );
                    if let Some(n) = near {
                        e = e.with_help(text!("是否应为 {}？", "did you mean {}?", n));
                    }
                    errors.push(e);
                }
                Selector::Article(n) if pack.measure.article(*n).is_none() => {
                    errors.push(InputError::at(
                        "pdao::config",
                        &entry.file,
                        entry.span,
                        text!("条文中没有第 {} 条", "the measure has no article {}", n),
                    ));
                }
                _ => {}
            }
        }
        errors
    }
}
