//! Evaluation of check primitives on a document tree. Pure: no I/O, no printing.

use super::crossdoc::DocSet;
use crate::calendar::WorkingDayCalendar;
use crate::dates::{parse_date, term_last_day};
use crate::document::{Node, Step, Value};
use crate::placeholder::{has_content, is_placeholder, no_value, unfilled, untouched_entry};
use crate::rules::check::Allowed;
use crate::rules::check::ValueType;
use crate::rules::{Check, DateRelation, Path};
use crate::severity::Severity;
use crate::text;
use crate::text::Text;
use jiff::ToSpan;

/// What evaluation needs beyond the document: the date deadlines are judged at, and the
/// working-day calendar.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// `--as-of`: acts not yet recorded are pending until their deadline passes this date.
    pub as_of: jiff::civil::Date,
    /// 工作日 calendar.
    pub calendar: &'a WorkingDayCalendar,
    /// The documents checked together, by id, for cross-document rules.
    pub set: &'a DocSet<'a>,
    /// Severity of a reference to a document not in the set.
    pub unresolved: Severity,
    /// The measure's validity window (Art. 45), when its issuance date is known.
    pub in_force: Option<(jiff::civil::Date, jiff::civil::Date)>,
    /// 行政区划, for `region` checks.
    pub regions: &'a crate::region::Divisions,
}

impl Context<'static> {
    /// A context at a fixed date with an empty calendar and the built-in pack's divisions
    /// (for tests).
    pub fn fixed(date: &str) -> Context<'static> {
        static EMPTY: std::sync::OnceLock<WorkingDayCalendar> = std::sync::OnceLock::new();
        static NO_DOCS: std::sync::OnceLock<DocSet<'static>> = std::sync::OnceLock::new();
        Context {
            as_of: parse_date(date).unwrap_or_default(),
            calendar: EMPTY.get_or_init(WorkingDayCalendar::default),
            set: NO_DOCS.get_or_init(DocSet::default),
            unresolved: Severity::Info,
            in_force: None,
            regions: crate::region::Divisions::builtin(),
        }
    }
}

/// One place where a check does not hold.
#[derive(Debug, Clone)]
pub struct Failure {
    /// Absolute path of the offending value (or of the missing field).
    pub at: Vec<Step>,
    /// What is wrong there.
    pub detail: Text,
    /// A severity other than the rule's: `Warning` for a value outside a 等-list, `Error` for a
    /// forbidden one.
    pub severity: Option<Severity>,
    /// Places in other documents (or elsewhere in this one) the failure is about.
    pub related: Vec<Related>,
    /// The failure is that a referenced document cannot be used to verify the check, and why.
    pub unresolved: Option<Unverifiable>,
    /// The finding's message when the rule's own would be wrong here: a deadline not yet due, or
    /// one whose timeliness cannot be confirmed, is not the violation the rule's message states.
    pub message: Option<Text>,
}

/// Why a document a check refers to cannot be used to verify it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unverifiable {
    /// It is not among the documents checked.
    NotChecked,
    /// It lies outside the measure (Art. 2): the measure does not govern what it says.
    OutOfScope,
}

/// A place a failure relates to, in a document of the set.
#[derive(Debug, Clone)]
pub struct Related {
    /// The document's id.
    pub document: String,
    /// The path in it.
    pub at: Vec<Step>,
    /// What is there.
    pub label: Text,
}

impl Failure {
    pub(crate) fn new(at: Vec<Step>, detail: Text) -> Self {
        Failure {
            at,
            detail,
            severity: None,
            related: Vec::new(),
            unresolved: None,
            message: None,
        }
    }
}

fn join(base: &[Step], path: &Path) -> Vec<Step> {
    let mut out = match path.1 {
        crate::rules::check::Anchor::Relative => base.to_vec(),
        crate::rules::check::Anchor::Root => Vec::new(),
    };
    out.extend(path.0.iter().cloned());
    out
}

/// `products[2].category`: a path as users read it.
pub fn show(path: &[Step]) -> String {
    let text = path_text(path);
    match crate::visible::inline(&text) {
        // The common case: a short path of plain keys, shown as it is.
        std::borrow::Cow::Borrowed(_) if text.len() <= crate::visible::MAX_VALUE_CHARS => text,
        _ => crate::visible::value(&text),
    }
}

/// A value as a message quotes it: control characters made visible, a long one cut
/// ([`crate::visible::value`]).
pub fn quoted(node: &Node) -> String {
    crate::visible::value(&node.display())
}

fn path_text(path: &[Step]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(32);
    for step in path {
        match step {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Step::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
        }
    }
    out
}

fn type_name(node: &Node) -> Text {
    match &node.value {
        Value::Null => text!("空值", "null"),
        Value::Bool(_) => text!("布尔值", "a boolean"),
        Value::Int(_) | Value::Float(_) => text!("数字", "a number"),
        Value::Str(_) => text!("文字", "a string"),
        Value::Seq(_) => text!("列表", "a list"),
        Value::Map(_) => text!("映射", "a mapping"),
    }
}

