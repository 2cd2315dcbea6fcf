//! The trust boundary, through the binary: a pull request writes every file of the checked
//! repository (documents, `pdao.toml`, exceptions, calendars, packs, file names, symbolic
//! links), and none of it may make pdao read or print a file outside the project, write where
//! it should not, or leave a report behind that looks like this run's.

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

const SEVEN: &str = "operating-agreement/invalid-term-seven-years.yaml";
const VALID: &str = "repo-guangzhou-transport/04-agreement.yaml";

/// A private key outside the repository: no output of pdao may hold a line of it.
const SECRET: &str = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACBTOPSECRETTOPSECRETTOPSECRETTOPSECRETTOPSAAAAJgAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
const SECRET_MARK: &str = "TOPSECRET";

/// A checkout (`repo/`, with `.git`) beside a directory that is not the repository's
/// (`outside/`, holding a secret).
struct Checkout {
    dir: tempfile::TempDir,
}

impl Checkout {
    fn new() -> Checkout {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::create_dir_all(dir.path().join("repo/.git/hooks")).expect("git dir");
        std::fs::create_dir_all(dir.path().join("outside")).expect("outside");
        std::fs::write(dir.path().join("outside/id_rsa"), SECRET).expect("secret");
        Checkout { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join("repo").join(rel)
    }

    fn outside(&self, rel: &str) -> PathBuf {
        self.dir.path().join("outside").join(rel)
    }

    fn write(&self, rel: &str, text: &str) -> &Checkout {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(p, text).expect("write");
        self
    }

    fn sample(&self, sample: &str, rel: &str) -> &Checkout {
        let text = std::fs::read_to_string(root().join("samples").join(sample)).expect("sample");
        self.write(rel, &text)
    }

    fn link(&self, rel: &str, to: &Path) -> &Checkout {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        symlink(to, p).expect("symlink");
        self
    }

    fn read(&self, rel: &str) -> Option<String> {
        std::fs::read_to_string(self.path(rel)).ok()
    }

    /// Run pdao in the repository: (exit code, stdout + stderr). A run that hangs (on a FIFO,
    /// say) is killed at a deadline and fails the test.
    fn pdao(&self, args: &[&str]) -> (i32, String) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pdao"))
            .current_dir(self.path(""))
            .args(["--as-of", "2025-12-20"])
            .args(args)
            .env_remove("PDAO_POLICY")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("runs");
        let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                let _ = pipe.read_to_end(&mut buf);
                String::from_utf8_lossy(&buf).into_owned()
            })
        };
        let out = drain(Box::new(child.stdout.take().expect("stdout")));
        let err = drain(Box::new(child.stderr.take().expect("stderr")));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let status = loop {
            if let Ok(Some(status)) = child.try_wait() {
                break status;
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("pdao {args:?} hung");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        (
            status.code().unwrap_or(-1),
            format!(
                "{}{}",
                out.join().unwrap_or_default(),
                err.join().unwrap_or_default()
            ),
        )
    }
}

fn no_secret(out: &str) {
    assert!(
        !out.contains(SECRET_MARK) && !out.contains("b3BlbnNzaC1rZXkt"),
        "a line of the secret reached the output: {out}"
    );
}

