//! `pdao check`: configuration, rule pack and layers, inputs, exceptions, baseline, and the
//! reports (to standard output or files). The I/O around the pure pipeline
//! `Checker → Outcome → report::*`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::output::{self, Protected, ReportFile};
use super::settings::{contained, decided, shown, Sources};
use super::Cli;
use crate::baseline::Baseline;
use crate::checker::{FileOutcome, FileReport, RunReport};
use crate::config::ci_policy::CiPolicy;
use crate::config::policy::SeverityEntry;
use crate::config::project::Project;
use crate::config::{paths, Config};
use crate::document::{self, Format as Syntax};
use crate::error::InputError;
use crate::exceptions::{self, ExceptionRecord};
use crate::inputs::{self, Input, Walk};
use crate::outcome::{FailOn, Outcome, Policy};
use crate::report::target::{FormatTarget, ReportFormat};
use crate::report::{self, Summary};
use crate::rules::layer;
use crate::source::SourceFile;
use crate::text;
use crate::text::Lang;
use crate::Checker;

/// Options of `pdao check`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CheckOptions {
    /// Report format, with an optional file: `--format sarif=pdao.sarif`. Repeatable; at
    /// most one without a file (standard output). Formats: human, json, sarif, junit, gitlab,
    /// github, html. Default: the configuration's `format`, else human.
    #[arg(long = "format", value_name = "FORMAT[=FILE]")]
    pub formats: Vec<FormatTarget>,
    /// The lowest severity that fails the run (exit 1); review items never fail it.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,
    /// Read exceptions from FILE (YAML or JSON) instead of the configured or default one.
    #[arg(long, value_name = "FILE", conflicts_with = "no_exceptions")]
    pub exceptions: Option<PathBuf>,
    /// Apply no exception (files or comments): every finding counts, for audits.
    #[arg(long)]
    pub no_exceptions: bool,
    /// Count only findings not recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the counted findings in FILE as the baseline, and exit 0 (2 if an input failed).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// Do not respect .gitignore files when walking directories.
    #[arg(long)]
    pub no_gitignore: bool,
    /// The CI-owned policy (a TOML file outside the repository) the repository may not
    /// loosen; default: the environment variable PDAO_POLICY, when set.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Largest file to read (e.g. 64MiB, 500KiB); a larger one is reported and not read.
    #[arg(long, value_name = "SIZE", default_value = "64MiB", value_parser = inputs::parse_size)]
    pub max_file_size: u64,
    /// Documents checked at once (threads); default: one per core.
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Print the documents a check would check, one per line, and check nothing; exit 2 when
    /// there is none.
    #[arg(long)]
    pub list_files: bool,
}

/// A run over more inputs than this shows a progress bar (stderr a terminal, human reports).
pub const PROGRESS_MIN_FILES: usize = 300;

/// Check `inputs` on `jobs` threads (default: one per core), with a progress bar on stderr
/// when `progress` and the run is long enough.
fn check_all(
    checker: &Checker,
    inputs: &[Input],
    jobs: Option<u16>,
    progress: bool,
    lang: Lang,
) -> Result<Vec<FileReport>, String> {
    let bar = (progress && inputs.len() > PROGRESS_MIN_FILES).then(|| {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(inputs.len() as u64),
            indicatif::ProgressDrawTarget::stderr(),
        );
        let template = match lang {
            Lang::Zh => "{bar:40} {pos}/{len} 个文件  已用 {elapsed}，约剩 {eta}",
            Lang::En => "{bar:40} {pos}/{len} files  {elapsed} elapsed, about {eta} left",
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("█▉▊▋▌▍▎▏ "));
        }
        bar
    });
    let check = || {
        let mut files = Vec::with_capacity(inputs.len());
        checker.check_each(
            inputs,
            |report| report,
            |report| {
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
                files.push(report);
            },
        );
        files
    };
    let files = match jobs {
        None => check(),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build()
            .map_err(|e| e.to_string())?
            .install(check),
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(files)
}

fn current_dir() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))
}

