//! Finding the files to check: explicit files, directories walked recursively, or stdin (`-`).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::document::decode;
use crate::error::InputError;
use crate::source::SourceFile;
use crate::text;
use crate::text::Text;

/// Where a document comes from.
#[derive(Debug, Clone)]
pub enum Input {
    /// A file named on the command line: it must be a pdao document.
    Explicit(PathBuf),
    /// A file found by walking a directory: skipped (and counted) if it is not a pdao document.
    Found(PathBuf),
    /// A file found by walking a directory whose name looks like a copy of a document
    /// (`a.yaml.bak`, `a.yml~`, `a.json.orig`): reported if it holds one, since it is not
    /// checked, else skipped like any file that is not a document.
    Copy(PathBuf),
    /// Standard input.
    Stdin,
}

impl Input {
    /// Whether a file that is not a pdao document is an error (rather than skipped).
    pub fn explicit(&self) -> bool {
        matches!(self, Input::Explicit(_) | Input::Stdin)
    }

    /// The name shown to users.
    pub fn name(&self) -> String {
        match self {
            Input::Explicit(p) | Input::Found(p) | Input::Copy(p) => crate::visible::path(p),
            Input::Stdin => "<stdin>".into(),
        }
    }

    /// Read and decode the input, up to the default size limit.
    pub fn read(&self) -> Result<Arc<SourceFile>, InputError> {
        self.read_limited(crate::document::Limits::default().max_file_bytes)
    }

    /// Read and decode the input; one larger than `max_bytes` is reported and not read, so
    /// memory stays bounded whatever the file (or a pipe, or a device) holds.
    pub fn read_limited(&self, max_bytes: u64) -> Result<Arc<SourceFile>, InputError> {
        let name = self.name();
        let bytes = match self {
            Input::Explicit(p) | Input::Found(p) | Input::Copy(p) => std::fs::File::open(p)
                .map_err(Failure::Io)
                .and_then(|file| {
                    let meta = file.metadata().map_err(Failure::Io)?;
                    if meta.is_file() && meta.len() > max_bytes {
                        return Err(Failure::TooLarge(Some(meta.len())));
                    }
                    read_bounded(file, max_bytes, meta.len())
                }),
            Input::Stdin => read_bounded(std::io::stdin().lock(), max_bytes, 0),
        };
        match bytes {
            Ok(bytes) => decode(&name, bytes),
            Err(Failure::Io(e)) => Err(io_error(&name, &e)),
            Err(Failure::TooLarge(size)) => Err(too_large(&name, size, max_bytes)),
        }
    }
}

/// Read a file pdao is told to use (a configuration, calendar, exceptions file, baseline or
/// policy), shown as `name`: it must be a regular file (not a FIFO, device or directory) no
/// larger than `max_bytes`. Errors name the file and never hold its content.
pub fn read_regular(
    path: &Path,
    name: &str,
    max_bytes: u64,
) -> Result<Arc<SourceFile>, InputError> {
    decode(name, read_regular_bytes(path, name, max_bytes)?)
}

/// [`read_regular`]'s bytes, before decoding (to hash what is on disk).
pub fn read_regular_bytes(path: &Path, name: &str, max_bytes: u64) -> Result<Vec<u8>, InputError> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(name, &e))?;
    if !meta.is_file() {
        return Err(InputError::whole(
            "pdao::io",
            &SourceFile::new(name, ""),
            text!(
                "不是普通文件（目录、管道或设备），未读取",
                "not a regular file (a directory, pipe or device); not read"
            ),
        ));
    }
    if meta.len() > max_bytes {
        return Err(too_large(name, Some(meta.len()), max_bytes));
    }
    std::fs::File::open(path)
        .map_err(Failure::Io)
        .and_then(|file| read_bounded(file, max_bytes, meta.len()))
        .map_err(|f| match f {
            Failure::Io(e) => io_error(name, &e),
            Failure::TooLarge(size) => too_large(name, size, max_bytes),
        })
}

enum Failure {
    Io(std::io::Error),
    /// Larger than the limit; the size, when known before reading.
    TooLarge(Option<u64>),
}

/// Read at most `max_bytes` (one more, to tell that there is more).
fn read_bounded(source: impl Read, max_bytes: u64, hint: u64) -> Result<Vec<u8>, Failure> {
    let capacity = usize::try_from(hint.min(max_bytes)).unwrap_or(0);
    let mut buf = Vec::with_capacity(capacity);
    source
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(Failure::Io)?;
    if buf.len() as u64 > max_bytes {
        return Err(Failure::TooLarge(None));
    }
    Ok(buf)
}

/// A size in bytes as people read it: 1.5 MiB.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    let shown = format!("{value:.1}");
    let shown = shown.strip_suffix(".0").unwrap_or(&shown);
    format!("{shown} {}", UNITS.get(unit).copied().unwrap_or("TiB"))
}

