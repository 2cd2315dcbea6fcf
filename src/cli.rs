//! The `pdao` command line: arguments, commands, exit codes (0 clean, 1 findings, 2 the run
//! could not be done).

pub mod check;
pub mod output;
pub mod settings;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde_json::json;

use crate::error::InputError;
use crate::measure::{chinese_number, parse_chinese_number};
use crate::report::{self, Format};
use crate::rules::{Pack, Rule};
use crate::text::Lang;
use crate::Checker;

/// pdao: check public-data authorized-operation documents against the Guangdong measures.
#[derive(Debug, Parser)]
#[command(name = "pdao", version, about)]
pub struct Cli {
    /// Language of messages (default: the configuration's `lang`, else zh).
    #[arg(long, value_enum, global = true)]
    pub lang: Option<Lang>,
    /// Load the rule pack in DIR instead of the built-in one.
    #[arg(long, global = true, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Use this configuration file instead of the nearest pdao.toml.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore pdao.toml files.
    #[arg(long, global = true, conflicts_with = "config")]
    pub no_config: bool,
    /// Layer an extra rule pack (a 实施细则) on the base pack; repeatable, after the
    /// configuration's `packs`.
    #[arg(long = "pack", global = true, value_name = "DIR")]
    pub packs: Vec<PathBuf>,
    /// Judge deadlines as of this date (default: today, Beijing time).
    #[arg(long, global = true, value_name = "DATE", value_parser = parse_date_arg)]
    pub as_of: Option<jiff::civil::Date>,
    /// An extra year of the holiday calendar (a YAML file like rules/calendar/2026.yaml), e.g.
    /// when a new State Council notice is published. Repeatable.
    #[arg(long = "calendar", global = true, value_name = "FILE")]
    pub calendars: Vec<PathBuf>,
    /// Severity of a reference to a document not checked in the same run (default: info; a
    /// repository holding the whole set should use warning or error).
    #[arg(long, global = true, value_enum)]
    pub unresolved: Option<UnresolvedLevel>,
    /// The date the measure took effect (印发), for Art. 45's 2-year validity window; the draft's
    /// issuance date is unknown, so without it documents are not judged against the window.
    #[arg(long, global = true, value_name = "DATE", value_parser = parse_date_arg)]
    pub in_force_from: Option<jiff::civil::Date>,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check documents (files, directories walked recursively, or - for stdin).
    Check {
        /// Files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Reports, exit policy, exceptions and baseline.
        #[command(flatten)]
        options: check::CheckOptions,
    },
    /// Show an article's text and rules, or one rule (e.g. GD22-02, 22, 第二十二条).
    Explain {
        /// A rule id or an article.
        what: String,
    },
    /// List the rules of the pack.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// The article × rule × fixture matrix: how every article of the measure is covered.
    Coverage {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fixture directory to count cases from (default: tests/fixtures, when present).
        #[arg(long, value_name = "DIR")]
        fixtures: Option<PathBuf>,
    },
    /// Print a complete, commented template of a document kind.
    Init {
        /// The kind, e.g. operating-agreement.
        kind: String,
    },
    /// Print the JSON Schema of a document kind (for editors and YAML language servers).
    Schema {
        /// The kind, e.g. operating-agreement.
        kind: String,
    },
    /// When is it due? The N-th working day after FROM, or the last day of an N-year term
    /// starting on FROM.
    Deadline {
        /// The date counted from (2026-03-01 or 2026年3月1日).
        #[arg(value_parser = parse_date_arg)]
        from: jiff::civil::Date,
        /// Working days after FROM (FROM itself not counted).
        #[arg(long, conflicts_with = "years", required_unless_present = "years")]
        working_days: Option<u32>,
        /// Years of a term whose first day is FROM.
        #[arg(long)]
        years: Option<u32>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

/// Severity choices for `--unresolved`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum UnresolvedLevel {
    /// Fails the run.
    Error,
    /// Shown, does not fail.
    Warning,
    /// Shown as information.
    Info,
}

fn parse_date_arg(s: &str) -> Result<jiff::civil::Date, String> {
    crate::dates::parse_date(s)
        .ok_or_else(|| format!("`{s}` is not a date: write 2026-03-01 or 2026年3月1日"))
}

/// Parse arguments from the process and run.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let (code, mut out, err) = run(&cli, color_wanted());
    // `pdao check` guards each report by its format; the other commands print text from the
    // rule pack, which a repository may supply, and stderr quotes paths and documents.
    if !matches!(cli.command, Command::Check { .. }) {
        out = crate::visible::defuse_plain(&out).into_owned();
    }
    let err = crate::visible::defuse_plain(&err);
    let code = match write_stdout(&out) {
        Ok(()) => code,
        // The reader closed the pipe (`pdao check . | head`): it asked for no more, so no
        // message; but the report did not arrive whole, and that is never a success.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 2,
        Err(e) => {
            let lang = cli.lang.unwrap_or_default();
            let _ = std::io::stderr().write_all(output_failure(&e, lang).as_bytes());
            2
        }
    };
    // Nothing is left to report a failure on stderr to.
    let _ = std::io::stderr().write_all(err.as_bytes());
    ExitCode::from(code)
}

