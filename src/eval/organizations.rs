//! One 统一社会信用代码, one organisation (GB 32100-2015 gives every organisation one code for
//! life): a code written for two differently named organisations in one document is a finding
//! at the second place, naming the first. Not a rule of the measure but an identity check, like
//! the check digit, so it is reported with the schema's findings under the field's article.

use std::collections::HashMap;

use super::SchemaNote;
use crate::document::{Node, Step, Value};
use crate::identity::credit_code_problem;
use crate::measure::fold;
use crate::placeholder::unfilled;
use crate::schema::{FieldPath, FieldStep};
use crate::text;

/// Every node at `field` in `root`, with its path.
fn select<'n>(root: &'n Node, field: &FieldPath) -> Vec<(Vec<Step>, &'n Node)> {
    let mut current = vec![(Vec::new(), root)];
    for step in field {
        let mut next = Vec::new();
        for (path, node) in current {
            match (step, &node.value) {
                (FieldStep::Key(k), Value::Map(_)) => {
                    if let Some(e) = node.entry(k) {
                        let mut p = path.clone();
                        p.push(Step::Key(k.clone()));
                        next.push((p, &e.value));
                    }
                }
                (FieldStep::Item, Value::Seq(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        let mut p = path.clone();
                        p.push(Step::Index(i));
                        next.push((p, item));
                    }
                }
                _ => {}
            }
        }
        current = next;
    }
    current
}

/// The organisation's name beside its code: `name` in the same mapping, or `X_name` / `X` for a
/// code field named `X_credit_code`.
fn name_beside<'n>(root: &'n Node, code_at: &[Step]) -> Option<(Vec<Step>, &'n str)> {
    let (Step::Key(key), parent) = code_at.split_last()? else {
        return None;
    };
    let owner = root.at(parent)?;
    let mut candidates = vec!["name".to_string()];
    if let Some(prefix) = key.strip_suffix("_credit_code") {
        candidates.push(format!("{prefix}_name"));
        candidates.push(prefix.to_string());
    }
    candidates.into_iter().find_map(|k| {
        let entry = owner.entry(&k)?;
        let name = entry.value.as_str().filter(|_| !unfilled(&entry.value))?;
        let mut at = parent.to_vec();
        at.push(Step::Key(k));
        Some((at, name.trim()))
    })
}

/// A note at each place where a valid code already given for another name is given again.
pub fn same_code_other_name(root: &Node, fields: &[FieldPath]) -> Vec<SchemaNote> {
    let mut places: Vec<(Vec<Step>, &Node)> = fields.iter().flat_map(|f| select(root, f)).collect();
    places.sort_by_key(|(_, n)| n.span.start);
    // code → (where, name as written, name folded)
    let mut first: HashMap<String, (Vec<Step>, &str, String)> = HashMap::new();
    let mut out = Vec::new();
    for (at, node) in places {
        let Some(code) = node.as_str().map(|c| c.trim().to_uppercase()) else {
            continue;
        };
        // An invalid code has its own finding; comparing it would report one defect twice.
        if credit_code_problem(&code).is_some() {
            continue;
        }
        let Some((_, name)) = name_beside(root, &at) else {
            continue;
        };
        let folded = fold(name);
        match first.get(&code) {
            None => {
                first.insert(code, (at, name, folded));
            }
            Some((first_at, first_name, first_folded)) if *first_folded != folded => {
                out.push(
                    SchemaNote::new(
                        at.clone(),
                        text!(
                            "统一社会信用代码 `{}` 已在 `{}` 用于 `{}`，此处却是 `{}`：一个代码只属于一个单位",
                            "the 统一社会信用代码 `{}` is already given at `{}` for `{}`, but here for `{}`: one code identifies one organisation",
                            code,
                            super::show(first_at),
                            first_name,
                            name
                        ),
                    )
                    .with_help(text!(
                        "核对两处的单位名称与代码：同一单位两处名称应一致，不同单位的代码不会相同",
                        "check the names and codes in both places: one organisation has one name, and two organisations never share a code"
                    ))
                    .related(
                        first_at.clone(),
                        text!("`{}` 的代码首次出现在此", "first given here for `{}`", first_name),
                    ),
                );
            }
            Some(_) => {}
        }
    }
    out
}
