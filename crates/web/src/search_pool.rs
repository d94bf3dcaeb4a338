//! The threads that run searches.
//!
//! A search is a millisecond or two of CPU. Run on the async workers it would stall every other
//! request; run through `spawn_blocking` it lands on whichever of the blocking pool's threads is
//! free, whose per-thread scratch arrays (a few hundred kilobytes per 100,000 procedures, see
//! `thutuc_search::exec`) are then cold or not yet allocated, and whose threads come and go.
//! Measured at 100,000 procedures and 64 connections, that cost about 0.4 ms of CPU per request
//! and gave the least lucky requests twice the median latency. So searches go to one queue
//! served, first come first served, by one long-lived thread per core.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, OnceLock};

type Job = Box<dyn FnOnce() + Send>;

/// The queue into the search threads (started on first use).
fn queue() -> &'static Mutex<Sender<Job>> {
    static QUEUE: OnceLock<Mutex<Sender<Job>>> = OnceLock::new();
    QUEUE.get_or_init(|| {
        let (tx, rx) = channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        let threads = std::thread::available_parallelism().map_or(2, usize::from);
        for i in 0..threads {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("search-{i}"))
                .spawn(move || serve(&rx));
            if let Err(e) = spawned {
                tracing::error!("cannot start search thread {i}: {e}");
            }
        }
        Mutex::new(tx)
    })
}

fn serve(rx: &Mutex<Receiver<Job>>) {
    loop {
        // The lock is held only while waiting for the next job, never while running one.
        let job = match rx.lock() {
            Ok(rx) => rx.recv(),
            Err(poisoned) => poisoned.into_inner().recv(),
        };
        let Ok(job) = job else { return };
        // A panicking search fails its own request (its reply channel is dropped) and
        // leaves the thread serving.
        let _ = catch_unwind(AssertUnwindSafe(job));
    }
}

/// Runs `f` on a search thread and waits for its result without blocking the async worker.
/// `None` when the search panicked or no search thread could be started.
pub async fn run<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = tx.send(f());
    });
    let sent = match queue().lock() {
        Ok(q) => q.send(job),
        Err(poisoned) => poisoned.into_inner().send(job),
    };
    sent.ok()?;
    rx.await.ok()
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn jobs_run_on_the_search_threads_and_a_panic_fails_only_its_own_job() {
        let name = super::run(|| std::thread::current().name().map(str::to_owned)).await;
        assert!(name.flatten().is_some_and(|n| n.starts_with("search-")));
        let panicked: Option<()> = super::run(|| panic!("a failing search")).await;
        assert!(panicked.is_none());
        let threads = std::thread::available_parallelism().map_or(2, usize::from);
        // Every thread still serves after the panic.
        for _ in 0..threads * 4 {
            assert_eq!(super::run(|| 2 + 2).await, Some(4));
        }
    }
}
