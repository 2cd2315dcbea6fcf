//! `pdao init KIND` templates are complete (every field of the clean sample has its place) and
//! pass `pdao check` once their placeholders are filled (here: from the clean sample).

mod common;

use pdao::template::{is_placeholder, template};
use pdao::FileOutcome;
use serde_json::Value;

/// Fill `template` from `sample`: placeholders and lists take the sample's value, fields the
/// sample does not use are dropped. Returns the paths of sample fields the template lacks.
fn fill(template: &mut Value, sample: &Value, path: &str, missing: &mut Vec<String>) {
    match (template, sample) {
        (Value::Object(t), Value::Object(s)) => {
            for key in s.keys() {
                if !t.contains_key(key) {
                    missing.push(format!("{path}/{key}"));
                }
            }
            t.retain(|k, _| s.contains_key(k));
            for (k, v) in t.iter_mut() {
                if let Some(sv) = s.get(k) {
                    fill(v, sv, &format!("{path}/{k}"), missing);
                }
            }
        }
        (Value::Array(t), Value::Array(s)) => {
            if let Some(first) = t.first().cloned() {
                for (i, item) in s.iter().enumerate() {
                    let mut shape = first.clone();
                    if shape.is_object() && item.is_object() {
                        fill(&mut shape, item, &format!("{path}/{i}"), missing);
                    }
                }
            }
            *t = s.clone();
        }
        (t, s) => {
            if let Value::String(text) = &*t {
                if !is_placeholder(text) && text != s.as_str().unwrap_or_default() {
                    missing.push(format!("{path}: template has the fixed value {text}"));
                }
            }
            *t = s.clone();
        }
    }
}

#[test]
fn templates_are_complete_and_pass_once_filled() {
    let checker = common::checker();
    for kind in checker.schemas.kinds() {
        let schema = checker.schemas.get(kind).expect("schema");
        let text = template(kind, schema);
        let file = common::source(&format!("{kind}.template.yaml"), &text);
        let parsed = pdao::document::yaml::parse(&file, pdao::document::Limits::default())
            .unwrap_or_else(|e| panic!("{kind}: the template is not YAML: {:?}", e.message));
        let mut json = parsed.to_json();
        assert_eq!(json["kind"], kind.name());
        // A clean sample of the kind: a valid-* file, or a document of a clean sample repository.
        let sample = common::files_under(&common::root().join("samples"), &["yaml"])
            .into_iter()
            .filter(|p| {
                let s = p.to_string_lossy();
                !s.contains("-broken/") && !s.contains("/invalid-")
            })
            .map(|p| common::read_json(&p))
            .find(|j| j["kind"] == kind.name())
            .unwrap_or_else(|| panic!("{kind}: no clean sample"));
        let mut missing = Vec::new();
        fill(&mut json, &sample, "", &mut missing);
        assert!(
            missing.is_empty(),
            "{kind}: the template lacks {missing:#?}"
        );
        match common::check_value(&format!("{kind}.filled.json"), &json) {
            FileOutcome::Checked { findings, .. } => {
                let real: Vec<String> = findings
                    .iter()
                    .filter(|f| f.severity != pdao::severity::Severity::Review && !f.unresolved)
                    .map(|f| format!("{} {} {}", f.rule, f.pointer, f.detail.zh))
                    .collect();
                assert!(real.is_empty(), "{kind}: filled template fails {real:#?}");
            }
            other => panic!("{kind}: {other:?}"),
        }
    }
}

#[test]
fn templates_name_the_article_each_field_serves() {
    let checker = common::checker();
    for kind in checker.schemas.kinds() {
        let text = template(kind, checker.schemas.get(kind).expect("schema"));
        let fields = text
            .lines()
            .filter(|l| {
                let t = l.trim_start().trim_start_matches("- ");
                !t.starts_with('#') && t.contains(':')
            })
            .count();
        let cited = text
            .lines()
            .filter(|l| l.trim_start().starts_with('#') && l.contains('条'))
            .count();
        assert!(
            cited * 2 >= fields,
            "{kind}: only {cited} of {fields} fields cite an article"
        );
    }
}

