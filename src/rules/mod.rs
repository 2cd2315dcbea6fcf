//! The rule pack: articles transcribed as rules, loaded from YAML and checked against the
//! measure's text and the document schemas.

pub mod check;
pub mod compiled;
pub mod layer;
mod load;
pub mod raw;

use std::collections::BTreeMap;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use check::{Check, DateRelation, Path};
pub use load::{load_pack, rule_file_schema, PackFiles};
pub use raw::ArticleStatus;

use crate::citation::Citation;
use crate::kind::Kind;
use crate::measure::Measure;
use crate::severity::Severity;
use crate::text::Text;

/// The word of the text that fixes a duty's force (PRODUCT.md, transcription principle 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Modality {
    /// 应当: shall.
    #[serde(rename = "应当")]
    Shall,
    /// 应: read as 应当.
    #[serde(rename = "应")]
    Should,
    /// 不得: shall not.
    #[serde(rename = "不得")]
    ShallNot,
    /// 必须: must.
    #[serde(rename = "必须")]
    Must,
    /// 可以 granting a permission on conditions: the conditions bind.
    #[serde(rename = "可以")]
    MayOnConditions,
    /// 原则上: binding unless an exception is recorded with reason and approver.
    #[serde(rename = "原则上")]
    InPrinciple,
    /// 适用: a scope provision (Art. 2); a document outside it cannot be assessed under the measure.
    #[serde(rename = "适用")]
    Applies,
    /// 实行: a declarative prescription (Art. 7 “实行统一实施、依场景授权”).
    #[serde(rename = "实行")]
    Prescribes,
    /// 施行: when the measure is in force (Art. 45); a document dated outside is a warning.
    #[serde(rename = "施行")]
    InForce,
    /// 有权: a power on conditions (Art. 39 “运营机构发生以下情形,实施机构有权终止”): never a duty,
    /// but exercising it needs one of its conditions.
    #[serde(rename = "有权")]
    PowerOnConditions,
    /// 参照: applied by reference (Art. 43 para. 1 “参照本办法执行”): the measure guides, a reviewer
    /// confirms how.
    #[serde(rename = "参照")]
    ByReference,
    /// 从其规定: another rule prevails (Art. 43 para. 3): a reviewer confirms which.
    #[serde(rename = "从其规定")]
    Defers,
    /// A declarative provision without a modal word that states who does what (陈述式规范: Art. 11
    /// para. 3 “县级以上数据主管部门……进行汇总,形成本级公共数据资源授权运营目录”, Art. 24 para. 2
    /// “实施机构通过省一体化…平台授权运营机构使用相关数据资源”): it states the one way an act is done,
    /// so an act done otherwise, or by another body, is an error. Only where neither the quote nor
    /// its paragraph has a modal word.
    #[serde(rename = "陈述")]
    Declares,
    /// 是指: a definition (Art. 4); a thing outside it is not what the document calls it.
    #[serde(rename = "是指")]
    Defines,
    /// 鼓励.
    #[serde(rename = "鼓励")]
    Encourage,
    /// 支持.
    #[serde(rename = "支持")]
    Support,
    /// 倡导.
    #[serde(rename = "倡导")]
    Advocate,
}

impl Modality {
    /// The word as it stands in the text.
    pub fn word(self) -> &'static str {
        match self {
            Modality::Shall => "应当",
            Modality::Should => "应",
            Modality::ShallNot => "不得",
            Modality::Must => "必须",
            Modality::MayOnConditions => "可以",
            Modality::InPrinciple => "原则上",
            Modality::Applies => "适用",
            Modality::Defines => "是指",
            Modality::Declares => "陈述",
            Modality::ByReference => "参照",
            Modality::Defers => "从其规定",
            Modality::PowerOnConditions => "有权",
            Modality::Prescribes => "实行",
            Modality::InForce => "施行",
            Modality::Encourage => "鼓励",
            Modality::Support => "支持",
            Modality::Advocate => "倡导",
        }
    }

    /// Every modality but [`Modality::Declares`], which has no word in the text.
    pub const WORDED: [Modality; 16] = [
        Modality::Shall,
        Modality::Should,
        Modality::ShallNot,
        Modality::Must,
        Modality::MayOnConditions,
        Modality::InPrinciple,
        Modality::Applies,
        Modality::Prescribes,
        Modality::InForce,
        Modality::PowerOnConditions,
        Modality::ByReference,
        Modality::Defers,
        Modality::Defines,
        Modality::Encourage,
        Modality::Support,
        Modality::Advocate,
    ];

    /// Whether the modality fits a rule quoting `quote` from the provision `scope` (both folded):
    /// a modal word stands in the quote or the provision; 陈述 fits a provision in which no modal
    /// word stands at all.
    pub fn fits(self, quote: &str, scope: &str) -> bool {
        match self {
            Modality::Declares => !Modality::WORDED
                .iter()
                .any(|m| m.stands_in(scope) || m.stands_in(quote)),
            m => m.stands_in(quote) || m.stands_in(scope),
        }
    }

    /// Whether the word stands in `text` as a modal word: 应 inside 应用, 应急, 相应 … does not count.
    /// [`Modality::Declares`] “stands” in a text that has no modal word at all.
    pub fn stands_in(self, text: &str) -> bool {
        if self == Modality::Declares {
            return !Modality::WORDED.iter().any(|m| m.stands_in(text));
        }
        const NOT_MODAL: [&str; 8] = [
            "应用", "应急", "相应", "对应", "响应", "适应", "供应", "应对",
        ];
        let word = self.word();
        if self != Modality::Should {
            return text.contains(word);
        }
        text.char_indices().any(|(i, c)| {
            c == '应'
                && !NOT_MODAL.iter().any(|w| {
                    text.get(i..).is_some_and(|rest| rest.starts_with(w))
                        || text
                            .get(..i + c.len_utf8())
                            .is_some_and(|head| head.ends_with(w))
                })
        })
    }

    /// The severity the word carries.
    pub fn severity(self) -> Severity {
        match self {
            Modality::Encourage
            | Modality::Support
            | Modality::Advocate
            | Modality::ByReference
            | Modality::Defers => Severity::Info,
            Modality::InForce => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

/// One checked rule.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rule {
    /// Stable id, e.g. `GD22-02`.
    pub id: String,
    /// The provision it implements.
    pub citation: Citation,
    /// The provision's words.
    pub quote: String,
    /// The word fixing its force.
    pub modality: Modality,
    /// Derived from the modality.
    pub severity: Severity,
    /// Kinds it applies to.
    pub kinds: Vec<Kind>,
    /// For 原则上 rules: where a document records its exception.
    pub exception: Option<Path>,
    /// What is wrong.
    pub message: Text,
    /// How to fix it.
    pub help: Text,
    /// Why the text is read this way.
    pub rationale: Option<String>,
    /// The measure's scope rule: a document it fails with an error is outside the measure, and
    /// no other rule applies to it (see [`crate::eval::scope`]).
    pub scope: bool,
    /// What the rule does: a check, or a review item.
    pub body: RuleBody,
    /// The rule file it came from.
    pub file: String,
}

/// What a rule does.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum RuleBody {
    /// A machine check.
    Check(Check),
    /// A review item: one `review` finding per document (where `when` holds), listing what a
    /// reviewer must confirm.
    Review {
        /// Points to confirm.
        confirm: Vec<Text>,
        /// Condition, if any.
        when: Option<Check>,
        /// The field the item is about.
        at: Path,
    },
}

