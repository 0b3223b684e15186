//! The vault's promises, tested with the least key settings allowed (one test uses the real ones).

use super::*;
use chrono::Utc;

const PASS: &str = "a long enough passphrase";

/// A new desk's header and key. Made once and copied: making one derives two keys.
fn new_desk() -> (Header, Vault, RecoveryKey) {
    static MADE: std::sync::OnceLock<(Header, Vault, RecoveryKey)> = std::sync::OnceLock::new();
    MADE.get_or_init(|| Header::create(PASS, KdfParams::for_tests(), Utc::now()).unwrap())
        .clone()
}

#[test]
fn a_sealed_record_opens_with_the_same_desk_and_id() {
    let (header, vault, _) = new_desk();
    let sealed = vault.seal("pupil-1", b"{\"forename\":\"Amara\"}");
    assert!(sealed.starts_with("v2."));
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
        desk_secret: None,
        earlier: Vec::new(),
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
    let mut bytes = dense::decode(&sealed[3..]).unwrap();
    for i in 0..bytes.len() {
        bytes[i] ^= 0x01;
        for tampered in [
            format!("v2.{}", dense::encode(&bytes)),
            format!("v1.{}", b64::encode(&bytes)),
        ] {
            assert!(vault.open("r", &tampered).is_err(), "byte {i}");
        }
        bytes[i] ^= 0x01;
    }
}

