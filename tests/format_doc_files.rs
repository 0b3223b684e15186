//! Reads an attached file's pieces by following docs/FORMAT.md ("Attached files"), with
//! the crypto crate directly and none of the app's reading code.
#![cfg(not(target_arch = "wasm32"))]

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use senco_desk::domain::attachment::FileKey;
use senco_desk::vault::attachment::seal_file;

#[test]
fn a_file_sealed_by_the_app_opens_by_the_document() {
    let key = FileKey([9; 32]);
    let id = "0011223344556677";
    let bytes: Vec<u8> = (0..2_200_000u32).map(|i| (i % 253) as u8).collect();
    let pieces = seal_file(&key, id, &bytes);
    let n = bytes.len().div_ceil(1_048_576) as u32;
    assert_eq!(pieces.len() as u32, n);
    let mut opened = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        assert_eq!(piece[0], 0x01);
        let id_bytes: Vec<u8> = (0..8)
            .map(|b| u8::from_str_radix(&id[2 * b..2 * b + 2], 16).unwrap())
            .collect();
        assert_eq!(&piece[1..9], id_bytes.as_slice());
        assert_eq!(
            u32::from_be_bytes(piece[9..13].try_into().unwrap()),
            i as u32
        );
        assert_eq!(u32::from_be_bytes(piece[13..17].try_into().unwrap()), n);
        let aad = format!("senco-desk/file/v1/{id}/{i}/{n}");
        let plain = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&key.0))
            .decrypt(
                Nonce::from_slice(&piece[17..29]),
                Payload {
                    msg: &piece[29..],
                    aad: aad.as_bytes(),
                },
            )
            .expect("the piece opens as documented");
        opened.extend_from_slice(&plain);
    }
    assert_eq!(opened, bytes);
}
