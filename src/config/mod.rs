//! `pdao.toml`: a repository's settings for `pdao check`. Found by walking up from the checked
//! path (the nearest wins; the walk stops at the repository root, the directory holding
//! `.git`); `--config FILE` names one, `--no-config` ignores them. Unknown keys are errors
//! with file, line and column. Paths in the file are relative to its directory.

pub mod paths;
pub mod policy;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::error::InputError;
use crate::outcome::FailOn;
use crate::report::target::FormatTarget;
use crate::source::{SourceFile, Span};
use crate::text;
use crate::text::Lang;
use paths::PathGlobs;
use policy::{Level, Selector, SeverityEntry, SeverityPolicy, SeverityTable};

/// The configuration file's name.
pub const CONFIG_FILE: &str = "pdao.toml";

/// Exceptions files looked for beside `pdao.toml` (or in the working directory) when the
/// configuration names none.
pub const EXCEPTIONS_FILES: [&str; 3] = [
    "pdao-exceptions.yaml",
    "pdao-exceptions.yml",
    "pdao-exceptions.json",
];

/// `pdao.toml` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    lang: Option<Spanned<String>>,
    #[serde(default)]
    format: Vec<Spanned<String>>,
    fail_on: Option<Spanned<String>>,
    exclude: Option<Spanned<Vec<String>>>,
    gitignore: Option<bool>,
    #[serde(default)]
    calendars: Vec<String>,
    #[serde(default)]
    packs: Vec<String>,
    exceptions: Option<String>,
    baseline: Option<String>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    overrides: Vec<RawOverride>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    paths: Spanned<Vec<String>>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
}

/// The settings of one run: from `pdao.toml`, or the defaults.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file, when there is one.
    pub file: Option<Arc<SourceFile>>,
    /// The directory relative paths and globs are taken from (absolute): the file's
    /// directory, or the working directory.
    pub root: PathBuf,
    /// Default `--lang`.
    pub lang: Option<Lang>,
    /// Default `--format`s (file outputs relative to `root`).
    pub formats: Vec<FormatTarget>,
    /// Default `--fail-on`.
    pub fail_on: Option<FailOn>,
    /// Paths not entered when walking directories (files named on the command line are
    /// always checked).
    pub exclude: Option<PathGlobs>,
    /// Whether `.gitignore` files are respected when walking directories (default true).
    pub gitignore: bool,
    /// Extra working-day calendar files (absolute).
    pub calendars: Vec<PathBuf>,
    /// Extra rule packs layered on the base pack, in order (absolute).
    pub packs: Vec<PathBuf>,
    /// The exceptions file named by the configuration (absolute).
    pub exceptions: Option<PathBuf>,
    /// The baseline file named by the configuration (absolute).
    pub baseline: Option<PathBuf>,
    /// Rule selection and severity overrides.
    pub severity: SeverityPolicy,
}

impl Config {
    /// The defaults, relative to `cwd`.
    pub fn defaults(cwd: &Path) -> Config {
        Config {
            file: None,
            root: cwd.to_path_buf(),
            lang: None,
            formats: Vec::new(),
            fail_on: None,
            exclude: None,
            gitignore: true,
            calendars: Vec::new(),
            packs: Vec::new(),
            exceptions: None,
            baseline: None,
            severity: SeverityPolicy {
                root: cwd.to_path_buf(),
                cwd: cwd.to_path_buf(),
                ..SeverityPolicy::default()
            },
        }
    }

