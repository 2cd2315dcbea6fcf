//! Output formats: each a pure function from a run's results to text.

pub mod github;
pub mod gitlab;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod markup;
pub mod sarif;
pub mod shown;
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
    /// YAML/JSON files found in a directory that are not pdao documents (no `kind`).
    pub not_documents: usize,
    /// Files left out of the walk by the configuration's `exclude`.
    pub excluded: usize,
    /// Files left out of the walk by `.gitignore`.
    pub ignored: usize,
    /// Files that look like documents but were not recognised (an unknown or misspelt `kind`,
    /// a copy such as `a.yaml.bak`); they are also among `failed`.
    pub unrecognised: usize,
    /// Findings not listed, beyond the first [`crate::finding::MAX_PER_RULE`] of a rule in a
    /// document; each rule's are counted in one listed finding.
    pub omitted: usize,
}

impl Summary {
    /// Count a run.
    pub fn of(run: &crate::RunReport) -> Summary {
        let mut s = Summary {
            failed: run.errors.len(),
            excluded: run.left_out.excluded,
            ignored: run.left_out.ignored,
            ..Summary::default()
        };
        for file in &run.files {
            s.add(&Summary::of_file(file));
        }
        s
    }

    /// Files not checked, with a reason: not documents, excluded, ignored, unrecognised.
    pub fn skipped(&self) -> usize {
        self.not_documents + self.excluded + self.ignored + self.unrecognised
    }

    /// Count one input (a run is counted file by file when its output is streamed).
    pub fn of_file(file: &crate::FileReport) -> Summary {
        use crate::severity::Severity;
        use crate::FileOutcome;
        let mut s = Summary {
            files: 1,
            ..Summary::default()
        };
        match &file.outcome {
            FileOutcome::Checked { findings, .. } => {
                s.documents = 1;
                for f in findings {
                    s.omitted += f.omitted;
                    match f.severity {
                        Severity::Error => s.errors += 1,
                        Severity::Warning => s.warnings += 1,
                        Severity::Info => s.infos += 1,
                        Severity::Review => s.reviews += 1,
                    }
                }
            }
            FileOutcome::Failed(e) => {
                s.failed = 1;
                s.unrecognised = usize::from(e.unrecognised());
            }
            FileOutcome::Skipped => s.not_documents = 1,
        }
        s
    }

    /// Add another count to this one.
    pub fn add(&mut self, other: &Summary) {
        self.files += other.files;
        self.documents += other.documents;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        self.reviews += other.reviews;
        self.failed += other.failed;
        self.not_documents += other.not_documents;
        self.excluded += other.excluded;
        self.ignored += other.ignored;
        self.unrecognised += other.unrecognised;
        self.omitted += other.omitted;
    }

    /// The exit code the counts call for: 2 when something could not be checked, 1 for error
    /// findings, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.failed > 0 {
            2
        } else if self.errors > 0 {
            1
        } else {
            0
        }
    }
}
