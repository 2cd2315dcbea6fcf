//! The CI-owned policy (`pdao check --policy FILE`, or `PDAO_POLICY`): a TOML file outside the
//! checked repository, so the party whose documents are judged cannot change it. Under it the
//! repository's `pdao.toml` and rule packs may only tighten (a rule off, a lower severity, an
//! `exclude`, `.gitignore` hiding documents, a looser `fail_on` or a baseline of its own are
//! errors at their lines), exceptions must name an approver it lists and stay within its
//! term, and `fail_on`, `calendars`, `packs`, `baseline` and `unresolved` can be pinned.
//!
//! ```toml
//! fail_on = "error"                    # the repository's may be stricter, not looser
//! calendars = ["calendars/2027.yaml"]  # pinned: the repository's calendars are ignored
//! packs = ["packs/shenzhen"]           # pinned: the repository's packs are ignored
//! baseline = "baselines/plans.json"    # the only baseline (with --baseline)
//! approvers = ["广州市人民政府", "广州市政务服务和数据管理局"]
//! comment_exceptions = false           # inline `# pdao-exception:` comments do not apply
//! exception_max_days = 365             # expires at most this long after recorded_at
//! unresolved = "error"                 # a reference to a document not in the run
//! ```
//!
//! Paths in it are relative to its own directory and are trusted (they are not confined to the
//! project): the policy is the CI operator's.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::ToSpan;
use serde::Deserialize;
use toml::Spanned;

use super::policy::{Selector, SeverityEntry};
use super::{check_toml_syntax, paths, Config};
use crate::config::project::Project;
use crate::error::InputError;
use crate::exceptions::{ExceptionRecord, Origin};
use crate::finding::SCHEMA_RULE_ID;
use crate::outcome::FailOn;
use crate::rules::Pack;
use crate::severity::Severity;
use crate::source::{SourceFile, Span};
use crate::text;
use crate::text::Text;

/// The policy file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    fail_on: Option<Spanned<String>>,
    calendars: Option<Vec<String>>,
    packs: Option<Vec<String>>,
    baseline: Option<String>,
    approvers: Option<Vec<Spanned<String>>>,
    comment_exceptions: Option<bool>,
    exception_max_days: Option<Spanned<i64>>,
    unresolved: Option<Spanned<String>>,
}

/// A loaded policy.
#[derive(Debug, Clone)]
pub struct CiPolicy {
    /// The file (its name as given).
    pub file: Arc<SourceFile>,
    /// Its path, absolute.
    pub path: PathBuf,
    /// SHA-256 of its bytes, hex: reports state which policy judged the run.
    pub sha256: String,
    /// The fail level the repository may not loosen.
    pub fail_on: Option<FailOn>,
    /// Pinned holiday calendars (absolute); the repository's are then ignored.
    pub calendars: Option<Vec<PathBuf>>,
    /// Pinned rule packs (absolute); the repository's are then ignored.
    pub packs: Option<Vec<PathBuf>>,
    /// The baseline (absolute); the repository may name none.
    pub baseline: Option<PathBuf>,
    /// Who may approve an exception (批准机关), when limited.
    pub approvers: Option<Vec<String>>,
    /// Whether inline `# pdao-exception:` comments may apply (default true).
    pub comment_exceptions: bool,
    /// How many days after `recorded_at` an exception may run at most.
    pub exception_max_days: Option<u32>,
    /// Severity of a reference to a document not in the run.
    pub unresolved: Option<Severity>,
}

/// What the policy makes of one exception record.
#[derive(Debug)]
pub enum Admission {
    /// It may apply.
    Admitted(ExceptionRecord),
    /// It does not apply, and the reports say why.
    Refused(ExceptionRecord, Text),
    /// It does not apply and is an error of the run (an approver the policy does not list).
    Rejected(InputError),
}

impl CiPolicy {
    /// Read the policy at `path` (named relative to `cwd`).
    pub fn load(path: &Path, cwd: &Path, max_bytes: u64) -> Result<CiPolicy, Vec<InputError>> {
        let abs = paths::absolute(cwd, path);
        let name = path.display().to_string();
        let file = crate::inputs::read_regular(&abs, &name, max_bytes).map_err(|e| vec![e])?;
        let dir = abs
            .parent()
            .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
        CiPolicy::parse(&file, &dir)
    }