/// The configuration for a run over `paths` (empty: the working directory): `--config`, else
/// the nearest `pdao.toml`, else the defaults. Paths under different configuration files are
/// an error: the run would have no single policy.
pub fn config_for(
    cli: &Cli,
    cwd: &Path,
    paths: &[PathBuf],
    max_bytes: u64,
) -> Result<Config, Vec<InputError>> {
    if cli.no_config {
        return Ok(Config::defaults(cwd));
    }
    if let Some(file) = &cli.config {
        return Config::load(file, cwd, max_bytes);
    }
    let starts: Vec<PathBuf> = if paths.is_empty() {
        vec![cwd.to_path_buf()]
    } else {
        paths
            .iter()
            .map(|p| {
                if p.as_os_str() == "-" {
                    cwd.to_path_buf()
                } else {
                    paths::absolute(cwd, p)
                }
            })
            .collect()
    };
    let mut found: Option<PathBuf> = None;
    for (i, start) in starts.iter().enumerate() {
        let this = Config::discover(start);
        if i == 0 {
            found = this;
        } else if this != found {
            let show = |c: &Option<PathBuf>| {
                c.as_ref()
                    .map_or_else(|| "—".to_string(), |p| p.display().to_string())
            };
            return Err(vec![InputError::whole(
                "pdao::config",
                &SourceFile::new(crate::config::CONFIG_FILE, ""),
                text!(
                    "所检查的路径属于不同的配置文件（{} 与 {}）：请分别检查，或以 --config 指定",
                    "the checked paths fall under different configuration files ({} and {}): check them separately or pass --config",
                    show(&found),
                    show(&this)
                ),
            )]);
        }
    }
    match found {
        Some(file) => Config::load_found(&file, cwd, max_bytes),
        None => Ok(Config::defaults(cwd)),
    }
}

/// The base pack (`--rules DIR` or the built-in one) with the configuration's and the command
/// line's layers on top, judging as of `--as-of`, with the configuration's and the command
/// line's extra holiday calendars. The configuration's calendars and packs must lie inside
/// `project`; files larger than `max_bytes` are not read. Errors of broken rule files come
/// back beside the checker. Also returns the layers' `tighten` entries.
pub fn load_checker(
    cli: &Cli,
    config: &Config,
    project: &Project,
    policy: Option<&CiPolicy>,
    max_bytes: u64,
) -> Result<Loaded, InputError> {
    let (mut checker, mut errors) = match &cli.rules {
        Some(dir) => Checker::from_dir(dir)?,
        None => Checker::builtin()?,
    };
    let cwd = current_dir();
    if let Some(date) = cli.as_of {
        checker.as_of = date;
    }
    if let Some(date) = cli.in_force_from {
        checker.in_force_from = Some(date);
    }
    if let Some(level) = cli.unresolved {
        checker.unresolved = match level {
            super::UnresolvedLevel::Error => crate::severity::Severity::Error,
            super::UnresolvedLevel::Warning => crate::severity::Severity::Warning,
            super::UnresolvedLevel::Info => crate::severity::Severity::Info,
        };
    } else if let Some(level) = policy.and_then(|p| p.unresolved) {
        checker.unresolved = level;
    }
    let mut calendars = pinned_or_contained(
        policy.and_then(|p| p.calendars.as_ref()),
        (config, project, "calendars", &config.calendars),
        &mut errors,
    );
    calendars.extend(cli.calendars.iter().map(|p| paths::absolute(&cwd, p)));
    for path in calendars {
        let added = crate::inputs::read_regular(&path, &shown(&cwd, &path), max_bytes)
            .and_then(|file| checker.pack.calendar.add_file(&file));
        if let Err(e) = added {
            errors.push(e);
        }
    }
    let mut dirs = pinned_or_contained(
        policy.and_then(|p| p.packs.as_ref()),
        (config, project, "packs", &config.packs),
        &mut errors,
    );
    dirs.extend(cli.packs.iter().map(|p| paths::absolute(&cwd, p)));
    let mut tighten = Vec::new();
    for dir in dirs {
        let (mut files, mut read_errors) = layer::read_dir(&dir, max_bytes);
        files.origin = shown(&cwd, &dir);
        errors.append(&mut read_errors);
        if files.files.is_empty() {
            continue;
        }
        let (layer, mut layer_errors) = layer::apply(&mut checker.pack, &files, &checker.schemas);
        errors.append(&mut layer_errors);
        tighten.extend(layer.tighten.0);
    }
    Ok((checker, errors, tighten))
}

