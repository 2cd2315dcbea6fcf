//! Finding the exception records about a finding without trying every record: records are
//! grouped by rule, target (document id, file, or file and line) and pointer, and a finding
//! looks up only the groups it could fall in — its own pointer and each pointer above it.
//! The answer is the one [`ExceptionRecord::covers`] gives record by record, in linear time:
//! 20 000 records against 200 000 findings take a lookup each, not four billion tests.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{ExceptionRecord, Target};
use crate::finding::Finding;

/// Records with the same rule, target and pointer, in record order.
#[derive(Debug, Default)]
struct Group {
    /// The first record of the group that applies (not expired), by index.
    first_active: Option<usize>,
    /// The expired records.
    expired: Vec<usize>,
    /// Findings the group covers that no record excused.
    unexcused: usize,
}

/// The groups about one target, by pointer.
#[derive(Debug, Default)]
struct Pointers {
    /// Records without a pointer: the whole document.
    whole: Option<usize>,
    /// Records with a pointer, by it.
    at: HashMap<String, usize>,
}

/// The groups of one rule, by target. Lookups borrow the finding's strings: nothing is
/// allocated per finding but the rule's lower case.
#[derive(Debug, Default)]
struct Targets {
    ids: HashMap<String, Pointers>,
    paths: HashMap<PathBuf, Pointers>,
    lines: HashMap<String, HashMap<usize, Pointers>>,
}

/// The records of a run, grouped for lookup.
#[derive(Debug, Default)]
pub struct ExceptionIndex {
    groups: Vec<Group>,
    /// Rule in lower case → targets → pointers → group.
    rules: HashMap<String, Targets>,
    /// The working directories path targets are resolved from (one, in practice).
    cwds: Vec<PathBuf>,
    /// A finding's file resolved from each working directory, by file name.
    resolved: HashMap<String, Vec<PathBuf>>,
}

/// The records about one finding.
#[derive(Debug, Default)]
pub struct Lookup {
    /// The record that excuses it: the first one, in record order, that is not expired.
    pub applying: Option<usize>,
    groups: Vec<usize>,
}