/// Write the report to standard output, all of it, and flush it: a full disk, a closed file
/// descriptor or a closed pipe is an error here, not at exit where it would go unnoticed.
fn write_stdout(out: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()
}

/// The message for a report that could not be written to standard output.
fn output_failure(e: &std::io::Error, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("pdao: 无法写入标准输出，报告不完整：{e}\n"),
        Lang::En => {
            format!("pdao: cannot write to standard output, the report is incomplete: {e}\n")
        }
    }
}

fn color_wanted() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Run a parsed command line: (exit code, stdout, stderr).
pub fn run(cli: &Cli, color: bool) -> (u8, String, String) {
    if let Command::Check { paths, options } = &cli.command {
        return check::run(cli, paths, options, color);
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let max_bytes = crate::document::Limits::default().max_file_bytes;
    let config = match check::config_for(cli, &cwd, &[], max_bytes) {
        Ok(config) => config,
        Err(errors) => {
            return (
                2,
                String::new(),
                render_errors(&errors, cli.lang.unwrap_or_default()),
            )
        }
    };
    let lang = cli.lang.or(config.lang).unwrap_or_default();
    let project = crate::config::project::Project::new(&config.root);
    let (checker, pack_errors) = match check::load_checker(cli, &config, &project, None, max_bytes)
    {
        Ok((checker, errors, _)) => (checker, errors),
        Err(e) => return (2, String::new(), render_errors(&[e], lang)),
    };
    match &cli.command {
        Command::Check { .. } => (2, String::new(), String::new()),
        Command::Explain { what } => {
            let err = render_errors(&pack_errors, lang);
            match explain(&checker, what, lang) {
                Some(text) => (if pack_errors.is_empty() { 0 } else { 2 }, text, err),
                None => (
                    2,
                    String::new(),
                    err + &match lang {
                        Lang::Zh => format!(
                            "pdao: 找不到规则或条文 `{what}`（如 GD22-02、22、第二十二条）\n"
                        ),
                        Lang::En => format!(
                            "pdao: no rule or article `{what}` (try GD22-02, 22, Art. 22)\n"
                        ),
                    },
                ),
            }
        }
        Command::Coverage { format, fixtures } => {
            let dir = fixtures
                .clone()
                .or_else(|| Some(PathBuf::from("tests/fixtures")).filter(|d| d.is_dir()));
            let counts = dir.as_deref().map(crate::coverage::count_fixtures);
            let matrix = crate::coverage::matrix(&checker.pack, counts.as_ref());
            let out = match format {
                Format::Json => serde_json::to_string_pretty(&matrix).unwrap_or_default() + "\n",
                Format::Human => coverage_table(&matrix, lang),
            };
            (
                if pack_errors.is_empty() { 0 } else { 2 },
                out,
                render_errors(&pack_errors, lang),
            )
        }
        Command::Init { kind } | Command::Schema { kind } => {
            let schema = crate::kind::Kind::from_name(kind)
                .and_then(|k| checker.schemas.get(k).map(|s| (k, s)));
            let Some((k, schema)) = schema else {
                let known: Vec<&str> = checker.schemas.kinds().map(|k| k.name()).collect();
                return (
                    2,
                    String::new(),
                    match lang {
                        Lang::Zh => format!(
                            "pdao: 未知的文书类型 `{kind}`；可用：{}\n",
                            known.join(", ")
                        ),
                        Lang::En => format!(
                            "pdao: unknown document kind `{kind}`; known: {}\n",
                            known.join(", ")
                        ),
                    },
                );
            };
            let out = if matches!(cli.command, Command::Init { .. }) {
                crate::template::template(k, schema)
            } else {
                serde_json::to_string_pretty(schema.json()).unwrap_or_default() + "\n"
            };
            (0, out, String::new())
        }
        Command::Deadline {
            from,
            working_days,
            years,
            format,
        } => {
            let errors = render_errors(&pack_errors, lang);
            match deadline(&checker, *from, *working_days, *years, *format, lang) {
                Ok(out) => (if pack_errors.is_empty() { 0 } else { 2 }, out, errors),
                Err(refusal) => (2, String::new(), errors + &refusal),
            }
        }
        Command::Rules { format } => {
            let out = match format {
                Format::Json => rules_json(&checker),
                Format::Human => rules_table(&checker, lang),
            };
            (
                if pack_errors.is_empty() { 0 } else { 2 },
                out,
                render_errors(&pack_errors, lang),
            )
        }
    }
}

fn render_errors(errors: &[InputError], lang: Lang) -> String {
    if errors.is_empty() {
        return String::new();
    }
    let run = crate::RunReport {
        errors: errors.to_vec(),
        ..crate::RunReport::default()
    };
    report::human::render_diagnostics(&run, lang, false)
}

/// The article number named by `what`: `22`, `第二十二条`, `Art. 22`, `GD22`.
fn article_number(what: &str) -> Option<u32> {
    let w = what.trim();
    let w = w
        .strip_prefix("Art.")
        .or_else(|| w.strip_prefix("art."))
        .or_else(|| w.strip_prefix("GD"))
        .or_else(|| w.strip_prefix("gd"))
        .unwrap_or(w)
        .trim();
    if let Ok(n) = w.parse() {
        return Some(n);
    }
    let inner = w.strip_prefix('第')?.strip_suffix('条')?;
    parse_chinese_number(inner)
}

fn rule_block(checker: &Checker, rule: &Rule, lang: Lang) -> String {
    let m = &checker.pack.measure;
    let kinds: Vec<&str> = rule.kinds.iter().map(|k| k.name()).collect();
    let mut out = match lang {
        Lang::Zh => format!(
            "{}  [{}]  {}\n  依据：{} “{}”\n  情态：{}  适用：{}\n  问题：{}\n  修改：{}\n",
            rule.id,
            Pack::listed_severity(rule).name_zh(),
            rule.citation.zh(m),
            rule.citation.zh(m),
            rule.quote,
            rule.modality.word(),
            kinds.join(", "),
            rule.message.zh,
            rule.help.zh
        ),
        Lang::En => format!(
            "{}  [{}]  {}\n  Under: {} “{}”\n  Modality: {}  Applies to: {}\n  Problem: {}\n  Fix: {}\n",
            rule.id,
            Pack::listed_severity(rule).name(),
            rule.citation.en(m),
            rule.citation.en(m),
            rule.quote,
            rule.modality.word(),
            kinds.join(", "),
            rule.message.en,
            rule.help.en
        ),
    };
    if let Some(r) = &rule.rationale {
        let label = if lang == Lang::Zh {
            "理由"
        } else {
            "Rationale"
        };
        out.push_str(&format!("  {label}：{}\n", r.trim()));
    }
    out
}

fn explain(checker: &Checker, what: &str, lang: Lang) -> Option<String> {
    let pack = &checker.pack;
    if let Some(rule) = pack.rule(what.trim()) {
        let article = pack.measure.article(rule.citation.article)?;
        return Some(format!(
            "第{}条【{}】\n{}\n{}",
            chinese_number(article.number),
            article.title,
            article.full_text(),
            rule_block(checker, rule, lang)
        ));
    }
    let n = article_number(what)?;
    let article = pack.measure.article(n)?;
    let mut out = format!(
        "第{}条【{}】（第{}章 {}）\n{}\n",
        chinese_number(article.number),
        article.title,
        chinese_number(article.chapter),
        article.chapter_title,
        article.full_text()
    );
    let rules: Vec<_> = pack
        .rules
        .iter()
        .filter(|r| r.citation.article == n)
        .collect();
    if rules.is_empty() {
        out.push_str(match lang {
            Lang::Zh => "本规则包尚无此条的规则。\n",
            Lang::En => "This rule pack has no rules for this article yet.\n",
        });
    }
    for rule in rules {
        out.push('\n');
        out.push_str(&rule_block(checker, rule, lang));
    }
    Some(out)
}

fn rules_json(checker: &Checker) -> String {
    let m = &checker.pack.measure;
    let rules: Vec<serde_json::Value> = checker
        .pack
        .rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "citation": r.citation,
                "citation_zh": r.citation.zh(m),
                "citation_en": r.citation.en(m),
                "quote": r.quote,
                "modality": r.modality.word(),
                "severity": Pack::listed_severity(r).name(),
                "kinds": r.kinds,
                "message": r.message,
                "help": r.help,
                "rationale": r.rationale,
                "file": r.file,
            })
        })
        .collect();
    serde_json::to_string_pretty(&rules).unwrap_or_else(|_| "[]".into()) + "\n"
}

