//! Hostile and broken input through the real binary, one test per case of PRODUCT.md's "Bad
//! input": each asserts that pdao does not panic, finishes within a generous deadline (enforced
//! here, by killing it), stays within a memory bound (its peak resident set, read from the
//! kernel), names the file in a clear diagnostic, still checks the other files, and exits 2
//! where the run could not be done honestly. Large inputs are generated into a temporary
//! directory at test time.

use std::io::Read;
use std::net::TcpListener;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Far above what any case takes in a debug build; only a hang reaches it.
const DEADLINE: Duration = Duration::from_secs(120);
/// Peak resident memory allowed to pdao on any hostile input (debug build).
const MEMORY_KIB: i64 = 600 * 1024;

const AGREEMENT: &str = "samples/repo-guangzhou-transport/04-agreement.yaml";
const SEVEN_YEARS: &str = "samples/operating-agreement/invalid-term-seven-years.yaml";

struct Run {
    code: i32,
    out: String,
    err: String,
    peak_kib: i64,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).expect("sample")
}

/// Run pdao with `args` (and `stdin`), killing it at the deadline; its peak memory comes from
/// `wait4`. Panics (fails the test) on a signal, a timeout or a panic message.
#[allow(clippy::zombie_processes)] // reaped by waitpid below
fn pdao_as(prefix: &[&str], args: &[&str], stdin: Option<Vec<u8>>) -> Run {
    let bin = env!("CARGO_BIN_EXE_pdao");
    let mut cmd = match prefix.split_first() {
        Some((first, rest)) => {
            let mut c = Command::new(first);
            c.args(rest).arg(bin);
            c
        }
        None => Command::new(bin),
    };
    cmd.args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().expect("pdao starts");
    if let (Some(data), Some(mut pipe)) = (stdin, child.stdin.take()) {
        std::thread::spawn(move || {
            let _ = std::io::Write::write_all(&mut pipe, &data);
        });
    }
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = pipe.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("stdout")));
    let err = drain(Box::new(child.stderr.take().expect("stderr")));
    let pid = child.id() as libc::pid_t;
    // The kernel's high-water mark of pdao's own memory (VmHWM), sampled while it runs: wait4's
    // ru_maxrss would count this test process too, whose memory pdao shares until its exec.
    let status_file = format!("/proc/{pid}/status");
    let mut peak_kib = 0;
    let status = loop {
        if let Some(hwm) = std::fs::read_to_string(&status_file).ok().and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<i64>().ok())
        }) {
            peak_kib = peak_kib.max(hwm);
        }
        let mut status = 0;
        // SAFETY: waitpid on our own child's pid with a valid pointer.
        let done = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        if done == pid {
            break std::process::ExitStatus::from_raw(status);
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            panic!("pdao {args:?} still running after {DEADLINE:?}: a hang");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let run = Run {
        code: status
            .code()
            .unwrap_or_else(|| panic!("pdao {args:?} was killed by signal {:?}", status.signal())),
        out: out.join().expect("stdout"),
        err: err.join().expect("stderr"),
        peak_kib,
    };
    assert!(
        !run.err.contains("panicked") && !run.out.contains("panicked"),
        "pdao panicked: {}",
        run.err
    );
    assert!(
        run.peak_kib < MEMORY_KIB,
        "pdao {args:?} peaked at {} MiB",
        run.peak_kib / 1024
    );
    run
}

fn pdao(args: &[&str]) -> Run {
    pdao_as(&[], args, None)
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.out).unwrap_or_else(|e| panic!("{e}: {}", run.out))
}

/// A directory holding `name` with `content` beside a copy of the seven-year agreement (one
/// GD22-02 error), checked as JSON: (run, JSON report).
fn beside_a_good_file(name: &str, content: &[u8]) -> (tempfile::TempDir, Run, serde_json::Value) {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join(name), content).expect("write");
    std::fs::write(dir.path().join("good.yaml"), sample(SEVEN_YEARS)).expect("write");
    let run = pdao(&[
        "check",
        "--format",
        "json",
        &dir.path().display().to_string(),
    ]);
    let report = json(&run);
    (dir, run, report)
}

/// The one error of a report, which must name `file`; the good file must still be checked.
fn the_error<'a>(report: &'a serde_json::Value, file: &str) -> &'a serde_json::Value {
    let errors = report["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{report:#}");
    let error = &errors[0];
    assert!(
        error["file"].as_str().is_some_and(|f| f.ends_with(file)),
        "{error:#}"
    );
    assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(
        report["findings"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["rule"] == "GD22-02"
                && f["file"].as_str().is_some_and(|n| n.ends_with("good.yaml")))),
        "the other file is still checked: {report:#}"
    );
    error
}

fn located(error: &serde_json::Value, line: u64) {
    assert_eq!(error["line"], line, "{error:#}");
    assert!(error["column"].as_u64().is_some(), "{error:#}");
}

#[test]
fn invalid_yaml_is_located() {
    let (_d, run, report) = beside_a_good_file(
        "bad.yaml",
        b"kind: operating-agreement\nid: x\nterm: [1, 2\n",
    );
    assert_eq!(run.code, 2);
    let e = the_error(&report, "bad.yaml");
    assert_eq!(e["code"], "pdao::syntax");
    assert!(e["line"].as_u64().is_some_and(|l| l >= 3), "{e:#}");
}

#[test]
fn invalid_json_is_located() {
    let (_d, run, report) = beside_a_good_file(
        "bad.json",
        b"{\n  \"kind\": \"operating-agreement\",\n  \"id\": \"x\",,\n  \"region\": 1\n}\n",
    );
    assert_eq!(run.code, 2);
    let e = the_error(&report, "bad.json");
    assert_eq!(e["code"], "pdao::syntax");
    located(e, 3);
}

