//! Validity of every machine format: SARIF against the OASIS SARIF 2.1.0 schema, JUnit parsed
//! as XML, GitLab Code Quality's shape and fingerprint stability, GitHub workflow commands
//! escaped against hostile document values and file names, HTML escaping.

use std::path::Path;

use assert_cmd::Command as Process;
use serde_json::Value;

fn pdao() -> Process {
    let mut cmd = Process::cargo_bin("pdao").expect("binary");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn run(args: &[&str]) -> (i32, String) {
    let out = pdao().args(args).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8 output"),
    )
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Inputs that exercise every part of the reports: all samples (errors, warnings, review
/// items), the audit example (exceptions applied, expired, unused), hostile values.
const CORPORA: &[&[&str]] = &[
    &["samples"],
    &["--as-of", "2028-06-01", "tests/data/audit"],
    &["tests/data/hostile/agreement.yaml"],
];

/// A document that fails to parse, beside a good one: the reports carry input errors too.
fn broken_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("broken.yaml"),
        "kind: operating-agreement\nid: x\nterm: [1, 2\n",
    )
    .expect("write");
    std::fs::copy(
        root().join("samples/operating-agreement/invalid-term-seven-years.yaml"),
        dir.path().join("seven.yaml"),
    )
    .expect("copy");
    dir
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/data/sarif-schema-2.1.0.json"))
            .expect("schema"),
    )
    .expect("schema json");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

fn assert_valid_sarif(validator: &jsonschema::Validator, text: &str, what: &str) -> Value {
    let log: Value = serde_json::from_str(text).expect("SARIF is JSON");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .take(10)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: not valid SARIF 2.1.0: {errors:#?}"
    );
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    for r in run["results"].as_array().expect("results") {
        let i = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            rules[i]["id"], r["ruleId"],
            "{what}: ruleIndex points at its rule"
        );
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().is_some_and(|l| l >= 1));
        assert!(region["startColumn"].as_u64().is_some_and(|c| c >= 1));
        if r["kind"] != "fail" {
            assert_eq!(
                r["level"], "none",
                "SARIF: a non-fail result has level none"
            );
        }
    }
    log
}

#[test]
fn sarif_validates_against_the_oasis_schema() {
    let validator = sarif_validator();
    for args in CORPORA {
        let mut all = vec!["check", "--format", "sarif"];
        all.extend_from_slice(args);
        let (_, out) = run(&all);
        let log = assert_valid_sarif(&validator, &out, &format!("{args:?}"));
        if args == &["samples"] {
            let results = log["runs"][0]["results"].as_array().expect("results");
            assert!(
                results.iter().any(|r| r["relatedLocations"].is_array()),
                "cross-document findings show the other document's place"
            );
        }
    }
    let dir = broken_dir();
    let (code, out) = run(&[
        "check",
        "--format",
        "sarif",
        dir.path().to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code, 2);
    let log = assert_valid_sarif(&validator, &out, "broken input");
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(
        invocation["toolExecutionNotifications"][0]["descriptor"]["id"],
        "pdao::syntax"
    );
}

#[test]
fn the_schema_check_can_fail() {
    // The validator is not vacuous: a log without `version` and with a bad level is refused.
    let validator = sarif_validator();
    let bad = serde_json::json!({
        "runs": [{ "tool": { "driver": { "name": "pdao" } },
                   "results": [{ "message": { "text": "x" }, "level": "fatal" }] }]
    });
    assert!(validator.iter_errors(&bad).count() >= 2);
}

#[test]
fn sarif_rules_carry_citation_and_quote_and_results_their_suppressions() {
    let (_, out) = run(&[
        "check",
        "--format",
        "sarif",
        "--as-of",
        "2028-06-01",
        "tests/data/audit",
    ]);
    let log: Value = serde_json::from_str(&out).expect("json");
    let run = &log["runs"][0];
    let rule = run["tool"]["driver"]["rules"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["id"] == "GD22-02"))
        .expect("GD22-02 listed");
    let help = rule["help"]["text"].as_str().expect("help");
    assert!(help.contains("第二十二条第（二）项"), "{help}");
    assert!(help.contains("原则上最长不超过 5 年"), "{help}");
    assert_eq!(rule["properties"]["citation"]["article"], 22);
    let results = run["results"].as_array().expect("results");
    let excused: Vec<&Value> = results
        .iter()
        .filter(|r| r["suppressions"].is_array())
        .collect();
    assert_eq!(excused.len(), 3, "comment + two file exceptions");
    let comment = excused
        .iter()
        .find(|r| r["ruleId"] == "GD22-02")
        .expect("GD22-02 excused in the document");
    assert_eq!(comment["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        comment["suppressions"][0]["properties"]["approver"],
        "广州市人民政府"
    );
    assert!(excused
        .iter()
        .any(|r| r["suppressions"][0]["kind"] == "external"));
    // The expired exception's finding counts again, unsuppressed.
    assert!(results
        .iter()
        .any(|r| r["ruleId"] == "GD22-10" && r["suppressions"].is_null()));
}

#[test]
fn sarif_columns_count_utf16_code_units() {
    let dir = tempfile::tempdir().expect("tmp");
    // A character outside the BMP before the offending value on its line.
    let text = std::fs::read_to_string(
        root().join("samples/operating-agreement/invalid-term-seven-years.yaml"),
    )
    .expect("sample")
    .replace(
        "term:\n  start: 2026-01-01\n  end: 2032-12-31",
        "term: { start: 2026-01-01, end: 2032-12-31 }  # 𝒳",
    )
    .replace("term: { start", "term: {\"𝒳\": 1, start");
    std::fs::write(dir.path().join("a.yaml"), &text).expect("write");
    let (_, out) = run(&[
        "check",
        "--format",
        "sarif",
        dir.path().join("a.yaml").to_str().expect("utf-8"),
    ]);
    let log: Value = serde_json::from_str(&out).expect("json");
    let result = log["runs"][0]["results"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["ruleId"] == "GD22-02"))
        .expect("GD22-02");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    // `term: {"𝒳": 1, start: 2026-01-01, end: ` is 39 characters but 40 UTF-16 code units.
    assert_eq!(region["startColumn"], 41, "{region}");
    let (_, json) = run(&[
        "check",
        "--format",
        "json",
        dir.path().join("a.yaml").to_str().expect("utf-8"),
    ]);
    let json: Value = serde_json::from_str(&json).expect("json");
    let f = json["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["rule"] == "GD22-02"))
        .expect("GD22-02");
    assert_eq!(f["column"], 40, "JSON keeps character columns");
}

fn parse_junit(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("JUnit is not XML: {e}\n{text}"))
}

