//! Sealing attached files: each file is cut into 1 MiB pieces ([`CHUNK_BYTES`]), each
//! sealed with AES-256-GCM under the file's own random key, with associated data naming
//! the file, the piece's place and the number of pieces:
//! `senco-desk/file/v1/<file id>/<index>/<count>`. So a piece that is missing, moved,
//! swapped with another, from another file, or changed, and a file cut short, fails to open,
//! and the message says which. No deflate: the files kept (PDFs, scans) are compressed
//! already, and a file that inflates could not be a decompression bomb.
//!
//! Each stored piece starts with a small clear header (format byte, file id, index, count),
//! so a failure can be named precisely; the header is bound by the associated data, so
//! altering it only makes the piece fail to open.
//!
//! The desk's id is not in the associated data: the file's key is random and its own, which
//! already binds every piece to its file, and a desk made from a backup (with a new desk id)
//! keeps the pieces as they are.

use super::key::{random_bytes, NONCE_LEN};
use crate::domain::attachment::{chunk_count, is_file_id, FileKey, CHUNK_BYTES};
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use std::fmt;
use zeroize::Zeroizing;

/// The first byte of every stored piece: this layout.
const PIECE_FORMAT: u8 = 1;
/// Format byte, 8 bytes of file id, index and count (u32, big-endian).
const HEADER_LEN: usize = 1 + 8 + 4 + 4;
const TAG_LEN: usize = 16;

/// A fresh random key for a new file.
pub fn new_file_key() -> FileKey {
    FileKey(random_bytes())
}

/// A fresh random file id: 16 hex digits.
pub fn new_file_id() -> String {
    super::to_hex(&random_bytes::<8>())
}

/// The associated data of one piece.
pub fn chunk_aad(file_id: &str, index: u32, count: u32) -> String {
    format!("senco-desk/file/v1/{file_id}/{index}/{count}")
}

/// Seals piece `index` of `count` of a file (`plain` is at most [`CHUNK_BYTES`]).
pub fn seal_chunk(key: &FileKey, file_id: &str, index: u32, count: u32, plain: &[u8]) -> Vec<u8> {
    let id = id_bytes(file_id);
    let nonce = random_bytes::<NONCE_LEN>();
    let aad = chunk_aad(file_id, index, count);
    let sealed = Aes256Gcm::new_from_slice(&key.0)
        .expect("a file key is 32 bytes")
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: plain,
                aad: aad.as_bytes(),
            },
        )
        .expect("AES-GCM encryption cannot fail");
    let mut piece = Vec::with_capacity(HEADER_LEN + NONCE_LEN + sealed.len());
    piece.push(PIECE_FORMAT);
    piece.extend_from_slice(&id);
    piece.extend_from_slice(&index.to_be_bytes());
    piece.extend_from_slice(&count.to_be_bytes());
    piece.extend_from_slice(&nonce);
    piece.extend_from_slice(&sealed);
    piece
}

/// Seals a whole file: its pieces in order.
pub fn seal_file(key: &FileKey, file_id: &str, bytes: &[u8]) -> Vec<Vec<u8>> {
    let count = chunk_count(bytes.len());
    bytes
        .chunks(CHUNK_BYTES)
        .enumerate()
        .map(|(i, plain)| seal_chunk(key, file_id, i as u32, count, plain))
        .collect()
}

/// Why a file did not open, naming the piece (counted from 1, as the message says it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// Piece `index` is not stored (others after it are).
    MissingChunk { index: u32, count: u32 },
    /// Only the first `stored` of `count` pieces are stored: the file was cut short.
    Truncated { stored: u32, count: u32 },
    /// More pieces are stored than the file has.
    ExtraChunks { count: u32 },
    /// The piece stored in place `index` is piece `holds` of this file: pieces were
    /// swapped or reordered.
    OutOfPlace { index: u32, holds: u32, count: u32 },
    /// The piece stored in place `index` belongs to another file.
    FromAnotherFile { index: u32, count: u32 },
    /// The piece in place `index` was changed (a bit flipped) or damaged.
    Damaged { index: u32, count: u32 },
    /// Every piece opened but together they are not the length recorded.
    WrongLength,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let intro = "This file cannot be opened:";
        let end = "Delete it and attach it again from the original.";
        match self {
            FileError::MissingChunk { index, count } => write!(
                f,
                "{intro} piece {} of {count} is missing from this browser's storage. {end}",
                index + 1
            ),
            FileError::Truncated { stored, count } => write!(
                f,
                "{intro} it is cut short (only {stored} of its {count} pieces are stored). {end}"
            ),
            FileError::ExtraChunks { count } => write!(
                f,
                "{intro} storage holds more than its {count} pieces, so it was changed. {end}"
            ),
            FileError::OutOfPlace {
                index,
                holds,
                count,
            } => write!(
                f,
                "{intro} its pieces are out of order (piece {} of {count} is stored where piece {} belongs), so storage was changed. {end}",
                holds + 1,
                index + 1
            ),
            FileError::FromAnotherFile { index, count } => write!(
                f,
                "{intro} piece {} of {count} belongs to another file, so storage was changed. {end}",
                index + 1
            ),
            FileError::Damaged { index, count } => write!(
                f,
                "{intro} piece {} of {count} was changed or damaged since it was sealed. {end}",
                index + 1
            ),
            FileError::WrongLength => write!(
                f,
                "{intro} its pieces are not the length recorded for it. {end}"
            ),
        }
    }
}

