//! Evaluation of check primitives on a document tree. Pure: no I/O, no printing.

use super::crossdoc::DocSet;
use crate::calendar::WorkingDayCalendar;
use crate::dates::{parse_date, term_last_day};
use crate::document::{Node, Step, Value};
use crate::identity::is_gd_region;
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
}

impl Context<'static> {
    /// A context at a fixed date with an empty calendar (for tests).
    pub fn fixed(date: &str) -> Context<'static> {
        static EMPTY: std::sync::OnceLock<WorkingDayCalendar> = std::sync::OnceLock::new();
        static NO_DOCS: std::sync::OnceLock<DocSet<'static>> = std::sync::OnceLock::new();
        Context {
            as_of: parse_date(date).unwrap_or_default(),
            calendar: EMPTY.get_or_init(WorkingDayCalendar::default),
            set: NO_DOCS.get_or_init(DocSet::default),
            unresolved: Severity::Info,
            in_force: None,
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
    /// The failure is that a referenced document is not in the set.
    pub unresolved: bool,
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
            unresolved: false,
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
/// does not cover is at most a warning, and says so even when the act is on time.
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
    match act_node {
        Some(node) => {
            let Some(done) = node.as_str().and_then(parse_date) else {
                return Vec::new();
            };
            if done > due {
                vec![Failure {
                    at: act_abs,
                    detail: Text::new(
                        format!("{done} 晚于截止日 {}", explain.zh),
                        format!("{done} is after the deadline {}", explain.en),
                    ),
                    severity: capped(Severity::Error),
                    related: Vec::new(),
                    unresolved: false,
                }]
            } else if uncovered {
                vec![Failure {
                    at: act_abs,
                    detail: Text::new(
                        format!("节假日安排未收录，无法确认是否按期：截止日 {}", explain.zh),
                        format!("the holiday calendar is missing, so timeliness is unconfirmed: deadline {}", explain.en),
                    ),
                    severity: Some(Severity::Warning),
                    related: Vec::new(),
            unresolved: false,
                }]
            } else {
                Vec::new()
            }
        }
        None if ctx.as_of > due => vec![Failure {
            at: act_abs,
            detail: Text::new(
                format!("截至 {} 未见记录，截止日 {} 已过", ctx.as_of, explain.zh),
                format!(
                    "not recorded as of {}; the deadline {} has passed",
                    ctx.as_of, explain.en
                ),
            ),
            severity: capped(Severity::Error),
            related: Vec::new(),
            unresolved: false,
        }],
        None => vec![Failure {
            at: act_abs,
            detail: Text::new(
                format!(
                    "尚未到期：应于截止日 {} 前完成（截至 {}）",
                    explain.zh, ctx.as_of
                ),
                format!(
                    "not yet due: to be done by {} (as of {})",
                    explain.en, ctx.as_of
                ),
            ),
            severity: Some(Severity::Info),
            related: Vec::new(),
            unresolved: false,
        }],
    }
}

/// Evaluate `check` at `base` (the document root, or a list item) of `root`.
pub fn evaluate(check: &Check, root: &Node, base: &[Step], ctx: &Context) -> Vec<Failure> {
    let value_at = |path: &Path| {
        let abs = join(base, path);
        let node = root.at(&abs).filter(|n| n.value != Value::Null);
        (abs, node)
    };
    match check {
        Check::Required(path) => {
            let (abs, node) = value_at(path);
            let missing = match node {
                None => true,
                Some(n) if n.is_empty() => false,
                Some(_) => return Vec::new(),
            };
            // The most common failure of all, made without the formatting machinery: a
            // hostile document can have hundreds of thousands of them.
            let shown = show(&abs);
            let detail = if missing {
                Text::new(
                    ["缺少 `", &shown, "`"].concat(),
                    ["`", &shown, "` is missing"].concat(),
                )
            } else {
                Text::new(
                    ["`", &shown, "` 为空"].concat(),
                    ["`", &shown, "` is empty"].concat(),
                )
            };
            vec![Failure::new(abs, detail)]
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
                ValueType::GdRegion => is_gd_region(&n.display()),
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
                ValueType::GdRegion => text!(
                    "广东省内的区域（广东省、地级以上市或其下辖县区，或 44 开头的行政区划代码）",
                    "a region in Guangdong (the province, a city or a county under it, or a 44xxxx code)"
                ),
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
        } => {
            let (abs, node) = value_at(path);
            let Some(n) = node else { return Vec::new() };
            let items: Vec<(Vec<Step>, &Node)> = match &n.value {
                Value::Seq(items) => items
                    .iter()
                    .enumerate()
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
                    if forbidden.iter().any(|v| scalar_eq(item, v)) {
                        Some(Failure {
                            at,
                            detail: text!("`{}` 不可采用", "`{}` is not allowed", quoted(item)),
                            severity: Some(Severity::Error),
                            related: Vec::new(),
                            unresolved: false,
                        })
                    } else if values.iter().any(|v| scalar_eq(item, v)) {
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
                            unresolved: false,
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
                    (d.date, d.explain(), !d.uncovered.is_empty())
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
            judge_deadline(act_abs, act_node, due, &explain, false, ctx)
        }
        Check::Subset { items, of } => super::crossdoc::subset(items, of, root, base, ctx),
        Check::Disjoint { items, of } => super::crossdoc::disjoint(items, of, root, base, ctx),
        Check::Equal { left, right } => super::crossdoc::equal(left, right, root, base, ctx),
        Check::Within {
            start,
            end,
            of_start,
            of_end,
        } => super::crossdoc::within([start, end, of_start, of_end], root, base, ctx),
        Check::Covers {
            list,
            kind,
            year,
            start,
            end,
        } => super::crossdoc::covers(list, *kind, year, start, end, root, base, ctx),
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
        Check::Each { path, check } => {
            let (abs, node) = value_at(path);
            match node.map(|n| &n.value) {
                Some(Value::Seq(items)) => {
                    let mut failures = Vec::new();
                    let mut item = abs.clone();
                    for i in 0..items.len() {
                        item.push(Step::Index(i));
                        failures.append(&mut evaluate(check, root, &item, ctx));
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
                return Vec::new();
            };
            let mut first = None;
            for i in 0..items.len() {
                let mut item = abs.clone();
                item.push(Step::Index(i));
                let failures = evaluate(check, root, &item, ctx);
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
                failures.append(&mut evaluate(c, root, base, ctx));
            }
            failures
        }
        Check::Any(checks) => {
            let mut all = Vec::new();
            for c in checks {
                let failures = evaluate(c, root, base, ctx);
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
            if evaluate(inner, root, base, ctx).is_empty() {
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
            if evaluate(when, root, base, ctx).is_empty() {
                evaluate(then, root, base, ctx)
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
    fn open_lists_warn_and_forbidden_values_err() {
        let method = |m: &str| {
            run(
                Check::Enum {
                    path: path("method"),
                    values: vec!["公开招标".into(), "邀请招标".into(), "谈判".into()],
                    exhaustive: false,
                    forbidden: vec!["单一来源".into()],
                },
                &format!("method: {m}\n"),
            )
        };
        assert!(method("谈判").is_empty());
        assert_eq!(method("竞争性磋商")[0].severity, Some(Severity::Warning));
        assert_eq!(method("单一来源")[0].severity, Some(Severity::Error));
    }
}