/// Full-width punctuation typed with a Chinese input method where YAML/JSON needs ASCII: the
/// error points at the character (not at the line where the parser gave up) and says what to
/// type; inside an unclosed `[`/`{` it names the line where that was opened.
#[test]
fn input_method_slips_point_at_the_character() {
    let cases: &[(&str, &str, u64, u64, &str, &str)] = &[
        // (file, text, line, column, zh, en)
        ("colon-quoted.yaml", "kind: implementation-plan\nid: x\nlevel：\"县级\"\nregion: 广州市\n", 3, 6, "全角冒号 `：`，应为半角 `:`", "full-width colon `：`: use an ASCII `:`"),
        ("colon.yaml", "kind: implementation-plan\nid: x\nlevel：县级\nregion: 广州市\n", 3, 6, "全角冒号", "full-width colon"),
        ("colon-last.yaml", "kind: implementation-plan\nid: x\nlevel：县级\n", 3, 6, "全角冒号", "full-width colon"),
        ("colon-nested.yaml", "kind: operating-agreement\nid: x\nterm:\n  start：2026-01-01\n  end: 2027-01-01\n", 4, 8, "全角冒号", "full-width colon"),
        ("colon-item.yaml", "kind: operating-agreement\nid: x\nparties:\n  - name：广州\n    role: 甲方\n", 4, 9, "全角冒号", "full-width colon"),
        ("brace.yaml", "kind: operating-agreement\nid: x\nterm: ｛start: 2026-01-01, end: 2027-01-01｝\n", 3, 7, "全角左花括号 `｛`，应为半角 `{`", "use an ASCII `{`"),
        ("close-brace.yaml", "kind: operating-agreement\nid: x\nterm: {start: 2026-01-01, end: 2027-01-01｝\nregion: 广州市\n", 3, 42, "全角右花括号", "full-width closing brace"),
        ("bracket.yaml", "kind: operating-agreement\nid: x\nproducts: [a, b］\nregion: 广州市\n", 3, 16, "全角右方括号 `］`，应为半角 `]`", "use an ASCII `]`"),
        ("comma.yaml", "kind: operating-agreement\nid: x\nterm: {start: 2026-01-01， end: 2027-01-01}\n", 3, 25, "全角逗号 `，`，应为半角 `,`", "full-width comma"),
        ("quote.yaml", "kind: operating-agreement\nid: x\nregion: \"广州市”\nlevel: 县级\n", 3, 13, "全角双引号 `”`，应为半角 `\"`", "full-width double quote"),
        ("comma.json", "{\"kind\": \"operating-agreement\", \"id\": \"x\"，\"region\": \"广州市\"}\n", 1, 42, "全角逗号", "full-width comma"),
        ("colon.json", "{\"kind\": \"operating-agreement\", \"id\"：\"x\"}\n", 1, 37, "全角冒号", "full-width colon"),
    ];
    for (name, text, line, column, zh, en) in cases {
        let (dir, run, report) = beside_a_good_file(name, text.as_bytes());
        assert_eq!(run.code, 2, "{name}: {report:#}");
        let e = the_error(&report, name);
        assert_eq!(e["code"], "pdao::syntax", "{name}");
        assert_eq!(
            (&e["line"], &e["column"]),
            (&(*line).into(), &(*column).into()),
            "{name}: {e:#}"
        );
        assert!(
            e["message"].as_str().is_some_and(|m| m.contains(zh)),
            "{name}: {e:#}"
        );
        let en_run = pdao(&[
            "--lang",
            "en",
            "check",
            "--format",
            "json",
            &dir.path().display().to_string(),
        ]);
        let en_report = json(&en_run);
        let en_error = the_error(&en_report, name);
        assert!(
            en_error["message"].as_str().is_some_and(|m| m.contains(en)),
            "{name}: {en_error:#}"
        );
        // The human report shows the character and the place the parser stopped.
        let human = pdao(&["check", &dir.path().join(name).display().to_string()]);
        assert!(
            human.out.contains(zh) || human.err.contains(zh),
            "{name}: {}{}",
            human.out,
            human.err
        );
    }
}

/// A parse error inside an unclosed `[` or `{` names the line where it was opened.
#[test]
fn an_unclosed_bracket_names_the_line_it_was_opened_on() {
    for (name, text, opened) in [
        ("list.yaml", "kind: operating-agreement\nid: x\nproducts: [a, b\nregion: 广州市\nlevel: 县级\n", "第 3 行打开的 `[`"),
        ("map.yaml", "kind: operating-agreement\nid: x\nterm: {start: 2026-01-01,\n  end: 2027-01-01\nregion: 广州市\n", "第 3 行打开的 `{`"),
        ("eof.yaml", "kind: operating-agreement\nid: x\nproducts: [a, b\n", "第 3 行打开的 `[`"),
    ] {
        let (dir, run, report) = beside_a_good_file(name, text.as_bytes());
        assert_eq!(run.code, 2, "{name}");
        let e = the_error(&report, name);
        assert_eq!(e["code"], "pdao::syntax");
        assert!(e["line"].as_u64().is_some() && e["column"].as_u64().is_some(), "{e:#}");
        assert!(e["message"].as_str().is_some_and(|m| m.contains(opened)), "{name}: {e:#}");
        let en = json(&pdao(&["--lang", "en", "check", "--format", "json", &dir.path().display().to_string()]));
        let en = the_error(&en, name);
        assert!(
            en["message"].as_str().is_some_and(|m| m.contains("opened on line 3")),
            "{name}: {en:#}"
        );
    }
}

/// Full-width punctuation that does not break the syntax still makes the value wrong; the
/// schema's finding says which character it is.
#[test]
fn input_method_slips_inside_values_are_named() {
    for (text, says) in [
        (
            "kind: operating-agreement\nid: x\nproducts: 【a, b】\n",
            "全角左方括号 `【`，应为半角 `[`",
        ),
        (
            "kind: operating-agreement\nid: x\nterm: {start：2026-01-01, end: 2027-01-01}\n",
            "全角冒号 `：`，应为半角 `:`",
        ),
        (
            "kind: operating-agreement\nid: x\nproducts:\n  - name：广州\n",
            "全角冒号 `：`，应为半角 `:`",
        ),
    ] {
        let (_dir, _run, report) = beside_a_good_file("slip.yaml", text.as_bytes());
        let findings = report["findings"].as_array().expect("findings");
        assert!(
            findings.iter().any(|f| f["rule"] == "PDAO-SCHEMA"
                && f["message"].as_str().is_some_and(|m| m.contains(says))),
            "{text}: {findings:#?}"
        );
    }
}

#[test]
fn an_empty_file_named_is_an_error_and_found_is_skipped() {
    let (dir, run, report) = beside_a_good_file("empty.yaml", b"");
    assert_eq!(run.code, 1, "a found empty file is no document: {report:#}");
    assert_eq!(report["summary"]["documents"], 1);
    let empty = dir.path().join("empty.yaml").display().to_string();
    let run = pdao(&["check", &empty, "--format", "json"]);
    assert_eq!(run.code, 2);
    let r = json(&run);
    let e = error_with_code(&r, "pdao::not-a-document");
    assert_eq!(e["file"], empty.as_str());
    error_with_code(&r, "pdao::nothing-checked");
}

