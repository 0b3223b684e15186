//! What needs a real browser: localStorage through the store trait, its quota error, and
//! a desk created, saved and reopened there. Run with wasm-bindgen-test in headless Chromium.
#![cfg(target_arch = "wasm32")]

use chrono::Utc;
use senco_desk::domain::{Pupil, PupilId, Settings, YearGroup};
use senco_desk::store::{KeyValueStore, LocalStore, OpenDesk, StoreError};
use senco_desk::vault::KdfParams;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn clear() {
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();
}

#[wasm_bindgen_test]
fn local_store_reads_writes_lists_and_removes() {
    clear();
    let mut store = LocalStore::open().unwrap();
    store.set("senco-desk/test", "value").unwrap();
    assert_eq!(
        store.get("senco-desk/test").unwrap().as_deref(),
        Some("value")
    );
    assert!(store
        .keys()
        .unwrap()
        .contains(&"senco-desk/test".to_string()));
    store.remove("senco-desk/test").unwrap();
    assert_eq!(store.get("senco-desk/test").unwrap(), None);
}

#[wasm_bindgen_test]
fn a_full_local_storage_is_reported_as_quota_exceeded_and_keeps_the_old_value() {
    clear();
    let mut store = LocalStore::open().unwrap();
    store.set("senco-desk/kept", "old").unwrap();
    // Larger than any browser's localStorage quota (5 MiB of UTF-16 units).
    let huge = "x".repeat(12 * 1024 * 1024);
    assert_eq!(
        store.set("senco-desk/kept", &huge),
        Err(StoreError::QuotaExceeded)
    );
    assert_eq!(
        store.get("senco-desk/kept").unwrap().as_deref(),
        Some("old")
    );
    clear();
}

/// A fresh desk in this browser's localStorage with one pupil, Amara Okafor.
fn desk_with_amara() -> (LocalStore, OpenDesk) {
    clear();
    let mut store = LocalStore::open().unwrap();
    let (mut open, _) = OpenDesk::create(
        &mut store,
        Settings::new("Oakfield Primary"),
        "browser test passphrase",
        KdfParams::for_tests(),
        Utc::now(),
    )
    .unwrap();
    let pupil = Pupil::new(
        PupilId(String::new()),
        "Amara",
        "Okafor",
        chrono::NaiveDate::from_ymd_opt(2017, 9, 14).unwrap(),
        YearGroup::Year(4),
    );
    open.add_pupil(&mut store, pupil, Utc::now()).unwrap();
    (store, open)
}

#[wasm_bindgen_test]
fn a_desk_saved_in_local_storage_reopens_and_holds_no_plain_names() {
    let (mut store, open) = desk_with_amara();
    drop(open);
    for key in store.keys().unwrap() {
        let value = store.get(&key).unwrap().unwrap();
        assert!(!value.contains("Amara") && !value.contains("Oakfield"));
    }
    let reopened = OpenDesk::unlock(&mut store, "browser test passphrase", Utc::now()).unwrap();
    assert_eq!(
        reopened.desk.pupils_by_surname()[0].full_name(),
        "Amara Okafor"
    );
    assert!(OpenDesk::unlock(&mut store, "not the passphrase", Utc::now()).is_err());
    clear();
}

#[wasm_bindgen_test]
fn randomness_comes_from_the_browser() {
    let a = senco_desk::vault::random_bytes::<16>();
    let b = senco_desk::vault::random_bytes::<16>();
    assert_ne!(a, b);
}

#[wasm_bindgen_test]
fn a_backup_made_in_the_browser_restores_into_an_empty_browser_store() {
    use senco_desk::backup::{BackupFile, OpensWith};
    let (mut store, open) = desk_with_amara();
    // Local time comes from the browser's clock (chrono's wasmbind).
    let made = open
        .make_backup(
            OpensWith::DeskSecrets,
            Utc::now(),
            chrono::Local::now().naive_local(),
        )
        .unwrap();
    assert!(made.file_name.starts_with("senco-desk-oakfield-primary-"));
    assert!(!made.text.contains("Amara"));
    drop(open);
    clear();

    let file = BackupFile::read(made.text.as_bytes()).unwrap();
    let vault = file.unlock("browser test passphrase").unwrap();
    let backup = file.open(&vault).unwrap();
    let (restored, _) = OpenDesk::create_from_backup(
        &mut store,
        &backup,
        None,
        senco_desk::vault::NewDeskKeys::make(
            "browser test passphrase",
            KdfParams::for_tests(),
            Utc::now(),
        )
        .unwrap(),
        Utc::now(),
    )
    .unwrap();
    drop(restored);
    let reopened = OpenDesk::unlock(&mut store, "browser test passphrase", Utc::now()).unwrap();
    assert_eq!(
        reopened.desk.pupils_by_surname()[0].full_name(),
        "Amara Okafor"
    );
    clear();
}

