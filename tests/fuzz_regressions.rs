//! Replays the fuzz seeds (`fuzz/corpus/<target>/seed-*`) and every crash reproducer kept in
//! `fuzz/regressions/<target>/` through the fuzz targets' own bodies (`fuzz/bodies.rs`), so a
//! crash found once stays fixed without a fuzzer installed.

#[path = "../fuzz/bodies.rs"]
mod bodies;

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for (dir, prefix) in [("corpus", "seed-"), ("regressions", "")] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join(target)) else {
            continue;
        };
        out.extend(
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file()
                        && p.file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.starts_with(prefix) && !n.starts_with('.'))
                }),
        );
    }
    out.sort();
    out
}

fn replay(target: &str) {
    let (_, body) = bodies::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .expect("a target of that name");
    let files = inputs(target);
    assert!(!files.is_empty(), "no seeds for {target}");
    let failed: Vec<String> = files
        .iter()
        .filter(|path| {
            let data = std::fs::read(path).expect("readable seed");
            std::panic::catch_unwind(|| body(&data)).is_err()
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(failed.is_empty(), "{target} fails on {failed:#?}");
}

#[test]
fn check_document_inputs_replay_clean() {
    replay("check_document");
}

#[test]
fn load_pack_inputs_replay_clean() {
    replay("load_pack");
}

#[test]
fn text_parsers_inputs_replay_clean() {
    replay("text_parsers");
}

#[test]
fn every_target_has_a_fuzz_binary_and_seeds() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let manifest = std::fs::read_to_string(fuzz.join("Cargo.toml")).expect("fuzz/Cargo.toml");
    for (name, _) in bodies::TARGETS {
        assert!(
            fuzz.join("fuzz_targets")
                .join(format!("{name}.rs"))
                .is_file(),
            "fuzz/fuzz_targets/{name}.rs"
        );
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "{name} in fuzz/Cargo.toml"
        );
    }
}
