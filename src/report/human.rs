//! The human report: one miette graphical diagnostic per finding or input error, then a summary.

use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;
use std::sync::Arc;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use super::shown::ShownSource;
use super::Summary;
use crate::error::InputError;
use crate::finding::{Finding, RelatedLocation};
use crate::severity::Severity;
use crate::source::SourceFile;
use crate::text::Lang;
use crate::visible::{inline, multiline};
use crate::{FileOutcome, FileReport, RunReport};

/// The files of one part of a report, each prepared for showing once.
#[derive(Default)]
struct Sources(HashMap<*const SourceFile, Rc<ShownSource>>);

impl Sources {
    fn get(&mut self, file: &Arc<SourceFile>) -> Rc<ShownSource> {
        Rc::clone(
            self.0
                .entry(Arc::as_ptr(file))
                .or_insert_with(|| Rc::new(ShownSource::new(file))),
        )
    }
}

/// Render a run. `color`: ANSI colours (only on a terminal, never with NO_COLOR).
pub fn render(run: &RunReport, lang: Lang, color: bool, as_of: jiff::civil::Date) -> String {
    let mut out = render_diagnostics(run, lang, color);
    out.push_str(&render_summary(&Summary::of(run), lang, as_of));
    out
}

/// The diagnostics of a run, without the summary line: the errors that are not about one
/// file, then each file in input order (its error, or its findings).
pub fn render_diagnostics(run: &RunReport, lang: Lang, color: bool) -> String {
    let mut out = render_errors(&run.errors, lang, color);
    for file in &run.files {
        out.push_str(&render_file(file, lang, color));
    }
    out
}

fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100)
}

/// Errors that are not about one document (the rule pack, paths that do not exist).
pub fn render_errors(errors: &[InputError], lang: Lang, color: bool) -> String {
    let handler = handler(color);
    let mut sources = Sources::default();
    let mut out = String::new();
    for error in errors {
        let source = sources.get(&error.file);
        let _ = handler.render_report(
            &mut out,
            &ErrorDiagnostic {
                error,
                lang,
                source,
            },
        );
    }
    out
}

/// One input: why it could not be checked, or its findings (nothing when it is clean). A run
/// streamed file by file writes this as soon as the file is checked.
pub fn render_file(file: &FileReport, lang: Lang, color: bool) -> String {
    let handler = handler(color);
    let mut sources = Sources::default();
    let mut out = String::new();
    match &file.outcome {
        FileOutcome::Failed(error) => {
            let source = sources.get(&error.file);
            let _ = handler.render_report(
                &mut out,
                &ErrorDiagnostic {
                    error,
                    lang,
                    source,
                },
            );
        }
        FileOutcome::Checked { findings, .. } => {
            for finding in findings {
                let related = finding
                    .related
                    .iter()
                    .map(|location| RelatedDiagnostic {
                        location,
                        lang,
                        source: sources.get(&location.file),
                    })
                    .collect();
                let _ = handler.render_report(
                    &mut out,
                    &FindingDiagnostic {
                        finding,
                        lang,
                        related,
                        source: sources.get(&finding.file),
                    },
                );
            }
        }
        FileOutcome::Skipped => {}
    }
    out
}

/// The closing summary line, with the date deadlines were judged as of.
pub fn render_summary(summary: &Summary, lang: Lang, as_of: jiff::civil::Date) -> String {
    let mut out = summary_line(summary, lang);
    out.push_str(&match lang {
        Lang::Zh => format!("（期限截至 {as_of} 判断）"),
        Lang::En => format!(" (deadlines judged as of {as_of})"),
    });
    out.push('\n');
    out
}

/// Why files were skipped, the reasons with their counts: `2 个不是 pdao 文书，1 个按配置排除`.
pub fn skipped_reasons(s: &Summary) -> crate::text::Text {
    let mut zh = Vec::new();
    let mut en = Vec::new();
    if s.not_documents > 0 {
        zh.push(format!("{} 个不是 pdao 文书", s.not_documents));
        en.push(format!("{} not pdao documents", s.not_documents));
    }
    if s.excluded > 0 {
        zh.push(format!("{} 个按配置 exclude 排除", s.excluded));
        en.push(format!("{} excluded by the configuration", s.excluded));
    }
    if s.ignored > 0 {
        zh.push(format!("{} 个被 .gitignore 忽略", s.ignored));
        en.push(format!("{} ignored by .gitignore", s.ignored));
    }
    if s.unrecognised > 0 {
        zh.push(format!("{} 个像是文书却无法识别", s.unrecognised));
        en.push(format!(
            "{} look like documents but were not recognised",
            s.unrecognised
        ));
    }
    crate::text::Text::new(zh.join("，"), en.join(", "))
}

