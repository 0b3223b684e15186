//! The mark an erased pupil leaves: a one-way fingerprint of their random id, so a merge
//! or restore recognises them in an older backup without the desk keeping the id.

use super::key::to_hex;
use crate::domain::PupilId;
use sha2::{Digest, Sha256};

/// SHA-256 of the id under a fixed label, the first 128 bits as 32 lowercase hex digits.
pub fn erasure_mark(id: &PupilId) -> String {
    let digest = Sha256::new()
        .chain_update(b"senco-desk/erased/")
        .chain_update(id.0.as_bytes())
        .finalize();
    to_hex(&digest[..16])
}

pub fn is_erasure_mark(mark: &str) -> bool {
    mark.len() == 32 && mark.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mark_is_fixed_for_an_id_and_does_not_contain_it() {
        let id = PupilId("0123456789abcdef".into());
        let mark = erasure_mark(&id);
        assert_eq!(mark, erasure_mark(&id));
        assert!(is_erasure_mark(&mark));
        assert!(!mark.contains(&id.0));
        assert_ne!(mark, erasure_mark(&PupilId("0123456789abcdee".into())));
    }
}
