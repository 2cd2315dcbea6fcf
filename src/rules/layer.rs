//! Rule packs layered on the base pack (Art. 42: 县级以上数据主管部门可根据本办法，结合实际制定
//! 实施细则). A layer is a directory with `articles/NNN.yaml` files in the base pack's format,
//! checked against the base pack's measure text, and an optional `pack.yaml`:
//!
//! ```yaml
//! name: shenzhen-implementing-rules
//! title: 深圳市公共数据资源授权运营实施细则
//! tighten:                 # raise severities (never lower them)
//!   GD20-03: error         # a rule id …
//!   "article:18": warning  # … or every rule citing an article
//! ```
//!
//! A layer adds rules; it may not redefine a rule id of the base pack or of an earlier layer.

use std::path::Path;
use std::sync::Arc;

use super::load::load_article;
use super::{Pack, PackFiles, Rule};
use crate::config::policy::{Level, Selector, SeverityEntry, SeverityTable};
use crate::document::{yaml, Limits, Value};
use crate::error::InputError;
use crate::schema::Schemas;
use crate::source::SourceFile;
use crate::text;

/// A loaded layer.
#[derive(Debug, Clone)]
pub struct Layer {
    /// Its name (the directory's, when `pack.yaml` gives none).
    pub name: String,
    /// Its title.
    pub title: Option<String>,
    /// The rules it adds.
    pub rules: Vec<Arc<Rule>>,
    /// Severities it raises.
    pub tighten: SeverityTable,
}

