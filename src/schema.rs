//! The JSON Schema of each document kind (`schemas/<kind>.schema.json`), bundled with the shared
//! definitions of `common.schema.json` so that no `$ref` leaves the file, compiled once.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use jsonschema::{PatternOptions, Validator};
use serde_json::{Map, Value as Json};

use crate::document::Step;
use crate::kind::Kind;

/// A kind's schema: the bundled JSON and its validator, each made on first use.
pub struct KindSchema {
    /// The schema file's name.
    file: String,
    /// Its text.
    text: String,
    /// The shared definitions (`common.schema.json`), as text, parsed once for all kinds.
    common: std::sync::Arc<Common>,
    /// The schema with common `$defs` merged in (what `pdao schema KIND` prints), parsed on
    /// first use: a run reads the schemas of the kinds it meets, not all nine.
    json: OnceLock<Result<Json, String>>,
    /// Compiled on first use, once, shared across threads: a run compiles the schemas of the
    /// kinds it meets, not all nine (most of a one-document run's start-up time otherwise).
    validator: OnceLock<Result<Validator, String>>,
    /// Where the kind's 统一社会信用代码 fields are, found on first use.
    credit_codes: OnceLock<Vec<FieldPath>>,
}

/// `common.schema.json`, parsed on first use.
struct Common {
    file: String,
    text: Option<String>,
    defs: OnceLock<Result<Map<String, Json>, String>>,
}