/// A checker, the errors of broken rule files, and the layers' severity tightenings.
pub type Loaded = (Checker, Vec<InputError>, Vec<SeverityEntry>);

/// The exception comments of the checked documents. A document's text comes from its
/// findings, or is read again (a clean document may still hold a comment, which is then
/// reported as unused); standard input is not read twice.
fn comment_exceptions(
    checker: &Checker,
    inputs: &[Input],
    files: &[FileReport],
) -> (Vec<ExceptionRecord>, Vec<InputError>) {
    let found: Vec<(Vec<ExceptionRecord>, Vec<InputError>)> = inputs
        .par_iter()
        .zip(files.par_iter())
        .map(|(input, report)| {
            let FileOutcome::Checked { findings, .. } = &report.outcome else {
                return (Vec::new(), Vec::new());
            };
            let file = match findings.iter().find(|f| f.file.name() == report.name) {
                Some(f) => Arc::clone(&f.file),
                None if matches!(input, Input::Stdin) => return (Vec::new(), Vec::new()),
                None => match input.read() {
                    Ok(file) => file,
                    Err(_) => return (Vec::new(), Vec::new()),
                },
            };
            if !exceptions::comment::may_hold(file.text())
                || Syntax::detect(file.name(), file.text()) != Syntax::Yaml
            {
                return (Vec::new(), Vec::new());
            }
            match document::yaml::parse(&file, checker.limits) {
                Ok(root) => exceptions::comment::scan(&file, &root, &checker.pack),
                Err(e) => (Vec::new(), vec![e]),
            }
        })
        .collect();
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for (mut r, mut e) in found {
        records.append(&mut r);
        errors.append(&mut e);
    }
    (records, errors)
}

fn fail(errors: &[InputError], lang: Lang) -> (u8, String, String) {
    (2, String::new(), super::render_errors(errors, lang))
}

/// The report files of the command line.
fn command_line_reports(options: &CheckOptions, cwd: &Path) -> Vec<ReportFile> {
    options
        .formats
        .iter()
        .filter_map(|t| {
            t.path.as_ref().map(|p| ReportFile {
                format: Some(t.format),
                shown: p.clone(),
                path: paths::absolute(cwd, p),
                origin: output::Origin::CommandLine,
            })
        })
        .collect()
}

/// A run that stops before checking still removes the command line's report files, so that
/// none from an earlier run (or planted by the repository) is taken for this run's. The
/// documents the run would have read are kept. Returns the errors of report files that may not
/// be touched.
fn clear_command_line_reports(
    options: &CheckOptions,
    paths_in: &[PathBuf],
    cwd: &Path,
) -> Vec<InputError> {
    let reports = command_line_reports(options, cwd);
    if reports.is_empty() {
        return Vec::new();
    }
    let walk = Walk {
        gitignore: false,
        hidden: true,
        excluded: None,
    };
    let (mut inputs, _) = inputs::collect_with(paths_in, &walk);
    let mut protected = Protected::default();
    let limits = crate::document::Limits {
        max_file_bytes: options.max_file_size,
        ..crate::document::Limits::default()
    };
    output::separate_from_inputs(&reports, &mut inputs, &mut protected, limits);
    let config = Config::defaults(cwd);
    output::prepare(reports, &Project::new(cwd), &config, &protected).1
}

/// Stop before checking: report `errors` (exit 2), after clearing the report files.
fn fail_early(
    errors: &[InputError],
    lang: Lang,
    options: &CheckOptions,
    paths_in: &[PathBuf],
    cwd: &Path,
) -> (u8, String, String) {
    let mut errors = errors.to_vec();
    errors.extend(clear_command_line_reports(options, paths_in, cwd));
    fail(&errors, lang)
}

