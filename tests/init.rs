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