/// The error with `code` in a JSON report.
fn error_with_code<'a>(report: &'a serde_json::Value, code: &str) -> &'a serde_json::Value {
    report["errors"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["code"] == code))
        .unwrap_or_else(|| panic!("no {code}: {report:#}"))
}

#[test]
fn a_scalar_or_a_list_instead_of_a_mapping() {
    for (name, text) in [
        ("scalar.yaml", "just words\n"),
        ("list.yaml", "- kind: operating-agreement\n- id: x\n"),
        ("number.json", "42"),
    ] {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        let good = dir.path().join("good.yaml");
        std::fs::write(&good, sample(SEVEN_YEARS)).expect("write");
        let run = pdao(&[
            "check",
            "--format",
            "json",
            &path.display().to_string(),
            &good.display().to_string(),
        ]);
        assert_eq!(run.code, 2, "{name}");
        let report = json(&run);
        let e = the_error(&report, name);
        assert_eq!(e["code"], "pdao::not-a-document", "{name}");
    }
}

#[test]
fn missing_or_unknown_kind() {
    let (_d, run, report) = beside_a_good_file("typo.yaml", b"kind: operating-agrement\nid: x\n");
    assert_eq!(run.code, 2);
    let e = the_error(&report, "typo.yaml");
    assert_eq!(e["code"], "pdao::unknown-kind");
    located(e, 1);
    assert!(e["help"]
        .as_str()
        .is_some_and(|h| h.contains("operating-agreement")));
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("nokind.yaml");
    std::fs::write(&path, "id: x\nregion: 广州市\n").expect("write");
    let run = pdao(&["check", "--format", "json", &path.display().to_string()]);
    assert_eq!(run.code, 2);
    error_with_code(&json(&run), "pdao::not-a-document");
}

#[test]
fn duplicate_keys_name_both_places() {
    let text =
        sample(AGREEMENT).replacen("region: 广州市\n", "region: 广州市\nregion: 长沙市\n", 1);
    let (_d, run, report) = beside_a_good_file("dup.yaml", text.as_bytes());
    assert_eq!(run.code, 2);
    let e = the_error(&report, "dup.yaml");
    assert_eq!(e["code"], "pdao::duplicate-key");
    located(e, 6);
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("dup.yaml");
    std::fs::write(&path, &text).expect("write");
    let human = pdao(&["check", &path.display().to_string()]);
    assert!(human.out.contains("dup.yaml:6:1"), "{}", human.out);
    assert!(human.out.contains("第一次出现"), "{}", human.out);
}

#[test]
fn alias_bombs_stop_at_the_node_budget() {
    // "Billion laughs": nine levels of ten references, 10^9 nodes once expanded.
    let mut bomb = String::from("kind: operating-agreement\nid: bomb\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..=9 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let (_d, run, report) = beside_a_good_file("bomb.yaml", bomb.as_bytes());
    assert_eq!(run.code, 2);
    let e = the_error(&report, "bomb.yaml");
    assert_eq!(e["code"], "pdao::too-large");
    assert!(e["line"].as_u64().is_some_and(|l| l > 3), "{e:#}");
}

#[test]
fn one_hundred_thousand_levels_of_nesting() {
    let n = 100_000;
    for (name, text) in [
        (
            "flow-seq.yaml",
            format!("{}{}", "[".repeat(n), "]".repeat(n)),
        ),
        (
            "flow-map.json",
            format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n)),
        ),
        ("block-seq.yaml", format!("{}x\n", "- ".repeat(n))),
        // Block mappings need one more space per level: 2 000 levels (2 MB) stand for them.
        (
            "block-map.yaml",
            (0..2000)
                .map(|i| format!("{}k:\n", " ".repeat(i)))
                .collect(),
        ),
    ] {
        let (_d, run, report) = beside_a_good_file(name, text.as_bytes());
        assert_eq!(run.code, 2, "{name}");
        let e = the_error(&report, name);
        assert!(
            matches!(e["code"].as_str(), Some("pdao::too-deep" | "pdao::syntax")),
            "{name}: {e:#}"
        );
    }
}

#[test]
fn a_100_mb_file_is_refused_at_the_size_limit() {
    let dir = tempfile::tempdir().expect("tmp");
    let big = dir.path().join("big.yaml");
    let mut text = sample(AGREEMENT);
    let line = format!("# {}\n", "填充".repeat(1000));
    while text.len() < 100 << 20 {
        text.push_str(&line);
    }
    std::fs::write(&big, &text).expect("write");
    drop(text);
    std::fs::write(dir.path().join("good.yaml"), sample(SEVEN_YEARS)).expect("write");
    let run = pdao(&[
        "check",
        "--format",
        "json",
        &dir.path().display().to_string(),
    ]);
    assert_eq!(run.code, 2);
    let report = json(&run);
    let e = the_error(&report, "big.yaml");
    assert_eq!(e["code"], "pdao::file-too-large");
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("100") && m.contains("64 MiB")),
        "{e:#}"
    );
    assert!(run.peak_kib < 64 * 1024, "not read: {} KiB", run.peak_kib);
    // The limit is the user's to set, and applies to stdin as well.
    let run = pdao(&[
        "check",
        "--format",
        "json",
        "--max-file-size",
        "4KiB",
        AGREEMENT,
    ]);
    assert_eq!(run.code, 2);
    assert!(run.out.contains("4 KiB"), "{}", run.out);
    let run = pdao_as(
        &[],
        &["check", "--format", "json", "--max-file-size", "4KiB", "-"],
        Some(sample(AGREEMENT).into_bytes()),
    );
    assert_eq!(run.code, 2);
    assert!(
        run.out.contains("<stdin>") && run.out.contains("4 KiB"),
        "{}",
        run.out
    );
    assert_eq!(
        pdao(&["check", "--max-file-size", "lots", AGREEMENT]).code,
        2
    );
}

