//! Speed and memory on a generated corpus (README.md, "Speed and memory").
//!
//! `cargo bench --bench throughput -- [--docs N] [--violations SHARE] [--seed S] [--runs R]
//! [--keep DIR]` generates a deterministic corpus of plan repositories (every document kind of
//! `samples/`), then reports on the same files:
//! - parse-only time with pdao's own parser, and full-lint time with the whole built-in pack,
//!   with 1 and 2 threads (in process), and their ratio;
//! - the speed-up from 1 to 2 threads, in process and for the whole `pdao check DIR` process;
//! - the median latency of the whole `pdao check one.yaml` process;
//! - the peak memory of `pdao check DIR` as the corpus grows.
//!
//! Under `cargo test` (no `--bench` argument) it runs the same steps on a tiny corpus, so the
//! harness itself is tested.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use pdao::document;
use pdao::inputs::Input;
use pdao::report::Summary;
use pdao::Checker;
use rayon::prelude::*;

struct Options {
    docs: usize,
    violations: f64,
    seed: u64,
    runs: usize,
    keep: Option<PathBuf>,
    smoke: bool,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let smoke = !args.iter().any(|a| a == "--bench");
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let number = |name: &str, default: f64| {
        value(name)
            .map(|v| {
                v.parse::<f64>()
                    .unwrap_or_else(|_| panic!("{name} {v}: not a number"))
            })
            .unwrap_or(default)
    };
    Options {
        docs: number("--docs", if smoke { 60.0 } else { 10_000.0 }) as usize,
        violations: number("--violations", 0.2),
        seed: number("--seed", 7.0) as u64,
        runs: number("--runs", if smoke { 3.0 } else { 51.0 }) as usize,
        keep: value("--keep").map(PathBuf::from),
        smoke,
    }
}

/// xorshift64*: small, seedable, the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / ((1u64 << 53) as f64)) < p
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read_sorted(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            (
                name.unwrap_or_default(),
                std::fs::read_to_string(&p).expect("sample"),
            )
        })
        .collect();
    files.sort();
    files
}

/// The value of the top-level `id:` line of a sample.
fn id_of(text: &str) -> Option<&str> {
    text.lines()
        .find_map(|l| l.strip_prefix("id: "))
        .map(|v| v.split('#').next().unwrap_or("").trim())
}

