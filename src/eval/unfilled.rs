//! Placeholders left in a document (`<申请单位名称>`, 待填写, TODO, （略）…): each is a finding at
//! its place, in required and optional fields alike. A form with 待填写 in it is not ready to
//! submit, whatever the field.

use super::show;
use super::SchemaNote;
use crate::document::{Node, Step, Value};
use crate::placeholder::is_placeholder;
use crate::text;

/// One note per placeholder in `root`, in document order.
pub fn placeholders(root: &Node) -> Vec<SchemaNote> {
    let mut out = Vec::new();
    // Depth-first with an explicit stack: the parser caps nesting, but no recursion is needed.
    let mut stack: Vec<(Vec<Step>, &Node)> = vec![(Vec::new(), root)];
    while let Some((at, node)) = stack.pop() {
        match &node.value {
            Value::Str(s) if is_placeholder(s) => out.push(SchemaNote::new(
                at.clone(),
                text!(
                    "`{}` 仍是占位内容 `{}`，尚未填写",
                    "`{}` still holds the placeholder `{}`: not filled in",
                    show(&at),
                    s.trim()
                ),
            )
            .with_help(text!(
                "把占位换成实际内容；不适用的可选字段，连同其下各行一并删除",
                "replace the placeholder with the actual content; delete an optional field that does not apply, with the lines under it"
            ))),
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    let mut p = at.clone();
                    p.push(Step::Index(i));
                    stack.push((p, item));
                }
            }
            Value::Map(entries) => {
                for e in entries.iter().rev() {
                    let mut p = at.clone();
                    p.push(Step::Key(e.key.clone()));
                    stack.push((p, &e.value));
                }
            }
            _ => {}
        }
    }
    out
}
