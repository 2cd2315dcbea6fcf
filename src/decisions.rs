//! What decided a run besides the rules: the CI policy (file and SHA-256), the configuration's
//! rules turned off or lowered, the paths `exclude` left out, whether `.gitignore` was read,
//! settings the policy ignored, the exceptions applied and who approved them, and the baseline.
//! Every report states these, so nothing that can loosen a verdict is silent. Pure: no I/O.

use serde::Serialize;

use crate::exceptions::ExceptionStatus;
use crate::outcome::Outcome;
use crate::text::Text;

/// The CI policy of a run.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyFile {
    /// Its path, as named.
    pub file: String,
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
}

/// A rule turned off, or set below its severity, by the configuration.
#[derive(Debug, Clone, Serialize)]
pub struct RuleChange {
    /// `GD22-13` or `article:18`.
    pub selector: String,
    /// `off`, `warning` or `info`.
    pub level: String,
    /// The `[[overrides]]` paths it is limited to, if any.
    pub paths: Option<Vec<String>>,
    /// `file:line` where it is written.
    pub location: String,
}

/// What `exclude` left out of the walk.
#[derive(Debug, Clone, Serialize)]
pub struct Exclusion {
    /// The patterns.
    pub patterns: Vec<String>,
    /// `file:line` where they are written.
    pub location: String,
    /// Files and directories left out (relative to the configuration's directory).
    pub paths: Vec<String>,
}

/// A repository setting the policy set aside.
#[derive(Debug, Clone, Serialize)]
pub struct Ignored {
    /// The key.
    pub key: String,
    /// `file:line` where it is written.
    pub location: String,
}

/// The decisions of one run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Decisions {
    /// The CI policy, when one was used.
    pub policy: Option<PolicyFile>,
    /// The configuration file, when one was used.
    pub configuration: Option<String>,
    /// Rules turned off or lowered.
    pub rules: Vec<RuleChange>,
    /// Findings dropped because their rule was turned off.
    pub findings_turned_off: usize,
    /// Findings reported below their rule's severity.
    pub findings_lowered: usize,
    /// What `exclude` left out.
    pub exclude: Option<Exclusion>,
    /// Whether `.gitignore` files were read when walking directories.
    pub gitignore: bool,
    /// Repository settings the policy set aside (pinned by it).
    pub ignored: Vec<Ignored>,
}

/// What a note is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoteKind {
    /// The CI policy used.
    Policy,
    /// A rule turned off or lowered.
    Rule,
    /// Paths left out by `exclude`.
    Exclude,
    /// A repository setting the policy set aside.
    Ignored,
    /// An exception that applied, with its approver.
    Exception,
    /// The baseline used.
    Baseline,
}

impl NoteKind {
    /// A stable name, for machine formats (`pdao::decision-policy`, …).
    pub fn code(self) -> &'static str {
        match self {
            NoteKind::Policy => "pdao::decision-policy",
            NoteKind::Rule => "pdao::decision-rule",
            NoteKind::Exclude => "pdao::decision-exclude",
            NoteKind::Ignored => "pdao::decision-ignored",
            NoteKind::Exception => "pdao::decision-exception",
            NoteKind::Baseline => "pdao::decision-baseline",
        }
    }
}

/// One decision as reports state it.
#[derive(Debug, Clone)]
pub struct Note {
    /// What it is about.
    pub kind: NoteKind,
    /// The sentence.
    pub text: Text,
    /// The file that made it, when there is one.
    pub file: Option<String>,
    /// The line there.
    pub line: Option<usize>,
}

/// `file:line` split back into its parts.
fn split_location(location: &str) -> (Option<String>, Option<usize>) {
    match location.rsplit_once(':') {
        Some((file, line)) => match line.parse() {
            Ok(n) => (Some(file.to_string()), Some(n)),
            Err(_) => (Some(location.to_string()), None),
        },
        None => (Some(location.to_string()), None),
    }
}

/// Paths shown in one sentence: the first few, then how many more.
fn some(paths: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut out = paths
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if paths.len() > SHOWN {
        out.push_str(&format!(" (+{})", paths.len() - SHOWN));
    }
    out
}