impl Common {
    fn defs(&self) -> Result<&Map<String, Json>, String> {
        self.defs
            .get_or_init(|| {
                let Some(text) = &self.text else {
                    return Ok(Map::new());
                };
                match serde_json::from_str::<Json>(text) {
                    Ok(json) => Ok(match json.get("$defs") {
                        Some(Json::Object(defs)) => defs.clone(),
                        _ => Map::new(),
                    }),
                    Err(e) => Err(format!("{}: {e}", self.file)),
                }
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// One step of a field's place in a kind's documents: a key, or any item of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldStep {
    /// A mapping key.
    Key(String),
    /// Every item of a list.
    Item,
}

/// A field's place in a kind's documents, from the root.
pub type FieldPath = Vec<FieldStep>;

/// All kinds' schemas.
#[derive(Default)]
pub struct Schemas {
    by_kind: BTreeMap<Kind, KindSchema>,
}

/// A schema set that could not be built: which file, and why.
#[derive(Debug)]
pub struct SchemaError {
    /// The schema file.
    pub file: String,
    /// Why.
    pub message: String,
}

impl Schemas {
    /// Build from `(file name, text)` pairs: `common.schema.json` and `<kind>.schema.json` files.
    /// Other files (such as the rule-file schema) are ignored.
    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Schemas, SchemaError> {
        let files: Vec<(&str, &str)> = files.into_iter().collect();
        let common = std::sync::Arc::new(Common {
            file: "common.schema.json".into(),
            text: files
                .iter()
                .find(|(n, _)| *n == "common.schema.json")
                .map(|(_, t)| t.to_string()),
            defs: OnceLock::new(),
        });
        let mut by_kind = BTreeMap::new();
        for (name, text) in &files {
            let Some(kind) = name.strip_suffix(".schema.json").and_then(Kind::from_name) else {
                continue;
            };
            by_kind.insert(
                kind,
                KindSchema {
                    file: name.to_string(),
                    text: text.to_string(),
                    common: std::sync::Arc::clone(&common),
                    json: OnceLock::new(),
                    validator: OnceLock::new(),
                    credit_codes: OnceLock::new(),
                },
            );
        }
        Ok(Schemas { by_kind })
    }

    /// Compile every kind's validator now: the first error, naming its file.
    pub fn compile_all(&self) -> Result<(), SchemaError> {
        for (kind, schema) in &self.by_kind {
            schema.bundled().map_err(|message| SchemaError {
                file: format!("{}.schema.json", kind.name()),
                message: message.to_string(),
            })?;
            schema.validator().map_err(|message| SchemaError {
                file: format!("{}.schema.json", kind.name()),
                message: message.to_string(),
            })?;
        }
        Ok(())
    }

    /// The schema of `kind`, if the pack has one.
    pub fn get(&self, kind: Kind) -> Option<&KindSchema> {
        self.by_kind.get(&kind)
    }

    /// Kinds that have a schema.
    pub fn kinds(&self) -> impl Iterator<Item = Kind> + '_ {
        self.by_kind.keys().copied()
    }
}

impl KindSchema {
    /// The schema, bundled with the common `$defs`; why it cannot be, if it cannot (the built-in
    /// schemas can: a test bundles and compiles them all).
    pub fn bundled(&self) -> Result<&Json, &str> {
        self.json
            .get_or_init(|| {
                let mut json = serde_json::from_str::<Json>(&self.text)
                    .map_err(|e| format!("{}: {e}", self.file))?;
                let common = self.common.defs()?;
                let Some(obj) = json.as_object_mut() else {
                    return Err(format!("{}: a schema must be a JSON object", self.file));
                };
                let defs = obj
                    .entry("$defs")
                    .or_insert_with(|| Json::Object(Map::new()));
                if let Json::Object(defs) = defs {
                    for (k, v) in common {
                        if defs.contains_key(k) {
                            return Err(format!(
                                "{}: $defs/{k} clashes with common.schema.json",
                                self.file
                            ));
                        }
                        defs.insert(k.clone(), v.clone());
                    }
                }
                Ok(json)
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// The bundled schema; an empty one (which constrains nothing) if it cannot be bundled, whose
    /// error [`KindSchema::validator`] reports.
    pub fn json(&self) -> &Json {
        static EMPTY: OnceLock<Json> = OnceLock::new();
        self.bundled()
            .unwrap_or_else(|_| EMPTY.get_or_init(|| Json::Object(Map::new())))
    }

    /// The compiled validator (compiled on first use); the compiler's error if the schema
    /// does not compile (the built-in schemas do: a test compiles them all).
    pub fn validator(&self) -> Result<&Validator, &str> {
        self.validator
            .get_or_init(|| {
                let json = self.bundled().map_err(str::to_string)?;
                jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft202012)
                    .should_validate_formats(true)
                    .with_pattern_options(PatternOptions::regex())
                    .with_format("credit-code", |s: &str| {
                        crate::identity::credit_code_problem(s).is_none()
                    })
                    .with_format("cn-date", |s: &str| crate::dates::parse_date(s).is_some())
                    .build(json)
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// Every field whose value must be a 统一社会信用代码 (`format: credit-code`, through
    /// `$defs/credit_code`), wherever it stands (inside lists, `$defs` and branches).
    pub fn credit_code_fields(&self) -> &[FieldPath] {
        self.credit_codes.get_or_init(|| {
            let mut out = Vec::new();
            self.collect_format(self.json(), &mut Vec::new(), "credit-code", &mut out, 0);
            out.dedup();
            out
        })
    }

    fn collect_format(
        &self,
        schema: &Json,
        at: &mut FieldPath,
        format: &str,
        out: &mut Vec<FieldPath>,
        depth: usize,
    ) {
        // `$ref`s may recurse; no document schema nests anywhere near this deep.
        if depth > 24 {
            return;
        }
        let schema = self.deref(schema);
        if schema.get("format").and_then(Json::as_str) == Some(format) {
            out.push(at.clone());
        }
        if let Some(props) = schema.get("properties").and_then(Json::as_object) {
            for (key, sub) in props {
                at.push(FieldStep::Key(key.clone()));
                self.collect_format(sub, at, format, out, depth + 1);
                at.pop();
            }
        }
        if let Some(items) = schema.get("items") {
            at.push(FieldStep::Item);
            self.collect_format(items, at, format, out, depth + 1);
            at.pop();
        }
        for branch in self.branches(schema) {
            self.collect_format(branch, at, format, out, depth + 1);
        }
    }

    /// The sub-schema describing the value at `path` below `from` (the root when `None`):
    /// follows `properties`, list `items`, local `$ref`s and `allOf`/`anyOf`/`oneOf` branches.
    pub fn resolve<'a>(&'a self, from: Option<&'a Json>, path: &[Step]) -> Option<&'a Json> {
        let mut current = self.deref(from.unwrap_or(self.json()));
        for step in path {
            current = self.step(current, step)?;
        }
        Some(current)
    }

    /// The annotation `key` (e.g. `x-ref`) of the property at `path`, read beside a `$ref` before
    /// following it.
    pub fn annotation(&self, path: &[Step], key: &str) -> Option<&Json> {
        self.annotations_along(path, key).pop().flatten()
    }

    /// The `x-citation` of each step along `path`, read on the property itself (beside a
    /// `$ref`) before following the reference.
    pub fn citations_along(&self, path: &[Step]) -> Vec<Option<&Json>> {
        self.annotations_along(path, "x-citation")
    }

    fn annotations_along(&self, path: &[Step], key: &str) -> Vec<Option<&Json>> {
        let mut out = Vec::with_capacity(path.len());
        let mut current = Some(self.deref(self.json()));
        for step in path {
            let raw = current.and_then(|schema| match step {
                Step::Key(k) => schema.get("properties").and_then(|p| p.get(k)).or_else(|| {
                    self.branches(schema)
                        .find_map(|b| b.get("properties")?.get(k))
                }),
                Step::Index(_) => schema.get("items"),
            });
            out.push(
                raw.and_then(|r| r.get(key))
                    .or_else(|| raw.map(|r| self.deref(r)).and_then(|r| r.get(key))),
            );
            current = raw.map(|r| self.deref(r));
        }
        out
    }

    /// The sub-schema of a list's items.
    pub fn items<'a>(&'a self, list: &'a Json) -> Option<&'a Json> {
        let list = self.deref(list);
        list.get("items")
            .map(|i| self.deref(i))
            .or_else(|| self.branches(list).find_map(|b| self.items(b)))
    }

    fn step<'a>(&'a self, schema: &'a Json, step: &Step) -> Option<&'a Json> {
        let schema = self.deref(schema);
        let direct = match step {
            Step::Key(k) => schema
                .get("properties")
                .and_then(|p| p.get(k))
                .map(|s| self.deref(s)),
            Step::Index(_) => self.items(schema),
        };
        direct.or_else(|| self.branches(schema).find_map(|b| self.step(b, step)))
    }

    fn branches<'a>(&'a self, schema: &'a Json) -> impl Iterator<Item = &'a Json> + 'a {
        ["allOf", "anyOf", "oneOf"]
            .into_iter()
            .filter_map(move |k| schema.get(k).and_then(Json::as_array))
            .flatten()
            .map(|b| self.deref(b))
    }

    fn deref<'a>(&'a self, schema: &'a Json) -> &'a Json {
        let mut current = schema;
        for _ in 0..32 {
            match current.get("$ref").and_then(Json::as_str) {
                Some(r) => match r.strip_prefix('#').and_then(|p| self.json().pointer(p)) {
                    Some(target) => current = target,
                    None => return current,
                },
                None => return current,
            }
        }
        current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_schema_compiles() {
        let schemas =
            Schemas::from_files(crate::embedded::SCHEMAS.iter().copied()).expect("bundled");
        assert!(schemas.kinds().count() >= 3);
        if let Err(e) = schemas.compile_all() {
            panic!("{}: {}", e.file, e.message);
        }
    }
}
