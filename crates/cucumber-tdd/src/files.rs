//! Where feature files are and how their paths are shown.

use std::{
    fs,
    path::{Path, PathBuf},
    sync::OnceLock,
};

/// Every `.feature` file under `path` (or `path` itself if it is a file),
/// sorted. A path that cannot be read yields none.
pub fn feature_files(path: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    collect_feature_files(path, &mut files);
    files.sort();
    files
}

fn collect_feature_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        out.push(path.to_path_buf());
        return;
    }
    let Ok(entries) = fs::read_dir(path) else {
        return;
    };
    for entry in entries.flatten() {
        let p = entry.path();
        if p.is_dir() {
            collect_feature_files(&p, out);
        } else if p
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("feature"))
        {
            out.push(p);
        }
    }
}

/// Shows a feature file path the way a person would type it: relative to the
/// Cargo workspace root when the file is inside it, as given otherwise.
///
/// The workspace root is the nearest ancestor of the current directory whose
/// `Cargo.toml` has a `[workspace]` table, else the nearest with a
/// `Cargo.toml`, else the current directory.
#[must_use]
pub fn display_path(path: &Path) -> String {
    let abs = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    project_root()
        .and_then(|base| abs.strip_prefix(base).ok())
        .unwrap_or(path)
        .display()
        .to_string()
}

fn project_root() -> Option<&'static Path> {
    static ROOT: OnceLock<Option<PathBuf>> = OnceLock::new();
    ROOT.get_or_init(|| {
        let cwd = std::env::current_dir().ok()?;
        let cwd = fs::canonicalize(&cwd).unwrap_or(cwd);
        let manifest = |dir: &Path| fs::read_to_string(dir.join("Cargo.toml")).ok();
        cwd.ancestors()
            .find(|d| manifest(d).is_some_and(|m| m.lines().any(|l| l.trim() == "[workspace]")))
            .or_else(|| cwd.ancestors().find(|d| manifest(d).is_some()))
            .map(Path::to_path_buf)
            .or(Some(cwd))
    })
    .as_deref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_path_outside_the_workspace_is_shown_as_given() {
        // Cannot be canonicalized (it does not exist) and is not under the
        // absolute workspace root.
        let p = Path::new("no-such-dir/x.feature");
        assert_eq!(display_path(p), "no-such-dir/x.feature");

        let inside = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tags.rs");
        assert_eq!(display_path(&inside), "crates/cucumber-tdd/src/tags.rs");
    }
}
