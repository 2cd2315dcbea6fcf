//! The library's entry point: a loaded pack and schemas, checking inputs in parallel.

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::document::{self, not_a_document, Limits};
use crate::error::InputError;
use crate::eval::check_document;
use crate::finding::Finding;
use crate::inputs::{self, Input};
use crate::kind::Kind;
use crate::rules::{load_pack, Pack, PackFiles};
use crate::schema::Schemas;
use crate::source::SourceFile;
use crate::text;

/// A rule pack and the document schemas, ready to check documents.
pub struct Checker {
    /// The rules.
    pub pack: Pack,
    /// The kinds' schemas.
    pub schemas: Schemas,
    /// Parser bounds.
    pub limits: Limits,
    /// The date deadlines are judged at (`--as-of`, default today).
    pub as_of: jiff::civil::Date,
}

/// What became of one input.
#[derive(Debug)]
pub enum FileOutcome {
    /// Checked: the document's kind, id and findings.
    Checked {
        /// Kind.
        kind: Kind,
        /// Id.
        id: String,
        /// Findings, in file order.
        findings: Vec<Finding>,
    },
    /// A YAML/JSON file found in a directory that is not a pdao document.
    Skipped,
    /// Could not be checked.
    Failed(InputError),
}

/// One input and its outcome.
#[derive(Debug)]
pub struct FileReport {
    /// The name shown to users.
    pub name: String,
    /// The outcome.
    pub outcome: FileOutcome,
}

/// The result of a run.
#[derive(Debug, Default)]
pub struct RunReport {
    /// Per input, in input order.
    pub files: Vec<FileReport>,
    /// Problems that are not about one document (rule pack, paths that do not exist).
    pub errors: Vec<InputError>,
}

impl RunReport {
    /// All findings, in input order.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.files.iter().flat_map(|f| match &f.outcome {
            FileOutcome::Checked { findings, .. } => findings.as_slice(),
            _ => &[],
        })
    }

    /// All errors that stopped something from being checked.
    pub fn input_errors(&self) -> impl Iterator<Item = &InputError> {
        self.errors
            .iter()
            .chain(self.files.iter().filter_map(|f| match &f.outcome {
                FileOutcome::Failed(e) => Some(e),
                _ => None,
            }))
    }

    /// Number of documents checked.
    pub fn documents(&self) -> usize {
        self.files
            .iter()
            .filter(|f| matches!(f.outcome, FileOutcome::Checked { .. }))
            .count()
    }
}

/// Today in China Standard Time (UTC+8, no daylight saving): deadlines under the measure run on
/// Beijing dates whatever the machine's time zone.
pub fn today_in_china() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
        .date()
}

impl Checker {
    /// The built-in pack and schemas. Errors in them are returned beside the checker.
    pub fn builtin() -> Result<(Checker, Vec<InputError>), InputError> {
        let files = PackFiles {
            origin: "rules".into(),
            files: crate::embedded::RULES
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
        };
        Checker::from_pack_files(&files)
    }