#[test]
fn a_one_megabyte_line() {
    let long: String = std::iter::repeat_n("1, ", 350_000).collect();
    let text = sample(AGREEMENT).replacen(
        "region: 广州市\n",
        &format!("region: 广州市\nextra: [{long}1]\n"),
        1,
    );
    let (_d, run, report) = beside_a_good_file("long.yaml", text.as_bytes());
    assert!(text.lines().any(|l| l.len() > 1 << 20));
    assert_eq!(run.code, 1, "the unknown field is a finding");
    let f = report["findings"]
        .as_array()
        .and_then(|f| {
            f.iter()
                .find(|f| f["file"].as_str().is_some_and(|n| n.ends_with("long.yaml")))
        })
        .expect("a finding in long.yaml")
        .clone();
    assert_eq!(f["pointer"], "/extra");
    assert_eq!(f["line"], 6);
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("long.yaml");
    std::fs::write(&path, &text).expect("write");
    let human = pdao(&["check", &path.display().to_string()]);
    assert_eq!(human.code, 1);
    assert!(
        human.out.contains("long.yaml:6:1"),
        "{}",
        &human.out[..2000.min(human.out.len())]
    );
}

#[test]
fn binary_files() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
    let (_d, run, report) = beside_a_good_file("image.yaml", png);
    assert_eq!(run.code, 2);
    let e = the_error(&report, "image.yaml");
    assert_eq!(e["code"], "pdao::binary");
    assert!(e["message"].as_str().is_some_and(|m| m.contains("NUL")));
}

#[test]
fn invalid_utf8() {
    let (_d, run, report) =
        beside_a_good_file("latin1.yaml", b"kind: operating-agreement\nid: caf\xe9\n");
    assert_eq!(run.code, 2);
    let e = the_error(&report, "latin1.yaml");
    assert_eq!(e["code"], "pdao::encoding");
    assert!(
        e["message"].as_str().is_some_and(|m| m.contains("33")),
        "{e:#}"
    );
}

/// The report of `bytes` as a document named `name` (same directory, same name, so that the
/// reports can be compared as a whole).
fn report_of(bytes: &[u8]) -> serde_json::Value {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("doc.yaml");
    std::fs::write(&path, bytes).expect("write");
    let run = pdao(&["check", "--format", "json", &path.display().to_string()]);
    let mut report = json(&run);
    for f in report["findings"].as_array_mut().expect("findings") {
        f["file"] = "doc.yaml".into();
        // The fingerprint hashes the path, which differs from one temporary directory to another.
        if let Some(f) = f.as_object_mut() {
            f.remove("fingerprint");
        }
    }
    report
}

