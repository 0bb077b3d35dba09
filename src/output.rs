//! Output files are written atomically: to a temporary file in the same directory, flushed
//! and synced, then renamed over the target. A reader (or a payroll import) never sees half a
//! file, and a failed run leaves the previous file in place. Inputs are never overwritten.
//!
//! Interruption (Ctrl-C, SIGINT/SIGTERM): [`install_interrupt_handler`] removes the temporary
//! files being written and ends the program with exit code 130, so an interrupted run leaves the
//! previous outputs or none. Once an [`OutputSet`] has begun renaming its files into place the
//! interruption waits until every file is in place (a few renames), so the set is never mixed.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Temporary files being written, removed on interruption.
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// An output set is renaming its files into place.
static COMMITTING: AtomicBool = AtomicBool::new(false);
/// An interruption arrived while committing; honoured once the commit is done.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Exit code of an interrupted run (128 + SIGINT, as shells report it).
pub const INTERRUPTED_EXIT_CODE: i32 = 130;

/// Installs the Ctrl-C/SIGTERM handler described in the module documentation. Errors (a
/// handler already installed) are ignored: the default action then applies.
pub fn install_interrupt_handler() {
    let _ = ctrlc::set_handler(|| {
        let mut temporaries = TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner());
        if COMMITTING.load(Ordering::SeqCst) {
            INTERRUPTED.store(true, Ordering::SeqCst);
            return;
        }
        let removed = temporaries.len();
        for temporary in temporaries.drain(..) {
            let _ = fs::remove_file(temporary);
        }
        let detail = if removed > 0 {
            format!("{removed} partly written output file(s) removed; ")
        } else {
            String::new()
        };
        eprintln!(
            "interrupted: no output was written ({detail}previous outputs, if any, are unchanged)"
        );
        std::process::exit(INTERRUPTED_EXIT_CODE);
    });
}

fn register_temporary(path: &Path) {
    let mut temporaries = TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner());
    temporaries.push(path.to_path_buf());
}

fn forget_temporary(path: &Path) {
    let mut temporaries = TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(i) = temporaries.iter().rposition(|p| p == path) {
        temporaries.swap_remove(i);
    }
}

/// Marks the start of renames that must all happen; `false` when an interruption already
/// arrived (then nothing is renamed).
fn begin_commit() -> bool {
    let _temporaries = TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner());
    COMMITTING.store(true, Ordering::SeqCst);
    !INTERRUPTED.load(Ordering::SeqCst)
}

/// Ends the renames; exits with [`INTERRUPTED_EXIT_CODE`] if an interruption waited for them.
fn end_commit(written: usize) {
    let _temporaries = TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner());
    COMMITTING.store(false, Ordering::SeqCst);
    if INTERRUPTED.load(Ordering::SeqCst) {
        eprintln!(
            "interrupted: the interruption came while the outputs were being put in place; \
             all {written} output file(s) were completed first"
        );
        std::process::exit(INTERRUPTED_EXIT_CODE);
    }
}

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
    let mut set = OutputSet::new(Vec::new());
    set.stage(target, fill)?;
    set.commit().map(|_| ())
}

fn interrupted(target: &Path) -> Error {
    Error::io(
        target,
        std::io::Error::new(std::io::ErrorKind::Interrupted, "interrupted"),
    )
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
        register_temporary(&temporary);
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
                forget_temporary(&temporary);
                self.discard();
                Err(e)
            }
        }
    }

    /// Renames every staged file into place.
    pub fn commit(mut self) -> Result<Vec<PathBuf>> {
        if !begin_commit() {
            let target = self
                .staged
                .first()
                .map(|(_, t)| t.clone())
                .unwrap_or_default();
            self.discard();
            return Err(interrupted(&target));
        }
        let staged = std::mem::take(&mut self.staged);
        let mut written = Vec::new();
        let mut failure = None;
        for (temporary, target) in staged {
            if failure.is_some() {
                let _ = fs::remove_file(&temporary);
            } else if let Err(e) = fs::rename(&temporary, &target) {
                let _ = fs::remove_file(&temporary);
                failure = Some(Error::io(&target, e));
            } else {
                written.push(target);
            }
            forget_temporary(&temporary);
        }
        end_commit(written.len());
        match failure {
            Some(e) => Err(e),
            None => Ok(written),
        }
    }

    /// Removes every staged temporary file.
    pub fn discard(&mut self) {
        for (temporary, _) in self.staged.drain(..) {
            let _ = fs::remove_file(&temporary);
            forget_temporary(&temporary);
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
        assert_eq!(result.unwrap_err().codes(), ["O1001"]);
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
        assert_eq!(failed.unwrap_err().codes(), ["O1001"]);
        drop(set);
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 0);
    }

    fn registered(path: &Path) -> bool {
        TEMPORARIES.lock().unwrap().iter().any(|p| p == path)
    }

    #[test]
    fn staged_temporaries_are_known_to_the_interrupt_handler_until_committed() {
        let dir = scratch("registry");
        let target = dir.join("shifts.csv");
        let temporary = temporary_path(&target);
        let mut set = OutputSet::new(vec![]);
        set.stage(&target, |w| {
            w.write_all(b"x").unwrap();
            Ok(())
        })
        .unwrap();
        assert!(registered(&temporary) && temporary.exists());
        set.commit().unwrap();
        assert!(!registered(&temporary) && !temporary.exists());
        assert_eq!(fs::read_to_string(&target).unwrap(), "x");

        let mut set = OutputSet::new(vec![]);
        set.stage(&target, |w| {
            w.write_all(b"y").unwrap();
            Ok(())
        })
        .unwrap();
        drop(set);
        assert!(!registered(&temporary) && !temporary.exists());
        assert_eq!(fs::read_to_string(&target).unwrap(), "x");
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