impl std::error::Error for FileError {}

/// Opens a file from its stored pieces (index as stored, sealed bytes), checking every
/// piece: all `count` present, each in its place, each this file's, none changed, and
/// `size` bytes in all. Nothing is returned unless every check passes.
pub fn open_file(
    key: &FileKey,
    file_id: &str,
    count: u32,
    size: usize,
    mut stored: Vec<(u32, Vec<u8>)>,
) -> Result<Zeroizing<Vec<u8>>, FileError> {
    stored.sort_by_key(|(index, _)| *index);
    if stored.iter().any(|(index, _)| *index >= count) {
        return Err(FileError::ExtraChunks { count });
    }
    for expected in 0..count {
        if stored.get(expected as usize).map(|(i, _)| *i) != Some(expected) {
            let stored_count = stored.len() as u32;
            // Every piece after this one missing too: the file was cut short.
            return Err(if stored.iter().all(|(i, _)| *i < expected) {
                FileError::Truncated {
                    stored: stored_count,
                    count,
                }
            } else {
                FileError::MissingChunk {
                    index: expected,
                    count,
                }
            });
        }
    }
    let mut plain = Zeroizing::new(Vec::with_capacity(size));
    for (index, piece) in &stored {
        let opened = open_chunk(key, file_id, *index, count, piece)?;
        if plain.len() + opened.len() > size {
            return Err(FileError::WrongLength);
        }
        plain.extend_from_slice(&opened);
    }
    if plain.len() != size {
        return Err(FileError::WrongLength);
    }
    Ok(plain)
}

/// Where a sealed piece says it belongs, from its clear header: (file id, index, count).
/// None when the bytes are not a piece of this layout. Only a hint: the header is bound by
/// the associated data, so [`open_chunk`] is what proves it.
pub fn piece_place(piece: &[u8]) -> Option<(String, u32, u32)> {
    if piece.len() < HEADER_LEN + NONCE_LEN + TAG_LEN || piece[0] != PIECE_FORMAT {
        return None;
    }
    let word = |at: usize| u32::from_be_bytes(piece[at..at + 4].try_into().unwrap());
    Some((super::to_hex(&piece[1..9]), word(9), word(13)))
}

/// Opens one stored piece, checking it is piece `index` of `count` of `file_id`: used piece
/// by piece where a whole file is never held (a backup read as a stream).
pub fn open_chunk(
    key: &FileKey,
    file_id: &str,
    index: u32,
    count: u32,
    piece: &[u8],
) -> Result<Zeroizing<Vec<u8>>, FileError> {
    let cipher = Aes256Gcm::new_from_slice(&key.0).expect("a file key is 32 bytes");
    let (held_index, nonce, sealed) = placed(file_id, index, count, piece)?;
    let open_as = |place: u32| {
        let aad = chunk_aad(file_id, place, count);
        cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: aad.as_bytes(),
                },
            )
            .map(Zeroizing::new)
    };
    if held_index != index {
        // A piece that claims another place: if it opens there, it was moved.
        return Err(moved_or_damaged(
            open_as(held_index).is_ok(),
            index,
            held_index,
            count,
        ));
    }
    open_as(index).map_err(|_| FileError::Damaged { index, count })
}

/// Opens AES-256-GCM for [`check_chunk`]: [`RustCheck`] everywhere, and in the browser the
/// browser's own AES-GCM where the page has it (far faster than WebAssembly without the
/// processor's AES instructions; see `vault::web_crypto`).
#[allow(async_fn_in_trait)]
pub trait PieceCheck {
    /// The length of the plain bytes if `sealed` opens with `key`, `nonce` and `aad`;
    /// None if it does not.
    async fn opens(&self, key: &FileKey, nonce: &[u8], sealed: &[u8], aad: &[u8]) -> Option<usize>;
}

