//! Where attached files' sealed pieces are kept: apart from the records (a 5 MB report is
//! not rewritten on every save of the pupil's file), under the file's random id and the
//! piece's index. IndexedDB in the browser, memory in tests.
//!
//! The order of writes keeps storage consistent without one transaction for both:
//! - adding: the pieces first, then the pupil's file naming them (the normal save). If that
//!   save fails, the pieces belong to nobody: [`sweep_orphans`] removes them at the next
//!   unlock.
//! - deleting: the pupil's file without the file first, then its pieces. If the second step
//!   fails, the sweep removes them later.
//! - erasing a pupil: their file goes, then every piece of their files ([`delete_files`]).

use super::kv::StoreError;
use crate::domain::attachment::Attachment;
use crate::vault::attachment::{open_file, FileError};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use zeroize::Zeroizing;

/// Sealed pieces by file id and index. Each call is all-or-nothing for the pieces it
/// names, or reports an error.
#[allow(async_fn_in_trait)]
pub trait FileChunks {
    /// Stores a file's sealed pieces, numbered from 0.
    async fn put_file(&self, file_id: &str, chunks: Vec<Vec<u8>>) -> Result<(), StoreError> {
        self.put_pieces(file_id, 0, chunks).await
    }
    /// Stores some of a file's sealed pieces, numbered from `first` (a backup being
    /// restored hands them over a few at a time).
    async fn put_pieces(
        &self,
        file_id: &str,
        first: u32,
        chunks: Vec<Vec<u8>>,
    ) -> Result<(), StoreError>;
    /// Every piece stored under `file_id`: (index, sealed bytes).
    async fn chunks(&self, file_id: &str) -> Result<Vec<(u32, Vec<u8>)>, StoreError>;
    /// The pieces of `file_id` numbered `first` to `first + count - 1` that are stored, in
    /// order: a backup reads a file this way, a few pieces at a time.
    async fn some_chunks(
        &self,
        file_id: &str,
        first: u32,
        count: u32,
    ) -> Result<Vec<(u32, Vec<u8>)>, StoreError> {
        let mut pieces: Vec<(u32, Vec<u8>)> = self
            .chunks(file_id)
            .await?
            .into_iter()
            .filter(|(index, _)| (first..first.saturating_add(count)).contains(index))
            .collect();
        pieces.sort_by_key(|(index, _)| *index);
        Ok(pieces)
    }
    /// Removes every piece of the file (nothing if there are none).
    async fn delete_file(&self, file_id: &str) -> Result<(), StoreError>;
    /// The id of every file with at least one piece stored.
    async fn file_ids(&self) -> Result<BTreeSet<String>, StoreError>;
}

/// Why an attached file could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenFileError {
    Storage(StoreError),
    File(FileError),
}

impl fmt::Display for OpenFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenFileError::Storage(e) => e.fmt(f),
            OpenFileError::File(e) => e.fmt(f),
        }
    }
}

/// Reads and opens an attached file, checking every piece.
pub async fn read_attachment(
    store: &impl FileChunks,
    attachment: &Attachment,
) -> Result<Zeroizing<Vec<u8>>, OpenFileError> {
    let stored = store
        .chunks(&attachment.id)
        .await
        .map_err(OpenFileError::Storage)?;
    open_file(
        &attachment.key,
        &attachment.id,
        attachment.chunks,
        attachment.size,
        stored,
    )
    .map_err(OpenFileError::File)
}

/// Removes the pieces of these files (a deleted file, an erased pupil's files).
pub async fn delete_files(
    store: &impl FileChunks,
    file_ids: impl IntoIterator<Item = String>,
) -> Result<(), StoreError> {
    for id in file_ids {
        store.delete_file(&id).await?;
    }
    Ok(())
}

/// Removes the pieces of every file that no record names (`named`): left by an add whose
/// save failed, a delete or erasure cut short, or a restore that replaced the records.
/// Files in `spare` are left alone: another tab may be adding them at this moment (its
/// pieces are stored before the record naming them is saved). Returns how many went.
///
/// Only call this with a desk whose every record opened: the files a damaged record names
/// are unknown, and must not be taken for orphans.
pub async fn sweep_orphans(
    store: &impl FileChunks,
    named: &BTreeSet<String>,
    spare: &BTreeSet<String>,
) -> Result<usize, StoreError> {
    let mut swept = 0;
    for id in store.file_ids().await? {
        if !named.contains(&id) && !spare.contains(&id) {
            store.delete_file(&id).await?;
            swept += 1;
        }
    }
    Ok(swept)
}