/// Run `pdao check`.
pub fn run(
    cli: &Cli,
    paths_in: &[PathBuf],
    options: &CheckOptions,
    color: bool,
) -> (u8, String, String) {
    let cwd = current_dir();
    let max_bytes = options.max_file_size;
    // An empty PDAO_POLICY is a policy that went missing (a CI variable not passed on), not
    // the absence of one: the run fails rather than go on unguarded.
    let policy_file = options
        .policy
        .clone()
        .or_else(|| std::env::var_os("PDAO_POLICY").map(PathBuf::from));
    let policy = match policy_file.map(|p| {
        if p.as_os_str().is_empty() {
            Err(vec![InputError::whole(
                "pdao::policy",
                &SourceFile::new("PDAO_POLICY", ""),
                text!(
                    "策略文件名为空：CI 未提供策略，检查不予进行",
                    "the policy file name is empty: the CI provided no policy, so the run is not done"
                ),
            )])
        } else {
            CiPolicy::load(&p, &cwd, max_bytes)
        }
    }) {
        None => None,
        Some(Ok(policy)) => Some(policy),
        Some(Err(errors)) => {
            return fail_early(
                &errors,
                cli.lang.unwrap_or_default(),
                options,
                paths_in,
                &cwd,
            )
        }
    };
    let config = match config_for(cli, &cwd, paths_in, max_bytes) {
        Ok(c) => c,
        Err(errors) => {
            return fail_early(
                &errors,
                cli.lang.unwrap_or_default(),
                options,
                paths_in,
                &cwd,
            )
        }
    };
    let project = Project::new(&config.root);
    let lang = cli.lang.or(config.lang).unwrap_or_default();
    if let Some(errors) = policy
        .as_ref()
        .map(|p| p.inside(&project))
        .filter(|e| !e.is_empty())
    {
        return fail_early(&errors, lang, options, paths_in, &cwd);
    }
    let (targets, mut reports): (Vec<FormatTarget>, Vec<ReportFile>) =
        if !options.formats.is_empty() {
            (options.formats.clone(), command_line_reports(options, &cwd))
        } else if !config.formats.is_empty() {
            (
                config.formats.iter().map(|t| t.target.clone()).collect(),
                config
                    .formats
                    .iter()
                    .filter_map(|t| {
                        t.target.path.as_ref().map(|p| ReportFile {
                            format: Some(t.target.format),
                            shown: PathBuf::from(shown(&cwd, p)),
                            path: p.clone(),
                            origin: output::Origin::Config(t.span),
                        })
                    })
                    .collect(),
            )
        } else {
            (
                vec![FormatTarget {
                    format: ReportFormat::Human,
                    path: None,
                }],
                Vec::new(),
            )
        };
    if targets.iter().filter(|t| t.path.is_none()).count() > 1 {
        let refused = clear_command_line_reports(options, paths_in, &cwd);
        return (
            2,
            String::new(),
            super::render_errors(&refused, lang)
                + match lang {
                Lang::Zh => "pdao: 至多一个 --format 可以写到标准输出；其余请写明文件，如 --format sarif=pdao.sarif\n",
                Lang::En => "pdao: at most one --format can go to standard output; give the others a file, e.g. --format sarif=pdao.sarif\n",
            },
        );
    }
    let (mut checker, mut errors, tighten) =
        match load_checker(cli, &config, &project, policy.as_ref(), max_bytes) {
            Ok(loaded) => loaded,
            Err(e) => return fail_early(&[e], lang, options, paths_in, &cwd),
        };
    checker.limits.max_file_bytes = max_bytes;
    let mut severity = config.severity.clone();
    if let Some(policy) = &policy {
        errors.extend(policy.loosenings(&config, &tighten, &checker.pack));
        // A loosening is an error, and does not take effect either: the report shows the
        // findings as the rules have them.
        severity.without_loosenings(&checker.pack);
    }
    severity.tighten.0.extend(tighten);
    errors.extend(severity.check(&checker.pack));

    // Under a policy nothing of the repository's hides a document from the walk: not its
    // `.gitignore` files, not `exclude`, not a hidden directory.
    let root = config.root.clone();
    let walk_cwd = cwd.clone();
    // What `exclude` leaves out is recorded, for the reports to list.
    let left_out: Arc<Mutex<Vec<String>>> = Arc::default();
    let record = Arc::clone(&left_out);
    let walk = Walk {
        gitignore: policy.is_none() && config.gitignore && !options.no_gitignore,
        hidden: policy.is_some(),
        excluded: config
            .exclude
            .clone()
            .filter(|_| policy.is_none())
            .map(|(globs, _)| {
                Arc::new(move |p: &Path| {
                    let rel = paths::relative_to(&root, &walk_cwd, &p.to_string_lossy());
                    let out = rel.as_ref().is_some_and(|rel| globs.matches(rel));
                    if let (true, Some(rel), Ok(mut list)) = (out, rel, record.lock()) {
                        list.push(rel);
                    }
                    out
                }) as inputs::Exclusion
            }),
    };
    let inputs::Collected {
        inputs,
        errors: mut input_errors,
        left_out: skipped,
    } = inputs::collect_counted(paths_in, &walk);
    let mut inputs = inputs;
    errors.append(&mut input_errors);
    if options.list_files {
        return list_files(&checker, &inputs, errors, skipped, lang);
    }
    let mut decisions = decided(
        &config,
        policy.as_ref(),
        &severity,
        &checker,
        walk.gitignore,
    );
    if let (Some(x), Ok(mut list)) = (&mut decisions.exclude, left_out.lock()) {
        list.sort();
        list.dedup();
        x.paths = std::mem::take(&mut *list);
    }

    // The files this run reads besides documents: the exceptions file and the baseline.
    let sources = Sources {
        cli,
        options,
        config: &config,
        project: &project,
        policy: policy.as_ref(),
        cwd: &cwd,
    };
    let exceptions_file = sources.exceptions_file().unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    let baseline_file = sources.baseline_file().unwrap_or_else(|e| {
        errors.push(e);
        None
    });

    // Before checking: where the reports go, and nothing left there from an earlier run.
    let mut protected = Protected::default();
    let calendars = config.calendars.iter().map(|c| c.path.clone());
    for p in config
        .file
        .iter()
        .map(|f| paths::absolute(&cwd, Path::new(f.name())))
        .chain(exceptions_file.clone())
        .chain(baseline_file.clone())
        .chain(calendars)
        .chain(cli.calendars.iter().map(|c| paths::absolute(&cwd, c)))
        .chain(
            policy
                .iter()
                .map(|p| paths::absolute(&cwd, Path::new(p.file.name()))),
        )
    {
        protected.add(&p);
    }
    let mut baseline_out = None;
    if let Some(p) = &options.write_baseline {
        reports.push(ReportFile {
            format: None,
            shown: p.clone(),
            path: paths::absolute(&cwd, p),
            origin: output::Origin::CommandLine,
        });
        baseline_out = Some(paths::absolute(&cwd, p));
    }
    output::separate_from_inputs(&reports, &mut inputs, &mut protected, checker.limits);
    let (ready, mut refused) = output::prepare(reports, &project, &config, &protected);
    // Said on stderr too: the report that would have held the error is not written.
    let mut stderr = super::render_errors(&refused, lang);
    errors.append(&mut refused);
    let baseline_out = baseline_out.filter(|p| ready.iter().any(|r| r.path == *p));

    // A progress bar only for people: on a terminal, and when every report is the human one.
    let progress =
        std::io::stderr().is_terminal() && targets.iter().all(|t| t.format == ReportFormat::Human);
    let files = match check_all(&checker, &inputs, options.jobs, progress, lang) {
        Ok(files) => files,
        Err(e) => return (2, String::new(), format!("pdao: {e}\n")),
    };
    let mut records = Vec::new();
    if !options.no_exceptions && !cli.no_config {
        let (found, mut errs) = comment_exceptions(&checker, &inputs, &files);
        records = found;
        errors.append(&mut errs);
    }

    if let Some(path) = &exceptions_file {
        let (mut found, mut errs) = sources.read_exceptions(path, &checker.pack);
        records.splice(0..0, found.drain(..));
        errors.append(&mut errs);
    }
    let (records, refused) = match &policy {
        Some(policy) => {
            let (admitted, refused, mut errs) = policy.screen(records);
            errors.append(&mut errs);
            (admitted, refused)
        }
        None => (records, Vec::new()),
    };
    let baseline = baseline_file
        .as_ref()
        .and_then(|p| match sources.read_baseline(p) {
            Ok(read) => Some(read),
            Err(e) => {
                errors.push(e);
                None
            }
        });

    let mut run = RunReport {
        files,
        errors,
        left_out: skipped,
    };
    if run.documents() == 0 {
        run.errors
            .push(nothing_checked(paths_in, &Summary::of(&run)));
    }
    let as_of = checker.as_of;
    let outcome = Outcome::new(
        run,
        Policy {
            severity: &severity,
            exceptions: records,
            refused,
            baseline: baseline
                .as_ref()
                .map(|(n, sha256, b)| (n.clone(), sha256.clone(), b)),
            fail_on: options.fail_on.unwrap_or_else(|| {
                let repository = config.fail_on.map(|(f, _)| f);
                match &policy {
                    Some(policy) => policy.fail_on(repository),
                    None => repository.unwrap_or_default(),
                }
            }),
            as_of,
            decisions,
        },
    );

    let mut code = outcome.exit_code();
    if let Some(path) = &options.write_baseline {
        let baseline = Baseline::of(outcome.run.findings());
        let written = match &baseline_out {
            Some(p) => output::write_atomic(p, &baseline.to_json()).map_err(|e| e.to_string()),
            None => Err(match lang {
                Lang::Zh => "未写入（见上文）".to_string(),
                Lang::En => "not written (see above)".to_string(),
            }),
        };
        match written {
            Ok(()) => {
                stderr.push_str(&match lang {
                    Lang::Zh => format!(
                        "pdao: 已将 {} 项发现写入基线 {}\n",
                        baseline.findings.len(),
                        crate::visible::path(path)
                    ),
                    Lang::En => format!(
                        "pdao: wrote {} findings to the baseline {}\n",
                        baseline.findings.len(),
                        crate::visible::path(path)
                    ),
                });
                if code == 1 {
                    code = 0;
                }
            }
            Err(e) => {
                stderr.push_str(&format!("pdao: {}: {e}\n", crate::visible::path(path)));
                code = 2;
            }
        }
    }

    let mut stdout = String::new();
    for target in &targets {
        let text = render(
            target.format,
            &outcome,
            &checker,
            lang,
            color && target.path.is_none(),
        );
        let Some(given) = &target.path else {
            stdout = text;
            continue;
        };
        let path = paths::absolute(&cwd, given);
        let Some(file) = ready
            .iter()
            .find(|r| r.format == Some(target.format) && r.path == path)
        else {
            // Refused before the run: the error is in the report.
            continue;
        };
        if let Err(e) = output::write_atomic(&file.path, &text) {
            stderr.push_str(&format!(
                "pdao: {}: {e}\n",
                crate::visible::path(&file.shown)
            ));
            code = 2;
        }
    }
    (code, stdout, stderr)
}

