//! Finding the files to check: explicit files, directories walked recursively, or stdin (`-`).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use walkdir::WalkDir;

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

/// Expand command-line paths into inputs, in a stable order. Errors (a missing path, an
/// unreadable directory, a symlink loop) are returned beside the inputs that could be found.
pub fn collect(paths: &[PathBuf]) -> (Vec<Input>, Vec<InputError>) {
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
                let walker = WalkDir::new(path)
                    .follow_links(false)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_entry(|e| {
                        e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                    });
                for entry in walker {
                    match entry {
                        Ok(e) if e.file_type().is_file() && is_document_name(e.path()) => {
                            inputs.push(Input::Found(e.path().to_path_buf()));
                        }
                        Ok(_) => {}
                        Err(e) => {
                            let name = e.path().map_or_else(
                                || path.display().to_string(),
                                |p| p.display().to_string(),
                            );
                            errors.push(io_error(&name, &e));
                        }
                    }
                }
            }
            Ok(_) => inputs.push(Input::Explicit(path.clone())),
        }
    }
    (inputs, errors)
}