    /// Check a policy's text; its relative paths are taken from `dir`. Its `sha256` is the
    /// text's (UTF-8); [`CiPolicy::load`] sets the file's.
    pub fn parse(file: &Arc<SourceFile>, dir: &Path) -> Result<CiPolicy, Vec<InputError>> {
        check_toml_syntax(file)?;
        let err = |span: Span, message: Text| InputError::at("pdao::policy", file, span, message);
        let at = |s: std::ops::Range<usize>| Span::new(s.start, s.end);
        let raw: RawPolicy = toml::from_str(file.text()).map_err(|e| {
            let span = e
                .span()
                .map_or_else(Span::default, |r| Span::new(r.start, r.end));
            vec![err(
                span,
                text!("策略文件有误：{}", "invalid policy: {}", e.message().trim()),
            )
            .with_help(text!(
                "可用的键见 README.md 的“安全模型”一节",
                "README.md, section “Security model”, lists the keys"
            ))]
        })?;
        let mut errors = Vec::new();
        let fail_on = raw.fail_on.as_ref().and_then(|f| {
            let level = match f.get_ref().as_str() {
                "error" => Some(FailOn::Error),
                "warning" => Some(FailOn::Warning),
                "info" => Some(FailOn::Info),
                _ => None,
            };
            if level.is_none() {
                errors.push(err(
                    at(f.span()),
                    text!(
                        "fail_on 只能是 error、warning 或 info，而不是 `{}`",
                        "fail_on must be error, warning or info, not `{}`",
                        f.get_ref()
                    ),
                ));
            }
            level
        });
        let unresolved = raw.unresolved.as_ref().and_then(|u| {
            let level = match u.get_ref().as_str() {
                "error" => Some(Severity::Error),
                "warning" => Some(Severity::Warning),
                "info" => Some(Severity::Info),
                _ => None,
            };
            if level.is_none() {
                errors.push(err(
                    at(u.span()),
                    text!(
                        "unresolved 只能是 error、warning 或 info，而不是 `{}`",
                        "unresolved must be error, warning or info, not `{}`",
                        u.get_ref()
                    ),
                ));
            }
            level
        });
        let exception_max_days = raw.exception_max_days.as_ref().and_then(|d| {
            let days = u32::try_from(*d.get_ref()).ok().filter(|n| *n <= 36_600);
            if days.is_none() {
                errors.push(err(
                    at(d.span()),
                    text!(
                        "exception_max_days 须为 0 至 36600 之间的天数",
                        "exception_max_days must be a number of days from 0 to 36600"
                    ),
                ));
            }
            days
        });
        let approvers = raw.approvers.as_ref().map(|list| {
            list.iter()
                .filter_map(|a| {
                    let name = a.get_ref().trim();
                    if name.is_empty() {
                        errors.push(err(
                            at(a.span()),
                            text!("批准机关不能为空", "an approver must not be empty"),
                        ));
                        None
                    } else {
                        Some(name.to_string())
                    }
                })
                .collect()
        });
        let resolve = |p: &String| paths::absolute(dir, Path::new(p));
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(CiPolicy {
            file: Arc::clone(file),
            path: dir.join(
                Path::new(file.name())
                    .file_name()
                    .unwrap_or_else(|| std::ffi::OsStr::new("policy.toml")),
            ),
            sha256: crate::baseline::sha256_hex(file.text().as_bytes()),
            fail_on,
            calendars: raw
                .calendars
                .as_ref()
                .map(|l| l.iter().map(resolve).collect()),
            packs: raw.packs.as_ref().map(|l| l.iter().map(resolve).collect()),
            baseline: raw.baseline.as_ref().map(resolve),
            approvers,
            comment_exceptions: raw.comment_exceptions.unwrap_or(true),
            exception_max_days,
            unresolved,
        })
    }

    /// The policy file, or a file it pins, inside the checked project: the pull request could
    /// change it, so it would be no policy. Each is an error.
    pub fn inside(&self, project: &Project) -> Vec<InputError> {
        let pinned = std::iter::once((None, &self.path))
            .chain(
                self.calendars
                    .iter()
                    .flatten()
                    .map(|p| (Some("calendars"), p)),
            )
            .chain(self.packs.iter().flatten().map(|p| (Some("packs"), p)))
            .chain(self.baseline.iter().map(|p| (Some("baseline"), p)));
        pinned
            .filter(|(_, p)| crate::config::project::resolve(p).is_ok_and(|r| project.holds(&r)))
            .map(|(key, p)| {
                let (zh, en) = match key {
                    None => (
                        format!("策略文件 {}", p.display()),
                        format!("the policy file {}", p.display()),
                    ),
                    Some(k) => (
                        format!("策略的 {k}（{}）", p.display()),
                        format!("the policy's {k} ({})", p.display()),
                    ),
                };
                InputError::whole(
                    "pdao::policy",
                    &SourceFile::new(self.file.name(), ""),
                    Text::new(
                        format!(
                            "{zh}位于所检查的项目 {} 之内，拉取请求可以改动它：策略及其指定的文件须在仓库之外",
                            project.root.display()
                        ),
                        format!(
                            "{en} lies inside the checked project {}, where the pull request can change it: keep the policy and the files it names outside the repository",
                            project.root.display()
                        ),
                    ),
                )
            })
            .collect()
    }

