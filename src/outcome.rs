//! A run after the repository's policy: which findings stand, which are excused and by what
//! (an audited exception, or the baseline), and whether the run fails. Pure: no I/O.

use std::collections::HashMap;

use serde::Serialize;

use crate::baseline::{fingerprint, Baseline};
use crate::checker::{FileOutcome, RunReport};
use crate::config::policy::SeverityPolicy;
use crate::decisions::Decisions;
use crate::exceptions::index::ExceptionIndex;
use crate::exceptions::{ExceptionRecord, ExceptionStatus, ExceptionUse};
use crate::finding::Finding;
use crate::severity::Severity;

/// The lowest severity that fails a run (`--fail-on`); `review` items never fail one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// Only errors fail the run (default).
    #[default]
    Error,
    /// Errors and warnings fail the run.
    Warning,
    /// Errors, warnings and infos fail the run.
    Info,
}

impl FailOn {
    /// Whether a finding of `severity` fails the run.
    pub fn fails(self, severity: Severity) -> bool {
        match severity {
            Severity::Review => false,
            Severity::Error => true,
            Severity::Warning => matches!(self, FailOn::Warning | FailOn::Info),
            Severity::Info => self == FailOn::Info,
        }
    }

    /// Lower-case name, as on the command line.
    pub fn name(self) -> &'static str {
        match self {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Info => "info",
        }
    }
}

/// Why a finding does not count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suppression {
    /// An audited exception: the index into [`Outcome::exceptions`].
    Exception(usize),
    /// The finding was already recorded in the baseline.
    Baseline,
}

/// A finding that stands in the documents but does not count towards the result.
#[derive(Debug, Clone)]
pub struct Suppressed {
    /// The finding, with the severity policy applied.
    pub finding: Finding,
    /// What excuses it.
    pub by: Suppression,
}

/// What the baseline did in this run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BaselineUse {
    /// The baseline file, as named.
    pub file: String,
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
    /// Findings it matched (known, not counted).
    pub matched: usize,
    /// Entries that matched nothing: fixed since the baseline was written.
    pub fixed: usize,
}

/// A run with the policy applied.
#[derive(Debug)]
pub struct Outcome {
    /// The run; its findings are the ones that count (severity overrides applied).
    pub run: RunReport,
    /// Findings excused by an exception or the baseline, in input order.
    pub suppressed: Vec<Suppressed>,
    /// Every exception record with what became of it.
    pub exceptions: Vec<ExceptionUse>,
    /// The baseline, when one was used.
    pub baseline: Option<BaselineUse>,
    /// The fail level.
    pub fail_on: FailOn,
    /// The date the run is judged as of (exception expiry).
    pub as_of: jiff::civil::Date,
    /// What the configuration and the CI policy decided, for the reports to state.
    pub decisions: Decisions,
    /// Indices into `suppressed` by file name, so reports find a file's excused findings
    /// without scanning them all.
    by_file: HashMap<String, Vec<usize>>,
}

/// Everything that decides what counts.
pub struct Policy<'a> {
    /// Severity overrides and rule selection.
    pub severity: &'a SeverityPolicy,
    /// Exception records (empty with `--no-exceptions`).
    pub exceptions: Vec<ExceptionRecord>,
    /// Records the CI policy does not let apply, each with why: reported, never applied.
    pub refused: Vec<(ExceptionRecord, crate::text::Text)>,
    /// The baseline, with the name it was read from and the SHA-256 of its bytes.
    pub baseline: Option<(String, String, &'a Baseline)>,
    /// The fail level.
    pub fail_on: FailOn,
    /// The date exceptions are judged as of.
    pub as_of: jiff::civil::Date,
    /// What the configuration and the CI policy decided (the counts of findings turned off
    /// and lowered are filled in here).
    pub decisions: Decisions,
}

