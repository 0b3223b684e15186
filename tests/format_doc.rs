//! Reads a desk by following docs/FORMAT.md step by step, with the crypto crates directly
//! and none of the app's own reading code: if this passes, the document is enough.
#![cfg(not(target_arch = "wasm32"))]

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{NaiveDate, Utc};
use senco_desk::domain::{Pupil, PupilId, Settings, YearGroup};
use senco_desk::store::{MemoryStore, OpenDesk};
use senco_desk::vault::KdfParams;
use serde_json::Value;

fn decrypt(key: &[u8], nonce: &[u8], sealed: &[u8], aad: &str) -> Option<Vec<u8>> {
    Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key))
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: sealed,
                aad: aad.as_bytes(),
            },
        )
        .ok()
}

fn data_key(header: &Value, secret: &str) -> Option<Vec<u8>> {
    let desk_id = header["desk_id"].as_str()?;
    header["slots"].as_array()?.iter().find_map(|slot| {
        let kdf = &slot["kdf"];
        let params = Params::new(
            kdf["memory_kib"].as_u64()? as u32,
            kdf["iterations"].as_u64()? as u32,
            kdf["parallelism"].as_u64()? as u32,
            Some(32),
        )
        .ok()?;
        let salt = STANDARD.decode(kdf["salt"].as_str()?).ok()?;
        let mut kek = [0u8; 32];
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(secret.as_bytes(), &salt, &mut kek)
            .ok()?;
        let aad = format!(
            "senco-desk/store/v1/{desk_id}/slot/{}",
            slot["id"].as_str()?
        );
        let nonce = STANDARD.decode(slot["nonce"].as_str()?).ok()?;
        let wrapped = STANDARD.decode(slot["wrapped_key"].as_str()?).ok()?;
        let Some(public) = slot["public_key"].as_str() else {
            // Version 1 to 4 slots: the derived key wraps the data key.
            return decrypt(&kek, &nonce, &wrapped, &aad);
        };
        // Version 5 slots ("Keys and slots"): sealed to the slot's X25519 public key.
        use sha2::{Digest, Sha256};
        let key32 =
            |text: &str| -> Option<[u8; 32]> { STANDARD.decode(text).ok()?.try_into().ok() };
        let public = key32(public)?;
        let ephemeral = key32(slot["ephemeral_key"].as_str()?)?;
        let secret: [u8; 32] = Sha256::new()
            .chain_update(b"senco-desk/slot-secret")
            .chain_update(kek)
            .finalize()
            .into();
        if x25519_dalek::x25519(secret, x25519_dalek::X25519_BASEPOINT_BYTES) != public {
            return None;
        }
        let shared = x25519_dalek::x25519(secret, ephemeral);
        let wrapping: [u8; 32] = Sha256::new()
            .chain_update(b"senco-desk/slot-wrap")
            .chain_update(shared)
            .chain_update(ephemeral)
            .chain_update(public)
            .finalize()
            .into();
        decrypt(&wrapping, &nonce, &wrapped, &aad)
    })
}

/// "Record text": v2 by the documented bit-packing, written out here from the document
/// rather than taken from the app.
fn record_bytes(value: &str) -> Vec<u8> {
    if let Some(body) = value.strip_prefix("v1.") {
        return STANDARD.decode(body).unwrap();
    }
    let body = value.strip_prefix("v2.").unwrap();
    let chars: Vec<u32> = body.chars().map(u32::from).collect();
    let mut bits: Vec<bool> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let (value, width) = match c {
            0x4000..=0xBFFF => (c - 0x4000, 15),
            0x3400..=0x347F if i == chars.len() - 1 => (c - 0x3400, 7),
            _ => panic!("not a v2 character: U+{c:04X}"),
        };
        bits.extend((0..width).rev().map(|b| value >> b & 1 == 1));
    }
    let padding = bits.len() % 8;
    assert!(bits[bits.len() - padding..].iter().all(|b| !b));
    bits[..bits.len() - padding]
        .chunks(8)
        .map(|byte| byte.iter().fold(0u8, |acc, &b| acc << 1 | u8::from(b)))
        .collect()
}

fn open_record(key: &[u8], desk_id: &str, record_id: &str, value: &str) -> Value {
    let blob = record_bytes(value);
    let (nonce, sealed) = blob.split_at(12);
    let aad = format!("senco-desk/store/v1/{desk_id}/record/{record_id}");
    let deflated = decrypt(key, nonce, sealed, &aad).unwrap();
    let json = miniz_oxide::inflate::decompress_to_vec(&deflated).unwrap();
    serde_json::from_slice(&json).unwrap()
}

