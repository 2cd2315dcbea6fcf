//! Shared helpers for the integration tests: the built-in checker and fixture application.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use pdao::document::{yaml, Limits};
use pdao::source::SourceFile;
use pdao::Checker;
use serde_json::Value;

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The built-in checker, loaded once; the built-in pack must load without errors.
pub fn checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(|| {
        let (checker, errors) = Checker::builtin().unwrap_or_else(|e| panic!("{e:?}"));
        assert!(errors.is_empty(), "built-in pack has errors: {errors:#?}");
        checker
    })
}

/// Parse a YAML/JSON file of the crate into JSON.
pub fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file = SourceFile::new(path.display().to_string(), text);
    yaml::parse(&file, Limits::default())
        .unwrap_or_else(|e| panic!("{}: {:?}", path.display(), e.message))
        .to_json()
}

/// Files under `dir` (recursively) whose name ends with one of `exts`, sorted.
pub fn files_under(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| exts.contains(&e))
        })
        .collect();
    out.sort();
    out
}

/// A built-in checker with Art. 45's window starting at `in_force_from`, loaded once per date.
pub fn checker_in_force(in_force_from: Option<&str>) -> &'static Checker {
    use std::collections::HashMap;
    use std::sync::Mutex;
    let Some(date) = in_force_from else {
        return checker();
    };
    static CHECKERS: OnceLock<Mutex<HashMap<String, &'static Checker>>> = OnceLock::new();
    let mut map = CHECKERS
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .expect("lock");
    map.entry(date.to_string()).or_insert_with(|| {
        let (mut c, _) = Checker::builtin().unwrap_or_else(|e| panic!("{e:?}"));
        c.in_force_from = pdao::dates::parse_date(date);
        assert!(
            c.in_force_from.is_some(),
            "in_force_from {date} is not a date"
        );
        Box::leak(Box::new(c))
    })
}

/// The date fixtures and sample checks are judged at, unless a case names its own.
pub const AS_OF: &str = "2026-11-27";

/// Check a JSON value as a document named `name`, as of `as_of` (default [`AS_OF`]).
pub fn check_value_as_of(
    name: &str,
    value: &serde_json::Value,
    as_of: Option<&str>,
) -> pdao::FileOutcome {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    let date = pdao::dates::parse_date(as_of.unwrap_or(AS_OF)).expect("as_of is a date");
    checker().check_file_as_of(&SourceFile::new(name, text), true, date)
}

/// Check a JSON value as a document named `name` together with `others`; the outcome of the first.
pub fn check_set_as_of(
    name: &str,
    value: &serde_json::Value,
    others: &[(String, serde_json::Value)],
    as_of: Option<&str>,
    in_force_from: Option<&str>,
) -> pdao::FileOutcome {
    let date = pdao::dates::parse_date(as_of.unwrap_or(AS_OF)).expect("as_of is a date");
    let mut files = vec![SourceFile::new(
        name,
        serde_json::to_string_pretty(value).unwrap_or_default(),
    )];
    files.extend(others.iter().map(|(n, v)| {
        SourceFile::new(
            n.as_str(),
            serde_json::to_string_pretty(v).unwrap_or_default(),
        )
    }));
    checker_in_force(in_force_from)
        .check_set_as_of(&files, date)
        .into_iter()
        .next()
        .map(|r| r.outcome)
        .expect("one outcome per file")
}

/// Check JSON values as one set (each `(file name, value)`); the report of every file.
pub fn check_set_reports(
    first: &(String, serde_json::Value),
    others: &[(String, serde_json::Value)],
    as_of: Option<&str>,
    in_force_from: Option<&str>,
) -> Vec<pdao::FileReport> {
    let date = pdao::dates::parse_date(as_of.unwrap_or(AS_OF)).expect("as_of is a date");
    let files: Vec<_> = std::iter::once(first)
        .chain(others)
        .map(|(n, v)| {
            SourceFile::new(
                n.as_str(),
                serde_json::to_string_pretty(v).unwrap_or_default(),
            )
        })
        .collect();
    checker_in_force(in_force_from).check_set_as_of(&files, date)
}

/// Check a JSON value as a document named `name`, as of [`AS_OF`].
pub fn check_value(name: &str, value: &serde_json::Value) -> pdao::FileOutcome {
    check_value_as_of(name, value, None)
}

/// Check a file of the crate.
pub fn check_path(path: &Path) -> pdao::FileOutcome {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path
        .strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string();
    let date = pdao::dates::parse_date(AS_OF).expect("as_of is a date");
    checker().check_file_as_of(&SourceFile::new(name, text), true, date)
}

/// Shorthand for an `Arc<SourceFile>`.
pub fn source(name: &str, text: &str) -> Arc<SourceFile> {
    SourceFile::new(name, text)
}

fn steps(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

/// Set the value at `path` (field names joined by `/`, list indexes as numbers; the index just
/// past a list's end appends), creating parents.
pub fn set(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let parts = steps(path);
    let Some((last, parents)) = parts.split_last() else {
        return Err("empty path".into());
    };
    let mut node = doc;
    for part in parents {
        node = match node {
            Value::Array(items) => {
                let i: usize = part
                    .parse()
                    .map_err(|_| format!("`{part}` indexes a list"))?;
                items
                    .get_mut(i)
                    .ok_or_else(|| format!("no item {i} in {path}"))?
            }
            Value::Object(map) => map
                .entry(part.to_string())
                .or_insert_with(|| Value::Object(Default::default())),
            _ => return Err(format!("{path}: `{part}` is inside a scalar")),
        };
    }
    match node {
        Value::Array(items) => {
            let i: usize = last
                .parse()
                .map_err(|_| format!("`{last}` indexes a list"))?;
            // The index just past the end appends an item.
            if i == items.len() {
                items.push(value);
            } else {
                *items
                    .get_mut(i)
                    .ok_or_else(|| format!("no item {i} in {path}"))? = value;
            }
        }
        Value::Object(map) => {
            map.insert(last.to_string(), value);
        }
        _ => return Err(format!("{path}: parent is a scalar")),
    }
    Ok(())
}

/// Remove the value at `path`; an error when there is nothing there.
pub fn remove(doc: &mut Value, path: &str) -> Result<(), String> {
    let parts = steps(path);
    let Some((last, parents)) = parts.split_last() else {
        return Err("empty path".into());
    };
    let mut node = doc;
    for part in parents {
        node = match node {
            Value::Array(items) => part.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
            Value::Object(map) => map.get_mut(*part),
            _ => None,
        }
        .ok_or_else(|| format!("remove {path}: no `{part}`"))?;
    }
    let removed = match node {
        Value::Array(items) => last
            .parse::<usize>()
            .ok()
            .filter(|i| *i < items.len())
            .map(|i| items.remove(i)),
        Value::Object(map) => map.remove(*last),
        _ => None,
    };
    removed
        .map(|_| ())
        .ok_or_else(|| format!("remove {path}: nothing there"))
}
