//! Rule files as written: serde types, validated by the generated JSON Schema
//! (`schemas/rule-file.schema.json`), then checked into [`super::Rule`]s.

use schemars::JsonSchema;
use serde::Deserialize;

use super::Modality;
use crate::citation::Citation;
use crate::kind::Kind;
use crate::text::Text;

/// One article's rule file (`rules/articles/NNN.yaml`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "pdao rule file",
    description = "One article of the measure: its rules."
)]
pub struct RawArticleFile {
    /// 条: the article's number.
    pub article: u32,
    /// The article's 【…】 heading, verbatim.
    pub title: String,
    /// 章: the chapter's number.
    pub chapter: u32,
    /// How the article is covered; derived from its rules when absent.
    #[serde(default)]
    pub status: Option<ArticleStatus>,
    /// Why the article is not machine-checkable (one line; required with `not-checkable`).
    #[serde(default)]
    pub reason: Option<String>,
    /// The article's glossary: other words documents use for the terms its `enum` checks name.
    #[serde(default)]
    pub terms: Vec<RawGlossaryTerm>,
    /// The rules transcribing the article.
    #[serde(default)]
    pub rules: Vec<RawRule>,
}

/// A term of the article's rules and the other words that name it (see `src/terms.rs`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawGlossaryTerm {
    /// The term as the rules write it: a value or forbidden value of an `enum` in this file.
    #[schemars(length(min = 1))]
    pub term: String,
    /// Other words that name the same thing.
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// The term (or a synonym) also names every value it ends (Chinese compounds are
    /// head-final: `有限责任公司分公司` is a 分公司).
    #[serde(default)]
    pub head: bool,
    /// Why these words name the same thing (for reviewers and lawyers).
    #[schemars(length(min = 2))]
    pub basis: String,
}

/// One rule as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    /// Stable id, e.g. `GD22-02`.
    #[schemars(regex(pattern = r"^GD[0-9]{2}-(P[0-9]+(-[0-9]{2})?|[0-9]{2})[a-z]?$"))]
    pub id: String,
    /// The provision the rule implements.
    pub citation: Citation,
    /// The provision's words, verbatim from the measure.
    #[schemars(length(min = 2))]
    pub quote: String,
    /// The word of the text the severity follows.
    pub modality: Modality,
    /// Document kinds the rule applies to.
    #[schemars(length(min = 1))]
    pub kinds: Vec<Kind>,
    /// For 原则上 rules: the path of the document's exception record.
    #[serde(default)]
    pub exception: Option<String>,
    /// What is wrong.
    pub message: Text,
    /// How to fix it.
    pub help: Text,
    /// Why the text is read this way (for reviewers and lawyers).
    #[serde(default)]
    pub rationale: Option<String>,
    /// The measure's scope rule (a 适用 check, Art. 2): a document it fails with an error lies
    /// outside the measure, and no other rule of the pack is applied to it.
    #[serde(default)]
    pub scope: bool,
    /// The check (exactly one of `check` and `review`).
    #[serde(default)]
    pub check: Option<RawCheck>,
    /// For provisions that need human judgement: what a reviewer must confirm.
    #[serde(default)]
    pub review: Option<RawReview>,
}

/// How an article is covered by the pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ArticleStatus {
    /// Documents are checked against it.
    Checked,
    /// Only human review items: a reviewer must confirm what the text asks.
    Review,
    /// Nothing in a document can violate it (e.g. it addresses government culture).
    NotCheckable,
}

/// A review item: what a reviewer must confirm, where a machine cannot judge.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawReview {
    /// The points to confirm, each in both languages.
    #[schemars(length(min = 1))]
    pub confirm: Vec<Text>,
    /// Only where this check holds (optional).
    #[serde(default)]
    pub when: Option<RawCheck>,
    /// The field the item is about (shown as its location); the document root when absent.
    #[serde(default)]
    pub at: Option<String>,
}

/// A check: a primitive, or a `when`/`then` condition.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawCheck {
    /// `{ when: C1, then: C2 }`: C2 must hold where C1 holds.
    Conditional(RawConditional),
    /// One primitive.
    Primitive(Box<RawPrimitive>),
}

