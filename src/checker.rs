//! The library's entry point: a loaded pack and schemas, checking inputs in parallel.

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use std::collections::HashMap;

use crate::document::{self, not_a_document, Document, Limits};
use crate::error::InputError;
use crate::eval::crossdoc::DocSet;
use crate::eval::{check_document, scope, Context};
use crate::finding::Finding;
use crate::inputs::{self, Input};
use crate::kind::Kind;
use crate::rules::{load_pack, Pack, PackFiles};
use crate::schema::Schemas;
use crate::severity::Severity;
use crate::source::SourceFile;
use crate::text;

/// How many files [`Checker::check_each`] checks before handing their results on.
pub const STREAM_WINDOW: usize = 128;

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
    /// Severity of a reference to a document not checked in the same run.
    pub unresolved: Severity,
    /// The date the measure took effect (印发), when known (`pack.yaml` `issued`, or
    /// `--in-force-from`); with the pack's validity years it bounds Art. 45's window.
    pub in_force_from: Option<jiff::civil::Date>,
}

/// A file after parsing: a document to check, or already an outcome.
enum Loaded {
    /// A document of a kind the pack covers.
    Document(Box<Document>),
    /// Not to be checked further.
    Done(FileOutcome),
}

/// The error for a second document with an id already used, naming both places.
fn duplicate_id(doc: &Document, first: &Document) -> InputError {
    let span = doc
        .root
        .entry("id")
        .map_or_else(|| doc.root.locate(&[]), |e| e.value.span);
    let first_at = first
        .root
        .entry("id")
        .map_or_else(|| first.root.locate(&[]), |e| e.value.span);
    let pos = first.file.position(first_at.start);
    InputError::at(
        "pdao::duplicate-id",
        &doc.file,
        span,
        text!(
            "文书编号 `{}` 重复：{}:{}:{} 已使用",
            "document id `{}` is used twice: already at {}:{}:{}",
            crate::visible::value(&doc.id),
            first.file.name(),
            pos.line,
            pos.column
        ),
    )
    .labelled(text!("重复的编号", "duplicate id"))
    .with_help(text!(
        "每份文书的 id 在仓库中须唯一，其他文书据此引用它",
        "each document's id must be unique in the repository: other documents refer to it"
    ))
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
    /// Files the walk left out (`exclude`, `.gitignore`), counted.
    pub left_out: inputs::LeftOut,
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
        if let Some(pack) = crate::rules::compiled::builtin() {
            return Ok((
                Checker::with_pack(pack, Checker::builtin_schemas()?),
                Vec::new(),
            ));
        }
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
                // A compiled pack (`builtin.pack`) beside the sources is not a source.
                Ok(e)
                    if e.file_type().is_file()
                        && e.path().extension().is_some_and(|x| x == "pack") => {}
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

    fn builtin_schemas() -> Result<Schemas, InputError> {
        Schemas::from_files(crate::embedded::SCHEMAS.iter().copied()).map_err(|e| {
            InputError::whole(
                "pdao::schema",
                &SourceFile::new(format!("schemas/{}", e.file), ""),
                text!("Schema 无效：{}", "invalid schema: {}", e.message),
            )
        })
    }

    fn with_pack(pack: Pack, schemas: Schemas) -> Checker {
        Checker {
            in_force_from: pack
                .info
                .issued
                .as_deref()
                .and_then(crate::dates::parse_date),
            pack,
            schemas,
            limits: Limits::default(),
            as_of: today_in_china(),
            unresolved: Severity::Info,
        }
    }

    fn from_pack_files(files: &PackFiles) -> Result<(Checker, Vec<InputError>), InputError> {
        let schemas = Checker::builtin_schemas()?;
        let (pack, mut errors) = load_pack(files, &schemas);
        match pack {
            Some(pack) => Ok((Checker::with_pack(pack, schemas), errors)),
            None => Err(errors.pop().unwrap_or_else(|| {
                InputError::whole(
                    "pdao::pack",
                    &SourceFile::new(files.origin.clone(), ""),
                    text!("规则包无法加载", "the rule pack cannot be loaded"),
                )
            })),
        }
    }

    /// Art. 45's window: from issuance through the last day of the validity years, when known.
    pub fn validity_window(&self) -> Option<(jiff::civil::Date, jiff::civil::Date)> {
        let from = self.in_force_from?;
        let years = self.pack.info.validity_years?;
        Some((from, crate::dates::term_last_day(from, years)?))
    }

    /// Add a year's holiday calendar from a file (a notice published after this pack was built).
    pub fn add_calendar(&mut self, path: &Path) -> Result<i16, InputError> {
        let name = crate::visible::path(path);
        let file = inputs::read_regular(path, &name, self.limits.max_file_bytes)?;
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
        match self.load(file, explicit) {
            Loaded::Document(doc) => {
                let set = self.scoped_set(vec![&*doc], as_of);
                self.evaluate(&doc, &set, as_of)
            }
            Loaded::Done(outcome) => outcome,
        }
    }

    /// Parse and identify one file: a document of a kind the pack covers, or a final outcome.
    fn load(&self, file: &Arc<SourceFile>, explicit: bool) -> Loaded {
        match document::load(file, self.limits) {
            Err(e) => Loaded::Done(FileOutcome::Failed(e)),
            Ok(Err(_)) if !explicit => Loaded::Done(FileOutcome::Skipped),
            Ok(Err(_)) => {
                let root = document::yaml::parse(file, self.limits).ok();
                let span = root.and_then(|r| match r.value {
                    document::Value::Map(_) => Some(r.locate(&[])),
                    _ => None,
                });
                Loaded::Done(FileOutcome::Failed(not_a_document(file, span)))
            }
            Ok(Ok(doc)) if self.schemas.get(doc.kind).is_none() => {
                Loaded::Done(FileOutcome::Failed(InputError::at(
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
                )))
            }
            Ok(Ok(doc)) => Loaded::Document(Box::new(doc)),
        }
    }

    /// What evaluation needs beyond the document, within `set`.
    fn context<'a>(&'a self, set: &'a DocSet<'a>, as_of: jiff::civil::Date) -> Context<'a> {
        Context {
            as_of,
            calendar: &self.pack.calendar,
            set,
            unresolved: self.unresolved,
            in_force: self.validity_window(),
            regions: &self.pack.regions,
        }
    }

    /// The documents checked together, indexed by id, with those the scope rule puts outside
    /// the measure marked, so that no cross-document rule reads or requires them.
    fn scoped_set<'a>(&self, docs: Vec<&'a Document>, as_of: jiff::civil::Date) -> DocSet<'a> {
        let mut set = DocSet::new(docs.iter().copied());
        let alone = DocSet::default();
        let ctx = self.context(&alone, as_of);
        let outside: Vec<&'a str> = docs
            .par_iter()
            .filter(|d| set.get(&d.id).is_some_and(|first| std::ptr::eq(first, **d)))
            .filter(|d| scope::is_outside(&self.pack, d, &ctx))
            .map(|d| d.id.as_str())
            .collect();
        for id in outside {
            set.rule_out(id);
        }
        set
    }

    /// Check one document against the pack, within `set` for cross-document rules.
    fn evaluate(&self, doc: &Document, set: &DocSet, as_of: jiff::civil::Date) -> FileOutcome {
        FileOutcome::Checked {
            kind: doc.kind,
            id: doc.id.clone(),
            findings: check_document(&self.pack, &self.schemas, doc, &self.context(set, as_of)),
        }
    }

    /// Read and parse one input. A file named like a copy of a document is reported when it
    /// holds one, and otherwise skipped, as is one that cannot be read or is not text.
    fn read_and_load(&self, input: &Input) -> Loaded {
        match (input, input.read_limited(self.limits.max_file_bytes)) {
            (Input::Copy(_), Ok(file)) => Loaded::Done(
                document::document_copy(&file, self.limits)
                    .map_or(FileOutcome::Skipped, FileOutcome::Failed),
            ),
            (Input::Copy(_), Err(_)) => Loaded::Done(FileOutcome::Skipped),
            (_, Ok(file)) => self.load(&file, input.explicit()),
            (_, Err(e)) => Loaded::Done(FileOutcome::Failed(e)),
        }
    }

    /// Check every input as one set of documents: all are parsed first (in parallel), a
    /// duplicate `id` is an error naming both places, then every document is checked (in
    /// parallel) with the others available to cross-document rules. Reported in input order.
    pub fn check_inputs(&self, inputs: &[Input]) -> Vec<FileReport> {
        let mut reports = Vec::with_capacity(inputs.len());
        self.check_each(inputs, |report| report, |report| reports.push(report));
        reports
    }

    /// [`Checker::check_inputs`], handing each file's result, turned into a `T` by `map` (in
    /// parallel), to `sink` in input order as soon as it and those before it are done. Findings
    /// and rendered output are then held for at most [`STREAM_WINDOW`] files at once; the
    /// parsed documents are held for the whole run, since cross-document rules may read any.
    pub fn check_each<T: Send>(
        &self,
        inputs: &[Input],
        map: impl Fn(FileReport) -> T + Sync,
        sink: impl FnMut(T),
    ) {
        let loaded: Vec<(String, Loaded)> = inputs
            .par_iter()
            .map(|input| (input.name(), self.read_and_load(input)))
            .collect();
        self.check_loaded_each(loaded, self.as_of, map, sink);
    }

    /// Check texts already read as one set of documents (each named explicitly), as of `as_of`.
    pub fn check_set_as_of(
        &self,
        files: &[Arc<SourceFile>],
        as_of: jiff::civil::Date,
    ) -> Vec<FileReport> {
        let loaded = files
            .par_iter()
            .map(|file| (file.name().to_string(), self.load(file, true)))
            .collect();
        let mut reports = Vec::with_capacity(files.len());
        self.check_loaded_each(loaded, as_of, |r| r, |r| reports.push(r));
        reports
    }

    fn check_loaded_each<T: Send>(
        &self,
        loaded: Vec<(String, Loaded)>,
        as_of: jiff::civil::Date,
        map: impl Fn(FileReport) -> T + Sync,
        mut sink: impl FnMut(T),
    ) {
        // Documents (which the set borrows) apart from the outcomes of the other files (which
        // are moved out as they are reported).
        let mut done: Vec<Option<FileOutcome>> = Vec::with_capacity(loaded.len());
        let mut docs: Vec<(String, Option<Box<Document>>)> = Vec::with_capacity(loaded.len());
        for (name, l) in loaded {
            match l {
                Loaded::Document(doc) => {
                    docs.push((name, Some(doc)));
                    done.push(None);
                }
                Loaded::Done(outcome) => {
                    docs.push((name, None));
                    done.push(Some(outcome));
                }
            }
        }
        let mut first_of: HashMap<&str, &Document> = HashMap::new();
        let mut duplicates: HashMap<usize, InputError> = HashMap::new();
        for (i, (_, doc)) in docs.iter().enumerate() {
            if let Some(doc) = doc {
                match first_of.get(doc.id.as_str()) {
                    Some(first) => {
                        duplicates.insert(i, duplicate_id(doc, first));
                    }
                    None => {
                        first_of.insert(doc.id.as_str(), doc);
                    }
                }
            }
        }
        let set = self.scoped_set(
            docs.iter().filter_map(|(_, d)| d.as_deref()).collect(),
            as_of,
        );
        let window = STREAM_WINDOW.max(rayon::current_num_threads() * 16);
        let mut start = 0;
        while start < docs.len() {
            let end = (start + window).min(docs.len());
            let batch: Vec<(usize, Option<FileOutcome>)> = (start..end)
                .map(|i| (i, done.get_mut(i).and_then(Option::take)))
                .collect();
            let results: Vec<T> = batch
                .into_par_iter()
                .map(|(i, outcome)| {
                    let (name, doc) = match docs.get(i) {
                        Some((name, doc)) => (name.clone(), doc.as_deref()),
                        None => (String::new(), None),
                    };
                    let outcome = match (duplicates.get(&i), outcome, doc) {
                        (Some(err), _, _) => FileOutcome::Failed(err.clone()),
                        (None, Some(outcome), _) => outcome,
                        (None, None, Some(doc)) => self.evaluate(doc, &set, as_of),
                        (None, None, None) => FileOutcome::Skipped,
                    };
                    map(FileReport { name, outcome })
                })
                .collect();
            results.into_iter().for_each(&mut sink);
            start = end;
        }
    }

    /// Collect and check command-line paths.
    pub fn check_paths(&self, paths: &[std::path::PathBuf]) -> RunReport {
        let found = inputs::collect_counted(paths, &inputs::Walk::default());
        RunReport {
            files: self.check_inputs(&found.inputs),
            errors: found.errors,
            left_out: found.left_out,
        }
    }

    /// What a check of `inputs` would do with each, without checking: each document is
    /// parsed and identified (`Checked`, with no findings), and the others are `Skipped` or
    /// `Failed` as a check would have them. In input order.
    pub fn identify(&self, inputs: &[Input]) -> Vec<FileReport> {
        inputs
            .par_iter()
            .map(|input| FileReport {
                name: input.name(),
                outcome: match self.read_and_load(input) {
                    Loaded::Document(doc) => FileOutcome::Checked {
                        kind: doc.kind,
                        id: doc.id,
                        findings: Vec::new(),
                    },
                    Loaded::Done(outcome) => outcome,
                },
            })
            .collect()
    }
}
