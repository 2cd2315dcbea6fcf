//! The HTML report in a real browser (Debian's chromium, headless): it loads with no console
//! message at all (no script runs, the Content-Security-Policy blocks nothing because nothing
//! is fetched), document strings render as text, findings are grouped by document and article
//! with the article's text beside them, and it prints to A4. A screenshot is left in
//! `target/browser/` for people to look at.
//!
//! Without chromium the tests are skipped, except under CI (`CI=true`), where they fail:
//! `.ci/run` installs chromium.

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|p| p.join(name))
                    .find(|p| p.is_file())
            })
        });
    if found.is_none() {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "chromium is required under CI (.ci/run installs it)"
        );
        eprintln!("skipped: chromium is not installed");
    }
    found
}

fn out_dir() -> PathBuf {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("browser");
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

/// Run chromium headless on `page` with `args`; (stdout, console messages).
fn browse(chromium: &Path, page: &Path, args: &[&str]) -> (String, Vec<String>) {
    let profile = tempfile::tempdir().expect("profile");
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(out.status.success(), "chromium failed: {out:?}");
    let console = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    (String::from_utf8_lossy(&out.stdout).into_owned(), console)
}

/// The report's run: the audit repository and a hostile agreement, in the format given.
fn pdao_run(format: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pdao"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "check",
            "--config",
            "tests/data/audit/pdao.toml",
            "--as-of",
            "2028-06-01",
            "--format",
            format,
        ])
        .args(["tests/data/audit", "tests/data/hostile/agreement.yaml"]);
    command
}

fn report(dir: &Path) -> PathBuf {
    let path = dir.join("report.html");
    let status = pdao_run(&format!("html={}", path.display()))
        .status()
        .expect("pdao runs");
    assert_eq!(status.code(), Some(1), "findings, no input error");
    path
}

#[test]
fn the_console_check_sees_script_output_and_blocked_fetches() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().expect("tmp");
    let probe = dir.path().join("probe.html");
    std::fs::write(
        &probe,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"></head>\
         <body><img src=\"http://example.invalid/x.png\"></body></html>",
    )
    .expect("write");
    let (_, console) = browse(&chromium, &probe, &["--dump-dom"]);
    assert!(
        console
            .iter()
            .any(|l| l.contains("Content Security Policy")),
        "a blocked fetch must show: {console:?}"
    );
    std::fs::write(
        &probe,
        "<!DOCTYPE html><html><body><script>console.error('pdao-probe')</script></body></html>",
    )
    .expect("write");
    let (_, console) = browse(&chromium, &probe, &["--dump-dom"]);
    assert!(
        console.iter().any(|l| l.contains("pdao-probe")),
        "{console:?}"
    );
}

#[test]
fn the_report_loads_cleanly_and_shows_grouped_findings_as_text() {
    let Some(chromium) = chromium() else { return };
    let dir = out_dir();
    let page = report(&dir);
    let (dom, console) = browse(&chromium, &page, &["--dump-dom"]);
    assert!(console.is_empty(), "console messages: {console:#?}");
    // Document strings are text, not markup.
    let lower = dom.to_ascii_lowercase();
    assert!(
        !lower.contains("<script"),
        "no script element reached the DOM"
    );
    assert!(
        !lower.contains("<img"),
        "no element from a document reached the DOM"
    );
    assert!(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(dom.contains("GZ-&lt;script&gt;alert(3)&lt;/script&gt;"));
    // Grouped by document, then by article, with the article's text beside the findings.
    assert_eq!(dom.matches("<section class=\"document\"").count(), 3);
    let groups = dom.matches("<div class=\"group\"").count();
    assert!(groups >= 5, "{groups} article groups");
    assert_eq!(
        dom.matches("<aside class=\"article-text\">").count(),
        groups
    );
    assert!(dom.contains("第二十二条【运营协议内容】原文"));
    assert!(dom.contains("<mark>(二)运营期限,原则上最长不超过 5 年;</mark>"));
    // Review items with boxes to tick, exceptions with their approvers, a summary table.
    // One box per point a review item lists: the same run as JSON says how many there are.
    let json = pdao_run("json").output().expect("pdao runs");
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let points: usize = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] == "review")
        .map(|f| {
            f["detail"]
                .as_str()
                .unwrap_or_default()
                .matches('☐')
                .count()
        })
        .sum();
    assert!(points >= 9, "the run has review items");
    assert_eq!(
        dom.matches("type=\"checkbox\"").count(),
        points,
        "a box per point of each review item"
    );
    assert!(dom.contains("穗府函〔2026〕12号"));
    assert!(dom.contains("<table class=\"exceptions\">"));
    assert!(dom.contains("status-expired"));
    assert!(dom.contains("<table class=\"summary\">"));

    let shot = dir.join("report.png");
    let _ = std::fs::remove_file(&shot);
    let (_, console) = browse(
        &chromium,
        &page,
        &[
            "--window-size=1280,2200",
            &format!("--screenshot={}", shot.display()),
        ],
    );
    assert!(console.is_empty(), "{console:#?}");
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 50_000,
        "{} bytes",
        png.len()
    );
}

#[test]
fn the_report_prints_to_a4() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().expect("tmp");
    let page = report(dir.path());
    let pdf = dir.path().join("report.pdf");
    browse(
        &chromium,
        &page,
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
        ],
    );
    let bytes = std::fs::read(&pdf).expect("pdf written");
    let text = String::from_utf8_lossy(&bytes);
    let boxes: Vec<&str> = text
        .match_indices("/MediaBox [")
        .filter_map(|(i, _)| text.get(i..).and_then(|t| t.split(']').next()))
        .collect();
    assert!(boxes.len() > 1, "several pages");
    for b in boxes {
        let numbers: Vec<f64> = b
            .trim_start_matches("/MediaBox [")
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        // A4 is 210 × 297 mm = 595.3 × 841.9 pt.
        assert!(
            matches!(numbers.as_slice(), [_, _, w, h] if (w - 595.3).abs() < 1.5 && (h - 841.9).abs() < 1.5),
            "not A4: {b}"
        );
    }
}
