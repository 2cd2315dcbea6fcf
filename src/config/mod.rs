//! `pdao.toml`: a repository's settings for `pdao check`. Found by walking up from the checked
//! path (the nearest wins; the walk stops at the repository root, the directory holding
//! `.git`); `--config FILE` names one, `--no-config` ignores them. Unknown keys are errors
//! with file, line and column. Paths in the file are relative to its directory.

pub mod ci_policy;
pub mod paths;
pub mod policy;
pub mod project;

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
    gitignore: Option<Spanned<bool>>,
    calendars: Option<Spanned<Vec<Spanned<String>>>>,
    packs: Option<Spanned<Vec<Spanned<String>>>>,
    exceptions: Option<Spanned<String>>,
    baseline: Option<Spanned<String>>,
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

/// A path written in `pdao.toml`: absolute (relative ones are taken from the file's
/// directory), with the place it was written, so that a refusal names the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigPath {
    /// The path, absolute and cleaned (not resolved).
    pub path: PathBuf,
    /// As written.
    pub written: String,
    /// Where in the file.
    pub span: Span,
}

/// A report file named by `pdao.toml`'s `format`, with its place in the file.
#[derive(Debug, Clone)]
pub struct ConfigTarget {
    /// The report (its path absolute).
    pub target: FormatTarget,
    /// Where in the file.
    pub span: Span,
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
    pub formats: Vec<ConfigTarget>,
    /// Default `--fail-on`, with its place.
    pub fail_on: Option<(FailOn, Span)>,
    /// Paths not entered when walking directories (files named on the command line are
    /// always checked), with the key's place.
    pub exclude: Option<(PathGlobs, Span)>,
    /// Whether `.gitignore` files are respected when walking directories (default true).
    pub gitignore: bool,
    /// Where `gitignore` was written, when it was.
    pub gitignore_span: Option<Span>,
    /// Extra working-day calendar files, and the key's place.
    pub calendars: Vec<ConfigPath>,
    /// Where `calendars` was written, when it was.
    pub calendars_span: Option<Span>,
    /// Extra rule packs layered on the base pack, in order.
    pub packs: Vec<ConfigPath>,
    /// Where `packs` was written, when it was.
    pub packs_span: Option<Span>,
    /// The exceptions file named by the configuration.
    pub exceptions: Option<ConfigPath>,
    /// The baseline file named by the configuration.
    pub baseline: Option<ConfigPath>,
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
            gitignore_span: None,
            calendars: Vec::new(),
            calendars_span: None,
            packs: Vec::new(),
            packs_span: None,
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
    /// at the repository root. A symbolic link named `pdao.toml` is found too, so that
    /// [`Config::load_found`] can refuse it rather than a parent's file be used silently.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let mut dir = if start.is_dir() {
            Some(start)
        } else {
            start.parent()
        };
        while let Some(d) = dir {
            let candidate = d.join(CONFIG_FILE);
            if std::fs::symlink_metadata(&candidate)
                .is_ok_and(|m| m.is_file() || m.file_type().is_symlink())
            {
                return Some(candidate);
            }
            if d.join(".git").exists() {
                return None;
            }
            dir = d.parent();
        }
        None
    }

    /// Read and check a `pdao.toml` found by [`Config::discover`]: the repository's, so a
    /// symbolic link is refused (it could point at any file on the machine).
    pub fn load_found(path: &Path, cwd: &Path, max_bytes: u64) -> Result<Config, Vec<InputError>> {
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            let abs = paths::absolute(cwd, path);
            let name = abs.strip_prefix(cwd).unwrap_or(path).display().to_string();
            return Err(vec![InputError::whole(
                "pdao::config",
                &SourceFile::new(name, ""),
                text!(
                    "配置文件是符号链接，未读取：仓库的 pdao.toml 须为普通文件",
                    "the configuration is a symbolic link and was not read: a repository's pdao.toml must be a regular file"
                ),
            )]);
        }
        Config::load(path, cwd, max_bytes)
    }

    /// Read and check the file at `path` (named by `--config`, or found). `cwd` makes file
    /// names absolute; a file larger than `max_bytes` is not read.
    pub fn load(path: &Path, cwd: &Path, max_bytes: u64) -> Result<Config, Vec<InputError>> {
        let abs = paths::absolute(cwd, path);
        let name = abs.strip_prefix(cwd).unwrap_or(path).display().to_string();
        let file = crate::inputs::read_regular(path, &name, max_bytes).map_err(|e| vec![e])?;
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
        check_toml_syntax(file)?;
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
                    config.formats.push(ConfigTarget {
                        target,
                        span: at(f.span()),
                    });
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
                "error" => config.fail_on = Some((FailOn::Error, at(level.span()))),
                "warning" => config.fail_on = Some((FailOn::Warning, at(level.span()))),
                "info" => config.fail_on = Some((FailOn::Info, at(level.span()))),
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
                Ok(g) => config.exclude = Some((g, at(exclude.span()))),
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
        if let Some(g) = &raw.gitignore {
            config.gitignore = *g.get_ref();
            config.gitignore_span = Some(at(g.span()));
        }
        let named = |p: &Spanned<String>| ConfigPath {
            path: resolve(p.get_ref()),
            written: p.get_ref().clone(),
            span: at(p.span()),
        };
        if let Some(list) = &raw.calendars {
            config.calendars = list.get_ref().iter().map(named).collect();
            config.calendars_span = Some(at(list.span()));
        }
        if let Some(list) = &raw.packs {
            config.packs = list.get_ref().iter().map(named).collect();
            config.packs_span = Some(at(list.span()));
        }
        config.exceptions = raw.exceptions.as_ref().map(named);
        config.baseline = raw.baseline.as_ref().map(named);
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

    /// A `pdao-exceptions.*` file in `root`, read when the configuration names none (a
    /// symbolic link is found too, so that it can be refused rather than skipped).
    pub fn default_exceptions_file(&self) -> Option<PathBuf> {
        EXCEPTIONS_FILES
            .iter()
            .map(|n| self.root.join(n))
            .find(|p| std::fs::symlink_metadata(p).is_ok())
    }

    /// An error at `span` of this configuration file (a whole-file error without one).
    pub fn error_at(&self, span: Span, message: text::Text) -> InputError {
        match &self.file {
            Some(file) => InputError::at("pdao::config", file, span, message),
            None => InputError::whole("pdao::config", &SourceFile::new(CONFIG_FILE, ""), message),
        }
    }
}