#[wasm_bindgen_test]
fn a_windows_1252_mis_export_imports_into_local_storage_in_one_save() {
    use senco_desk::io::csv_text::{decode, read_table};
    use senco_desk::io::import_plan::ImportPlan;
    use senco_desk::io::mis_columns::guess_mapping;
    use senco_desk::io::mis_row::read_row;
    let (mut store, mut open) = desk_with_amara();
    // "Zoë O’Brien" as Excel on Windows saves it: 0xEB and 0x92 are Windows-1252 bytes.
    let mut bytes = b"Surname;Forename;DOB;Year;SEN Status;Primary Need\r\n".to_vec();
    bytes.extend_from_slice(b"O\x92Brien;Zo\xEB;14/05/2018;Y3;K;SLCN\r\n");
    for i in 0..200 {
        bytes.extend_from_slice(format!("Pupil{i:03};Test;01/09/2017;Year 4;N;\r\n").as_bytes());
    }
    let (text, _) = decode(&bytes);
    let table = read_table(&text).unwrap();
    let mapping = guess_mapping(&table.headings);
    let today = chrono::Local::now().date_naive();
    let rows = table
        .rows
        .iter()
        .map(|r| read_row(r, &mapping, today))
        .collect();
    let plan = ImportPlan::make(&open.desk, rows, today, Utc::now(), OpenDesk::new_pupil_id);
    assert_eq!(plan.new.len(), 201);
    assert_eq!(plan.leavers.len(), 1, "Amara is not in the file");
    let writes = plan.writes(&open.desk, false, today);
    assert_eq!(
        open.save_files(&mut store, writes, Utc::now()).unwrap(),
        201
    );
    drop(open);
    let reopened = OpenDesk::unlock(&mut store, "browser test passphrase", Utc::now()).unwrap();
    assert_eq!(reopened.desk.pupil_count(), 202);
    let zoe = reopened
        .desk
        .files()
        .find(|f| f.pupil.forename == "Zoë")
        .expect("the accented name survives");
    assert_eq!(zoe.pupil.surname, "O\u{2019}Brien");
    assert_eq!(
        zoe.sen.status_on(today),
        senco_desk::domain::SenStatus::SenSupport
    );
    clear();
}

/// Issue 12, point 5: the AES-GCM cipher made from the data key for every seal and open
/// leaves no byte of its state (the AES key schedule, the GHASH key) in WebAssembly memory
/// once it is dropped. In 0.4.0, built without the `zeroize` features of aes and polyval,
/// both stayed behind.
#[wasm_bindgen_test]
fn point_5_an_aes_gcm_cipher_leaves_no_key_material_in_memory_once_dropped() {
    use aes_gcm::{Aes256Gcm, KeyInit};
    use std::mem::{size_of, ManuallyDrop};
    // Here, on wasm32, the cipher's state is plain u32 words (the software AES and POLYVAL):
    // no padding, so every byte can be read. ManuallyDrop keeps the memory while it drops.
    let mut cipher = ManuallyDrop::new(Aes256Gcm::new(&[0x5a; 32].into()));
    let state = |cipher: &ManuallyDrop<Aes256Gcm>| {
        let start: *const Aes256Gcm = &**cipher;
        // SAFETY: reads the bytes of a value this function owns, in place, as plain bytes.
        unsafe { std::slice::from_raw_parts(start.cast::<u8>(), size_of::<Aes256Gcm>()) }.to_vec()
    };
    let before = state(&cipher);
    assert!(before.len() >= 32 * 15, "{} bytes of state", before.len());
    assert!(before.iter().filter(|&&b| b != 0).count() > before.len() / 2);
    // SAFETY: dropped once, and only its bytes are read afterwards.
    unsafe { ManuallyDrop::drop(&mut cipher) };
    let after = state(&cipher);
    let left = after.iter().filter(|&&b| b != 0).count();
    assert_eq!(
        left,
        0,
        "{left} of {} bytes of key material left after drop",
        after.len()
    );
}

