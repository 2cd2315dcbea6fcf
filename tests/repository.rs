//! Plan repositories: the documents of one run form a set, and cross-document rules hold between
//! them. The sample repository passes clean; its broken variant yields every cross-document
//! finding, each showing both places.

mod common;

use std::collections::BTreeSet;

use assert_cmd::Command;
use serde_json::Value;

const CLEAN: &str = "samples/repo-guangzhou-transport";
const BROKEN: &str = "samples/repo-guangzhou-transport-broken";

fn check(args: &[&str]) -> (i32, Value) {
    let out = Command::cargo_bin("pdao")
        .expect("binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "--as-of",
            common::AS_OF,
            "--unresolved",
            "error",
            "check",
            "--format",
            "json",
        ])
        .args(args)
        .output()
        .expect("runs");
    let json = serde_json::from_slice(&out.stdout).expect("json");
    (out.status.code().unwrap_or(-1), json)
}

/// Ids of rules that compare documents.
fn cross_document_rules() -> BTreeSet<String> {
    common::checker()
        .pack
        .rules
        .iter()
        .filter(|r| matches!(&r.body, pdao::rules::RuleBody::Check(c) if c.is_cross_document()))
        .map(|r| r.id.clone())
        .collect()
}

#[test]
fn the_sample_repository_is_clean_as_a_set() {
    let (code, json) = check(&[CLEAN]);
    let problems: Vec<String> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] != "review")
        .map(|f| {
            format!(
                "{} {} {} {}",
                f["rule"], f["file"], f["pointer"], f["detail"]
            )
        })
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(code, 0);
    assert_eq!(json["summary"]["documents"], 10);
}

#[test]
fn the_broken_repository_yields_every_cross_document_finding_with_both_places() {
    let (code, json) = check(&[BROKEN]);
    assert_eq!(code, 1);
    let findings = json["findings"].as_array().expect("findings");
    let mut fired = BTreeSet::new();
    for f in findings {
        let rule = f["rule"].as_str().unwrap_or_default().to_string();
        if !cross_document_rules().contains(&rule) {
            continue;
        }
        assert_ne!(
            f["unresolved"], true,
            "every reference resolves in the repository: {f}"
        );
        let related = f["related"]
            .as_array()
            .unwrap_or_else(|| panic!("no related location: {f}"));
        let other = related.first().expect("a related location");
        assert_ne!(
            other["file"], f["file"],
            "the other place is in another document: {f}"
        );
        assert!(other["line"].as_u64().is_some_and(|l| l > 0), "{f}");
        fired.insert(rule);
    }
    let missing: Vec<_> = cross_document_rules().difference(&fired).cloned().collect();
    assert!(
        missing.is_empty(),
        "the broken repository does not exercise {missing:?}"
    );
}

#[test]
fn the_human_report_shows_both_documents() {
    let out = Command::cargo_bin("pdao")
        .expect("binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["--as-of", common::AS_OF, "check", BROKEN])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let block = text
        .split("warning[GD19-P1x]")
        .nth(1)
        .expect("GD19-P1x is reported");
    let block = block
        .split(['\n'])
        .take_while(|l| !l.starts_with("error[") && !l.starts_with("warning["))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(block.contains("04-agreement.yaml:"), "{block}");
    assert!(block.contains("01-plan.yaml:"), "{block}");
    assert!(block.contains("相关文书"), "{block}");
}

#[test]
fn references_outside_the_set_are_reported_not_passed() {
    let (code, json) = check(&[&format!("{CLEAN}/04-agreement.yaml")]);
    assert_eq!(code, 1, "--unresolved error makes them fail");
    let unresolved: BTreeSet<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["unresolved"] == true)
        .filter_map(|f| f["rule"].as_str())
        .collect();
    for rule in ["GD19-P1x", "GD19-P1y", "GD19-P1z", "GD20-05x"] {
        assert!(
            unresolved.contains(rule),
            "{rule} not reported as unresolved: {unresolved:?}"
        );
    }
}