#[test]
fn a_desk_can_be_read_with_only_the_format_document() {
    let mut store = MemoryStore::new();
    let (mut open, recovery) = OpenDesk::create(
        &mut store,
        Settings::new("Oakfield Primary"),
        "documented passphrase",
        KdfParams::for_tests(),
        Utc::now(),
    )
    .unwrap();
    let pupil = Pupil::new(
        PupilId(String::new()),
        "Amara",
        "Okafor",
        NaiveDate::from_ymd_opt(2017, 9, 14).unwrap(),
        YearGroup::Reception,
    );
    let id = open.add_pupil(&mut store, pupil, Utc::now()).unwrap();
    drop(open);

    let items = store.items();
    let header: Value = serde_json::from_str(&items["senco-desk/header"]).unwrap();
    assert_eq!(header["format"], "senco-desk/store");
    assert_eq!(header["version"], 5);
    for (key, value) in items.iter().filter(|(k, _)| k.contains("/record/")) {
        assert!(value.starts_with("v2."), "{key}");
    }
    let desk_id = header["desk_id"].as_str().unwrap();
    assert!(data_key(&header, "wrong passphrase").is_none());
    let key = data_key(&header, "documented passphrase").unwrap();
    // The recovery key in canonical form: no dashes.
    let by_recovery = data_key(&header, &recovery.display().replace('-', "")).unwrap();
    assert_eq!(key, by_recovery);

    let record = |record_id: &str| {
        open_record(
            &key,
            desk_id,
            record_id,
            &items[&format!("senco-desk/record/{record_id}")],
        )
    };
    assert_eq!(record("settings")["school_name"], "Oakfield Primary");
    assert_eq!(record("settings")["auto_lock_minutes"], 10);
    // Created at generation 1; adding the pupil committed generation 2.
    assert_eq!(record("head")["generation"], 2);
    assert_eq!(record("roster")[&id.0], "Okafor, Amara");
    // The sealed list of key slots agrees with the header, and holds the desk key pair.
    let keys = record("keys");
    for (listed, slot) in keys["slots"]
        .as_array()
        .unwrap()
        .iter()
        .zip(header["slots"].as_array().unwrap())
    {
        for field in ["id", "kind", "label", "public_key"] {
            assert_eq!(listed[field], slot[field], "{field}");
        }
    }
    assert_eq!(keys["desk_public_key"], header["desk_public_key"]);
    let desk_secret: [u8; 32] = STANDARD
        .decode(keys["desk_secret_key"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    assert_eq!(
        STANDARD.encode(x25519_dalek::x25519(
            desk_secret,
            x25519_dalek::X25519_BASEPOINT_BYTES
        )),
        header["desk_public_key"].as_str().unwrap()
    );
    let file = record(&format!("pupil-{}", id.0));
    assert_eq!(file["pupil"]["id"], id.0.as_str());
    assert_eq!(file["pupil"]["forename"], "Amara");
    assert_eq!(file["pupil"]["date_of_birth"], "2017-09-14");
    assert_eq!(file["pupil"]["year_group"], "R");
    assert_eq!(file["revision"], 1);
    assert!(!items.contains_key("senco-desk/journal"));
}

/// SHA-256 of the documented checksum lines.
fn documented_checksum(file: &Value) -> String {
    use sha2::{Digest, Sha256};
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut lines: Vec<String> = ["format", "version", "app_version", "created", "desk_id"]
        .iter()
        .map(|f| text(&file[*f]))
        .collect();
    for slot in file["slots"].as_array().unwrap() {
        for part in [
            &slot["id"],
            &slot["kind"],
            &slot["label"],
            &slot["kdf"]["algorithm"],
            &slot["kdf"]["memory_kib"],
            &slot["kdf"]["iterations"],
            &slot["kdf"]["parallelism"],
            &slot["kdf"]["salt"],
            &slot["nonce"],
            &slot["wrapped_key"],
        ] {
            lines.push(text(part));
        }
    }
    lines.push(text(&file["contents"]));
    Sha256::digest(lines.join("\n").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn a_backup_file_can_be_read_with_only_the_format_document() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/rekeyed/backup-v1.json"
    ))
    .unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["format"], "senco-desk/backup");
    assert_eq!(file["version"], 1);
    assert_eq!(
        file["checksum"].as_str().unwrap(),
        documented_checksum(&file)
    );
    let key = data_key(&file, "fixture passphrase 2026").unwrap();
    let blob = STANDARD.decode(file["contents"].as_str().unwrap()).unwrap();
    let (nonce, sealed) = blob.split_at(12);
    let aad = format!(
        "senco-desk/backup/v1/{}/{}/contents",
        file["desk_id"].as_str().unwrap(),
        file["created"].as_str().unwrap()
    );
    let deflated = decrypt(&key, nonce, sealed, &aad).unwrap();
    let contents: Value =
        serde_json::from_slice(&miniz_oxide::inflate::decompress_to_vec(&deflated).unwrap())
            .unwrap();
    assert_eq!(contents["version"], 1);
    assert_eq!(contents["settings"]["school_name"], "Fixture Primary");
    let pupils = contents["pupils"].as_array().unwrap();
    assert_eq!(pupils.len(), 2);
    let amara = pupils
        .iter()
        .find(|p| p["pupil"]["forename"] == "Amara")
        .unwrap();
    assert_eq!(contents["notes"][0]["pupil_id"], amara["pupil"]["id"]);
    assert_eq!(
        contents["notes"][0]["text"],
        "Speech and language referral sent"
    );
}

#[test]
fn a_version_1_desk_can_be_read_with_only_the_format_document() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/rekeyed/storage-snapshot-v1.json"
    ))
    .unwrap();
    let snapshot: Value = serde_json::from_str(&text).unwrap();
    let items = snapshot["items"].as_object().unwrap();
    let header: Value = serde_json::from_str(items["senco-desk/header"].as_str().unwrap()).unwrap();
    assert_eq!(header["version"], 1);
    let desk_id = header["desk_id"].as_str().unwrap();
    let key = data_key(&header, "fixture passphrase 2026").unwrap();
    let record = |record_id: &str| {
        let value = items[&format!("senco-desk/record/{record_id}")]
            .as_str()
            .unwrap();
        assert!(value.starts_with("v1."));
        open_record(&key, desk_id, record_id, value)
    };
    assert_eq!(record("settings")["school_name"], "Fixture Primary");
    let roster = record("roster");
    assert_eq!(roster.as_object().unwrap().len(), 2);
}