    /// The nearest `pdao.toml` at or above `start` (a file or directory, absolute), stopping
    /// at the repository root.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let mut dir = if start.is_dir() {
            Some(start)
        } else {
            start.parent()
        };
        while let Some(d) = dir {
            let candidate = d.join(CONFIG_FILE);
            if candidate.is_file() {
                return Some(candidate);
            }
            if d.join(".git").exists() {
                return None;
            }
            dir = d.parent();
        }
        None
    }

    /// Read and check the file at `path`. `cwd` makes file names absolute.
    pub fn load(path: &Path, cwd: &Path) -> Result<Config, Vec<InputError>> {
        let abs = paths::absolute(cwd, path);
        let name = abs.strip_prefix(cwd).unwrap_or(path).display().to_string();
        let text = std::fs::read(path).map_err(|e| {
            vec![InputError::whole(
                "pdao::config",
                &SourceFile::new(name.clone(), ""),
                text!(
                    "无法读取配置文件：{}",
                    "cannot read the configuration: {}",
                    e
                ),
            )]
        })?;
        let file = crate::document::decode(&name, text).map_err(|e| vec![e])?;
        let root = abs
            .parent()
            .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
        Config::parse(&file, &root, cwd)
    }

    /// Check the text of a configuration file whose directory is `root`.
    pub fn parse(
        file: &Arc<SourceFile>,
        root: &Path,
        cwd: &Path,
    ) -> Result<Config, Vec<InputError>> {
        let raw: RawConfig = toml::from_str(file.text()).map_err(|e| {
            let span = e
                .span()
                .map_or_else(Span::default, |r| Span::new(r.start, r.end));
            vec![InputError::at(
                "pdao::config",
                file,
                span,
                text!(
                    "配置文件有误：{}",
                    "invalid configuration: {}",
                    e.message().trim()
                ),
            )
            .with_help(text!(
                "可用的键见 README.md 的“配置文件”一节",
                "README.md, section “Configuration”, lists the keys"
            ))]
        })?;
        let mut errors = Vec::new();
        let at = |s: std::ops::Range<usize>| Span::new(s.start, s.end);
        let mut config = Config::defaults(cwd);
        config.file = Some(Arc::clone(file));
        config.root = root.to_path_buf();
        config.severity.root = root.to_path_buf();
        let resolve = |p: &str| paths::absolute(root, Path::new(p));

        if let Some(lang) = &raw.lang {
            match lang.get_ref().as_str() {
                "zh" => config.lang = Some(Lang::Zh),
                "en" => config.lang = Some(Lang::En),
                other => errors.push(InputError::at(
                    "pdao::config",
                    file,
                    at(lang.span()),
                    text!(
                        "lang 只能是 zh 或 en，而不是 `{}`",
                        "lang must be zh or en, not `{}`",
                        other
                    ),
                )),
            }
        }
        for f in &raw.format {
            match f.get_ref().parse::<FormatTarget>() {
                Ok(mut target) => {
                    target.path = target.path.map(|p| paths::absolute(root, &p));
                    config.formats.push(target);
                }
                Err(e) => errors.push(InputError::at(
                    "pdao::config",
                    file,
                    at(f.span()),
                    text!("format 无效：{}", "invalid format: {}", e),
                )),
            }
        }
        if let Some(level) = &raw.fail_on {
            match level.get_ref().as_str() {
                "error" => config.fail_on = Some(FailOn::Error),
                "warning" => config.fail_on = Some(FailOn::Warning),
                "info" => config.fail_on = Some(FailOn::Info),
                other => errors.push(InputError::at(
                    "pdao::config",
                    file,
                    at(level.span()),
                    text!(
                        "fail_on 只能是 error、warning 或 info，而不是 `{}`（待审核项从不导致失败）",
                        "fail_on must be error, warning or info, not `{}` (review items never fail a run)",
                        other
                    ),
                )),
            }
        }
        if let Some(exclude) = raw.exclude.as_ref().filter(|e| !e.get_ref().is_empty()) {
            match PathGlobs::new(exclude.get_ref()) {
                Ok(g) => config.exclude = Some(g),
                Err((i, why)) => errors.push(InputError::at(
                    "pdao::config",
                    file,
                    at(exclude.span()),
                    text!(
                        "exclude 的第 {} 个模式无效：{}",
                        "exclude pattern {} is invalid: {}",
                        i + 1,
                        why
                    ),
                )),
            }
        }
        if let Some(g) = raw.gitignore {
            config.gitignore = g;
        }
        config.calendars = raw.calendars.iter().map(|p| resolve(p)).collect();
        config.packs = raw.packs.iter().map(|p| resolve(p)).collect();
        config.exceptions = raw.exceptions.as_deref().map(resolve);
        config.baseline = raw.baseline.as_deref().map(resolve);
        config.severity.rules = table(file, &raw.rules, &mut errors);
        for o in &raw.overrides {
            let globs = match PathGlobs::new(o.paths.get_ref()) {
                Ok(g) if !o.paths.get_ref().is_empty() => g,
                Ok(_) => {
                    errors.push(InputError::at(
                        "pdao::config",
                        file,
                        at(o.paths.span()),
                        text!("paths 不能为空", "paths must not be empty"),
                    ));
                    continue;
                }
                Err((i, why)) => {
                    errors.push(InputError::at(
                        "pdao::config",
                        file,
                        at(o.paths.span()),
                        text!(
                            "paths 的第 {} 个模式无效：{}",
                            "paths pattern {} is invalid: {}",
                            i + 1,
                            why
                        ),
                    ));
                    continue;
                }
            };
            config
                .severity
                .overrides
                .push((globs, table(file, &o.rules, &mut errors)));
        }
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    /// The exceptions file to read: the configuration's, else a `pdao-exceptions.*` in
    /// `root` when there is one.
    pub fn exceptions_file(&self) -> Option<PathBuf> {
        self.exceptions.clone().or_else(|| {
            EXCEPTIONS_FILES
                .iter()
                .map(|n| self.root.join(n))
                .find(|p| p.is_file())
        })
    }
}

