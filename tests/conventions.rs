//! Tests that hold the pack to its conventions: it loads clean, the rule-file schema is fresh,
//! every rule has failing and passing fixtures, quotes are verbatim, samples behave, schemas are
//! documented.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use pdao::measure::{fold, Measure};
use pdao::FileOutcome;
use serde_json::Value;

#[test]
fn built_in_pack_loads_without_errors() {
    let checker = common::checker();
    assert!(!checker.pack.rules.is_empty());
}

#[test]
fn rule_file_schema_is_fresh() {
    let path = common::root().join("schemas/rule-file.schema.json");
    let generated =
        serde_json::to_string_pretty(&pdao::rules::rule_file_schema()).expect("serialise") + "\n";
    if std::env::var_os("PDAO_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write schema");
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "schemas/rule-file.schema.json is stale: run `PDAO_BLESS=1 cargo test --test conventions`"
    );
}

/// Fixture files by rule id: (path, cases that pass, cases that fail).
fn fixtures() -> BTreeMap<String, (String, usize, usize)> {
    let mut out = BTreeMap::new();
    for file in common::files_under(&common::root().join("tests/fixtures"), &["yaml"]) {
        let json = common::read_json(&file);
        let rule = json["rule"].as_str().unwrap_or_default().to_string();
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        assert_eq!(
            stem,
            rule,
            "{} must be named after its rule",
            file.display()
        );
        // The schema's own findings have a fixture file in each kind's folder, not one in all.
        if rule == pdao::finding::SCHEMA_RULE_ID {
            continue;
        }
        let cases = json["cases"].as_array().cloned().unwrap_or_default();
        let passes = cases.iter().filter(|c| c["expect"] == "pass").count();
        let fails = cases.len() - passes;
        let previous = out.insert(rule.clone(), (file.display().to_string(), passes, fails));
        assert!(previous.is_none(), "two fixture files for {rule}");
    }
    out
}

