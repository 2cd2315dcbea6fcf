//! Values that are not content: what `pdao init` writes to be replaced (`<申请单位名称>`), the
//! stock fillers people leave in forms (待填写, TODO, （略）, 同上, ……), and the answers that say
//! something does not exist (无, 暂无, 不涉及).
//!
//! Only a whole value counts: `待填写` is a placeholder, `资料待填写部分已补齐` is text.

use crate::document::{Node, Value};

/// Whole values (after the wrapping and trailing punctuation below are taken off) that mean
/// "not filled in yet". Compared case-insensitively for the Latin ones.
const FILLERS: &[&str] = &[
    "待填写",
    "待填",
    "待补充",
    "待补",
    "待完善",
    "待定",
    "略",
    "从略",
    "省略",
    "此处略",
    "此处省略",
    "同上",
    "同前",
    "同左",
    "示例",
    "样例",
    "todo",
    "tbd",
    "fixme",
];

/// Beginnings that make a whole value an instruction rather than content (`请填写单位全称`).
const INSTRUCTIONS: &[&str] = &["请填写", "请输入", "此处填写", "在此填写"];

/// Fillers that may be followed by a note after a separator (`TODO: 补充名单`, `待填写（单位全称）`),
/// unlike the same letters starting a sentence (`待填写部分已补齐`).
const TAGGED: &[&str] = &["待填写", "待补充", "todo", "tbd", "fixme"];

/// What may stand between a tagged filler and its note.
const SEPARATORS: &[char] = &[
    ':', '：', ' ', '\u{3000}', '（', '(', '【', '[', '-', '—', '，', ',',
];

/// Whole values that answer "none", as the items of a list that records that something exists.
const NONE_ANSWERS: &[&str] = &[
    "无",
    "暂无",
    "没有",
    "均无",
    "并无",
    "不涉及",
    "不适用",
    "无此情况",
    "无此项",
    "无相关规定",
    "无特别规定",
    "none",
    "n/a",
];

/// Brackets a filler is often wrapped in: `（略）`, `【待填写】`.
const WRAPPERS: &[(char, char)] = &[
    ('（', '）'),
    ('(', ')'),
    ('【', '】'),
    ('[', ']'),
    ('〔', '〕'),
    ('「', '」'),
];

/// The value with surrounding blanks, one pair of wrapping brackets and trailing punctuation
/// taken off, lower-cased: the form fillers are compared in.
fn core(text: &str) -> String {
    let trimmed = text
        .trim()
        .trim_end_matches(['。', '.', '！', '!', '；', ';']);
    let unwrapped = WRAPPERS
        .iter()
        .find_map(|(open, close)| {
            trimmed
                .strip_prefix(*open)
                .and_then(|rest| rest.strip_suffix(*close))
        })
        .unwrap_or(trimmed);
    unwrapped.trim().to_lowercase()
}

/// Whether the whole of `text` is a placeholder: a `pdao init` slot (`<…>`), a stock filler
/// (待填写, TODO, XXX, （略）, 同上, ……, 请填写…), never a word inside real text. Blank text is
/// not a placeholder but empty (see [`unfilled`]).
pub fn is_placeholder(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() {
        return false;
    }
    let slot = |open: char, close: char| {
        t.starts_with(open) && t.ends_with(close) && t.chars().count() >= 2
    };
    if slot('<', '>') || slot('＜', '＞') {
        return true;
    }
    // ……, ..., ？？: nothing but ellipsis or question marks.
    if t.chars()
        .all(|ch| matches!(ch, '…' | '.' | '。' | '·' | '?' | '？'))
    {
        return true;
    }
    let c = core(t);
    if c.is_empty() {
        // `（）`, `【】`: brackets with nothing inside.
        return t.chars().count() <= 2;
    }
    FILLERS.contains(&c.as_str())
        || INSTRUCTIONS.iter().any(|p| c.starts_with(p))
        || TAGGED.iter().any(|tag| {
            c.strip_prefix(tag)
                .is_some_and(|rest| rest.starts_with(SEPARATORS))
        })
        // XXX, xx, ××: letters standing in for a name or a number.
        || (c.chars().count() >= 2 && c.chars().all(|ch| matches!(ch, 'x' | '×' | 'ｘ')))
}

/// Whether the whole of `text` answers "none": 无, 暂无, 不涉及, 不适用…
pub fn is_none_answer(text: &str) -> bool {
    NONE_ANSWERS.contains(&core(text).as_str())
}