/// The error of a run that checked no document: it never passes, whatever the reason (an
/// empty directory, every file excluded, ignored or unrecognised, a wrong path).
fn nothing_checked(paths: &[PathBuf], summary: &Summary) -> InputError {
    let named: Vec<String> = paths
        .iter()
        .map(|p| {
            if p.as_os_str() == "-" {
                "<stdin>".to_string()
            } else {
                crate::visible::path(p)
            }
        })
        .collect();
    let message = if summary.skipped() == 0 {
        text!("没有检查任何文书", "no document was checked")
    } else {
        let why = report::human::skipped_reasons(summary);
        let n = summary.skipped();
        text::Text::new(
            format!("没有检查任何文书（跳过 {n} 个文件：{}）", why.zh),
            format!("no document was checked (skipped {n} files: {})", why.en),
        )
    };
    InputError::whole(
        "pdao::nothing-checked",
        &SourceFile::new(named.join(" "), ""),
        message,
    )
    .with_help(text!(
        "pdao 文书是以 kind: 与 id: 开头的 .yaml、.yml 或 .json 文件；请检查路径，以及 pdao.toml 的 exclude 与 .gitignore",
        "a pdao document is a .yaml, .yml or .json file that starts with kind: and id:; check the paths, and pdao.toml's exclude and .gitignore"
    ))
}