/// `pdao deadline`: the answer, or why there is none (a count far past the holiday calendar,
/// or a date past the last one there is).
fn deadline(
    checker: &Checker,
    from: jiff::civil::Date,
    working_days: Option<u32>,
    years: Option<u32>,
    format: Format,
    lang: Lang,
) -> Result<String, String> {
    let calendar = &checker.pack.calendar;
    let (date, skipped, covered, explain) = match (working_days, years) {
        (Some(n), _) => {
            let limit = calendar.counting_limit(from);
            let Some(d) = calendar.add_working_days_within(from, n, limit) else {
                let last = calendar
                    .last_year()
                    .map_or_else(|| "—".to_string(), |y| y.to_string());
                return Err(match lang {
                    Lang::Zh => format!(
                        "pdao: 无法计算 {from} 之后第 {n} 个工作日：它将晚于 {limit}。节假日日历收录至 {last} 年，工作日最多推算到其后 {} 年\n",
                        crate::calendar::YEARS_PAST_CALENDAR
                    ),
                    Lang::En => format!(
                        "pdao: cannot count {n} working days after {from}: the deadline would fall after {limit}. The holiday calendar ends with {last}, and working days are counted at most {} years past it\n",
                        crate::calendar::YEARS_PAST_CALENDAR
                    ),
                });
            };
            let skipped: Vec<serde_json::Value> = d
                .skipped
                .iter()
                .map(|(name, a, b)| json!({"holiday": name, "from": a.to_string(), "to": b.to_string()}))
                .collect();
            (d.date, skipped, d.uncovered.is_empty(), d.explain())
        }
        (None, Some(n)) => {
            let Some(last) = crate::dates::term_last_day(from, n) else {
                return Err(match lang {
                    Lang::Zh => format!(
                        "pdao: 无法计算首日为 {from} 的 {n} 年期限：其最后一日晚于可表示的最后日期 {}\n",
                        jiff::civil::Date::MAX
                    ),
                    Lang::En => format!(
                        "pdao: cannot compute a {n}-year term whose first day is {from}: it ends after {}, the last date there is\n",
                        jiff::civil::Date::MAX
                    ),
                });
            };
            let explain = crate::text::Text::new(
                format!("{last}（首日为 {from} 的 {n} 年期限的最后一日：自其前一日起算 {n} 年，到期月的对应日为最后一日，没有对应日的取月末日；《民法典》第二百零一条、第二百零二条）"),
                format!("{last} (the last day of a {n}-year term whose first day is {from}; Civil Code arts. 201-202)"),
            );
            (last, Vec::new(), true, explain)
        }
        (None, None) => return Ok(String::new()),
    };
    Ok(match format {
        Format::Json => {
            serde_json::to_string_pretty(&json!({
                "from": from.to_string(),
                "deadline": date.to_string(),
                "skipped": skipped,
                "calendar_covered": covered,
                "explanation": explain.get(lang),
            }))
            .unwrap_or_default()
                + "\n"
        }
        Format::Human => {
            let mut out = format!("{}\n", explain.get(lang));
            if !covered {
                out.push_str(match lang {
                    Lang::Zh => "警告：计算跨越了未收录节假日安排的年份，按周一至周五计算；国务院公布当年安排后，用 --calendar 文件补上再算。\n",
                    Lang::En => "warning: the count crosses a year without a holiday notice and was done Monday to Friday; add the year with --calendar once the State Council publishes it.\n",
                });
            }
            out
        }
    })
}