/// Write the corpus: plan repositories (the interlinked documents of the sample repository,
/// with every id made unique per copy, references included) and, for a share `violations` of
/// the documents, one of the invalid samples of every kind (id made unique). Files go 100 to a
/// directory, as in a repository of plans. Returns the files in order.
///
/// Only the first copy keeps the annual report: GD37-P1x asks every annual report to list
/// every agreement of the run in force in its year (the rule takes a run to hold one
/// implementing body's documents), so N copies of one body's repository would make N² findings
/// about one another, which no real repository has.
fn generate(dir: &Path, docs: usize, violations: f64, seed: u64) -> Vec<PathBuf> {
    let samples = root().join("samples");
    let repository = read_sorted(&samples.join("repo-guangzhou-transport"));
    let mut ids: Vec<String> = repository
        .iter()
        .filter_map(|(_, t)| id_of(t).map(String::from))
        .collect();
    ids.sort_by_key(|id| std::cmp::Reverse(id.len()));
    let mut invalid: Vec<(String, String)> = Vec::new();
    for entry in std::fs::read_dir(&samples)
        .expect("samples")
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.is_dir()
            && !path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("repo-"))
        {
            invalid.extend(
                read_sorted(&path)
                    .into_iter()
                    .filter(|(n, _)| n.starts_with("invalid-")),
            );
        }
    }
    invalid.sort();
    // The invalid annual reports go in once each, at the start (see above).
    let (mut pending, invalid): (Vec<_>, Vec<_>) = invalid
        .into_iter()
        .partition(|(_, t)| t.contains("kind: annual-report"));
    let mut rng = Rng(seed.max(1));
    let mut out = Vec::with_capacity(docs);
    let mut copy = 0usize;
    while out.len() < docs {
        let batch: Vec<(String, String)> = if let Some(report) = pending.pop() {
            vec![report]
        } else if rng.chance(violations) {
            let (name, text) = &invalid[rng.below(invalid.len())];
            let text = match id_of(text) {
                Some(id) => text.replacen(&format!("id: {id}"), &format!("id: {id}-V{copy}"), 1),
                None => text.clone(),
            };
            vec![(name.clone(), text)]
        } else {
            repository
                .iter()
                .filter(|(_, text)| copy == 0 || !text.contains("kind: annual-report"))
                .map(|(name, text)| {
                    // Longest id first, so an id inside a longer one is not rewritten twice;
                    // a placeholder keeps a rewritten id from being matched again.
                    let mut t = text.clone();
                    for (k, id) in ids.iter().enumerate() {
                        t = t.replace(id.as_str(), &format!("\u{1}{k}\u{1}"));
                    }
                    for (k, id) in ids.iter().enumerate() {
                        t = t.replace(&format!("\u{1}{k}\u{1}"), &format!("{id}-R{copy}"));
                    }
                    (name.clone(), t)
                })
                .collect()
        };
        for (name, text) in batch {
            if out.len() == docs {
                break;
            }
            let i = out.len();
            let sub = dir.join(format!("b{:03}", i / 100));
            std::fs::create_dir_all(&sub).expect("mkdir");
            let path = sub.join(format!("{i:05}-{name}"));
            std::fs::write(&path, format!("# 生成的文书 {i}\n{text}")).expect("write");
            out.push(path);
        }
        copy += 1;
    }
    out
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool")
}

/// Best of `runs` timings of `f` (the least disturbed by the rest of the machine).
fn best(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn parse_only(inputs: &[Input], checker: &Checker) -> usize {
    inputs
        .par_iter()
        .filter(|input| {
            input
                .read()
                .ok()
                .and_then(|file| document::load(&file, checker.limits).ok())
                .is_some_and(|d| d.is_ok())
        })
        .count()
}

fn full_lint(inputs: &[Input], checker: &Checker) -> Summary {
    let mut total = Summary::default();
    checker.check_each(inputs, |r| Summary::of_file(&r), |s| total.add(&s));
    total
}

struct ProcessRun {
    wall: Duration,
    peak_kib: i64,
    code: i32,
}

/// Run the pdao binary with `args`, output discarded: wall time and peak resident memory
/// (ru_maxrss of this child, from wait4).
#[allow(clippy::zombie_processes)] // reaped by wait4
fn pdao(args: &[&str]) -> ProcessRun {
    let start = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_pdao"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("pdao starts");
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: blocking wait for our own child, valid pointers.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert!(pid > 0, "wait4");
    ProcessRun {
        wall: start.elapsed(),
        peak_kib: usage.ru_maxrss,
        code: if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            -1
        },
    }
}