#[test]
fn junit_parses_as_xml_with_one_case_per_rule_and_document() {
    for args in CORPORA {
        let mut all = vec!["check", "--format", "junit"];
        all.extend_from_slice(args);
        let (_, out) = run(&all);
        let doc = parse_junit(&out);
        let suites = doc.root_element();
        assert_eq!(suites.tag_name().name(), "testsuites");
        let cases = suites
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .count();
        assert_eq!(
            suites.attribute("tests").and_then(|t| t.parse().ok()),
            Some(cases),
            "{args:?}"
        );
        for failure in suites.descendants().filter(|n| n.has_tag_name("failure")) {
            let message = failure.attribute("message").expect("message");
            assert!(
                message.starts_with('第') && message.contains('条'),
                "failures carry the citation: {message}"
            );
            assert!(
                failure.text().is_some_and(|t| t.contains('“')),
                "and the quote"
            );
        }
    }
    // One case per rule of the kind (plus the schema) for each document.
    let (_, out) = run(&[
        "check",
        "--format",
        "junit",
        "samples/operating-agreement/invalid-term-seven-years.yaml",
    ]);
    let doc = parse_junit(&out);
    let (_, rules) = run(&["rules", "--format", "json"]);
    let rules: Vec<Value> = serde_json::from_str(&rules).expect("json");
    let agreement_rules = rules
        .iter()
        .filter(|r| {
            r["kinds"]
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k == "operating-agreement"))
        })
        .count();
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), agreement_rules + 1);
    let failed: Vec<&str> = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .filter_map(|c| c.attribute("name"))
        .collect();
    assert_eq!(failed, vec!["GD22-02 第二十二条第（二）项"]);
    let skipped = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("skipped")))
        .count();
    let (_, json) = run(&[
        "check",
        "--format",
        "json",
        "samples/operating-agreement/invalid-term-seven-years.yaml",
    ]);
    let json: Value = serde_json::from_str(&json).expect("json");
    let reviews = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] == "review")
        .count();
    assert!(reviews >= 2, "the sample has review items");
    assert_eq!(skipped, reviews, "the review items are skipped, not failed");
}

