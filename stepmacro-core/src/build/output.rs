//! Writing the driver's files: only when the bytes change (so timestamps, and whatever watches them,
//! move only on real edits), and never leaving a file of an earlier build behind (a manifest per
//! directory records what the driver wrote there last time).

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` unless it already holds exactly them. Returns whether it wrote.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    // Write-then-rename, so a reader (an IDE, a deploy script) never sees half a file.
    let tmp = path.with_extension(format!(
        "{}.tmp{}",
        path.extension().and_then(|e| e.to_str()).unwrap_or(""),
        std::process::id()
    ));
    fs::write(&tmp, bytes)?;
    fs::rename(&tmp, path)?;
    Ok(true)
}

/// The files the driver owns in one directory, recorded in a manifest file there.
pub struct OwnedFiles {
    dir: PathBuf,
    manifest: PathBuf,
    current: BTreeSet<String>,
}

impl OwnedFiles {
    /// `manifest_name` is the manifest's file name in `dir` (one per package, so that packages
    /// sharing a directory do not delete each other's files).
    pub fn new(dir: &Path, manifest_name: &str) -> Self {
        OwnedFiles {
            dir: dir.to_path_buf(),
            manifest: dir.join(manifest_name),
            current: BTreeSet::new(),
        }
    }

    /// Writes `name` in the directory (if changed) and records it as owned.
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
        let path = self.dir.join(name);
        write_if_changed(&path, bytes)?;
        self.current.insert(name.to_owned());
        Ok(path)
    }

    /// Deletes what the previous build recorded and this one did not write, then records this build's
    /// files. Returns the deleted paths.
    pub fn finish(self) -> io::Result<Vec<PathBuf>> {
        let previous = fs::read_to_string(&self.manifest).unwrap_or_default();
        let mut removed = Vec::new();
        for name in previous.lines().map(str::trim).filter(|l| !l.is_empty()) {
            // Only plain names: a tampered manifest must not make the driver delete elsewhere.
            if self.current.contains(name) || name.contains(['/', '\\']) || name.starts_with('.') {
                continue;
            }
            let path = self.dir.join(name);
            match fs::remove_file(&path) {
                Ok(()) => removed.push(path),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        let mut text = String::new();
        for name in &self.current {
            text.push_str(name);
            text.push('\n');
        }
        fs::create_dir_all(&self.dir)?;
        write_if_changed(&self.manifest, text.as_bytes())?;
        Ok(removed)
    }
}

/// Cargo's target directory for a build script whose `OUT_DIR` is `out_dir`: the nearest ancestor
/// holding `CACHEDIR.TAG` (cargo writes one at the target root), else `CARGO_TARGET_DIR`, else
/// `<manifest dir>/target`.
pub fn target_dir(
    out_dir: Option<&Path>,
    cargo_target_dir: Option<&Path>,
    manifest_dir: &Path,
) -> PathBuf {
    if let Some(out) = out_dir
        && let Some(found) = out
            .ancestors()
            .skip(1)
            .find(|d| d.join("CACHEDIR.TAG").is_file())
    {
        return found.to_path_buf();
    }
    match cargo_target_dir {
        Some(t) if t.is_absolute() => t.to_path_buf(),
        Some(t) => manifest_dir.join(t),
        None => manifest_dir.join("target"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("stepmacro-output-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn writes_only_changes() {
        let dir = scratch("changes");
        let f = dir.join("a.json");
        assert!(write_if_changed(&f, b"1").unwrap());
        assert!(!write_if_changed(&f, b"1").unwrap());
        assert!(write_if_changed(&f, b"2").unwrap());
        assert_eq!(fs::read(&f).unwrap(), b"2");
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn stale_files_are_removed_but_foreign_ones_kept() {
        let dir = scratch("stale");
        fs::write(dir.join("mine-but-unlisted.json"), "x").unwrap();
        let mut owned = OwnedFiles::new(&dir, ".m");
        owned.write("a.json", b"a").unwrap();
        owned.write("b.json", b"b").unwrap();
        assert!(owned.finish().unwrap().is_empty());

        let mut owned = OwnedFiles::new(&dir, ".m");
        owned.write("a.json", b"a").unwrap();
        let removed = owned.finish().unwrap();
        assert_eq!(removed, [dir.join("b.json")]);
        assert!(!dir.join("b.json").exists());
        assert!(dir.join("mine-but-unlisted.json").exists());
        assert_eq!(fs::read_to_string(dir.join(".m")).unwrap(), "a.json\n");
    }

    #[test]
    fn target_dir_is_found_from_out_dir() {
        let root = scratch("target");
        let out = root.join("target/debug/build/pkg-123/out");
        fs::create_dir_all(&out).unwrap();
        fs::write(root.join("target/CACHEDIR.TAG"), "").unwrap();
        assert_eq!(target_dir(Some(&out), None, &root), root.join("target"));
        let elsewhere = root.join("t2/x/out");
        assert_eq!(
            target_dir(Some(&elsewhere), Some(Path::new("ct")), &root),
            root.join("ct")
        );
        assert_eq!(target_dir(None, None, &root), root.join("target"));
    }
}