/// `{ when: C1, then: C2 }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawConditional {
    /// The condition.
    pub when: Box<RawCheck>,
    /// What must hold where the condition holds.
    pub then: Box<RawCheck>,
}

/// The closed set of primitives.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum RawPrimitive {
    /// The field is present and non-empty.
    Required(String),
    /// The value has a type.
    Type(RawType),
    /// The value is one of a list.
    Enum(RawEnum),
    /// The string matches a regular expression.
    Pattern(RawPattern),
    /// The number lies within bounds.
    Range(RawRange),
    /// The string's or list's length lies within bounds.
    Length(RawLength),
    /// A date compared with another date.
    Date(RawDate),
    /// A term of at most N years (《民法典》第二百零一条、第二百零二条).
    Term(RawTerm),
    /// A period in calendar days, both ends counted (e.g. 公示期不少于 5 日).
    Period(RawPeriod),
    /// An act due within N working days (工作日) or N calendar days after a date.
    Deadline(RawDeadline),
    /// An act about year Y due by a day of year Y+1 (每年 3 月底前报送上一年度报告).
    YearlyDeadline(RawYearlyDeadline),
    /// Every value of one source is among the values of another (across documents through
    /// references).
    Subset(RawSubset),
    /// No value of one source is among the values of another.
    Disjoint(RawSubset),
    /// Two sources hold the same values.
    Equal(RawEqual),
    /// A date range lies within another.
    Within(RawWithin),
    /// A list of references names every document of a kind active in a year.
    Covers(RawCovers),
    /// A document dated within the measure's validity (Art. 45): from issuance, N years.
    InForce(RawInForce),
    /// A region (name or GB/T 2260 code) read against the pack's 行政区划 (`regions/`).
    Region(RawRegion),
    /// A stated level (省级, 地级以上市, 县级) that fits the region's place in the hierarchy.
    RegionLevel(RawRegionLevel),
    /// An organ named in the document: a data authority (数据主管部门), of the document's level.
    Body(RawBody),
    /// For a document dated before the measure took effect (Art. 42 para. 2): an act due within
    /// N years of the measure's issuance.
    Transition(RawTransition),
    /// An organisation named at the level of government another name or region is at (同级,
    /// 本级), or at a given level (省); names that do not say where they belong pass.
    Level(RawLevel),
    /// A name that must not name the organisation written elsewhere (e.g. an evaluator that is
    /// the operator itself).
    Distinct(RawDistinct),
    /// The check's failures are warnings asking for justification: a deviation the text does not
    /// forbid outright (e.g. an agreement beyond the approved plan, Art. 19 para. 1).
    Warn(Box<RawCheck>),
    /// A check on every item of a list.
    Each(RawScoped),
    /// A check on at least one item of a list.
    Some(RawScoped),
    /// Every check holds.
    All(Vec<RawCheck>),
    /// At least one check holds.
    Any(Vec<RawCheck>),
    /// The check does not hold.
    Not(Box<RawCheck>),
}

/// Value types `type` can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ValueType {
    /// Text.
    String,
    /// Any number.
    Number,
    /// A whole number.
    Integer,
    /// true / false.
    Boolean,
    /// A list.
    List,
    /// A mapping.
    Mapping,
    /// A calendar date, `2026-03-01` or `2026年3月1日`.
    Date,
    /// A 统一社会信用代码: 18 characters, check digit per GB 32100-2015.
    CreditCode,
}

/// `type: { path, is }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawType {
    /// Field path.
    pub path: String,
    /// Expected type.
    pub is: ValueType,
}

/// `enum: { path, values, exhaustive, forbidden }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEnum {
    /// Field path (a scalar, or a list whose items are checked).
    pub path: String,
    /// Allowed values.
    pub values: Vec<serde_json::Value>,
    /// `false` for a list ending in 等: other values are warnings, not errors.
    pub exhaustive: bool,
    /// Values that are always wrong (errors), even in a non-exhaustive list.
    #[serde(default)]
    pub forbidden: Vec<serde_json::Value>,
}

/// `pattern: { path, regex }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPattern {
    /// Field path.
    pub path: String,
    /// Rust `regex` syntax.
    pub regex: String,
}

