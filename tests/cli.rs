//! The `pdao` binary, end to end: exit codes, formats, bad input, broken packs, stdin.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn pdao() -> Command {
    let mut cmd = Command::cargo_bin("pdao").expect("binary");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR");
    cmd
}

fn stdout(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const VALID_AGREEMENT: &str = "samples/repo-guangzhou-transport/04-agreement.yaml";
const SEVEN_YEARS: &str = "samples/operating-agreement/invalid-term-seven-years.yaml";

#[test]
fn a_clean_document_exits_0() {
    let (code, out, _) = stdout(pdao().args(["check", VALID_AGREEMENT]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("✓"), "{out}");
    assert!(out.contains("0 个错误"), "{out}");
}

#[test]
fn the_samples_yield_cited_findings_and_exit_1() {
    let (code, out, _) = stdout(pdao().args(["check", "samples/"]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[GD22-02]"), "{out}");
    assert!(out.contains("第二十二条第（二）项"), "{out}");
    assert!(out.contains("invalid-term-seven-years.yaml:"), "{out}");
    assert!(!out.contains("\u{1b}["), "no colour when not on a terminal");
}

#[test]
fn english_messages_and_citations() {
    let (code, out, _) = stdout(pdao().args(["--lang", "en", "check", SEVEN_YEARS]));
    assert_eq!(code, 1);
    assert!(out.contains("Under Art. 22(2)"), "{out}");
    assert!(out.contains("errors"), "{out}");
}

#[test]
fn json_findings_carry_location_pointer_and_citation() {
    let (code, out, _) = stdout(pdao().args(["check", "--format", "json", SEVEN_YEARS]));
    assert_eq!(code, 1);
    let json: Value = serde_json::from_str(&out).expect("json");
    let finding = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "GD22-02")
        .expect("GD22-02");
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["pointer"], "/term/end");
    assert_eq!(finding["file"], SEVEN_YEARS);
    assert!(finding["line"].as_u64().is_some_and(|l| l > 1));
    assert!(finding["column"].as_u64().is_some_and(|c| c > 1));
    assert_eq!(finding["citation"]["article"], 22);
    assert_eq!(finding["citation"]["item"], 2);
    assert_eq!(finding["citation_zh"], "第二十二条第（二）项");
    assert_eq!(finding["citation_en"], "Art. 22(2)");
    assert!(finding["quote"]
        .as_str()
        .is_some_and(|q| q.contains("原则上")));
    assert!(finding["message"].as_str().is_some_and(|m| !m.is_empty()));
}

#[test]
fn json_line_and_column_point_at_the_value_in_the_file() {
    let (_, out, _) = stdout(pdao().args(["check", "--format", "json", SEVEN_YEARS]));
    let json: Value = serde_json::from_str(&out).expect("json");
    let f = json["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["rule"] == "GD22-02"))
        .expect("GD22-02")
        .clone();
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(SEVEN_YEARS))
        .expect("sample");
    let line = text
        .lines()
        .nth(f["line"].as_u64().expect("line") as usize - 1)
        .expect("line exists");
    let col = f["column"].as_u64().expect("column") as usize - 1;
    let at: String = line.chars().skip(col).collect();
    assert!(at.starts_with("2032-12-31"), "{line:?} col {col}");
}

#[test]
fn a_malformed_document_exits_2_and_the_others_are_still_checked() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("broken.yaml"),
        "kind: operating-agreement\nid: x\nterm: [1, 2\n",
    )
    .expect("write");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(SEVEN_YEARS),
        dir.path().join("seven.yaml"),
    )
    .expect("copy");
    let (code, out, _) = stdout(pdao().args(["check", "--format", "json"]).arg(dir.path()));
    assert_eq!(code, 2, "{out}");
    let json: Value = serde_json::from_str(&out).expect("json");
    let error = &json["errors"][0];
    assert!(error["file"]
        .as_str()
        .is_some_and(|f| f.ends_with("broken.yaml")));
    assert_eq!(error["code"], "pdao::syntax");
    assert!(error["line"].as_u64().is_some());
    assert!(json["findings"]
        .as_array()
        .is_some_and(|f| f.iter().any(|f| f["rule"] == "GD22-02")));
    assert_eq!(json["summary"]["documents"], 1);
}

