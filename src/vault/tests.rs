//! The vault's promises, tested with cheap key settings (one test uses the real ones).

use super::*;
use chrono::Utc;

const PASS: &str = "a long enough passphrase";

fn new_desk() -> (Header, Vault, RecoveryKey) {
    Header::create(PASS, KdfParams::for_tests(), Utc::now()).unwrap()
}

#[test]
fn a_sealed_record_opens_with_the_same_desk_and_id() {
    let (header, vault, _) = new_desk();
    let sealed = vault.seal("pupil-1", b"{\"forename\":\"Amara\"}");
    assert!(sealed.starts_with("v1."));
    assert!(!sealed.contains("Amara"));
    let reopened = header.unlock(PASS).unwrap();
    assert_eq!(
        reopened.open("pupil-1", &sealed).unwrap().as_slice(),
        b"{\"forename\":\"Amara\"}"
    );
}

#[test]
fn every_seal_uses_a_fresh_nonce() {
    let (_, vault, _) = new_desk();
    assert_ne!(vault.seal("a", b"same"), vault.seal("a", b"same"));
}

#[test]
fn a_blob_copied_to_another_record_id_fails_to_open() {
    let (_, vault, _) = new_desk();
    let sealed = vault.seal("pupil-1", b"x");
    assert_eq!(
        vault.open("pupil-2", &sealed).unwrap_err(),
        VaultError::DamagedRecord {
            record_id: "pupil-2".into()
        }
    );
}

#[test]
fn a_blob_copied_to_another_desk_fails_to_open_even_with_the_same_key() {
    let (_, vault, _) = new_desk();
    let other = Vault {
        desk_id: "0".repeat(32),
        key: vault.key.clone(),
        unlocked_with: "SENCO".into(),
    };
    let sealed = vault.seal("pupil-1", b"x");
    assert!(matches!(
        other.open("pupil-1", &sealed),
        Err(VaultError::DamagedRecord { .. })
    ));
}

#[test]
fn a_flipped_bit_anywhere_in_a_record_is_detected() {
    let (_, vault, _) = new_desk();
    let sealed = vault.seal("r", b"some record text that is long enough");
    let mut bytes = b64::decode(&sealed[3..]).unwrap();
    for i in 0..bytes.len() {
        bytes[i] ^= 0x01;
        let tampered = format!("v1.{}", b64::encode(&bytes));
        assert!(vault.open("r", &tampered).is_err(), "byte {i}");
        bytes[i] ^= 0x01;
    }
}

#[test]
fn garbage_and_truncated_records_are_damaged_not_a_panic() {
    let (_, vault, _) = new_desk();
    let sealed = vault.seal("r", b"hello");
    for bad in ["", "v1.", "v1.!!!!", "hello", &sealed[..sealed.len() - 4]] {
        assert!(matches!(
            vault.open("r", bad),
            Err(VaultError::DamagedRecord { .. })
        ));
    }
}

#[test]
fn a_record_from_a_newer_app_says_so() {
    let (_, vault, _) = new_desk();
    assert_eq!(
        vault.open("r", "v2.AAAA").unwrap_err(),
        VaultError::NewerFormat { found: "2".into() }
    );
}

#[test]
fn the_wrong_passphrase_is_refused() {
    let (header, _, _) = new_desk();
    assert_eq!(
        header.unlock("not the passphrase").unwrap_err(),
        VaultError::WrongSecret
    );
}

#[test]
fn the_recovery_key_unlocks_and_is_labelled() {
    let (header, vault, recovery) = new_desk();
    let sealed = vault.seal("r", b"kept");
    let typed = recovery.display().to_lowercase().replace('-', " ");
    let opened = header.unlock(&typed).unwrap();
    assert_eq!(opened.unlocked_with, "Recovery key");
    assert_eq!(opened.open("r", &sealed).unwrap().as_slice(), b"kept");
    assert_eq!(header.unlock(PASS).unwrap().unlocked_with, "SENCO");
}

#[test]
fn changing_the_passphrase_keeps_records_and_refuses_the_old_one() {
    let (header, vault, recovery) = new_desk();
    let sealed = vault.seal("r", b"kept");
    let changed = header
        .with_new_passphrase(&vault, "a brand new passphrase", KdfParams::for_tests())
        .unwrap();
    assert_eq!(changed.unlock(PASS).unwrap_err(), VaultError::WrongSecret);
    let opened = changed.unlock("a brand new passphrase").unwrap();
    assert_eq!(opened.open("r", &sealed).unwrap().as_slice(), b"kept");
    assert!(changed.unlock(&recovery.display()).is_ok());
    assert_eq!(changed.desk_id, header.desk_id);
}