#[test]
fn utf16_with_a_bom_is_read_like_utf8() {
    let text = sample(SEVEN_YEARS);
    let utf8 = report_of(text.as_bytes());
    assert!(utf8["summary"]["errors"].as_u64().is_some_and(|n| n > 0));
    for big in [false, true] {
        let mut bytes = if big {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            bytes.extend(if big {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        let report = report_of(&bytes);
        assert_eq!(
            report["findings"], utf8["findings"],
            "same findings, same places"
        );
        assert_eq!(report["summary"], utf8["summary"]);
    }
}

#[test]
fn a_utf8_bom_changes_nothing() {
    let text = sample(SEVEN_YEARS);
    let plain = report_of(text.as_bytes());
    let with_bom = report_of(&[b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat());
    assert_eq!(plain["findings"], with_bom["findings"]);
    assert_eq!(with_bom["errors"], serde_json::json!([]));
}

#[test]
fn multi_document_streams() {
    let text = format!(
        "{}---\nkind: operating-agreement\nid: second\n",
        sample(AGREEMENT)
    );
    let (_d, run, report) = beside_a_good_file("two.yaml", text.as_bytes());
    assert_eq!(run.code, 2);
    let e = the_error(&report, "two.yaml");
    assert_eq!(e["code"], "pdao::multiple-documents");
    located(e, text.lines().count() as u64 - 2);
}

#[test]
fn yaml_tags_are_refused_and_nothing_is_executed() {
    let dir = tempfile::tempdir().expect("tmp");
    let marker = dir.path().join("executed");
    let text = format!(
        "kind: operating-agreement\nid: t\nregion: !!python/object/apply:os.system [\"touch {}\"]\n",
        marker.display()
    );
    let (_d, run, report) = beside_a_good_file("python.yaml", text.as_bytes());
    assert_eq!(run.code, 2);
    let e = the_error(&report, "python.yaml");
    assert_eq!(e["code"], "pdao::tag");
    located(e, 3);
    assert!(!marker.exists(), "nothing from a document is executed");
    let (_d, run, report) = beside_a_good_file(
        "custom.yaml",
        b"kind: operating-agreement\nid: t\nterm: !duration 5y\n",
    );
    assert_eq!(run.code, 2);
    assert_eq!(the_error(&report, "custom.yaml")["code"], "pdao::tag");
}

#[test]
fn merge_keys_are_refused_where_they_stand() {
    let text = "kind: operating-agreement\nid: m\nbase: &b {start: 2026-01-01}\nterm:\n  <<: *b\n  end: 2030-12-31\n";
    let (_d, run, report) = beside_a_good_file("merge.yaml", text.as_bytes());
    assert_eq!(run.code, 2);
    let e = the_error(&report, "merge.yaml");
    assert_eq!(e["code"], "pdao::merge-key");
    located(e, 5);
}

#[test]
fn nan_and_infinite_numbers_are_findings_not_crashes() {
    for value in [".nan", ".inf", "-.Inf", "1e400"] {
        let text = sample(AGREEMENT).replacen("term:\n", &format!("term:\n  years: {value}\n"), 1);
        let report = report_of(text.as_bytes());
        let f = report["findings"]
            .as_array()
            .and_then(|f| f.iter().find(|f| f["pointer"] == "/term/years"))
            .unwrap_or_else(|| panic!("{value}: {report:#}"));
        assert_eq!(f["severity"], "error", "{value}");
    }
}

#[test]
fn dates_in_odd_forms_are_findings_at_the_date() {
    for odd in [
        "2026/01/01",
        "20260101",
        "2026-1-1",
        "2026-02-30",
        "2026年13月1日",
        "二〇二六年一月一日",
        "2026-01-01T00:00:00Z",
        "'  '",
        "99999-01-01",
        "[2026, 1, 1]",
    ] {
        let text =
            sample(AGREEMENT).replacen("signed_on: 2025-12-26", &format!("signed_on: {odd}"), 1);
        let report = report_of(text.as_bytes());
        assert!(
            report["findings"].as_array().is_some_and(|f| f
                .iter()
                .any(|f| f["pointer"] == "/signed_on" && f["line"] == 16)),
            "{odd}: {report:#}"
        );
        assert_eq!(report["errors"], serde_json::json!([]), "{odd}");
    }
}

#[cfg(unix)]
#[test]
fn symlink_loops_end_and_the_documents_are_checked() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("tmp");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    std::fs::write(docs.join("good.yaml"), sample(SEVEN_YEARS)).expect("write");
    symlink(&docs, docs.join("loop")).expect("symlink");
    symlink(dir.path().join("b.yaml"), dir.path().join("a.yaml")).expect("symlink");
    symlink(dir.path().join("a.yaml"), dir.path().join("b.yaml")).expect("symlink");
    symlink(&docs, docs.join("sub-loop.yaml")).expect("symlink");
    let run = pdao(&[
        "check",
        "--format",
        "json",
        &dir.path().display().to_string(),
    ]);
    assert_eq!(run.code, 1, "links are not followed in a walk: {}", run.out);
    assert_eq!(json(&run)["summary"]["documents"], 1);
    // Through the loop named on the command line: the walk does not go round.
    let through = docs.join("loop").join("loop");
    let run = pdao(&["check", "--format", "json", &through.display().to_string()]);
    assert_eq!(run.code, 1);
    assert_eq!(json(&run)["summary"]["documents"], 1);
    // A loop named as a file is an error naming it; the other files are checked.
    let a = dir.path().join("a.yaml").display().to_string();
    let good = docs.join("good.yaml").display().to_string();
    let run = pdao(&["check", "--format", "json", &a, &good]);
    assert_eq!(run.code, 2);
    let report = json(&run);
    let e = the_error(&report, "a.yaml");
    assert_eq!(e["code"], "pdao::io");
}

/// Run pdao as an unprivileged user when the tests run as root (as in CI), since root reads
/// files whatever their mode; the binary is copied where that user can run it.
fn unprivileged(dir: &Path) -> (Vec<String>, String) {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let bin = dir.join("pdao");
    std::fs::copy(env!("CARGO_BIN_EXE_pdao"), &bin).expect("copy pdao");
    if !root {
        return (Vec::new(), bin.display().to_string());
    }
    let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("setpriv (util-linux) to drop root for this test");
    (
        [
            setpriv,
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--",
        ]
        .map(String::from)
        .to_vec(),
        bin.display().to_string(),
    )
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_directories() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let (mut prefix, bin) = unprivileged(dir.path());
    let docs = dir.path().join("docs");
    let locked = docs.join("locked");
    std::fs::create_dir_all(&locked).expect("mkdir");
    std::fs::write(docs.join("good.yaml"), sample(SEVEN_YEARS)).expect("write");
    std::fs::write(docs.join("secret.yaml"), sample(AGREEMENT)).expect("write");
    std::fs::write(locked.join("inner.yaml"), sample(AGREEMENT)).expect("write");
    for (path, mode) in [
        (&docs, 0o755),
        (&docs.join("good.yaml"), 0o644),
        (&docs.join("secret.yaml"), 0o000),
        (&locked, 0o000),
    ] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }
    prefix.push(bin);
    let argv: Vec<&str> = prefix.iter().map(String::as_str).collect();
    let run = run_program(
        &argv,
        &["check", "--format", "json", &docs.display().to_string()],
    );
    let report = json(&run);
    assert_eq!(run.code, 2, "{report:#}");
    let errors = report["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 2, "{report:#}");
    assert!(
        errors.iter().any(|e| e["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("secret.yaml"))
            && e["message"].as_str().is_some_and(|m| m.contains("denied"))),
        "{report:#}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e["file"].as_str().is_some_and(|f| f.ends_with("locked"))),
        "{report:#}"
    );
    assert_eq!(report["summary"]["documents"], 1, "good.yaml is checked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// Run `argv` (a copy of pdao, perhaps behind setpriv) with `args`, within the deadline.
fn run_program(argv: &[&str], args: &[&str]) -> Run {
    let (first, rest) = argv.split_first().expect("program");
    let mut cmd = Command::new(first);
    cmd.args(rest)
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().expect("starts");
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut out = String::new();
            let mut err = String::new();
            let _ = child.stdout.take().map(|mut s| s.read_to_string(&mut out));
            let _ = child.stderr.take().map(|mut s| s.read_to_string(&mut err));
            assert!(!err.contains("panicked"), "{err}");
            return Run {
                code: status.code().expect("exit code"),
                out,
                err,
                peak_kib: 0,
            };
        }
        assert!(start.elapsed() < DEADLINE, "{argv:?} {args:?}: a hang");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[cfg(unix)]
#[test]
fn special_files_in_a_walk_are_not_opened() {
    let dir = tempfile::tempdir().expect("tmp");
    let fifo = dir.path().join("pipe.yaml");
    let c = std::ffi::CString::new(fifo.display().to_string()).expect("path");
    // SAFETY: mkfifo on a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
    std::os::unix::fs::symlink(
        dir.path().join("gone.yaml"),
        dir.path().join("dangling.yaml"),
    )
    .expect("symlink");
    std::fs::write(dir.path().join("good.yaml"), sample(SEVEN_YEARS)).expect("write");
    // Opening the FIFO would block forever with no writer: the deadline would catch it.
    let run = pdao(&[
        "check",
        "--format",
        "json",
        &dir.path().display().to_string(),
    ]);
    assert_eq!(run.code, 1);
    assert_eq!(json(&run)["summary"]["documents"], 1);
    // Named on the command line, a dangling link is an error that names it.
    let dangling = dir.path().join("dangling.yaml").display().to_string();
    let good = dir.path().join("good.yaml").display().to_string();
    let run = pdao(&["check", "--format", "json", &dangling, &good]);
    assert_eq!(run.code, 2);
    let report = json(&run);
    assert_eq!(the_error(&report, "dangling.yaml")["code"], "pdao::io");
}

#[test]
fn files_vanishing_mid_run_are_reported_by_name() {
    // Many files, removed from the end while pdao runs: whichever it had not read yet when
    // they went must be reported by name, and every other one checked.
    let dir = tempfile::tempdir().expect("tmp");
    let text = sample(SEVEN_YEARS);
    let n = 1500;
    let paths: Vec<PathBuf> = (0..n)
        .map(|i| dir.path().join(format!("doc-{i:05}.yaml")))
        .collect();
    for (i, p) in paths.iter().enumerate() {
        let unique = text.replacen("id: GZ-JTCX-2026-XY01-DRAFT7", &format!("id: DOC-{i}"), 1);
        std::fs::write(p, unique).expect("write");
    }
    let to_remove: Vec<PathBuf> = paths.iter().rev().take(n / 2).cloned().collect();
    let remover = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(30));
        for p in to_remove {
            let _ = std::fs::remove_file(p);
        }
    });
    let run = pdao(&[
        "check",
        "--format",
        "json",
        "-j",
        "1",
        &dir.path().display().to_string(),
    ]);
    remover.join().expect("remover");
    let report = json(&run);
    let errors = report["errors"].as_array().expect("errors");
    for e in errors {
        assert_eq!(e["code"], "pdao::io", "{e:#}");
        assert!(
            e["file"].as_str().is_some_and(|f| f.contains("doc-")),
            "{e:#}"
        );
    }
    let documents = report["summary"]["documents"].as_u64().expect("documents") as usize;
    assert_eq!(
        documents + errors.len(),
        report["summary"]["files"].as_u64().expect("files") as usize
    );
    assert_eq!(run.code, if errors.is_empty() { 1 } else { 2 });
}

/// A copy of the built-in pack in a temporary directory.
fn pack_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    let from = root().join("rules");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.expect("walk");
        let target = dir
            .path()
            .join(entry.path().strip_prefix(&from).expect("prefix"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
    dir
}

fn check_with_pack(pack: &Path) -> Run {
    pdao(&["--rules", &pack.display().to_string(), "check", SEVEN_YEARS])
}

fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).expect("read");
    assert!(text.contains(from), "{from} in {}", file.display());
    std::fs::write(file, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn rule_packs_with_invalid_or_oversized_regexes() {
    for regex in ["'^(广东'", "'a{1000}{1000}{1000}'", "'(?P<x>a)(?P<x>b)'"] {
        let pack = pack_copy();
        let file = pack.path().join("articles/002.yaml");
        edit(
            &file,
            "region: { path: region, is: in_province }",
            &format!("pattern: {{ path: region, regex: {regex} }}"),
        );
        let run = check_with_pack(pack.path());
        assert_eq!(run.code, 2, "{regex}: {}", run.out);
        assert!(run.out.contains("正则表达式无效"), "{regex}: {}", run.out);
        assert!(run.out.contains("002.yaml:"), "{}", run.out);
        assert!(
            run.out.contains("error[GD22-02]"),
            "the rest of the pack applies"
        );
    }
}

#[test]
fn rule_packs_with_unknown_primitives() {
    let pack = pack_copy();
    let file = pack.path().join("articles/002.yaml");
    edit(&file, "required: region", "requires: region");
    let run = check_with_pack(pack.path());
    assert_eq!(run.code, 2);
    assert!(run.out.contains("002.yaml:"), "{}", run.out);
    assert!(run.out.contains("error[GD22-02]"), "{}", run.out);
}

#[test]
fn rule_packs_with_unknown_articles() {
    let pack = pack_copy();
    std::fs::write(
        pack.path().join("articles/099.yaml"),
        "article: 99\ntitle: 不存在\nchapter: 1\nrules: []\n",
    )
    .expect("write");
    let run = check_with_pack(pack.path());
    assert_eq!(run.code, 2);
    assert!(run.out.contains("条文中没有第 99 条"), "{}", run.out);
    assert!(run.out.contains("099.yaml:1:10"), "{}", run.out);
    assert!(run.out.contains("error[GD22-02]"), "{}", run.out);
}

#[test]
fn rule_packs_with_hostile_yaml() {
    for (name, text) in [
        ("bomb", {
            let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
            for i in 1..=9 {
                let p = i - 1;
                s.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
            }
            s
        }),
        ("deep", "[".repeat(100_000)),
        (
            "tagged",
            "article: !!python/object:os.system 1\n".to_string(),
        ),
        ("binary-ish", "article: 1\u{0}\n".to_string()),
    ] {
        let pack = pack_copy();
        std::fs::write(pack.path().join("articles/900.yaml"), text).expect("write");
        let run = check_with_pack(pack.path());
        assert_eq!(run.code, 2, "{name}: {}", run.out);
        assert!(run.out.contains("900.yaml"), "{name}: {}", run.out);
        assert!(run.out.contains("error[GD22-02]"), "{name}: {}", run.out);
    }
    let pack = pack_copy();
    std::fs::remove_file(pack.path().join("pack.yaml")).expect("rm");
    let run = check_with_pack(pack.path());
    assert_eq!(run.code, 2);
    assert!(run.err.contains("pack.yaml"), "{}", run.err);
}

#[test]
fn documents_cannot_make_pdao_fetch_anything() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("loopback");
    listener.set_nonblocking(true).expect("nonblocking");
    let url = format!(
        "http://{}/schema.json",
        listener.local_addr().expect("addr")
    );
    let text = format!(
        "# yaml-language-server: $schema={url}\n\"$schema\": {url}\n\"$ref\": {url}\n{}",
        sample(AGREEMENT).replacen(
            "region: 广州市",
            &format!("region: {{ \"$ref\": \"{url}\" }}"),
            1
        )
    );
    let report = report_of(text.as_bytes());
    assert!(report["summary"]["errors"].as_u64().is_some_and(|n| n > 0));
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "pdao connected to {url}"
    );
}

#[test]
fn the_schema_resolver_refuses_remote_references() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("loopback");
    listener.set_nonblocking(true).expect("nonblocking");
    let url = format!("http://{}/defs.json", listener.local_addr().expect("addr"));
    let schema = format!(
        r#"{{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "properties": {{"id": {{"$ref": "{url}#/id"}}}}}}"#
    );
    let schemas =
        pdao::schema::Schemas::from_files([("operating-agreement.schema.json", schema.as_str())])
            .expect("bundles");
    let err = schemas
        .compile_all()
        .expect_err("a remote $ref fails closed");
    assert_eq!(err.file, "operating-agreement.schema.json");
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "the resolver connected to {url}"
    );
}

#[test]
fn the_library_names_no_process_or_socket_api() {
    // pdao executes nothing and opens no connection: its code does not even name the means.
    let forbidden = [
        "process::Command",
        "Command::new",
        "TcpStream",
        "TcpListener",
        "UdpSocket",
        "UnixStream",
        "libc::exec",
        "std::net::",
    ];
    let mut hits = Vec::new();
    for entry in walkdir::WalkDir::new(root().join("src")) {
        let entry = entry.expect("walk");
        if entry.path().extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(entry.path()).expect("read");
            for word in forbidden {
                if text.contains(word) {
                    hits.push(format!("{}: {word}", entry.path().display()));
                }
            }
        }
    }
    assert!(hits.is_empty(), "{hits:#?}");
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).expect("Cargo.toml");
    let dependencies = manifest
        .split("[dev-dependencies]")
        .next()
        .expect("dependencies");
    for client in ["reqwest", "ureq", "hyper", "curl", "tokio"] {
        assert!(
            !dependencies.contains(&format!("\n{client} ")),
            "{client} is a dependency"
        );
    }
}