impl ExceptionIndex {
    /// Group the records, each with whether it has expired (it then excuses nothing), in
    /// record order.
    pub fn new<'a>(records: impl IntoIterator<Item = (&'a ExceptionRecord, bool)>) -> Self {
        let mut index = ExceptionIndex::default();
        for (i, (record, expired)) in records.into_iter().enumerate() {
            let targets = index
                .rules
                .entry(record.rule.to_ascii_lowercase())
                .or_default();
            let pointers = match &record.target {
                Target::Id(id) => targets.ids.entry(id.clone()).or_default(),
                Target::Path { absolute, cwd } => {
                    if !index.cwds.contains(cwd) {
                        index.cwds.push(cwd.clone());
                    }
                    targets.paths.entry(absolute.clone()).or_default()
                }
                Target::Line { file, line } => targets
                    .lines
                    .entry(file.clone())
                    .or_default()
                    .entry(*line)
                    .or_default(),
            };
            let next = index.groups.len();
            let g = *match &record.pointer {
                None => pointers.whole.get_or_insert(next),
                Some(p) => pointers.at.entry(p.clone()).or_insert(next),
            };
            if g == next {
                index.groups.push(Group::default());
            }
            if let Some(group) = index.groups.get_mut(g) {
                if expired {
                    group.expired.push(i);
                } else if group.first_active.is_none() {
                    group.first_active = Some(i);
                }
            }
        }
        index
    }

    /// The records about `f`, and the one that excuses it.
    pub fn lookup(&mut self, f: &Finding) -> Lookup {
        let mut lookup = Lookup::default();
        if self.groups.is_empty() {
            return lookup;
        }
        let Some(targets) = self.rules.get(f.rule.to_ascii_lowercase().as_str()) else {
            return lookup;
        };
        let name = f.file.name();
        let mut about: Vec<&Pointers> = Vec::with_capacity(3);
        about.extend(targets.ids.get(f.document.as_str()));
        about.extend(
            targets
                .lines
                .get(name)
                .and_then(|lines| lines.get(&f.position.line)),
        );
        if !targets.paths.is_empty() && name != "<stdin>" {
            let cwds = &self.cwds;
            let resolved = self.resolved.entry(name.to_string()).or_insert_with(|| {
                cwds.iter()
                    .map(|cwd| crate::config::paths::absolute(cwd, Path::new(name)))
                    .collect()
            });
            about.extend(resolved.iter().filter_map(|p| targets.paths.get(p)));
        }
        for pointers in about {
            lookup.groups.extend(pointers.whole);
            // The finding's own pointer and every one above it: a record's pointer covers the
            // findings at it or below it.
            let above = f
                .pointer
                .match_indices('/')
                .map(|(at, _)| f.pointer.get(..at).unwrap_or(""));
            for p in std::iter::once(f.pointer.as_str()).chain(above) {
                lookup.groups.extend(pointers.at.get(p));
            }
        }
        lookup.groups.sort_unstable();
        lookup.groups.dedup();
        lookup.applying = lookup
            .groups
            .iter()
            .filter_map(|g| self.groups.get(*g).and_then(|g| g.first_active))
            .min();
        lookup
    }

    /// Count a finding no record excused against the expired records about it.
    pub fn unexcused(&mut self, lookup: &Lookup) {
        for g in &lookup.groups {
            if let Some(group) = self.groups.get_mut(*g) {
                group.unexcused += 1;
            }
        }
    }

    /// Each expired record with the findings it covers that count again.
    pub fn expired_matches(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.groups
            .iter()
            .flat_map(|g| g.expired.iter().map(move |i| (*i, g.unexcused)))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::exceptions::Origin;
    use crate::source::{Position, SourceFile, Span};
    use crate::text::Text;

    fn finding(rule: &str, document: &str, file: &Arc<SourceFile>, pointer: &str) -> Finding {
        Finding {
            rule: rule.into(),
            severity: crate::severity::Severity::Error,
            message: Text::new("", ""),
            detail: Text::new("", ""),
            help: Text::new("", ""),
            citation: crate::citation::Citation {
                article: 22,
                paragraph: None,
                item: None,
                sub_item: None,
            },
            citation_zh: String::new(),
            citation_en: String::new(),
            quote: String::new(),
            file: Arc::clone(file),
            document: document.into(),
            pointer: pointer.into(),
            span: Span::new(0, 1),
            position: Position { line: 2, column: 1 },
            related: Vec::new(),
            unresolved: false,
            omitted: 0,
        }
    }

    fn record(
        rule: &str,
        target: Target,
        pointer: Option<&str>,
        file: &Arc<SourceFile>,
    ) -> ExceptionRecord {
        ExceptionRecord {
            rule: rule.into(),
            target,
            pointer: pointer.map(String::from),
            reason: "r".into(),
            approver: "a".into(),
            document: None,
            expires: None,
            recorded_at: None,
            source: Arc::clone(file),
            span: Span::new(0, 1),
            origin: Origin::File,
        }
    }

    #[test]
    fn the_index_answers_as_covers_does() {
        let cwd = PathBuf::from("/repo");
        let doc = SourceFile::new("plans/a.yaml", "x\ny\n");
        let other = SourceFile::new("plans/b.yaml", "x\ny\n");
        let records = [
            record("GD22-02", Target::Id("A".into()), Some("/term"), &doc),
            record("gd22-02", Target::Id("A".into()), None, &doc),
            record(
                "GD22-02",
                Target::Path {
                    absolute: PathBuf::from("/repo/plans/a.yaml"),
                    cwd: cwd.clone(),
                },
                Some("/term/end"),
                &doc,
            ),
            record(
                "GD22-03",
                Target::Line {
                    file: "plans/a.yaml".into(),
                    line: 2,
                },
                None,
                &doc,
            ),
            record("GD22-02", Target::Id("B".into()), Some(""), &doc),
            record("GD22-02", Target::Id("A".into()), Some("/ter"), &doc),
        ];
        let expired = |i: usize| i == 1;
        let mut index =
            ExceptionIndex::new(records.iter().enumerate().map(|(i, r)| (r, expired(i))));
        let findings = [
            finding("GD22-02", "A", &doc, "/term/end"),
            finding("GD22-02", "A", &doc, "/terms"),
            finding("GD22-02", "A", &doc, ""),
            finding("GD22-03", "A", &doc, "/x/y"),
            finding("GD22-02", "B", &other, "/a/b"),
            finding("GD22-04", "A", &doc, "/term"),
        ];
        for f in &findings {
            let by_scan = records
                .iter()
                .enumerate()
                .find(|(i, r)| !expired(*i) && r.covers(f))
                .map(|(i, _)| i);
            let lookup = index.lookup(f);
            assert_eq!(
                lookup.applying, by_scan,
                "{} {} {}",
                f.rule, f.document, f.pointer
            );
            let covering: Vec<usize> = (0..records.len())
                .filter(|i| records.get(*i).is_some_and(|r| r.covers(f)))
                .collect();
            let mut found: Vec<usize> = lookup
                .groups
                .iter()
                .flat_map(|g| {
                    let g = index.groups.get(*g).expect("group");
                    g.first_active.into_iter().chain(g.expired.iter().copied())
                })
                .collect();
            found.sort_unstable();
            // Every covering record is in a group found; later active records of a group are
            // never the first, so they need not be.
            for i in covering
                .iter()
                .filter(|i| expired(**i) || Some(**i) == by_scan)
            {
                assert!(found.contains(i), "record {i} for {}", f.pointer);
            }
        }
    }
}