/// Refuse a file that is not TOML before its keys are read, without showing its text: a
/// repository's `pdao.toml` may be any file.
pub fn check_toml_syntax(file: &Arc<SourceFile>) -> Result<(), Vec<InputError>> {
    match toml::from_str::<toml::Table>(file.text()) {
        Ok(_) => Ok(()),
        Err(e) => {
            let span = e
                .span()
                .map_or_else(Span::default, |r| Span::new(r.start, r.start));
            Err(vec![InputError::at(
                "pdao::config",
                file,
                span,
                text!("", ""),
            )
            .without_text("TOML")])
        }
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
            c.formats[1].target.path.as_deref(),
            Some(Path::new("/repo/out/pdao.sarif"))
        );
        assert_eq!(c.fail_on.map(|(f, _)| f), Some(FailOn::Warning));
        assert!(!c.gitignore);
        let paths = |l: &[ConfigPath]| l.iter().map(|p| p.path.clone()).collect::<Vec<_>>();
        assert_eq!(
            paths(&c.calendars),
            vec![PathBuf::from("/repo/calendars/2027.yaml")]
        );
        assert_eq!(paths(&c.packs), vec![PathBuf::from("/repo/packs/shenzhen")]);
        let text = c
            .file
            .as_ref()
            .map(|f| f.text().to_string())
            .unwrap_or_default();
        let span = c.calendars[0].span;
        assert_eq!(
            text.get(span.start..span.end),
            Some("\"calendars/2027.yaml\""),
            "located for errors"
        );
        assert_eq!(c.severity.rules.0.len(), 2);
        assert_eq!(c.severity.overrides.len(), 1);
        assert!(c
            .exclude
            .as_ref()
            .is_some_and(|(e, _)| e.matches("drafts/a.yaml")));
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