fn scalar_eq(node: &Node, value: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (&node.value, value) {
        (Value::Str(a), J::String(b)) => a.trim() == b,
        (Value::Bool(a), J::Bool(b)) => a == b,
        (Value::Int(a), J::Number(b)) => b.as_f64() == Some(*a as f64),
        (Value::Float(a), J::Number(b)) => b.as_f64() == Some(*a),
        (Value::Null, J::Null) => true,
        _ => false,
    }
}

fn list_values(values: &[serde_json::Value]) -> String {
    values
        .iter()
        .map(|v| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// Judge an act against its due date, as of `ctx.as_of`: late is an error; not yet recorded is an
/// error once the due date has passed and `info` before; a count through a year the calendar
/// does not cover is at most a warning, and says so even when the act is on time. An act whose
/// deadline has not passed is not the violation the rule's message states, so those findings
/// carry a neutral message of their own that names the due date.
fn judge_deadline(
    act_abs: Vec<Step>,
    act_node: Option<&Node>,
    due: jiff::civil::Date,
    explain: &Text,
    uncovered: bool,
    ctx: &Context,
) -> Vec<Failure> {
    let capped = |s: Severity| {
        if uncovered {
            Some(Severity::Warning)
        } else {
            Some(s)
        }
    };
    let field = show(&act_abs);
    match act_node {
        Some(node) => {
            let Some(done) = node.as_str().and_then(parse_date) else {
                // Not a date: its `type` check or the schema reports it, once.
                return Vec::new();
            };
            if done > due {
                let mut f = Failure::new(
                    act_abs,
                    Text::new(
                        format!("{done} 晚于截止日 {}", explain.zh),
                        format!("{done} is after the deadline {}", explain.en),
                    ),
                );
                f.severity = capped(Severity::Error);
                vec![f]
            } else if uncovered {
                let mut f = Failure::new(
                    act_abs,
                    Text::new(
                        format!("节假日安排未收录，无法确认是否按期：截止日 {}", explain.zh),
                        format!("the holiday calendar is missing, so timeliness is unconfirmed: deadline {}", explain.en),
                    ),
                );
                f.severity = Some(Severity::Warning);
                f.message = Some(Text::new(
                    format!("无法确认 `{field}`（{done}）是否按期：所跨年度的节假日安排未收录，截止日按周一至周五推算为 {due}"),
                    format!("Cannot confirm that `{field}` ({done}) was on time: the holiday calendar of a year it spans is missing; counted Monday to Friday the deadline is {due}"),
                ));
                vec![f]
            } else {
                Vec::new()
            }
        }
        None if ctx.as_of > due => {
            let mut f = Failure::new(
                act_abs,
                Text::new(
                    format!("截至 {} 未见记录，截止日 {} 已过", ctx.as_of, explain.zh),
                    format!(
                        "not recorded as of {}; the deadline {} has passed",
                        ctx.as_of, explain.en
                    ),
                ),
            );
            f.severity = capped(Severity::Error);
            vec![f]
        }
        None => {
            let mut f = Failure::new(
                act_abs,
                Text::new(
                    format!("截止日 {}", explain.zh),
                    format!("due {}", explain.en),
                ),
            );
            f.severity = Some(Severity::Info);
            f.message = Some(Text::new(
                format!(
                    "期限截至 {} 尚未届满：`{field}` 尚无记录，应于 {due} 前完成",
                    ctx.as_of
                ),
                format!(
                    "Not yet due as of {}: `{field}` is not recorded yet; it is due by {due}",
                    ctx.as_of
                ),
            ));
            vec![f]
        }
    }
}

/// How a check is read: as an obligation on the document (`check:`, `then:`), or as a condition
/// (`when:`, a review's `when:`, a source's `where:`) that asks whether something is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// `required` asks that the content be given: `无` is an answer.
    Obligation,
    /// `required` asks whether the thing exists: `无`, `暂无`, `不涉及` say it does not.
    Condition,
}

/// Whether the act a deadline asks for holds a placeholder: not a record of the act, and not its
/// absence either; the placeholder's own finding says what to fill in.
fn placeholder_at(root: &Node, at: &[Step]) -> bool {
    root.at(at)
        .and_then(Node::as_str)
        .is_some_and(is_placeholder)
}

/// Evaluate `check` at `base` (the document root, or a list item) of `root`.
pub fn evaluate(check: &Check, root: &Node, base: &[Step], ctx: &Context) -> Vec<Failure> {
    eval(check, root, base, ctx, Reading::Obligation)
}

/// Whether `condition` holds at `base` of `root`, read as a condition: a placeholder or a
/// "none" answer (`national_rules: [无]`) does not make a field count as present.
pub fn holds(condition: &Check, root: &Node, base: &[Step], ctx: &Context) -> bool {
    eval(condition, root, base, ctx, Reading::Condition).is_empty()
}

/// Why a value that is there does not count as given, for `required`'s message.
fn unfilled_detail(abs: &[Step], node: &Node) -> Text {
    let placeholder = match &node.value {
        Value::Str(s) if is_placeholder(s) => Some(s.trim().to_string()),
        Value::Seq(items) => items
            .iter()
            .find_map(|i| i.as_str().filter(|s| is_placeholder(s)))
            .map(|s| s.trim().to_string()),
        _ => None,
    };
    match placeholder {
        Some(p) => text!(
            "`{}` 仍是占位内容 `{}`，视为未填写",
            "`{}` still holds the placeholder `{}`: not filled in",
            show(abs),
            p
        ),
        None => text!("`{}` 为空", "`{}` is empty", show(abs)),
    }
}

fn eval(
    check: &Check,
    root: &Node,
    base: &[Step],
    ctx: &Context,
    reading: Reading,
) -> Vec<Failure> {
    // A placeholder or blank value is no value: every check but `required` passes over it, as
    // over a missing field, so one gap gives one finding.
    let value_at = |path: &Path| {
        let abs = join(base, path);
        let node = root.at(&abs).filter(|n| !no_value(n));
        (abs, node)
    };
    let evaluate = |c: &Check, base: &[Step]| eval(c, root, base, ctx, reading);
    match check {
        Check::Required(path) => {
            let abs = join(base, path);
            match root.at(&abs) {
                None => vec![Failure::new(
                    abs.clone(),
                    text!("缺少 `{}`", "`{}` is missing", show(&abs)),
                )],
                Some(n) if n.value == Value::Null => vec![Failure::new(
                    abs.clone(),
                    text!("缺少 `{}`", "`{}` is missing", show(&abs)),
                )],
                Some(n) if unfilled(n) => vec![Failure::new(abs.clone(), unfilled_detail(&abs, n))],
                Some(n) if reading == Reading::Condition && !has_content(n) => {
                    vec![Failure::new(
                        abs.clone(),
                        text!("`{}` 未记录任何内容", "`{}` records nothing", show(&abs)),
                    )]
                }
                Some(_) => Vec::new(),
            }
        }
        Check::Type { path, is } => {
            let (abs, node) = value_at(path);
            let Some(n) = node else { return Vec::new() };
            let ok = match is {
                ValueType::String => matches!(n.value, Value::Str(_)),
                ValueType::Number => n.as_f64().is_some_and(f64::is_finite),
                ValueType::Integer => matches!(n.value, Value::Int(_)),
                ValueType::Boolean => matches!(n.value, Value::Bool(_)),
                ValueType::List => matches!(n.value, Value::Seq(_)),
                ValueType::Mapping => matches!(n.value, Value::Map(_)),
                ValueType::Date => n.as_str().and_then(parse_date).is_some(),
                ValueType::CreditCode => n
                    .as_str()
                    .is_some_and(|c| crate::identity::credit_code_problem(c).is_none()),
            };
            if ok {
                return Vec::new();
            }
            let expected = match is {
                ValueType::String => text!("文字", "a string"),
                ValueType::Number => text!("数字", "a number"),
                ValueType::Integer => text!("整数", "a whole number"),
                ValueType::Boolean => text!("true 或 false", "true or false"),
                ValueType::List => text!("列表", "a list"),
                ValueType::Mapping => text!("映射", "a mapping"),
                ValueType::Date => text!(
                    "日期（2026-03-01 或 2026年3月1日，且为真实日期）",
                    "a date (2026-03-01 or 2026年3月1日, a real calendar day)"
                ),
                ValueType::CreditCode => {
                    let why = n.as_str().and_then(crate::identity::credit_code_problem);
                    let (zh, en) = match why {
                        Some("length") => ("长度不是 18 位", "not 18 characters"),
                        Some("alphabet") => (
                            "含有代码字符集以外的字符（不用 I O Z S V）",
                            "has characters outside the code's alphabet (no I O Z S V)",
                        ),
                        Some("region") => (
                            "第 3–8 位应为行政区划代码",
                            "positions 3-8 must be the region code",
                        ),
                        _ => ("校验码不符", "wrong check digit"),
                    };
                    Text::new(
                        format!("统一社会信用代码（GB 32100-2015，{zh}）"),
                        format!("a 统一社会信用代码 (GB 32100-2015; {en})"),
                    )
                }
            };
            let found = type_name(n);
            vec![Failure::new(
                abs,
                text!(
                    "应为{}，实为{}：{}",
                    "expected {}, found {}: {}",
                    expected.get(crate::text::Lang::Zh),
                    found.get(crate::text::Lang::Zh),
                    quoted(n)
                )
                .with_en(format!(
                    "expected {}, found {}: {}",
                    expected.en,
                    found.en,
                    quoted(n)
                )),
            )]
        }
        Check::Enum {
            path,
            values,
            exhaustive,
            forbidden,
            glossary,
        } => {
            let (abs, node) = value_at(path);
            let Some(n) = node else { return Vec::new() };
            let items: Vec<(Vec<Step>, &Node)> = match &n.value {
                Value::Seq(items) => items
                    .iter()
                    .enumerate()
                    .filter(|(_, item)| !unfilled(item))
                    .map(|(i, item)| {
                        let mut p = abs.clone();
                        p.push(Step::Index(i));
                        (p, item)
                    })
                    .collect(),
                _ => vec![(abs, n)],
            };
            items
                .into_iter()
                .filter_map(|(at, item)| {
                    // Text is matched as `src/terms.rs` says: folded, without its notes, and
                    // through the article's glossary; a note can still make it forbidden.
                    let text = item.as_str();
                    let names = |v: &serde_json::Value, anywhere: bool| match (text, v.as_str()) {
                        (Some(t), Some(w)) if anywhere => glossary.names_anywhere(t, w),
                        (Some(t), Some(w)) => glossary.names(t, w),
                        _ => scalar_eq(item, v),
                    };
                    if forbidden.iter().any(|v| names(v, true)) {
                        Some(Failure {
                            at,
                            detail: text!("`{}` 不可采用", "`{}` is not allowed", quoted(item)),
                            severity: Some(Severity::Error),
                            related: Vec::new(),
                            unresolved: None,
                            message: None,
                        })
                    } else if values.iter().any(|v| names(v, false)) {
                        None
                    } else if *exhaustive {
                        Some(Failure::new(
                            at,
                            text!(
                                "`{}` 不在 {} 之中",
                                "`{}` is not one of {}",
                                quoted(item),
                                list_values(values)
                            ),
                        ))
                    } else {
                        Some(Failure {
                            at,
                            detail: text!(
                                "`{}` 不在列举的 {} 等之中：请说明理由",
                                "`{}` is outside the listed {} (a non-exhaustive list): justify it",
                                quoted(item),
                                list_values(values)
                            ),
                            severity: Some(Severity::Warning),
                            related: Vec::new(),
                            unresolved: None,
                            message: None,
                        })
                    }
                })
                .collect()
        }
        Check::Pattern { path, regex } => {
            let (abs, node) = value_at(path);
            match node {
                Some(n) if !matches!(n.value, Value::Seq(_) | Value::Map(_)) => {
                    let shown = n.display();
                    if regex.is_match(&shown) {
                        Vec::new()
                    } else {
                        vec![Failure::new(
                            abs,
                            text!(
                                "`{}` 格式不符",
                                "`{}` is not in the required form",
                                quoted(n)
                            ),
                        )]
                    }
                }
                _ => Vec::new(),
            }
        }
        Check::Range { path, min, max } => {
            let (abs, node) = value_at(path);
            let Some(x) = node.and_then(Node::as_f64) else {
                return Vec::new();
            };
            let below = min.is_some_and(|m| x < m);
            let above = max.is_some_and(|m| x > m);
            if !below && !above {
                return Vec::new();
            }
            let bound = if below { min } else { max }.unwrap_or_default();
            vec![Failure::new(
                abs,
                if below {
                    text!("{} 小于下限 {}", "{} is below the minimum {}", x, bound)
                } else {
                    text!("{} 超过上限 {}", "{} exceeds the maximum {}", x, bound)
                },
            )]
        }
        Check::Length { path, min, max } => {
            let (abs, node) = value_at(path);
            let len = match node.map(|n| &n.value) {
                Some(Value::Str(s)) => s.trim().chars().count(),
                Some(Value::Seq(items)) => items.len(),
                _ => return Vec::new(),
            };
            if min.is_some_and(|m| len < m) {
                vec![Failure::new(
                    abs,
                    text!(
                        "长度 {}，少于 {}",
                        "length {} is below {}",
                        len,
                        min.unwrap_or(0)
                    ),
                )]
            } else if max.is_some_and(|m| len > m) {
                vec![Failure::new(
                    abs,
                    text!(
                        "长度 {}，超过 {}",
                        "length {} exceeds {}",
                        len,
                        max.unwrap_or(0)
                    ),
                )]
            } else {
                Vec::new()
            }
        }
        Check::Date {
            path,
            relation,
            other,
        } => {
            let (abs, node) = value_at(path);
            let (other_abs, other_node) = value_at(other);
            let (Some(a), Some(b)) = (
                node.and_then(Node::as_str).and_then(parse_date),
                other_node.and_then(Node::as_str).and_then(parse_date),
            ) else {
                return Vec::new();
            };
            let ok = match relation {
                DateRelation::Before => a < b,
                DateRelation::OnOrBefore => a <= b,
                DateRelation::After => a > b,
                DateRelation::OnOrAfter => a >= b,
            };
            if ok {
                return Vec::new();
            }
            let (zh, en) = match relation {
                DateRelation::Before => ("早于", "before"),
                DateRelation::OnOrBefore => ("不晚于", "on or before"),
                DateRelation::After => ("晚于", "after"),
                DateRelation::OnOrAfter => ("不早于", "on or after"),
            };
            vec![Failure::new(
                abs,
                Text::new(
                    format!("{a} 应{zh} `{}`（{b}）", show(&other_abs)),
                    format!("{a} must be {en} `{}` ({b})", show(&other_abs)),
                ),
            )]
        }
        Check::Term {
            start,
            end,
            max_years,
        } => {
            let (_, start_node) = value_at(start);
            let (end_abs, end_node) = value_at(end);
            let (Some(s), Some(e)) = (
                start_node.and_then(Node::as_str).and_then(parse_date),
                end_node.and_then(Node::as_str).and_then(parse_date),
            ) else {
                return Vec::new();
            };
            match term_last_day(s, *max_years) {
                Some(last) if e > last => vec![Failure::new(
                    end_abs,
                    text!(
                        "期限 {} 至 {}，超过 {} 年（最后一日至迟为 {}）",
                        "the term {} to {} exceeds {} years (its last day may be {} at the latest)",
                        s,
                        e,
                        max_years,
                        last
                    ),
                )],
                _ => Vec::new(),
            }
        }
        Check::Period {
            start,
            end,
            min_days,
            max_days,
        } => {
            let (_, start_node) = value_at(start);
            let (end_abs, end_node) = value_at(end);
            let (Some(s), Some(e)) = (
                start_node.and_then(Node::as_str).and_then(parse_date),
                end_node.and_then(Node::as_str).and_then(parse_date),
            ) else {
                return Vec::new();
            };
            let days = s.until(e).map_or(0, |span| i64::from(span.get_days())) + 1;
            if min_days.is_some_and(|m| days < i64::from(m)) {
                vec![Failure::new(
                    end_abs,
                    text!(
                        "{} 至 {} 共 {} 日（首尾两日均计入），少于 {} 日",
                        "{} to {} is {} days (both ends counted), fewer than {}",
                        s,
                        e,
                        days,
                        min_days.unwrap_or(0)
                    ),
                )]
            } else if max_days.is_some_and(|m| days > i64::from(m)) {
                vec![Failure::new(
                    end_abs,
                    text!(
                        "{} 至 {} 共 {} 日（首尾两日均计入），超过 {} 日",
                        "{} to {} is {} days (both ends counted), more than {}",
                        s,
                        e,
                        days,
                        max_days.unwrap_or(0)
                    ),
                )]
            } else {
                Vec::new()
            }
        }
        Check::Deadline { from, act, allowed } => {
            let (_, from_node) = value_at(from);
            let Some(start) = from_node.and_then(Node::as_str).and_then(parse_date) else {
                return Vec::new();
            };
            let (act_abs, act_node) = value_at(act);
            let (due, explain, uncovered) = match allowed {
                Allowed::WorkingDays(n) => {
                    let d = ctx.calendar.add_working_days(start, *n);
                    // An act done so early that no missing notice could make it late is on time.
                    let done = act_node.and_then(Node::as_str).and_then(parse_date);
                    let surely =
                        done.is_some_and(|done| ctx.calendar.surely_within(start, done, *n));
                    (d.date, d.explain(), !d.uncovered.is_empty() && !surely)
                }
                Allowed::Days(n) => {
                    let due = start.checked_add(i64::from(*n).days()).unwrap_or(start);
                    (
                        due,
                        Text::new(
                            format!("{due}（{start} 之后第 {n} 日）"),
                            format!("{due} ({n} days after {start})"),
                        ),
                        false,
                    )
                }
            };
            if placeholder_at(root, &act_abs) {
                return Vec::new();
            }
            judge_deadline(act_abs, act_node, due, &explain, uncovered, ctx)
        }
        Check::YearlyDeadline {
            year,
            act,
            month,
            day,
        } => {
            let (_, year_node) = value_at(year);
            let y = year_node.and_then(|n| match &n.value {
                Value::Int(i) => i16::try_from(*i).ok(),
                Value::Str(s) => s.trim().trim_end_matches('年').parse().ok(),
                _ => None,
            });
            let Some(due) =
                y.and_then(|y| jiff::civil::Date::new(y.checked_add(1)?, *month, *day).ok())
            else {
                return Vec::new();
            };
            let y = y.unwrap_or_default();
            let explain = Text::new(
                format!("{due}（{y} 年度的次年 {month} 月 {day} 日）"),
                format!("{due} (for {y}: by {month}/{day} of the following year)"),
            );
            let (act_abs, act_node) = value_at(act);
            if placeholder_at(root, &act_abs) {
                return Vec::new();
            }
            judge_deadline(act_abs, act_node, due, &explain, false, ctx)
        }
        Check::Subset {
            items,
            of,
            reworded,
        } => super::crossdoc::subset(items, of, *reworded, root, base, ctx),
        Check::Disjoint { items, of } => super::crossdoc::disjoint(items, of, root, base, ctx),
        Check::Equal { left, right } => super::crossdoc::equal(left, right, root, base, ctx),
        Check::Within {
            start,
            end,
            of_start,
            of_end,
        } => super::crossdoc::within(
            start,
            end,
            [of_start.as_ref(), of_end.as_ref()],
            root,
            base,
            ctx,
        ),
        Check::Covers {
            list,
            kind,
            year,
            start,
            end,
            same,
        } => super::crossdoc::covers(
            list,
            *kind,
            year,
            (start, end),
            same.as_ref(),
            root,
            base,
            ctx,
        ),
        Check::Region { path, is } => {
            let (abs, node) = value_at(path);
            super::region::region(abs, node, *is, ctx)
        }
        Check::RegionLevel {
            region,
            level,
            levels,
        } => {
            let (_, region_node) = value_at(region);
            let (level_abs, level_node) = value_at(level);
            super::region::region_level(region_node, level_abs, level_node, levels, ctx)
        }
        Check::InForce(path) => {
            let (abs, node) = value_at(path);
            let (Some(date), Some((from, to))) = (
                node.and_then(Node::as_str).and_then(parse_date),
                ctx.in_force,
            ) else {
                return Vec::new();
            };
            if date < from {
                vec![Failure::new(
                    abs,
                    text!(
                        "{} 早于本办法施行之日 {}",
                        "{} is before the measure took effect on {}",
                        date,
                        from
                    ),
                )]
            } else if date > to {
                vec![Failure::new(
                    abs,
                    text!(
                        "{} 晚于本办法有效期届满之日 {}",
                        "{} is after the measure's validity ended on {}",
                        date,
                        to
                    ),
                )]
            } else {
                Vec::new()
            }
        }
        Check::Transition { date, act, years } => {
            let (_, date_node) = value_at(date);
            let (Some(dated), Some((from, _))) = (
                date_node.and_then(Node::as_str).and_then(parse_date),
                ctx.in_force,
            ) else {
                return Vec::new();
            };
            if dated >= from {
                return Vec::new();
            }
            // “出台一年内”: counted from the day after issuance (《民法典》第二百零一条), ending on
            // the corresponding day (第二百零二条).
            let Some(due) = from
                .checked_add(1.day())
                .ok()
                .and_then(|start| crate::dates::term_last_day(start, *years))
            else {
                return Vec::new();
            };
            let explain = Text::new(
                format!("{due}（本办法 {from} 出台后 {years} 年，{dated} 在施行之前）"),
                format!("{due} ({years} year(s) after the measure's issuance on {from}; {dated} is before it)"),
            );
            let (act_abs, act_node) = value_at(act);
            judge_deadline(act_abs, act_node, due, &explain, false, ctx)
        }
        Check::Body {
            path,
            data_authority,
            same_level_as,
        } => {
            let (abs, node) = value_at(path);
            let Some(name) = node.and_then(Node::as_str).map(str::trim) else {
                return Vec::new();
            };
            if name.is_empty() {
                return Vec::new();
            }
            let mut out = Vec::new();
            if *data_authority && !super::bodies::is_data_authority(name) {
                out.push(Failure::new(
                    abs.clone(),
                    text!(
                        "`{}` 从名称看不是数据主管部门（县级以上数据主管部门如 广州市政务服务和数据管理局、佛山市政务服务数据管理局）",
                        "`{}` is not a data authority by its name (data authorities are e.g. 广州市政务服务和数据管理局, 佛山市政务服务数据管理局)",
                        name
                    ),
                ));
            }
            let region = same_level_as
                .as_ref()
                .and_then(|r| value_at(r).1)
                .and_then(Node::as_str)
                .and_then(|r| super::bodies::region_area(r).map(|a| (r.trim().to_string(), a)));
            if let Some((region, area)) = region {
                if let Some(other) = super::bodies::other_level(name, &area) {
                    out.push(Failure::new(
                        abs,
                        text!(
                            "`{}` 从名称看是{}的单位，不是 {} 的本级单位",
                            "`{}` is, by its name, a body of {}, not of {} itself",
                            name,
                            other,
                            region
                        ),
                    ));
                }
            }
            out
        }
        Check::Level { path, same_as, is } => {
            let (abs, node) = value_at(path);
            let Some(name) = node.map(Node::display) else {
                return Vec::new();
            };
            let Some(here) = crate::division::place(&name) else {
                return Vec::new();
            };
            let (here_zh, here_en) = here.describe();
            if let Some(level) = is {
                if here.level != *level {
                    let (want_zh, want_en) = level.name();
                    return vec![Failure::new(
                        abs,
                        Text::new(
                            format!("`{name}` 属于{here_zh}，不是{want_zh}的单位"),
                            format!("`{name}` belongs to {here_en}, not to the {want_en} level"),
                        ),
                    )];
                }
            }
            for other in same_as {
                let (other_abs, other_node) = value_at(other);
                let Some(other_name) = other_node.map(Node::display) else {
                    continue;
                };
                let Some(there) = crate::division::place(&other_name) else {
                    continue;
                };
                if here.differs_from(&there) {
                    let (there_zh, there_en) = there.describe();
                    return vec![Failure::new(
                        abs,
                        Text::new(
                            format!(
                                "`{name}` 属于{here_zh}，与 `{}`（{other_name}，{there_zh}）不同级",
                                show(&other_abs)
                            ),
                            format!(
                                "`{name}` belongs to {here_en}, not the level of `{}` ({other_name}, {there_en})",
                                show(&other_abs)
                            ),
                        ),
                    )];
                }
                // The first name that can be placed decides.
                break;
            }
            Vec::new()
        }
        Check::Distinct { path, from } => {
            let (abs, node) = value_at(path);
            let (from_abs, from_node) = value_at(from);
            let (Some(a), Some(b)) = (node.map(Node::display), from_node.map(Node::display)) else {
                return Vec::new();
            };
            let (folded_a, folded_b) = (crate::measure::fold(&a), crate::measure::fold(&b));
            if folded_b.is_empty() || !folded_a.contains(&folded_b) {
                return Vec::new();
            }
            vec![Failure::new(
                abs,
                text!(
                    "`{}` 即 `{}`（{}）",
                    "`{}` names `{}` ({})",
                    a.trim(),
                    show(&from_abs),
                    b.trim()
                ),
            )]
        }
        Check::Warn(inner) => evaluate(inner, base)
            .into_iter()
            .map(|mut f| {
                if f.unresolved.is_none() && matches!(f.severity, None | Some(Severity::Error)) {
                    f.severity = Some(Severity::Warning);
                }
                f
            })
            .collect(),
        Check::Each { path, check } => {
            let (abs, node) = value_at(path);
            match node.map(|n| &n.value) {
                Some(Value::Seq(items)) => {
                    let mut failures = Vec::new();
                    let mut item = abs.clone();
                    for i in 0..items.len() {
                        item.push(Step::Index(i));
                        failures.append(&mut evaluate(check, &item));
                        item.pop();
                    }
                    failures
                }
                _ => Vec::new(),
            }
        }
        Check::Some { path, check } => {
            let (abs, node) = value_at(path);
            let Some(Value::Seq(items)) = node.map(|n| &n.value) else {
                // As an obligation a missing list is `required`'s finding, not this one's; as a
                // condition ("some item is …") a list that is not there has no such item.
                return match reading {
                    Reading::Obligation => Vec::new(),
                    Reading::Condition => vec![Failure::new(
                        abs.clone(),
                        text!("缺少 `{}`", "`{}` is missing", show(&abs)),
                    )],
                };
            };
            // Rows still as the template left them are not judged: they hold no kind yet. As an
            // obligation the check passes over them (their placeholders are findings already); as
            // a condition, no row is one that qualifies.
            let judged: Vec<usize> = (0..items.len())
                .filter(|&i| !items.get(i).is_some_and(untouched_entry))
                .collect();
            if judged.is_empty() && !items.is_empty() && reading == Reading::Obligation {
                return Vec::new();
            }
            let mut first = None;
            for i in judged {
                let mut item = abs.clone();
                item.push(Step::Index(i));
                let failures = evaluate(check, &item);
                if failures.is_empty() {
                    return Vec::new();
                }
                first = first.or_else(|| failures.into_iter().next());
            }
            let why = first.map(|f| f.detail);
            vec![Failure::new(
                abs.clone(),
                match why {
                    Some(w) => Text::new(
                        format!("`{}` 中没有一项满足要求（如：{}）", show(&abs), w.zh),
                        format!("no item of `{}` qualifies (e.g. {})", show(&abs), w.en),
                    ),
                    None => text!("`{}` 为空", "`{}` is empty", show(&abs)),
                },
            )]
        }
        Check::All(checks) => {
            let mut failures = Vec::new();
            for c in checks {
                failures.append(&mut evaluate(c, base));
            }
            failures
        }
        Check::Any(checks) => {
            let mut all = Vec::new();
            for c in checks {
                let failures = evaluate(c, base);
                if failures.is_empty() {
                    return Vec::new();
                }
                all.extend(failures);
            }
            let Some(first) = all.first() else {
                return Vec::new();
            };
            let zh: Vec<&str> = all.iter().map(|f| f.detail.zh.as_str()).collect();
            let en: Vec<&str> = all.iter().map(|f| f.detail.en.as_str()).collect();
            vec![Failure::new(
                first.at.clone(),
                Text::new(
                    format!("以下均不满足：{}", zh.join("；")),
                    format!("none holds: {}", en.join("; ")),
                ),
            )]
        }
        Check::Not(inner) => {
            if evaluate(inner, base).is_empty() {
                let at = inner
                    .paths()
                    .first()
                    .map_or_else(|| base.to_vec(), |(_, p)| join(base, p));
                let shown = root.at(&at).map(quoted).unwrap_or_default();
                vec![Failure::new(
                    at.clone(),
                    text!("`{}` 不应为 {}", "`{}` must not be {}", show(&at), shown),
                )]
            } else {
                Vec::new()
            }
        }
        Check::When { when, then } => {
            if holds(when, root, base, ctx) {
                evaluate(then, base)
            } else {
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{yaml, Limits};
    use crate::source::SourceFile;

    fn run(check: Check, doc: &str) -> Vec<Failure> {
        let root = yaml::parse(&SourceFile::new("t.yaml", doc), Limits::default()).expect("doc");
        evaluate(&check, &root, &[], &Context::fixed("2026-11-27"))
    }

    fn path(p: &str) -> Path {
        Path::parse(p).expect("path")
    }

    #[test]
    fn periods_count_both_ends() {
        let notice = |end: &str| {
            run(
                Check::Period {
                    start: path("from"),
                    end: path("to"),
                    min_days: Some(5),
                    max_days: None,
                },
                &format!("from: 2026-03-01\nto: {end}\n"),
            )
        };
        assert!(notice("2026-03-05").is_empty(), "1st to 5th is 5 days");
        assert_eq!(notice("2026-03-04").len(), 1);
        assert!(notice("2026-04-05").is_empty());
    }

    #[test]
    fn terms_follow_the_civil_code() {
        let term = |start: &str, end: &str| {
            run(
                Check::Term {
                    start: path("s"),
                    end: path("e"),
                    max_years: 5,
                },
                &format!("s: {start}\ne: {end}\n"),
            )
        };
        assert!(term("2026-01-01", "2030-12-31").is_empty());
        assert_eq!(term("2026-01-01", "2031-01-01").len(), 1);
        assert!(term("2028-02-29", "2033-02-28").is_empty());
        assert_eq!(term("2028-02-29", "2033-03-01").len(), 1);
    }

    #[test]
    fn levels_compare_placed_names_and_pass_unplaced_ones() {
        let same = |filed: &str, body: &str| {
            run(
                Check::Level {
                    path: path("filed_with"),
                    same_as: vec![path("body"), path("region")],
                    is: None,
                },
                &format!("filed_with: {filed}\nbody: {body}\nregion: 广州市\n"),
            )
        };
        assert!(same("广州市政务服务和数据管理局", "广州市交通运输局").is_empty());
        assert_eq!(
            same("广东省政务服务和数据管理局", "广州市交通运输局").len(),
            1
        );
        assert_eq!(
            same("广州市天河区政务服务数据管理局", "广州市交通运输局").len(),
            1
        );
        assert!(
            same("市政数局", "广州市交通运输局").is_empty(),
            "not placed"
        );
        // The body cannot be placed: the region decides.
        assert_eq!(same("广东省政务服务和数据管理局", "穗行交通集团").len(), 1);
        let provincial = |filed: &str| {
            run(
                Check::Level {
                    path: path("filed_with"),
                    same_as: Vec::new(),
                    is: Some(crate::division::Level::Province),
                },
                &format!("filed_with: {filed}\n"),
            )
        };
        assert!(provincial("广东省政务服务和数据管理局").is_empty());
        assert_eq!(provincial("广州市政务服务和数据管理局").len(), 1);
    }

    #[test]
    fn distinct_names_and_warnings() {
        let distinct = |evaluator: &str| {
            run(
                Check::Distinct {
                    path: path("evaluator"),
                    from: path("operator"),
                },
                &format!("evaluator: {evaluator}\noperator: 广州穗行数据科技有限公司\n"),
            )
        };
        assert!(distinct("广州市交通运输局").is_empty());
        assert_eq!(distinct("广州穗行数据科技有限公司（自评）").len(), 1);
        let warned = run(
            Check::Warn(Box::new(Check::Required(path("missing")))),
            "present: 1\n",
        );
        assert_eq!(warned[0].severity, Some(Severity::Warning));
    }

    #[test]
    fn open_lists_warn_and_forbidden_values_err() {
        let method = |m: &str| {
            run(
                Check::Enum {
                    path: path("method"),
                    values: vec!["公开招标".into(), "邀请招标".into(), "谈判".into()],
                    exhaustive: false,
                    forbidden: vec!["单一来源".into()],
                    glossary: Default::default(),
                },
                &format!("method: {m}\n"),
            )
        };
        assert!(method("谈判").is_empty());
        assert_eq!(method("竞争性磋商")[0].severity, Some(Severity::Warning));
        assert_eq!(method("单一来源")[0].severity, Some(Severity::Error));
        assert!(method("谈 判").is_empty(), "spaces do not change a word");
        assert_eq!(
            method("谈判（单一来源）")[0].severity,
            Some(Severity::Error),
            "a note can make a value forbidden"
        );
    }
}
