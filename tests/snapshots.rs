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

#[test]
fn orphaned_snapshots_are_rejected() {
    let known = ["human_zh", "human_en", "json_zh"];
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
