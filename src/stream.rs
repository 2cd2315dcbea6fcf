//! A `pdao check` run streamed file by file: documents are checked in parallel and each one's
//! report is written, in input order, as soon as it and those before it are done. Only a
//! window of documents is in memory at once, so a run over a whole repository needs no more
//! memory than a run over a hundred files (the JSON report keeps its rendered findings, which
//! are what it prints). The output is the same text the report functions give for the whole
//! run at once.

use std::io::Write;
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::error::InputError;
use crate::report::{self, Format, Summary};
use crate::text::Lang;
use crate::Checker;

/// A run over more inputs than this shows a progress bar (on a terminal, human format only).
pub const PROGRESS_MIN_FILES: usize = 300;

/// What a streamed check needs besides its paths.
pub struct CheckRun<'a> {
    /// The loaded pack and schemas.
    pub checker: &'a Checker,
    /// Output format.
    pub format: Format,
    /// Language of messages.
    pub lang: Lang,
    /// ANSI colours in the human report.
    pub color: bool,
    /// Whether a progress bar may be drawn on stderr (a terminal, and a format for people).
    pub progress: bool,
}

/// One checked input, rendered.
enum Rendered {
    Human(String),
    Json(Vec<String>, Vec<String>),
}

impl CheckRun<'_> {
    /// Check `paths`, writing the report to `out`; `errors` (the rule pack's) come first.
    /// Returns the exit code.
    pub fn run(&self, paths: &[PathBuf], mut errors: Vec<InputError>, out: &mut dyn Write) -> u8 {
        let (inputs, path_errors) = crate::inputs::collect(paths);
        errors.extend(path_errors);
        let mut summary = Summary {
            failed: errors.len(),
            ..Summary::default()
        };
        let bar = self.progress_bar(inputs.len());
        let (lang, color) = (self.lang, self.color);
        let mut json_findings = Vec::new();
        let mut json_errors = Vec::new();
        match self.format {
            Format::Human => {
                let _ =
                    out.write_all(report::human::render_errors(&errors, lang, color).as_bytes());
            }
            Format::Json => json_errors = report::json::error_parts(&errors, lang),
        }
        let format = self.format;
        self.checker.check_each(
            &inputs,
            |file| {
                let counts = Summary::of_file(&file);
                let rendered = match format {
                    Format::Human => {
                        Rendered::Human(report::human::render_file(&file, lang, color))
                    }
                    Format::Json => {
                        let (f, e) = report::json::file_parts(&file, lang);
                        Rendered::Json(f, e)
                    }
                };
                (counts, rendered)
            },
            |(counts, rendered)| {
                summary.add(&counts);
                match rendered {
                    Rendered::Human(text) if !text.is_empty() => match &bar {
                        Some(bar) => bar.suspend(|| {
                            let _ = out.write_all(text.as_bytes());
                            let _ = out.flush();
                        }),
                        None => {
                            let _ = out.write_all(text.as_bytes());
                        }
                    },
                    Rendered::Human(_) => {}
                    Rendered::Json(f, e) => {
                        json_findings.extend(f);
                        json_errors.extend(e);
                    }
                }
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
            },
        );
        if let Some(bar) = &bar {
            bar.finish_and_clear();
        }
        let tail = match self.format {
            Format::Human => report::human::render_summary(&summary, lang, self.checker.as_of),
            Format::Json => report::json::assemble(
                &report::json::head(
                    &self.checker.pack.info,
                    self.checker.as_of,
                    self.checker.validity_window(),
                    &summary,
                ),
                &json_findings,
                &json_errors,
            ),
        };
        let _ = out.write_all(tail.as_bytes());
        let _ = out.flush();
        summary.exit_code()
    }

    fn progress_bar(&self, files: usize) -> Option<ProgressBar> {
        if !self.progress || files <= PROGRESS_MIN_FILES {
            return None;
        }
        let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
        let template = match self.lang {
            Lang::Zh => "{bar:40} {pos}/{len} 个文件  {elapsed} 已用，约 {eta} 剩余",
            Lang::En => "{bar:40} {pos}/{len} files  {elapsed} elapsed, about {eta} left",
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("█▉▊▋▌▍▎▏ "));
        }
        Some(bar)
    }
}
