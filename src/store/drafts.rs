//! Drafts (see `domain::draft`) sealed like records, with the desk's data key, each under an
//! opaque name, so nothing of the text, the pupil or the form is readable in storage.
//! A draft is one value, written at once (no journal): it is never part of a save.

use super::keys::DRAFT_PREFIX;
use super::{KeyValueStore, OpenDesk, StoreError};
use crate::domain::draft::Draft;
use crate::vault::Vault;
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

/// The storage name of a page's form draft: a hash of the desk, page and form, so what is
/// stored in the clear says nothing about which pupil or form it belongs to.
pub fn draft_name(desk_id: &str, page: &str, form: &str) -> String {
    let digest = Sha256::digest(format!("{desk_id}\n{page}\n{form}").as_bytes());
    digest[..12].iter().map(|b| format!("{b:02x}")).collect()
}

/// The record id a draft is sealed under (bound into the seal, so a draft moved to another
/// name or desk does not open).
fn draft_record_id(name: &str) -> String {
    format!("draft/{name}")
}

impl OpenDesk {
    /// The storage key of a page's form draft.
    pub fn draft_key(&self, page: &str, form: &str) -> String {
        format!(
            "{DRAFT_PREFIX}{}",
            draft_name(self.vault.desk_id(), page, form)
        )
    }

    /// The storage key and sealed value of a draft.
    pub fn seal_draft(&self, draft: &Draft) -> (String, String) {
        let name = draft_name(self.vault.desk_id(), &draft.page, &draft.form);
        let mut json = serde_json::to_vec(draft).expect("drafts always serialise");
        let sealed = self.vault.seal(&draft_record_id(&name), &json);
        json.zeroize();
        (format!("{DRAFT_PREFIX}{name}"), sealed)
    }

    /// Opens a sealed draft kept under `key`; None if it is not this desk's or is damaged.
    pub fn open_draft(&self, key: &str, sealed: &str) -> Option<Draft> {
        let name = key.strip_prefix(DRAFT_PREFIX)?;
        let mut plain = self.vault.open(&draft_record_id(name), sealed).ok()?;
        let draft = serde_json::from_slice(&plain).ok();
        plain.zeroize();
        draft
    }

    /// Keeps a draft in storage, replacing the form's earlier one. On failure (storage full)
    /// nothing is changed and the error says why.
    pub fn keep_draft(
        &self,
        store: &mut impl KeyValueStore,
        draft: &Draft,
    ) -> Result<(), StoreError> {
        let (key, sealed) = self.seal_draft(draft);
        store.set(&key, &sealed)
    }

    /// Removes a form's draft (saved or discarded).
    pub fn remove_draft(
        &self,
        store: &mut impl KeyValueStore,
        page: &str,
        form: &str,
    ) -> Result<(), StoreError> {
        store.remove(&self.draft_key(page, form))
    }

    /// Removes every draft typed on a page about this pupil (when the pupil is erased):
    /// the drafts are sealed, so each is opened to see which page it belongs to.
    pub fn remove_drafts_about(&self, store: &mut impl KeyValueStore, pupil: &str) {
        let about: Vec<String> = store
            .keys()
            .unwrap_or_default()
            .into_iter()
            .filter(|key| key.starts_with(DRAFT_PREFIX))
            .filter(|key| {
                store
                    .get(key)
                    .ok()
                    .flatten()
                    .and_then(|sealed| self.open_draft(key, &sealed))
                    .is_some_and(|draft| draft.is_about(pupil))
            })
            .collect();
        for key in about {
            // Removing never needs room; a failure leaves a sealed draft, never plain text.
            let _ = store.remove(&key);
        }
    }

    /// After the data key was rotated: seals every draft that `old` opens under the
    /// current key, in place. A draft that cannot be written back (storage full) is
    /// removed rather than left under the old key; returns how many were. If the tab closes
    /// before this runs, the next unlock does it with the desk's earlier keys
    /// ([`Self::reseal_earlier_drafts`]).
    pub fn reseal_drafts(&self, store: &mut impl KeyValueStore, old: &Vault) -> usize {
        let mut lost = 0;
        let keys = store.keys().unwrap_or_default();
        for key in keys.iter().filter(|key| key.starts_with(DRAFT_PREFIX)) {
            let Some(name) = key.strip_prefix(DRAFT_PREFIX) else {
                continue;
            };
            let Some(sealed) = store.get(key).ok().flatten() else {
                continue;
            };
            let Some(resealed) = old.reseal(&draft_record_id(name), &sealed, &self.vault) else {
                continue;
            };
            if store.set(key, &resealed).is_err() {
                let _ = store.remove(key);
                lost += 1;
            }
        }
        lost
    }

    /// Seals under the current key every draft kept under one of the desk's earlier keys:
    /// drafts a tab wrote while another tab changed the key (that tab then locks). Called
    /// at unlock. Returns how many could not be written back yet (left as they were).
    pub fn reseal_earlier_drafts(&self, store: &mut impl KeyValueStore) -> usize {
        let earlier = self.vault.earlier_vaults();
        let mut kept = 0;
        for key in store.keys().unwrap_or_default() {
            let Some(name) = key.strip_prefix(DRAFT_PREFIX) else {
                continue;
            };
            let Some(sealed) = store.get(&key).ok().flatten() else {
                continue;
            };
            let resealed = earlier
                .iter()
                .find_map(|old| old.reseal(&draft_record_id(name), &sealed, &self.vault));
            // Not written back (storage full): left as it is for the next unlock to try, as
            // the earlier key stays in the desk.
            if let Some(resealed) = resealed {
                if store.set(&key, &resealed).is_err() {
                    kept += 1;
                }
            }
        }
        kept
    }

    /// Every draft of this desk kept for `page`, oldest first. A draft that does not open
    /// (another desk's, from before a restore) is left alone and not offered.
    pub fn drafts_for(&self, store: &impl KeyValueStore, page: &str) -> Vec<Draft> {
        let mut drafts: Vec<Draft> = store
            .keys()
            .unwrap_or_default()
            .into_iter()
            .filter(|key| key.starts_with(DRAFT_PREFIX))
            .filter_map(|key| {
                let sealed = store.get(&key).ok()??;
                self.open_draft(&key, &sealed)
            })
            .filter(|draft| draft.page == page)
            .collect();
        drafts.sort_by_key(|d| d.saved_at);
        drafts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_2_the_draft_name_says_nothing_of_the_page_and_differs_by_form_and_desk() {
        let name = draft_name("desk1", "/pupil?id=abc123", "note");
        assert_eq!(name.len(), 24);
        assert!(!name.contains("abc123") && !name.contains("note"));
        assert_ne!(name, draft_name("desk1", "/pupil?id=abc123", "concern"));
        assert_ne!(name, draft_name("desk2", "/pupil?id=abc123", "note"));
        assert_eq!(name, draft_name("desk1", "/pupil?id=abc123", "note"));
    }
}