#[test]
fn junit_keeps_hostile_values_intact_and_reports_input_errors() {
    let (_, out) = run(&[
        "check",
        "--format",
        "junit",
        "tests/data/hostile/agreement.yaml",
    ]);
    let doc = parse_junit(&out);
    let id = doc
        .descendants()
        .find(|n| n.has_tag_name("property") && n.attribute("name") == Some("id"))
        .and_then(|n| n.attribute("value"))
        .expect("id property");
    assert_eq!(
        id.replace("\r\n", "\n").replace('\r', "\n"),
        "GZ-<script>alert(3)</script>\n::error::pwned-id"
    );
    let dir = broken_dir();
    let (_, out) = run(&[
        "check",
        "--format",
        "junit",
        dir.path().to_str().expect("utf-8"),
    ]);
    let doc = parse_junit(&out);
    let error = doc
        .descendants()
        .find(|n| n.has_tag_name("error"))
        .expect("an <error> for the broken file");
    assert_eq!(error.attribute("type"), Some("pdao::syntax"));
    // Control characters a document may hold cannot break the XML.
    let dir = tempfile::tempdir().expect("tmp");
    let text = std::fs::read_to_string(root().join("tests/data/hostile/agreement.yaml"))
        .expect("read")
        .replace("<script>alert(1)</script>", "\\x01\\x1b[31m\\u0000]]>");
    std::fs::write(dir.path().join("c.yaml"), text).expect("write");
    let (_, out) = run(&[
        "check",
        "--format",
        "junit",
        dir.path().join("c.yaml").to_str().expect("utf-8"),
    ]);
    parse_junit(&out);
}

#[test]
fn gitlab_code_quality_has_the_required_shape() {
    let severities = ["info", "minor", "major", "critical", "blocker"];
    let dir = broken_dir();
    let broken = dir.path().to_str().expect("utf-8").to_string();
    let mut corpora: Vec<Vec<&str>> = CORPORA.iter().map(|c| c.to_vec()).collect();
    corpora.push(vec![&broken]);
    for args in corpora {
        let mut all = vec!["check", "--format", "gitlab"];
        all.extend_from_slice(&args);
        let (_, out) = run(&all);
        let issues: Vec<Value> = serde_json::from_str(&out).expect("a JSON array");
        let mut fingerprints = std::collections::HashSet::new();
        for i in &issues {
            assert!(
                i["description"].as_str().is_some_and(|d| !d.is_empty()),
                "{i}"
            );
            assert!(
                i["check_name"].as_str().is_some_and(|d| !d.is_empty()),
                "{i}"
            );
            let fp = i["fingerprint"].as_str().expect("fingerprint");
            assert!(
                fp.len() == 32 && fp.bytes().all(|b| b.is_ascii_hexdigit()),
                "{fp}"
            );
            assert!(
                fingerprints.insert(fp.to_string()),
                "fingerprints are unique: {fp}"
            );
            assert!(
                severities.contains(&i["severity"].as_str().unwrap_or("")),
                "{i}"
            );
            let path = i["location"]["path"].as_str().expect("path");
            assert!(!path.starts_with("./"), "{path}");
            assert!(i["location"]["lines"]["begin"]
                .as_u64()
                .is_some_and(|l| l >= 1));
        }
        if args == vec![broken.as_str()] {
            assert!(issues.iter().any(|i| i["severity"] == "blocker"));
        }
    }
    // Excused findings are not in the widget.
    let (_, out) = run(&[
        "check",
        "--format",
        "gitlab",
        "--as-of",
        "2028-06-01",
        "tests/data/audit",
    ]);
    let issues: Vec<Value> = serde_json::from_str(&out).expect("json");
    assert!(!issues.iter().any(|i| i["check_name"] == "GD22-02"));
    assert!(issues.iter().any(|i| i["check_name"] == "GD22-10"));
}