    /// Load the pack in `dir` (same layout as the built-in `rules/`), with the built-in schemas.
    pub fn from_dir(dir: &Path) -> Result<(Checker, Vec<InputError>), InputError> {
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    let rel = e
                        .path()
                        .strip_prefix(dir)
                        .unwrap_or(e.path())
                        .to_string_lossy()
                        .replace('\\', "/");
                    match std::fs::read_to_string(e.path()) {
                        Ok(text) => files.push((rel, text)),
                        Err(err) => errors.push(InputError::whole(
                            "pdao::io",
                            &SourceFile::new(e.path().display().to_string(), ""),
                            text!("无法读取规则文件：{}", "cannot read rule file: {}", err),
                        )),
                    }
                }
                Ok(_) => {}
                Err(err) => {
                    return Err(InputError::whole(
                        "pdao::io",
                        &SourceFile::new(dir.display().to_string(), ""),
                        text!("无法读取规则包：{}", "cannot read the rule pack: {}", err),
                    ))
                }
            }
        }
        let (checker, mut more) = Checker::from_pack_files(&PackFiles {
            origin: dir.display().to_string(),
            files,
        })?;
        errors.append(&mut more);
        Ok((checker, errors))
    }

    fn from_pack_files(files: &PackFiles) -> Result<(Checker, Vec<InputError>), InputError> {
        let schemas =
            Schemas::from_files(crate::embedded::SCHEMAS.iter().copied()).map_err(|e| {
                InputError::whole(
                    "pdao::schema",
                    &SourceFile::new(format!("schemas/{}", e.file), ""),
                    text!("Schema 无效：{}", "invalid schema: {}", e.message),
                )
            })?;
        let (pack, mut errors) = load_pack(files, &schemas);
        match pack {
            Some(pack) => Ok((
                Checker {
                    pack,
                    schemas,
                    limits: Limits::default(),
                    as_of: today_in_china(),
                },
                errors,
            )),
            None => Err(errors.pop().unwrap_or_else(|| {
                InputError::whole(
                    "pdao::pack",
                    &SourceFile::new(files.origin.clone(), ""),
                    text!("规则包无法加载", "the rule pack cannot be loaded"),
                )
            })),
        }
    }

    /// Add a year's holiday calendar from a file (a notice published after this pack was built).
    pub fn add_calendar(&mut self, path: &Path) -> Result<i16, InputError> {
        let name = path.display().to_string();
        let text = std::fs::read(path).map_err(|e| {
            InputError::whole(
                "pdao::io",
                &SourceFile::new(name.clone(), ""),
                text!(
                    "无法读取节假日文件：{}",
                    "cannot read the holiday calendar: {}",
                    e
                ),
            )
        })?;
        let file = document::decode(&name, text)?;
        self.pack.calendar.add_file(&file)
    }

    /// Check one text as a document. `explicit`: a file that is not a pdao document is an error.
    pub fn check_file(&self, file: &Arc<SourceFile>, explicit: bool) -> FileOutcome {
        self.check_file_as_of(file, explicit, self.as_of)
    }

    /// [`Checker::check_file`], judging deadlines as of `as_of`.
    pub fn check_file_as_of(
        &self,
        file: &Arc<SourceFile>,
        explicit: bool,
        as_of: jiff::civil::Date,
    ) -> FileOutcome {
        match document::load(file, self.limits) {
            Err(e) => FileOutcome::Failed(e),
            Ok(Err(_)) if !explicit => FileOutcome::Skipped,
            Ok(Err(_)) => {
                let root = document::yaml::parse(file, self.limits).ok();
                let span = root.and_then(|r| match r.value {
                    document::Value::Map(_) => Some(r.locate(&[])),
                    _ => None,
                });
                FileOutcome::Failed(not_a_document(file, span))
            }
            Ok(Ok(doc)) => {
                if self.schemas.get(doc.kind).is_none() {
                    return FileOutcome::Failed(InputError::at(
                        "pdao::unsupported-kind",
                        file,
                        doc.root
                            .entry("kind")
                            .map_or_else(|| doc.root.locate(&[]), |e| e.value.span),
                        text!(
                            "本规则包尚未收录文书类型 {}（{}）",
                            "this rule pack does not cover the document kind {} ({}) yet",
                            doc.kind,
                            doc.kind.title_zh()
                        ),
                    ));
                }
                FileOutcome::Checked {
                    kind: doc.kind,
                    id: doc.id.clone(),
                    findings: check_document(
                        &self.pack,
                        &self.schemas,
                        &doc,
                        &crate::eval::Context {
                            as_of,
                            calendar: &self.pack.calendar,
                        },
                    ),
                }
            }
        }
    }

    /// Check every input; documents are checked in parallel, reported in input order.
    pub fn check_inputs(&self, inputs: &[Input]) -> Vec<FileReport> {
        inputs
            .par_iter()
            .map(|input| FileReport {
                name: input.name(),
                outcome: match input.read() {
                    Ok(file) => self.check_file(&file, input.explicit()),
                    Err(e) => FileOutcome::Failed(e),
                },
            })
            .collect()
    }

    /// Collect and check command-line paths.
    pub fn check_paths(&self, paths: &[std::path::PathBuf]) -> RunReport {
        let (inputs, errors) = inputs::collect(paths);
        RunReport {
            files: self.check_inputs(&inputs),
            errors,
        }
    }
}