#[test]
fn a_new_recovery_key_replaces_the_old_one() {
    let (header, vault, old) = new_desk();
    let (changed, new) = header
        .with_new_recovery_key(&vault, KdfParams::for_tests())
        .unwrap();
    assert_eq!(
        changed.unlock(&old.display()).unwrap_err(),
        VaultError::WrongSecret
    );
    assert!(changed.unlock(&new.display()).is_ok());
    assert!(changed.unlock(PASS).is_ok());
    assert_eq!(changed.slots.len(), 2);
}

#[test]
fn the_header_round_trips_and_holds_no_secret() {
    let (header, _, recovery) = new_desk();
    let json = header.to_json();
    assert!(!json.contains(PASS));
    assert!(!json.contains(&recovery.display()[..9]));
    assert_eq!(Header::parse(&json).unwrap(), header);
}

#[test]
fn header_damage_newer_versions_and_absurd_settings_are_told_apart() {
    let (header, _, _) = new_desk();
    let json = header.to_json();
    assert!(matches!(
        Header::parse("{not json"),
        Err(VaultError::DamagedHeader(_))
    ));
    assert!(matches!(
        Header::parse("{\"format\":\"something-else\",\"version\":1}"),
        Err(VaultError::DamagedHeader(_))
    ));
    let newer = json.replace("\"version\":1", "\"version\":2");
    assert_eq!(
        Header::parse(&newer).unwrap_err(),
        VaultError::NewerFormat { found: "2".into() }
    );
    let no_slots = json.replace("\"slots\":[", "\"slotz\":[");
    assert!(matches!(
        Header::parse(&no_slots),
        Err(VaultError::DamagedHeader(_))
    ));
    let absurd = json.replace("\"memory_kib\":64", "\"memory_kib\":4000000000");
    assert!(matches!(
        Header::parse(&absurd),
        Err(VaultError::UnsafeKdfParams(_))
    ));
}

#[test]
fn a_tampered_key_slot_refuses_to_unlock() {
    let (header, _, _) = new_desk();
    let mut tampered = header.clone();
    for slot in &mut tampered.slots {
        slot.kdf.params.iterations = 2;
    }
    assert_eq!(tampered.unlock(PASS).unwrap_err(), VaultError::WrongSecret);
    let mut swapped = header.clone();
    swapped.desk_id = "f".repeat(32);
    assert_eq!(swapped.unlock(PASS).unwrap_err(), VaultError::WrongSecret);
}

#[test]
fn new_passphrases_need_twelve_characters_typed_twice() {
    assert!(check_new_passphrase("short", "short").is_err());
    assert!(check_new_passphrase("twelve chars", "twelve charz").is_err());
    assert!(check_new_passphrase("twelve chars", "twelve chars").is_ok());
    assert_eq!(strength_hint("abc"), "Too short");
    assert_eq!(strength_hint("purple tractor singing lighthouse"), "Strong");
}

#[test]
fn the_real_key_settings_work_end_to_end() {
    let (header, vault, _) = Header::create(PASS, KdfParams::default(), Utc::now()).unwrap();
    assert_eq!(header.slots[0].kdf.params.memory_kib, 65536);
    let sealed = vault.seal("r", b"real");
    let reopened = Header::parse(&header.to_json())
        .unwrap()
        .unlock(PASS)
        .unwrap();
    assert_eq!(reopened.open("r", &sealed).unwrap().as_slice(), b"real");
}

#[test]
fn a_header_with_extra_key_slots_is_refused_before_any_derivation() {
    let (header, _, _) = new_desk();
    let mut crafted = header.clone();
    let copy = crafted.slots[0].clone();
    crafted.slots.push(copy);
    assert!(matches!(
        Header::parse(&crafted.to_json()),
        Err(VaultError::DamagedHeader(_))
    ));
    let mut huge = header.clone();
    huge.slots[0].kdf.params.memory_kib = 512 * 1024;
    assert!(matches!(
        Header::parse(&huge.to_json()),
        Err(VaultError::UnsafeKdfParams(_))
    ));
}
