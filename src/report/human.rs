//! The human report: one miette graphical diagnostic per finding or input error, then a summary.

use std::fmt;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use super::Summary;
use crate::error::InputError;
use crate::finding::{Finding, RelatedLocation};
use crate::severity::Severity;
use crate::text::Lang;
use crate::RunReport;

/// Render a run. `color`: ANSI colours (only on a terminal, never with NO_COLOR).
pub fn render(run: &RunReport, lang: Lang, color: bool, as_of: jiff::civil::Date) -> String {
    let mut out = render_diagnostics(run, lang, color);
    out.push_str(&summary_line(&Summary::of(run), lang));
    out.push_str(&match lang {
        Lang::Zh => format!("（期限截至 {as_of} 判断）"),
        Lang::En => format!(" (deadlines judged as of {as_of})"),
    });
    out.push('\n');
    out
}

/// The diagnostics of a run (input errors first, then findings), without the summary line.
pub fn render_diagnostics(run: &RunReport, lang: Lang, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100);
    let mut out = String::new();
    for error in run.input_errors() {
        let _ = handler.render_report(&mut out, &ErrorDiagnostic { error, lang });
    }
    for finding in run.findings() {
        let related = finding
            .related
            .iter()
            .map(|location| RelatedDiagnostic { location, lang })
            .collect();
        let _ = handler.render_report(
            &mut out,
            &FindingDiagnostic {
                finding,
                lang,
                related,
            },
        );
    }
    out
}

fn summary_line(s: &Summary, lang: Lang) -> String {
    let mark = if s.errors + s.failed > 0 {
        "✗"
    } else {
        "✓"
    };
    match lang {
        Lang::Zh => format!(
            "{mark} 共 {} 个文件，检查 {} 份文书：{} 个错误，{} 个警告，{} 个提示，{} 项待审核{}",
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
            }
        ),
        Lang::En => format!(
            "{mark} {} files, {} documents checked: {} errors, {} warnings, {} infos, {} review items{}",
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
            }
        ),
    }
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    lang: Lang,
    related: Vec<RelatedDiagnostic<'a>>,
}

/// The other end of a cross-document finding, shown under it.
struct RelatedDiagnostic<'a> {
    location: &'a RelatedLocation,
    lang: Lang,
}

impl fmt::Debug for RelatedDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.location.document)
    }
}

impl fmt::Display for RelatedDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.lang {
            Lang::Zh => write!(f, "相关文书 `{}`", self.location.document),
            Lang::En => write!(f, "related document `{}`", self.location.document),
        }
    }
}

impl std::error::Error for RelatedDiagnostic<'_> {}

impl Diagnostic for RelatedDiagnostic<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&*self.location.file)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(
                Some(self.location.label.get(self.lang).to_string()),
                self.location.span.to_miette(),
            ),
        )))
    }
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.rule)
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.finding.message.get(self.lang))
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!(
            "{}[{}]",
            self.finding.severity.name(),
            self.finding.rule
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
        Some(Box::new(match self.lang {
            Lang::Zh => format!("依据：{} “{}”\n修改：{}", f.citation_zh, f.quote, f.help.zh),
            Lang::En => format!("Under {}: “{}”\nFix: {}", f.citation_en, f.quote, f.help.en),
        }))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&*self.finding.file)
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
                Some(f.detail.get(self.lang).to_string()),
                f.span.to_miette(),
            ),
        )))
    }
}

struct ErrorDiagnostic<'a> {
    error: &'a InputError,
    lang: Lang,
}

impl fmt::Debug for ErrorDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.error.code)
    }
}

impl fmt::Display for ErrorDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.error.labels.is_empty() {
            write!(f, "{}: ", self.error.file.name())?;
        }
        f.write_str(self.error.message.get(self.lang))
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
            .map(|h| Box::new(h.get(self.lang).to_string()) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        if self.error.labels.is_empty() {
            None
        } else {
            Some(&*self.error.file)
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.error.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.error.labels.iter().enumerate().map(
            |(i, l)| {
                let text = l.text.get(self.lang);
                let label = (!text.is_empty()).then(|| text.to_string());
                if i == 0 {
                    LabeledSpan::new_primary_with_span(label, l.span.to_miette())
                } else {
                    LabeledSpan::new_with_span(label, l.span.to_miette())
                }
            },
        )))
    }
}
