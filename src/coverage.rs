//! The article × rule × fixture matrix: how each article of the measure is covered.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::citation::Citation;
use crate::document::{yaml, Limits};
use crate::rules::{ArticleStatus, Pack};
use crate::source::SourceFile;

/// Fixture cases for one rule.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct FixtureCount {
    /// Cases expected to make the rule report.
    pub fail: usize,
    /// Cases expected to pass it.
    pub pass: usize,
}

/// One rule in the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct CoveredRule {
    /// Id.
    pub id: String,
    /// Citation.
    pub citation: Citation,
    /// Quote.
    pub quote: String,
    /// `check` or `review`.
    pub kind: &'static str,
    /// Fixture cases, when a fixture directory was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixtures: Option<FixtureCount>,
}

/// One article in the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleCoverage {
    /// 条.
    pub article: u32,
    /// Heading.
    pub title: String,
    /// `checked`, `review`, `not-checkable`, or `missing` (no rule file in this pack).
    pub status: String,
    /// Why, for `not-checkable` and `missing`.
    pub reason: Option<String>,
    /// Its rules.
    pub rules: Vec<CoveredRule>,
}

/// Count fixture cases per rule in `dir` (`<kind>/<RULE>.yaml` files with `rule` and `cases`).
pub fn count_fixtures(dir: &Path) -> BTreeMap<String, FixtureCount> {
    let mut counts: BTreeMap<String, FixtureCount> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let Ok(root) = yaml::parse(
            &SourceFile::new(path.display().to_string(), text),
            Limits::default(),
        ) else {
            continue;
        };
        let json = root.to_json();
        let Some(rule) = json.get("rule").and_then(|r| r.as_str()) else {
            continue;
        };
        let count = counts.entry(rule.to_string()).or_default();
        for case in json
            .get("cases")
            .and_then(|c| c.as_array())
            .into_iter()
            .flatten()
        {
            if case.get("expect").and_then(|e| e.as_str()) == Some("pass") {
                count.pass += 1;
            } else {
                count.fail += 1;
            }
        }
    }
    counts
}

/// The matrix: every article of the measure exactly once, in order.
pub fn matrix(
    pack: &Pack,
    fixtures: Option<&BTreeMap<String, FixtureCount>>,
) -> Vec<ArticleCoverage> {
    pack.measure
        .articles
        .iter()
        .map(|article| {
            let entry = pack.articles.get(&article.number);
            let rules = pack
                .rules
                .iter()
                .filter(|r| r.citation.article == article.number)
                .map(|r| CoveredRule {
                    id: r.id.clone(),
                    citation: r.citation,
                    quote: r.quote.clone(),
                    kind: match r.body {
                        crate::rules::RuleBody::Check(_) => "check",
                        crate::rules::RuleBody::Review { .. } => "review",
                    },
                    fixtures: fixtures.map(|f| f.get(&r.id).copied().unwrap_or_default()),
                })
                .collect();
            let (status, reason) = match entry {
                Some(e) => (
                    match e.status {
                        ArticleStatus::Checked => "checked",
                        ArticleStatus::Review => "review",
                        ArticleStatus::NotCheckable => "not-checkable",
                    }
                    .to_string(),
                    e.reason.clone(),
                ),
                None => (
                    "missing".to_string(),
                    Some(
                        "本规则包没有此条的规则文件 / no rule file for this article in the pack"
                            .into(),
                    ),
                ),
            };
            ArticleCoverage {
                article: article.number,
                title: article.title.clone(),
                status,
                reason,
                rules,
            }
        })
        .collect()
}
