//! Fuzzing the backup parsers natively with proptest: whatever a file holds, reading it
//! ends in a named error or a backup identical to what was saved, never a panic.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use senco_desk::backup::{BackupFile, ValidBackup};
use senco_desk::vault::{Header, Vault};
use std::sync::OnceLock;

const FIXTURE: &str = include_str!("fixtures/rekeyed/backup-v1.json");
const SNAPSHOT: &str = include_str!("fixtures/rekeyed/storage-snapshot-v1.json");
const PASS: &str = "fixture passphrase 2026";

fn original() -> &'static ValidBackup {
    static OPENED: OnceLock<ValidBackup> = OnceLock::new();
    OPENED.get_or_init(|| read_fully(FIXTURE.as_bytes()).unwrap())
}

/// Reads, and if it reads, unlocks and opens: the whole path a restore takes.
fn read_fully(bytes: &[u8]) -> Option<ValidBackup> {
    let file = BackupFile::read(bytes).ok()?;
    let vault = unlock(&file)?;
    file.open(&vault).ok()
}

/// Unlocking derives a key (a tenth of a second at the least settings allowed). A file
/// whose key slots are exactly a fixture's unlocks to that fixture's key, derived once
/// here; any other header is unlocked as usual.
fn unlock(file: &BackupFile) -> Option<Vault> {
    static FIXTURE_KEYS: OnceLock<Vec<(Header, Vault)>> = OnceLock::new();
    let known = FIXTURE_KEYS.get_or_init(|| {
        [FIXTURE, SNAPSHOT]
            .iter()
            .map(|text| {
                let fixture = BackupFile::read(text.as_bytes()).unwrap();
                (fixture.header().unwrap(), fixture.unlock(PASS).unwrap())
            })
            .collect()
    });
    let header = file.header().ok()?;
    match known.iter().find(|(fixture, _)| *fixture == header) {
        Some((_, vault)) => Some(vault.clone()),
        None => file.unlock(PASS).ok(),
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, bit: u8 },
    Set { at: usize, byte: u8 },
    Cut { at: usize },
    Remove { at: usize, len: usize },
    Insert { at: usize, bytes: Vec<u8> },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::Flip { at, bit }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Set { at, byte }),
        any::<usize>().prop_map(|at| Mutation::Cut { at }),
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Mutation::Remove { at, len }),
        (
            any::<usize>(),
            proptest::collection::vec(any::<u8>(), 1..16)
        )
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
    ]
}

fn apply(text: &str, mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    for m in mutations {
        let len = bytes.len().max(1);
        match m {
            Mutation::Flip { at, bit } => {
                let at = at % len;
                if let Some(b) = bytes.get_mut(at) {
                    *b ^= 1 << bit;
                }
            }
            Mutation::Set { at, byte } => {
                let at = at % len;
                if let Some(b) = bytes.get_mut(at) {
                    *b = *byte;
                }
            }
            Mutation::Cut { at } => bytes.truncate(at % len),
            Mutation::Remove { at, len: n } => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            Mutation::Insert { at, bytes: more } => {
                let at = (at % len).min(bytes.len());
                bytes.splice(at..at, more.iter().copied());
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_are_refused_or_read_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = BackupFile::read(&bytes);
        let _ = ValidBackup::from_json(&bytes);
    }

    #[test]
    fn a_damaged_backup_never_opens_as_anything_but_the_original(mutations in proptest::collection::vec(mutation(), 1..4)) {
        let bytes = apply(FIXTURE, &mutations);
        if let Some(opened) = read_fully(&bytes) {
            // Only a change that leaves the JSON meaning intact (say, whitespace) may open.
            prop_assert_eq!(&opened, original());
        }
    }

    #[test]
    fn a_damaged_snapshot_never_panics(mutations in proptest::collection::vec(mutation(), 1..4)) {
        let _ = read_fully(&apply(SNAPSHOT, &mutations));
    }

    #[test]
    fn contents_json_of_any_shape_is_checked_without_panicking(
        id in "[0-9a-f]{16}|[^\"\\\\]{0,20}",
        forename in "[^\"\\\\]{0,120}",
        year in "[0-9A-Z]{0,3}",
        date in "[0-9-]{0,12}",
        revision in any::<i64>(),
        stamp in "[0-9T:.Z-]{0,30}",
    ) {
        let json = format!(
            r#"{{"version":1,"settings":{{"school_name":"S","auto_lock_minutes":10}},"pupils":[{{"pupil":{{"id":"{id}","forename":"{forename}","surname":"B","date_of_birth":"{date}","year_group":"{year}","upn":null}},"revision":{revision},"created_at":"{stamp}","updated_at":"{stamp}"}}],"notes":[{{"pupil_id":"{id}","date":"{date}","author":"a","text":"t"}}]}}"#
        );
        let _ = ValidBackup::from_json(json.as_bytes());
    }
}

/// Inputs kept from fuzzing and from hand-made attacks: each must be refused, not panic.
#[test]
fn fuzz_regressions_stay_fixed() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/fuzz-regressions"
    );
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            read_fully(&bytes).is_none(),
            "{} opened as a backup",
            path.display()
        );
        count += 1;
    }
    assert!(
        count >= 5,
        "the regression corpus is missing ({count} files)"
    );
}