fn own_rss_kib() -> i64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let o = options();
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = o.keep.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    let started = Instant::now();
    let files = generate(&dir, o.docs, o.violations, o.seed);
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "corpus: {} documents, {:.1} MB, violations share {}, seed {} (generated in {:.1} s{})",
        files.len(),
        bytes as f64 / 1e6,
        o.violations,
        o.seed,
        started.elapsed().as_secs_f64(),
        o.keep
            .as_ref()
            .map(|k| format!(", kept in {}", k.display()))
            .unwrap_or_default()
    );
    let dir_arg = dir.display().to_string();

    // Whole processes first, while this process is small: a child's peak memory as the kernel
    // reports it includes what it shared with this process before it started pdao.
    println!(
        "this harness's own memory before starting pdao: {} MiB",
        own_rss_kib() / 1024
    );
    let dirs: Vec<String> = {
        let mut d: Vec<String> = std::fs::read_dir(&dir)
            .expect("corpus")
            .filter_map(Result::ok)
            .map(|e| e.path().display().to_string())
            .filter(|p| Path::new(p).is_dir())
            .collect();
        d.sort();
        d
    };
    for share in [10, 2, 1] {
        let take = dirs.len().div_ceil(share).max(1);
        let mut args = vec!["check", "--format", "json"];
        args.extend(dirs.iter().take(take).map(String::as_str));
        let json = pdao(&args);
        args[2] = "human";
        let human = pdao(&args);
        println!(
            "peak memory, pdao check on {:>5} documents: {:>4} MiB (human), {:>4} MiB (json); exit {}",
            (take * 100).min(files.len()),
            human.peak_kib / 1024,
            json.peak_kib / 1024,
            human.code
        );
    }
    let process: Vec<(usize, Duration)> = [1usize, 2]
        .into_iter()
        .map(|j| {
            let jobs = j.to_string();
            let runs = if o.smoke { 1 } else { 3 };
            let wall = (0..runs)
                .map(|_| pdao(&["check", "-j", &jobs, &dir_arg]).wall)
                .min()
                .unwrap_or_default();
            (j, wall)
        })
        .collect();
    for (j, wall) in &process {
        println!(
            "whole process, pdao check -j {j} DIR: {:>8.1} ms",
            ms(*wall)
        );
    }
    let one = files
        .iter()
        .find(|f| f.to_string_lossy().ends_with("04-agreement.yaml"))
        .unwrap_or(&files[0])
        .display()
        .to_string();
    let mut latencies: Vec<Duration> = (0..o.runs).map(|_| pdao(&["check", &one]).wall).collect();
    latencies.sort();
    let median = latencies[latencies.len() / 2];
    println!(
        "one document, whole process (pdao check one.yaml), median of {}: {:.1} ms (min {:.1} ms)",
        latencies.len(),
        ms(median),
        ms(latencies[0])
    );

    // In process: the same files, parse only and full lint, on 1 and 2 threads.
    let (checker, errors) = Checker::builtin().expect("built-in pack");
    assert!(errors.is_empty(), "the built-in pack loads clean");
    let (inputs, _) = pdao::inputs::collect(std::slice::from_ref(&dir));
    let runs = if o.smoke { 1 } else { 5 };
    let mut rows = Vec::new();
    for threads in [1usize, 2] {
        let pool = pool(threads);
        let parsed = pool.install(|| parse_only(&inputs, &checker));
        assert_eq!(parsed, files.len(), "every generated file is a document");
        let parse = best(runs, || {
            pool.install(|| parse_only(&inputs, &checker));
        });
        let mut summary = Summary::default();
        let lint = best(runs, || {
            summary = pool.install(|| full_lint(&inputs, &checker))
        });
        rows.push((threads, parse, lint, summary));
    }
    for (threads, parse, lint, summary) in &rows {
        println!(
            "{threads} thread(s): parse only {:>8.1} ms, full lint {:>8.1} ms, lint/parse {:.2} ({} errors, {} warnings, {} infos, {} review items)",
            ms(*parse),
            ms(*lint),
            lint.as_secs_f64() / parse.as_secs_f64(),
            summary.errors,
            summary.warnings,
            summary.infos,
            summary.reviews
        );
    }
    if let ([(_, p1, l1, _), (_, p2, l2, _)], [(_, w1), (_, w2)]) =
        (rows.as_slice(), process.as_slice())
    {
        println!(
            "speed-up 1 -> 2 threads: parse {:.2}x, full lint {:.2}x, whole process {:.2}x",
            p1.as_secs_f64() / p2.as_secs_f64(),
            l1.as_secs_f64() / l2.as_secs_f64(),
            w1.as_secs_f64() / w2.as_secs_f64()
        );
    }
    if o.smoke {
        // Under `cargo test`: the harness ran every step on the small corpus.
        assert!(rows.iter().all(|(_, _, _, s)| s.documents == files.len()));
        println!("throughput harness (small corpus): 1 passed, 0 failed");
    }
}
