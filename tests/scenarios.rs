//! The legal scenario suite (tests/scenarios/NNN.yaml, see its README): documents built from the
//! clean samples by changing one thing, with the citations a reviewer expects, written from the
//! measure's text. One test per scenario; the run also prints recall (expected citations found)
//! and false errors (error findings no scenario expects).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use libtest_mimic::{Arguments, Trial};
use pdao::{FileOutcome, FileReport};
use serde::Deserialize;
use serde_json::Value;

const DEFAULT_BASE: &str = "samples/repo-guangzhou-transport";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    article: u32,
    scenarios: Vec<Scenario>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Type {
    Breach,
    Clean,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    #[serde(default)]
    set: serde_json::Map<String, Value>,
    #[serde(default)]
    remove: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Added {
    from: String,
    #[serde(default)]
    set: serde_json::Map<String, Value>,
    #[serde(default)]
    remove: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expectation {
    document: String,
    #[serde(default)]
    citation: Option<String>,
    #[serde(default)]
    pointer: Option<String>,
    severity: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    name: String,
    #[serde(rename = "type")]
    kind: Type,
    sentence: String,
    #[serde(default)]
    base: Option<String>,
    #[serde(default)]
    only: Option<Vec<String>>,
    #[serde(default)]
    without: Vec<String>,
    #[serde(default)]
    edit: BTreeMap<String, Edit>,
    #[serde(default)]
    add: Vec<Added>,
    #[serde(default)]
    as_of: Option<String>,
    #[serde(default)]
    in_force_from: Option<String>,
    #[serde(default)]
    expect: Vec<Expectation>,
}

/// What one scenario came to.
#[derive(Default)]
struct Verdict {
    expected: usize,
    found: usize,
    false_errors: usize,
    problems: Vec<String>,
}

/// The base documents of a scenario, by id, in file order.
fn base_documents(base: &str) -> Result<Vec<(String, Value)>, String> {
    let path = common::root().join(base);
    let files: Vec<PathBuf> = if path.is_dir() {
        common::files_under(&path, &["yaml", "yml", "json"])
    } else if path.is_file() {
        vec![path]
    } else {
        return Err(format!("base {base} does not exist"));
    };
    Ok(files
        .iter()
        .map(|f| {
            let doc = common::read_json(f);
            let id = doc["id"].as_str().unwrap_or_default().to_string();
            (id, doc)
        })
        .collect())
}

fn apply(
    doc: &mut Value,
    set: &serde_json::Map<String, Value>,
    remove: &[String],
) -> Result<(), String> {
    for p in remove {
        common::remove(doc, p)?;
    }
    for (p, v) in set {
        common::set(doc, p, v.clone())?;
    }
    Ok(())
}

/// The documents of a scenario, edited, as (file name, value).
fn documents(s: &Scenario) -> Result<Vec<(String, Value)>, String> {
    let mut docs = base_documents(s.base.as_deref().unwrap_or(DEFAULT_BASE))?;
    for id in s
        .edit
        .keys()
        .chain(&s.without)
        .chain(s.only.iter().flatten())
    {
        if !docs.iter().any(|(d, _)| d == id) {
            return Err(format!("no document {id} in the base"));
        }
    }
    let mut added = Vec::new();
    for a in &s.add {
        let (_, from) = docs
            .iter()
            .find(|(d, _)| *d == a.from)
            .ok_or_else(|| format!("add: no document {} in the base", a.from))?;
        let mut doc = from.clone();
        apply(&mut doc, &a.set, &a.remove)?;
        let id = doc["id"].as_str().unwrap_or_default().to_string();
        added.push((id, doc));
    }
    docs.retain(|(id, _)| {
        !s.without.contains(id) && s.only.as_ref().is_none_or(|only| only.contains(id))
    });
    for (id, doc) in &mut docs {
        if let Some(edit) = s.edit.get(id) {
            apply(doc, &edit.set, &edit.remove)?;
        }
    }
    docs.extend(added);
    Ok(docs
        .into_iter()
        .enumerate()
        .map(|(i, (id, doc))| (format!("{:02}-{id}.json", i + 1), doc))
        .collect())
}

fn judge(file: &Path, article: u32, s: &Scenario) -> Verdict {
    let mut v = Verdict {
        expected: s.expect.len(),
        ..Verdict::default()
    };
    let checker = common::checker();
    let sentence = pdao::measure::fold(&s.sentence);
    let in_article = checker
        .pack
        .measure
        .article(article)
        .is_some_and(|a| pdao::measure::fold(&a.full_text()).contains(&sentence));
    if !in_article {
        v.problems.push(format!(
            "the sentence is not in 第{}条: {}",
            pdao::measure::chinese_number(article),
            s.sentence
        ));
    }
    if s.kind == Type::Clean && s.expect.iter().any(|e| e.severity == "error") {
        v.problems
            .push("a clean scenario expects an error".to_string());
    }
    let docs = match documents(s) {
        Ok(docs) => docs,
        Err(e) => {
            v.problems.push(format!("{}: {e}", file.display()));
            return v;
        }
    };
    let (first, others) = match docs.split_first() {
        Some(split) => split,
        None => {
            v.problems.push("no documents".to_string());
            return v;
        }
    };
    let reports: Vec<FileReport> = common::check_set_reports(
        first,
        others,
        s.as_of.as_deref(),
        s.in_force_from.as_deref(),
    );
    let mut findings = Vec::new();
    for r in &reports {
        match &r.outcome {
            FileOutcome::Checked { findings: f, .. } => findings.extend(f.iter()),
            FileOutcome::Skipped => v.problems.push(format!("{} was skipped", r.name)),
            FileOutcome::Failed(e) => v
                .problems
                .push(format!("{} could not be checked: {}", r.name, e.message.zh)),
        }
    }
    for e in &s.expect {
        let hit = findings.iter().any(|f| {
            f.document == e.document
                && f.severity.name() == e.severity
                && e.citation.as_ref().is_none_or(|c| &f.citation_zh == c)
                && e.pointer.as_ref().is_none_or(|p| &f.pointer == p)
        });
        if hit {
            v.found += 1;
        } else {
            let near: Vec<String> = findings
                .iter()
                .filter(|f| f.document == e.document)
                .filter(|f| {
                    e.citation.as_ref().is_none_or(|c| &f.citation_zh == c)
                        && e.pointer.as_ref().is_none_or(|p| &f.pointer == p)
                })
                .map(|f| {
                    format!(
                        "{} {} {} at {}",
                        f.rule,
                        f.severity.name(),
                        f.citation_zh,
                        f.pointer
                    )
                })
                .collect();
            v.problems.push(format!(
                "missed: {} {} {} {} (at that place pdao said: {near:?})",
                e.document,
                e.severity,
                e.citation.as_deref().unwrap_or("(any citation)"),
                e.pointer.as_deref().unwrap_or(""),
            ));
        }
    }
    for f in findings.iter().filter(|f| f.severity.name() == "error") {
        let expected = s.expect.iter().any(|e| {
            e.document == f.document
                && match (&e.citation, &e.pointer) {
                    (Some(c), _) => &f.citation_zh == c,
                    (None, Some(p)) => &f.pointer == p,
                    (None, None) => false,
                }
        });
        if !expected {
            v.false_errors += 1;
            v.problems.push(format!(
                "unexpected error: {} {} {} at {}: {}",
                f.document, f.rule, f.citation_zh, f.pointer, f.detail.zh
            ));
        }
    }
    v
}

fn main() {
    let args = Arguments::from_args();
    let dir = common::root().join("tests/scenarios");
    let mut trials = Vec::new();
    let (mut breach, mut clean, mut expected, mut found, mut false_errors) = (0, 0, 0, 0, 0);
    for file in common::files_under(&dir, &["yaml", "yml"]) {
        let rel = file
            .strip_prefix(common::root())
            .unwrap_or(&file)
            .display()
            .to_string();
        let parsed: Result<ScenarioFile, String> =
            serde_json::from_value(common::read_json(&file)).map_err(|e| e.to_string());
        let scenarios = match parsed {
            Ok(f) => f,
            Err(e) => {
                trials.push(Trial::test(rel, move || {
                    Err(format!("malformed scenario file: {e}").into())
                }));
                continue;
            }
        };
        let stem_article = file
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(|s| s.parse::<u32>().ok());
        if stem_article != Some(scenarios.article) {
            let article = scenarios.article;
            trials.push(Trial::test(rel.clone(), move || {
                Err(format!("the file is named for another article than {article}").into())
            }));
        }
        let mut names = std::collections::HashSet::new();
        for s in &scenarios.scenarios {
            let mut verdict = judge(&file, scenarios.article, s);
            if !names.insert(s.name.clone()) {
                verdict
                    .problems
                    .push("two scenarios have this name".to_string());
            }
            match s.kind {
                Type::Breach => breach += 1,
                Type::Clean => clean += 1,
            }
            expected += verdict.expected;
            found += verdict.found;
            false_errors += verdict.false_errors;
            let problems = verdict.problems;
            trials.push(Trial::test(format!("{rel}::{}", s.name), move || {
                if problems.is_empty() {
                    Ok(())
                } else {
                    Err(problems.join("\n").into())
                }
            }));
        }
    }
    let recall = if expected == 0 {
        100.0
    } else {
        found as f64 * 100.0 / expected as f64
    };
    eprintln!(
        "legal scenarios: {} ({breach} breach, {clean} clean); expected citations found: \
         {found}/{expected} ({recall:.1} %); unexpected errors: {false_errors}",
        breach + clean
    );
    libtest_mimic::run(&args, trials).exit();
}