fn fingerprints(dir: &Path) -> Vec<(String, String, u64)> {
    let out = pdao()
        .current_dir(dir)
        .args(["check", "--format", "gitlab", "a.yaml"])
        .output()
        .expect("runs");
    let issues: Vec<Value> = serde_json::from_slice(&out.stdout).expect("json");
    let mut v: Vec<_> = issues
        .iter()
        .map(|i| {
            (
                i["check_name"].as_str().unwrap_or("").to_string(),
                i["fingerprint"].as_str().unwrap_or("").to_string(),
                i["location"]["lines"]["begin"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn fingerprints_survive_line_moves_and_change_with_the_value() {
    let dir = tempfile::tempdir().expect("tmp");
    let original = std::fs::read_to_string(
        root().join("samples/operating-agreement/invalid-defective-entries.yaml"),
    )
    .expect("sample");
    std::fs::write(dir.path().join("a.yaml"), &original).expect("write");
    let before = fingerprints(dir.path());
    assert!(before.len() > 3);
    let moved = format!("# 新增的说明\n# 又一行\n\n{original}");
    std::fs::write(dir.path().join("a.yaml"), &moved).expect("write");
    let after = fingerprints(dir.path());
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(
            (&b.0, &b.1),
            (&a.0, &a.1),
            "same fingerprint after the move"
        );
        assert_eq!(b.2 + 3, a.2, "while the line moved");
    }
    let changed = moved.replace("end: 2033-02-29", "end: 2033-02-30");
    std::fs::write(dir.path().join("a.yaml"), changed).expect("write");
    let edited = fingerprints(dir.path());
    let fp = |v: &[(String, String, u64)], rule: &str| {
        v.iter().find(|x| x.0 == rule).map(|x| x.1.clone())
    };
    assert_ne!(
        fp(&after, "GD22-02d"),
        fp(&edited, "GD22-02d"),
        "a new value is a new finding"
    );
    assert_eq!(fp(&after, "GD22-10"), fp(&edited, "GD22-10"));
}

/// Split a workflow command line into (command, properties, message), or `None` for a line
/// that is not one.
type Command<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);

fn parse_command(line: &str) -> Option<Command<'_>> {
    let rest = line.strip_prefix("::")?;
    let (head, message) = rest.split_once("::")?;
    let (command, props) = head.split_once(' ').unwrap_or((head, ""));
    let props = props
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    Some((command, props, message))
}

fn unescape(s: &str) -> String {
    s.replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

#[test]
fn github_commands_cannot_be_injected_by_values_or_file_names() {
    let dir = tempfile::tempdir().expect("tmp");
    let hostile =
        std::fs::read_to_string(root().join("tests/data/hostile/agreement.yaml")).expect("read");
    // A file name with a newline, a colon, a comma and a percent sign.
    let name = "evil\n::error::pwned,line=1:x%0A.yaml";
    std::fs::write(dir.path().join(name), &hostile).expect("write");
    let out = pdao()
        .current_dir(dir.path())
        .args(["check", "--format", "github", "."])
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let mut annotations = 0;
    for line in text.lines() {
        // A value may contain "::" as text; it must never start a line.
        assert!(
            !line.starts_with("::error::pwned"),
            "an injected command: {line}"
        );
        if line.starts_with("pdao: ") {
            continue;
        }
        let (command, props, message) =
            parse_command(line).unwrap_or_else(|| panic!("not a workflow command: {line:?}"));
        assert!(["error", "warning", "notice"].contains(&command), "{line}");
        let keys: Vec<&str> = props.iter().map(|(k, _)| *k).collect();
        for k in &keys {
            assert!(
                ["file", "line", "endLine", "col", "endColumn", "title"].contains(k),
                "unexpected property {k} in {line}"
            );
        }
        let file = props
            .iter()
            .find(|(k, _)| *k == "file")
            .map(|(_, v)| unescape(v))
            .expect("file");
        // pdao names a file with its control characters escaped (`\n`), in every format.
        assert_eq!(file, name.replace('\n', "\\n"), "the file name round-trips");
        assert!(!message.contains('\n') && !message.contains('\r'));
        annotations += 1;
        if command == "error" && unescape(message).contains("区域") {
            // Quoted in the message with its line break shown, not made.
            assert!(unescape(message).contains("<script>alert(1)</script>\\n::error::pwned"));
        }
    }
    let json = pdao()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "."])
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&json.stdout).expect("json");
    let expected =
        v["findings"].as_array().map_or(0, Vec::len) + v["errors"].as_array().map_or(0, Vec::len);
    assert!(expected >= 3);
    assert_eq!(annotations, expected, "one annotation per finding: {text}");
}

#[test]
fn html_escapes_every_document_string() {
    let (_, out) = run(&[
        "check",
        "--format",
        "html",
        "tests/data/hostile/agreement.yaml",
    ]);
    assert!(out.starts_with("<!DOCTYPE html>"));
    assert!(
        !out.to_ascii_lowercase().contains("<script"),
        "no script element at all"
    );
    assert!(!out.contains("<img"), "no element from the document");
    assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(out.contains("GZ-&lt;script&gt;alert(3)&lt;/script&gt;"));
    for external in ["http://", "https://", "src=", "@import", "url("] {
        assert!(!out.contains(external), "self-contained: found {external}");
    }
    assert!(out.contains("Content-Security-Policy"));
}
