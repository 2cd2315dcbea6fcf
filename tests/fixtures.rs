//! One test per fixture case (tests/fixtures/<kind>/<RULE>.yaml), generated at run time, so that
//! adding a case needs no Rust code. See tests/fixtures/README.md for the format.

mod common;

use std::path::Path;

use libtest_mimic::{Arguments, Failed, Trial};
use pdao::FileOutcome;
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FixtureFile {
    rule: String,
    base: String,
    /// Other documents checked in the same set (cross-document rules).
    #[serde(default)]
    with: Vec<String>,
    cases: Vec<Case>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(default)]
    set: serde_json::Map<String, Value>,
    #[serde(default)]
    remove: Vec<String>,
    expect: String,
    #[serde(default)]
    at: Option<String>,
    /// Judge deadlines as of this date (default: tests/common AS_OF).
    #[serde(default)]
    as_of: Option<String>,
    /// Edits to the other documents, by their id.
    #[serde(default)]
    with_set: std::collections::BTreeMap<String, serde_json::Map<String, Value>>,
    /// Removals from the other documents, by their id.
    #[serde(default)]
    with_remove: std::collections::BTreeMap<String, Vec<String>>,
    /// Other documents left out of the set for this case (by id).
    #[serde(default)]
    without: Vec<String>,
    /// The measure's issuance date for Art. 45's validity window (unknown by default).
    #[serde(default)]
    in_force_from: Option<String>,
    /// The rule's findings are the document's only findings (a scope rule that rules the
    /// document out of the measure).
    #[serde(default)]
    only: bool,
    /// The finding at `at` is the only one there: no other rule and not the schema reports the
    /// same place (one defect, one finding). Review items do not count.
    #[serde(default)]
    alone: bool,
}

fn run_case(file: &Path, fixture: &FixtureFile, case: &Case) -> Result<(), Failed> {
    let mut doc = common::read_json(&common::root().join(&fixture.base));
    for p in &case.remove {
        common::remove(&mut doc, p)?;
    }
    for (p, v) in &case.set {
        common::set(&mut doc, p, v.clone())?;
    }
    let name = format!("{}#{}.json", file.display(), case.name);
    let mut others = Vec::new();
    for path in &fixture.with {
        let mut other = common::read_json(&common::root().join(path));
        let id = other["id"].as_str().unwrap_or_default().to_string();
        if case.without.contains(&id) {
            continue;
        }
        for p in case.with_remove.get(&id).into_iter().flatten() {
            common::remove(&mut other, p)?;
        }
        for (p, v) in case.with_set.get(&id).into_iter().flatten() {
            common::set(&mut other, p, v.clone())?;
        }
        others.push((format!("{path}#{}.json", case.name), other));
    }
    let outcome = common::check_set_as_of(
        &name,
        &doc,
        &others,
        case.as_of.as_deref(),
        case.in_force_from.as_deref(),
    );
    let findings = match outcome {
        FileOutcome::Checked { findings, .. } => findings,
        other => return Err(format!("the case was not checked: {other:?}").into()),
    };
    let mine: Vec<_> = findings.iter().filter(|f| f.rule == fixture.rule).collect();
    let schema = fixture.rule == pdao::finding::SCHEMA_RULE_ID;
    if !schema && common::checker().pack.rule(&fixture.rule).is_none() {
        return Err(format!("no rule {} in the built-in pack", fixture.rule).into());
    }
    match case.expect.as_str() {
        "pass" => {
            if let Some(f) = mine.first() {
                return Err(format!(
                    "expected no {} finding, got {} at {}: {}",
                    fixture.rule,
                    f.severity.name(),
                    f.pointer,
                    f.detail.zh
                )
                .into());
            }
        }
        severity @ ("error" | "warning" | "info" | "review") => {
            let Some(f) = mine.iter().find(|f| f.severity.name() == severity) else {
                let got: Vec<String> = mine
                    .iter()
                    .map(|f| format!("{} at {}", f.severity.name(), f.pointer))
                    .collect();
                return Err(
                    format!("expected a {severity} from {}, got {:?}", fixture.rule, got).into(),
                );
            };
            if let Some(at) = &case.at {
                if !mine
                    .iter()
                    .any(|f| f.severity.name() == severity && &f.pointer == at)
                {
                    return Err(format!(
                        "expected the {severity} at {at}, got it at {}",
                        f.pointer
                    )
                    .into());
                }
                if case.alone {
                    let others: Vec<String> = findings
                        .iter()
                        .filter(|o| {
                            &o.pointer == at
                                && o.severity != pdao::severity::Severity::Review
                                && !(o.rule == fixture.rule && o.severity.name() == severity)
                        })
                        .map(|o| format!("{} {}: {}", o.rule, o.severity.name(), o.detail.zh))
                        .collect();
                    if !others.is_empty() {
                        return Err(format!("{at} is also reported by {others:#?}").into());
                    }
                }
            } else if case.alone {
                return Err("`alone` needs `at`".into());
            }
        }
        other => return Err(format!("unknown expectation `{other}`").into()),
    }
    if case.only {
        let others: Vec<String> = findings
            .iter()
            .filter(|f| f.rule != fixture.rule)
            .map(|f| format!("{} {} at {}", f.rule, f.severity.name(), f.pointer))
            .collect();
        if !others.is_empty() {
            return Err(format!(
                "expected only {} findings, also got {others:?}",
                fixture.rule
            )
            .into());
        }
    }
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    for file in common::files_under(&common::root().join("tests/fixtures"), &["yaml", "yml"]) {
        let rel = file
            .strip_prefix(common::root())
            .unwrap_or(&file)
            .display()
            .to_string();
        let parsed: Result<FixtureFile, String> =
            serde_json::from_value(common::read_json(&file)).map_err(|e| e.to_string());
        match parsed {
            Err(e) => trials.push(Trial::test(rel.clone(), move || {
                Err(format!("malformed fixture file: {e}").into())
            })),
            Ok(fixture) => {
                let fixture = std::sync::Arc::new(fixture);
                for case in fixture.cases.clone() {
                    let (file, fixture) = (file.clone(), std::sync::Arc::clone(&fixture));
                    trials.push(Trial::test(format!("{rel}::{}", case.name), move || {
                        run_case(&file, &fixture, &case)
                    }));
                }
            }
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