/// Parse a size given on the command line: `64MiB`, `64M`, `1.5GiB`, `500k`, `1048576`.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => return Err(format!("unknown unit `{other}` (use B, KiB, MiB or GiB)")),
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size such as 64MiB"))?;
    let bytes = value * factor as f64;
    if !(bytes.is_finite() && bytes >= 1.0 && bytes <= u64::MAX as f64) {
        return Err(format!("`{text}` is not a usable size"));
    }
    Ok(bytes as u64)
}

fn too_large(name: &str, size: Option<u64>, max_bytes: u64) -> InputError {
    let limit = human_size(max_bytes);
    let message = match size {
        Some(size) => Text::new(
            format!(
                "文件大小 {}，超过每个文件 {limit} 的上限，未读取",
                human_size(size)
            ),
            format!(
                "the file is {}, larger than the limit of {limit} per file; not read",
                human_size(size)
            ),
        ),
        None => Text::new(
            format!("输入超过每个文件 {limit} 的上限，未读取"),
            format!("the input is larger than the limit of {limit} per file; not read"),
        ),
    };
    InputError::whole("pdao::file-too-large", &SourceFile::new(name, ""), message).with_help(
        Text::new(
            "若这确是一份文书，用 --max-file-size 提高上限（如 --max-file-size 256MiB）",
            "if this really is a document, raise the limit with --max-file-size (e.g. --max-file-size 256MiB)",
        ),
    )
}
fn io_error(name: &str, e: &dyn std::fmt::Display) -> InputError {
    InputError::whole(
        "pdao::io",
        &SourceFile::new(name, ""),
        text!("无法读取：{}", "cannot read: {}", e),
    )
}

/// Whether a file name looks like a document (YAML or JSON).
pub fn is_document_name(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("yaml" | "yml" | "json")
    )
}

/// Whether a file name looks like a copy of a document: a document's extension followed by
/// more that does not make another word of it (`a.yaml.bak`, `a.yml~`, `a.json.orig`,
/// `a.yaml-old`, `#a.yaml#`; not `a.json5`).
pub fn is_copy_name(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().to_lowercase()) else {
        return false;
    };
    [".yaml", ".yml", ".json"].iter().any(|ext| {
        name.match_indices(ext).any(|(at, _)| {
            name.get(at + ext.len()..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(|c| !c.is_alphanumeric())
        })
    })
}

/// Files of a walk's kind (documents' names and copies' names) that the walk left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct LeftOut {
    /// Matched by the configuration's `exclude` (files in excluded directories included).
    pub excluded: usize,
    /// Matched by `.gitignore` (or `.git/info/exclude`).
    pub ignored: usize,
}

/// What collecting the command-line paths found.
#[derive(Default)]
pub struct Collected {
    /// The inputs, in a stable order.
    pub inputs: Vec<Input>,
    /// Paths that do not exist, unreadable directories, symlink loops.
    pub errors: Vec<InputError>,
    /// Files the walks left out, by why.
    pub left_out: LeftOut,
}

/// A test on paths found by walking: `true` leaves the path (and, for a directory, all
/// below it) out.
pub type Exclusion = Arc<dyn Fn(&Path) -> bool + Send + Sync>;

/// How directories are walked.
#[derive(Clone)]
pub struct Walk {
    /// Respect `.gitignore` files (and `.git/info/exclude`), inside a git checkout or not.
    pub gitignore: bool,
    /// Walk hidden files and directories too (never `.git`).
    pub hidden: bool,
    /// Paths not to enter or check (tested on each entry found by walking, not on paths named
    /// on the command line).
    pub excluded: Option<Exclusion>,
}

impl Default for Walk {
    fn default() -> Self {
        Walk {
            gitignore: true,
            hidden: false,
            excluded: None,
        }
    }
}

/// Expand command-line paths into inputs, in a stable order. Errors (a missing path, an
/// unreadable directory, a symlink loop) are returned beside the inputs that could be found.
pub fn collect(paths: &[PathBuf]) -> (Vec<Input>, Vec<InputError>) {
    collect_with(paths, &Walk::default())
}

/// [`collect`] with walking options: directories are walked in file-name order, hidden
/// entries skipped, symbolic links not followed, `.gitignore` respected unless turned off.
pub fn collect_with(paths: &[PathBuf], walk: &Walk) -> (Vec<Input>, Vec<InputError>) {
    let found = collect_counted(paths, walk);
    (found.inputs, found.errors)
}

/// [`collect_with`], also counting the files of a walk's kind that `exclude` and `.gitignore`
/// left out, so that a report can say what was not checked.
pub fn collect_counted(paths: &[PathBuf], walk: &Walk) -> Collected {
    let (inputs, errors) = walk_paths(paths, walk);
    let left_out = if walk.gitignore || walk.excluded.is_some() {
        let taken: std::collections::HashSet<&Path> = inputs
            .iter()
            .filter_map(|i| match i {
                Input::Found(p) | Input::Copy(p) => Some(p.as_path()),
                _ => None,
            })
            .collect();
        count_left_out(paths, walk, &taken)
    } else {
        LeftOut::default()
    };
    Collected {
        inputs,
        errors,
        left_out,
    }
}