/// A long run on a terminal shows a progress bar on stderr; a machine format or a pipe never
/// does. The terminal is a pseudo-terminal from util-linux's `script`.
#[test]
fn a_progress_bar_only_on_a_terminal_and_only_for_people() {
    let script = ["/usr/bin/script", "/bin/script"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("script (util-linux) to give pdao a terminal");
    let dir = tempfile::tempdir().expect("tmp");
    let n = 320;
    for i in 0..n {
        std::fs::write(
            dir.path().join(format!("d{i:03}.yaml")),
            format!("kind: operating-agreement\nid: P-{i}\nregion: 广州市\n"),
        )
        .expect("write");
    }
    let bin = env!("CARGO_BIN_EXE_pdao");
    let on_terminal = |format: &str| {
        let log = dir.path().join(format!("{format}.log"));
        let command = format!(
            "{bin} check --format {format} {} > /dev/null",
            dir.path().display()
        );
        let run = run_program(
            &[script, "-qfec", &command, &log.display().to_string()],
            &[],
        );
        let _ = run;
        String::from_utf8_lossy(&std::fs::read(&log).expect("log")).into_owned()
    };
    let human = on_terminal("human");
    assert!(
        human.contains(&format!("/{n}")),
        "a bar on the terminal: {human}"
    );
    let json = on_terminal("json");
    assert!(!json.contains(&format!("/{n}")), "none for JSON: {json}");
    let piped = pdao(&["check", &dir.path().display().to_string()]);
    assert!(
        !piped.err.contains(&format!("/{n}")),
        "none on a pipe: {}",
        piped.err
    );
}

/// The hostile set for terminals and CI logs (`tests/data/hostile/terminal/`: escapes, bidi
/// overrides and workflow commands in values, keys, ids and comments) in a directory beside
/// documents whose file names carry the same.
fn terminal_set() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    for entry in std::fs::read_dir(root().join("tests/data/hostile/terminal")).expect("set") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
    }
    for (i, name) in [
        "::error::x.yaml",
        "\u{1b}[2J\u{1b}]0;title\u{7}esc.yaml",
        "new\n::warning file=a,line=1::line.yaml",
        "  ##[error]legacy.yaml",
        "\u{202e}lmth.yaml",
        "cr\r::notice::x.yaml",
    ]
    .into_iter()
    .enumerate()
    {
        std::fs::write(
            dir.path().join(name),
            format!("kind: operating-agreement\nid: NAME-{i}\nregion: 长沙市\n"),
        )
        .expect("write");
    }
    dir
}

