//! Snapshots of the rendered output (insta): a change to what users read shows up in review.

use clap::Parser;
use pdao::cli::{run, Cli};

fn render(args: &[&str]) -> String {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).expect("cd");
    let cli = Cli::try_parse_from(
        ["pdao", "--as-of", "2026-11-27"]
            .into_iter()
            .chain(args.iter().copied()),
    )
    .expect("args");
    let (code, out, err) = run(&cli, false);
    format!("exit {code}\n{out}{err}")
}

#[test]
fn human_zh() {
    insta::assert_snapshot!(render(&[
        "check",
        "samples/operating-agreement/invalid-term-seven-years.yaml",
        "samples/operating-agreement/invalid-term-six-years-with-exception.yaml",
    ]));
}

#[test]
fn human_en() {
    insta::assert_snapshot!(render(&[
        "--lang",
        "en",
        "check",
        "samples/operating-agreement/invalid-term-seven-years.yaml",
    ]));
}

#[test]
fn json_zh() {
    insta::assert_snapshot!(render(&[
        "check",
        "--format",
        "json",
        "samples/operating-agreement/invalid-term-seven-years.yaml",
        "samples/operator-application/invalid-partnership-applicant.yaml",
    ]));
}

/// The audit example: comment and file exceptions (applied, expired, unused), judged as of a
/// fixed date so that expiry does not depend on the day the tests run.
const AUDIT: &[&str] = &["check", "--as-of", "2028-06-01", "tests/data/audit"];

fn audit(format: &str) -> String {
    let mut args = AUDIT.to_vec();
    args.splice(1..1, ["--format", format]);
    render(&args)
}

#[test]
fn human_with_exceptions() {
    insta::assert_snapshot!(audit("human"));
}

#[test]
fn json_with_exceptions() {
    insta::assert_snapshot!(audit("json"));
}

/// A SARIF log with `tool.driver.rules` cut to the rules its results use: the full list is
/// the whole pack (validated in tests/formats.rs), and would change with every rule edit.
fn sarif_view(rendered: &str) -> String {
    let (head, json) = rendered.split_once('\n').expect("exit line");
    let mut log: serde_json::Value = serde_json::from_str(json).expect("json");
    let used: Vec<serde_json::Value> = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["ruleId"].clone())
        .collect();
    let rules = &mut log["runs"][0]["tool"]["driver"]["rules"];
    if let Some(list) = rules.as_array_mut() {
        list.retain(|r| used.contains(&r["id"]));
    }
    format!(
        "{head}\n(only the {} rules the results use are shown)\n{}",
        rules.as_array().map_or(0, Vec::len),
        serde_json::to_string_pretty(&log).expect("json")
    )
}

#[test]
fn sarif_zh() {
    insta::assert_snapshot!(sarif_view(&audit("sarif")));
}

#[test]
fn sarif_en() {
    insta::assert_snapshot!(sarif_view(&render(&[
        "--lang",
        "en",
        "check",
        "--as-of",
        "2025-12-20",
        "--format",
        "sarif",
        "samples/operating-agreement/invalid-term-six-years-with-exception.yaml",
    ])));
}

#[test]
fn junit_zh() {
    insta::assert_snapshot!(audit("junit"));
}

#[test]
fn gitlab_zh() {
    insta::assert_snapshot!(audit("gitlab"));
}

#[test]
fn github_zh() {
    insta::assert_snapshot!(audit("github"));
}

#[test]
fn github_hostile() {
    insta::assert_snapshot!(render(&[
        "check",
        "--as-of",
        "2026-01-05",
        "--format",
        "github",
        "tests/data/hostile/agreement.yaml",
    ]));
}

#[test]
fn html_zh() {
    insta::assert_snapshot!(audit("html"));
}

#[test]
fn html_en() {
    insta::assert_snapshot!(render(&[
        "--lang",
        "en",
        "check",
        "--as-of",
        "2028-06-01",
        "--format",
        "html",
        "samples/operator-application/invalid-partnership-applicant.yaml",
    ]));
}

#[test]
fn orphaned_snapshots_are_rejected() {
    let known = [
        "human_zh",
        "human_en",
        "json_zh",
        "human_with_exceptions",
        "json_with_exceptions",
        "sarif_zh",
        "sarif_en",
        "junit_zh",
        "gitlab_zh",
        "github_zh",
        "github_hostile",
        "html_zh",
        "html_en",
    ];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    for entry in std::fs::read_dir(dir).expect("snapshots") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if !name.ends_with(".snap") {
            continue; // pending `.snap.new` files are insta's, not orphans
        }
        let test = name
            .strip_prefix("snapshots__")
            .and_then(|n| n.strip_suffix(".snap"))
            .unwrap_or(&name);
        assert!(known.contains(&test), "orphaned snapshot {name}");
    }
}
