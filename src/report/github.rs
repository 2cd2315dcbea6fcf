//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per counted
//! finding, on the offending line. Every string that comes from a document or a file name is
//! escaped as GitHub's toolkit does (data: `%` `\r` `\n`; properties also `:` `,`), so that no
//! document value can end the command or start another one. Excused findings are left out;
//! exceptions that expired, matched nothing or were refused are warnings on the exception's own
//! line; what decided the run (the CI policy, rules turned off or lowered, exclusions,
//! exceptions applied with their approvers, the baseline) are notices.

use std::fmt::Write;

use super::Summary;
use crate::finding::Finding;
use crate::outcome::Outcome;
use crate::severity::Severity;
use crate::text::Lang;

/// Escape the message part of a workflow command as GitHub's toolkit does (`%`, `\r`, `\n`),
/// and more: other control characters (ESC, NUL, …) are dropped, since the log would act on
/// them and an annotation has no use for them, and bidi controls are written visibly
/// ([`crate::visible`]).
pub fn escape_data(s: &str) -> String {
    let plain = |c: char| {
        !(c == '%' || crate::visible::is_control(c) || crate::visible::is_invisible(c)) || c == '\t'
    };
    if s.chars().all(plain) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            '\t' => out.push(c),
            c if crate::visible::is_control(c) => {}
            c if crate::visible::is_invisible(c) => {
                out.push_str(&crate::visible::inline(c.encode_utf8(&mut [0; 4])))
            }
            c => out.push(c),
        }
    }
    out
}

/// Escape a property value (`file=`, `title=`) of a workflow command.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(out: &mut String, level: &str, props: &[(&str, String)], message: &str) {
    let props: Vec<String> = props
        .iter()
        .map(|(k, v)| format!("{k}={}", escape_property(v)))
        .collect();
    let _ = writeln!(
        out,
        "::{level} {}::{}",
        props.join(","),
        escape_data(message)
    );
}

fn annotation(out: &mut String, f: &Finding, lang: Lang) {
    let level = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Review => "notice",
    };
    let end = f.file.position(f.span.end);
    let (citation, under, fix) = match lang {
        Lang::Zh => (&f.citation_zh, "依据：", "修改："),
        Lang::En => (&f.citation_en, "Under ", "Fix: "),
    };
    let mut props = vec![
        ("file", crate::baseline::normalize_path(f.file.name())),
        ("line", f.position.line.to_string()),
        ("endLine", end.line.to_string()),
    ];
    if end.line == f.position.line {
        props.push(("col", f.position.column.to_string()));
        props.push(("endColumn", end.column.to_string()));
    }
    props.push(("title", format!("{} {citation}", f.rule)));
    let mut message = f.message.get(lang).to_string();
    if f.detail.get(lang) != message && !f.detail.get(lang).is_empty() {
        message.push('\n');
        message.push_str(f.detail.get(lang));
    }
    message.push_str(&format!(
        "\n{under}{citation} “{}”\n{fix}{}",
        f.quote,
        f.help.get(lang)
    ));
    command(out, level, &props, &message);
}

/// Render a run as workflow commands.
pub fn render(outcome: &Outcome, lang: Lang) -> String {
    let mut out = String::new();
    for e in outcome.run.input_errors() {
        let mut props = vec![("file", crate::baseline::normalize_path(e.file.name()))];
        if let Some(p) = e.position() {
            props.push(("line", p.line.to_string()));
            props.push(("col", p.column.to_string()));
        }
        props.push(("title", e.code.to_string()));
        let mut message = e.message.get(lang).to_string();
        if let Some(h) = &e.help {
            message.push('\n');
            message.push_str(h.get(lang));
        }
        command(&mut out, "error", &props, &message);
    }
    for f in outcome.run.findings() {
        annotation(&mut out, f, lang);
    }
    for e in &outcome.exceptions {
        if let Some(note) = e.note() {
            let r = &e.record;
            let p = r.source.position(r.span.start);
            command(
                &mut out,
                "warning",
                &[
                    ("file", crate::baseline::normalize_path(r.source.name())),
                    ("line", p.line.to_string()),
                    ("title", format!("pdao exception {}", e.status.name())),
                ],
                note.get(lang),
            );
        }
    }
    for n in crate::decisions::notes(outcome) {
        let mut props = Vec::new();
        if let Some(file) = &n.file {
            props.push(("file", crate::baseline::normalize_path(file)));
        }
        if let Some(line) = n.line {
            props.push(("line", line.to_string()));
        }
        props.push(("title", "pdao decision".to_string()));
        command(&mut out, "notice", &props, n.text.get(lang));
    }
    let s = Summary::of(&outcome.run);
    let _ = writeln!(
        out,
        "pdao: {} documents, {} errors, {} warnings, {} infos, {} review items, {} excused, {} inputs not checked",
        s.documents,
        s.errors,
        s.warnings,
        s.infos,
        s.reviews,
        outcome.suppressed.len(),
        s.failed
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_toolkit() {
        assert_eq!(escape_data("a%b\r\nc"), "a%25b%0D%0Ac");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(
            escape_data("\u{1b}[31mred\u{0}\u{7}\u{202e}x"),
            "[31mred\\u{202e}x"
        );
    }
}