/// No line of `text` may be run as a workflow command; in the GitHub format, only pdao's own
/// annotations start with `::`.
fn assert_no_command_lines(text: &str, format: &str) {
    for line in text.lines() {
        let body = line.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{2060}')
        });
        if format == "github" && body.starts_with("::") {
            assert!(
                ["::error ", "::warning ", "::notice "]
                    .iter()
                    .any(|p| line.starts_with(p)),
                "not one of pdao's annotations: {line:?}"
            );
            continue;
        }
        assert!(
            !body.starts_with("::") && !body.starts_with("##["),
            "{format}: a line a CI runner would run as a command: {line:?}"
        );
    }
}

#[test]
fn nothing_from_a_document_reaches_a_terminal_or_a_log_as_a_command() {
    let dir = terminal_set();
    let path = dir.path().display().to_string();
    for lang in ["zh", "en"] {
        for format in [
            "human", "json", "sarif", "junit", "gitlab", "github", "html",
        ] {
            let run = pdao(&["--lang", lang, "check", "--format", format, &path]);
            assert_eq!(run.code, 1, "{format}: {}", run.err);
            assert_no_command_lines(&run.out, format);
            assert_no_command_lines(&run.err, "stderr");
            if matches!(format, "human" | "github") {
                for raw in [
                    '\u{1b}', '\u{7}', '\u{0}', '\u{9b}', '\r', '\u{202e}', '\u{2066}',
                ] {
                    assert!(
                        !run.out.contains(raw),
                        "{format}: a raw {:?} reaches the terminal",
                        raw
                    );
                }
            }
            if format == "human" {
                for shown in ["\\e[31m", "\\x07", "\\u{202e}", "\\e]0;title\\x07esc.yaml"] {
                    assert!(run.out.contains(shown), "{shown} is shown as an escape");
                }
                assert!(
                    run.out.contains("\\n::set-output name=x::y"),
                    "a line break in a value is shown, not made"
                );
            }
        }
    }
    // --list-files prints names one per line: the same escapes, no command.
    let run = pdao(&["check", "--list-files", &path]);
    assert_eq!(run.code, 0, "{}", run.err);
    assert_no_command_lines(&run.out, "list");
    assert_no_command_lines(&run.err, "stderr");
    assert!(!run.out.contains('\u{1b}'), "{}", run.out);
    assert_eq!(
        run.out.lines().count(),
        8,
        "one line per document: {}",
        run.out
    );
}

