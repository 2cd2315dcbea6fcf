//! Paths as the configuration sees them: relative to the directory of `pdao.toml`, `/`
//! separated, matched by glob (`*` stays within a directory, `**` crosses directories).

use std::path::{Component, Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// `path` made absolute against `cwd` and cleaned of `.` and `..` without touching the disk.
pub fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The file named `name` (as shown to users: relative to `cwd`, or absolute) relative to
/// `root`, `/` separated; `None` for `<stdin>` and files outside `root`.
pub fn relative_to(root: &Path, cwd: &Path, name: &str) -> Option<String> {
    if name == "<stdin>" {
        return None;
    }
    let abs = absolute(cwd, Path::new(name));
    let rel = abs.strip_prefix(root).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// A set of globs; a path matches when it or one of its parent directories matches, so
/// `drafts/` and `drafts/**` mean everything under `drafts`. As in `.gitignore`, a pattern
/// without `/` (`*.tmp.yaml`, `drafts/`) matches a name at any depth.
#[derive(Debug, Clone)]
pub struct PathGlobs {
    set: GlobSet,
    /// The patterns as written.
    pub patterns: Vec<String>,
}

impl PathGlobs {
    /// Compile `patterns`; the error names the first bad pattern's index and why.
    pub fn new(patterns: &[String]) -> Result<PathGlobs, (usize, String)> {
        let mut builder = GlobSetBuilder::new();
        for (i, p) in patterns.iter().enumerate() {
            let trimmed = p.trim().trim_start_matches("./").trim_end_matches('/');
            if trimmed.is_empty() {
                return Err((i, "empty pattern".into()));
            }
            // As in .gitignore: a pattern without `/` matches a name at any depth.
            let anchored = if trimmed.contains('/') {
                trimmed.to_string()
            } else {
                format!("**/{trimmed}")
            };
            let glob = GlobBuilder::new(&anchored)
                .literal_separator(true)
                .backslash_escape(true)
                .build()
                .map_err(|e| (i, e.kind().to_string()))?;
            builder.add(glob);
        }
        let set = builder.build().map_err(|e| (0, e.to_string()))?;
        Ok(PathGlobs {
            set,
            patterns: patterns.to_vec(),
        })
    }

    /// Whether `rel` (relative, `/` separated) or one of its parent directories matches.
    pub fn matches(&self, rel: &str) -> bool {
        if self.patterns.is_empty() {
            return false;
        }
        let mut prefix = rel;
        loop {
            if self.set.is_match(prefix) {
                return true;
            }
            match prefix.rfind('/') {
                Some(i) => prefix = prefix.get(..i).unwrap_or(""),
                None => return false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_the_path_or_a_parent() {
        let g = PathGlobs::new(&["drafts/".into(), "*.tmp.yaml".into(), "a/**/old".into()])
            .expect("compiles");
        assert!(g.matches("drafts/x.yaml"));
        assert!(g.matches("drafts"));
        assert!(g.matches("x.tmp.yaml"));
        assert!(
            g.matches("sub/x.tmp.yaml"),
            "a pattern without / matches at any depth"
        );
        assert!(g.matches("sub/drafts/y.yaml"));
        let anchored = PathGlobs::new(&["plans/*.yaml".into()]).expect("compiles");
        assert!(anchored.matches("plans/a.yaml"));
        assert!(
            !anchored.matches("plans/sub/a.yaml"),
            "* does not cross directories"
        );
        assert!(
            !anchored.matches("x/plans/a.yaml"),
            "a pattern with / is anchored"
        );
        assert!(g.matches("a/b/c/old/d.yaml"));
        assert!(!g.matches("plans/x.yaml"));
        assert!(PathGlobs::new(&["a/[".into()]).is_err());
    }

    #[test]
    fn names_are_made_relative_to_the_config_directory() {
        let root = Path::new("/repo");
        assert_eq!(
            relative_to(root, Path::new("/repo/sub"), "../plans/./a.yaml").as_deref(),
            Some("plans/a.yaml")
        );
        assert_eq!(relative_to(root, Path::new("/elsewhere"), "a.yaml"), None);
        assert_eq!(relative_to(root, root, "<stdin>"), None);
    }
}
