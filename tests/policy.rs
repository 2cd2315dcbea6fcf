//! `pdao check --policy FILE` through the binary: a CI-owned policy outside the repository that
//! the pull request cannot change. Each test is an attempt, written as a pull request would
//! write it, to make a 7-year operating agreement (Art. 22(2): 原则上最长不超过 5 年) pass.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

const SEVEN: &str = "operating-agreement/invalid-term-seven-years.yaml";
const VALID: &str = "repo-guangzhou-transport/04-agreement.yaml";

/// A checkout (`repo/`, with `.git`) and the CI's own directory (`ci/`) beside it.
struct Ci {
    dir: tempfile::TempDir,
}

impl Ci {
    fn new(policy: &str) -> Ci {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::create_dir_all(dir.path().join("repo/.git")).expect("git dir");
        std::fs::create_dir_all(dir.path().join("ci")).expect("ci");
        std::fs::write(dir.path().join("ci/policy.toml"), policy).expect("policy");
        Ci { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join("repo").join(rel)
    }

    fn policy(&self) -> String {
        self.dir.path().join("ci/policy.toml").display().to_string()
    }

    fn write(&self, rel: &str, text: &str) -> &Ci {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(p, text).expect("write");
        self
    }

    fn sample(&self, sample: &str, rel: &str) -> &Ci {
        let text = std::fs::read_to_string(root().join("samples").join(sample)).expect("sample");
        self.write(rel, &text)
    }

    fn run(&self, args: &[&str], with_policy: bool) -> (i32, String, String) {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pdao"));
        cmd.current_dir(self.path(""))
            .args(["--as-of", "2025-12-20", "--lang", "en"])
            .args(args)
            .env_remove("PDAO_POLICY");
        if with_policy {
            cmd.env("PDAO_POLICY", self.policy());
        }
        let out = cmd.output().expect("runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// `pdao check --format json .` with and without the policy: (code, report).
    fn json(&self, with_policy: bool) -> (i32, Value) {
        let (code, out, err) = self.run(&["check", "--format", "json", "."], with_policy);
        let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
        (code, v)
    }
}

fn counted(v: &Value, rule: &str) -> Option<String> {
    v["findings"]
        .as_array()?
        .iter()
        .find(|f| f["rule"] == rule)
        .and_then(|f| f["severity"].as_str().map(str::to_string))
}

fn error_places(v: &Value) -> Vec<String> {
    v["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    format!(
                        "{}:{}:{}",
                        e["file"].as_str().unwrap_or(""),
                        e["line"],
                        e["column"]
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_repository_cannot_turn_off_or_lower_a_rule_under_the_policy() {
    let ci = Ci::new("fail_on = \"error\"\n");
    ci.sample(SEVEN, "agreements/a.yaml");
    for (config, place) in [
        ("[rules]\n\"GD22-02\" = \"off\"\n", "pdao.toml:2:1"),
        ("[rules]\n\"article:22\" = \"warning\"\n", "pdao.toml:2:1"),
        (
            "[[overrides]]\npaths = [\"agreements/\"]\nrules = { \"GD22-02\" = \"info\" }\n",
            "pdao.toml:3:11",
        ),
    ] {
        ci.write("pdao.toml", config);
        let (code, v) = ci.json(false);
        assert_eq!(code, 0, "without the policy the agreement passes: {config}");
        let (code, v2) = ci.json(true);
        assert_eq!(code, 2, "{config}: {v2}");
        assert!(
            error_places(&v2).contains(&place.to_string()),
            "{config}: {v2}"
        );
        assert_eq!(counted(&v2, "GD22-02").as_deref(), Some("error"), "{v2}");
        let _ = v;
    }
    // Raising a severity is tightening: allowed.
    ci.write("pdao.toml", "[rules]\n\"GD22-13\" = \"error\"\n");
    assert_eq!(ci.json(true).0, 1);
}

#[test]
fn excludes_gitignore_and_hidden_directories_hide_no_document_under_the_policy() {
    let ci = Ci::new("");
    ci.sample(VALID, "plans/ok.yaml");
    for (setup, config) in [
        ("agreements/a.yaml", "exclude = [\"agreements/\"]\n"),
        ("agreements/a.yaml", "gitignore = true\n"),
        ("ignored/a.yaml", ""),
        (".drafts/a.yaml", ""),
    ] {
        let _ = std::fs::remove_dir_all(ci.path("agreements"));
        let _ = std::fs::remove_dir_all(ci.path("ignored"));
        let _ = std::fs::remove_dir_all(ci.path(".drafts"));
        ci.sample(SEVEN, setup)
            .write(".gitignore", "agreements/\nignored/\n")
            .write("pdao.toml", config);
        let (code, v) = ci.json(false);
        assert_eq!(code, 0, "without the policy {setup} is not checked: {v}");
        let (code, v) = ci.json(true);
        assert!(code == 1 || code == 2, "{setup}: {v}");
        assert_eq!(
            counted(&v, "GD22-02").as_deref(),
            Some("error"),
            "{setup}: {v}"
        );
        if !config.is_empty() {
            assert_eq!(code, 2, "{config}");
            assert!(
                error_places(&v).contains(&"pdao.toml:1:11".to_string())
                    || error_places(&v).contains(&"pdao.toml:1:13".to_string()),
                "{config}: {v}"
            );
        }
    }
}

#[test]
fn a_looser_fail_level_and_a_repository_baseline_are_errors() {
    let ci = Ci::new("fail_on = \"warning\"\n");
    ci.sample(
        "operating-agreement/invalid-term-six-years-with-exception.yaml",
        "a.yaml",
    );
    let (code, v) = ci.json(true);
    assert_eq!(code, 1, "a warning fails under the policy: {v}");
    assert_eq!(v["fail_on"], "warning");
    ci.write("pdao.toml", "fail_on = \"error\"\n");
    let (code, v) = ci.json(true);
    assert_eq!(code, 2, "{v}");
    assert!(
        error_places(&v).contains(&"pdao.toml:1:11".to_string()),
        "{v}"
    );
    // The repository may be stricter.
    ci.write("pdao.toml", "fail_on = \"info\"\n");
    let (_, v) = ci.json(true);
    assert_eq!(v["fail_on"], "info");
    // A baseline of the repository's would excuse what it lists.
    ci.write("pdao.toml", "").sample(SEVEN, "b.yaml");
    let (code, _, err) = ci.run(
        &["check", "--write-baseline", "pdao-baseline.json", "."],
        false,
    );
    assert_eq!(code, 0, "{err}");
    ci.write("pdao.toml", "baseline = \"pdao-baseline.json\"\n");
    assert_eq!(
        ci.json(false).0,
        0,
        "without the policy the baseline excuses all"
    );
    let (code, v) = ci.json(true);
    assert_eq!(code, 2, "{v}");
    assert!(
        error_places(&v).contains(&"pdao.toml:1:12".to_string()),
        "{v}"
    );
    assert!(
        v["findings"].as_array().is_some_and(|f| f
            .iter()
            .any(|f| f["rule"] == "GD22-02" && f["severity"] == "error")),
        "the baseline is not applied: {v}"
    );
}

#[test]
fn a_pack_may_not_lower_a_rule_under_the_policy() {
    let ci = Ci::new("");
    ci.sample(SEVEN, "a.yaml")
        .write(
            "city/pack.yaml",
            "name: city\ntighten:\n  GD22-02: warning\n",
        )
        .write("pdao.toml", "packs = [\"city\"]\n");
    let (code, v) = ci.json(false);
    assert_eq!(code, 1, "a lower tighten is inert, but said nothing: {v}");
    let (code, v) = ci.json(true);
    assert_eq!(code, 2, "{v}");
    assert!(
        error_places(&v).contains(&"city/pack.yaml:3:3".to_string()),
        "{v}"
    );
}

const EXCEPTION_FILE: &str = "exceptions:\n  - rule: GD22-02\n    path: a.yaml\n    reason: 市政府同意延长\n    approver: APPROVER\n    document: 穗府函〔2026〕12号\n    expires: EXPIRES\nRECORDED";

fn exceptions(approver: &str, expires: &str, recorded: Option<&str>) -> String {
    EXCEPTION_FILE
        .replace("APPROVER", approver)
        .replace("EXPIRES", expires)
        .replace(
            "RECORDED",
            &recorded.map_or_else(String::new, |d| format!("    recorded_at: {d}\n")),
        )
}

#[test]
fn only_listed_approvers_and_bounded_terms_make_an_exception() {
    let ci = Ci::new("approvers = [\"广州市人民政府\"]\nexception_max_days = 365\n");
    ci.sample(SEVEN, "a.yaml");
    // Approved by the repository's own author: an error, and it excuses nothing.
    ci.write(
        "pdao-exceptions.yaml",
        &exceptions("运营机构自己", "2026-06-30", Some("2025-12-01")),
    );
    assert_eq!(ci.json(false).0, 0, "without the policy anyone approves");
    let (code, v) = ci.json(true);
    assert_eq!(code, 2, "{v}");
    assert_eq!(v["errors"][0]["code"], "pdao::exception-approver", "{v}");
    assert_eq!(counted(&v, "GD22-02").as_deref(), Some("error"));
    // A listed approver, but no recorded_at, or an expiry beyond the bound: reported, not
    // applied.
    for (expires, recorded) in [("2026-06-30", None), ("2030-12-31", Some("2025-12-01"))] {
        ci.write(
            "pdao-exceptions.yaml",
            &exceptions("广州市人民政府", expires, recorded),
        );
        let (code, v) = ci.json(true);
        assert_eq!(code, 1, "{v}");
        assert_eq!(v["exceptions"][0]["status"], "refused", "{v}");
        assert!(v["exceptions"][0]["refused_because"].is_string(), "{v}");
        assert_eq!(counted(&v, "GD22-02").as_deref(), Some("error"));
    }
    // Within the bound: applied, and the report names the approver.
    ci.write(
        "pdao-exceptions.yaml",
        &exceptions("广州市人民政府", "2026-06-30", Some("2025-12-01")),
    );
    let (code, v) = ci.json(true);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["exceptions"][0]["status"], "applied", "{v}");
    assert_eq!(v["exceptions"][0]["recorded_at"], "2025-12-01", "{v}");
    assert_eq!(
        v["suppressed"][0]["suppression"]["approver"],
        "广州市人民政府"
    );
}

#[test]
fn comment_exceptions_can_be_turned_off_and_each_is_reported() {
    let ci = Ci::new("comment_exceptions = false\n");
    let text = std::fs::read_to_string(root().join("samples").join(SEVEN))
        .expect("sample")
        .replace(
            "end: 2032-12-31",
            "end: 2032-12-31  # pdao-exception: GD22-02 reason=\"自行延长\" approver=\"本单位\"",
        );
    ci.write("a.yaml", &text);
    assert_eq!(
        ci.json(false).0,
        0,
        "without the policy the comment excuses it"
    );
    let (code, v) = ci.json(true);
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["exceptions"][0]["status"], "refused", "{v}");
    assert_eq!(v["exceptions"][0]["origin"], "comment", "{v}");
    let (_, out, _) = ci.run(&["check", "."], true);
    assert!(out.contains("does not apply"), "each is said: {out}");
}

#[test]
fn unresolved_references_fail_under_the_policy() {
    let ci = Ci::new("unresolved = \"error\"\n");
    ci.sample(VALID, "a.yaml");
    assert_eq!(
        ci.json(false).0,
        0,
        "a reference outside the run is info by default"
    );
    let (code, v) = ci.json(true);
    assert_eq!(code, 1, "{v}");
    assert!(
        v["findings"].as_array().is_some_and(|f| f
            .iter()
            .any(|f| f["unresolved"] == true && f["severity"] == "error")),
        "{v}"
    );
}

#[test]
fn pinned_calendars_and_packs_ignore_the_repository_s() {
    let ci = Ci::new("packs = []\ncalendars = []\n");
    ci.sample(SEVEN, "a.yaml")
        .write("city/articles/022.yaml", "not: a rule file\n")
        .write("calendars/2031.yaml", "- not a calendar\n")
        .write(
            "pdao.toml",
            "packs = [\"city\"]\ncalendars = [\"calendars/2031.yaml\"]\n",
        );
    assert_eq!(
        ci.json(false).0,
        2,
        "the repository's broken files are read"
    );
    let (code, v) = ci.json(true);
    assert_eq!(code, 1, "pinned: the repository's are not read: {v}");
}

#[test]
fn the_policy_file_is_checked_and_may_come_from_the_command_line() {
    let ci = Ci::new("fail_on = \"error\"\nexclude = [\"x\"]\n");
    ci.sample(VALID, "a.yaml");
    let (code, _, err) = ci.run(&["check", "."], true);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("policy.toml:2:1"), "{err}");
    assert!(err.contains("exclude"), "{err}");
    std::fs::write(
        ci.dir.path().join("ci/policy.toml"),
        "fail_on = \"warning\"\n",
    )
    .expect("w");
    let policy = ci.policy();
    let (code, out, _) = ci.run(
        &["check", "--policy", &policy, "--format", "json", "."],
        false,
    );
    assert!(code == 0 || code == 1, "{out}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["fail_on"], "warning");
}

/// The output of `pdao check --format FORMAT .`, for every format.
fn every_format(ci: &Ci, extra: &[&str], with_policy: bool) -> Vec<(&'static str, String)> {
    [
        "human", "json", "sarif", "junit", "gitlab", "github", "html",
    ]
    .into_iter()
    .map(|format| {
        let mut args = vec!["check", "--format", format];
        args.extend_from_slice(extra);
        args.push(".");
        let (_, out, err) = ci.run(&args, with_policy);
        (format, format!("{out}{err}"))
    })
    .collect()
}

fn sha256(path: &Path) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(std::fs::read(path).expect("read"))
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn every_report_states_what_decided_the_run() {
    let ci = Ci::new("approvers = [\"甲市人民政府\"]\npacks = []\n");
    ci.sample(SEVEN, "a.yaml")
        .sample(
            "operating-agreement/invalid-defective-entries.yaml",
            "drafts/x.yaml",
        )
        .write(
            "pdao.toml",
            "exclude = [\"drafts/\"]\npacks = []\n[rules]\n\"GD34-P1r\" = \"off\"\n",
        )
        .write(
            "pdao-exceptions.yaml",
            &exceptions("甲市人民政府", "2026-06-30", Some("2025-12-01")),
        );
    let (code, _, err) = ci.run(&["check", "--write-baseline", "base.json", "a.yaml"], false);
    assert_eq!(code, 0, "{err}");
    let baseline_sha = sha256(&ci.path("base.json"));
    // The repository's own decisions, without a policy.
    for (format, out) in every_format(&ci, &["--baseline", "base.json"], false) {
        for needle in [
            "pdao.toml:4",
            "drafts",
            "甲市人民政府",
            "base.json",
            baseline_sha.as_str(),
        ] {
            assert!(
                out.contains(needle),
                "{format} does not state {needle}: {out}"
            );
        }
    }
    // Under the policy: its file and digest, the settings it set aside, the approver.
    ci.write("pdao.toml", "packs = []\n");
    let policy = ci.policy();
    let policy_sha = sha256(Path::new(&policy));
    for (format, out) in every_format(&ci, &[], true) {
        for needle in [
            policy.as_str(),
            policy_sha.as_str(),
            "pdao.toml:1",
            "甲市人民政府",
        ] {
            assert!(
                out.contains(needle),
                "{format} does not state {needle}: {out}"
            );
        }
        if format == "sarif" {
            sarif_is_valid(&out);
        }
    }
}

fn sarif_is_valid(text: &str) {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/data/sarif-schema-2.1.0.json"))
            .expect("schema"),
    )
    .expect("json");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("compiles");
    let log: Value = serde_json::from_str(text).expect("json");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn a_policy_the_pull_request_could_change_is_no_policy() {
    let ci = Ci::new("");
    ci.sample(SEVEN, "a.yaml")
        .write("pdao-policy.toml", "fail_on = \"error\"\n")
        .write("pdao.toml", "[rules]\n\"GD22-02\" = \"off\"\n");
    let (code, _, err) = ci.run(&["check", "--policy", "pdao-policy.toml", "."], false);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("lies inside"), "{err}");
    // Nor may it pin a file of the repository's.
    std::fs::write(
        ci.dir.path().join("ci/policy.toml"),
        format!("baseline = \"{}\"\n", ci.path("b.json").display()),
    )
    .expect("policy");
    let (code, _, err) = ci.run(&["check", "."], true);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("baseline"), "{err}");
    // A policy variable that is set but empty fails the run.
    let out = Command::new(env!("CARGO_BIN_EXE_pdao"))
        .current_dir(ci.path(""))
        .args(["check", "."])
        .env("PDAO_POLICY", "")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}
