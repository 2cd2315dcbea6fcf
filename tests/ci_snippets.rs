//! The CI snippets in README.md and the pre-commit hook, run as written: each test reads the
//! snippet, takes its `pdao check` command line, fills in the CI system's variables (the
//! policy file it provides outside the checkout), runs it in a repository of the samples, and
//! checks that the files the CI system is told to collect are there and valid.

use std::path::Path;

use pdao::document::{yaml, Limits};
use pdao::source::SourceFile;
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The YAML block after `<!-- snippet: NAME`, parsed.
fn snippet(name: &str) -> Value {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let marker = format!("<!-- snippet: {name}");
    let after = readme
        .split_once(&marker)
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("README has no snippet {name}"));
    let block = after
        .split_once("```yaml\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .expect("a yaml block after the marker");
    yaml::parse(&SourceFile::new(name, block), Limits::default())
        .unwrap_or_else(|e| panic!("{name}: {:?}", e.message))
        .to_json()
}

/// A repository holding the samples, with `.git`.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::create_dir(dir.path().join(".git")).expect("git");
    for entry in walkdir::WalkDir::new(root().join("samples")) {
        let entry = entry.expect("walk");
        let rel = entry
            .path()
            .strip_prefix(root())
            .expect("under root")
            .to_path_buf();
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(dir.path().join(&rel)).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), dir.path().join(&rel)).expect("copy");
        }
    }
    dir
}

/// A CI policy outside the repository, as the CI system provides it: `$PDAO_POLICY` (GitLab's
/// variable of type File) and `$RUNNER_TEMP/pdao-policy.toml` (GitHub) name it.
fn ci_policy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("pdao-policy.toml"),
        "fail_on = \"error\"\nunresolved = \"error\"\ncomment_exceptions = false\n",
    )
    .expect("policy");
    dir
}

/// The snippet's line with the CI system's variables filled in.
fn expand(line: &str, ci: &Path) -> String {
    let policy = ci.join("pdao-policy.toml");
    line.replace("$PDAO_POLICY", &policy.display().to_string())
        .replace("$RUNNER_TEMP", &ci.display().to_string())
}

/// Run a `pdao …` command line (words separated by spaces, as in the snippets).
fn run_line(dir: &Path, line: &str) -> (i32, String) {
    let mut words = line.split_whitespace();
    assert_eq!(words.next(), Some("pdao"), "{line}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pdao"))
        .current_dir(dir)
        .args(words)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
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
    assert!(validator.is_valid(&log));
}

#[test]
fn the_gitlab_ci_snippet_produces_code_quality_and_junit_reports() {
    let job = &snippet("gitlab-ci")["pdao"];
    let script = job["script"].as_array().expect("script");
    let line = script
        .iter()
        .filter_map(Value::as_str)
        .find(|l| l.starts_with("pdao check"))
        .expect("a pdao check line");
    assert!(line.contains("--policy $PDAO_POLICY"), "{line}");
    let dir = repo();
    let ci = ci_policy();
    let (code, out) = run_line(dir.path(), &expand(line, ci.path()));
    assert_eq!(code, 1, "the samples hold errors: the job fails");
    assert!(
        out.contains("error[GD22-02]"),
        "the human report in the job log"
    );
    assert!(out.contains("CI 策略"), "the log names the policy: {out}");
    let reports = &job["artifacts"]["reports"];
    let quality = reports["codequality"].as_str().expect("codequality");
    let issues: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join(quality)).expect("written"))
            .expect("json array");
    assert!(issues.iter().any(|i| i["check_name"] == "GD22-02"));
    let junit = reports["junit"].as_str().expect("junit");
    let xml = std::fs::read_to_string(dir.path().join(junit)).expect("written");
    let doc = roxmltree::Document::parse(&xml).expect("XML");
    assert!(doc.descendants().any(|n| n.has_tag_name("failure")));
    for path in job["artifacts"]["paths"].as_array().expect("paths") {
        let p = dir.path().join(path.as_str().expect("str"));
        assert!(p.is_file(), "{}", p.display());
    }
    assert_eq!(
        job["artifacts"]["when"], "always",
        "reports also when the job fails"
    );
    // Without the variable, the job fails rather than run without a policy.
    let (code, _) = run_line(dir.path(), &line.replace("$PDAO_POLICY", ""));
    assert_eq!(code, 2);
}

