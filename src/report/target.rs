//! `--format FORMAT[=FILE]`: which reports `pdao check` writes, and where.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// A report format of `pdao check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportFormat {
    /// miette graphical report, for people at a terminal.
    Human,
    /// One JSON object: summary, findings, suppressed findings, exceptions, errors.
    Json,
    /// SARIF 2.1.0, for code-scanning tools (GitHub code scanning, IDEs).
    Sarif,
    /// JUnit XML: one test case per rule × document, for CI test reports.
    Junit,
    /// GitLab Code Quality JSON, for merge-request widgets.
    Gitlab,
    /// GitHub Actions workflow commands: annotations on the changed lines.
    Github,
    /// A self-contained HTML report for reviewers, printable to A4.
    Html,
}

impl ReportFormat {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [ReportFormat; 7] = [
        ReportFormat::Human,
        ReportFormat::Json,
        ReportFormat::Sarif,
        ReportFormat::Junit,
        ReportFormat::Gitlab,
        ReportFormat::Github,
        ReportFormat::Html,
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ReportFormat::Human => "human",
            ReportFormat::Json => "json",
            ReportFormat::Sarif => "sarif",
            ReportFormat::Junit => "junit",
            ReportFormat::Gitlab => "gitlab",
            ReportFormat::Github => "github",
            ReportFormat::Html => "html",
        }
    }
}

/// One requested report: a format, written to a file or (without one) to standard output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatTarget {
    /// The format.
    pub format: ReportFormat,
    /// The file to write, or `None` for standard output.
    pub path: Option<PathBuf>,
}

impl FromStr for FormatTarget {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (name, path) = match s.split_once('=') {
            Some((n, p)) if p.trim().is_empty() => {
                return Err(format!("`{n}=` needs a file name after `=`"))
            }
            Some((n, p)) => (n, Some(PathBuf::from(p))),
            None => (s, None),
        };
        let format = ReportFormat::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| {
                format!(
                    "unknown format `{name}` (known: {})",
                    ReportFormat::ALL.map(ReportFormat::name).join(", ")
                )
            })?;
        Ok(FormatTarget { format, path })
    }
}

impl fmt::Display for FormatTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "{}={}", self.format.name(), p.display()),
            None => f.write_str(self.format.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_and_file_targets_parse() {
        let t: FormatTarget = "sarif=out/pdao.sarif".parse().expect("parses");
        assert_eq!(t.format, ReportFormat::Sarif);
        assert_eq!(t.path, Some(PathBuf::from("out/pdao.sarif")));
        assert_eq!("HTML".parse::<FormatTarget>().map(|t| t.path), Ok(None));
        assert!("xml".parse::<FormatTarget>().is_err());
        assert!("json=".parse::<FormatTarget>().is_err());
    }
}