fn summary_line(s: &Summary, lang: Lang) -> String {
    let mark = if s.errors + s.failed > 0 {
        "✗"
    } else {
        "✓"
    };
    let skipped = (s.skipped() > 0).then(|| skipped_reasons(s));
    match lang {
        Lang::Zh => format!(
            "{mark} 共 {} 个文件，检查 {} 份文书：{} 个错误，{} 个警告，{} 个提示，{} 项待审核{}{}{}",
            s.files,
            s.documents,
            s.errors,
            s.warnings,
            s.infos,
            s.reviews,
            if s.failed > 0 {
                format!("；{} 个文件无法检查", s.failed)
            } else {
                String::new()
            },
            if s.omitted > 0 {
                format!("；另有 {} 项发现未逐一列出", s.omitted)
            } else {
                String::new()
            },
            skipped.map_or_else(String::new, |why| format!(
                "；跳过 {} 个文件：{}",
                s.skipped(),
                why.zh
            )),
        ),
        Lang::En => format!(
            "{mark} {} files, {} documents checked: {} errors, {} warnings, {} infos, {} review items{}{}{}",
            s.files,
            s.documents,
            s.errors,
            s.warnings,
            s.infos,
            s.reviews,
            if s.failed > 0 {
                format!("; {} inputs could not be checked", s.failed)
            } else {
                String::new()
            },
            if s.omitted > 0 {
                format!("; {} more findings not listed", s.omitted)
            } else {
                String::new()
            },
            skipped.map_or_else(String::new, |why| format!(
                "; skipped {} files: {}",
                s.skipped(),
                why.en
            )),
        ),
    }
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    lang: Lang,
    related: Vec<RelatedDiagnostic<'a>>,
    source: Rc<ShownSource>,
}

/// The other end of a cross-document finding, shown under it.
struct RelatedDiagnostic<'a> {
    location: &'a RelatedLocation,
    lang: Lang,
    source: Rc<ShownSource>,
}

impl fmt::Debug for RelatedDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&inline(&self.location.document))
    }
}

impl fmt::Display for RelatedDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let document = inline(&self.location.document);
        match self.lang {
            Lang::Zh => write!(f, "相关文书 `{document}`"),
            Lang::En => write!(f, "related document `{document}`"),
        }
    }
}

impl std::error::Error for RelatedDiagnostic<'_> {}

impl Diagnostic for RelatedDiagnostic<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&*self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(
                Some(multiline(self.location.label.get(self.lang)).into_owned()),
                self.source.span(self.location.span),
            ),
        )))
    }
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&inline(&self.finding.rule))
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&multiline(self.finding.message.get(self.lang)))
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!(
            "{}[{}]",
            self.finding.severity.name(),
            inline(&self.finding.rule)
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info | Severity::Review => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let f = self.finding;
        let (quote, help) = (multiline(&f.quote), multiline(f.help.get(self.lang)));
        Some(Box::new(match self.lang {
            Lang::Zh => format!("依据：{} “{quote}”\n修改：{help}", f.citation_zh),
            Lang::En => format!("Under {}: “{quote}”\nFix: {help}", f.citation_en),
        }))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&*self.source)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let f = self.finding;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(
                Some(multiline(f.detail.get(self.lang)).into_owned()),
                self.source.span(f.span),
            ),
        )))
    }
}

struct ErrorDiagnostic<'a> {
    error: &'a InputError,
    lang: Lang,
    source: Rc<ShownSource>,
}

impl fmt::Debug for ErrorDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.error.code)
    }
}

impl fmt::Display for ErrorDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.error.labels.is_empty() {
            write!(f, "{}: ", inline(self.error.file.name()))?;
        }
        f.write_str(&multiline(self.error.message.get(self.lang)))
    }
}

impl std::error::Error for ErrorDiagnostic<'_> {}

impl Diagnostic for ErrorDiagnostic<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.error.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.error
            .help
            .as_ref()
            .map(|h| Box::new(multiline(h.get(self.lang)).into_owned()) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        if self.error.labels.is_empty() {
            None
        } else {
            Some(&*self.source)
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.error.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.error.labels.iter().enumerate().map(
            |(i, l)| {
                let text = l.text.get(self.lang);
                let label = (!text.is_empty()).then(|| multiline(text).into_owned());
                let span = self.source.span(l.span);
                if i == 0 {
                    LabeledSpan::new_primary_with_span(label, span)
                } else {
                    LabeledSpan::new_with_span(label, span)
                }
            },
        )))
    }
}
