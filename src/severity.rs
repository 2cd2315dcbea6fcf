//! How serious a finding is.

use serde::Serialize;

/// A finding's severity, most serious first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A duty of the text is not met (应当 / 不得 / 必须, 原则上 without exception).
    Error,
    /// Needs justification: a value outside a 等-list, or a 原则上 duty with a recorded exception.
    Warning,
    /// Encouraged, not required (鼓励 / 支持 / 倡导).
    Info,
    /// A point a human reviewer must confirm; never fails a run.
    Review,
}

impl Severity {
    /// Lower-case English name.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Review => "review",
        }
    }

    /// Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
            Severity::Review => "待审核",
        }
    }
}