#[test]
fn every_rule_has_failing_and_passing_fixtures() {
    let fixtures = fixtures();
    let mut missing = Vec::new();
    for rule in &common::checker().pack.rules {
        match fixtures.get(&rule.id) {
            None => missing.push(format!("{}: no fixture file", rule.id)),
            Some((file, passes, fails)) => {
                let unconditional_review =
                    matches!(rule.body, pdao::rules::RuleBody::Review { when: None, .. });
                if *passes == 0 && !unconditional_review {
                    missing.push(format!("{file}: no passing case"));
                }
                if *fails == 0 {
                    missing.push(format!("{file}: no failing case"));
                }
            }
        }
    }
    for id in fixtures.keys() {
        if common::checker().pack.rule(id).is_none() {
            missing.push(format!("{id}: fixture for a rule that does not exist"));
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

#[test]
fn every_quote_is_verbatim_in_its_article() {
    let text = std::fs::read_to_string(common::root().join("rules/measure.txt")).expect("measure");
    let measure = Measure::parse(&text);
    for rule in &common::checker().pack.rules {
        let article = measure.article(rule.citation.article).expect("article");
        assert!(
            fold(&article.full_text()).contains(&fold(&rule.quote)),
            "{}: quote not in article {}: {}",
            rule.id,
            rule.citation.article,
            rule.quote
        );
    }
}

#[test]
fn ids_are_unique() {
    let mut seen = BTreeSet::new();
    for rule in &common::checker().pack.rules {
        assert!(seen.insert(rule.id.clone()), "duplicate id {}", rule.id);
    }
}

#[test]
fn valid_samples_are_clean_and_invalid_samples_fail_every_rule_of_their_kind() {
    let checker = common::checker();
    let mut fired: BTreeMap<pdao::kind::Kind, BTreeSet<String>> = BTreeMap::new();
    let samples = common::files_under(&common::root().join("samples"), &["yaml", "yml", "json"]);
    assert!(!samples.is_empty());
    for path in samples {
        let mut name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        // A sample repository holds a set: its documents are clean one by one; the broken variant's
        // defects are all between documents, and tests/repository.rs checks both as sets.
        let repo = path
            .parent()
            .and_then(|d| d.file_name())
            .and_then(|d| d.to_str())
            .filter(|d| d.starts_with("repo-"))
            .map(str::to_string);
        match repo {
            Some(dir) if dir.ends_with("-broken") => continue,
            Some(_) => name = format!("valid-{name}"),
            None => {}
        }
        let FileOutcome::Checked { kind, findings, .. } = common::check_path(&path) else {
            panic!("{} was not checked", path.display());
        };
        // Review items are not failures: they may show on any sample and count as exercised there.
        // A sample checked alone cannot resolve its references to other documents: those
        // findings are the repository tests' business.
        let (reviews, findings): (Vec<_>, Vec<_>) = findings
            .into_iter()
            .filter(|f| !f.unresolved)
            .partition(|f| f.severity == pdao::severity::Severity::Review);
        fired
            .entry(kind)
            .or_default()
            .extend(reviews.iter().map(|f| f.rule.clone()));
        if name.starts_with("valid") {
            let shown: Vec<String> = findings
                .iter()
                .map(|f| format!("{} {} {}", f.rule, f.pointer, f.detail.zh))
                .collect();
            assert!(findings.is_empty(), "{}: {shown:#?}", path.display());
        } else if name.starts_with("invalid") {
            assert!(!findings.is_empty(), "{} has no findings", path.display());
            fired
                .entry(kind)
                .or_default()
                .extend(findings.iter().map(|f| f.rule.clone()));
        } else {
            panic!("{}: samples are named valid-* or invalid-*", path.display());
        }
    }
    for kind in checker.schemas.kinds() {
        let seen = fired.get(&kind).cloned().unwrap_or_default();
        let unexercised: Vec<&str> = checker
            .pack
            .rules_for(kind)
            // Cross-document rules are exercised by the sample repositories (tests/repository.rs);
            // Art. 42's and 45's checks depend on an issuance date the draft does not have (fixtures
            // set it).
            .filter(|r| !cross_document_or_configured(r))
            .map(|r| r.id.as_str())
            .filter(|id| !seen.contains(*id))
            .collect();
        assert!(
            unexercised.is_empty(),
            "{kind}: no invalid sample fails {unexercised:?}"
        );
    }
}

fn cross_document_or_configured(rule: &pdao::rules::Rule) -> bool {
    use pdao::rules::RuleBody;
    matches!(&rule.body, RuleBody::Check(c)
        if c.is_cross_document() || c.is_transitional())
}

fn walk_properties(path: &str, schema: &Value, problems: &mut Vec<String>) {
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            let here = format!("{path}/{name}");
            let documented = prop.get("$ref").is_some()
                || (prop.get("title").is_some() && prop.get("description").is_some());
            if !documented {
                problems.push(format!("{here}: needs a title and a description"));
            }
            walk_properties(&here, prop, problems);
            if let Some(items) = prop.get("items") {
                walk_properties(&format!("{here}[]"), items, problems);
            }
        }
    }
    if let Some(defs) = schema.get("$defs").and_then(Value::as_object) {
        for (name, def) in defs {
            walk_properties(&format!("{path}/$defs/{name}"), def, problems);
        }
    }
}

#[test]
fn document_schemas_document_every_field_and_refuse_unknown_ones() {
    for (kind, schema) in common::checker()
        .schemas
        .kinds()
        .filter_map(|k| common::checker().schemas.get(k).map(|s| (k, s)))
    {
        let mut problems = Vec::new();
        walk_properties(kind.name(), schema.json(), &mut problems);
        assert_eq!(
            schema.json().get("additionalProperties"),
            Some(&Value::Bool(false)),
            "{kind}: the top level must refuse unknown fields"
        );
        assert!(
            schema.json().get("x-citation").is_some(),
            "{kind}: the schema needs an x-citation for the kind as a whole"
        );
        assert!(problems.is_empty(), "{problems:#?}");
    }
}

#[test]
fn every_article_of_the_measure_is_accounted_for() {
    let pack = &common::checker().pack;
    assert_eq!(pack.measure.articles.len(), 45);
    let missing: Vec<u32> = pack
        .measure
        .articles
        .iter()
        .map(|a| a.number)
        .filter(|n| !pack.articles.contains_key(n))
        .collect();
    assert!(
        missing.is_empty(),
        "articles without a rule file: {missing:?}"
    );
    for (n, entry) in &pack.articles {
        if entry.status == pdao::rules::ArticleStatus::NotCheckable {
            assert!(
                entry.reason.is_some(),
                "article {n} is not checkable but gives no reason"
            );
        }
    }
}

#[test]
fn every_enumerated_item_of_the_key_articles_has_its_own_rule() {
    let pack = &common::checker().pack;
    // (article, paragraph holding the items, number of items)
    for (article, paragraph, items) in [
        (18, 1, 12),
        (20, 1, 5),
        (21, 1, 5),
        (22, 1, 13),
        (26, 1, 6),
        (39, 1, 7),
    ] {
        for item in 1..=items {
            let covered = pack.rules.iter().any(|r| {
                r.citation.article == article
                    && r.citation.paragraph == Some(paragraph)
                    && r.citation.item == Some(item)
            });
            assert!(
                covered,
                "第{article}条第{paragraph}款第({item})项 has no rule"
            );
        }
    }
    // Art. 37's six contents: one rule each (GD37-P1j … P1o).
    for id in [
        "GD37-P1j", "GD37-P1k", "GD37-P1l", "GD37-P1m", "GD37-P1n", "GD37-P1o",
    ] {
        assert!(pack.rule(id).is_some(), "{id}");
    }
}

/// Whether a schema property holds a 统一社会信用代码, by its name or its title.
fn names_a_credit_code(name: &str, prop: &Value) -> bool {
    let name = name.to_ascii_lowercase();
    let title = prop
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or_default();
    name == "credit_code"
        || name.ends_with("_credit_code")
        || name.contains("unified")
        || name.contains("uscc")
        || name.contains("social_credit")
        || title.contains("信用代码")
}

fn credit_code_fields_without_the_check(path: &str, schema: &Value, out: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get("properties") {
                for (name, prop) in props {
                    if names_a_credit_code(name, prop)
                        && prop.get("$ref") != Some(&Value::from("#/$defs/credit_code"))
                    {
                        out.push(format!("{path}/properties/{name}"));
                    }
                }
            }
            for (key, sub) in map {
                credit_code_fields_without_the_check(&format!("{path}/{key}"), sub, out);
            }
        }
        Value::Array(items) => {
            for (i, sub) in items.iter().enumerate() {
                credit_code_fields_without_the_check(&format!("{path}/{i}"), sub, out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_credit_code_field_is_checked_against_gb_32100() {
    let mut unchecked = Vec::new();
    let files = common::files_under(&common::root().join("schemas"), &["json"]);
    for file in files
        .iter()
        .filter(|f| !f.ends_with("rule-file.schema.json"))
    {
        let json: Value = serde_json::from_str(&std::fs::read_to_string(file).expect("read"))
            .expect("schema JSON");
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        credit_code_fields_without_the_check(name, &json, &mut unchecked);
    }
    assert!(
        unchecked.is_empty(),
        "统一社会信用代码 fields that do not use $defs/credit_code (GB 32100-2015 check digit): {unchecked:#?}"
    );
    let checker = common::checker();
    for kind in checker.schemas.kinds() {
        let schema = checker.schemas.get(kind).expect("schema");
        assert_eq!(
            schema.json().pointer("/$defs/credit_code/format"),
            Some(&Value::from("credit-code")),
            "{kind}: $defs/credit_code must carry the credit-code format"
        );
        // Every kind names organisations (its parties, applicant, reviewer or providers).
        assert!(
            !schema.credit_code_fields().is_empty(),
            "{kind}: no credit-code field found"
        );
    }
}

#[test]
fn every_kind_names_the_date_that_places_it_before_or_under_the_measure() {
    let checker = common::checker();
    for kind in checker.schemas.kinds() {
        let schema = checker.schemas.get(kind).expect("schema");
        let path = schema
            .json()
            .get("x-document-date")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{kind}: the schema needs x-document-date"));
        let steps = pdao::rules::Path::parse(path).expect("path").0;
        assert!(
            schema.resolve(None, &steps).is_some(),
            "{kind}: x-document-date names no field: {path}"
        );
    }
}
