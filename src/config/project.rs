//! The project boundary. In CI the checked repository is written by the party being judged, so
//! every path its files name (in `pdao.toml`, an exceptions record, a pack or calendar list) is
//! resolved with its symbolic links and must land inside the project: the directory holding
//! `pdao.toml`, or the working directory when there is none. A path that leaves it is refused
//! before anything is opened.

use std::path::{Path, PathBuf};

use crate::text;
use crate::text::Text;

/// The directory repository paths must stay inside.
#[derive(Debug, Clone)]
pub struct Project {
    /// As the configuration sees it (absolute, cleaned, not resolved).
    pub root: PathBuf,
    /// With symbolic links resolved.
    canonical: PathBuf,
}

/// Why a path named by the repository is not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// It resolves (symbolic links followed) to this place outside the project.
    Outside(PathBuf),
    /// A symbolic link on the way: a report is never written through one.
    Symlink(PathBuf),
    /// Inside `.git`: writing there could replace a hook and run code at the next commit.
    Git,
}

impl Refusal {
    /// Why, for a message that names the key.
    pub fn reason(&self, project: &Project) -> Text {
        match self {
            Refusal::Outside(to) => text!(
                "解析（含符号链接）为 {}，在项目目录 {} 之外",
                "resolves (symbolic links followed) to {}, outside the project directory {}",
                to.display(),
                project.root.display()
            ),
            Refusal::Symlink(at) => text!(
                "{} 是符号链接：报告不经符号链接写入",
                "{} is a symbolic link: reports are never written through one",
                at.display()
            ),
            Refusal::Git => text!(
                "位于 .git 目录中：报告不写入 .git",
                "is inside a .git directory: reports are never written there"
            ),
        }
    }
}

impl Project {
    /// The project rooted at `root` (absolute).
    pub fn new(root: &Path) -> Project {
        Project {
            root: root.to_path_buf(),
            canonical: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
        }
    }

    /// Whether `resolved` (symbolic links resolved) lies inside the project.
    pub fn holds(&self, resolved: &Path) -> bool {
        resolved.starts_with(&self.canonical)
    }

    /// `path` (absolute, cleaned) with its symbolic links resolved, when it stays inside the
    /// project. The file need not exist yet; a dangling link on the way is refused.
    pub fn contain(&self, path: &Path) -> Result<PathBuf, Refusal> {
        let resolved = resolve(path)?;
        if self.holds(&resolved) {
            Ok(resolved)
        } else {
            Err(Refusal::Outside(resolved))
        }
    }

    /// Where a report the repository names may be written: inside the project, through no
    /// symbolic link below the project root, and not inside a `.git` directory.
    pub fn report_target(&self, path: &Path) -> Result<PathBuf, Refusal> {
        let resolved = self.contain(path)?;
        no_link_below(&self.root, path)?;
        let below = resolved.strip_prefix(&self.canonical).unwrap_or(&resolved);
        if below.components().any(|c| c.as_os_str() == ".git") {
            return Err(Refusal::Git);
        }
        Ok(resolved)
    }
}

/// Refuse `path` when it, or a directory on its way below `root`, is a symbolic link (the
/// directories above `root` are the environment's, not the repository's).
pub fn no_link_below(root: &Path, path: &Path) -> Result<(), Refusal> {
    let mut at = PathBuf::new();
    for c in path.components() {
        at.push(c.as_os_str());
        let below = at.starts_with(root) && at != root;
        if (below || at == path) && is_symlink(&at) {
            return Err(Refusal::Symlink(at));
        }
    }
    Ok(())
}

fn is_symlink(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink())
}

/// `path` (absolute, cleaned) with the symbolic links of its longest existing prefix resolved
/// and the rest appended. A dangling symbolic link on the way is refused: what it would
/// resolve to cannot be known until something creates its target.
pub fn resolve(path: &Path) -> Result<PathBuf, Refusal> {
    let mut existing = path.to_path_buf();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        match std::fs::canonicalize(&existing) {
            Ok(mut resolved) => {
                for name in rest.iter().rev() {
                    resolved.push(name);
                }
                return Ok(resolved);
            }
            Err(_) if is_symlink(&existing) => return Err(Refusal::Symlink(existing)),
            Err(_) => match (existing.file_name(), existing.parent()) {
                (Some(name), Some(parent)) => {
                    rest.push(name.to_os_string());
                    existing = parent.to_path_buf();
                }
                _ => return Ok(path.to_path_buf()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_with_links_resolved() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path().join("repo");
        std::fs::create_dir_all(root.join("sub")).expect("mkdir");
        let project = Project::new(&root);
        assert!(project.contain(&root.join("sub/new.yaml")).is_ok());
        assert!(matches!(
            project.contain(&dir.path().join("x")),
            Err(Refusal::Outside(_))
        ));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path(), root.join("out")).expect("link");
            assert!(matches!(
                project.contain(&root.join("out/x.yaml")),
                Err(Refusal::Outside(_))
            ));
            std::os::unix::fs::symlink(root.join("sub"), root.join("in")).expect("link");
            assert!(project.contain(&root.join("in/a.yaml")).is_ok());
            assert!(matches!(
                project.report_target(&root.join("in/a.json")),
                Err(Refusal::Symlink(_))
            ));
            std::os::unix::fs::symlink(root.join("nowhere"), root.join("dangling")).expect("link");
            assert!(matches!(
                project.contain(&root.join("dangling/a")),
                Err(Refusal::Symlink(_))
            ));
        }
        std::fs::create_dir_all(root.join(".git/hooks")).expect("git");
        assert_eq!(
            project.report_target(&root.join(".git/hooks/pre-commit")),
            Err(Refusal::Git)
        );
    }
}