fn coverage_table(matrix: &[crate::coverage::ArticleCoverage], lang: Lang) -> String {
    let mut out = String::new();
    let (mut checked, mut review, mut not_checkable, mut missing) = (0, 0, 0, 0);
    for a in matrix {
        match a.status.as_str() {
            "checked" => checked += 1,
            "review" => review += 1,
            "not-checkable" => not_checkable += 1,
            _ => missing += 1,
        }
        let fixtures: (usize, usize) = a
            .rules
            .iter()
            .filter_map(|r| r.fixtures)
            .fold((0, 0), |acc, f| (acc.0 + f.fail, acc.1 + f.pass));
        let label = format!("第{}条【{}】", chinese_number(a.article), a.title);
        let detail = if a.rules.is_empty() {
            a.reason.clone().unwrap_or_default()
        } else {
            let ids: Vec<&str> = a.rules.iter().map(|r| r.id.as_str()).collect();
            let shown = if ids.len() > 6 {
                format!(
                    "{} … {}",
                    ids.iter().take(3).copied().collect::<Vec<_>>().join(" "),
                    ids.iter()
                        .skip(ids.len() - 2)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            } else {
                ids.join(" ")
            };
            match lang {
                Lang::Zh => format!(
                    "{} 条规则，用例 {}✗/{}✓：{}",
                    a.rules.len(),
                    fixtures.0,
                    fixtures.1,
                    shown
                ),
                Lang::En => format!(
                    "{} rules, cases {}✗/{}✓: {}",
                    a.rules.len(),
                    fixtures.0,
                    fixtures.1,
                    shown
                ),
            }
        };
        out.push_str(&format!(
            "{}{}{}\n",
            pad(&label, 30),
            pad(&a.status, 14),
            detail
        ));
    }
    out.push_str(&match lang {
        Lang::Zh => format!(
            "共 {} 条：{} 条已检查，{} 条仅审核项，{} 条不可机器检查{}\n",
            matrix.len(),
            checked,
            review,
            not_checkable,
            if missing > 0 {
                format!("，{missing} 条缺少规则文件")
            } else {
                String::new()
            }
        ),
        Lang::En => format!(
            "{} articles: {} checked, {} review only, {} not machine-checkable{}\n",
            matrix.len(),
            checked,
            review,
            not_checkable,
            if missing > 0 {
                format!(", {missing} without a rule file")
            } else {
                String::new()
            }
        ),
    });
    out
}

/// `text` followed by spaces up to `width` display columns (CJK characters count two).
fn pad(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{} ", " ".repeat(width.saturating_sub(used)))
}

fn rules_table(checker: &Checker, lang: Lang) -> String {
    let m = &checker.pack.measure;
    let mut out = String::new();
    for r in &checker.pack.rules {
        let citation = match lang {
            Lang::Zh => r.citation.zh(m),
            Lang::En => r.citation.en(m),
        };
        let severity = match lang {
            Lang::Zh => Pack::listed_severity(r).name_zh(),
            Lang::En => Pack::listed_severity(r).name(),
        };
        out.push_str(&format!(
            "{}{}{}{}\n",
            pad(&r.id, 10),
            pad(severity, 8),
            pad(&citation, 32),
            r.message.get(lang)
        ));
    }
    out.push_str(&match lang {
        Lang::Zh => format!(
            "共 {} 条规则（{}，{}）\n",
            checker.pack.rules.len(),
            checker.pack.info.title,
            checker.pack.info.status
        ),
        Lang::En => format!(
            "{} rules ({}, {})\n",
            checker.pack.rules.len(),
            checker.pack.info.title,
            checker.pack.info.status
        ),
    });
    out
}