#[test]
fn the_github_actions_snippet_annotates_and_writes_sarif() {
    let workflow = snippet("github-actions");
    let steps = workflow["jobs"]["pdao"]["steps"].as_array().expect("steps");
    let line = steps
        .iter()
        .filter_map(|s| s["run"].as_str())
        .find(|l| l.starts_with("pdao check"))
        .expect("a pdao check step");
    assert!(
        line.contains("--policy $RUNNER_TEMP/pdao-policy.toml"),
        "{line}"
    );
    let writes_policy = steps
        .iter()
        .filter_map(|s| s["run"].as_str())
        .any(|r| r.contains("$RUNNER_TEMP/pdao-policy.toml") && r.contains("test -n"));
    assert!(
        writes_policy,
        "a step writes the policy and fails without one"
    );
    let dir = repo();
    let ci = ci_policy();
    let (code, out) = run_line(dir.path(), &expand(line, ci.path()));
    assert_eq!(code, 1);
    assert!(
        out.lines().any(|l| l.starts_with("::error file=samples/")),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("::notice") && l.contains("title=pdao decision")),
        "the policy is stated: {out}"
    );
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif"))
        })
        .expect("an upload-sarif step");
    assert_eq!(upload["if"], "always()");
    let sarif = upload["with"]["sarif_file"].as_str().expect("sarif_file");
    sarif_is_valid(&std::fs::read_to_string(dir.path().join(sarif)).expect("written"));
    assert_eq!(
        workflow["permissions"]["security-events"], "write",
        "upload-sarif needs it"
    );
    let artifact = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-artifact"))
        })
        .expect("an artifact step");
    let html = artifact["with"]["path"].as_str().expect("path");
    assert!(std::fs::read_to_string(dir.path().join(html))
        .expect("written")
        .starts_with("<!DOCTYPE html>"));
}

#[test]
fn the_pre_commit_hook_runs_its_entry() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).expect("hooks");
    let hooks = yaml::parse(
        &SourceFile::new(".pre-commit-hooks.yaml", text),
        Limits::default(),
    )
    .expect("yaml")
    .to_json();
    let hook = hooks
        .as_array()
        .and_then(|h| h.iter().find(|h| h["id"] == "pdao"))
        .expect("the pdao hook");
    for key in ["name", "entry", "language"] {
        assert!(hook[key].is_string(), "{key}");
    }
    assert_eq!(hook["language"], "rust", "pre-commit builds it with cargo");
    assert_eq!(
        hook["pass_filenames"], false,
        "documents are checked as a set"
    );
    let files = regex::Regex::new(hook["files"].as_str().expect("files")).expect("regex");
    for name in ["plans/a.yaml", "b.yml", "c.json", "pdao.toml"] {
        assert!(files.is_match(name), "{name}");
    }
    assert!(!files.is_match("README.md"));
    let entry = hook["entry"].as_str().expect("entry");
    let dir = repo();
    let (code, _) = run_line(dir.path(), entry);
    assert_eq!(code, 1, "the samples hold errors: the commit is stopped");
    std::fs::remove_dir_all(dir.path().join("samples")).expect("rm");
    std::fs::create_dir(dir.path().join("plans")).expect("mkdir");
    for entry in std::fs::read_dir(root().join("samples/repo-guangzhou-transport")).expect("dir") {
        let entry = entry.expect("entry");
        std::fs::copy(
            entry.path(),
            dir.path().join("plans").join(entry.file_name()),
        )
        .expect("copy");
    }
    let (code, out) = run_line(dir.path(), entry);
    assert_eq!(code, 0, "a clean repository passes: {out}");
}
