//! Audit entries written in the same transaction as the change they record.
//!
//! A caller that is about to change something wraps the store call in [`audited`] with the
//! entry describing the change. Store writes that support it (procedure drafts and their
//! status, comments, publication decisions and the others listed in docs/ARCHITECTURE.md)
//! take the entry with [`take_pending`] just before they commit and append it to the
//! hash-chained log inside their own transaction: the change and its audit entry are stored
//! together or not at all. When the wrapped call made no such
//! write (a write path that does not take part yet), [`audited`] reports it so that the caller
//! appends the entry right after the change instead.
//!
//! A change made in several transactions (an import in chunks) records one entry per
//! transaction: each takes a [`copy_pending`] with its own part of the change and, once it has
//! committed, calls [`mark_recorded`], so that [`audited`] does not hand the entry back.

use std::future::Future;
use std::sync::{Arc, Mutex};

use crate::NewAuditEntry;

/// The pending entry, and whether a transaction recorded a copy of it.
#[derive(Default)]
struct Pending {
    entry: Option<NewAuditEntry>,
    recorded: bool,
}

type Slot = Arc<Mutex<Pending>>;

fn with_slot<T>(f: impl FnOnce(&mut Pending) -> T) -> Option<T> {
    PENDING
        .try_with(|slot| f(&mut slot.lock().unwrap_or_else(|p| p.into_inner())))
        .ok()
}

tokio::task_local! {
    static PENDING: Slot;
}

/// Runs `f` with `entry` pending. Returns the call's output and the entry again when no write
/// inside the call took it (the caller should then append it itself if the call succeeded).
pub async fn audited<F: Future>(entry: NewAuditEntry, f: F) -> (F::Output, Option<NewAuditEntry>) {
    let slot: Slot = Arc::new(Mutex::new(Pending {
        entry: Some(entry),
        recorded: false,
    }));
    let out = PENDING.scope(slot.clone(), f).await;
    let mut p = slot.lock().unwrap_or_else(|p| p.into_inner());
    let left = p.entry.take().filter(|_| !p.recorded);
    (out, left)
}

/// The entry pending for the current task, if any, taken so that exactly one transaction
/// records it. For store implementations, right before a write transaction commits.
pub fn take_pending() -> Option<NewAuditEntry> {
    with_slot(|p| p.entry.take()).flatten()
}

/// A copy of the entry pending for the current task, left pending: for a change made in several
/// transactions, each of which records its own part (see the module documentation).
pub fn copy_pending() -> Option<NewAuditEntry> {
    with_slot(|p| p.entry.clone()).flatten()
}

/// Notes that a transaction committed a copy of the pending entry ([`copy_pending`]): the
/// caller of [`audited`] then gets no entry back to append.
pub fn mark_recorded() {
    with_slot(|p| p.recorded = true);
}

/// Names the author of the pending entry, when it is only known once the request is
/// authenticated (the API's token is resolved inside the handler).
pub fn set_pending_actor(actor: &str) {
    amend_pending(|e| e.actor = actor.to_string());
}

/// Changes the pending entry, when the write knows more than its caller did (how many rows it
/// changed), right before taking it.
pub fn amend_pending(f: impl FnOnce(&mut NewAuditEntry)) {
    with_slot(|p| {
        if let Some(e) = p.entry.as_mut() {
            f(e);
        }
    });
}

/// Puts an entry back when the transaction that took it did not commit (a failed or dry
/// run), so that a later write of the same call, or the caller, still records it.
pub fn restore_pending(entry: NewAuditEntry) {
    with_slot(|p| {
        if p.entry.is_none() {
            p.entry = Some(entry);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> NewAuditEntry {
        NewAuditEntry {
            actor: "a@b".into(),
            action: "x".into(),
            entity_type: "t".into(),
            entity_id: "1".into(),
            before: None,
            after: None,
        }
    }

    #[tokio::test]
    async fn a_write_takes_the_entry_once_and_the_caller_sees_it_was_taken() {
        let (taken, left) = audited(entry(), async { (take_pending(), take_pending()) }).await;
        assert_eq!(taken.0, Some(entry()));
        assert_eq!(taken.1, None);
        assert_eq!(left, None);
    }

    #[tokio::test]
    async fn an_untaken_entry_comes_back_and_nothing_is_pending_outside() {
        let ((), left) = audited(entry(), async {}).await;
        assert_eq!(left, Some(entry()));
        assert_eq!(take_pending(), None);
        let ((), left) = audited(entry(), async {
            let e = take_pending().expect("pending");
            restore_pending(e);
        })
        .await;
        assert_eq!(left, Some(entry()));
    }

    #[tokio::test]
    async fn copies_recorded_by_several_transactions_are_not_handed_back() {
        let (copies, left) = audited(entry(), async {
            let first = copy_pending();
            mark_recorded();
            (first, copy_pending())
        })
        .await;
        assert_eq!(copies, (Some(entry()), Some(entry())));
        assert_eq!(left, None);
        // A copy whose transaction did not commit is not marked: the entry comes back.
        let (copy, left) = audited(entry(), async { copy_pending() }).await;
        assert_eq!((copy, left), (Some(entry()), Some(entry())));
        assert_eq!(copy_pending(), None, "nothing is pending outside a scope");
    }
}