#[test]
fn a_calendar_outside_the_project_is_refused_at_its_key_and_never_read() {
    let c = Checkout::new();
    let secret = c.outside("id_rsa");
    c.sample(VALID, "plans/a.yaml").write(
        "pdao.toml",
        &format!("lang = \"en\"\ncalendars = [\"{}\"]\n", secret.display()),
    );
    let (code, out) = c.pdao(&["check", "plans"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("pdao.toml:2:14"),
        "names the key's place: {out}"
    );
    assert!(out.contains("outside the project"), "{out}");
    no_secret(&out);
    // The same through a symbolic link in the repository, and with `..`.
    c.link("calendars/2027.yaml", &secret).write(
        "pdao.toml",
        "calendars = [\"calendars/2027.yaml\", \"../outside/id_rsa\"]\n",
    );
    let (code, out) = c.pdao(&["check", "--format", "json", "plans"]);
    assert_eq!(code, 2, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let places: Vec<(u64, u64)> = v["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap_or(0),
                e["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(places, vec![(1, 14), (1, 37)], "{v}");
    no_secret(&out);
}

#[test]
fn packs_exceptions_and_baselines_outside_the_project_are_refused() {
    let c = Checkout::new();
    std::fs::create_dir_all(c.outside("pack/articles")).expect("mkdir");
    std::fs::write(
        c.outside("pack/pack.yaml"),
        "name: x\ntighten:\n  GD22-02: error\n",
    )
    .expect("pack");
    std::fs::write(c.outside("exceptions.yaml"), "exceptions: []\n").expect("exceptions");
    std::fs::write(
        c.outside("baseline.json"),
        "{\"version\": 1, \"findings\": []}",
    )
    .expect("baseline");
    c.sample(SEVEN, "a.yaml").write(
        "pdao.toml",
        "packs = [\"../outside/pack\"]\nexceptions = \"../outside/exceptions.yaml\"\nbaseline = \"../outside/baseline.json\"\n",
    );
    let (code, out) = c.pdao(&["check", "a.yaml"]);
    assert_eq!(code, 2, "{out}");
    for place in ["pdao.toml:1:10", "pdao.toml:2:14", "pdao.toml:3:12"] {
        assert!(out.contains(place), "{place}: {out}");
    }
    // A pack directory that is a link out of the repository, and a default exceptions file
    // that is one.
    c.link("city", &c.outside("pack"))
        .link("pdao-exceptions.yaml", &c.outside("id_rsa"))
        .write("pdao.toml", "packs = [\"city\"]\n");
    let (code, out) = c.pdao(&["check", "a.yaml"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("pdao.toml:1:10"), "{out}");
    assert!(out.contains("pdao-exceptions.yaml"), "{out}");
    no_secret(&out);
}

#[test]
fn an_exception_path_outside_the_project_is_an_error_and_excuses_nothing() {
    let c = Checkout::new();
    c.sample(SEVEN, "a.yaml").write(
        "pdao-exceptions.yaml",
        "exceptions:\n  - rule: GD22-02\n    path: ../outside/a.yaml\n    reason: x\n    approver: y\n",
    );
    let (code, out) = c.pdao(&["--lang", "en", "check", "a.yaml"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("pdao-exceptions.yaml:3:11"), "{out}");
    assert!(out.contains("error[GD22-02]"), "not excused: {out}");
}

#[test]
fn files_that_are_not_yaml_json_or_toml_are_never_quoted() {
    let c = Checkout::new();
    let secret = c.outside("id_rsa");
    let secret = secret.to_str().expect("utf-8");
    c.sample(VALID, "a.yaml");
    // Named on the command line (trusted for their place), as a calendar, a configuration,
    // an exceptions file and a baseline.
    for args in [
        vec!["check", "--calendar", secret, "a.yaml"],
        vec!["--config", secret, "check", "a.yaml"],
        vec!["check", "--exceptions", secret, "a.yaml"],
        vec!["check", "--baseline", secret, "a.yaml"],
    ] {
        for format in [
            "human", "json", "sarif", "junit", "gitlab", "github", "html",
        ] {
            let mut all = args.clone();
            let at = all.iter().position(|a| *a == "check").expect("check") + 1;
            all.splice(at..at, ["--format", format]);
            let (code, out) = c.pdao(&all);
            assert_eq!(code, 2, "{all:?}: {out}");
            no_secret(&out);
        }
    }
    // A repository's pdao.toml that is a link to the secret is not read at all.
    c.link("pdao.toml", &c.outside("id_rsa"));
    let (code, out) = c.pdao(&["check", "a.yaml"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("pdao.toml"), "{out}");
    no_secret(&out);
    // Binary and non-TOML files in the repository's place are not quoted either.
    std::fs::remove_file(c.path("pdao.toml")).expect("rm");
    c.write("pdao.toml", "[core]\nsecret TOPSECRET here\n");
    let (code, out) = c.pdao(&["check", "a.yaml"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("pdao.toml"), "{out}");
    no_secret(&out);
}

#[test]
fn files_named_by_the_configuration_must_be_regular_and_within_the_size_limit() {
    let c = Checkout::new();
    c.sample(VALID, "a.yaml")
        .write("pdao.toml", "calendars = [\"cal/2027.yaml\"]\n");
    let fifo = c.path("cal/2027.yaml");
    std::fs::create_dir_all(fifo.parent().expect("parent")).expect("mkdir");
    let name = std::ffi::CString::new(fifo.to_str().expect("utf-8")).expect("c string");
    // SAFETY: mkfifo on a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0, "mkfifo");
    let (code, out) = c.pdao(&["--lang", "en", "check", "a.yaml"]);
    assert_eq!(
        code, 2,
        "a FIFO is not opened (opening it would block): {out}"
    );
    assert!(out.contains("not a regular file"), "{out}");
    std::fs::remove_file(&fifo).expect("rm");
    let big = format!(
        "year: 2027\nsource: x\nholidays: []\n# {}\n",
        "x".repeat(4096)
    );
    c.write("cal/2027.yaml", &big);
    let (code, out) = c.pdao(&["--lang", "en", "check", "--max-file-size", "1KiB", "a.yaml"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("larger than the limit"), "{out}");
}

#[test]
fn a_report_is_never_written_into_git_through_a_link_or_over_a_document() {
    let c = Checkout::new();
    let hook = "#!/bin/sh\nexit 0\n";
    c.sample(VALID, "plans/a.yaml")
        .write(".git/hooks/pre-commit", hook)
        .write(
            "pdao.toml",
            "format = [\"human\", \"html=.git/hooks/pre-commit\"]\n",
        );
    let (code, out) = c.pdao(&["--lang", "en", "check", "plans"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("pdao.toml:1:20"), "{out}");
    assert_eq!(c.read(".git/hooks/pre-commit").as_deref(), Some(hook));
    // Through a link to a directory outside, a link to a file, or over a checked document.
    c.link("out", &c.outside(""))
        .link("report.json", &c.outside("id_rsa"));
    for target in ["json=out/r.json", "json=report.json", "json=plans/a.yaml"] {
        c.write(
            "pdao.toml",
            &format!("format = [\"human\", \"{target}\"]\n"),
        );
        let (code, out) = c.pdao(&["--lang", "en", "check", "plans"]);
        assert_eq!(code, 2, "{target}: {out}");
        assert!(out.contains("pdao.toml:1:20"), "{target}: {out}");
    }
    assert!(!c.outside("r.json").exists());
    assert_eq!(
        std::fs::read_to_string(c.outside("id_rsa")).ok().as_deref(),
        Some(SECRET)
    );
    assert!(c.read("plans/a.yaml").is_some_and(|t| t.contains("kind:")));
    // The operator's paths: trusted for their place, but never through a link or over a
    // checked document.
    std::fs::remove_file(c.path("pdao.toml")).expect("rm");
    for target in ["json=report.json", "json=plans/a.yaml"] {
        let (code, out) = c.pdao(&["--lang", "en", "check", "--format", target, "plans"]);
        assert_eq!(code, 2, "{target}: {out}");
        assert!(out.contains("not written"), "{target}: {out}");
    }
    assert_eq!(
        std::fs::read_to_string(c.outside("id_rsa")).ok().as_deref(),
        Some(SECRET)
    );
    assert!(c.read("plans/a.yaml").is_some_and(|t| t.contains("kind:")));
    let (code, out) = c.pdao(&["check", "--format", "json=../outside/r.json", "plans"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        c.outside("r.json").is_file(),
        "the operator may write outside"
    );
}

#[test]
fn a_stale_report_is_removed_when_the_run_starts() {
    let c = Checkout::new();
    let planted = "[]\n";
    c.sample(SEVEN, "plans/a.yaml")
        .write("gl-code-quality-report.json", planted);
    // A run that stops at a broken configuration leaves no report that looks clean.
    c.write("pdao.toml", "fial_on = 1\n");
    let (code, _) = c.pdao(&[
        "check",
        "--format",
        "gitlab=gl-code-quality-report.json",
        ".",
    ]);
    assert_eq!(code, 2);
    assert_eq!(c.read("gl-code-quality-report.json"), None);
    // A run killed while it checks: its report target is already gone.
    std::fs::remove_file(c.path("pdao.toml")).expect("rm");
    c.write("gl-code-quality-report.json", planted);
    let fifo = c.path("stuck.yaml");
    let name = std::ffi::CString::new(fifo.to_str().expect("utf-8")).expect("c string");
    // SAFETY: mkfifo on a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0, "mkfifo");
    let mut child = Command::new(env!("CARGO_BIN_EXE_pdao"))
        .current_dir(c.path(""))
        .args([
            "check",
            "--format",
            "gitlab=gl-code-quality-report.json",
            "plans/a.yaml",
            "stuck.yaml",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("runs");
    // pdao blocks reading the FIFO (named on the command line, it is read like `cat` would).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while c.read("gl-code-quality-report.json").is_some() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        c.read("gl-code-quality-report.json"),
        None,
        "removed before the run got stuck"
    );
    // A run that finishes writes the whole report, and nothing else beside it.
    std::fs::remove_file(&fifo).expect("rm");
    let (code, _) = c.pdao(&[
        "check",
        "--format",
        "gitlab=gl-code-quality-report.json",
        ".",
    ]);
    assert_eq!(code, 1);
    let issues: serde_json::Value =
        serde_json::from_str(&c.read("gl-code-quality-report.json").expect("written"))
            .expect("json");
    assert!(issues.as_array().is_some_and(|a| !a.is_empty()));
    let names: Vec<String> = std::fs::read_dir(c.path(""))
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("pdao-tmp"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn no_config_ignores_every_file_of_pdao_in_the_repository() {
    let c = Checkout::new();
    let with_comment = std::fs::read_to_string(root().join("samples").join(SEVEN))
        .expect("sample")
        .replace(
            "end: 2032-12-31",
            "end: 2032-12-31  # pdao-exception: GD22-02 reason=\"x\" approver=\"y\"",
        );
    assert!(
        with_comment.contains("pdao-exception"),
        "the sample has the line"
    );
    let other = std::fs::read_to_string(root().join("samples").join(SEVEN))
        .expect("sample")
        .replace("GZ-JTCX-2026-XY01-DRAFT7", "GZ-JTCX-2026-XY01-DRAFT8");
    c.write("a.yaml", &with_comment)
        .write("b.yaml", &other)
        .write("pdao.toml", "[rules]\n\"GD19-P1x\" = \"off\"\n")
        .write(
            "pdao-exceptions.yaml",
            "exceptions:\n  - rule: GD22-02\n    path: b.yaml\n    reason: x\n    approver: y\n",
        );
    let (code, out) = c.pdao(&["check", "--format", "json", "a.yaml", "b.yaml"]);
    assert_eq!(code, 0, "the repository's settings excuse both: {out}");
    let (code, out) = c.pdao(&[
        "--no-config",
        "check",
        "--format",
        "json",
        "a.yaml",
        "b.yaml",
    ]);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["suppressed"].as_array().map(Vec::len), Some(0), "{v}");
    assert_eq!(v["exceptions"].as_array().map(Vec::len), Some(0), "{v}");
    let errors = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "GD22-02")
        .count();
    assert_eq!(errors, 2, "{v}");
    assert!(
        v["findings"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["rule"] == "GD19-P1x")),
        "pdao.toml is not read: {v}"
    );
}

#[test]
fn a_calendar_file_cannot_redefine_a_shipped_year() {
    let c = Checkout::new();
    let (code, out) = c.pdao(&["deadline", "2026-01-05", "--working-days", "10"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("2026-01-19"), "{out}");
    // A three-month 元旦 in 2026 would push every deadline of the year past March.
    c.sample(VALID, "a.yaml")
        .write(
            "calendars/2026.yaml",
            "year: 2026\nsource: 自拟\nholidays:\n  - { name: 元旦, from: 2026-01-01, to: 2026-03-31 }\n",
        )
        .write("pdao.toml", "calendars = [\"calendars/2026.yaml\"]\n");
    let (code, out) = c.pdao(&[
        "--lang",
        "en",
        "deadline",
        "2026-01-05",
        "--working-days",
        "10",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.starts_with("2026-01-19"),
        "the shipped year stands: {out}"
    );
    assert!(out.contains("calendars/2026.yaml"), "names the file: {out}");
    assert!(out.contains("already known"), "{out}");
    let (code, out) = c.pdao(&["--lang", "en", "check", "a.yaml"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("calendars/2026.yaml:1:7"), "{out}");
    // A year pdao does not ship is added.
    c.write(
        "calendars/2031.yaml",
        "year: 2031\nsource: 自拟\nholidays:\n  - { name: 元旦, from: 2031-01-01, to: 2031-01-01 }\n",
    )
    .write("pdao.toml", "calendars = [\"calendars/2031.yaml\"]\n");
    let (code, out) = c.pdao(&["deadline", "2030-12-31", "--working-days", "1"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("2031-01-02"), "{out}");
}
