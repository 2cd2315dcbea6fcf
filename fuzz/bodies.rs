//! What each fuzz target does with one input, written against pdao's public API only.
//!
//! The fuzz crate (`fuzz/fuzz_targets/*.rs`) and the regression test of the main crate
//! (`tests/fuzz_regressions.rs`) both include this file, so every seed and every crash
//! reproducer kept under `fuzz/` is replayed by `cargo test` without a fuzzer installed.
//! A body panics only where an invariant of pdao's own is broken: that is the crash the fuzzer
//! reports.

use std::sync::{Arc, OnceLock};

use pdao::citation::Citation;
use pdao::dates::{parse_date, term_last_day};
use pdao::document::{self, yaml, Document, Limits};
use pdao::error::InputError;
use pdao::measure::{chinese_number, fold, parse_chinese_number, Measure};
use pdao::report;
use pdao::rules::{load_pack, PackFiles};
use pdao::schema::Schemas;
use pdao::source::{SourceFile, Span};
use pdao::text::Lang;
use pdao::{Checker, FileOutcome, FileReport, RunReport};

/// What a fuzz target does with one input.
pub type Body = fn(&[u8]);

/// The fuzz targets, by name (the file names under `fuzz/fuzz_targets/` and `fuzz/corpus/`).
pub const TARGETS: [(&str, Body); 3] = [
    ("check_document", check_document),
    ("load_pack", load_pack_and_check),
    ("text_parsers", text_parsers),
];

fn checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(|| match Checker::builtin() {
        Ok((checker, errors)) if errors.is_empty() => checker,
        other => panic!("the built-in pack must load clean: {:?}", other.err()),
    })
}

fn schemas() -> &'static Schemas {
    &checker().schemas
}

fn builtin_measure() -> &'static Measure {
    &checker().pack.measure
}

/// A span must lie inside its file and on character boundaries: the reports slice by it.
fn assert_span(file: &SourceFile, span: Span, what: &str) {
    let text = file.text();
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {span:?} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} splits a character"
    );
}

fn assert_error(e: &InputError) {
    for label in &e.labels {
        assert_span(&e.file, label.span, e.code);
    }
}

/// The date deadlines are judged at: fixed, so that a fuzz input replays the same way any day.
fn as_of() -> jiff::civil::Date {
    jiff::civil::date(2026, 6, 1)
}

/// Render `run` in every format and language: the reports must never panic either.
fn render_all(run: &RunReport) {
    let info = &checker().pack.info;
    for lang in [Lang::Zh, Lang::En] {
        let human = report::human::render(run, lang, false, as_of());
        assert!(!human.is_empty());
        let json = report::json::render(run, info, lang, as_of(), None);
        assert!(
            serde_json::from_str::<serde_json::Value>(&json).is_ok(),
            "the JSON report is not JSON"
        );
    }
}

/// Bytes as a document: decode, parse, evaluate with the whole built-in pack, render.
pub fn check_document(data: &[u8]) {
    // The first byte picks the file name, so that both name-based syntaxes are reached.
    let (name, bytes) = match data.split_first() {
        Some((b, rest)) if b % 2 == 1 => ("fuzz.json", rest),
        Some((_, rest)) => ("fuzz.yaml", rest),
        None => ("fuzz.yaml", data),
    };
    let outcome = match document::decode(name, bytes.to_vec()) {
        Err(e) => FileOutcome::Failed(e),
        Ok(file) => checker().check_file_as_of(&file, true, as_of()),
    };
    match &outcome {
        FileOutcome::Failed(e) => assert_error(e),
        FileOutcome::Checked { findings, .. } => {
            for f in findings {
                assert_span(&f.file, f.span, &f.rule);
                assert_eq!(f.position, f.file.position(f.span.start));
            }
        }
        FileOutcome::Skipped => panic!("an explicit input is never skipped"),
    }
    render_all(&RunReport {
        files: vec![FileReport {
            name: name.into(),
            outcome,
        }],
        ..RunReport::default()
    });
}

/// The sample plan repository: ten documents that refer to each other.
fn valid_documents() -> &'static [Document] {
    static DOCS: OnceLock<Vec<Document>> = OnceLock::new();
    DOCS.get_or_init(|| {
        REPOSITORY
            .iter()
            .filter_map(|(name, text)| {
                let file = SourceFile::new(*name, *text);
                document::load(&file, Limits::default()).ok()?.ok()
            })
            .collect()
    })
}

const REPOSITORY: [(&str, &str); 10] = [
    (
        "01-plan.yaml",
        include_str!("../samples/repo-guangzhou-transport/01-plan.yaml"),
    ),
    (
        "02-selection.yaml",
        include_str!("../samples/repo-guangzhou-transport/02-selection.yaml"),
    ),
    (
        "03-application.yaml",
        include_str!("../samples/repo-guangzhou-transport/03-application.yaml"),
    ),
    (
        "04-agreement.yaml",
        include_str!("../samples/repo-guangzhou-transport/04-agreement.yaml"),
    ),
    (
        "05-catalog.yaml",
        include_str!("../samples/repo-guangzhou-transport/05-catalog.yaml"),
    ),
    (
        "06-data-use-request.yaml",
        include_str!("../samples/repo-guangzhou-transport/06-data-use-request.yaml"),
    ),
    (
        "07-data-use-request.yaml",
        include_str!("../samples/repo-guangzhou-transport/07-data-use-request.yaml"),
    ),
    (
        "08-product-review.yaml",
        include_str!("../samples/repo-guangzhou-transport/08-product-review.yaml"),
    ),
    (
        "09-annual-report.yaml",
        include_str!("../samples/repo-guangzhou-transport/09-annual-report.yaml"),
    ),
    (
        "10-termination.yaml",
        include_str!("../samples/repo-guangzhou-transport/10-termination.yaml"),
    ),
];