    /// The fail level of a run: the stricter of the policy's and the repository's.
    pub fn fail_on(&self, repository: Option<FailOn>) -> FailOn {
        let policy = self.fail_on.unwrap_or_default();
        match repository {
            Some(r) if strictness(r) > strictness(policy) => r,
            _ => policy,
        }
    }

    /// The repository's settings that would loosen the verdict: each an error at its line.
    /// `tighten` are the layered packs' entries.
    pub fn loosenings(
        &self,
        config: &Config,
        tighten: &[SeverityEntry],
        pack: &Pack,
    ) -> Vec<InputError> {
        let mut errors = Vec::new();
        let refuse = |what: Text| {
            Text::new(
                format!(
                    "策略 {} 之下，仓库的设置只能从严：{}；此设置不予采用",
                    self.file.name(),
                    what.zh
                ),
                format!(
                    "under the policy {} the repository's settings may only tighten: {}; it is not applied",
                    self.file.name(),
                    what.en
                ),
            )
        };
        let tables = std::iter::once(&config.severity.rules)
            .chain(config.severity.overrides.iter().map(|(_, t)| t));
        for entry in tables.flat_map(|t| &t.0).chain(tighten) {
            if let Some(why) = loosening(entry, pack) {
                errors.push(InputError::at(
                    "pdao::policy",
                    &entry.file,
                    entry.span,
                    refuse(why),
                ));
            }
        }
        if let Some((globs, span)) = &config.exclude {
            errors.push(config.error_at(
                *span,
                refuse(text!(
                    "exclude（{}）会使文书不被检查",
                    "exclude ({}) would leave documents unchecked",
                    globs.patterns.join(", ")
                )),
            ));
        }
        if let (true, Some(span)) = (config.gitignore, config.gitignore_span) {
            errors.push(config.error_at(
                span,
                refuse(text!(
                    "gitignore = true 会让仓库的 .gitignore 隐藏文书（策略之下不读 .gitignore）",
                    "gitignore = true would let the repository's .gitignore hide documents (under a policy .gitignore is not read)"
                )),
            ));
        }
        if let Some((level, span)) = config.fail_on {
            let policy = self.fail_on.unwrap_or_default();
            if strictness(level) < strictness(policy) {
                errors.push(config.error_at(
                    span,
                    refuse(text!(
                        "fail_on = \"{}\" 比策略的 \"{}\" 宽松",
                        "fail_on = \"{}\" is looser than the policy's \"{}\"",
                        level.name(),
                        policy.name()
                    )),
                ));
            }
        }
        if let Some(b) = &config.baseline {
            errors.push(config.error_at(
                b.span,
                refuse(text!(
                    "baseline 会使已记录的发现不计入结果（策略之下，基线只能来自策略或 --baseline）",
                    "baseline would stop recorded findings from counting (under a policy the baseline comes from the policy or --baseline only)"
                )),
            ));
        }
        errors
    }

    /// What becomes of an exception record under this policy.
    pub fn admit(&self, record: ExceptionRecord) -> Admission {
        if let Some(approvers) = &self.approvers {
            if !approvers.contains(&record.approver) {
                let error = InputError::at(
                    "pdao::exception-approver",
                    &record.source,
                    record.span,
                    text!(
                        "{} 对 {} 的例外由“{}”批准，而策略 {} 只承认：{}；此例外不予适用",
                        "the exception to {} for {} is approved by “{}”, whom the policy {} does not list ({}); it does not apply",
                        record.rule,
                        record.target_text(),
                        record.approver,
                        self.file.name(),
                        approvers.join("、")
                    ),
                );
                return Admission::Rejected(error);
            }
        }
        if record.origin == Origin::Comment && !self.comment_exceptions {
            return Admission::Refused(
                record,
                text!(
                    "策略不接受文书中的例外注释（comment_exceptions = false）",
                    "the policy does not accept exception comments in documents (comment_exceptions = false)"
                ),
            );
        }
        if let Some(days) = self.exception_max_days {
            let within = match (record.recorded_at, record.expires) {
                (Some(from), Some(to)) => from
                    .checked_add(i64::from(days).days())
                    .is_ok_and(|last| to <= last),
                _ => false,
            };
            if !within {
                let why = match (record.recorded_at, record.expires) {
                    (None, _) => text!(
                        "策略要求例外写明 recorded_at（登记日期）",
                        "the policy requires the exception's recorded_at (the date it was recorded)"
                    ),
                    (_, None) => text!(
                        "策略要求例外写明 expires，且至迟为 recorded_at 之后 {} 日",
                        "the policy requires expires, at most {} days after recorded_at",
                        days
                    ),
                    _ => text!(
                        "expires 超过 recorded_at 之后 {} 日（策略的 exception_max_days）",
                        "expires is more than {} days after recorded_at (the policy's exception_max_days)",
                        days
                    ),
                };
                return Admission::Refused(record, why);
            }
        }
        Admission::Admitted(record)
    }
}

