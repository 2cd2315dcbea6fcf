//! Errors that stop a file from being checked, located in the file they come from.
//! One type serves documents and rule files alike; the CLI maps any of them to exit code 2.

use std::sync::Arc;

use crate::source::{SourceFile, Span};
use crate::text::Text;

/// A labelled place in a file.
#[derive(Debug, Clone)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What is there.
    pub text: Text,
}

/// An input that could not be used: a malformed document, a broken rule file, an unreadable path.
#[derive(Debug, Clone)]
pub struct InputError {
    /// A stable code, e.g. `pdao::yaml-syntax`.
    pub code: &'static str,
    /// The file (its text, when it could be read).
    pub file: Arc<SourceFile>,
    /// What is wrong.
    pub message: Box<Text>,
    /// Places in the file; the first is the primary one.
    pub labels: Vec<Label>,
    /// How to fix it.
    pub help: Option<Box<Text>>,
}

impl InputError {
    /// An error at one place.
    pub fn at(code: &'static str, file: &Arc<SourceFile>, span: Span, message: Text) -> Self {
        InputError {
            code,
            file: Arc::clone(file),
            message: Box::new(message),
            labels: vec![Label {
                span,
                text: Text::new("", ""),
            }],
            help: None,
        }
    }

    /// An error about the file as a whole (no place inside it).
    pub fn whole(code: &'static str, file: &Arc<SourceFile>, message: Text) -> Self {
        InputError {
            code,
            file: Arc::clone(file),
            message: Box::new(message),
            labels: Vec::new(),
            help: None,
        }
    }

    /// Add a labelled place.
    pub fn with_label(mut self, span: Span, text: Text) -> Self {
        self.labels.push(Label { span, text });
        self
    }

    /// Set the text of the primary label.
    pub fn labelled(mut self, text: Text) -> Self {
        if let Some(first) = self.labels.first_mut() {
            first.text = text;
        }
        self
    }

    /// Add advice.
    pub fn with_help(mut self, help: Text) -> Self {
        self.help = Some(Box::new(help));
        self
    }

    /// This error for a file that is not valid `syntax` (YAML/JSON, TOML): the file's name,
    /// the line and column, and nothing of its text. A repository may name any file as a
    /// calendar or a baseline (a key, a password file) in the hope that an error quotes it.
    pub fn without_text(self, syntax: &str) -> Self {
        let (zh, en) = self.position().map_or_else(
            || (String::new(), String::new()),
            |p| {
                (
                    format!("（第 {} 行第 {} 列）", p.line, p.column),
                    format!(" (line {}, column {})", p.line, p.column),
                )
            },
        );
        InputError::whole(
            self.code,
            &SourceFile::new(self.file.name(), ""),
            Text::new(
                format!("不是有效的 {syntax} 文件{zh}"),
                format!("not a valid {syntax} file{en}"),
            ),
        )
        .with_help(Text::new(
            "pdao 不显示不能解析的文件的内容；请在所示位置检查该文件",
            "pdao does not show the content of a file it cannot parse; look at the file at that place",
        ))
    }

    /// Whether the file looks like a document that pdao did not recognise (an unknown or
    /// misspelt `kind`, a copy such as `a.yaml.bak`): counted apart in summaries, since such a
    /// file may be one that was meant to be checked.
    pub fn unrecognised(&self) -> bool {
        matches!(
            self.code,
            "pdao::unknown-kind"
                | "pdao::unsupported-kind"
                | "pdao::misspelt-kind"
                | "pdao::document-copy"
        )
    }

    /// Line and column of the primary place, if any.
    pub fn position(&self) -> Option<crate::source::Position> {
        self.labels
            .first()
            .map(|l| self.file.position(l.span.start))
    }
}