/// `pdao check --list-files`: the documents a check would check, one name per line (names
/// escaped as in every report), and on stderr what was skipped and why. Exit 2 when there is
/// no document, or a path could not be walked.
fn list_files(
    checker: &Checker,
    inputs: &[Input],
    errors: Vec<InputError>,
    left_out: inputs::LeftOut,
    lang: Lang,
) -> (u8, String, String) {
    let run = RunReport {
        files: checker.identify(inputs),
        errors,
        left_out,
    };
    let mut out = String::new();
    for file in &run.files {
        if matches!(file.outcome, FileOutcome::Checked { .. }) {
            out.push_str(&crate::visible::inline(&file.name));
            out.push('\n');
        }
    }
    let summary = Summary::of(&run);
    let mut err = super::render_errors(&run.errors, lang);
    if summary.skipped() > 0 {
        let why = report::human::skipped_reasons(&summary);
        err.push_str(&match lang {
            Lang::Zh => format!("pdao: 跳过 {} 个文件：{}\n", summary.skipped(), why.zh),
            Lang::En => format!("pdao: skipped {} files: {}\n", summary.skipped(), why.en),
        });
    }
    let code = if summary.documents == 0 {
        err.push_str(match lang {
            Lang::Zh => "pdao: 没有可检查的文书\n",
            Lang::En => "pdao: no document would be checked\n",
        });
        2
    } else if run.errors.is_empty() {
        0
    } else {
        2
    };
    (code, crate::visible::defuse_plain(&out).into_owned(), err)
}