impl Outcome {
    /// Apply `policy` to `run`: severity overrides (dropping rules turned off), then
    /// exceptions, then the baseline.
    pub fn new(mut run: RunReport, policy: Policy<'_>) -> Outcome {
        let mut exceptions: Vec<ExceptionUse> = policy
            .exceptions
            .into_iter()
            .map(|record| {
                let expired = record.expires.is_some_and(|d| d < policy.as_of);
                ExceptionUse {
                    record,
                    status: if expired {
                        ExceptionStatus::Expired
                    } else {
                        ExceptionStatus::Unused
                    },
                    matched: 0,
                    refusal: None,
                }
            })
            .chain(
                policy
                    .refused
                    .into_iter()
                    .map(|(record, why)| ExceptionUse {
                        record,
                        status: ExceptionStatus::Refused,
                        matched: 0,
                        refusal: Some(why),
                    }),
            )
            .collect();
        let mut index = ExceptionIndex::new(
            exceptions
                .iter()
                // An expired or refused record excuses nothing; its matches are still counted.
                .map(|e| {
                    (
                        &e.record,
                        matches!(
                            e.status,
                            ExceptionStatus::Expired | ExceptionStatus::Refused
                        ),
                    )
                }),
        );
        let mut known: HashMap<String, usize> = HashMap::new();
        if let Some((_, _, baseline)) = &policy.baseline {
            for entry in &baseline.findings {
                *known.entry(entry.fingerprint.clone()).or_default() += 1;
            }
        }
        let mut baseline_matched = 0;
        let mut decisions = policy.decisions;
        let mut suppressed = Vec::new();
        for file in &mut run.files {
            let FileOutcome::Checked { findings, .. } = &mut file.outcome else {
                continue;
            };
            let mut kept = Vec::with_capacity(findings.len());
            for mut finding in std::mem::take(findings) {
                match policy.severity.severity_of(&finding) {
                    None => {
                        decisions.findings_turned_off += 1;
                        continue;
                    }
                    Some(s) => {
                        if s > finding.severity {
                            decisions.findings_lowered += 1;
                        }
                        finding.severity = s;
                    }
                }
                // The first record, in order, that covers the finding and has not expired
                // excuses it; expired ones that cover it count it as a finding that counts
                // again. Looked up by rule, target and pointer, not tried one by one.
                let lookup = index.lookup(&finding);
                if let Some(i) = lookup.applying {
                    if let Some(e) = exceptions.get_mut(i) {
                        e.status = ExceptionStatus::Applied;
                        e.matched += 1;
                    }
                    suppressed.push(Suppressed {
                        finding,
                        by: Suppression::Exception(i),
                    });
                    continue;
                }
                index.unexcused(&lookup);
                if policy.baseline.is_some() {
                    if let Some(n) = known.get_mut(&fingerprint(&finding)).filter(|n| **n > 0) {
                        *n -= 1;
                        baseline_matched += 1;
                        suppressed.push(Suppressed {
                            finding,
                            by: Suppression::Baseline,
                        });
                        continue;
                    }
                }
                kept.push(finding);
            }
            *findings = kept;
        }
        for (i, matched) in index.expired_matches() {
            if let Some(e) = exceptions.get_mut(i) {
                e.matched = matched;
            }
        }
        let mut by_file: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, s) in suppressed.iter().enumerate() {
            by_file
                .entry(s.finding.file.name().to_string())
                .or_default()
                .push(i);
        }
        Outcome {
            run,
            suppressed,
            by_file,
            exceptions,
            baseline: policy.baseline.map(|(file, sha256, _)| BaselineUse {
                file,
                sha256,
                matched: baseline_matched,
                fixed: known.values().sum(),
            }),
            fail_on: policy.fail_on,
            as_of: policy.as_of,
            decisions,
        }
    }

    /// A run with no policy: every finding counts, errors fail.
    pub fn plain(run: RunReport, as_of: jiff::civil::Date) -> Outcome {
        Outcome {
            run,
            suppressed: Vec::new(),
            by_file: HashMap::new(),
            exceptions: Vec::new(),
            baseline: None,
            fail_on: FailOn::Error,
            as_of,
            decisions: Decisions::default(),
        }
    }

    /// Whether a finding that counts fails the run.
    pub fn fails(&self, finding: &Finding) -> bool {
        self.fail_on.fails(finding.severity)
    }

    /// The exit code: 2 when something could not be checked, 1 when a counted finding is at or
    /// above the fail level, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.run.input_errors().next().is_some() {
            2
        } else if self.run.findings().any(|f| self.fails(f)) {
            1
        } else {
            0
        }
    }

    /// The exception that excuses a suppressed finding, if it is one.
    pub fn exception_of(&self, s: &Suppressed) -> Option<&ExceptionUse> {
        match s.by {
            Suppression::Exception(i) => self.exceptions.get(i),
            Suppression::Baseline => None,
        }
    }

    /// Suppressed findings of the file named `name`.
    pub fn suppressed_in<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a Suppressed> {
        self.by_file
            .get(name)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .filter_map(|i| self.suppressed.get(*i))
    }
}

/// A finding as a report shows it: counted, or excused.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// The finding.
    pub finding: &'a Finding,
    /// What excuses it, when something does.
    pub suppressed: Option<&'a Suppressed>,
}

impl Outcome {
    /// Every finding of one file, counted and excused, in file order.
    pub fn entries<'a>(&'a self, file: &'a crate::checker::FileReport) -> Vec<Entry<'a>> {
        let mut entries: Vec<Entry<'a>> = match &file.outcome {
            FileOutcome::Checked { findings, .. } => findings
                .iter()
                .map(|finding| Entry {
                    finding,
                    suppressed: None,
                })
                .collect(),
            _ => Vec::new(),
        };
        entries.extend(self.suppressed_in(&file.name).map(|s| Entry {
            finding: &s.finding,
            suppressed: Some(s),
        }));
        entries.sort_by(|a, b| {
            (a.finding.span.start, &a.finding.rule, &a.finding.pointer).cmp(&(
                b.finding.span.start,
                &b.finding.rule,
                &b.finding.pointer,
            ))
        });
        entries
    }

    /// Notes for people: what decided the run (the policy, rules turned off or lowered,
    /// exclusions, exceptions applied and their approvers, the baseline), then exceptions that
    /// expired, matched nothing or were refused.
    pub fn notes(&self) -> Vec<crate::text::Text> {
        let mut notes: Vec<crate::text::Text> = crate::decisions::notes(self)
            .into_iter()
            .map(|n| n.text)
            .collect();
        notes.extend(self.exceptions.iter().filter_map(ExceptionUse::note));
        if self.fail_on != FailOn::Error {
            let failing = self
                .run
                .findings()
                .filter(|f| f.severity != Severity::Error && self.fails(f))
                .count();
            if failing > 0 {
                notes.push(crate::text!(
                    "--fail-on {}：另有 {} 项非错误发现导致本次检查失败",
                    "--fail-on {}: {} findings below error also fail this run",
                    self.fail_on.name(),
                    failing
                ));
            }
        }
        notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_never_fails_and_the_level_is_a_floor() {
        for fail_on in [FailOn::Error, FailOn::Warning, FailOn::Info] {
            assert!(!fail_on.fails(Severity::Review));
            assert!(fail_on.fails(Severity::Error));
        }
        assert!(!FailOn::Error.fails(Severity::Warning));
        assert!(FailOn::Warning.fails(Severity::Warning));
        assert!(!FailOn::Warning.fails(Severity::Info));
        assert!(FailOn::Info.fails(Severity::Info));
    }
}