/// Whether a walk looks at a file of this name at all.
fn walked_name(path: &Path) -> bool {
    is_document_name(path) || is_copy_name(path)
}

/// A second walk over the directories in `paths`, without `.gitignore`: the files of a walk's
/// kind that are excluded, and those the first walk did not take (`taken`), which `.gitignore`
/// left out. It reads directories only, never files.
fn count_left_out(
    paths: &[PathBuf],
    walk: &Walk,
    taken: &std::collections::HashSet<&Path>,
) -> LeftOut {
    let excluded_count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut ignored = 0;
    for path in paths {
        if path.as_os_str() == "-" || !path.is_dir() {
            continue;
        }
        let mut builder = ignore::WalkBuilder::new(path);
        builder
            .follow_links(false)
            .hidden(true)
            .parents(false)
            .ignore(false)
            .git_global(false)
            .git_ignore(false)
            .git_exclude(false)
            .require_git(false);
        if let Some(excluded) = walk.excluded.clone() {
            let count = std::sync::Arc::clone(&excluded_count);
            builder.filter_entry(move |e| {
                if e.depth() == 0 || !excluded(e.path()) {
                    return true;
                }
                let n = if e.file_type().is_some_and(|t| t.is_dir()) {
                    files_under(e.path())
                } else {
                    usize::from(e.file_type().is_some_and(|t| t.is_file()) && walked_name(e.path()))
                };
                count.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
                false
            });
        }
        for entry in builder.build().flatten() {
            if entry.file_type().is_some_and(|t| t.is_file())
                && walked_name(entry.path())
                && !taken.contains(entry.path())
            {
                ignored += 1;
            }
        }
    }
    LeftOut {
        excluded: excluded_count.load(std::sync::atomic::Ordering::Relaxed),
        ignored: if walk.gitignore { ignored } else { 0 },
    }
}

/// Files of a walk's kind under `dir` (hidden entries and links left out, as in a walk).
fn files_under(dir: &Path) -> usize {
    ignore::WalkBuilder::new(dir)
        .follow_links(false)
        .hidden(true)
        .parents(false)
        .ignore(false)
        .git_global(false)
        .git_ignore(false)
        .git_exclude(false)
        .require_git(false)
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()) && walked_name(e.path()))
        .count()
}

fn walk_paths(paths: &[PathBuf], walk: &Walk) -> (Vec<Input>, Vec<InputError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => errors.push(io_error(&crate::visible::path(path), &e)),
            Ok(meta) if meta.is_dir() => {
                let mut builder = ignore::WalkBuilder::new(path);
                builder
                    .follow_links(false)
                    .hidden(!walk.hidden)
                    .parents(walk.gitignore)
                    .ignore(false)
                    .git_global(false)
                    .git_ignore(walk.gitignore)
                    .git_exclude(walk.gitignore)
                    .require_git(false)
                    .sort_by_file_name(|a, b| a.cmp(b));
                let excluded = walk.excluded.clone();
                builder.filter_entry(move |e| {
                    e.depth() == 0
                        || (e.file_name() != ".git"
                            && !excluded.as_ref().is_some_and(|x| x(e.path())))
                });
                for entry in builder.build() {
                    match entry {
                        Ok(e)
                            if e.file_type().is_some_and(|t| t.is_file())
                                && is_document_name(e.path()) =>
                        {
                            inputs.push(Input::Found(e.path().to_path_buf()));
                        }
                        Ok(e)
                            if e.file_type().is_some_and(|t| t.is_file())
                                && is_copy_name(e.path()) =>
                        {
                            inputs.push(Input::Copy(e.path().to_path_buf()));
                        }
                        Ok(_) => {}
                        Err(e) => errors.push(walk_error(path, &e)),
                    }
                }
            }
            Ok(_) => inputs.push(Input::Explicit(path.clone())),
        }
    }
    (inputs, errors)
}

/// A walk error, named by the path it is about where the walker says.
fn walk_error(root: &Path, e: &ignore::Error) -> InputError {
    fn path_of(e: &ignore::Error) -> Option<&Path> {
        match e {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            ignore::Error::Loop { child, .. } => Some(child),
            _ => None,
        }
    }
    let name = crate::visible::path(path_of(e).unwrap_or(root));
    io_error(&name, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_of_documents_are_told_by_their_names() {
        for name in [
            "a.yaml.bak",
            "a.yml~",
            "a.json.orig",
            "a.YAML.old",
            "#a.yaml#",
            "a.yaml-2025",
            "a.yaml.j2",
        ] {
            assert!(is_copy_name(Path::new(name)), "{name}");
        }
        for name in ["a.yaml", "a.json5", "a.yamllint", "notes.txt", "yaml.bak"] {
            assert!(!is_copy_name(Path::new(name)), "{name}");
        }
    }
}
