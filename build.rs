//! Embed the rule pack (rules/) and the document schemas (schemas/) in the binary, so that
//! `pdao check` works with no set-up; and the pre-compiled form of the pack
//! (`rules/builtin.pack`) with the fingerprint of the sources it must have been compiled from.
//!
//! The fingerprint covers the rule files, the schemas and the code that loads them into a pack.
//! The binary uses the pre-compiled pack only when its recorded fingerprint is this one, and
//! loads the YAML otherwise: a pack compiled from other sources is never used.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json" | "txt")
        ) {
            out.push(path);
        }
    }
}

fn embed(name: &str, dir: &str, code: &mut String) {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest.join(dir);
    println!("cargo:rerun-if-changed={dir}");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    code.push_str(&format!("pub static {name}: &[(&str, &str)] = &[\n"));
    for file in files {
        let rel = file
            .strip_prefix(&root)
            .unwrap_or(&file)
            .to_string_lossy()
            .replace('\\', "/");
        println!("cargo:rerun-if-changed={}", file.display());
        code.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            file.display().to_string()
        ));
    }
    code.push_str("];\n");
}

/// The source files a compiled pack depends on, besides `rules/` and `schemas/`: the types it
/// is made of and the code that builds it.
const PACK_CODE: &[&str] = &[
    "Cargo.lock",
    "src/calendar.rs",
    "src/citation.rs",
    "src/division.rs",
    "src/document/node.rs",
    "src/kind.rs",
    "src/measure.rs",
    "src/region.rs",
    "src/severity.rs",
    "src/terms.rs",
    "src/text.rs",
    "src/rules",
];

fn fingerprint(manifest: &Path) -> String {
    use sha2::{Digest, Sha256};
    let mut files = Vec::new();
    for dir in ["rules", "schemas"] {
        collect(&manifest.join(dir), &mut files);
    }
    for entry in PACK_CODE {
        let path = manifest.join(entry);
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            let mut code = Vec::new();
            collect_rs(&path, &mut code);
            files.extend(code);
        } else {
            files.push(path);
        }
    }
    files.sort();
    let mut hash = Sha256::new();
    for file in files {
        let rel = file
            .strip_prefix(manifest)
            .unwrap_or(&file)
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = fs::read(&file).unwrap_or_default();
        hash.update((rel.len() as u64).to_le_bytes());
        hash.update(rel.as_bytes());
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(&bytes);
    }
    hash.finalize()
        .iter()
        .map(|b| format!("{b}, "))
        .collect::<String>()
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().and_then(|e| e.to_str()) == Some("rs") {
            out.push(path);
        }
    }
}

fn main() {
    let mut code = String::new();
    embed("RULES", "rules", &mut code);
    embed("SCHEMAS", "schemas", &mut code);
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    code.push_str(&format!(
        "/// SHA-256 of the sources a compiled pack is made from.\npub const PACK_SOURCES: [u8; 32] = [{}];\n",
        fingerprint(&manifest)
    ));
    let compiled = manifest.join("rules/builtin.pack");
    println!("cargo:rerun-if-changed={}", compiled.display());
    if compiled.is_file() {
        code.push_str(&format!(
            "/// The pre-compiled built-in pack.\npub static COMPILED: &[u8] = include_bytes!({:?});\n",
            compiled.display().to_string()
        ));
    } else {
        code.push_str("/// No pre-compiled pack.\npub static COMPILED: &[u8] = &[];\n");
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("embedded.rs");
    let written = fs::File::create(&out).and_then(|mut f| f.write_all(code.as_bytes()));
    if let Err(e) = written {
        panic!("cannot write {}: {e}", out.display());
    }
}
