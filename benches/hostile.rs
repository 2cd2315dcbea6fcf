//! Bounded work on hostile input (README.md, "Bad input" and "Speed and memory").
//!
//! `cargo bench --bench hostile -- [--runs R]` generates, then times:
//! - three documents of about 1 MB: 95 000 unknown keys at the top, 80 000 unknown keys in a
//!   nested mapping, 46 000 catalog entries each missing four fields (184 000 failures of four
//!   rules). Each is checked by the whole `pdao check` process (best of R runs, human, JSON and
//!   HTML reports); the size of each report is printed, and the number of findings the report
//!   lists against the number it counts.
//! - 20 000 exception records against 200 000 findings: 2 000 documents with 100 unknown keys
//!   each, 10 records per document (by id and pointer, by path, by id alone, some expired). The
//!   decide stage (exceptions and fail level applied to the run, `Outcome::new`) is timed in
//!   process, and the whole process with a JSON report.
//!
//! Under `cargo test` (no `--bench` argument) it runs the same steps on small inputs, so the
//! harness itself is tested.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use pdao::baseline::Baseline;
use pdao::config::policy::SeverityPolicy;
use pdao::outcome::{FailOn, Outcome, Policy};
use pdao::report::Summary;
use pdao::Checker;

struct Options {
    runs: usize,
    /// 1.0 for the measured sizes; small under `cargo test`.
    scale: f64,
    smoke: bool,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let smoke = !args.iter().any(|a| a == "--bench");
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<f64>().ok())
    };
    Options {
        runs: value("--runs").unwrap_or(if smoke { 1.0 } else { 5.0 }) as usize,
        scale: value("--scale").unwrap_or(if smoke { 0.02 } else { 1.0 }),
        smoke,
    }
}

fn scaled(n: usize, scale: f64) -> usize {
    ((n as f64 * scale) as usize).max(1)
}

/// The three hostile documents, about 1 MB each at scale 1.
fn hostile_documents(dir: &Path, scale: f64) -> Vec<(String, PathBuf)> {
    let head = |id: &str| format!("kind: operating-agreement\nid: {id}\nregion: 广州市\n");
    let (keys, nested, entries) = (
        scaled(95_000, scale),
        scaled(80_000, scale),
        scaled(46_000, scale),
    );
    let documents = [
        (
            format!("{keys} unknown keys"),
            head("H-KEYS")
                + &(0..keys)
                    .map(|i| format!("k{i:06}: 1\n"))
                    .collect::<String>(),
        ),
        (
            format!("{nested} unknown keys in a nested mapping"),
            head("H-NESTED")
                + "term:\n"
                + &(0..nested)
                    .map(|i| format!("  k{i:06}: 1\n"))
                    .collect::<String>(),
        ),
        (
            format!("{entries} catalog entries, each missing four fields"),
            "kind: data-catalog\nid: H-ENTRIES\nregion: 广州市\nentries:\n".to_string()
                + &(0..entries)
                    .map(|i| format!("  - name: 数据{i}\n"))
                    .collect::<String>(),
        ),
    ];
    documents
        .into_iter()
        .enumerate()
        .map(|(i, (what, text))| {
            let path = dir.join(format!("hostile-{i}.yaml"));
            std::fs::write(&path, text).expect("write");
            (what, path)
        })
        .collect()
}

/// 2 000 documents with 100 unknown keys each (at scale 1), and an exceptions file with 10
/// records per document.
fn exception_corpus(dir: &Path, scale: f64) -> (PathBuf, PathBuf) {
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).expect("mkdir");
    let mut records = String::from("exceptions:\n");
    for d in 0..scaled(2_000, scale) {
        let keys: String = (0..100).map(|i| format!("k{i:03}: 1\n")).collect();
        let name = format!("d{d:05}.yaml");
        std::fs::write(
            docs.join(&name),
            format!("kind: operating-agreement\nid: D-{d}\nregion: 广州市\n{keys}"),
        )
        .expect("write");
        for r in 0..10 {
            let target = match r % 3 {
                0 => format!("path: docs/{name}"),
                _ => format!("id: D-{d}"),
            };
            let expires = if r == 9 {
                "\n    expires: 2020-01-01"
            } else {
                ""
            };
            records.push_str(&format!(
                "  - rule: PDAO-SCHEMA\n    {target}\n    pointer: /k{:03}\n    reason: 测试\n    approver: 测试机关{expires}\n",
                r * 10
            ));
        }
    }
    let file = dir.join("pdao-exceptions.yaml");
    std::fs::write(&file, records).expect("write");
    (docs, file)
}