mod indexeddb {
    //! The desk's IndexedDB store in a real browser: a commit is one transaction, a stale
    //! one is refused inside it, and an older localStorage desk moves in.
    use super::*;
    use senco_desk::store::idb::{Database, DB_NAME};
    use senco_desk::store::moving::{load_desk, Loaded};
    use senco_desk::store::DeskMirror;
    use wasm_bindgen_futures::JsFuture;

    const PASS: &str = "browser test passphrase";

    async fn fresh_database() -> Database {
        let factory = web_sys::window().unwrap().indexed_db().unwrap().unwrap();
        let deleting = factory.delete_database(DB_NAME).unwrap();
        let done = js_sys::Promise::new(&mut |resolve, _| {
            deleting.set_onsuccess(Some(&resolve));
        });
        JsFuture::from(done).await.unwrap();
        Database::open(|| {}, || {}).await.unwrap()
    }

    fn names(open: &OpenDesk) -> Vec<String> {
        open.desk
            .pupils_by_surname()
            .iter()
            .map(|p| p.forename.clone())
            .collect()
    }

    async fn unlock_from(db: &Database) -> OpenDesk {
        let mut mirror = DeskMirror::new(db.read_desk().await.unwrap());
        OpenDesk::unlock(&mut mirror, PASS, Utc::now()).unwrap()
    }

    fn pupil(forename: &str) -> Pupil {
        Pupil::new(
            PupilId(String::new()),
            forename,
            "Okafor",
            chrono::NaiveDate::from_ymd_opt(2017, 9, 14).unwrap(),
            YearGroup::Year(4),
        )
    }

    /// A new desk with Amara, committed to the database as the app does.
    async fn desk_in_database(db: &Database) -> (OpenDesk, DeskMirror) {
        let mut mirror = DeskMirror::default();
        let (mut open, _) = OpenDesk::create(
            &mut mirror,
            Settings::new("Oakfield Primary"),
            PASS,
            KdfParams::for_tests(),
            Utc::now(),
        )
        .unwrap();
        db.commit_batch(&mirror.take_batch()).await.unwrap();
        open.add_pupil(&mut mirror, pupil("Amara"), Utc::now())
            .unwrap();
        db.commit_batch(&mirror.take_batch()).await.unwrap();
        (open, mirror)
    }

    #[wasm_bindgen_test]
    async fn a_desk_committed_to_indexeddb_reopens_with_its_records_as_bytes() {
        let db = fresh_database().await;
        desk_in_database(&db).await;
        assert_eq!(names(&unlock_from(&db).await), ["Amara"]);
        // Nothing of the desk is in localStorage.
        let local = LocalStore::open().unwrap();
        assert!(local
            .keys()
            .unwrap()
            .iter()
            .all(|k| !k.starts_with("senco-desk/record/")));
        db.close();
    }

    #[wasm_bindgen_test]
    async fn a_save_built_on_an_older_head_is_refused_inside_the_transaction() {
        let db = fresh_database().await;
        let (mut first, mut first_mirror) = desk_in_database(&db).await;
        let mut second_mirror = DeskMirror::new(db.read_desk().await.unwrap());
        let mut second = OpenDesk::unlock(&mut second_mirror, PASS, Utc::now()).unwrap();
        first
            .add_pupil(&mut first_mirror, pupil("Ben"), Utc::now())
            .unwrap();
        db.commit_batch(&first_mirror.take_batch()).await.unwrap();
        let stored = db.read_desk().await.unwrap();
        second
            .add_pupil(&mut second_mirror, pupil("Chloe"), Utc::now())
            .unwrap();
        assert_eq!(
            db.commit_batch(&second_mirror.take_batch()).await,
            Err(StoreError::Stale)
        );
        assert_eq!(db.read_desk().await.unwrap(), stored);
        assert_eq!(names(&unlock_from(&db).await).len(), 2);
        db.close();
    }

    #[wasm_bindgen_test]
    async fn an_older_desk_in_local_storage_moves_into_indexeddb() {
        let db = fresh_database().await;
        let (mut local, _) = desk_with_amara();
        let (_, loaded) = load_desk(&db, &mut local, Utc::now().timestamp_millis())
            .await
            .unwrap();
        assert_eq!(loaded, Loaded::Moved);
        assert_eq!(names(&unlock_from(&db).await), ["Amara"]);
        assert!(local
            .keys()
            .unwrap()
            .iter()
            .all(|k| !k.starts_with("senco-desk/record/")));
        clear();
        db.close();
    }
}

