//! Output files are written atomically: to a temporary file in the same directory, flushed
//! and synced, then renamed over the target. A reader (or a payroll import) never sees half a
//! file, and a failed run leaves the previous file in place. Inputs are never overwritten.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// True when `a` and `b` name the same file (after resolving links), or the same path when
/// either does not exist yet.
fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => {
            let resolve_parent = |p: &Path| -> Option<PathBuf> {
                let parent = p
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                Some(fs::canonicalize(parent).ok()?.join(p.file_name()?))
            };
            matches!((resolve_parent(a), resolve_parent(b)), (Some(x), Some(y)) if x == y)
        }
    }
}

/// Refuses (`O1002`) when `target` is one of `inputs`.
pub fn ensure_not_input(target: &Path, inputs: &[PathBuf]) -> Result<()> {
    if let Some(input) = inputs.iter().find(|input| same_file(target, input)) {
        return Err(Error::input(
            "O1002",
            target.display().to_string(),
            format!("writing here would overwrite the input {}", input.display()),
            "choose another output directory or file name",
        ));
    }
    Ok(())
}

/// Temporary sibling of `target` used while writing.
fn temporary_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    target.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Writes `target` atomically with `fill`, which receives a buffered writer. On any error the
/// temporary file is removed and `target` is left as it was.
pub fn write_atomic<F>(target: &Path, fill: F) -> Result<()>
where
    F: FnOnce(&mut dyn Write) -> Result<()>,
{
    let temporary = temporary_path(target);
    let result = (|| {
        let file = File::create(&temporary).map_err(|e| Error::io(&temporary, e))?;
        let mut writer = BufWriter::new(file);
        fill(&mut writer)?;
        let file = writer
            .into_inner()
            .map_err(|e| Error::io(&temporary, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(&temporary, e))?;
        fs::rename(&temporary, target).map_err(|e| Error::io(target, e))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

/// A set of output files committed together: each is first written to a temporary file; only
/// when all succeeded are they renamed into place. If any fails, none is renamed.
#[derive(Debug, Default)]
pub struct OutputSet {
    staged: Vec<(PathBuf, PathBuf)>,
    inputs: Vec<PathBuf>,
}

impl OutputSet {
    /// A new set that refuses to overwrite any of `inputs`.
    pub fn new(inputs: Vec<PathBuf>) -> Self {
        OutputSet {
            staged: Vec::new(),
            inputs,
        }
    }

    /// Writes `target`'s content to its temporary file.
    pub fn stage<F>(&mut self, target: &Path, fill: F) -> Result<()>
    where
        F: FnOnce(&mut dyn Write) -> Result<()>,
    {
        ensure_not_input(target, &self.inputs)?;
        let temporary = temporary_path(target);
        let result = (|| {
            let file = File::create(&temporary).map_err(|e| Error::io(&temporary, e))?;
            let mut writer = BufWriter::new(file);
            fill(&mut writer)?;
            let file = writer
                .into_inner()
                .map_err(|e| Error::io(&temporary, e.into_error()))?;
            file.sync_all().map_err(|e| Error::io(&temporary, e))
        })();
        match result {
            Ok(()) => {
                self.staged.push((temporary, target.to_path_buf()));
                Ok(())
            }
            Err(e) => {
                let _ = fs::remove_file(&temporary);
                self.discard();
                Err(e)
            }
        }
    }

    /// Renames every staged file into place.
    pub fn commit(mut self) -> Result<Vec<PathBuf>> {
        let staged = std::mem::take(&mut self.staged);
        let mut written = Vec::new();
        for (temporary, target) in staged {
            fs::rename(&temporary, &target).map_err(|e| Error::io(&target, e))?;
            written.push(target);
        }
        Ok(written)
    }

    /// Removes every staged temporary file.
    pub fn discard(&mut self) {
        for (temporary, _) in self.staged.drain(..) {
            let _ = fs::remove_file(temporary);
        }
    }
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        self.discard();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("staffplan-output-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn failed_write_leaves_previous_file_and_no_temporary() {
        let dir = scratch("atomic");
        let target = dir.join("roster.csv");
        fs::write(&target, "old").unwrap();
        let result = write_atomic(&target, |w| {
            w.write_all(b"half").unwrap();
            Err(Error::input("O1001", "x", "boom", "none"))
        });
        assert!(result.is_err());
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
    }

    #[test]
    fn output_set_commits_all_or_nothing() {
        let dir = scratch("set");
        let mut set = OutputSet::new(vec![]);
        set.stage(&dir.join("a.csv"), |w| {
            w.write_all(b"a").unwrap();
            Ok(())
        })
        .unwrap();
        let failed = set.stage(&dir.join("b.csv"), |_| {
            Err(Error::input("O1001", "x", "y", "z"))
        });
        assert!(failed.is_err());
        drop(set);
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 0);
    }

    #[test]
    fn inputs_are_never_overwritten() {
        let dir = scratch("inputs");
        let input = dir.join("volume.csv");
        fs::write(&input, "x").unwrap();
        let err = ensure_not_input(&dir.join("./volume.csv"), &[input]).unwrap_err();
        assert_eq!(err.codes(), ["O1002"]);
    }
}
