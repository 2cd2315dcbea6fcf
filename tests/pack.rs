//! The pre-compiled built-in pack (`rules/builtin.pack`) is what the YAML sources compile to,
//! and a checker built from it finds exactly what one built from the YAML finds.
//!
//! `PDAO_BLESS=1 cargo test --test pack` rewrites it after a change to the rules, the schemas or
//! the pack's code (until then the binary loads the YAML, which is slower but the same).

use std::path::{Path, PathBuf};

use pdao::rules::{compiled, load_pack, PackFiles};
use pdao::schema::Schemas;
use pdao::Checker;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn compile_from_yaml() -> Vec<u8> {
    let files = PackFiles {
        origin: "rules".into(),
        files: pdao::embedded::RULES
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect(),
    };
    let schemas = Schemas::from_files(pdao::embedded::SCHEMAS.iter().copied()).expect("schemas");
    let (pack, errors) = load_pack(&files, &schemas);
    assert!(
        errors.is_empty(),
        "the built-in pack loads clean: {errors:?}"
    );
    compiled::encode(&pack.expect("built-in pack"), &pdao::embedded::PACK_SOURCES)
        .expect("the pack encodes")
}

#[test]
fn the_committed_form_is_the_compiled_yaml() {
    let fresh = compile_from_yaml();
    let path = root().join("rules/builtin.pack");
    if std::env::var_os("PDAO_BLESS").is_some() {
        std::fs::write(&path, &fresh).expect("write rules/builtin.pack");
        return;
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "rules/builtin.pack is not the compiled form of the current sources: \
         run `PDAO_BLESS=1 cargo test --test pack` and commit it"
    );
    assert!(
        compiled::builtin().is_some(),
        "the binary carries the compiled form of its own sources"
    );
}

fn findings(checker: &Checker, dir: &Path) -> Vec<String> {
    let run = checker.check_paths(&[dir.to_path_buf()]);
    run.findings()
        .map(|f| {
            format!(
                "{} {} {} {:?} {} {}",
                f.file.name(),
                f.pointer,
                f.rule,
                f.severity,
                f.message.zh,
                f.detail.zh
            )
        })
        .collect()
}

#[test]
fn the_compiled_pack_finds_what_the_yaml_finds() {
    let (from_yaml, errors) = Checker::from_dir(&root().join("rules")).expect("YAML pack");
    assert!(errors.is_empty());
    let (builtin, errors) = Checker::builtin().expect("built-in pack");
    assert!(errors.is_empty());
    let samples = root().join("samples");
    let (a, b) = (findings(&from_yaml, &samples), findings(&builtin, &samples));
    assert!(a.len() > 500, "the samples give findings: {}", a.len());
    assert_eq!(a, b);
}
