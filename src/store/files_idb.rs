//! Attached files' sealed pieces in IndexedDB: the `chunks` object store of the desk's
//! database, one value (the piece's bytes, a Uint8Array) per key `<file id>/<index>`, the
//! index as six digits ("0123456789abcdef/000002") so a file's pieces sort together and a
//! key range selects them. A file's pieces are written a few per transaction: a 25 MB file
//! in one transaction would hold the database for its whole length.

use super::files::FileChunks;
use super::idb::{finished, object_store, request, store_error, Database, CHUNKS};
use super::kv::StoreError;
use js_sys::{Array, Uint8Array};
use std::collections::BTreeSet;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::IdbKeyRange;

/// Pieces per transaction: four 1 MiB pieces.
const PIECES_PER_TRANSACTION: usize = 4;

/// The chunk store on the desk's IndexedDB database (its own connection, opened on first use).
#[derive(Default)]
pub struct IdbChunks {
    db: std::cell::RefCell<Option<std::rc::Rc<Database>>>,
}

fn chunk_key(file_id: &str, index: u32) -> String {
    format!("{file_id}/{index:06}")
}

/// Every key of one file's pieces: from "<id>/" to "<id>/~" ('~' sorts after the digits).
fn file_range(file_id: &str) -> Result<IdbKeyRange, StoreError> {
    IdbKeyRange::bound(
        &JsValue::from_str(&format!("{file_id}/")),
        &JsValue::from_str(&format!("{file_id}/~")),
    )
    .map_err(|e| store_error(&e))
}

/// Stored pieces as (index, sealed bytes), from the keys and values of one range read.
fn pieces_of(keys: &Array, values: &Array) -> Vec<(u32, Vec<u8>)> {
    let mut pieces = Vec::with_capacity(keys.length() as usize);
    for (key, value) in keys.iter().zip(values.iter()) {
        let index = key
            .as_string()
            .and_then(|k| k.rsplit_once('/').and_then(|(_, i)| i.parse::<u32>().ok()));
        // Anything not shaped like a piece is left out: opening then names it missing.
        if let (Some(index), Ok(bytes)) = (index, value.dyn_into::<Uint8Array>()) {
            pieces.push((index, bytes.to_vec()));
        }
    }
    pieces
}

impl IdbChunks {
    pub fn new() -> IdbChunks {
        IdbChunks::default()
    }

    /// The stored pieces whose keys fall in `range`, in key order, in one read.
    async fn pieces_in(&self, range: IdbKeyRange) -> Result<Vec<(u32, Vec<u8>)>, StoreError> {
        let db = self.db().await?;
        let tx = db.begin(&[CHUNKS], false).await?;
        let store = object_store(&tx, CHUNKS)?;
        let keys = store
            .get_all_keys_with_key(&range)
            .map_err(|e| store_error(&e))?;
        let values = store
            .get_all_with_key(&range)
            .map_err(|e| store_error(&e))?;
        let keys: Array = request(&keys).await?.unchecked_into();
        let values: Array = request(&values).await?.unchecked_into();
        Ok(pieces_of(&keys, &values))
    }

    async fn db(&self) -> Result<std::rc::Rc<Database>, StoreError> {
        if let Some(db) = self.db.borrow().clone() {
            return Ok(db);
        }
        let db = std::rc::Rc::new(Database::open(|| {}, || {}).await?);
        *self.db.borrow_mut() = Some(db.clone());
        Ok(db)
    }
}

impl FileChunks for IdbChunks {
    async fn put_pieces(
        &self,
        file_id: &str,
        first: u32,
        chunks: Vec<Vec<u8>>,
    ) -> Result<(), StoreError> {
        let db = self.db().await?;
        let mut index = first;
        for group in chunks.chunks(PIECES_PER_TRANSACTION) {
            // Converted before the transaction opens: nothing awaits inside it.
            let values: Vec<(String, Uint8Array)> = group
                .iter()
                .map(|piece| {
                    let key = chunk_key(file_id, index);
                    index += 1;
                    (key, Uint8Array::from(piece.as_slice()))
                })
                .collect();
            let tx = db.begin(&[CHUNKS], true).await?;
            let done = finished(&tx);
            let store = object_store(&tx, CHUNKS)?;
            for (key, value) in &values {
                if store.put_with_key(value, &JsValue::from_str(key)).is_err() {
                    let _ = tx.abort();
                    break;
                }
            }
            done.await.map_err(|e| store_error(&e))?;
        }
        Ok(())
    }

    async fn chunks(&self, file_id: &str) -> Result<Vec<(u32, Vec<u8>)>, StoreError> {
        self.pieces_in(file_range(file_id)?).await
    }

    async fn some_chunks(
        &self,
        file_id: &str,
        first: u32,
        count: u32,
    ) -> Result<Vec<(u32, Vec<u8>)>, StoreError> {
        if count == 0 {
            return Ok(Vec::new());
        }
        let last = first.saturating_add(count - 1);
        let range = IdbKeyRange::bound(
            &JsValue::from_str(&chunk_key(file_id, first)),
            &JsValue::from_str(&chunk_key(file_id, last)),
        )
        .map_err(|e| store_error(&e))?;
        self.pieces_in(range).await
    }

    async fn delete_file(&self, file_id: &str) -> Result<(), StoreError> {
        let db = self.db().await?;
        let tx = db.begin(&[CHUNKS], true).await?;
        let done = finished(&tx);
        let store = object_store(&tx, CHUNKS)?;
        store
            .delete(&file_range(file_id)?.into())
            .map_err(|e| store_error(&e))?;
        done.await.map(|_| ()).map_err(|e| store_error(&e))
    }

    async fn file_ids(&self) -> Result<BTreeSet<String>, StoreError> {
        let db = self.db().await?;
        let tx = db.begin(&[CHUNKS], false).await?;
        let store = object_store(&tx, CHUNKS)?;
        let keys = store.get_all_keys().map_err(|e| store_error(&e))?;
        let keys: Array = request(&keys).await?.unchecked_into();
        Ok(keys
            .iter()
            .filter_map(|k| k.as_string())
            .filter_map(|k| k.split_once('/').map(|(id, _)| id.to_string()))
            .collect())
    }
}
