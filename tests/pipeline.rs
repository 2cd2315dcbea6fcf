//! `pdao check` end to end through the binary: the configuration file, layered rule packs,
//! exceptions as audit records, the baseline, the fail level, and several reports in one run.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A repository in a temporary directory (with `.git`, so configuration discovery stops there).
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::create_dir(dir.path().join(".git")).expect("git dir");
        Repo { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) -> &Repo {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(p, text).expect("write");
        self
    }

    fn sample(&self, sample: &str, rel: &str) -> &Repo {
        let text = std::fs::read_to_string(root().join("samples").join(sample)).expect("sample");
        self.write(rel, &text)
    }

    fn sample_dir(&self, sample: &str, rel: &str) -> &Repo {
        for entry in std::fs::read_dir(root().join("samples").join(sample)).expect("dir") {
            let name = entry.expect("entry").file_name();
            let name = name.to_string_lossy();
            self.sample(&format!("{sample}/{name}"), &format!("{rel}/{name}"));
        }
        self
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).expect("read")
    }

    /// Run pdao in the repository: (exit code, stdout, stderr).
    fn pdao(&self, args: &[&str]) -> (i32, String, String) {
        self.pdao_in("", args)
    }

    /// Deadlines (Art. 23 filing, …) are judged as of a fixed date, a day after the samples'
    /// agreements are signed, so that the tests do not change with the calendar.
    fn pdao_in(&self, sub: &str, args: &[&str]) -> (i32, String, String) {
        let out = Command::cargo_bin("pdao")
            .expect("binary")
            .current_dir(self.path(sub))
            .args(["--as-of", "2025-12-20"])
            .args(args)
            .output()
            .expect("runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn json(&self, args: &[&str]) -> (i32, Value) {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        let (code, out, err) = self.pdao(&all);
        let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
        (code, v)
    }
}

const SEVEN: &str = "operating-agreement/invalid-term-seven-years.yaml";
const SIX_WITH_EXCEPTION: &str = "operating-agreement/invalid-term-six-years-with-exception.yaml";
const DEFECTIVE: &str = "operating-agreement/invalid-defective-entries.yaml";
const VALID: &str = "repo-guangzhou-transport/04-agreement.yaml";
/// A clean plan repository: every document of the set, no finding but review items.
const CLEAN_REPO: &str = "repo-guangzhou-transport";