/// What the pack says about itself (`pack.yaml`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PackInfo {
    /// Short name.
    pub name: String,
    /// The measure's title.
    pub title: String,
    /// 征求意见稿, 正式稿, …
    pub status: String,
    /// Publication date.
    pub published: String,
    /// Issuance date, when known.
    pub issued: Option<String>,
    /// Art. 45 validity in years.
    pub validity_years: Option<u32>,
}

/// An article as the pack records it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArticleEntry {
    /// 条.
    pub number: u32,
    /// Heading.
    pub title: String,
    /// The rule file.
    pub file: String,
    /// How the article is covered.
    pub status: ArticleStatus,
    /// Why it is not machine-checkable, when it is not.
    pub reason: Option<String>,
}

/// A loaded rule pack.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pack {
    /// Manifest.
    pub info: PackInfo,
    /// The measure's text, split.
    pub measure: Measure,
    /// Articles that have a rule file.
    pub articles: BTreeMap<u32, ArticleEntry>,
    /// All rules, in article and file order.
    pub rules: Vec<Arc<Rule>>,
    /// 工作日 calendar (`calendar/YYYY.yaml`).
    pub calendar: crate::calendar::WorkingDayCalendar,
    /// 行政区划 (`regions/*.yaml`): where a document's region lies (Art. 2).
    pub regions: crate::region::Divisions,
}

impl Pack {
    /// The rule with `id`.
    pub fn rule(&self, id: &str) -> Option<&Arc<Rule>> {
        self.rules.iter().find(|r| r.id.eq_ignore_ascii_case(id))
    }

    /// The severity a listing shows: a rule whose check can only ever warn (non-exhaustive
    /// lists only) is listed as a warning, not by its modality.
    pub fn listed_severity(rule: &Rule) -> Severity {
        fn only_warns(check: &Check) -> bool {
            match check {
                Check::Enum {
                    exhaustive: false,
                    forbidden,
                    ..
                } => forbidden.is_empty(),
                Check::Warn(_) => true,
                Check::Each { check, .. } | Check::Some { check, .. } => only_warns(check),
                Check::When { then, .. } => only_warns(then),
                Check::All(cs) => !cs.is_empty() && cs.iter().all(only_warns),
                _ => false,
            }
        }
        match &rule.body {
            RuleBody::Check(check) if rule.severity == Severity::Error && only_warns(check) => {
                Severity::Warning
            }
            _ => rule.severity,
        }
    }

    /// Rules that apply to `kind`.
    pub fn rules_for(&self, kind: Kind) -> impl Iterator<Item = &Arc<Rule>> {
        self.rules.iter().filter(move |r| r.kinds.contains(&kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declaring_fits_only_a_provision_without_a_modal_word() {
        let para = "对于通过评估的用数申请,实施机构通过省一体化公共数据资源授权运营平台授权运营机构使用相关数据资源。";
        assert!(Modality::Declares.fits("实施机构通过省一体化公共数据资源授权运营平台授权", para));
        assert!(!Modality::Declares.fits(
            "鼓励其他经营主体",
            "鼓励其他经营主体对运营机构交付的公共数据产品和服务再开发"
        ));
        assert!(!Modality::Shall.fits("授权", para));
    }

    #[test]
    fn ying_counts_only_as_a_modal_word() {
        assert!(Modality::Should.stands_in("对不同意纳入的,应说明理由"));
        assert!(!Modality::Should.stands_in("按应用场景授权"));
        assert!(!Modality::Should.stands_in("应急处置措施"));
        assert!(!Modality::Should.stands_in("相应的"));
        assert!(Modality::Shall.stands_in("应当包括"));
    }
}