/// This crate's AES-GCM (the plain bytes are wiped at once).
pub struct RustCheck;

impl PieceCheck for RustCheck {
    async fn opens(&self, key: &FileKey, nonce: &[u8], sealed: &[u8], aad: &[u8]) -> Option<usize> {
        let cipher = Aes256Gcm::new_from_slice(&key.0).ok()?;
        cipher
            .decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad })
            .ok()
            .map(|plain| Zeroizing::new(plain).len())
    }
}

/// As [`open_chunk`], proving the piece opens without keeping its bytes: the checks of a
/// backup, where only the length is needed. Returns the plain length.
pub async fn check_chunk(
    check: &impl PieceCheck,
    key: &FileKey,
    file_id: &str,
    index: u32,
    count: u32,
    piece: &[u8],
) -> Result<usize, FileError> {
    let (held_index, nonce, sealed) = placed(file_id, index, count, piece)?;
    let aad = |place: u32| chunk_aad(file_id, place, count);
    if held_index != index {
        let opens = check
            .opens(key, nonce, sealed, aad(held_index).as_bytes())
            .await;
        return Err(moved_or_damaged(opens.is_some(), index, held_index, count));
    }
    check
        .opens(key, nonce, sealed, aad(index).as_bytes())
        .await
        .ok_or(FileError::Damaged { index, count })
}

/// The clear header's checks: the piece is this file's and of `count` pieces. Returns the
/// index it claims, its nonce and its sealed bytes.
fn placed<'p>(
    file_id: &str,
    index: u32,
    count: u32,
    piece: &'p [u8],
) -> Result<(u32, &'p [u8], &'p [u8]), FileError> {
    let damaged = FileError::Damaged { index, count };
    if piece.len() < HEADER_LEN + NONCE_LEN + TAG_LEN || piece[0] != PIECE_FORMAT {
        return Err(damaged);
    }
    let (header, body) = piece.split_at(HEADER_LEN);
    let word = |at: usize| u32::from_be_bytes(header[at..at + 4].try_into().unwrap());
    let (held_index, held_count) = (word(9), word(13));
    if header[1..9] != id_bytes(file_id) {
        return Err(FileError::FromAnotherFile { index, count });
    }
    if held_count != count || held_index >= count {
        return Err(damaged);
    }
    let (nonce, sealed) = body.split_at(NONCE_LEN);
    Ok((held_index, nonce, sealed))
}

/// A piece found at `index` that claims `holds`: moved if it opens there.
fn moved_or_damaged(opens_there: bool, index: u32, holds: u32, count: u32) -> FileError {
    match opens_there {
        true => FileError::OutOfPlace {
            index,
            holds,
            count,
        },
        false => FileError::Damaged { index, count },
    }
}