/// `range: { path, min, max }` (inclusive).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRange {
    /// Field path.
    pub path: String,
    /// Lowest allowed value.
    #[serde(default)]
    pub min: Option<f64>,
    /// Highest allowed value.
    #[serde(default)]
    pub max: Option<f64>,
}

/// `length: { path, min, max }` (inclusive).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLength {
    /// Field path.
    pub path: String,
    /// Fewest characters or items.
    #[serde(default)]
    pub min: Option<usize>,
    /// Most characters or items.
    #[serde(default)]
    pub max: Option<usize>,
}

/// `date: { path, <relation>: other_path }`: exactly one relation.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDate {
    /// Field path of the date checked.
    pub path: String,
    /// The date must be before this one.
    #[serde(default)]
    pub before: Option<String>,
    /// The date must be on or before this one.
    #[serde(default)]
    pub on_or_before: Option<String>,
    /// The date must be after this one.
    #[serde(default)]
    pub after: Option<String>,
    /// The date must be on or after this one.
    #[serde(default)]
    pub on_or_after: Option<String>,
}

/// `term: { start, end, max_years }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTerm {
    /// Path of the first day.
    pub start: String,
    /// Path of the last day.
    pub end: String,
    /// Longest term in years.
    #[schemars(range(min = 1))]
    pub max_years: u32,
}

/// `period: { start, end, min_days, max_days }`: calendar days from start to end, both ends
/// counted.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPeriod {
    /// Path of the first day.
    pub start: String,
    /// Path of the last day.
    pub end: String,
    /// Fewest days.
    #[serde(default)]
    pub min_days: Option<u32>,
    /// Most days.
    #[serde(default)]
    pub max_days: Option<u32>,
}

/// `deadline: { from, act, working_days | days }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDeadline {
    /// Path of the date the count starts after (not itself counted).
    pub from: String,
    /// Path of the date the act was done; absent means not yet recorded.
    pub act: String,
    /// Working days allowed (State Council calendar).
    #[serde(default)]
    pub working_days: Option<u32>,
    /// Calendar days allowed.
    #[serde(default)]
    pub days: Option<u32>,
}

/// `yearly_deadline: { year, act, month, day }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawYearlyDeadline {
    /// Path of the year the act is about.
    pub year: String,
    /// Path of the date the act was done.
    pub act: String,
    /// Month of the following year by which it is due.
    #[schemars(range(min = 1, max = 12))]
    pub month: i8,
    /// Day of that month.
    #[schemars(range(min = 1, max = 31))]
    pub day: i8,
}

/// Where values come from: a path in this document (`*` stands for every item of a list), or a
/// path in the documents named by a reference field (`{ ref, path, where }`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawSource {
    /// A path in this document, e.g. `data_catalog/*/name`.
    Local(String),
    /// Values in referenced documents.
    Remote(RawRemote),
}

/// `{ ref: plan, path: data_resources/catalog/*/name, where: C }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRemote {
    /// The field of this document holding the referenced id(s) (a schema field with `x-ref`).
    #[serde(rename = "ref")]
    pub reference: String,
    /// The kind the reference field refers to (must match the schema's `x-ref`).
    pub kind: Kind,
    /// The path in each referenced document (`*` for every list item).
    pub path: String,
    /// Only referenced documents where this check holds (e.g. approved requests).
    #[serde(default, rename = "where")]
    pub filter: Option<Box<RawCheck>>,
}

/// `subset: { items, of }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSubset {
    /// Values that must all be found…
    pub items: RawSource,
    /// …among these.
    pub of: RawSource,
    /// `subset` only: `of` may restate the items in other words (an applicant answering the
    /// plan's conditions). An item with no match is then a warning when it can be paired with
    /// a value of `of` that matches no item and keeps the item's figures; an error otherwise.
    #[serde(default)]
    pub reworded: bool,
}

/// `equal: { left, right }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEqual {
    /// One side.
    pub left: RawSource,
    /// The other.
    pub right: RawSource,
}

/// `within: { start, end, of_start, of_end }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawWithin {
    /// First day of the inner range.
    pub start: RawSource,
    /// Last day of the inner range.
    pub end: RawSource,
    /// First day of the outer range (at least one bound is given).
    #[serde(default)]
    pub of_start: Option<RawSource>,
    /// Last day of the outer range.
    #[serde(default)]
    pub of_end: Option<RawSource>,
}

