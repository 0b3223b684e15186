//! IndexedDB through web-sys, the few calls the desk needs, each turned into a future.
//!
//! A commit follows one rule: everything is sealed and converted before the transaction
//! opens; the transaction (readwrite, strict durability) first asks for `head`, then places
//! every write with no `.await` in between (a transaction commits itself once its requests
//! and callbacks run dry); the head's callback aborts the whole transaction unless the head
//! is the one the batch was built on; then the commit awaits `complete` or `abort`.
//! Wrapper crates were measured to break the middle step.

use super::kv::StoreError;
use super::mirror::Batch;
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbRequest, IdbTransaction};

/// One database per origin, like the localStorage desk before it.
pub const DB_NAME: &str = "senco-desk";
/// The header (plain JSON text) under the key `header`.
pub const META: &str = "meta";
/// Sealed records (bytes) by record id.
pub const RECORDS: &str = "records";
/// Sealed per-pupil summaries, by record id (kept for the summaries a later version writes).
pub const SUMMARIES: &str = "summaries";
/// Sealed metadata of attached files, by file id.
pub const FILES: &str = "files";
/// Sealed chunks of attached files.
pub const CHUNKS: &str = "chunks";
const STORES: [&str; 5] = [META, RECORDS, SUMMARIES, FILES, CHUNKS];
pub const HEADER: &str = "header";
pub const HEAD: &str = "head";

/// The plain messages the app already shows, from an IndexedDB error.
pub fn store_error(error: &JsValue) -> StoreError {
    match error.dyn_ref::<web_sys::DomException>() {
        Some(e) if e.name() == "QuotaExceededError" => StoreError::QuotaExceeded,
        Some(e) if e.name() == "InvalidStateError" => {
            StoreError::Failed("the connection to the browser's storage was lost".into())
        }
        Some(e) if e.name() == "SecurityError" || e.name() == "NotAllowedError" => {
            StoreError::Unavailable(e.message())
        }
        Some(e) if e.name() == "AbortError" => {
            StoreError::Failed("the browser stopped the save part-way".into())
        }
        Some(e) => StoreError::Failed(format!("{}: {}", e.name(), e.message())),
        None => StoreError::Failed("an unknown storage error".into()),
    }
}

/// Waits for a request's success or error.
pub async fn request(request: &IdbRequest) -> Result<JsValue, StoreError> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let done = request.clone();
        let on_success = Closure::once_into_js(move |_: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &done.result().unwrap_or_default());
        });
        let failed = request.clone();
        let on_error = Closure::once_into_js(move |_: JsValue| {
            let error = failed.error().ok().flatten().map(JsValue::from);
            let _ = reject.call1(&JsValue::NULL, &error.unwrap_or_default());
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise).await.map_err(|e| store_error(&e))
}

/// A promise settled when the transaction completes (Ok) or aborts (its error).
pub fn finished(tx: &IdbTransaction) -> JsFuture {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let on_complete = Closure::once_into_js(move |_: JsValue| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let aborted = tx.clone();
        let on_abort = Closure::once_into_js(move |_: JsValue| {
            let error = aborted.error().map(JsValue::from);
            let _ = reject.call1(&JsValue::NULL, &error.unwrap_or_default());
        });
        tx.set_oncomplete(Some(on_complete.unchecked_ref()));
        tx.set_onabort(Some(on_abort.unchecked_ref()));
    });
    JsFuture::from(promise)
}

pub use super::moving::record_bytes;

/// Stored bytes back to the mirror's text.
pub fn record_text(bytes: &[u8]) -> String {
    format!(
        "{}{}",
        crate::vault::RECORD_PREFIX,
        crate::vault::dense::encode(bytes)
    )
}

/// The open connection. It is closed (and the app told) when a newer version of the app
/// asks to upgrade the database in another tab, and opened again after a lost connection.
pub struct Database {
    db: RefCell<IdbDatabase>,
    upgraded: Rc<Cell<bool>>,
    on_upgraded: Rc<dyn Fn()>,
}

impl Database {
    /// Opens (and on first use creates) the database. `on_blocked` runs if an older tab
    /// holds it open at an older version; `on_upgraded` if a newer app closes it here.
    pub async fn open(
        on_blocked: impl Fn() + 'static,
        on_upgraded: impl Fn() + 'static,
    ) -> Result<Database, StoreError> {
        let upgraded = Rc::new(Cell::new(false));
        let on_upgraded: Rc<dyn Fn()> = Rc::new(on_upgraded);
        let db = connect(Rc::new(on_blocked), upgraded.clone(), on_upgraded.clone()).await?;
        Ok(Database {
            db: RefCell::new(db),
            upgraded,
            on_upgraded,
        })
    }

    /// Closes the connection (tests, and before deleting the database).
    pub fn close(&self) {
        self.db.borrow().close();
    }