#[test]
fn a_duplicate_id_names_both_places_and_stops_the_run() {
    let dir = tempfile::tempdir().expect("tmp");
    let agreement = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(CLEAN)
            .join("04-agreement.yaml"),
    )
    .expect("sample");
    std::fs::write(dir.path().join("a.yaml"), &agreement).expect("write");
    std::fs::write(dir.path().join("b.yaml"), &agreement).expect("write");
    let (code, json) = check(&[dir.path().to_str().expect("utf-8")]);
    assert_eq!(code, 2);
    let error = json["errors"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["code"] == "pdao::duplicate-id"))
        .expect("duplicate id reported");
    assert!(
        error["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("b.yaml")),
        "{error}"
    );
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("a.yaml:")),
        "{error}"
    );
}

/// The clean repository copied to a temporary directory, with `edits` applied (file, from, to).
fn edited_copy(edits: &[(&str, &str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(CLEAN);
    for entry in std::fs::read_dir(&from).expect("read") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("name").to_owned();
        std::fs::copy(&path, dir.path().join(name)).expect("copy");
    }
    for (file, old, new) in edits {
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(old), "{old} in {file}");
        std::fs::write(&path, text.replacen(old, new, 1)).expect("write");
    }
    dir
}

fn findings_of(json: &Value, file: &str) -> Vec<Value> {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["file"].as_str().is_some_and(|n| n.ends_with(file)))
        .cloned()
        .collect()
}

#[test]
fn a_document_outside_guangdong_gets_only_article_2_and_no_relation_relies_on_it() {
    // The plan is moved to Changsha: the measure does not apply to it.
    let dir = edited_copy(&[("01-plan.yaml", "region: 广州市", "region: 湖南省长沙市")]);
    let out = Command::cargo_bin("pdao")
        .expect("binary")
        .args(["--as-of", common::AS_OF, "check", "--format", "json"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    let plan: Vec<String> = findings_of(&json, "01-plan.yaml")
        .iter()
        .map(|f| format!("{} {}", f["rule"], f["severity"]))
        .collect();
    assert_eq!(plan, ["\"GD02-P1b\" \"error\""], "only Art. 2 on the plan");
    // The documents that name the plan cannot rely on it: each such relation says so (at the
    // unresolved severity, info by default) instead of comparing with an inapplicable plan.
    let mut relying = BTreeSet::new();
    for f in json["findings"].as_array().expect("findings") {
        let rule = f["rule"].as_str().unwrap_or_default();
        if !cross_document_rules().contains(rule) {
            continue;
        }
        assert_eq!(f["unresolved"], true, "{f}");
        assert_eq!(f["severity"], "info", "{f}");
        assert!(
            f["message"]
                .as_str()
                .is_some_and(|m| m.contains("引用的文书不适用本办法")),
            "{f}"
        );
        relying.insert(rule.to_string());
    }
    for rule in ["GD19-P1x", "GD19-P1y", "GD19-P1z"] {
        assert!(relying.contains(rule), "{rule}: {relying:?}");
    }
}

#[test]
fn an_agreement_outside_guangdong_is_not_required_in_the_annual_report() {
    // The agreement lies outside Guangdong and the annual report does not list it.
    let dir = edited_copy(&[
        ("04-agreement.yaml", "region: 广州市", "region: 长沙市"),
        (
            "09-annual-report.yaml",
            "agreements: [GZ-JTCX-2026-XY01]",
            "agreements: []",
        ),
    ]);
    let out = Command::cargo_bin("pdao")
        .expect("binary")
        .args(["--as-of", common::AS_OF, "check", "--format", "json"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    let report: Vec<String> = findings_of(&json, "09-annual-report.yaml")
        .iter()
        .filter(|f| f["severity"] != "review")
        .map(|f| format!("{} {}", f["rule"], f["detail"]))
        .collect();
    assert!(report.is_empty(), "{report:#?}");
    let agreement: Vec<String> = findings_of(&json, "04-agreement.yaml")
        .iter()
        .map(|f| format!("{}", f["rule"]))
        .collect();
    assert_eq!(agreement, ["\"GD02-P1b\""]);
}
