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

#[test]
fn sarif_zh() {
    insta::assert_snapshot!(audit("sarif"));
}

#[test]
fn sarif_en() {
    insta::assert_snapshot!(render(&[
        "--lang",
        "en",
        "check",
        "--as-of",
        "2025-12-20",
        "--format",
        "sarif",
        "samples/operating-agreement/invalid-term-six-years-with-exception.yaml",
    ]));
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
