//! Finding the files to check: explicit files, directories walked recursively, or stdin (`-`).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::document::decode;
use crate::error::InputError;
use crate::source::SourceFile;
use crate::text;

/// Where a document comes from.
#[derive(Debug, Clone)]
pub enum Input {
    /// A file named on the command line: it must be a pdao document.
    Explicit(PathBuf),
    /// A file found by walking a directory: skipped quietly if it is not a pdao document.
    Found(PathBuf),
    /// Standard input.
    Stdin,
}

impl Input {
    /// Whether a file that is not a pdao document is an error (rather than skipped).
    pub fn explicit(&self) -> bool {
        !matches!(self, Input::Found(_))
    }

    /// The name shown to users.
    pub fn name(&self) -> String {
        match self {
            Input::Explicit(p) | Input::Found(p) => p.display().to_string(),
            Input::Stdin => "<stdin>".into(),
        }
    }

    /// Read and decode the input.
    pub fn read(&self) -> Result<Arc<SourceFile>, InputError> {
        let name = self.name();
        let bytes = match self {
            Input::Explicit(p) | Input::Found(p) => std::fs::read(p),
            Input::Stdin => {
                let mut buf = Vec::new();
                std::io::stdin().read_to_end(&mut buf).map(|_| buf)
            }
        };
        match bytes {
            Ok(bytes) => decode(&name, bytes),
            Err(e) => Err(io_error(&name, &e)),
        }
    }
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

/// A test on paths found by walking: `true` leaves the path (and, for a directory, all
/// below it) out.
pub type Exclusion = Arc<dyn Fn(&Path) -> bool + Send + Sync>;

/// How directories are walked.
#[derive(Clone)]
pub struct Walk {
    /// Respect `.gitignore` files (and `.git/info/exclude`), inside a git checkout or not.
    pub gitignore: bool,
    /// Paths not to enter or check (tested on each entry found by walking, not on paths named
    /// on the command line).
    pub excluded: Option<Exclusion>,
}

impl Default for Walk {
    fn default() -> Self {
        Walk {
            gitignore: true,
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
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => errors.push(io_error(&path.display().to_string(), &e)),
            Ok(meta) if meta.is_dir() => {
                let mut builder = ignore::WalkBuilder::new(path);
                builder
                    .follow_links(false)
                    .hidden(true)
                    .parents(walk.gitignore)
                    .ignore(false)
                    .git_global(false)
                    .git_ignore(walk.gitignore)
                    .git_exclude(walk.gitignore)
                    .require_git(false)
                    .sort_by_file_name(|a, b| a.cmp(b));
                if let Some(excluded) = walk.excluded.clone() {
                    builder.filter_entry(move |e| e.depth() == 0 || !excluded(e.path()));
                }
                for entry in builder.build() {
                    match entry {
                        Ok(e)
                            if e.file_type().is_some_and(|t| t.is_file())
                                && is_document_name(e.path()) =>
                        {
                            inputs.push(Input::Found(e.path().to_path_buf()));
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
    let name = path_of(e).unwrap_or(root).display().to_string();
    io_error(&name, e)
}
