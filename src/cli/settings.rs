//! Where a `pdao check` run's files besides documents come from — the exceptions file and the
//! baseline from the command line, the CI policy or the configuration — with every path the
//! repository names held inside the project; and the decisions the configuration and the
//! policy make, for the reports to state.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::check::CheckOptions;
use super::Cli;
use crate::baseline::Baseline;
use crate::config::ci_policy::{loosening, CiPolicy};
use crate::config::policy::{Selector, SeverityPolicy};
use crate::config::project::Project;
use crate::config::{paths, Config, ConfigPath};
use crate::decisions::{Decisions, Exclusion, Ignored, PolicyFile, RuleChange};
use crate::error::InputError;
use crate::exceptions::{self, ExceptionRecord};
use crate::rules::Pack;
use crate::source::SourceFile;
use crate::text::Text;
use crate::Checker;

/// What decides where a run's files come from.
pub struct Sources<'a> {
    /// The command line.
    pub cli: &'a Cli,
    /// `pdao check`'s options.
    pub options: &'a CheckOptions,
    /// The configuration.
    pub config: &'a Config,
    /// The project the repository's paths must stay in.
    pub project: &'a Project,
    /// The CI policy, when there is one.
    pub policy: Option<&'a CiPolicy>,
    /// The working directory.
    pub cwd: &'a Path,
}

impl Sources<'_> {
    /// The exceptions file to read: `--exceptions`, else the configuration's, else a
    /// `pdao-exceptions.*` beside it (none with `--no-exceptions` or `--no-config`).
    pub fn exceptions_file(&self) -> Result<Option<PathBuf>, InputError> {
        let (options, config, project) = (self.options, self.config, self.project);
        if options.no_exceptions {
            return Ok(None);
        }
        if let Some(p) = &options.exceptions {
            return Ok(Some(paths::absolute(self.cwd, p)));
        }
        if let Some(p) = &config.exceptions {
            return contained(config, project, "exceptions", p).map(|_| Some(p.path.clone()));
        }
        if self.cli.no_config {
            return Ok(None);
        }
        let Some(p) = config.default_exceptions_file() else {
            return Ok(None);
        };
        project.contain(&p).map(|_| Some(p.clone())).map_err(|why| {
            let why = why.reason(project);
            InputError::whole(
                "pdao::exception",
                &SourceFile::new(shown(self.cwd, &p), ""),
                Text::new(
                    format!("例外文件{}：未打开", why.zh),
                    format!("the exceptions file {}: not opened", why.en),
                ),
            )
        })
    }

    /// The baseline to read: `--baseline`, else the policy's (under a policy the repository
    /// names none: see [`CiPolicy::loosenings`]), else the configuration's; none when the run
    /// writes one.
    pub fn baseline_file(&self) -> Result<Option<PathBuf>, InputError> {
        if self.options.write_baseline.is_some() {
            return Ok(None);
        }
        if let Some(p) = &self.options.baseline {
            return Ok(Some(paths::absolute(self.cwd, p)));
        }
        if let Some(policy) = self.policy {
            return Ok(policy.baseline.clone());
        }
        match &self.config.baseline {
            Some(p) => {
                contained(self.config, self.project, "baseline", p).map(|_| Some(p.path.clone()))
            }
            None => Ok(None),
        }
    }

    /// The records of the exceptions file at `path`, and the errors of the others.
    pub fn read_exceptions(
        &self,
        path: &Path,
        pack: &Pack,
    ) -> (Vec<ExceptionRecord>, Vec<InputError>) {
        let max_bytes = self.options.max_file_size;
        match crate::inputs::read_regular(path, &shown(self.cwd, path), max_bytes) {
            Ok(source) => {
                let dir = path
                    .parent()
                    .map_or_else(|| self.cwd.to_path_buf(), Path::to_path_buf);
                let place = exceptions::file::Place {
                    dir: &dir,
                    cwd: self.cwd,
                    project: self.project,
                };
                exceptions::file::parse(&source, &place, pack)
            }
            Err(e) => (Vec::new(), vec![e]),
        }
    }

    /// The baseline at `path`: its name as shown, the SHA-256 of its bytes, its entries.
    pub fn read_baseline(&self, path: &Path) -> Result<(String, String, Baseline), InputError> {
        let name = shown(self.cwd, path);
        let bytes = crate::inputs::read_regular_bytes(path, &name, self.options.max_file_size)?;
        let sha256 = crate::baseline::sha256_hex(&bytes);
        let file: Arc<SourceFile> = crate::document::decode(&name, bytes)?;
        Baseline::parse(&file).map(|b| (name, sha256, b))
    }
}

/// A path the configuration names (key `key`), resolved inside the project; one that leaves
/// it is an error at the place it is written and is not opened.
pub fn contained(
    config: &Config,
    project: &Project,
    key: &str,
    p: &ConfigPath,
) -> Result<PathBuf, InputError> {
    project.contain(&p.path).map_err(|why| {
        let why = why.reason(project);
        config.error_at(
            p.span,
            Text::new(
                format!("{key} 中的 `{}` {}：未打开", p.written, why.zh),
                format!("`{}` in {key} {}: not opened", p.written, why.en),
            ),
        )
    })
}

/// A path as shown to users: relative to `cwd` when under it.
pub fn shown(cwd: &Path, path: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}

/// What the configuration and the policy decide, for the reports to state (the paths
/// `exclude` leaves out are added after the walk).
pub fn decided(
    config: &Config,
    policy: Option<&CiPolicy>,
    severity: &SeverityPolicy,
    checker: &Checker,
    gitignore: bool,
) -> Decisions {
    let location = |file: &SourceFile, span: crate::source::Span| {
        format!("{}:{}", file.name(), file.position(span.start).line)
    };
    let mut rules = Vec::new();
    let tables = std::iter::once((None, &severity.rules)).chain(
        severity
            .overrides
            .iter()
            .map(|(globs, table)| (Some(globs.patterns.clone()), table)),
    );
    for (paths, table) in tables {
        for entry in &table.0 {
            if loosening(entry, &checker.pack).is_none() {
                continue;
            }
            rules.push(RuleChange {
                selector: match &entry.selector {
                    Selector::Rule(id) => id.clone(),
                    Selector::Article(n) => format!("article:{n}"),
                },
                level: entry.level.name().to_string(),
                paths: paths.clone(),
                location: location(&entry.file, entry.span),
            });
        }
    }
    let config_location = |span: Option<crate::source::Span>| {
        config
            .file
            .as_ref()
            .map(|f| location(f, span.unwrap_or_default()))
    };
    let mut ignored = Vec::new();
    if let Some(p) = policy {
        for (key, pinned, span) in [
            ("calendars", p.calendars.is_some(), config.calendars_span),
            ("packs", p.packs.is_some(), config.packs_span),
        ] {
            if let (true, Some(_), Some(location)) = (pinned, span, config_location(span)) {
                ignored.push(Ignored {
                    key: key.to_string(),
                    location,
                });
            }
        }
    }
    Decisions {
        policy: policy.map(|p| PolicyFile {
            file: p.file.name().to_string(),
            sha256: p.sha256.clone(),
        }),
        configuration: config.file.as_ref().map(|f| f.name().to_string()),
        rules,
        findings_turned_off: 0,
        findings_lowered: 0,
        exclude: config
            .exclude
            .as_ref()
            .filter(|_| policy.is_none())
            .and_then(|(globs, span)| {
                Some(Exclusion {
                    patterns: globs.patterns.clone(),
                    location: config_location(Some(*span))?,
                    paths: Vec::new(),
                })
            }),
        gitignore,
        ignored,
    }
}