    fn transaction(&self, stores: &[&str], readwrite: bool) -> Result<IdbTransaction, JsValue> {
        let names = stores
            .iter()
            .map(|s| JsValue::from_str(s))
            .collect::<Array>();
        let mode = JsValue::from_str(if readwrite { "readwrite" } else { "readonly" });
        // `durability` is not in web-sys's stable API: pass the options object by hand.
        // Browsers without it ignore the argument.
        let options = Object::new();
        Reflect::set(&options, &"durability".into(), &"strict".into())?;
        let db = self.db.borrow().clone();
        let open: Function = Reflect::get(&db, &"transaction".into())?.dyn_into()?;
        open.call3(&db, &names, &mode, &options)?.dyn_into()
    }

    /// A transaction, reconnecting once if the connection was lost (the browser closes it
    /// when storage is cleared or under memory pressure).
    pub(super) async fn begin(
        &self,
        stores: &[&str],
        readwrite: bool,
    ) -> Result<IdbTransaction, StoreError> {
        if self.upgraded.get() {
            return Err(StoreError::Upgraded);
        }
        match self.transaction(stores, readwrite) {
            Ok(tx) => Ok(tx),
            Err(_) => {
                let db = connect(
                    Rc::new(|| {}),
                    self.upgraded.clone(),
                    self.on_upgraded.clone(),
                )
                .await?;
                *self.db.borrow_mut() = db;
                self.transaction(stores, readwrite)
                    .map_err(|e| store_error(&e))
            }
        }
    }

    /// The header and every sealed record, by the mirror's keys.
    pub async fn read_desk(&self) -> Result<BTreeMap<String, String>, StoreError> {
        use super::keys::{record_key, HEADER_KEY};
        let tx = self.begin(&[META, RECORDS], false).await?;
        let meta = object_store(&tx, META)?;
        let records = object_store(&tx, RECORDS)?;
        let header = meta.get(&HEADER.into()).map_err(|e| store_error(&e))?;
        let keys = records.get_all_keys().map_err(|e| store_error(&e))?;
        let values = records.get_all().map_err(|e| store_error(&e))?;
        let header = request(&header).await?;
        let keys: Array = request(&keys).await?.unchecked_into();
        let values: Array = request(&values).await?.unchecked_into();
        let mut items = BTreeMap::new();
        if let Some(text) = header.as_string() {
            items.insert(HEADER_KEY.to_string(), text);
        }
        for (key, value) in keys.iter().zip(values.iter()) {
            let (Some(key), Ok(bytes)) = (key.as_string(), value.dyn_into::<Uint8Array>()) else {
                // Not something this app wrote: left out, so the desk reports it as missing
                // or damaged rather than failing to open at all.
                continue;
            };
            items.insert(record_key(&key), record_text(&bytes.to_vec()));
        }
        Ok(items)
    }

    /// Stores the batch in one transaction, or nothing.
    pub async fn commit_batch(&self, batch: &Batch) -> Result<(), StoreError> {
        let writes = prepared_writes(batch)?;
        let expected = match &batch.expected_head {
            Some(text) => Some(record_bytes(text).ok_or_else(|| {
                StoreError::Failed("the desk's head record in memory is damaged".into())
            })?),
            None => None,
        };
        let tx = self.begin(&[META, RECORDS], true).await?;
        let done = finished(&tx);
        let records = object_store(&tx, RECORDS)?;
        let meta = object_store(&tx, META)?;
        let stale = Rc::new(Cell::new(false));
        let read_head = records.get(&HEAD.into()).map_err(|e| store_error(&e))?;
        // Requests run in the order made, so the head is read before any write lands; a
        // head that is not the one the batch was built on aborts the transaction, which
        // undoes every write. Placing the writes now, not from the head's callback, saves
        // a round trip between the page and the browser's storage.
        let on_head = {
            let (tx, read_head, stale) = (tx.clone(), read_head.clone(), stale.clone());
            Closure::once_into_js(move |_: JsValue| {
                let current = read_head
                    .result()
                    .ok()
                    .and_then(|v| v.dyn_into::<Uint8Array>().ok())
                    .map(|bytes| bytes.to_vec());
                if current != expected {
                    stale.set(true);
                    let _ = tx.abort();
                    return;
                }
                // Nothing more will be asked: the browser may commit as soon as the
                // writes are done (where `commit()` exists; elsewhere it commits itself).
                if let Ok(commit) = Reflect::get(&tx, &"commit".into()) {
                    if let Some(commit) = commit.dyn_ref::<Function>() {
                        let _ = commit.call0(&tx);
                    }
                }
            })
        };
        read_head.set_onsuccess(Some(on_head.unchecked_ref()));
        // A write the browser refuses at once (Safari reports a full disk this way) aborts
        // the transaction; its error is the one to report.
        let mut refused = None;
        for (store, key, value) in &writes {
            let target = if *store == META { &meta } else { &records };
            let placed = match value {
                Some(value) => target.put_with_key(value, &JsValue::from_str(key)),
                None => target.delete(&JsValue::from_str(key)),
            };
            if let Err(error) = placed {
                let _ = tx.abort();
                refused = Some(error);
                break;
            }
        }
        let outcome = done.await;
        if stale.get() {
            return Err(StoreError::Stale);
        }
        outcome
            .map(|_| ())
            .map_err(|e| store_error(refused.as_ref().unwrap_or(&e)))
    }
}