/// The JSON Pointers of every placeholder in a parsed template, in document order.
fn placeholders(node: &Value, at: String, out: &mut Vec<(String, String)>) {
    match node {
        Value::Object(map) => {
            for (k, v) in map {
                placeholders(v, format!("{at}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                placeholders(v, format!("{at}/{i}"), out);
            }
        }
        Value::String(s) if is_placeholder(s) => out.push((at, s.clone())),
        _ => {}
    }
}

#[test]
fn an_unfilled_template_never_passes_and_every_placeholder_is_an_error() {
    let checker = common::checker();
    for kind in checker.schemas.kinds() {
        let text = template(kind, checker.schemas.get(kind).expect("schema"));
        let file = common::source(&format!("{kind}.template.yaml"), &text);
        let json = pdao::document::yaml::parse(&file, pdao::document::Limits::default())
            .expect("the template is YAML")
            .to_json();
        let mut slots = Vec::new();
        placeholders(&json, String::new(), &mut slots);
        assert!(
            slots.len() > 10,
            "{kind}: only {} placeholders",
            slots.len()
        );
        let as_of = pdao::dates::parse_date(common::AS_OF).expect("date");
        let findings = match checker.check_file_as_of(&file, true, as_of) {
            FileOutcome::Checked { findings, .. } => findings,
            other => panic!("{kind}: the template was not checked: {other:?}"),
        };
        let errors: Vec<_> = findings
            .iter()
            .filter(|f| f.severity == pdao::severity::Severity::Error)
            .collect();
        // A list of nothing but placeholders is one gap, reported at the list by the rule that
        // requires it; every other placeholder is reported at its own place.
        let place_of = |at: &str| -> String {
            let (parent, last) = at.rsplit_once('/').unwrap_or(("", at));
            let list_of_slots = last.parse::<usize>().is_ok()
                && json
                    .pointer(parent)
                    .and_then(Value::as_array)
                    .is_some_and(|items| {
                        items.iter().all(|i| i.as_str().is_some_and(is_placeholder))
                    })
                && errors
                    .iter()
                    .any(|f| f.pointer == parent && f.rule != pdao::finding::SCHEMA_RULE_ID);
            if list_of_slots {
                parent.to_string()
            } else {
                at.to_string()
            }
        };
        let slots: Vec<(String, String)> = slots
            .into_iter()
            .map(|(at, p)| (place_of(&at), p))
            .collect();
        let unreported: Vec<&(String, String)> = slots
            .iter()
            .filter(|(at, _)| !errors.iter().any(|f| &f.pointer == at))
            .collect();
        assert!(
            unreported.is_empty(),
            "{kind}: placeholders with no error at their place: {unreported:#?}"
        );
        // Each error is about a placeholder, at its place, and says so: no error about something
        // else (a date that is not a date, an unresolved reference, a missing deadline act).
        for f in &errors {
            let slot = slots.iter().find(|(at, _)| at == &f.pointer);
            assert!(
                slot.is_some_and(|(_, p)| f.detail.zh.contains(p.trim())),
                "{kind}: {} at {} is not a placeholder finding: {}",
                f.rule,
                f.pointer,
                f.detail.zh
            );
        }
        // One gap, one finding: the schema does not repeat what a rule's `required` reports.
        for (at, _) in &slots {
            let here = errors.iter().filter(|f| &f.pointer == at).count();
            let rules_here = errors
                .iter()
                .filter(|f| &f.pointer == at && f.rule != pdao::finding::SCHEMA_RULE_ID)
                .count();
            assert!(
                here == rules_here.max(1),
                "{kind}: {at} is reported {here} times, {rules_here} by rules"
            );
        }
    }
}