#[test]
fn duplicate_keys_are_reported_at_both_places() {
    let doc = "kind: operating-agreement\nid: dup\nregion: 广州市\nregion: 长沙市\n";
    let (code, out, _) = stdout(pdao().args(["check", "-"]).write_stdin(doc));
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("pdao::duplicate-key"), "{out}");
    assert!(out.contains("<stdin>:4:1"), "{out}");
    assert!(out.contains("第一次出现"), "{out}");
}

#[test]
fn stdin_documents_are_checked() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(SEVEN_YEARS))
        .expect("sample");
    let (code, out, _) = stdout(pdao().args(["check", "-"]).write_stdin(doc));
    assert_eq!(code, 1);
    assert!(out.contains("<stdin>"), "{out}");
}

#[test]
fn an_explicit_file_that_is_not_a_document_is_an_error_but_found_ones_are_skipped() {
    let dir = tempfile::tempdir().expect("tmp");
    let other = dir.path().join("ci.yml");
    std::fs::write(&other, "stages: [test]\n").expect("write");
    std::fs::write(dir.path().join("notes.txt"), "not yaml: [").expect("write");
    // Skipped and counted; with nothing else there, the run checked nothing and fails.
    let (code, out, _) = stdout(pdao().arg("check").arg(dir.path()));
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("跳过 1 个文件：1 个不是 pdao 文书"), "{out}");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(VALID_AGREEMENT),
        dir.path().join("agreement.yaml"),
    )
    .expect("copy");
    let (code, out, _) = stdout(pdao().arg("check").arg(dir.path()));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("跳过 1 个文件：1 个不是 pdao 文书"), "{out}");
    let (code, out, _) = stdout(pdao().arg("check").arg(&other));
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("pdao::not-a-document"), "{out}");
}

#[test]
fn unknown_kinds_get_a_suggestion() {
    let (code, out, _) = stdout(
        pdao()
            .args(["check", "-"])
            .write_stdin("kind: operating-agrement\nid: x\n"),
    );
    assert_eq!(code, 2);
    assert!(out.contains("operating-agreement"), "{out}");
}