/// One write, ready to place: the object store, the key, and the value (None deletes).
type PlacedWrite = (&'static str, String, Option<JsValue>);

/// Which object store and key each write goes to, with its value ready to store.
fn prepared_writes(batch: &Batch) -> Result<Vec<PlacedWrite>, StoreError> {
    use super::keys::{HEADER_KEY, RECORD_PREFIX};
    batch
        .writes
        .iter()
        .map(|(key, value)| {
            if key == HEADER_KEY {
                return Ok((
                    META,
                    HEADER.to_string(),
                    value.as_deref().map(JsValue::from_str),
                ));
            }
            let Some(id) = key.strip_prefix(RECORD_PREFIX) else {
                return Err(StoreError::Failed(format!(
                    "no place in the database for {key}"
                )));
            };
            let value = match value {
                Some(text) => {
                    let bytes = record_bytes(text).ok_or_else(|| {
                        StoreError::Failed(format!("the record {id} in memory is damaged"))
                    })?;
                    Some(JsValue::from(Uint8Array::from(bytes.as_slice())))
                }
                None => None,
            };
            Ok((RECORDS, id.to_string(), value))
        })
        .collect()
}

pub fn object_store(tx: &IdbTransaction, name: &str) -> Result<IdbObjectStore, StoreError> {
    tx.object_store(name).map_err(|e| store_error(&e))
}

async fn connect(
    on_blocked: Rc<dyn Fn()>,
    upgraded: Rc<Cell<bool>>,
    on_upgraded: Rc<dyn Fn()>,
) -> Result<IdbDatabase, StoreError> {
    let window = web_sys::window().ok_or_else(|| StoreError::Unavailable("no window".into()))?;
    let factory = window
        .indexed_db()
        .ok()
        .flatten()
        .ok_or_else(|| StoreError::Unavailable("IndexedDB is switched off".into()))?;
    let db = open_at(&factory, None, on_blocked.clone()).await?;
    // A database made empty by something else (a test, an extension) at this version has
    // no object stores: open it one version up, which creates them.
    let existing = db.object_store_names();
    let db = match STORES.iter().all(|name| existing.contains(name)) {
        true => db,
        false => {
            let version = db.version() as u32 + 1;
            db.close();
            open_at(&factory, Some(version), on_blocked).await?
        }
    };
    let closing = db.clone();
    let on_version_change = Closure::<dyn Fn()>::new(move || {
        // A newer Senco Desk wants to change the database: let it, and stop saving here.
        closing.close();
        upgraded.set(true);
        on_upgraded();
    });
    db.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
    on_version_change.forget();
    Ok(db)
}

/// Opens the database (at `version`, if given), creating any missing object store on the way up.
async fn open_at(
    factory: &web_sys::IdbFactory,
    version: Option<u32>,
    on_blocked: Rc<dyn Fn()>,
) -> Result<IdbDatabase, StoreError> {
    // Without a version: whatever version is there (a new database starts at 1).
    let opening = match version {
        Some(version) => factory.open_with_u32(DB_NAME, version),
        None => factory.open(DB_NAME),
    }
    .map_err(|e| StoreError::Unavailable(store_error(&e).to_string()))?;
    let creating = opening.clone();
    let on_upgrade = Closure::once_into_js(move |_: JsValue| {
        let Ok(db) = creating.result().map(|r| r.unchecked_into::<IdbDatabase>()) else {
            return;
        };
        let existing = db.object_store_names();
        for name in STORES {
            if !existing.contains(name) {
                let _ = db.create_object_store(name);
            }
        }
    });
    opening.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    let blocked = Closure::<dyn Fn()>::new(move || on_blocked());
    opening.set_onblocked(Some(blocked.as_ref().unchecked_ref()));
    blocked.forget();
    Ok(request(&opening).await?.unchecked_into())
}

impl super::database::DeskDatabase for Database {
    async fn commit(&self, batch: &Batch) -> Result<(), StoreError> {
        self.commit_batch(batch).await
    }

    async fn read_all(&self) -> Result<BTreeMap<String, String>, StoreError> {
        self.read_desk().await
    }
}