/// The files a list key names: the policy's list when it pins the key (the repository's is then
/// ignored, and the reports say so), else the repository's entries that stay inside the project
/// (each one outside is an error naming the key, and is not opened).
fn pinned_or_contained(
    pinned: Option<&Vec<PathBuf>>,
    (config, project, key, entries): (&Config, &Project, &str, &[crate::config::ConfigPath]),
    errors: &mut Vec<InputError>,
) -> Vec<PathBuf> {
    if let Some(pinned) = pinned {
        return pinned.clone();
    }
    let mut out = Vec::new();
    for p in entries {
        match contained(config, project, key, p) {
            Ok(_) => out.push(p.path.clone()),
            Err(e) => errors.push(e),
        }
    }
    out
}

/// One report as text. No line of it can be taken for a CI runner's workflow command,
/// whatever the documents hold ([`crate::visible::defuse_commands`]): the GitHub format's own
/// commands are the only lines that start with `::`.
pub fn render(
    format: ReportFormat,
    outcome: &Outcome,
    checker: &Checker,
    lang: Lang,
    color: bool,
) -> String {
    let text = render_unguarded(format, outcome, checker, lang, color);
    let guarded = match format {
        ReportFormat::Github => return text,
        ReportFormat::Junit | ReportFormat::Html => crate::visible::defuse_markup(&text),
        ReportFormat::Human | ReportFormat::Json | ReportFormat::Sarif | ReportFormat::Gitlab => {
            crate::visible::defuse_plain(&text)
        }
    };
    match guarded {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(guarded) => guarded,
    }
}

fn render_unguarded(
    format: ReportFormat,
    outcome: &Outcome,
    checker: &Checker,
    lang: Lang,
    color: bool,
) -> String {
    match format {
        ReportFormat::Human => {
            let text = report::human::render(&outcome.run, lang, color, outcome.as_of);
            with_notes(text, &outcome.notes(), lang)
        }
        ReportFormat::Json => report::json::render_outcome(
            outcome,
            &checker.pack.info,
            lang,
            checker.validity_window(),
        ),
        ReportFormat::Sarif => report::sarif::render(outcome, &checker.pack, lang),
        ReportFormat::Junit => report::junit::render(outcome, &checker.pack, lang),
        ReportFormat::Gitlab => report::gitlab::render(outcome, lang),
        ReportFormat::Github => report::github::render(outcome, lang),
        ReportFormat::Html => report::html::render(outcome, &checker.pack, lang),
    }
}

/// The human report with notes (what decided the run, exceptions that did not apply, the fail
/// level) before its summary line.
fn with_notes(text: String, notes: &[text::Text], lang: Lang) -> String {
    if notes.is_empty() {
        return text;
    }
    let body = text.trim_end_matches('\n');
    let (head, summary) = match body.rfind('\n') {
        Some(i) => (
            body.get(..=i).unwrap_or(""),
            body.get(i + 1..).unwrap_or(""),
        ),
        None => ("", body),
    };
    let mut out = head.to_string();
    for n in notes {
        out.push_str("  note: ");
        out.push_str(&crate::visible::inline(n.get(lang)));
        out.push('\n');
    }
    out.push_str(summary);
    out.push('\n');
    out
}