/// Issue 14: a backup's check and a restore prove every piece of every attached file with
/// the browser's own AES-GCM where the page has it. Its answers must be this crate's.
mod pieces_proven_by_the_browser {
    use senco_desk::domain::attachment::FileKey;
    use senco_desk::vault::attachment::{
        check_chunk, new_file_id, new_file_key, seal_chunk, FileError, PieceCheck, RustCheck,
    };
    use senco_desk::vault::web_crypto::WebCryptoCheck;
    use wasm_bindgen_test::*;

    async fn both(
        key: &FileKey,
        id: &str,
        index: u32,
        count: u32,
        piece: &[u8],
    ) -> Result<usize, FileError> {
        let browser = WebCryptoCheck::new();
        assert!(browser.uses_browser(), "the test page is a secure context");
        let by_browser = check_chunk(&browser, key, id, index, count, piece).await;
        let by_rust = check_chunk(&RustCheck, key, id, index, count, piece).await;
        assert_eq!(by_browser, by_rust, "piece {index} of {count}");
        by_browser
    }

    #[wasm_bindgen_test]
    async fn a_piece_opens_or_is_refused_the_same_way_by_the_browser_and_by_rust() {
        let key = new_file_key();
        let id = new_file_id();
        let plain: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let first = seal_chunk(&key, &id, 0, 2, &plain);
        let second = seal_chunk(&key, &id, 1, 2, &plain[..1000]);
        assert_eq!(both(&key, &id, 0, 2, &first).await, Ok(300_000));
        assert_eq!(both(&key, &id, 1, 2, &second).await, Ok(1000));

        // One bit flipped in the sealed bytes.
        let mut flipped = first.clone();
        let last = flipped.len() - 20;
        flipped[last] ^= 1;
        assert_eq!(
            both(&key, &id, 0, 2, &flipped).await,
            Err(FileError::Damaged { index: 0, count: 2 })
        );
        // Another key (a flipped bit in the file's key).
        let mut other = FileKey(key.0);
        other.0[0] ^= 1;
        assert_eq!(
            both(&other, &id, 0, 2, &first).await,
            Err(FileError::Damaged { index: 0, count: 2 })
        );
        // The pieces swapped: each is named as out of place.
        assert_eq!(
            both(&key, &id, 0, 2, &second).await,
            Err(FileError::OutOfPlace {
                index: 0,
                holds: 1,
                count: 2
            })
        );
        // The same key used again for many pieces (imported once) still answers each.
        let browser = WebCryptoCheck::new();
        for _ in 0..3 {
            assert_eq!(
                browser
                    .opens(&key, &first[17..29], &first[29..], b"wrong")
                    .await,
                None
            );
        }
    }
}

/// Issue 14: a backup reads an attached file from IndexedDB a few pieces at a time, by key
/// range: exactly the pieces asked for, in order.
mod pieces_read_a_few_at_a_time {
    use senco_desk::store::files::{browser_chunks, FileChunks};
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    async fn a_range_of_pieces_comes_back_whole_and_in_order() {
        let chunks = browser_chunks();
        let id = "00aa11bb22cc33dd";
        let pieces: Vec<Vec<u8>> = (0..12u8).map(|i| vec![i; 10]).collect();
        chunks.put_file(id, pieces).await.unwrap();
        let indexes = |got: Vec<(u32, Vec<u8>)>| -> Vec<u32> {
            got.iter()
                .map(|(index, bytes)| {
                    assert_eq!(bytes, &vec![*index as u8; 10]);
                    *index
                })
                .collect()
        };
        assert_eq!(
            indexes(chunks.some_chunks(id, 2, 3).await.unwrap()),
            vec![2, 3, 4]
        );
        assert_eq!(
            indexes(chunks.some_chunks(id, 8, 4).await.unwrap()),
            vec![8, 9, 10, 11]
        );
        // Past the end: only what is stored.
        assert_eq!(
            indexes(chunks.some_chunks(id, 10, 4).await.unwrap()),
            vec![10, 11]
        );
        assert!(chunks.some_chunks(id, 3, 0).await.unwrap().is_empty());
        chunks.delete_file(id).await.unwrap();
        assert!(chunks.some_chunks(id, 0, 4).await.unwrap().is_empty());
    }
}
