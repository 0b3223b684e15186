// Senco Desk's key-derivation worker (see src/ui/kdf_worker.rs). Started for one
// derivation and ended by the page once it answers. It loads only this site's own
// senco-desk-kdf.js and senco-desk-kdf_bg.wasm (Argon2id); nothing is fetched from
// anywhere else and nothing leaves the device.
'use strict';
importScripts('./senco-desk-kdf.js');
const ready = wasm_bindgen({ module_or_path: './senco-desk-kdf_bg.wasm' });

self.onmessage = (event) => {
  const { secret, salt, memoryKib, iterations, parallelism } = event.data;
  ready
    .then(() => {
      // deriveKey copies the secret into memory it wipes, and overwrites `secret` with zeros.
      const key = wasm_bindgen.deriveKey(secret, salt, memoryKib, iterations, parallelism);
      self.postMessage({ key }, [key.buffer]);
    })
    .catch((error) => {
      secret.fill(0);
      self.postMessage({ error: String((error && error.message) || error) });
    });
};