/// Whether a value holds nothing to read: absent (null), blank, a placeholder, an empty list or
/// mapping, or a list of nothing but such values. `required` reports it; every other check
/// passes over it, as over a missing field.
pub fn unfilled(node: &Node) -> bool {
    match &node.value {
        Value::Null => true,
        Value::Str(s) => s.trim().is_empty() || is_placeholder(s),
        Value::Seq(items) => items
            .iter()
            .all(|i| !matches!(i.value, Value::Seq(_) | Value::Map(_)) && unfilled(i)),
        Value::Map(entries) => entries.is_empty(),
        Value::Bool(_) | Value::Int(_) | Value::Float(_) => false,
    }
}

/// Whether a value stands for no value at all, as a missing field does: null, blank text, a
/// placeholder, or a (non-empty) list of nothing else. An empty list or mapping is a value: an
/// empty list that a check looks into is judged as such (`some` fails on it).
pub fn no_value(node: &Node) -> bool {
    match &node.value {
        Value::Seq(items) => !items.is_empty() && unfilled(node),
        Value::Map(_) => false,
        _ => unfilled(node),
    }
}

/// Whether a list item holds nothing but blanks and placeholders (a row of the template left as
/// it was): a check that looks for some item of a kind passes over it, since what the row will
/// say is not known yet; its placeholders have findings of their own.
pub fn untouched_entry(node: &Node) -> bool {
    match &node.value {
        Value::Map(entries) => entries.iter().all(|e| untouched_entry(&e.value)),
        Value::Seq(items) => items.iter().all(untouched_entry),
        _ => unfilled(node),
    }
}

/// Whether a value records that something exists, as a condition reads it (`when: { required:
/// … }`): not [`unfilled`]; a list, only if some item is more than a "none" answer
/// (`national_rules: [无]` lists no rules); a mapping, only if some field has content.
///
/// A "none" answer standing alone in a text field stays content: `venue: 无` is a statement a
/// reviewer must see (a product traded nowhere), not the absence of one.
pub fn has_content(node: &Node) -> bool {
    match &node.value {
        Value::Null => false,
        Value::Str(s) => !(s.trim().is_empty() || is_placeholder(s)),
        Value::Seq(items) => items
            .iter()
            .any(|i| has_content(i) && !i.as_str().is_some_and(is_none_answer)),
        Value::Map(entries) => entries.iter().any(|e| has_content(&e.value)),
        Value::Bool(_) | Value::Int(_) | Value::Float(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_values_only() {
        for p in [
            "<申请单位名称>",
            "<YYYY-MM-DD>",
            "\"<true|false>\"".trim_matches('"'),
            "待填写",
            " 待填写。",
            "【待填写】",
            "TODO",
            "todo: 补充名单",
            "TODO 补充",
            "待填写（单位全称）",
            "XXX",
            "xx",
            "××",
            "（略）",
            "(略)",
            "略",
            "同上",
            "……",
            "...",
            "示例",
            "请填写单位全称",
            "？",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for text in [
            "广州市政务服务和数据管理局",
            "待填写部分已于 3 月补齐",
            "TODOS 清单",
            "详见附件（略有调整）",
            "同上级部门协商确定",
            "示例性应用场景：交通出行",
            "X",
            "《数据安全法》",
            "无",
            "2026-01-01",
            "",
            "<= 5 年",
        ] {
            assert!(!is_placeholder(text), "{text}");
        }
    }

    #[test]
    fn none_answers() {
        for n in ["无", "暂无", "不涉及", "（无）", "无。", "N/A"] {
            assert!(is_none_answer(n), "{n}");
        }
        for text in ["无偿", "无线电管理条例", "否", "待填写"] {
            assert!(!is_none_answer(text), "{text}");
        }
    }

    fn node(value: Value) -> Node {
        Node {
            value,
            span: crate::source::Span::new(0, 0),
        }
    }

    #[test]
    fn lists_of_fillers_are_unfilled_and_none_lists_have_no_content() {
        let list = |items: &[&str]| {
            node(Value::Seq(
                items
                    .iter()
                    .map(|s| node(Value::Str(s.to_string())))
                    .collect(),
            ))
        };
        assert!(unfilled(&list(&["<国家行业主管部门另有规定>"])));
        assert!(!unfilled(&list(&["<x>", "《数据出境安全评估办法》"])));
        assert!(
            !unfilled(&list(&["无"])),
            "无 is an answer where one is required"
        );
        assert!(!has_content(&list(&["无"])));
        assert!(!has_content(&list(&["暂无", "<x>"])));
        assert!(has_content(&list(&["《数据出境安全评估办法》"])));
        assert!(has_content(&list(&["无", "《数据出境安全评估办法》"])));
        assert!(
            has_content(&node(Value::Str("无".into()))),
            "a text field answering 无 is a statement to review"
        );
        assert!(!has_content(&node(Value::Map(Vec::new()))));
        assert!(has_content(&node(Value::Bool(false))));
    }
}
