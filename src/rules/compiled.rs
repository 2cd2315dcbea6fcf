//! The built-in pack in pre-compiled form: what [`super::load_pack`] makes of `rules/`, stored
//! with postcard (a compact serde format that is not self-describing) so that a run starts
//! without parsing YAML or re-checking quotes, paths and regular expressions (they were checked
//! when the form was made).
//!
//! The form begins with the fingerprint of the sources it was compiled from (the rule files, the
//! schemas and the code of the pack's types, computed by `build.rs`). A form whose fingerprint is
//! not the binary's own is not used: the YAML is loaded instead, so a stale form can make a run
//! slower but never different. `PDAO_BLESS=1 cargo test --test pack` writes a fresh one, and the
//! same test fails while the committed one is stale.

use super::Pack;

const MAGIC: &[u8; 8] = b"PDAOPACK";

/// `pack` in pre-compiled form, for sources with fingerprint `sources`.
pub fn encode(pack: &Pack, sources: &[u8; 32]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(1 << 20);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(sources);
    postcard::to_extend(pack, out).map_err(|e| e.to_string())
}

/// The pack in `bytes`, if they hold one compiled from sources with fingerprint `sources`.
pub fn decode(bytes: &[u8], sources: &[u8; 32]) -> Option<Pack> {
    let rest = bytes.strip_prefix(MAGIC.as_slice())?;
    let (fingerprint, body) = rest.split_at_checked(32)?;
    if fingerprint != sources {
        return None;
    }
    postcard::from_bytes(body).ok()
}

/// The built-in pack, when the binary carries a form compiled from its own sources.
pub fn builtin() -> Option<Pack> {
    let pack = decode(crate::embedded::COMPILED, &crate::embedded::PACK_SOURCES)?;
    crate::region::Divisions::preset_builtin(&pack.regions);
    Some(pack)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_from_other_sources_or_damaged_is_not_used() {
        let files = crate::rules::PackFiles {
            origin: "rules".into(),
            files: crate::embedded::RULES
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
        };
        let schemas = crate::schema::Schemas::from_files(crate::embedded::SCHEMAS.iter().copied())
            .expect("built-in schemas");
        let (pack, errors) = crate::rules::load_pack(&files, &schemas);
        assert!(errors.is_empty());
        let pack = pack.expect("built-in pack");
        let sources = [7u8; 32];
        let bytes = encode(&pack, &sources).expect("encodes");
        let back = decode(&bytes, &sources).expect("decodes");
        assert_eq!(back.rules.len(), pack.rules.len());
        assert!(decode(&bytes, &[8u8; 32]).is_none());
        assert!(decode(&bytes[..bytes.len() / 2], &sources).is_none());
        assert!(decode(b"PDAOPACK", &sources).is_none());
        assert!(decode(&[], &sources).is_none());
    }
}