/// The decisions of `outcome` as sentences, in a fixed order: the policy, rules, exclusions,
/// settings set aside, exceptions applied, the baseline.
pub fn notes(outcome: &Outcome) -> Vec<Note> {
    let d = &outcome.decisions;
    let mut notes = Vec::new();
    if let Some(p) = &d.policy {
        notes.push(Note {
            kind: NoteKind::Policy,
            text: crate::text!(
                "CI 策略 {}（sha256 {}）",
                "CI policy {} (sha256 {})",
                p.file,
                p.sha256
            ),
            file: Some(p.file.clone()),
            line: None,
        });
    }
    for r in &d.rules {
        let scope = r.paths.as_ref().map_or_else(
            || (String::new(), String::new()),
            |p| {
                (
                    format!("（仅 {}）", p.join(", ")),
                    format!(" (in {})", p.join(", ")),
                )
            },
        );
        let text = if r.level == "off" {
            Text::new(
                format!("{}：规则 {} 已关闭{}", r.location, r.selector, scope.0),
                format!(
                    "{}: rule {} is turned off{}",
                    r.location, r.selector, scope.1
                ),
            )
        } else {
            Text::new(
                format!(
                    "{}：规则 {} 降为 {}{}",
                    r.location, r.selector, r.level, scope.0
                ),
                format!(
                    "{}: rule {} is lowered to {}{}",
                    r.location, r.selector, r.level, scope.1
                ),
            )
        };
        let (file, line) = split_location(&r.location);
        notes.push(Note {
            kind: NoteKind::Rule,
            text,
            file,
            line,
        });
    }
    if !d.rules.is_empty() && (d.findings_turned_off > 0 || d.findings_lowered > 0) {
        notes.push(Note {
            kind: NoteKind::Rule,
            text: crate::text!(
                "配置使 {} 项发现未报告、{} 项发现降级",
                "the configuration left {} findings unreported and lowered {}",
                d.findings_turned_off,
                d.findings_lowered
            ),
            file: d.configuration.clone(),
            line: None,
        });
    }
    if let Some(x) = &d.exclude {
        let (file, line) = split_location(&x.location);
        notes.push(Note {
            kind: NoteKind::Exclude,
            text: if x.paths.is_empty() {
                crate::text!(
                    "{}：exclude（{}）未排除任何路径",
                    "{}: exclude ({}) left nothing out",
                    x.location,
                    x.patterns.join(", ")
                )
            } else {
                crate::text!(
                    "{}：exclude（{}）未检查 {}",
                    "{}: exclude ({}) left out {}",
                    x.location,
                    x.patterns.join(", "),
                    some(&x.paths)
                )
            },
            file,
            line,
        });
    }
    for i in &d.ignored {
        let (file, line) = split_location(&i.location);
        notes.push(Note {
            kind: NoteKind::Ignored,
            text: crate::text!(
                "{}：{} 由 CI 策略指定，仓库的设置未采用",
                "{}: {} is pinned by the CI policy; the repository's is not used",
                i.location,
                i.key
            ),
            file,
            line,
        });
    }
    for e in outcome
        .exceptions
        .iter()
        .filter(|e| e.status == ExceptionStatus::Applied)
    {
        let r = &e.record;
        let doc = r
            .document
            .as_deref()
            .map(|d| (format!("，{d}"), format!(", {d}")))
            .unwrap_or_default();
        let until = r
            .expires
            .map(|d| (format!("，至 {d}"), format!(", until {d}")))
            .unwrap_or_default();
        notes.push(Note {
            kind: NoteKind::Exception,
            text: Text::new(
                format!(
                    "{}：{} 对 {} 的例外已适用（批准：{}{}{}），{} 项发现不计入",
                    r.location(),
                    r.rule,
                    r.target_text(),
                    r.approver,
                    doc.0,
                    until.0,
                    e.matched
                ),
                format!(
                    "{}: the exception to {} for {} applies (approved by {}{}{}): {} findings excused",
                    r.location(),
                    r.rule,
                    r.target_text(),
                    r.approver,
                    doc.1,
                    until.1,
                    e.matched
                ),
            ),
            file: Some(r.source.name().to_string()),
            line: Some(r.source.position(r.span.start).line),
        });
    }
    if let Some(b) = &outcome.baseline {
        notes.push(Note {
            kind: NoteKind::Baseline,
            text: crate::text!(
                "基线 {}（sha256 {}）：{} 项已知发现不计入结果，{} 项基线记录已不再出现（可重写基线）",
                "baseline {} (sha256 {}): {} known findings not counted, {} baseline entries no longer occur (the baseline can be rewritten)",
                b.file,
                b.sha256,
                b.matched,
                b.fixed
            ),
            file: Some(b.file.clone()),
            line: None,
        });
    }
    notes
}