/// A file id's 8 bytes (the id is 16 hex digits; anything else gives zeros, which no
/// stored piece carries, as ids are checked before use).
fn id_bytes(file_id: &str) -> [u8; 8] {
    let mut out = [0u8; 8];
    if is_file_id(file_id) {
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&file_id[2 * i..2 * i + 2], 16).unwrap_or(0);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "00112233aabbccdd";

    /// 2.5 MiB of varied bytes: three pieces, the last one short.
    fn content() -> Vec<u8> {
        (0..(CHUNK_BYTES * 5 / 2))
            .map(|i| (i * 7 % 251) as u8)
            .collect()
    }

    /// Pieces as storage lists them: (index, sealed bytes).
    type Stored = Vec<(u32, Vec<u8>)>;

    fn sealed() -> (FileKey, Vec<u8>, Stored) {
        let key = new_file_key();
        let bytes = content();
        let pieces = seal_file(&key, ID, &bytes);
        let stored = pieces
            .into_iter()
            .enumerate()
            .map(|(i, p)| (i as u32, p))
            .collect();
        (key, bytes, stored)
    }

    fn open(key: &FileKey, size: usize, stored: Stored) -> Result<Vec<u8>, FileError> {
        open_file(key, ID, 3, size, stored).map(|p| p.to_vec())
    }

    #[test]
    fn a_file_opens_to_the_same_bytes_in_three_pieces() {
        let (key, bytes, stored) = sealed();
        assert_eq!(stored.len(), 3);
        assert_eq!(chunk_count(bytes.len()), 3);
        // Each piece is sealed, not the plain bytes.
        assert!(!stored[0].1.windows(64).any(|w| w == &bytes[..64]));
        let mut shuffled = stored.clone();
        shuffled.reverse(); // the order storage lists them in does not matter
        assert_eq!(open(&key, bytes.len(), shuffled).unwrap(), bytes);
    }

    #[test]
    fn a_missing_piece_is_named() {
        let (key, bytes, mut stored) = sealed();
        stored.remove(1);
        assert_eq!(
            open(&key, bytes.len(), stored).unwrap_err(),
            FileError::MissingChunk { index: 1, count: 3 }
        );
    }

    #[test]
    fn a_file_cut_short_is_named() {
        let (key, bytes, mut stored) = sealed();
        stored.pop();
        let error = open(&key, bytes.len(), stored).unwrap_err();
        assert_eq!(
            error,
            FileError::Truncated {
                stored: 2,
                count: 3
            }
        );
        assert!(error
            .to_string()
            .contains("cut short (only 2 of its 3 pieces"));
    }

    #[test]
    fn swapped_pieces_are_named() {
        let (key, bytes, mut stored) = sealed();
        let first = stored[0].1.clone();
        stored[0].1 = stored[1].1.clone();
        stored[1].1 = first;
        let error = open(&key, bytes.len(), stored).unwrap_err();
        assert_eq!(
            error,
            FileError::OutOfPlace {
                index: 0,
                holds: 1,
                count: 3
            }
        );
        assert!(error.to_string().contains("out of order"));
    }

    #[test]
    fn a_moved_piece_with_its_header_rewritten_still_fails() {
        // Someone rewrites the clear header so the moved piece claims its new place: the
        // associated data still names its old place, so it does not open.
        let (key, bytes, mut stored) = sealed();
        let mut moved = stored[1].1.clone();
        moved[9..13].copy_from_slice(&0u32.to_be_bytes());
        stored[0].1 = moved;
        assert_eq!(
            open(&key, bytes.len(), stored).unwrap_err(),
            FileError::Damaged { index: 0, count: 3 }
        );
    }

    #[test]
    fn a_piece_from_another_file_is_named() {
        let (key, bytes, mut stored) = sealed();
        let other = seal_file(&new_file_key(), "ffeeddccbbaa9988", &bytes);
        stored[2].1 = other[2].clone();
        assert_eq!(
            open(&key, bytes.len(), stored.clone()).unwrap_err(),
            FileError::FromAnotherFile { index: 2, count: 3 }
        );
        // Even with its header made to claim this file, it does not open under this key.
        stored[2].1[1..9].copy_from_slice(&id_bytes(ID));
        assert_eq!(
            open(&key, bytes.len(), stored).unwrap_err(),
            FileError::Damaged { index: 2, count: 3 }
        );
    }

    #[test]
    fn a_flipped_bit_is_named() {
        let (key, bytes, stored) = sealed();
        for place in [
            HEADER_LEN + 3,
            HEADER_LEN + NONCE_LEN + 1000,
            stored[1].1.len() - 1,
        ] {
            let mut changed = stored.clone();
            changed[1].1[place] ^= 0x01;
            assert_eq!(
                open(&key, bytes.len(), changed).unwrap_err(),
                FileError::Damaged { index: 1, count: 3 },
                "a bit flipped at byte {place}"
            );
        }
        // The count in the header changed too: the piece no longer opens.
        let mut recounted = stored.clone();
        recounted[1].1[16] ^= 0x01;
        assert!(open(&key, bytes.len(), recounted).is_err());
    }

    #[test]
    fn a_piece_too_many_or_a_wrong_key_or_length_is_refused() {
        let (key, bytes, mut stored) = sealed();
        assert_eq!(
            open(&new_file_key(), bytes.len(), stored.clone()).unwrap_err(),
            FileError::Damaged { index: 0, count: 3 }
        );
        assert_eq!(
            open(&key, bytes.len() - 1, stored.clone()).unwrap_err(),
            FileError::WrongLength
        );
        stored.push((3, stored[2].1.clone()));
        assert_eq!(
            open(&key, bytes.len(), stored).unwrap_err(),
            FileError::ExtraChunks { count: 3 }
        );
    }

    #[test]
    fn the_associated_data_names_the_file_place_and_count() {
        assert_eq!(
            chunk_aad(ID, 2, 3),
            "senco-desk/file/v1/00112233aabbccdd/2/3"
        );
    }
}
