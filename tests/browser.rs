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
    let restored = OpenDesk::create_from_backup(
        &mut store,
        file.header().unwrap(),
        vault,
        &backup,
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