#[cfg(unix)]
#[test]
fn file_names_stay_distinguishable_in_every_format() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tmp");
    let names: [&[u8]; 4] = [
        b"a\\b.yaml",
        b"a\\xffb.yaml",
        b"a\xffb.yaml",
        "a\u{FFFD}b.yaml".as_bytes(),
    ];
    for (i, name) in names.iter().enumerate() {
        std::fs::write(
            dir.path().join(OsStr::from_bytes(name)),
            format!("kind: operating-agreement\nid: N-{i}\nregion: 长沙市\n"),
        )
        .expect("write");
    }
    let shown = [
        "a\\\\b.yaml",
        "a\\\\xffb.yaml",
        "a\\xffb.yaml",
        "a\u{FFFD}b.yaml",
    ];
    let path = dir.path().display().to_string();
    let report = |format: &str| pdao(&["check", "--format", format, &path]).out;
    let distinct = |found: std::collections::BTreeSet<String>, format: &str| {
        assert_eq!(found.len(), 4, "{format}: {found:#?}");
    };
    let json: serde_json::Value = serde_json::from_str(&report("json")).expect("json");
    let files = json["findings"].as_array().expect("findings").iter();
    let files: std::collections::BTreeSet<String> = files
        .filter_map(|f| f["file"].as_str())
        .map(|f| f.rsplit('/').next().unwrap_or(f).to_string())
        .collect();
    assert_eq!(files, shown.iter().map(|s| s.to_string()).collect(), "json");
    let sarif: serde_json::Value = serde_json::from_str(&report("sarif")).expect("sarif");
    let uris: std::collections::BTreeSet<String> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .map(|u| u.rsplit('/').next().unwrap_or(u).to_string())
        .collect();
    for uri in [
        "a%5Cb.yaml",
        "a%5Cxffb.yaml",
        "a%FFb.yaml",
        "a%EF%BF%BDb.yaml",
    ] {
        assert!(uris.contains(uri), "sarif: {uri} in {uris:#?}");
    }
    distinct(uris, "sarif");
    let gitlab: serde_json::Value = serde_json::from_str(&report("gitlab")).expect("gitlab");
    let paths = gitlab.as_array().expect("issues").iter();
    distinct(
        paths
            .filter_map(|i| i["location"]["path"].as_str().map(String::from))
            .collect(),
        "gitlab",
    );
    let github = report("github");
    distinct(
        github
            .lines()
            .filter_map(|l| l.split("file=").nth(1))
            .filter_map(|p| p.split(',').next().map(String::from))
            .collect(),
        "github",
    );
    let junit = report("junit");
    let xml = roxmltree::Document::parse(&junit).expect("xml");
    distinct(
        xml.descendants()
            .filter_map(|n| n.attribute("file").map(String::from))
            .collect(),
        "junit",
    );
    for format in ["human", "html"] {
        let text = report(format);
        for name in shown {
            assert!(text.contains(name), "{format}: {name}");
        }
    }
}

/// A document of about 1 MB with `n` failures of one kind: unknown keys at the top, or catalog
/// entries each missing four fields.
fn megabyte_document(dir: &Path, shape: &str) -> PathBuf {
    let text = match shape {
        "keys" => {
            let keys: String = (0..95_000).map(|i| format!("k{i:06}: 1\n")).collect();
            format!("kind: operating-agreement\nid: H-KEYS\nregion: 广州市\n{keys}")
        }
        _ => {
            let entries: String = (0..60_000)
                .map(|i| format!("  - name: 数据{i}\n"))
                .collect();
            format!("kind: data-catalog\nid: H-ENTRIES\nregion: 广州市\nentries:\n{entries}")
        }
    };
    let path = dir.join(format!("{shape}.yaml"));
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn findings_of_one_rule_in_one_document_are_capped_and_counted() {
    let dir = tempfile::tempdir().expect("tmp");
    for (shape, rules) in [("keys", 1), ("entries", 4)] {
        let path = megabyte_document(dir.path(), shape);
        let run = pdao(&["check", "--format", "json", &path.display().to_string()]);
        assert_eq!(run.code, 1, "{shape}: {}", run.err);
        let report = json(&run);
        let findings = report["findings"].as_array().expect("findings");
        let mut by_rule: std::collections::BTreeMap<&str, usize> = Default::default();
        for f in findings {
            *by_rule
                .entry(f["rule"].as_str().expect("rule"))
                .or_default() += 1;
        }
        let capped: Vec<&str> = by_rule
            .iter()
            .filter(|(_, n)| **n == 101)
            .map(|(r, _)| *r)
            .collect();
        assert_eq!(capped.len(), rules, "{shape}: {by_rule:?}");
        assert!(by_rule.values().all(|n| *n <= 101), "{shape}: {by_rule:?}");
        for rule in capped {
            let summaries: Vec<&serde_json::Value> = findings
                .iter()
                .filter(|f| f["rule"] == rule && f["omitted"].as_u64().is_some())
                .collect();
            assert_eq!(
                summaries.len(),
                1,
                "{shape} {rule}: one finding counts the rest"
            );
            let s = summaries[0];
            let omitted = s["omitted"].as_u64().expect("omitted");
            let expected = if shape == "keys" {
                95_000 - 100
            } else {
                60_000 - 100
            };
            assert_eq!(omitted, expected, "{shape} {rule}");
            assert_eq!(s["line"], 2, "{shape}: at the document's id");
            assert_eq!(s["severity"], "error");
            assert!(
                s["message"]
                    .as_str()
                    .is_some_and(|m| m.contains(&omitted.to_string())),
                "{s:#}"
            );
        }
        let omitted: u64 = report["summary"]["omitted"].as_u64().expect("omitted");
        assert!(omitted >= 59_900, "{shape}: {omitted}");
    }
}

#[test]
fn reports_on_a_hostile_megabyte_stay_small() {
    let dir = tempfile::tempdir().expect("tmp");
    for shape in ["keys", "entries"] {
        let path = megabyte_document(dir.path(), shape).display().to_string();
        for format in [
            "human", "json", "sarif", "junit", "gitlab", "github", "html",
        ] {
            let run = pdao(&["check", "--format", format, &path]);
            assert_eq!(run.code, 1, "{shape} {format}");
            // SARIF carries the used rules' articles (about 0.7 MB) whatever the document.
            assert!(
                run.out.len() < 2 << 20,
                "{shape}: the {format} report is {} bytes for a 1 MB document",
                run.out.len()
            );
        }
    }
    // A value or a place spanning a whole block is shown by its first lines only.
    let block: String = (0..20_000).map(|i| format!("  第 {i} 行\n")).collect();
    let path = dir.path().join("block.yaml");
    std::fs::write(
        &path,
        format!("kind: operating-agreement\nid: H-BLOCK\nregion: |\n{block}"),
    )
    .expect("write");
    let run = pdao(&["check", &path.display().to_string()]);
    assert_eq!(run.code, 1);
    assert!(run.out.len() < 200_000, "{} bytes", run.out.len());
    assert!(
        !run.out.contains("第 19999 行"),
        "the block is not printed whole"
    );
}