fn builtin_file(rel: &str) -> String {
    pdao::embedded::RULES
        .iter()
        .find(|(n, _)| *n == rel)
        .map(|(_, t)| t.to_string())
        .unwrap_or_default()
}

/// Bytes as a rule file: the first byte says which file of a small pack they replace (an
/// article file, or `pack.yaml`); a pack that loads is then evaluated on the clean samples.
pub fn load_pack_and_check(data: &[u8]) {
    let Some((selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest).into_owned();
    // The manifest, the measure's text and the holiday calendars of the built-in pack.
    let mut files: Vec<(String, String)> = pdao::embedded::RULES
        .iter()
        .filter(|(n, _)| !n.starts_with("articles/"))
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    match selector % 4 {
        // The fuzzed text is the manifest, beside one real article.
        0 => {
            for (name, t) in files.iter_mut() {
                if name == "pack.yaml" {
                    *t = text.clone();
                }
            }
            files.push((
                "articles/022.yaml".into(),
                builtin_file("articles/022.yaml"),
            ));
        }
        // The fuzzed text is an article file, alone or beside a real one (duplicate ids).
        1 => files.push(("articles/900.yaml".into(), text)),
        _ => {
            files.push((
                "articles/022.yaml".into(),
                builtin_file("articles/022.yaml"),
            ));
            files.push(("articles/900.yaml".into(), text));
        }
    }
    let pack_files = PackFiles {
        origin: "fuzz".into(),
        files,
    };
    let (pack, errors) = load_pack(&pack_files, schemas());
    for e in &errors {
        assert_error(e);
    }
    let Some(pack) = pack else {
        return;
    };
    let set = pdao::eval::crossdoc::DocSet::new(valid_documents());
    let ctx = pdao::eval::Context {
        as_of: as_of(),
        calendar: &pack.calendar,
        set: &set,
        unresolved: pdao::severity::Severity::Info,
        in_force: None,
        regions: &pack.regions,
    };
    for doc in valid_documents() {
        for f in pdao::eval::check_document(&pack, schemas(), doc, &ctx) {
            assert_span(&doc.file, f.span, &f.rule);
        }
    }
    let _ = pdao::coverage::matrix(&pack, None);
}

/// Bytes as text for the small parsers: dates, Chinese numerals, citations, the measure's
/// structure, quote folding, regions. Each is checked against a property, not only for panics.
pub fn text_parsers(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(date) = parse_date(text) {
        assert_eq!(parse_date(&date.to_string()), Some(date), "{text:?}");
        for years in [0, 1, 5, 10_000, u32::MAX] {
            if let Some(last) = term_last_day(date, years) {
                assert!(years == 0 || last >= date, "{date} + {years} years");
            }
        }
    }
    if let Some(n) = parse_chinese_number(text) {
        assert!(n <= 99);
        assert_eq!(
            parse_chinese_number(&chinese_number(n)),
            Some(n),
            "{text:?}"
        );
    }
    let folded = fold(text);
    assert_eq!(fold(&folded), folded, "folding is idempotent");

    // A region as a document writes it: a division found by name is found by its code too.
    let normal = pdao::region::normalize(text);
    assert_eq!(pdao::region::normalize(&normal), normal, "{text:?}");
    let divisions = pdao::region::Divisions::builtin();
    if let pdao::region::Resolution::Within(place) = divisions.resolve(text) {
        let code = match place {
            pdao::region::Place::Province(p) => Some(&p.code),
            pdao::region::Place::City(c) => Some(&c.code),
            pdao::region::Place::County(c, _) => Some(&c.code),
            pdao::region::Place::Area(_) => None,
        };
        if let Some(code) = code {
            assert_eq!(
                divisions.resolve(code),
                pdao::region::Resolution::Within(place),
                "{text:?}"
            );
        }
    }

    // A citation written in a rule file or a schema's `x-citation`, rendered against the
    // built-in measure and against the text read as a measure of its own.
    let file = SourceFile::new("citation.yaml", text);
    let parsed = yaml::parse(&Arc::clone(&file), Limits::default());
    let citation = parsed
        .ok()
        .and_then(|root| serde_json::from_value::<Citation>(root.to_json()).ok());
    let own = Measure::parse(text);
    for article in &own.articles {
        assert!(article.number <= 99);
        if !own
            .article(article.number)
            .is_some_and(|first| std::ptr::eq(first, article))
        {
            continue; // a number used twice: citations name the first
        }
        for (p, paragraph) in article.paragraphs.iter().enumerate() {
            let c = Citation {
                article: article.number,
                paragraph: u32::try_from(p + 1).ok(),
                item: u32::try_from(paragraph.items.len()).ok().filter(|n| *n > 0),
                sub_item: None,
            };
            assert!(c.exists_in(&own), "{c:?} is in the text it was read from");
            assert!(c.scope_text(&own).is_some());
        }
    }
    for measure in [builtin_measure(), &own] {
        if let Some(c) = citation {
            let zh = c.zh(measure);
            let en = c.en(measure);
            assert!(zh.starts_with('第') && en.starts_with("Art. "));
            if c.exists_in(measure) {
                assert!(c.scope_text(measure).is_some(), "{c:?}");
            }
        }
    }
}