struct ProcessRun {
    wall: Duration,
    out_bytes: usize,
    code: i32,
}

/// Run the pdao binary in `dir`: wall time and the size of its standard output.
fn pdao(dir: &Path, args: &[&str]) -> ProcessRun {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_pdao"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .expect("pdao runs");
    ProcessRun {
        wall: start.elapsed(),
        out_bytes: out.stdout.len(),
        code: out.status.code().unwrap_or(-1),
    }
}

fn best(runs: usize, mut f: impl FnMut() -> ProcessRun) -> ProcessRun {
    let mut best: Option<ProcessRun> = None;
    for _ in 0..runs.max(1) {
        let run = f();
        if best.as_ref().is_none_or(|b| run.wall < b.wall) {
            best = Some(run);
        }
    }
    best.expect("a run")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let o = options();
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();

    for (what, path) in hostile_documents(dir, o.scale) {
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        let name = path.display().to_string();
        let mut line = format!(
            "1 document, {what} ({:.2} MB), whole process:",
            size as f64 / 1e6
        );
        for format in ["human", "json", "html"] {
            let run = best(o.runs, || {
                pdao(dir, &["check", "--no-config", "--format", format, &name])
            });
            assert_eq!(run.code, 1, "{what}: findings, no failure");
            line.push_str(&format!(
                " {format} {:.0} ms ({:.2} MB report);",
                ms(run.wall),
                run.out_bytes as f64 / 1e6
            ));
        }
        let json = Command::new(env!("CARGO_BIN_EXE_pdao"))
            .args(["check", "--no-config", "--format", "json", &name])
            .output()
            .expect("pdao runs");
        let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
        println!(
            "{line} {} findings listed, {} more counted",
            report["findings"].as_array().map_or(0, Vec::len),
            report["summary"]["omitted"]
        );
    }

    let (docs, exceptions) = exception_corpus(dir, o.scale);
    let (checker, errors) = Checker::builtin().expect("built-in pack");
    assert!(errors.is_empty());
    let started = Instant::now();
    let run = checker.check_paths(std::slice::from_ref(&docs));
    let check = started.elapsed();
    let findings = run.findings().count();
    let source = pdao::document::decode(
        "pdao-exceptions.yaml",
        std::fs::read(&exceptions).expect("read"),
    )
    .expect("text");
    let cwd = dir.to_path_buf();
    let project = pdao::config::project::Project::new(&cwd);
    let place = pdao::exceptions::file::Place {
        dir,
        cwd: &cwd,
        project: &project,
    };
    let (records, errors) = pdao::exceptions::file::parse(&source, &place, &checker.pack);
    assert!(errors.is_empty(), "{errors:?}");
    let n_records = records.len();
    let severity = SeverityPolicy::default();
    let started = Instant::now();
    let outcome = Outcome::new(
        run,
        Policy {
            severity: &severity,
            exceptions: records,
            refused: Vec::new(),
            baseline: None::<(String, String, &Baseline)>,
            fail_on: FailOn::Error,
            as_of: checker.as_of,
            decisions: Default::default(),
        },
    );
    let decide = started.elapsed();
    let summary = Summary::of(&outcome.run);
    println!(
        "{n_records} exception records against {findings} findings: check {:.0} ms, decide (exceptions applied) {:.0} ms in process; {} excused, {} counted",
        ms(check),
        ms(decide),
        outcome.suppressed.len(),
        summary.errors
    );
    let exceptions_arg = exceptions.display().to_string();
    for format in ["json", "github"] {
        let whole = best(o.runs.min(3), || {
            pdao(
                dir,
                &[
                    "check",
                    "--no-config",
                    "--exceptions",
                    &exceptions_arg,
                    "--format",
                    format,
                    "docs",
                ],
            )
        });
        println!(
            "  whole process, --format {format}: {:.0} ms ({:.0} MB report)",
            ms(whole.wall),
            whole.out_bytes as f64 / 1e6
        );
    }
    if o.smoke {
        // Under `cargo test`: every step ran; the exceptions matched what they name.
        assert_eq!(outcome.suppressed.len(), n_records / 10 * 9);
        println!("hostile-input harness (small inputs): 1 passed, 0 failed");
    }
}
