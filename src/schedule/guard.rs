//! Solver crashes become errors. The LP and MIP backends are third-party code; a panic inside
//! one (numerical trouble, an internal assertion) must not take the whole plan down: the solve
//! that crashed reports a message and the scheduler keeps the best plan it already has (the
//! repaired LP rounding at worst).
//!
//! The binary's panic hook asks [`catching`] and stays silent while a guarded call runs, so
//! the panic unwinds into [`guarded`] instead of ending the program.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Guarded calls running now (any thread: solvers may fan out with rayon).
static ACTIVE: AtomicUsize = AtomicUsize::new(0);

/// True while a guarded solver call is running: a panic now is caught and reported.
pub fn catching() -> bool {
    ACTIVE.load(Ordering::SeqCst) > 0
}

struct Active;

impl Active {
    fn enter() -> Active {
        ACTIVE.fetch_add(1, Ordering::SeqCst);
        Active
    }
}

impl Drop for Active {
    fn drop(&mut self) {
        ACTIVE.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The text a panic was raised with, when it carries one.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
}

/// Runs `solve`, turning a panic into `Err("the {stage} solver crashed: ...")`.
pub fn guarded<T>(stage: &str, solve: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    let _active = Active::enter();
    match catch_unwind(AssertUnwindSafe(solve)) {
        Ok(result) => result,
        Err(payload) => Err(format!(
            "the {stage} solver crashed ({})",
            panic_message(payload.as_ref()).unwrap_or("no message")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_solver_becomes_an_error_and_the_guard_is_released() {
        let result: Result<(), String> = guarded("MIP", || panic!("pivot on a zero element"));
        let message = result.unwrap_err();
        assert!(message.contains("MIP solver crashed"), "{message}");
        assert!(message.contains("pivot on a zero element"), "{message}");
        assert_eq!(guarded("LP", || Ok::<_, String>(7)), Ok(7));
        assert_eq!(
            guarded("LP", || Err::<u8, _>("infeasible".to_string())),
            Err("infeasible".to_string())
        );
    }
}