#[test]
fn garbage_and_truncated_records_are_damaged_not_a_panic() {
    let (_, vault, _) = new_desk();
    let sealed = vault.seal("r", b"hello");
    let cut = sealed.char_indices().nth_back(2).unwrap().0;
    let foreign = format!("{}A", &sealed[..cut]);
    for bad in [
        "",
        "v1.",
        "v1.!!!!",
        "v2.",
        "v2.AAAA",
        "v2.\u{D7FF}",
        "hello",
        &sealed[..cut],
        &foreign,
    ] {
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
        vault.open("r", "v3.AAAA").unwrap_err(),
        VaultError::NewerFormat { found: "3".into() }
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

/// A header rotated by `change`, the secret typed being `current`.
fn rotate(header: &Header, current: &str, change: KeyChange) -> Rotation {
    let opened = header.open_with(current).unwrap();
    header
        .rotated(&opened, change, KdfParams::for_tests())
        .unwrap()
}

#[test]
fn issue_14_changing_the_passphrase_rotates_the_data_key_and_keeps_the_recovery_key() {
    let (header, vault, recovery) = new_desk();
    let rotation = rotate(
        &header,
        PASS,
        KeyChange::NewPassphrase("a brand new passphrase"),
    );
    let changed = rotation.header;
    assert!(rotation.recovery.is_none(), "the recovery key is kept");
    assert_eq!(changed.unlock(PASS).unwrap_err(), VaultError::WrongSecret);
    let opened = changed.unlock("a brand new passphrase").unwrap();
    assert!(opened.same_key(&rotation.vault));
    // A new data key: what it seals, the old key (an old backup and the old passphrase
    // give it) cannot open.
    assert!(!opened.same_key(&vault));
    let sealed = rotation.vault.seal("r", b"written after the change");
    assert!(vault.open("r", &sealed).is_err());
    // The recovery key opens the new key, though it was not typed.
    assert!(changed
        .unlock(&recovery.display())
        .unwrap()
        .same_key(&opened));
    assert_eq!(changed.desk_id, header.desk_id);
    assert_eq!(changed.slots.len(), 2);
    assert_ne!(changed.desk_public_key, header.desk_public_key);
}

#[test]
fn issue_14_a_new_recovery_key_rotates_the_data_key_too() {
    let (header, vault, old) = new_desk();
    let rotation = rotate(&header, &old.display(), KeyChange::NewRecoveryKey);
    let (changed, new) = (rotation.header, rotation.recovery.unwrap());
    assert_eq!(
        changed.unlock(&old.display()).unwrap_err(),
        VaultError::WrongSecret
    );
    let opened = changed.unlock(&new.display()).unwrap();
    assert!(!opened.same_key(&vault));
    assert!(changed.unlock(PASS).unwrap().same_key(&opened));
    assert_eq!(changed.slots.len(), 2);
}

#[test]
fn issue_14_removing_a_slot_rotates_and_the_last_way_in_cannot_be_removed() {
    let (header, vault, recovery) = new_desk();
    let recovery_slot = header.slots[1].id.clone();
    let rotation = rotate(&header, PASS, KeyChange::RemoveSlot(&recovery_slot));
    assert_eq!(rotation.header.slots.len(), 1);
    assert!(!rotation.header.has_recovery_key());
    assert_eq!(
        rotation.header.unlock(&recovery.display()).unwrap_err(),
        VaultError::WrongSecret
    );
    assert!(!rotation.header.unlock(PASS).unwrap().same_key(&vault));
    let passphrase_slot = header.slots[0].id.clone();
    let opened = header.open_with(PASS).unwrap();
    assert!(matches!(
        header.rotated(
            &opened,
            KeyChange::RemoveSlot(&passphrase_slot),
            KdfParams::for_tests()
        ),
        Err(VaultError::DamagedHeader(_))
    ));
}

/// A header as Senco Desk 0.6 made it: each slot wraps the data key under the derived key
/// itself, no public keys, no desk key pair.
fn older_desk() -> (Header, Vault, RecoveryKey) {
    let (mut header, vault, recovery) = new_desk();
    header.desk_public_key = None;
    let secrets: [&[u8]; 2] = [PASS.as_bytes(), recovery.secret()];
    for (slot, secret) in header.slots.iter_mut().zip(secrets) {
        let salt = b64::decode(&slot.kdf.salt).unwrap();
        let kek = slot.kdf.params.derive(secret, &salt).unwrap();
        let nonce = key::random_bytes::<12>();
        let aad = super::header::slot_aad(&header.desk_id, &slot.id);
        let wrapped = aes_gcm::aead::Aead::encrypt(
            &super::header::cipher(&kek),
            aes_gcm::Nonce::from_slice(&nonce),
            aes_gcm::aead::Payload {
                msg: &vault.key.0,
                aad: aad.as_bytes(),
            },
        )
        .unwrap();
        slot.public_key = None;
        slot.ephemeral_key = None;
        slot.nonce = b64::encode(&nonce);
        slot.wrapped_key = b64::encode(&wrapped);
    }
    (header, vault, recovery)
}

#[test]
fn issue_14_an_older_desk_keeps_the_slot_whose_secret_was_typed_and_remakes_the_recovery_key() {
    let (header, vault, recovery) = older_desk();
    assert!(header.unlock(PASS).unwrap().same_key(&vault));
    assert!(header.unlock(&recovery.display()).unwrap().same_key(&vault));
    assert!(header.recovery_key_is_older());
    // The passphrase typed: its own slot cannot be kept (it is replaced); the older
    // recovery-key slot cannot be re-wrapped without its key, so a new one is made.
    let rotation = rotate(
        &header,
        PASS,
        KeyChange::NewPassphrase("a brand new passphrase"),
    );
    let new = rotation.recovery.expect("a new recovery key");
    assert!(rotation.header.slots.iter().all(|s| s.is_sealed_to_key()));
    assert!(!rotation.header.recovery_key_is_older());
    assert!(rotation.header.unlock(&recovery.display()).is_err());
    assert!(rotation.header.unlock(&new.display()).is_ok());
    // The recovery key typed to change the passphrase: its slot is kept, re-made sealed to
    // a key from the secret just typed.
    let rotation = rotate(
        &header,
        &recovery.display(),
        KeyChange::NewPassphrase("a brand new passphrase"),
    );
    assert!(rotation.recovery.is_none());
    let opened = rotation.header.unlock(&recovery.display()).unwrap();
    assert!(opened.same_key(&rotation.vault) && !opened.same_key(&vault));
    // A new recovery key asked for with the old recovery key: the older passphrase slot
    // cannot be kept without the passphrase, so it is asked for.
    let opened = header.open_with(&recovery.display()).unwrap();
    assert_eq!(
        header
            .rotated(&opened, KeyChange::NewRecoveryKey, KdfParams::for_tests())
            .err()
            .unwrap(),
        VaultError::PassphraseNeeded
    );
}

#[test]
fn issue_14_a_label_over_60_characters_is_refused_typed_and_in_a_header() {
    let (header, vault, _) = new_desk();
    let long = "A".repeat(61);
    let typed = header.with_person(
        &vault,
        &long,
        "Teacher",
        "a person's passphrase",
        KdfParams::for_tests(),
    );
    assert!(matches!(typed, Err(VaultError::BadLabel(m)) if m.contains("61 characters")));
    let typed = header.with_person(
        &vault,
        "Mrs Patel",
        &long,
        "a person's passphrase",
        KdfParams::for_tests(),
    );
    assert!(matches!(typed, Err(VaultError::BadLabel(_))));
    let mut crafted = header.clone();
    crafted.slots[0].label = long;
    assert!(matches!(
        Header::parse(&crafted.to_json()),
        Err(VaultError::DamagedHeader(m)) if m.contains("label is 61 characters")
    ));
    crafted.slots[0].label = "A".repeat(60);
    assert!(Header::parse(&crafted.to_json()).is_ok());
}

#[test]
fn issue_14_person_slots_up_to_the_limit_parse_and_open_and_more_are_refused() {
    let (header, vault, _) = new_desk();
    let mut with_people = header
        .with_person(
            &vault,
            "Mrs Patel",
            "Class teacher",
            "patel's own passphrase",
            KdfParams::for_tests(),
        )
        .unwrap();
    let person = with_people.slots[2].clone();
    assert_eq!(person.kind, SlotKind::Person);
    assert_eq!(person.role.as_deref(), Some("Class teacher"));
    let opened = with_people
        .unlock_person(&person.id, "patel's own passphrase")
        .unwrap();
    assert_eq!(opened.unlocked_with, "Mrs Patel");
    assert!(opened.same_key(&vault));
    // The passphrase unlock does not try person slots (each person picks their own).
    assert!(with_people.unlock("patel's own passphrase").is_err());
    while with_people.slots.len() < MAX_SLOTS {
        let mut copy = person.clone();
        copy.id = format!("{:016x}", with_people.slots.len());
        copy.label = format!("Person {}", with_people.slots.len());
        with_people.slots.push(copy);
    }
    let parsed = Header::parse(&with_people.to_json()).unwrap();
    assert_eq!(parsed.slots.len(), 32);
    assert!(with_people
        .with_person(
            &vault,
            "One more",
            "TA",
            "another passphrase",
            KdfParams::for_tests()
        )
        .is_err());
    let mut too_many = with_people.clone();
    let mut copy = person.clone();
    copy.id = "ffffffffffffffff".into();
    too_many.slots.push(copy);
    assert!(matches!(
        Header::parse(&too_many.to_json()),
        Err(VaultError::DamagedHeader(m)) if m.contains("number of key slots")
    ));
    // Rotation re-wraps person slots too: their passphrases open the new key.
    let rotation = rotate(
        &parsed,
        PASS,
        KeyChange::NewPassphrase("a brand new passphrase"),
    );
    assert_eq!(rotation.header.slots.len(), 32);
    assert!(rotation
        .header
        .unlock_person(&person.id, "patel's own passphrase")
        .unwrap()
        .same_key(&rotation.vault));
}

#[test]
fn issue_14_the_sealed_keys_record_refuses_an_edited_label_role_or_public_key() {
    let (header, vault, _) = new_desk();
    let header = header
        .with_person(
            &vault,
            "Mrs Patel",
            "Class teacher",
            "patel's own passphrase",
            KdfParams::for_tests(),
        )
        .unwrap();
    let record = || {
        let json = serde_json::to_vec(&vault.keys_record(&header).unwrap()).unwrap();
        Some(serde_json::from_slice::<KeysRecord>(&json).unwrap())
    };
    let mut fresh = header.unlock(PASS).unwrap();
    assert_eq!(fresh.check_keys(&header, record()), Ok(()));
    assert!(fresh.has_desk_key_pair());
    let edits: [fn(&mut Header); 5] = [
        |h| h.slots[0].label = "Head teacher".into(),
        |h| h.slots[2].role = Some("Head teacher".into()),
        |h| h.slots[1].kind = SlotKind::Passphrase,
        |h| h.slots[1].public_key = h.slots[0].public_key.clone(),
        |h| h.desk_public_key = h.slots[0].public_key.clone(),
    ];
    for edit in edits {
        let mut edited = header.clone();
        edit(&mut edited);
        let mut vault = header.unlock(PASS).unwrap();
        assert_eq!(
            vault.check_keys(&edited, record()),
            Err(VaultError::SlotsChanged)
        );
    }
    // The record gone while the header names a desk key: refused too.
    assert_eq!(
        header.unlock(PASS).unwrap().check_keys(&header, None),
        Err(VaultError::SlotsChanged)
    );
    assert!(VaultError::SlotsChanged
        .to_string()
        .starts_with("The desk's key slots have been changed outside Senco Desk"));
}

#[test]
fn issue_14_an_older_desk_without_a_keys_record_opens_only_with_the_labels_it_could_have() {
    let (header, _, _) = older_desk();
    let mut vault = header.unlock(PASS).unwrap();
    assert_eq!(vault.check_keys(&header, None), Ok(()));
    let mut forged = header.clone();
    forged.slots[0].label = "Head teacher".into();
    let mut vault = forged.unlock(PASS).unwrap();
    assert_eq!(
        vault.check_keys(&forged, None),
        Err(VaultError::SlotsChanged)
    );
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
    let current = format!("\"version\":{FORMAT_VERSION}");
    assert!(json.contains(&current));
    for older in 1..FORMAT_VERSION {
        let older_json = json.replace(&current, &format!("\"version\":{older}"));
        assert_eq!(Header::parse(&older_json).unwrap().version, older);
    }
    let newer = json.replace(&current, &format!("\"version\":{}", FORMAT_VERSION + 1));
    assert_eq!(
        Header::parse(&newer).unwrap_err(),
        VaultError::NewerFormat {
            found: (FORMAT_VERSION + 1).to_string()
        }
    );
    let zero = json.replace(&current, "\"version\":0");
    assert!(matches!(
        Header::parse(&zero),
        Err(VaultError::DamagedHeader(_))
    ));
    let no_slots = json.replace("\"slots\":[", "\"slotz\":[");
    assert!(matches!(
        Header::parse(&no_slots),
        Err(VaultError::DamagedHeader(_))
    ));
    let absurd = json.replace("\"memory_kib\":19456", "\"memory_kib\":4000000000");
    assert_ne!(absurd, json);
    assert!(matches!(
        Header::parse(&absurd),
        Err(VaultError::UnsafeKdfParams(_))
    ));
}

#[test]
fn point_7_a_stored_header_with_key_settings_below_the_minimum_is_refused_before_any_derivation() {
    let (header, _, _) = new_desk();
    let json = header.to_json();
    for (memory, passes) in [(64, 1), (19455, 2), (65536, 1), (19456, 0)] {
        let weak = json
            .replace("\"memory_kib\":19456", &format!("\"memory_kib\":{memory}"))
            .replace("\"iterations\":2", &format!("\"iterations\":{passes}"));
        match Header::parse(&weak) {
            Err(VaultError::WeakKdfParams(detail)) => {
                assert!(detail.contains(&format!("{memory} KiB")), "{detail}")
            }
            other => panic!("{memory} KiB, {passes} passes: {other:?}"),
        }
        // Unlocking such a header (had it been read some other way) derives nothing either.
        let mut crafted = header.clone();
        for slot in &mut crafted.slots {
            slot.kdf.params.memory_kib = memory;
            slot.kdf.params.iterations = passes;
        }
        assert!(matches!(
            crafted.unlock(PASS),
            Err(VaultError::WeakKdfParams(_))
        ));
    }
}

#[test]
fn a_tampered_key_slot_refuses_to_unlock() {
    let (header, _, _) = new_desk();
    let mut tampered = header.clone();
    for slot in &mut tampered.slots {
        slot.kdf.params.iterations = 3;
    }
    assert_eq!(tampered.unlock(PASS).unwrap_err(), VaultError::WrongSecret);
    let mut swapped = header.clone();
    swapped.desk_id = "f".repeat(32);
    assert_eq!(swapped.unlock(PASS).unwrap_err(), VaultError::WrongSecret);
}

#[test]
fn new_passphrases_need_twelve_characters_typed_twice() {
    assert!(check_new_passphrase("short", "short", "").is_err());
    assert!(check_new_passphrase("kettle umbrella", "kettle umbrellx", "").is_err());
    assert!(check_new_passphrase("kettle umbrella", "kettle umbrella", "").is_ok());
    assert_eq!(strength_hint("abc", ""), "Too short");
    assert_eq!(
        strength_hint("purple tractor singing lighthouse", ""),
        "Strong"
    );
}

#[test]
fn point_5_common_passwords_are_refused_with_the_reason_and_rated_too_easy() {
    let refused = check_new_passphrase("password1234", "password1234", "").unwrap_err();
    assert!(refused.contains("too easy to guess"), "{refused}");
    assert!(
        refused.contains("one of the most used passwords"),
        "{refused}"
    );
    assert_eq!(strength_hint("password1234", ""), "Too easy to guess");
    let school = check_new_passphrase("Oakfield2026!", "Oakfield2026!", "Oakfield Primary");
    assert!(school.unwrap_err().contains("school\u{2019}s name"));
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

/// The same sealed bytes as the base64 text earlier apps wrote.
fn as_base64_record(sealed: &str) -> String {
    let blob = dense::decode(sealed.strip_prefix(RECORD_PREFIX).unwrap()).unwrap();
    format!("{BASE64_RECORD_PREFIX}{}", b64::encode(&blob))
}

#[test]
fn base64_records_from_earlier_apps_still_open() {
    let (header, vault, _) = new_desk();
    let old = as_base64_record(&vault.seal("pupil-1", b"written by 0.3"));
    assert!(old.starts_with("v1."));
    let reopened = header.unlock(PASS).unwrap();
    assert_eq!(
        reopened.open("pupil-1", &old).unwrap().as_slice(),
        b"written by 0.3"
    );
    assert!(matches!(
        reopened.open("pupil-2", &old),
        Err(VaultError::DamagedRecord { .. })
    ));
}

#[test]
fn associated_data_still_names_version_1() {
    // Slots and records sealed by earlier apps are bound to these exact strings.
    assert_eq!(AAD_VERSION, 1);
    assert_eq!(
        super::header::slot_aad("d", "s"),
        "senco-desk/store/v1/d/slot/s"
    );
    assert_eq!(
        super::seal::record_aad("d", "pupil-1"),
        "senco-desk/store/v1/d/record/pupil-1"
    );
}

#[test]
fn a_version_1_header_upgrades_without_touching_its_slots() {
    let (header, vault, recovery) = new_desk();
    let mut old = header.clone();
    old.version = 1;
    old.desk_public_key = None;
    assert!(old.needs_upgrade());
    let (upgraded, with_pair) = old.upgraded_with_desk_keys(&vault);
    assert!(with_pair.has_desk_key_pair() && upgraded.desk_public_key.is_some());
    assert_eq!(upgraded.version, FORMAT_VERSION);
    assert_eq!(upgraded.slots, old.slots);
    assert!(!upgraded.needs_upgrade());
    assert!(upgraded.unlock(PASS).is_ok());
    assert!(upgraded.unlock(&recovery.display()).is_ok());
    let changed = rotate(
        &old,
        PASS,
        KeyChange::NewPassphrase("a brand new passphrase"),
    );
    assert_eq!(changed.header.version, FORMAT_VERSION);
    assert!(!changed.vault.same_key(&vault));
}

/// A realistic pupil file with five years of plans and reviews: 5–20 KB of JSON.
fn realistic_record(cycles: usize) -> Vec<u8> {
    let words = [
        "reading",
        "phonics",
        "fluency",
        "comprehension",
        "speech",
        "language",
        "therapy",
        "attention",
        "working",
        "memory",
        "sensory",
        "breaks",
        "visual",
        "timetable",
        "small",
        "group",
        "precision",
        "teaching",
        "handwriting",
        "motor",
        "skills",
        "social",
        "stories",
        "anxiety",
        "transition",
        "parents",
        "meeting",
        "outcome",
        "progress",
        "review",
    ];
    let mut seed: u32 = 0x9E37_79B9;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed
    };
    // Mostly common words, with made-up ones mixed in so it deflates about 3 to 1, as
    // real notes do, rather than as a 30-word vocabulary would.
    let mut sentence = |n: usize| {
        (0..n)
            .map(|_| match next() % 3 {
                0 => (0..3 + next() % 6)
                    .map(|_| char::from(b'a' + (next() % 26) as u8))
                    .collect(),
                _ => words[next() as usize % words.len()].to_string(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let plans: Vec<serde_json::Value> = (0..cycles)
        .map(|i| {
            serde_json::json!({
                "starts": format!("20{:02}-{:02}-01", 22 + i / 3, 1 + (i * 4) % 12),
                "outcomes": [sentence(14), sentence(12), sentence(16)],
                "strategies": [sentence(8), sentence(10), sentence(9), sentence(7)],
                "review": {"on": format!("20{:02}-{:02}-15", 22 + i / 3, 1 + (i * 4 + 3) % 12),
                           "pupil_view": sentence(20), "parent_view": sentence(18),
                           "evidence": sentence(30), "next_steps": sentence(15)},
                "recorded_at": "2026-11-23T10:02:11.123Z"
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "pupil": {"id": "48eb29634a317412", "forename": "Amara", "surname": "Okafor",
                  "date_of_birth": "2017-09-14", "year_group": "4"},
        "plans": plans,
        "revision": 42,
    }))
    .unwrap()
}

#[test]
fn a_dense_record_takes_at_most_45_percent_of_the_base64_room() {
    let (_, vault, _) = new_desk();
    for cycles in [4, 8, 12] {
        let json = realistic_record(cycles);
        assert!(
            (5_000..=20_000).contains(&json.len()),
            "{} bytes",
            json.len()
        );
        let dense = vault.seal("pupil-48eb29634a317412", &json);
        let base64 = as_base64_record(&dense);
        let (dense, base64) = (dense.encode_utf16().count(), base64.encode_utf16().count());
        let ratio = dense as f64 / base64 as f64;
        println!(
            "{} bytes of JSON: {dense} UTF-16 units dense, {base64} base64: {:.1}%",
            json.len(),
            ratio * 100.0
        );
        // Realistic: it deflates a few times over, not to almost nothing.
        assert!(base64 * 5 > json.len(), "{base64} for {}", json.len());
        assert!(ratio <= 0.45, "{ratio}");
    }
}

/// Issue 12, point 5: the cipher made from the data key for every seal and open wipes its
/// AES key schedule when dropped, so none is left in memory after lock. Checked when the
/// tests are built: without aes's `zeroize` feature (as in 0.4.0) this does not compile.
/// tests/browser.rs reads the whole AES-GCM state in WebAssembly memory after a drop.
#[test]
fn point_5_ciphers_made_from_the_data_key_wipe_their_aes_key_schedule_when_dropped() {
    fn wiped_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    // The AES types aes-gcm itself uses (its re-export), not a second copy of the crate.
    wiped_on_drop::<aes_gcm::aes::Aes256>();
    wiped_on_drop::<aes_gcm::aes::Aes256Enc>();
    wiped_on_drop::<aes_gcm::aes::Aes256Dec>();
}

#[test]
fn issue_14_a_resealed_record_opens_with_the_new_key_only_and_keeps_its_text() {
    let (header, vault, _) = new_desk();
    let rotation = rotate(
        &header,
        PASS,
        KeyChange::NewPassphrase("a brand new passphrase"),
    );
    for stored in [
        vault.seal("pupil-1", b"the same text"),
        as_base64_record(&vault.seal("pupil-1", b"the same text")),
    ] {
        let resealed = vault.reseal("pupil-1", &stored, &rotation.vault).unwrap();
        assert!(resealed.starts_with(RECORD_PREFIX));
        assert_eq!(
            rotation
                .vault
                .open("pupil-1", &resealed)
                .unwrap()
                .as_slice(),
            b"the same text"
        );
        assert!(vault.open("pupil-1", &resealed).is_err());
        assert!(rotation.vault.open("pupil-2", &resealed).is_err());
    }
    // What does not open with the old key is not resealed.
    let other = rotation.vault.seal("pupil-1", b"x");
    assert!(vault.reseal("pupil-1", &other, &rotation.vault).is_none());
}