impl CiPolicy {
    /// Sort `records` by [`CiPolicy::admit`]: those that may apply, those refused (with why),
    /// and the errors of the rejected ones.
    pub fn screen(
        &self,
        records: Vec<ExceptionRecord>,
    ) -> (
        Vec<ExceptionRecord>,
        Vec<(ExceptionRecord, Text)>,
        Vec<InputError>,
    ) {
        let mut admitted = Vec::with_capacity(records.len());
        let mut refused = Vec::new();
        let mut errors = Vec::new();
        for record in records {
            match self.admit(record) {
                Admission::Admitted(r) => admitted.push(r),
                Admission::Refused(r, why) => refused.push((r, why)),
                Admission::Rejected(e) => errors.push(e),
            }
        }
        (admitted, refused, errors)
    }
}

/// How strict a fail level is: info fails on the most.
fn strictness(f: FailOn) -> u8 {
    match f {
        FailOn::Error => 0,
        FailOn::Warning => 1,
        FailOn::Info => 2,
    }
}

/// Why `entry` loosens the verdict, when it does: it turns rules off, or sets a severity lower
/// than a rule's own. Review items cannot be lowered (only turned off).
pub fn loosening(entry: &SeverityEntry, pack: &Pack) -> Option<Text> {
    let selector = match &entry.selector {
        Selector::Rule(id) => id.clone(),
        Selector::Article(n) => format!("article:{n}"),
    };
    let Some(level) = entry.level.severity() else {
        return Some(text!(
            "`{}` = \"off\" 会关闭规则",
            "`{}` = \"off\" turns rules off",
            selector
        ));
    };
    let own: Vec<(String, Severity)> = match &entry.selector {
        Selector::Rule(id) if id.eq_ignore_ascii_case(SCHEMA_RULE_ID) => {
            vec![(SCHEMA_RULE_ID.to_string(), Severity::Error)]
        }
        Selector::Rule(id) => pack
            .rule(id)
            .map(|r| vec![(r.id.clone(), r.severity)])
            .unwrap_or_default(),
        Selector::Article(n) => pack
            .rules
            .iter()
            .filter(|r| r.citation.article == *n)
            .map(|r| (r.id.clone(), r.severity))
            .collect(),
    };
    let lowered: Vec<&str> = own
        .iter()
        .filter(|(_, s)| *s != Severity::Review && *s < level)
        .map(|(id, _)| id.as_str())
        .collect();
    if lowered.is_empty() {
        return None;
    }
    Some(text!(
        "`{}` = \"{}\" 会降低 {} 的级别",
        "`{}` = \"{}\" lowers {} below its severity",
        selector,
        level.name(),
        lowered.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<CiPolicy, Vec<InputError>> {
        CiPolicy::parse(&SourceFile::new("ci/policy.toml", text), Path::new("/ci"))
    }

    #[test]
    fn a_full_policy_loads_and_unknown_keys_are_located() {
        let p = parse(
            "fail_on = \"warning\"\ncalendars = [\"c/2027.yaml\"]\npacks = []\nbaseline = \"b.json\"\n\
             approvers = [\"广州市人民政府\"]\ncomment_exceptions = false\nexception_max_days = 365\n\
             unresolved = \"error\"\n",
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(p.fail_on, Some(FailOn::Warning));
        assert_eq!(p.calendars, Some(vec![PathBuf::from("/ci/c/2027.yaml")]));
        assert_eq!(p.packs, Some(Vec::new()));
        assert_eq!(p.baseline, Some(PathBuf::from("/ci/b.json")));
        assert!(!p.comment_exceptions);
        assert_eq!(p.exception_max_days, Some(365));
        assert_eq!(p.unresolved, Some(Severity::Error));
        assert_eq!(p.sha256.len(), 64);
        let errs = parse("fail_on = \"error\"\nexclude = [\"x\"]\n").expect_err("unknown");
        assert_eq!(errs[0].position().map(|p| (p.line, p.column)), Some((2, 1)));
        let errs = parse("unresolved = \"fatal\"\n").expect_err("bad value");
        assert_eq!(
            errs[0].position().map(|p| (p.line, p.column)),
            Some((1, 14))
        );
    }

    #[test]
    fn the_stricter_fail_level_wins() {
        let p = parse("fail_on = \"warning\"\n").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(p.fail_on(None), FailOn::Warning);
        assert_eq!(p.fail_on(Some(FailOn::Error)), FailOn::Warning);
        assert_eq!(p.fail_on(Some(FailOn::Info)), FailOn::Info);
    }
}
