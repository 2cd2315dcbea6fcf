//! Bilingual text: every message a user reads exists in Chinese and English (`--lang`).

use serde::{Deserialize, Serialize};

/// The language a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// 中文 (default).
    #[default]
    Zh,
    /// English.
    En,
}

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// 中文。
    pub zh: String,
    /// English.
    pub en: String,
}

impl Text {
    /// A text from its two versions.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The version in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// Build a [`Text`] from two format strings sharing arguments.
#[macro_export]
macro_rules! text {
    ($zh:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        $crate::text::Text::new(format!($zh $(, $arg)*), format!($en $(, $arg)*))
    };
}

impl Text {
    /// The same text with another English version.
    pub fn with_en(mut self, en: String) -> Self {
        self.en = en;
        self
    }
}