/// Read the files of a pack directory (`pack.yaml`, `articles/*.yaml`), by relative path.
/// Symbolic links in it are not followed (an error names each), and a file larger than
/// `max_bytes` is not read.
pub fn read_dir(dir: &Path, max_bytes: u64) -> (PackFiles, Vec<InputError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let origin = dir.display().to_string();
    if !dir.is_dir() {
        errors.push(InputError::whole(
            "pdao::pack",
            &SourceFile::new(origin.clone(), ""),
            text!("规则包目录不存在", "the rule pack directory does not exist"),
        ));
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        match entry {
            Ok(e) if e.path_is_symlink() && e.depth() > 0 => errors.push(InputError::whole(
                "pdao::pack",
                &SourceFile::new(e.path().display().to_string(), ""),
                text!(
                    "规则包中的符号链接不被跟随，未读取",
                    "a symbolic link in a rule pack is not followed; not read"
                ),
            )),
            Ok(e) if e.file_type().is_file() => {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap_or(e.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                let name = e.path().display().to_string();
                match crate::inputs::read_regular(e.path(), &name, max_bytes) {
                    Ok(file) => files.push((rel, file.text().to_string())),
                    Err(err) => errors.push(err),
                }
            }
            Ok(_) => {}
            Err(err) if dir.is_dir() => errors.push(InputError::whole(
                "pdao::io",
                &SourceFile::new(origin.clone(), ""),
                text!("无法读取规则包：{}", "cannot read the rule pack: {}", err),
            )),
            Err(_) => {}
        }
    }
    (PackFiles { origin, files }, errors)
}

/// Load a layer on top of `pack` (the base and any earlier layers): its rules are appended
/// to `pack.rules`. Returns the layer and the errors of its broken files.
pub fn apply(pack: &mut Pack, files: &PackFiles, schemas: &Schemas) -> (Layer, Vec<InputError>) {
    let mut errors = Vec::new();
    let named = |rel: &str| format!("{}/{}", files.origin, rel);
    let mut layer = Layer {
        name: Path::new(&files.origin).file_name().map_or_else(
            || files.origin.clone(),
            |n| n.to_string_lossy().into_owned(),
        ),
        title: None,
        rules: Vec::new(),
        tighten: SeverityTable::default(),
    };
    if let Some((_, text)) = files.files.iter().find(|(n, _)| n == "pack.yaml") {
        let file = SourceFile::new(named("pack.yaml"), text.clone());
        manifest(&file, &mut layer, &mut errors);
    }
    let mut article_files: Vec<&(String, String)> = files
        .files
        .iter()
        .filter(|(n, _)| {
            n.starts_with("articles/") && (n.ends_with(".yaml") || n.ends_with(".yml"))
        })
        .collect();
    article_files.sort_by(|a, b| a.0.cmp(&b.0));
    if article_files.is_empty() && layer.tighten.0.is_empty() {
        errors.push(InputError::whole(
            "pdao::pack",
            &SourceFile::new(files.origin.clone(), ""),
            text!(
                "叠加的规则包既没有 articles/*.yaml，也没有 tighten",
                "the layered pack has neither articles/*.yaml nor tighten"
            ),
        ));
    }
    for (rel, text) in article_files {
        let file = SourceFile::new(named(rel), text.clone());
        match load_article(&file, &pack.measure, schemas) {
            Ok((entry, loaded)) => {
                for (rule, span) in loaded {
                    if rule.scope {
                        errors.push(InputError::at(
                            "pdao::scope",
                            &file,
                            span,
                            text!(
                                "叠加的规则包不能标记适用范围规则（scope）：本办法的适用范围由基础规则包第二条判断，\
                                 实施细则的规则只能在其之内追加",
                                "a layered pack cannot mark a scope rule (scope): the measure's scope is the base \
                                 pack's Art. 2, and an implementing rule only adds rules within it"
                            ),
                        ));
                        continue;
                    }
                    if let Some(existing) = pack.rule(&rule.id) {
                        errors.push(
                            InputError::at(
                                "pdao::duplicate-id",
                                &file,
                                span,
                                text!(
                                    "规则编号 {} 已由 {} 定义：叠加的规则包只能新增规则，不能重新定义",
                                    "rule id {} is already defined in {}: a layered pack may add rules, not redefine them",
                                    rule.id,
                                    existing.file
                                ),
                            )
                            .with_help(text!(
                                "另取一个编号（如加字母后缀），或用 tighten 提高原规则的级别",
                                "use another id (e.g. a letter suffix), or raise the rule's severity with tighten"
                            )),
                        );
                        continue;
                    }
                    let rule = Arc::new(rule);
                    layer.rules.push(Arc::clone(&rule));
                    pack.rules.push(rule);
                }
                pack.articles.entry(entry.number).or_insert(entry);
            }
            Err(mut errs) => errors.append(&mut errs),
        }
    }
    errors.extend(
        crate::config::policy::SeverityPolicy {
            tighten: layer.tighten.clone(),
            ..Default::default()
        }
        .check(pack),
    );
    (layer, errors)
}

fn manifest(file: &Arc<SourceFile>, layer: &mut Layer, errors: &mut Vec<InputError>) {
    let root = match yaml::parse(file, Limits::default()) {
        Ok(r) => r,
        Err(e) => {
            errors.push(e.without_text("YAML"));
            return;
        }
    };
    let Value::Map(entries) = &root.value else {
        errors.push(InputError::whole(
            "pdao::pack",
            &SourceFile::new(file.name(), ""),
            text!("pack.yaml 须为映射", "pack.yaml must be a mapping"),
        ));
        return;
    };
    for e in entries {
        match (e.key.as_str(), &e.value.value) {
            ("name", Value::Str(s)) => layer.name = s.clone(),
            ("title", Value::Str(s)) => layer.title = Some(s.clone()),
            ("notes", Value::Str(_)) => {}
            ("tighten", Value::Map(items)) => {
                for item in items {
                    let selector = Selector::parse(&item.key);
                    let level = item.value.as_str().and_then(Level::parse);
                    match (selector, level) {
                        (Some(selector), Some(level)) if level != Level::Off => {
                            layer.tighten.0.push(SeverityEntry {
                                selector,
                                level,
                                file: Arc::clone(file),
                                span: item.key_span,
                            })
                        }
                        (None, _) => errors.push(InputError::at(
                            "pdao::pack",
                            file,
                            item.key_span,
                            text!(
                                "`{}` 既不是规则编号，也不是条文（如 article:18）",
                                "`{}` is neither a rule id nor an article (e.g. article:18)",
                                item.key
                            ),
                        )),
                        (Some(_), _) => errors.push(InputError::at(
                            "pdao::pack",
                            file,
                            item.value.span,
                            text!(
                                "tighten 的级别只能是 error、warning 或 info（只能提高，不能关闭规则）",
                                "a tighten level must be error, warning or info (it raises; it cannot turn a rule off)"
                            ),
                        )),
                    }
                }
            }
            (key @ ("name" | "title" | "notes" | "tighten"), _) => errors.push(InputError::at(
                "pdao::pack",
                file,
                e.value.span,
                text!("`{}` 的类型不符", "`{}` has the wrong type", key),
            )),
            (key, _) => errors.push(InputError::at(
                "pdao::pack",
                file,
                e.key_span,
                text!(
                    "叠加规则包的 pack.yaml 中没有键 `{}`（可用：name、title、notes、tighten）",
                    "a layered pack's pack.yaml has no key `{}` (known: name, title, notes, tighten)",
                    key
                ),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Checker;

    const SCOPE_RULE: &str = "article: 2\ntitle: 适用范围\nchapter: 1\nrules:\n  - id: GD02-P1z\n    citation: { article: 2, paragraph: 1 }\n    quote: 本省行政区域内开展公共数据资源授权运营及其相关管理活动,适用本办法。\n    modality: MODALITY\n    kinds: [implementation-plan]\n    scope: true\n    message: { zh: 区域, en: region }\n    help: { zh: 区域, en: region }\n    check:\n      region: { path: region, is: in_province }\n";

    fn layer_with(text: &str) -> Vec<InputError> {
        let (mut checker, errors) = Checker::builtin().expect("built-in pack");
        assert!(errors.is_empty());
        let files = PackFiles {
            origin: "layer".into(),
            files: vec![("articles/002.yaml".into(), text.to_string())],
        };
        apply(&mut checker.pack, &files, &checker.schemas).1
    }

    #[test]
    fn a_layer_cannot_mark_a_scope_rule() {
        let errors = layer_with(&SCOPE_RULE.replace("MODALITY", "适用"));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].code, "pdao::scope");
    }

    #[test]
    fn only_a_check_on_a_scope_provision_can_be_the_scope_rule() {
        // 适用 is the only modality that stands in this quote; 应当 fails on the modality too,
        // and the scope flag is refused with it.
        let errors = layer_with(&SCOPE_RULE.replace("MODALITY", "应当"));
        assert!(
            errors.iter().any(|e| e
                .message
                .en
                .contains("only a check rule on a 适用 provision")),
            "{errors:?}"
        );
    }
}
