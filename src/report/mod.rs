//! Output formats: each a pure function from a run's results to text.

pub mod github;
pub mod gitlab;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod markup;
pub mod sarif;
pub mod target;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// miette graphical report, for people.
    Human,
    /// One JSON object with a `findings` array.
    Json,
}

/// Counts shown in summaries.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Summary {
    /// Inputs seen (documents, skipped and failed files).
    pub files: usize,
    /// Documents checked.
    pub documents: usize,
    /// Error findings.
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
    /// Info findings.
    pub infos: usize,
    /// Review items for a human reviewer.
    pub reviews: usize,
    /// Inputs that could not be checked, and rule-pack errors.
    pub failed: usize,
}

impl Summary {
    /// Count a run.
    pub fn of(run: &crate::RunReport) -> Summary {
        use crate::severity::Severity;
        let mut s = Summary {
            files: run.files.len(),
            documents: run.documents(),
            failed: run.input_errors().count(),
            ..Summary::default()
        };
        for f in run.findings() {
            match f.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
                Severity::Review => s.reviews += 1,
            }
        }
        s
    }
}
