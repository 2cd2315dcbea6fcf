//! Report files: where they may be written, clearing them at the start of a run, and writing
//! them whole.
//!
//! A report file named by the repository (`format` in `pdao.toml`) must stay inside the
//! project, away from `.git` (a report there could replace a hook and run code at the next
//! commit) and off every symbolic link below the project root. One named on the command line is
//! the CI operator's: trusted for its place, but, like every report, never written through a
//! symbolic link nor over a file the run reads. Each is removed when the run starts, so a run
//! killed half-way leaves no earlier report that looks complete, and is written to a temporary
//! file in the same directory and renamed, so a reader never sees half of one.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::project::{self, Project, Refusal};
use crate::config::Config;
use crate::error::InputError;
use crate::report::target::ReportFormat;
use crate::source::{SourceFile, Span};
use crate::text;
use crate::text::Text;

/// Who named a report file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The command line: the CI operator.
    CommandLine,
    /// `pdao.toml`'s `format`, at this place: the repository.
    Config(Span),
}

/// A report to write to a file.
#[derive(Debug, Clone)]
pub struct ReportFile {
    /// Its format; `None` for the baseline `--write-baseline` writes.
    pub format: Option<ReportFormat>,
    /// The path as the user named it (for messages).
    pub shown: PathBuf,
    /// The path, absolute and cleaned.
    pub path: PathBuf,
    /// Who named it.
    pub origin: Origin,
}

/// Canonical paths of the files a run reads (documents, configuration, exceptions, baseline,
/// calendars): no report may replace one.
#[derive(Debug, Default)]
pub struct Protected(HashSet<PathBuf>);

impl Protected {
    /// Add a file (ignored when it does not exist).
    pub fn add(&mut self, path: &Path) {
        if let Ok(p) = std::fs::canonicalize(path) {
            self.0.insert(p);
        }
    }

    fn holds(&self, resolved: &Path) -> bool {
        self.0.contains(resolved)
    }
}

/// Sort out report files that coincide with files found by walking a directory: a pdao
/// document there is protected (no report may replace it); anything else (an earlier report,
/// most likely) is no longer an input, since this run's report replaces it. Files named on the
/// command line are always protected.
pub fn separate_from_inputs(
    reports: &[ReportFile],
    inputs: &mut Vec<crate::inputs::Input>,
    protected: &mut Protected,
    limits: crate::document::Limits,
) {
    use crate::inputs::Input;
    let targets: HashSet<PathBuf> = reports
        .iter()
        .filter_map(|r| project::resolve(&r.path).ok())
        .collect();
    inputs.retain(|input| match input {
        Input::Explicit(p) => {
            protected.add(p);
            true
        }
        Input::Found(p) | Input::Copy(p) => {
            let Some(resolved) = std::fs::canonicalize(p)
                .ok()
                .filter(|c| targets.contains(c))
            else {
                return true;
            };
            let document = input
                .read_limited(limits.max_file_bytes)
                .is_ok_and(|file| matches!(crate::document::load(&file, limits), Ok(Ok(_))));
            if document {
                protected.0.insert(resolved);
            }
            document
        }
        Input::Stdin => true,
    });
}

/// Check where each report may go and remove whatever an earlier run (or the repository) left
/// there. Returns the reports that may be written and the errors of the others, which are
/// neither removed nor written.
pub fn prepare(
    files: Vec<ReportFile>,
    project: &Project,
    config: &Config,
    protected: &Protected,
) -> (Vec<ReportFile>, Vec<InputError>) {
    let mut ready = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        match check(&file, project, protected).and_then(|()| clear(&file.path)) {
            Ok(()) => ready.push(file),
            Err(why) => errors.push(match file.origin {
                Origin::Config(span) => config.error_at(
                    span,
                    Text::new(
                        format!(
                            "format 的报告文件 `{}` {}：不写入",
                            file.shown.display(),
                            why.zh
                        ),
                        format!(
                            "the report file `{}` of format {}: not written",
                            file.shown.display(),
                            why.en
                        ),
                    ),
                ),
                Origin::CommandLine => InputError::whole(
                    "pdao::report",
                    &SourceFile::new(file.shown.display().to_string(), ""),
                    Text::new(
                        format!("报告文件{}：不写入", why.zh),
                        format!("the report file {}: not written", why.en),
                    ),
                ),
            }),
        }
    }
    (ready, errors)
}

/// Where `file` may be written, or why not.
fn check(file: &ReportFile, project: &Project, protected: &Protected) -> Result<(), Text> {
    let resolved = match file.origin {
        Origin::Config(_) => project.report_target(&file.path),
        Origin::CommandLine => project::no_link_below(&project.root, &file.path)
            .and_then(|()| project::resolve(&file.path)),
    }
    .map_err(|r| r.reason(project))?;
    if protected.holds(&resolved) {
        return Err(text!(
            "是本次检查读取的文件（文书或配置），不能被报告覆盖",
            "is a file this run reads (a document or a setting) and cannot be replaced by a report"
        ));
    }
    match std::fs::symlink_metadata(&file.path) {
        Ok(m) if m.file_type().is_symlink() => {
            Err(Refusal::Symlink(file.path.clone()).reason(project))
        }
        Ok(m) if m.is_dir() => Err(text!("是一个目录", "is a directory")),
        _ => Ok(()),
    }
}

/// Remove the file at `path`, if there is one, so that no stale report outlives a failed run.
fn clear(path: &Path) -> Result<(), Text> {
    // Only a file is a report that can go stale: a device or a pipe named as the target
    // (`/dev/null`, `/dev/stdout`) is written into, never removed.
    if std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_file()) {
        return Ok(());
    }
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(text!(
            "无法删除旧的报告：{}",
            "cannot remove the old report: {}",
            e
        )),
    }
}

/// Write `text` to `path` whole: into a new temporary file beside it, then renamed over it.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    // A device or a pipe named as the target is written into as it is: renaming a file over
    // it would replace the device (`/dev/full` must fail with its error, not become a file).
    if std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let mut target = std::fs::OpenOptions::new().write(true).open(path)?;
        return target
            .write_all(text.as_bytes())
            .and_then(|()| target.flush());
    }
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            dir.to_path_buf()
        }
        None => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
    let mut attempt = 0u32;
    let (tmp, mut file) = loop {
        let tmp = dir.join(format!(".{name}.{}.{attempt}.pdao-tmp", std::process::id()));
        // `create_new` fails on anything already there, a symbolic link included.
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    };
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.flush())
        // A full disk or a quota may only show when the data reaches it.
        .and_then(|()| file.sync_data())
        .and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_written_whole_and_replaces_the_old_one() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("out/r.json");
        write_atomic(&path, "one").expect("write");
        write_atomic(&path, "two").expect("write");
        assert_eq!(std::fs::read_to_string(&path).ok().as_deref(), Some("two"));
        let left: Vec<_> = std::fs::read_dir(dir.path().join("out"))
            .expect("dir")
            .collect();
        assert_eq!(left.len(), 1, "no temporary file left");
    }
}