/// `covers: { list, kind, year, start, end }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCovers {
    /// This document's list of references.
    pub list: String,
    /// The kind of the documents it must name.
    pub kind: Kind,
    /// This document's year.
    pub year: String,
    /// Path of each candidate document's first day.
    pub start: String,
    /// Path of each candidate document's last day.
    pub end: String,
    /// Path of an organisation (`{ name, credit_code }`) in this document and in each candidate:
    /// only candidates naming the same one (same 统一社会信用代码, or same name) are asked for.
    #[serde(default)]
    pub same: Option<String>,
}

/// `body: { path, data_authority, same_level_as }`: what an organ's name shows.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBody {
    /// Path of the organ's name.
    pub path: String,
    /// The name must show a data authority (…数据…局, e.g. 广州市政务服务和数据管理局), in the
    /// name or in a bracketed second name.
    #[serde(default)]
    pub data_authority: bool,
    /// Path of the document's region: the name must not show another level or area (广东省… for
    /// a city's document, another city, the city's own organ for a county's document).
    #[serde(default)]
    pub same_level_as: Option<String>,
}

/// `transition: { date, act, years }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTransition {
    /// Path of the document's date: the check applies only when it is before the measure took
    /// effect (the issuance date known).
    pub date: String,
    /// Path of the date the act was done; absent means not yet recorded.
    pub act: String,
    /// Years after issuance (the day of issuance not counted) by which the act is due.
    #[schemars(range(min = 1))]
    pub years: u32,
}

/// `in_force: { path }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawInForce {
    /// Path of the document's date.
    pub path: String,
}

/// What `region` asks of a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RegionTest {
    /// Not plainly outside the pack's province: fails on another province, one of its cities,
    /// or a GB/T 2260 code of another province. A name the list cannot place passes.
    InProvince,
    /// A county or area written after a city belongs to that city (`广州市连平县` fails).
    UnderItsCity,
    /// The list places it, in the province or plainly outside: fails on an unknown name or code
    /// and on a bare county name several cities share.
    Known,
}

/// `region: { path, is }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRegion {
    /// Field path of the region.
    pub path: String,
    /// What must hold.
    pub is: RegionTest,
}

/// `region_level: { region, level, province, city, county }`: the value of `level` a place of
/// each tier must have.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRegionLevel {
    /// Field path of the region.
    pub region: String,
    /// Field path of the stated level.
    pub level: String,
    /// The level of the province as a whole, e.g. 省级.
    pub province: String,
    /// The level of a prefecture-level city, e.g. 地级以上市.
    pub city: String,
    /// The level of a county-level division, e.g. 县级.
    pub county: String,
}

/// A level of government.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LevelName {
    /// 省级.
    Province,
    /// 地级以上市.
    City,
    /// 县级.
    County,
}

/// `level: { path, same_as | is }`: exactly one of `same_as` and `is`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLevel {
    /// Path of the organisation's name.
    pub path: String,
    /// Paths of names or regions to compare with, in order: the first one that can be placed
    /// is used (e.g. the implementing body's name, then the document's region).
    #[serde(default)]
    pub same_as: Option<Vec<String>>,
    /// The level the organisation must be at.
    #[serde(default)]
    pub is: Option<LevelName>,
}

/// `distinct: { path, from }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDistinct {
    /// Path of the name checked.
    pub path: String,
    /// Path of the name it must not contain.
    pub from: String,
}

/// `each` / `some`: `{ path, check }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawScoped {
    /// Path of the list.
    pub path: String,
    /// The check, relative to each item.
    pub check: Box<RawCheck>,
}

/// The rule pack's manifest (`rules/pack.yaml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPackManifest {
    /// Short name.
    pub name: String,
    /// The measure's title.
    pub title: String,
    /// Its status, e.g. 征求意见稿.
    pub status: String,
    /// Date the text was published.
    pub published: String,
    /// Date the measure was issued (印发), when known.
    #[serde(default)]
    pub issued: Option<String>,
    /// Years the measure is valid from issuance (Art. 45).
    #[serde(default)]
    pub validity_years: Option<u32>,
    /// The measure's text, relative to the pack.
    pub source: String,
    /// Notes on the pack.
    #[serde(default)]
    pub notes: Option<String>,
}