/// Pieces in memory, for tests (and a browser without IndexedDB, where nothing persists).
#[derive(Debug, Default)]
pub struct MemoryChunks {
    pieces: RefCell<BTreeMap<(String, u32), Vec<u8>>>,
    /// The next `put_file` fails, as a full store would.
    pub fail_next_put: RefCell<bool>,
    /// Writes finish later, as IndexedDB's do: a write's pieces are placed when it is first
    /// polled (and stay, as a transaction commits without anyone waiting), and it is done
    /// at the next poll.
    pub slow_puts: std::cell::Cell<bool>,
    /// With `slow_puts`: this write (counted from 1) places nothing and fails when done.
    pub failing_put: std::cell::Cell<Option<usize>>,
    puts: std::cell::Cell<usize>,
}

/// Pending once, then ready: a write the disk finishes later.
struct Later(bool);

impl std::future::Future for Later {
    type Output = ();
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if std::mem::replace(&mut self.0, true) {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    }
}

impl MemoryChunks {
    pub fn new() -> MemoryChunks {
        MemoryChunks::default()
    }

    /// Every stored piece, for tests that check what storage holds.
    pub fn all(&self) -> Vec<((String, u32), Vec<u8>)> {
        self.pieces
            .borrow()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Replaces a stored piece (tests of tampering).
    pub fn set(&self, file_id: &str, index: u32, bytes: Option<Vec<u8>>) {
        let key = (file_id.to_string(), index);
        let mut pieces = self.pieces.borrow_mut();
        match bytes {
            Some(bytes) => pieces.insert(key, bytes),
            None => pieces.remove(&key),
        };
    }
}

impl FileChunks for MemoryChunks {
    async fn put_pieces(
        &self,
        file_id: &str,
        first: u32,
        chunks: Vec<Vec<u8>>,
    ) -> Result<(), StoreError> {
        if self.fail_next_put.replace(false) {
            return Err(StoreError::QuotaExceeded);
        }
        self.puts.set(self.puts.get() + 1);
        let failing = self.failing_put.get() == Some(self.puts.get());
        if !failing {
            let mut pieces = self.pieces.borrow_mut();
            for (index, chunk) in chunks.into_iter().enumerate() {
                pieces.insert((file_id.to_string(), first + index as u32), chunk);
            }
        }
        if self.slow_puts.get() {
            Later(false).await;
        }
        match failing {
            true => Err(StoreError::QuotaExceeded),
            false => Ok(()),
        }
    }

    async fn chunks(&self, file_id: &str) -> Result<Vec<(u32, Vec<u8>)>, StoreError> {
        Ok(self
            .pieces
            .borrow()
            .iter()
            .filter(|((id, _), _)| id == file_id)
            .map(|((_, index), bytes)| (*index, bytes.clone()))
            .collect())
    }

    async fn delete_file(&self, file_id: &str) -> Result<(), StoreError> {
        self.pieces.borrow_mut().retain(|(id, _), _| id != file_id);
        Ok(())
    }

    async fn file_ids(&self) -> Result<BTreeSet<String>, StoreError> {
        Ok(self
            .pieces
            .borrow()
            .keys()
            .map(|(id, _)| id.clone())
            .collect())
    }
}

/// Polls a future to its end on this thread: enough for the memory store, whose futures
/// never wait. For native tests.
#[cfg(test)]
pub(crate) fn block_on<F: std::future::Future>(future: F) -> F::Output {
    use std::task::{Context, Poll, Waker};
    let mut future = std::pin::pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut context) {
            return out;
        }
    }
}

/// The chunk store this browser uses, shared by every screen of the tab.
#[cfg(target_arch = "wasm32")]
pub type BrowserChunks = super::files_idb::IdbChunks;

#[cfg(target_arch = "wasm32")]
pub fn browser_chunks() -> std::rc::Rc<BrowserChunks> {
    thread_local! {
        static CHUNKS: std::rc::Rc<BrowserChunks> = std::rc::Rc::new(BrowserChunks::new());
    }
    CHUNKS.with(|c| c.clone())
}