fn copy_pack(to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(&from).expect("prefix"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[test]
fn a_broken_rule_file_is_located_and_the_rest_of_the_pack_still_checks() {
    let dir = tempfile::tempdir().expect("tmp");
    copy_pack(dir.path());
    let file = dir.path().join("articles/002.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(
        &file,
        text.replace(
            "region: { path: region, is: in_province }",
            "pattern: { path: region, regex: '^(广东' }",
        ),
    )
    .expect("write");
    let (code, out, _) = stdout(
        pdao()
            .arg("--rules")
            .arg(dir.path())
            .args(["check", SEVEN_YEARS]),
    );
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("正则表达式无效"), "{out}");
    assert!(out.contains("002.yaml:"), "{out}");
    assert!(
        out.contains("error[GD22-02]"),
        "the other rule files still apply: {out}"
    );
}

#[test]
fn rule_files_with_unknown_primitives_or_articles_are_refused_with_a_location() {
    let dir = tempfile::tempdir().expect("tmp");
    copy_pack(dir.path());
    std::fs::write(
        dir.path().join("articles/099.yaml"),
        "article: 99\ntitle: 不存在\nchapter: 1\nrules: []\n",
    )
    .expect("write");
    let file = dir.path().join("articles/002.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, text.replace("required: region", "requires: region")).expect("write");
    let (code, out, _) = stdout(pdao().arg("--rules").arg(dir.path()).args(["rules"]));
    assert_eq!(code, 2);
    let _ = out;
    let (_, _, err) = stdout(pdao().arg("--rules").arg(dir.path()).args(["rules"]));
    assert!(err.contains("条文中没有第 99 条"), "{err}");
    assert!(err.contains("099.yaml:1:10"), "{err}");
    assert!(err.contains("002.yaml:"), "{err}");
}

#[test]
fn glossaries_and_declarative_rules_are_checked_when_the_pack_loads() {
    let dir = tempfile::tempdir().expect("tmp");
    copy_pack(dir.path());
    // A word that names two terms, and a term no enum of the file uses.
    let file = dir.path().join("articles/018.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    let text = text
        .replacen("synonyms: [管理能力,", "synonyms: [资金实力, 管理能力,", 1)
        .replacen(
            "terms:\n",
            "terms:\n  - term: 信誉\n    basis: 无任何 enum 使用的术语\n",
            1,
        );
    std::fs::write(&file, text).expect("write");
    // 陈述 on a paragraph that has a modal word.
    let file = dir.path().join("articles/011.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, text.replacen("modality: 应当", "modality: 陈述", 1)).expect("write");
    let (code, _, err) = stdout(pdao().arg("--rules").arg(dir.path()).args(["rules"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("已属于术语 资金"), "{err}");
    assert!(
        err.contains("术语 信誉 不是本文件任何 enum 的取值"),
        "{err}"
    );
    assert!(err.contains("“陈述”只用于没有情态词的款项"), "{err}");
}

#[test]
fn rules_json_lists_id_citation_severity_and_kinds() {
    let (code, out, _) = stdout(pdao().args(["rules", "--format", "json"]));
    assert_eq!(code, 0);
    let rules: Vec<Value> = serde_json::from_str(&out).expect("json");
    let r = rules
        .iter()
        .find(|r| r["id"] == "GD22-02")
        .expect("GD22-02");
    assert_eq!(r["citation"]["article"], 22);
    assert_eq!(r["severity"], "error");
    assert_eq!(r["kinds"][0], "operating-agreement");
    for rule in &rules {
        for key in ["id", "citation", "severity", "kinds", "quote"] {
            assert!(!rule[key].is_null(), "{key} missing in {rule}");
        }
    }
}

#[test]
fn explain_shows_the_article_and_its_rules() {
    for what in ["22", "第二十二条", "Art. 22", "GD22"] {
        let (code, out, _) = stdout(pdao().args(["explain", what]));
        assert_eq!(code, 0, "{what}");
        assert!(out.contains("【运营协议内容】"), "{what}: {out}");
        assert!(out.contains("GD22-02"), "{what}: {out}");
    }
    let (code, out, _) = stdout(pdao().args(["explain", "GD22-02"]));
    assert_eq!(code, 0);
    assert!(out.contains("原则上最长不超过 5 年"), "{out}");
    let (code, _, err) = stdout(pdao().args(["explain", "GD99-01"]));
    assert_eq!(code, 2);
    assert!(err.contains("GD99-01"), "{err}");
}

#[test]
fn bad_arguments_exit_2() {
    let (code, _, _) = stdout(pdao().args(["check"]));
    assert_eq!(code, 2);
    let (code, _, _) = stdout(pdao().args(["check", "--format", "xml", VALID_AGREEMENT]));
    assert_eq!(code, 2);
    let (code, out, _) = stdout(pdao().args(["check", "does/not/exist.yaml"]));
    assert_eq!(code, 2, "{out}");
}

#[test]
fn coverage_lists_every_article_once_with_a_status() {
    let (code, out, _) = stdout(pdao().args(["coverage", "--format", "json"]));
    assert_eq!(code, 0);
    let articles: Vec<Value> = serde_json::from_str(&out).expect("json");
    let numbers: Vec<u64> = articles
        .iter()
        .filter_map(|a| a["article"].as_u64())
        .collect();
    assert_eq!(numbers, (1..=45).collect::<Vec<u64>>());
    for a in &articles {
        let status = a["status"].as_str().expect("status");
        assert!(
            ["checked", "review", "not-checkable", "missing"].contains(&status),
            "{a}"
        );
        if status == "not-checkable" {
            assert!(a["reason"].as_str().is_some_and(|r| !r.is_empty()), "{a}");
            assert!(a["rules"].as_array().is_some_and(Vec::is_empty), "{a}");
        }
        for r in a["rules"].as_array().expect("rules") {
            assert!(r["id"].is_string() && r["quote"].is_string() && r["citation"].is_object());
            assert!(r["fixtures"]["fail"].as_u64().is_some_and(|n| n > 0), "{r}");
        }
    }
    let a22 = articles.iter().find(|a| a["article"] == 22).expect("22");
    assert_eq!(a22["title"], "运营协议内容");
    assert_eq!(a22["status"], "checked");
    let (code, out, _) = stdout(pdao().args(["coverage"]));
    assert_eq!(code, 0);
    assert!(out.contains("第四十条【容错机制】"), "{out}");
}

#[test]
fn schema_and_init_print_for_known_kinds_only() {
    let (code, out, _) = stdout(pdao().args(["schema", "operating-agreement"]));
    assert_eq!(code, 0);
    let schema: Value = serde_json::from_str(&out).expect("json");
    assert!(
        schema["$defs"]["organization"].is_object(),
        "common definitions are bundled"
    );
    let (code, out, _) = stdout(pdao().args(["init", "operator-application"]));
    assert_eq!(code, 0);
    assert!(
        out.starts_with('#') && out.contains("kind: operator-application"),
        "{out}"
    );
    assert!(out.contains("第二十一条"), "{out}");
    let (code, _, err) = stdout(pdao().args(["init", "operating-agrement"]));
    assert_eq!(code, 2);
    assert!(err.contains("operating-agreement"), "{err}");
}

#[test]
fn deadline_answers_working_day_and_year_questions() {
    let (code, out, _) = stdout(pdao().args(["deadline", "2025-09-28", "--working-days", "10"]));
    assert_eq!(code, 0);
    assert!(
        out.starts_with("2025-10-17（2025-09-28 之后第 10 个工作日"),
        "{out}"
    );
    assert!(
        out.contains("10-01 至 10-08") && out.contains("10-11 调休上班"),
        "{out}"
    );
    let (code, out, _) = stdout(pdao().args([
        "deadline",
        "2026-12-20",
        "--working-days",
        "10",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0);
    let json: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(json["from"], "2026-12-20");
    assert_eq!(json["deadline"], "2027-01-01");
    assert_eq!(json["calendar_covered"], false);
    let (_, out, _) =
        stdout(pdao().args(["deadline", "2028-02-29", "--years", "5", "--format", "json"]));
    let json: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(json["deadline"], "2033-02-28");
    let (code, _, _) = stdout(pdao().args(["deadline", "2026-02-30", "--working-days", "1"]));
    assert_eq!(code, 2);
}

#[test]
fn a_calendar_file_adds_a_year_without_rebuilding() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("2027.yaml");
    std::fs::write(
        &file,
        "year: 2027\nsource: 测试用通知\nholidays:\n  - { name: 元旦, from: 2027-01-01, to: 2027-01-03 }\n",
    )
    .expect("write");
    let (code, out, _) = stdout(pdao().arg("--calendar").arg(&file).args([
        "deadline",
        "2026-12-20",
        "--working-days",
        "10",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0, "{out}");
    let json: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(json["deadline"], "2027-01-04", "01-01 is now a holiday");
    assert_eq!(json["calendar_covered"], true);
    std::fs::write(&file, "year: 2027\nsource: x\nholidays:\n  - { name: a, from: 2027-01-01, to: 2027-01-01, workdays: [2027-01-04] }\n").expect("write");
    let (code, _, err) = stdout(pdao().arg("--calendar").arg(&file).args([
        "deadline",
        "2026-12-20",
        "--working-days",
        "1",
    ]));
    assert_eq!(code, 2);
    assert!(
        err.contains("2027.yaml") && err.contains("不是周末"),
        "{err}"
    );
}

#[test]
fn reports_state_the_as_of_date() {
    let (_, out, _) = stdout(pdao().args([
        "--as-of",
        "2026-03-01",
        "check",
        "--format",
        "json",
        VALID_AGREEMENT,
    ]));
    let json: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(json["as_of"], "2026-03-01");
    let (_, out, _) = stdout(pdao().args(["--as-of", "2026年3月1日", "check", VALID_AGREEMENT]));
    assert!(out.contains("期限截至 2026-03-01"), "{out}");
}

/// An act not yet recorded while its deadline is still running is pending, not a breach: the
/// message says so and names the due date, in both languages, on both deadline paths
/// (`deadline`: a filing within 10 working days; `yearly_deadline`: the annual report by 31
/// March), and no pending finding reads as the rule's violation message.
#[test]
fn a_deadline_not_yet_due_is_reported_neutrally_with_its_due_date() {
    let dir = tempfile::tempdir().expect("tempdir");
    let write = |name: &str, sample: &str, cut: &str| {
        let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(sample))
            .expect("sample");
        let pending = text.replace(cut, "");
        assert_ne!(pending, text, "{sample}: nothing cut");
        let file = dir.path().join(name);
        std::fs::write(&file, pending).expect("write");
        file.to_str().expect("utf-8 path").to_string()
    };
    let agreement = write(
        "agreement.yaml",
        VALID_AGREEMENT,
        "filing:\n  filed_with: 广州市政务服务和数据管理局\n  filed_on: 2026-01-06\n",
    );
    let report = write(
        "report.yaml",
        "samples/repo-guangzhou-transport/09-annual-report.yaml",
        "submitted_on: 2027-03-19\n",
    );
    let cases = [
        (&agreement, "2025-12-29", "GD23-P1i", "2026-01-12"),
        (&report, "2027-02-01", "GD37-P1i", "2027-03-31"),
    ];
    for (file, as_of, rule, due) in cases {
        for (lang, says, never) in [
            ("zh", format!("截至 {as_of} 尚未届满"), "未在"),
            ("en", format!("Not yet due as of {as_of}"), "not filed"),
        ] {
            let (_, out, _) = stdout(pdao().args([
                "--lang", lang, "--as-of", as_of, "check", "--format", "json", file,
            ]));
            let json: Value = serde_json::from_str(&out).expect("json");
            let findings = json["findings"].as_array().expect("findings");
            let pending = findings
                .iter()
                .find(|f| f["rule"] == rule)
                .unwrap_or_else(|| panic!("no pending {rule}: {findings:#?}"));
            assert_eq!(pending["severity"], "info", "{pending:#?}");
            let message = pending["message"].as_str().unwrap_or_default();
            assert!(message.contains(&says), "{message}");
            assert!(message.contains(due), "names the due date: {message}");
            assert!(!message.contains(never), "{message}");
            assert!(
                !message.to_lowercase().contains("was not submitted"),
                "{message}"
            );
        }
    }
}

#[test]
fn deadline_refuses_counts_past_its_calendar_or_past_the_last_date() {
    for args in [
        ["deadline", "2026-01-01", "--working-days", "100000"],
        ["deadline", "2026-01-01", "--working-days", "4294967295"],
        ["deadline", "9999-12-01", "--working-days", "30"],
        ["deadline", "2026-01-01", "--years", "9999"],
        ["deadline", "2026-01-01", "--years", "4294967295"],
    ] {
        let (code, out, err) = stdout(pdao().args(args));
        assert_eq!(code, 2, "{args:?}: {out}");
        assert!(out.is_empty(), "no date is printed for {args:?}: {out}");
        assert!(err.starts_with("pdao: 无法计算"), "{args:?}: {err}");
    }
    let (code, _, err) = stdout(pdao().args([
        "--lang",
        "en",
        "deadline",
        "2026-01-01",
        "--working-days",
        "100000",
    ]));
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot count 100000 working days") && err.contains("2036-12-31"),
        "{err}"
    );
    let (code, _, err) =
        stdout(pdao().args(["--lang", "en", "deadline", "2026-01-01", "--years", "9999"]));
    assert_eq!(code, 2);
    assert!(err.contains("9999-12-31"), "{err}");
    // Within ten years of the calendar's last year the count still answers, with its warning.
    let (code, out, _) = stdout(pdao().args(["deadline", "2026-12-20", "--working-days", "2000"]));
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("2034-"), "{out}");
}

/// `args` run with standard output sent to `stdout` (a file such as /dev/full).
fn with_stdout(args: &[&str], stdout: std::fs::File) -> (i32, String) {
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("pdao"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(stdout)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[cfg(unix)]
#[test]
fn a_report_that_cannot_be_written_to_standard_output_fails_the_run() {
    for format in ["json", "human", "sarif", "github"] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        // A clean document: only the failed write can make the run fail.
        let (code, err) = with_stdout(&["check", "--format", format, VALID_AGREEMENT], full);
        assert_eq!(code, 2, "{format}: {err}");
        assert!(
            err.contains("无法写入标准输出") && err.contains("No space left"),
            "{format}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let (code, err) = with_stdout(
        &["--lang", "en", "deadline", "2026-01-01", "--years", "5"],
        full,
    );
    assert_eq!(code, 2, "every command: {err}");
    assert!(err.contains("cannot write to standard output"), "{err}");
}

#[test]
fn a_report_file_that_cannot_be_written_fails_the_run() {
    let dir = tempfile::tempdir().expect("tmp");
    let not_a_dir = dir.path().join("plain-file");
    std::fs::write(&not_a_dir, "x").expect("write");
    for target in [
        "/dev/full".to_string(),
        not_a_dir.join("report.sarif").display().to_string(),
    ] {
        let (code, out, err) = stdout(pdao().args([
            "check",
            "--format",
            "human",
            "--format",
            &format!("sarif={target}"),
            VALID_AGREEMENT,
        ]));
        assert_eq!(code, 2, "{target}: {out}");
        assert!(err.contains(&target), "the file is named: {err}");
        assert!(
            out.contains("检查 1 份文书"),
            "the other report is still written: {out}"
        );
    }
    // A device named as the target is written into, never removed or renamed over.
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let full = std::fs::symlink_metadata("/dev/full").expect("/dev/full");
        assert!(
            full.file_type().is_char_device(),
            "/dev/full is still a device"
        );
    }
}

/// Run the binary as an unprivileged user when the tests run as root (root writes into any
/// directory, whatever its mode): the prefix for `setpriv` and a copy of pdao it can run.
#[cfg(unix)]
fn unprivileged(dir: &Path) -> (Vec<String>, String) {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let bin = dir.join("pdao");
    std::fs::copy(assert_cmd::cargo::cargo_bin("pdao"), &bin).expect("copy pdao");
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
fn a_report_file_in_a_read_only_directory_fails_the_run() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let (prefix, bin) = unprivileged(dir.path());
    let document = dir.path().join("agreement.yaml");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(VALID_AGREEMENT),
        &document,
    )
    .expect("copy");
    std::fs::set_permissions(&document, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let locked = dir.path().join("reports");
    std::fs::create_dir(&locked).expect("mkdir");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let report = locked.join("pdao.json");
    let mut argv = prefix;
    argv.push(bin);
    let out = std::process::Command::new(&argv[0])
        .args(&argv[1..])
        .args(["check", "--no-config", "--format"])
        .arg(format!("json={}", report.display()))
        .arg(&document)
        .current_dir(dir.path())
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("pdao.json") && err.contains("denied"), "{err}");
    assert!(!report.exists());
}

/// The reader of pdao's output closes the pipe: pdao ends quietly, without a panic or a
/// "broken pipe" message, and with exit code 2 since the report did not arrive whole.
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    // Closed before pdao writes.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("pdao"))
        .args(["check", "samples"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("waits");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.is_empty(), "quiet: {err}");
    // `| head -1`: one line read, then closed; the report of the samples is far larger than a
    // pipe's buffer, so pdao is still writing when the reader goes.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("pdao"))
        .args(["check", "samples"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    reader.read_line(&mut first).expect("a line");
    assert!(!first.is_empty());
    drop(reader);
    let out = child.wait_with_output().expect("waits");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        !err.contains("panicked") && !err.to_lowercase().contains("broken pipe"),
        "{err}"
    );
}

fn json_of(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn sample_text() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(VALID_AGREEMENT))
        .expect("sample")
}

#[test]
fn a_run_that_checked_nothing_fails() {
    let empty = tempfile::tempdir().expect("tmp");
    let (code, out, _) = stdout(pdao().arg("check").arg(empty.path()));
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("没有检查任何文书"), "{out}");
    assert!(out.contains('✗') && !out.contains('✓'), "{out}");
    let (code, out, _) = stdout(pdao().args(["--lang", "en", "check"]).arg(empty.path()));
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("no document was checked"), "{out}");
    for format in ["json", "sarif", "junit", "gitlab", "github", "html"] {
        let (code, out, _) = stdout(
            pdao()
                .args(["--lang", "en", "check", "--format", format])
                .arg(empty.path()),
        );
        assert_eq!(code, 2, "{format}: {out}");
        assert!(out.contains("no document was checked"), "{format}: {out}");
    }

    // Every document excluded by the configuration, or ignored, or unrecognised.
    let excluded = tempfile::tempdir().expect("tmp");
    std::fs::create_dir(excluded.path().join("drafts")).expect("mkdir");
    std::fs::write(excluded.path().join("drafts/a.yaml"), sample_text()).expect("write");
    std::fs::write(excluded.path().join("b.yaml"), sample_text()).expect("write");
    std::fs::write(
        excluded.path().join("pdao.toml"),
        "exclude = [\"drafts/\", \"b.yaml\"]\n",
    )
    .expect("write");
    let ignored = tempfile::tempdir().expect("tmp");
    std::fs::create_dir(ignored.path().join("old")).expect("mkdir");
    std::fs::write(ignored.path().join("old/a.yaml"), sample_text()).expect("write");
    std::fs::write(ignored.path().join(".gitignore"), "old/\n").expect("write");
    let unrecognised = tempfile::tempdir().expect("tmp");
    std::fs::write(
        unrecognised.path().join("a.yaml"),
        sample_text().replacen("kind:", "Kind:", 1),
    )
    .expect("write");
    std::fs::write(unrecognised.path().join("b.yaml.bak"), sample_text()).expect("write");
    for (dir, why, count) in [
        (
            &excluded,
            "2 excluded by the configuration",
            "skipped 2 files",
        ),
        (&ignored, "1 ignored by .gitignore", "skipped 1 files"),
        (
            &unrecognised,
            "2 look like documents but were not recognised",
            "skipped 2 files",
        ),
    ] {
        let (code, out, _) = stdout(pdao().args(["--lang", "en", "check"]).arg(dir.path()));
        assert_eq!(code, 2, "{out}");
        assert!(out.contains("no document was checked"), "{out}");
        assert!(out.contains(why) && out.contains(count), "{why}: {out}");
        let (_, out, _) = stdout(
            pdao()
                .args(["--lang", "en", "check", "--format", "json"])
                .arg(dir.path()),
        );
        let report = json_of(&out);
        assert_eq!(report["summary"]["documents"], 0);
        assert!(
            report["errors"]
                .as_array()
                .is_some_and(|e| e.iter().any(|e| e["code"] == "pdao::nothing-checked")),
            "{report:#}"
        );
    }
    let (_, out, _) = stdout(
        pdao()
            .args(["check", "--format", "json"])
            .arg(excluded.path()),
    );
    assert_eq!(json_of(&out)["summary"]["excluded"], 2);
}

#[test]
fn files_that_look_like_documents_but_are_not_recognised_are_reported() {
    let dir = tempfile::tempdir().expect("tmp");
    let text = sample_text();
    let unique = |i: usize| text.replacen("id: GZ-JTCX-2026-XY01", &format!("id: COPY-{i}"), 1);
    std::fs::write(dir.path().join("good.yaml"), &text).expect("write");
    std::fs::write(
        dir.path().join("upper.yaml"),
        unique(1).replacen("kind:", "Kind:", 1),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("swapped.yaml"),
        unique(2).replacen("kind:", "knid:", 1),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("json-upper.json"),
        "{\"KIND\": \"data-catalog\", \"id\": \"J-1\"}\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("unknown.yaml"),
        "kind: operating-agreemnt\nid: U-1\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("agreement.yaml.bak"), unique(3)).expect("write");
    std::fs::write(dir.path().join("agreement.yml~"), unique(4)).expect("write");
    std::fs::write(
        dir.path().join("catalog.json.orig"),
        "{\n  \"kind\": \"data-catalog\",\n  \"id\": \"C-1\"\n}\n",
    )
    .expect("write");
    // Not documents, whatever their names: skipped and counted, not reported.
    std::fs::write(dir.path().join("ci.yml.bak"), "stages: [test]\n").expect("write");
    std::fs::write(dir.path().join("compose.yaml"), "bind: 0.0.0.0\nport: 80\n").expect("write");
    let (code, out, _) = stdout(
        pdao()
            .args(["--lang", "en", "check", "--format", "json"])
            .arg(dir.path()),
    );
    assert_eq!(code, 2, "{out}");
    let report = json_of(&out);
    let errors = report["errors"].as_array().expect("errors");
    let expect = [
        ("upper.yaml", "pdao::misspelt-kind", 3),
        ("swapped.yaml", "pdao::misspelt-kind", 3),
        ("json-upper.json", "pdao::misspelt-kind", 1),
        ("unknown.yaml", "pdao::unknown-kind", 1),
        ("agreement.yaml.bak", "pdao::document-copy", 3),
        ("agreement.yml~", "pdao::document-copy", 3),
        ("catalog.json.orig", "pdao::document-copy", 2),
    ];
    for (file, code, line) in expect {
        let e = errors
            .iter()
            .find(|e| e["file"].as_str().is_some_and(|f| f.ends_with(file)))
            .unwrap_or_else(|| panic!("{file} is reported: {report:#}"));
        assert_eq!(e["code"], code, "{e:#}");
        assert_eq!(e["line"], line, "{file} is located: {e:#}");
        assert!(e["column"].as_u64().is_some(), "{e:#}");
    }
    assert_eq!(errors.len(), expect.len(), "{report:#}");
    assert_eq!(report["summary"]["documents"], 1);
    assert_eq!(report["summary"]["unrecognised"], 7);
    assert_eq!(report["summary"]["not_documents"], 2);
    let (_, out, _) = stdout(pdao().args(["--lang", "en", "check"]).arg(dir.path()));
    assert!(
        out.contains(
            "skipped 9 files: 2 not pdao documents, 7 look like documents but were not recognised"
        ),
        "{out}"
    );
}

#[test]
fn list_files_prints_the_documents_a_check_would_check() {
    let dir = tempfile::tempdir().expect("tmp");
    let text = sample_text();
    std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
    std::fs::write(dir.path().join("b.yaml"), &text).expect("write");
    std::fs::write(
        dir.path().join("sub/a.yaml"),
        text.replacen("id: GZ-JTCX-2026-XY01", "id: A-1", 1),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("new\nline.yaml"),
        text.replacen("id: GZ-JTCX-2026-XY01", "id: A-2", 1),
    )
    .expect("write");
    std::fs::write(dir.path().join("ci.yml"), "stages: [test]\n").expect("write");
    std::fs::write(dir.path().join("c.yaml.bak"), &text).expect("write");
    let (code, out, err) =
        stdout(
            pdao()
                .current_dir(dir.path())
                .args(["check", "--list-files", "."]),
        );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "./b.yaml\n./new\\nline.yaml\n./sub/a.yaml\n", "{err}");
    assert!(err.contains("跳过 2 个文件"), "{err}");
    let empty = tempfile::tempdir().expect("tmp");
    let (code, out, err) = stdout(
        pdao()
            .args(["--lang", "en", "check", "--list-files"])
            .arg(empty.path()),
    );
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("no document would be checked"), "{err}");
}