/// A `{ "GD22-13" = "off", "article:18" = "warning" }` table, its errors pushed to `errors`.
pub fn table(
    file: &Arc<SourceFile>,
    raw: &BTreeMap<Spanned<String>, Spanned<String>>,
    errors: &mut Vec<InputError>,
) -> SeverityTable {
    let mut entries = Vec::new();
    for (key, value) in raw {
        let key_span = Span::new(key.span().start, key.span().end);
        let Some(selector) = Selector::parse(key.get_ref()) else {
            errors.push(InputError::at(
                "pdao::config",
                file,
                key_span,
                text!(
                    "`{}` 既不是规则编号（如 GD22-13），也不是条文（如 article:18）",
                    "`{}` is neither a rule id (e.g. GD22-13) nor an article (e.g. article:18)",
                    key.get_ref()
                ),
            ));
            continue;
        };
        let Some(level) = Level::parse(value.get_ref()) else {
            errors.push(InputError::at(
                "pdao::config",
                file,
                Span::new(value.span().start, value.span().end),
                text!(
                    "级别只能是 off、error、warning 或 info，而不是 `{}`",
                    "the level must be off, error, warning or info, not `{}`",
                    value.get_ref()
                ),
            ));
            continue;
        };
        entries.push(SeverityEntry {
            selector,
            level,
            file: Arc::clone(file),
            span: key_span,
        });
    }
    SeverityTable(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<InputError>> {
        let file = SourceFile::new("pdao.toml", text);
        Config::parse(&file, Path::new("/repo"), Path::new("/repo"))
    }

    #[test]
    fn a_full_configuration_loads() {
        let c = parse(
            r#"
lang = "en"
format = ["human", "sarif=out/pdao.sarif"]
fail_on = "warning"
exclude = ["drafts/", "archive/**"]
gitignore = false
calendars = ["calendars/2027.yaml"]
packs = ["packs/shenzhen"]
exceptions = "audit/exceptions.yaml"

[rules]
"GD22-13" = "off"
"article:18" = "warning"

[[overrides]]
paths = ["legacy/**"]
rules = { "article:22" = "info" }
"#,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(c.lang, Some(Lang::En));
        assert_eq!(c.formats.len(), 2);
        assert_eq!(
            c.formats[1].path.as_deref(),
            Some(Path::new("/repo/out/pdao.sarif"))
        );
        assert_eq!(c.fail_on, Some(FailOn::Warning));
        assert!(!c.gitignore);
        assert_eq!(
            c.calendars,
            vec![PathBuf::from("/repo/calendars/2027.yaml")]
        );
        assert_eq!(c.packs, vec![PathBuf::from("/repo/packs/shenzhen")]);
        assert_eq!(c.severity.rules.0.len(), 2);
        assert_eq!(c.severity.overrides.len(), 1);
        assert!(c
            .exclude
            .as_ref()
            .is_some_and(|e| e.matches("drafts/a.yaml")));
    }

    #[test]
    fn unknown_keys_are_located() {
        let text = "lang = \"zh\"\n[rules]\n\"GD22-13\" = \"off\"\n\nfial_on = \"warning\"\n";
        let errs = parse("fial_on = \"warning\"\n").expect_err("unknown key");
        let pos = errs[0].position().expect("located");
        assert_eq!((pos.line, pos.column), (1, 1));
        assert!(
            errs[0].message.en.contains("fial_on"),
            "{:?}",
            errs[0].message
        );
        // Inside [rules] any key is a selector; a bad one is located too.
        let errs = parse(&text.replace("GD22-13", "GD 22")).expect_err("bad selector");
        assert_eq!(errs[0].position().map(|p| p.line), Some(3));
    }

    #[test]
    fn bad_values_are_located() {
        let errs = parse("[rules]\n\"GD22-13\" = \"warn\"\n").expect_err("bad level");
        let pos = errs[0].position().expect("located");
        assert_eq!((pos.line, pos.column), (2, 13));
        let errs = parse("fail_on = \"review\"\n").expect_err("review never fails");
        assert!(errs[0].message.en.contains("never fail"));
        let errs = parse("format = [\"pdf\"]\n").expect_err("bad format");
        assert!(errs[0].message.en.contains("pdf"), "{:?}", errs[0].message);
    }
}