fn rules_of(v: &Value) -> Vec<(String, String)> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["severity"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn severity_of(v: &Value, rule: &str) -> Option<String> {
    rules_of(v)
        .into_iter()
        .find(|(r, _)| r == rule)
        .map(|(_, s)| s)
}

#[test]
fn the_nearest_configuration_wins_and_flags_override_it() {
    let repo = Repo::new();
    repo.write("pdao.toml", "[rules]\n\"GD22-02\" = \"off\"\n")
        .write("sub/pdao.toml", "[rules]\n\"GD22-02\" = \"warning\"\n")
        .sample(SEVEN, "sub/a.yaml")
        .sample(SEVEN, "b.yaml");
    let (code, v) = repo.json(&["sub/a.yaml"]);
    assert_eq!(severity_of(&v, "GD22-02").as_deref(), Some("warning"));
    assert_eq!(code, 0, "a warning does not fail the default level");
    let (_, v) = repo.json(&["b.yaml"]);
    assert_eq!(severity_of(&v, "GD22-02"), None, "turned off at the root");
    let (code, v) = repo.json(&["--no-config", "sub/a.yaml"]);
    assert_eq!(severity_of(&v, "GD22-02").as_deref(), Some("error"));
    assert_eq!(code, 1);
    let (_, v) = repo.json(&["--config", "pdao.toml", "sub/a.yaml"]);
    assert_eq!(severity_of(&v, "GD22-02"), None);
    // From inside the subdirectory, `.` finds sub/pdao.toml.
    let out = Command::cargo_bin("pdao")
        .expect("binary")
        .current_dir(repo.path("sub"))
        .args(["check", "--format", "json", "."])
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(severity_of(&v, "GD22-02").as_deref(), Some("warning"));
    // Paths under two configurations have no single policy.
    let (code, _, err) = repo.pdao(&["check", "sub/a.yaml", "b.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("不同的配置文件"), "{err}");
}

#[test]
fn configuration_errors_are_located() {
    let repo = Repo::new();
    repo.sample(SEVEN, "a.yaml")
        .write("pdao.toml", "lang = \"en\"\nfial_on = \"warning\"\n");
    let (code, out, err) = repo.pdao(&["check", "a.yaml"]);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("pdao.toml:2:1"), "{err}");
    assert!(err.contains("fial_on"), "{err}");
    // Entries checked against the rule pack are reported with the run (which goes on).
    repo.write("pdao.toml", "[rules]\n\"GD22-2\" = \"off\"\n");
    let (code, out, _) = repo.pdao(&["check", "a.yaml"]);
    assert_eq!(code, 2);
    assert!(out.contains("pdao.toml:2:1"), "{out}");
    assert!(out.contains("没有编号为 GD22-2 的规则"), "{out}");
    assert!(out.contains("是否应为 GD22-02"), "a suggestion: {out}");
    repo.write("pdao.toml", "[rules]\n\"article:46\" = \"warning\"\n");
    let (code, out, _) = repo.pdao(&["check", "a.yaml"]);
    assert_eq!(code, 2);
    assert!(out.contains("条文中没有第 46 条"), "{out}");
    repo.write("pdao.toml", "[rules]\n\"GD22-02\" = \"warn\"\n");
    let (code, _, err) = repo.pdao(&["check", "a.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("pdao.toml:2:13"), "{err}");
}

#[test]
fn severities_by_article_and_by_path() {
    let repo = Repo::new();
    repo.write(
        "pdao.toml",
        "[rules]\n\"article:22\" = \"warning\"\n\"GD22-01a\" = \"error\"\n\
         [[overrides]]\npaths = [\"legacy/\"]\nrules = { \"GD22-02\" = \"off\", \"article:34\" = \"off\" }\n",
    )
    .sample(DEFECTIVE, "current/a.yaml")
    .sample(SEVEN, "current/b.yaml")
    .sample(SEVEN, "legacy/b.yaml");
    let (code, v) = repo.json(&["current/a.yaml"]);
    assert_eq!(
        code, 1,
        "GD22-01a stays an error: a rule id beats its article"
    );
    assert_eq!(severity_of(&v, "GD22-01a").as_deref(), Some("error"));
    assert_eq!(severity_of(&v, "GD22-10").as_deref(), Some("warning"));
    assert_eq!(
        severity_of(&v, "GD34-P1r").as_deref(),
        Some("review"),
        "review items keep their severity"
    );
    let (_, v) = repo.json(&["current/b.yaml"]);
    assert_eq!(severity_of(&v, "GD22-02").as_deref(), Some("warning"));
    let (code, v) = repo.json(&["legacy/b.yaml"]);
    assert_eq!(severity_of(&v, "GD22-02"), None, "legacy/: off");
    assert_eq!(
        severity_of(&v, "GD34-P1r"),
        None,
        "legacy/: the review item is off"
    );
    assert!(
        rules_of(&v)
            .iter()
            .all(|(_, s)| s == "warning" || s == "info" || s == "review"),
        "the rest of article 22 is a warning at most (review items keep theirs): {v}"
    );
    assert_eq!(code, 0);
}

#[test]
fn excluded_paths_and_gitignore_are_not_walked_but_named_files_are_checked() {
    let repo = Repo::new();
    repo.write("pdao.toml", "exclude = [\"drafts/\", \"*.tmp.yaml\"]\n")
        .write(".gitignore", "generated/\n")
        .sample(VALID, "plans/ok.yaml")
        .sample(SEVEN, "drafts/x.yaml")
        .sample(SEVEN, "plans/y.tmp.yaml")
        .sample(SEVEN, "generated/z.yaml")
        .sample(SEVEN, ".hidden/h.yaml");
    let (code, v) = repo.json(&["."]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["summary"]["documents"], 1);
    let (code, v) = repo.json(&["--no-gitignore", "."]);
    assert_eq!(code, 1);
    assert_eq!(v["summary"]["documents"], 2, "generated/ is walked now");
    let (code, v) = repo.json(&["drafts/x.yaml"]);
    assert_eq!(code, 1, "a file named on the command line is checked: {v}");
}

#[test]
fn default_language_and_formats_come_from_the_configuration() {
    let repo = Repo::new();
    repo.write(
        "pdao.toml",
        "lang = \"en\"\nformat = [\"json\", \"sarif=reports/pdao.sarif\"]\nfail_on = \"warning\"\n\
         calendars = [\"calendars/2027.yaml\"]\n",
    )
    .sample(SIX_WITH_EXCEPTION, "plans/a.yaml")
    .write(
        "calendars/2027.yaml",
        "year: 2027\nsource: 测试用日历\nholidays:\n  - { name: 元旦, from: 2027-01-01, to: 2027-01-01 }\n",
    );
    let (code, out, err) = repo.pdao_in("plans", &["check", "a.yaml"]);
    assert_eq!(code, 1, "fail_on = warning: {err}");
    let v: Value = serde_json::from_str(&out).expect("json on stdout");
    assert!(v["findings"][0]["message"]
        .as_str()
        .is_some_and(|m| m.is_ascii()));
    assert_eq!(v["fail_on"], "warning");
    let sarif: Value =
        serde_json::from_str(&repo.read("reports/pdao.sarif")).expect("sarif beside the config");
    assert_eq!(sarif["version"], "2.1.0");
    // The command line wins over the configuration.
    let (code, out, _) = repo.pdao_in(
        "plans",
        &[
            "--lang",
            "zh",
            "check",
            "--format",
            "human",
            "--fail-on",
            "error",
            "a.yaml",
        ],
    );
    assert_eq!(code, 0);
    assert!(out.contains("个警告"), "{out}");
    // Calendar files named by the configuration are loaded: a missing one is an error.
    std::fs::remove_file(repo.path("calendars/2027.yaml")).expect("rm");
    let (code, out, _) = repo.pdao_in("plans", &["check", "a.yaml"]);
    assert_eq!(code, 2);
    assert!(out.contains("2027.yaml"), "{out}");
}

const LAYER_RULE: &str = r#"article: 22
title: 运营协议内容
chapter: 3
rules:
  - id: GD22-02z
    citation: { article: 22, paragraph: 1, item: 2 }
    quote: 运营期限,原则上最长不超过 5 年
    modality: 原则上
    kinds: [operating-agreement]
    message: { zh: 本市实施细则：运营期限不超过 3 年, en: "City rules: the term is at most 3 years" }
    help: { zh: 缩短期限至 3 年以内, en: Shorten the term to 3 years }
    check:
      term: { start: term/start, end: term/end, max_years: 3 }
"#;

#[test]
fn a_layered_pack_adds_rules_and_tightens_severities_but_cannot_redefine() {
    let repo = Repo::new();
    repo.sample(SIX_WITH_EXCEPTION, "a.yaml")
        .write("city/articles/022.yaml", LAYER_RULE)
        .write(
            "city/pack.yaml",
            "name: city-rules\ntitle: 某市实施细则\ntighten:\n  GD22-02: error\n",
        );
    let (code, v) = repo.json(&["a.yaml"]);
    assert_eq!(code, 0, "the base pack alone: a warning");
    assert_eq!(severity_of(&v, "GD22-02").as_deref(), Some("warning"));
    let (code, v) = repo.json(&["--pack", "city", "a.yaml"]);
    assert_eq!(code, 1);
    assert_eq!(
        severity_of(&v, "GD22-02").as_deref(),
        Some("error"),
        "tightened"
    );
    assert_eq!(
        severity_of(&v, "GD22-02z").as_deref(),
        Some("error"),
        "added"
    );
    // The same through the configuration, and in `pdao rules`.
    repo.write("pdao.toml", "packs = [\"city\"]\n");
    let (_, v) = repo.json(&["a.yaml"]);
    assert_eq!(severity_of(&v, "GD22-02z").as_deref(), Some("error"));
    let (code, out, _) = repo.pdao(&["rules"]);
    assert_eq!(code, 0);
    assert!(out.contains("GD22-02z"), "{out}");
    // Redefining a base rule is refused, with the place.
    repo.write(
        "city/articles/022.yaml",
        &LAYER_RULE.replace("GD22-02z", "GD22-02"),
    );
    let (code, _, err) = repo.pdao(&["check", "--format", "json", "a.yaml"]);
    let _ = err;
    assert_eq!(code, 2);
    let (_, out, _) = repo.pdao(&["check", "a.yaml"]);
    assert!(out.contains("pdao::duplicate-id"), "{out}");
    assert!(out.contains("city/articles/022.yaml:5:"), "{out}");
    assert!(
        out.contains("rules/articles/022.yaml"),
        "names the base file: {out}"
    );
    // Tightening cannot turn a rule off.
    repo.write("city/articles/022.yaml", LAYER_RULE).write(
        "city/pack.yaml",
        "name: city-rules\ntighten:\n  GD22-02: \"off\"\n",
    );
    let (code, out, _) = repo.pdao(&["check", "a.yaml"]);
    assert_eq!(code, 2);
    assert!(out.contains("只能提高"), "{out}");
}

fn audit(args: &[&str]) -> (i32, Value) {
    let out = Command::cargo_bin("pdao")
        .expect("binary")
        .current_dir(root())
        .args(["check", "--format", "json"])
        .args(args)
        .arg("tests/data/audit")
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        serde_json::from_slice(&out.stdout).expect("json"),
    )
}

fn statuses(v: &Value) -> Vec<(String, String, u64)> {
    v["exceptions"]
        .as_array()
        .expect("exceptions")
        .iter()
        .map(|e| {
            (
                e["rule"].as_str().unwrap_or("").to_string(),
                e["status"].as_str().unwrap_or("").to_string(),
                e["matched"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn exceptions_are_applied_expire_and_report_unused_records() {
    let (code, v) = audit(&["--as-of", "2028-06-01"]);
    assert_eq!(code, 1);
    let mut s = statuses(&v);
    s.sort();
    assert_eq!(
        s,
        vec![
            ("GD22-02".into(), "applied".into(), 1),
            ("GD22-03b".into(), "applied".into(), 1),
            ("GD22-10".into(), "expired".into(), 1),
            ("GD22-11".into(), "applied".into(), 1),
            ("GD22-12a".into(), "unused".into(), 0),
        ]
    );
    let suppressed = v["suppressed"].as_array().expect("suppressed");
    assert_eq!(suppressed.len(), 3);
    let gd22_02 = suppressed
        .iter()
        .find(|f| f["rule"] == "GD22-02")
        .expect("GD22-02 excused");
    assert_eq!(gd22_02["suppression"]["kind"], "exception");
    assert_eq!(gd22_02["suppression"]["origin"], "comment");
    assert_eq!(gd22_02["suppression"]["approver"], "广州市人民政府");
    assert_eq!(gd22_02["suppression"]["document"], "穗府函〔2026〕12号");
    assert!(
        severity_of(&v, "GD22-10").is_some(),
        "expired: counts again"
    );
    assert!(severity_of(&v, "GD22-11").is_none(), "excused: not counted");
    // Before the expiry date the record applies.
    let (_, v) = audit(&["--as-of", "2027-12-31"]);
    assert!(severity_of(&v, "GD22-10").is_none());
    // An audit sees everything.
    let (_, v) = audit(&["--no-exceptions"]);
    assert!(v["suppressed"].as_array().is_some_and(Vec::is_empty));
    assert!(v["exceptions"].as_array().is_some_and(Vec::is_empty));
    for rule in ["GD22-02", "GD22-03b", "GD22-10", "GD22-11"] {
        assert!(severity_of(&v, rule).is_some(), "{rule}");
    }
}

#[test]
fn expired_and_unused_exceptions_are_said_in_the_human_report() {
    let out = Command::cargo_bin("pdao")
        .expect("binary")
        .current_dir(root())
        .args(["check", "--as-of", "2028-06-01", "tests/data/audit"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("已于 2027-12-31 到期，不再适用"), "{text}");
    assert!(text.contains("未匹配任何发现"), "{text}");
    assert!(text.contains("pdao-exceptions.yaml:16"), "{text}");
}

#[test]
fn an_exception_without_reason_or_approver_is_an_error_and_excuses_nothing() {
    let repo = Repo::new();
    repo.sample(SEVEN, "a.yaml").write(
        "pdao-exceptions.yaml",
        "exceptions:\n  - rule: GD22-02\n    path: a.yaml\n    reason: 已批准\n",
    );
    let (code, v) = repo.json(&["a.yaml"]);
    assert_eq!(code, 2);
    assert_eq!(severity_of(&v, "GD22-02").as_deref(), Some("error"));
    let e = &v["errors"][0];
    assert_eq!(e["code"], "pdao::exception-incomplete");
    assert_eq!(e["line"], 2);
    assert!(e["message"]
        .as_str()
        .is_some_and(|m| m.contains("approver")));
    // Unknown keys, unknown rules and bad dates are located too.
    repo.write(
        "pdao-exceptions.yaml",
        "exceptions:\n  - rule: GD22-99\n    id: x\n    reason: r\n    approver: a\n    expires: 2027-02-30\n    aprover: b\n",
    );
    let (code, v) = repo.json(&["a.yaml"]);
    assert_eq!(code, 2);
    let lines: Vec<u64> = v["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["line"].as_u64())
        .collect();
    assert_eq!(lines, vec![7, 2, 6], "{v}");
}

#[test]
fn comment_exceptions_cover_their_line_or_the_next_one() {
    let repo = Repo::new();
    let doc = std::fs::read_to_string(root().join("samples").join(SEVEN)).expect("sample");
    let approved =
        r#"reason="经市政府批准" approver="广州市人民政府" document="穗府函〔2026〕12号""#;
    // Trailing comment on the offending line.
    repo.write(
        "a.yaml",
        &doc.replace(
            "  end: 2032-12-31",
            &format!("  end: 2032-12-31  # pdao-exception: GD22-02 {approved}"),
        ),
    );
    let (code, v) = repo.json(&["a.yaml"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["suppressed"][0]["rule"], "GD22-02");
    // A comment on its own line, blank lines and other comments between.
    repo.write(
        "a.yaml",
        &doc.replace(
            "  end: 2032-12-31",
            &format!("  # pdao-exception: GD22-02 {approved} expires=2099-01-01\n\n  # 另一条注释\n  end: 2032-12-31"),
        ),
    );
    let (code, v) = repo.json(&["a.yaml"]);
    assert_eq!(code, 0, "{v}");
    // A comment above another line does not cover the finding.
    repo.write(
        "a.yaml",
        &doc.replace(
            "  start: 2026-01-01",
            &format!("  # pdao-exception: GD22-02 {approved}\n  start: 2026-01-01"),
        ),
    );
    let (code, v) = repo.json(&["a.yaml"]);
    assert_eq!(code, 1);
    assert_eq!(v["exceptions"][0]["status"], "unused");
    // Text that only looks like a comment, inside a quoted value, is not one.
    repo.write(
        "a.yaml",
        &doc.replace(
            "  end: 2032-12-31",
            &format!(
                "  end: 2032-12-31\n  note: \"x # pdao-exception: GD22-02 {}\"",
                approved.replace('"', "'")
            ),
        ),
    );
    let (_, v) = repo.json(&["a.yaml"]);
    assert!(v["exceptions"].as_array().is_some_and(Vec::is_empty), "{v}");
    // Incomplete or misspelt comments are errors at the comment.
    repo.write(
        "a.yaml",
        &doc.replace(
            "  end: 2032-12-31",
            "  end: 2032-12-31  # pdao-exception: GD22-02 reason=\"无批准机关\"",
        ),
    );
    let (code, v) = repo.json(&["a.yaml"]);
    assert_eq!(code, 2);
    assert_eq!(v["errors"][0]["code"], "pdao::exception-incomplete");
    assert_eq!(v["errors"][0]["line"], 71);
    assert_eq!(severity_of(&v, "GD22-02").as_deref(), Some("error"));
    repo.write(
        "a.yaml",
        &doc.replace(
            "  end: 2032-12-31",
            &format!("  end: 2032-12-31  # pdao-exception: GD22-02 {approved} pointer=/term"),
        ),
    );
    let (code, v) = repo.json(&["a.yaml"]);
    assert_eq!(code, 2);
    assert!(v["errors"][0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("pointer")));
}

#[test]
fn a_baseline_fails_only_on_new_findings() {
    let repo = Repo::new();
    repo.sample(DEFECTIVE, "plans/a.yaml");
    let (code, out, err) = repo.pdao(&["check", "--write-baseline", "pdao-baseline.json", "plans"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("基线"), "{err}");
    let baseline: Value = serde_json::from_str(&repo.read("pdao-baseline.json")).expect("json");
    let known = baseline["findings"].as_array().expect("findings").len();
    assert!(known >= 7, "{baseline}");
    let (code, v) = repo.json(&["--baseline", "pdao-baseline.json", "plans"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["suppressed"].as_array().map(Vec::len), Some(known));
    assert_eq!(v["suppressed"][0]["suppression"]["kind"], "baseline");
    assert_eq!(v["baseline"]["matched"], known as u64);
    // Lines move: still known.
    let text = repo.read("plans/a.yaml");
    repo.write("plans/a.yaml", &format!("# 新增说明\n# 第二行\n{text}"));
    let (code, _) = repo.json(&["--baseline", "pdao-baseline.json", "plans"]);
    assert_eq!(code, 0);
    // A changed offending value is a new finding; a fixed one is reported as fixed.
    let edited = repo
        .read("plans/a.yaml")
        .replace("end: 2033-02-29", "end: 2033-02-30")
        .replace("  indirect: false", "  indirect: true");
    repo.write("plans/a.yaml", &edited);
    let (code, v) = repo.json(&["--baseline", "pdao-baseline.json", "plans"]);
    assert_eq!(code, 1);
    let new: Vec<String> = rules_of(&v)
        .into_iter()
        .filter(|(_, s)| s != "review")
        .map(|(r, _)| r)
        .collect();
    // The impossible date is one defect: GD22-02d reports it, the schema does not repeat it.
    assert_eq!(new, vec!["GD22-02d"], "{v}");
    assert_eq!(v["baseline"]["fixed"], 2, "02d and 06c: {v}");
    // A new document's findings all count.
    repo.sample(SEVEN, "plans/b.yaml");
    let (code, v) = repo.json(&["--baseline", "pdao-baseline.json", "plans"]);
    assert_eq!(code, 1);
    assert!(severity_of(&v, "GD22-02").is_some());
    // The configuration can name the baseline too; a broken one stops the run.
    repo.write("pdao.toml", "baseline = \"pdao-baseline.json\"\n");
    let (_, v) = repo.json(&["plans"]);
    assert!(v["baseline"]["matched"].as_u64().is_some_and(|n| n > 0));
    repo.write("pdao-baseline.json", "{\"version\": 1, \"findings\": [{]}");
    let (code, v) = repo.json(&["plans"]);
    assert_eq!(code, 2);
    assert_eq!(v["errors"][0]["code"], "pdao::baseline");
}

#[test]
fn fail_on_sets_the_level_and_review_items_never_fail() {
    let repo = Repo::new();
    repo.sample(SIX_WITH_EXCEPTION, "w.yaml")
        .sample_dir(CLEAN_REPO, "ok");
    let (code, v) = repo.json(&["w.yaml"]);
    assert_eq!(code, 0);
    assert_eq!(severity_of(&v, "GD22-02").as_deref(), Some("warning"));
    assert_eq!(repo.json(&["--fail-on", "warning", "w.yaml"]).0, 1);
    assert_eq!(repo.json(&["--fail-on", "info", "w.yaml"]).0, 1);
    let (code, v) = repo.json(&["--fail-on", "info", "ok"]);
    assert!(rules_of(&v).iter().any(|(_, s)| s == "review"), "{v}");
    assert_eq!(code, 0, "review items never fail a run");
    let (code, _, err) = repo.pdao(&["check", "--fail-on", "review", "ok"]);
    assert_eq!(code, 2, "{err}");
    let (code, out, _) = repo.pdao(&["check", "--fail-on", "warning", "w.yaml"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("--fail-on warning"),
        "the human report says why: {out}"
    );
}

#[test]
fn several_reports_in_one_run_and_one_standard_output() {
    let repo = Repo::new();
    repo.sample(SEVEN, "a.yaml");
    let (code, out, err) = repo.pdao(&[
        "check",
        "--format",
        "human",
        "--format",
        "sarif=out/pdao.sarif",
        "--format",
        "junit=out/junit.xml",
        "--format",
        "gitlab=gl-code-quality-report.json",
        "--format",
        "html=out/report.html",
        "--format",
        "json=out/pdao.json",
        "a.yaml",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("error[GD22-02]"), "{out}");
    for f in [
        "out/pdao.sarif",
        "out/junit.xml",
        "gl-code-quality-report.json",
        "out/report.html",
        "out/pdao.json",
    ] {
        assert!(!repo.read(f).is_empty(), "{f}");
    }
    let (code, _, err) = repo.pdao(&["check", "--format", "json", "--format", "sarif", "a.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("标准输出"), "{err}");
    let (code, _, _) = repo.pdao(&["check", "--format", "pdf", "a.yaml"]);
    assert_eq!(code, 2);
}
