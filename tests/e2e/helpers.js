// Shared steps for the journeys: create a desk, unlock, add a pupil, check accessibility,
// and record every request the page makes.
const { expect } = require('@playwright/test');
const AxeBuilder = require('@axe-core/playwright').default;

const PASSPHRASE = 'purple tractor singing lighthouse';
const SCHOOL = 'Oakfield Primary';
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth'];

/** Fails the test on any page error, console error or alert (an alert would mean injected script ran). */
function watchPage(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('dialog', async (d) => {
    problems.push(`dialog: ${d.message()}`);
    await d.dismiss();
  });
  return problems;
}

/** Records every request; the app may only load its own static files. */
function recordRequests(page) {
  const requests = [];
  page.on('request', (r) => requests.push({ url: r.url(), method: r.method() }));
  return requests;
}

function expectOnlyOwnStaticFiles(requests, baseURL) {
  const origin = new URL(baseURL).origin;
  expect(requests.length).toBeGreaterThan(0);
  for (const r of requests) {
    const url = new URL(r.url);
    if (url.protocol === 'blob:' || url.protocol === 'data:') continue;
    expect(url.origin, r.url).toBe(origin);
    expect(r.method, r.url).toBe('GET');
    expect(url.search, r.url).toBe('');
  }
}

async function expectNoAxeViolations(page, screen) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  expect(summary, `axe on ${screen}`).toEqual([]);
}

/** First run: create the desk and confirm the recovery key. Returns the recovery key. */
async function createDesk(page, { axe = false } = {}) {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Create your desk' })).toBeVisible();
  if (axe) await expectNoAxeViolations(page, 'create');
  await page.getByLabel('School name').fill(SCHOOL);
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create desk' }).click();
  await expect(page.getByRole('heading', { name: 'Your recovery key' })).toBeVisible({ timeout: 30_000 });
  const key = (await page.getByTestId('recovery-key').textContent()).trim();
  expect(key).toMatch(/^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/);
  if (axe) {
    await expectNoAxeViolations(page, 'recovery key');
    // Printing gives the emergency sheet alone: no navigation, form or buttons.
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('region', { name: 'Senco Desk emergency sheet' })).toBeVisible();
    await expect(page.getByTestId('recovery-key')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Print emergency sheet' })).toBeHidden();
    await expect(page.getByRole('heading', { name: 'Your recovery key' })).toBeHidden();
    await page.emulateMedia({ media: 'screen' });
  }
  await confirmRecoveryKey(page, key);
  return key;
}

/** On the recovery-key step (after creating or restoring a desk): types a wrong group, is
 * refused, then the group asked for, and arrives home. */
async function confirmRecoveryKey(page, key) {
  const check = page.getByLabel(/Type the \w+ group of your recovery key/);
  const label = await page.locator('label[for="recovery-check"]').textContent();
  const index = ORDINALS.findIndex((o) => label.includes(` ${o} group`));
  expect(index).toBeGreaterThan(0);
  // A wrong group is refused with the reason.
  await check.fill('ZZZZ');
  await page.getByRole('button', { name: 'I have kept my recovery key' }).click();
  await expect(page.getByText(/That is not the \w+ group of your recovery key/).first()).toBeVisible();
  await check.fill(key.split('-')[index].toLowerCase());
  await page.getByRole('button', { name: 'I have kept my recovery key' }).click();
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();
}

/** After a backup has opened on the restore page: chooses the desk's passphrase, restores,
 * and confirms the new recovery key the restored desk gets. Returns that key. */
async function finishRestore(page, passphrase = PASSPHRASE, button = 'Restore this desk') {
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Passphrase again').fill(passphrase);
  await page.getByRole('button', { name: button }).click();
  await expect(page.getByRole('heading', { name: 'Your recovery key' })).toBeVisible({ timeout: 30_000 });
  const key = (await page.getByTestId('recovery-key').textContent()).trim();
  await confirmRecoveryKey(page, key);
  return key;
}

async function unlock(page, secret) {
  await expect(page.getByRole('heading', { name: 'Unlock your desk' })).toBeVisible();
  await page.getByLabel('Passphrase or recovery key').fill(secret);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

/**
 * Unlocks and waits for the page the app returns to: Home, or (issue 13 point 2) the page
 * that was open when the desk locked or the page was reloaded.
 */
async function unlockOk(page, secret = PASSPHRASE) {
  await unlock(page, secret);
  await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('heading', { name: 'Unlock your desk' })).toHaveCount(0);
}

async function goTo(page, name) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** Opens "Add a pupil" from the Pupils page, fills the form and presses "Save pupil". */
async function submitNewPupil(page, { forename, surname, dob, year, upn = '' }) {
  await page.getByRole('button', { name: 'Add a pupil' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Add a pupil' })).toBeVisible();
  await page.getByLabel('Legal forename', { exact: true }).fill(forename);
  await page.getByLabel('Legal surname', { exact: true }).fill(surname);
  await page.getByLabel('Date of birth', { exact: true }).fill(dob);
  await page.getByLabel('Year group', { exact: true }).selectOption(year);
  await page.getByLabel('UPN (optional)', { exact: true }).fill(upn);
  await page.getByRole('button', { name: 'Save pupil' }).click();
}

/** The heading of a pupil's page, "Forename Surname". */
function pupilHeading(page, { forename, surname }) {
  return page.getByRole('heading', { level: 1, name: `${forename} ${surname}`, exact: true });
}

/** From the Pupils page: adds a pupil, waits for their page, then returns to the list. */
async function addPupil(page, pupil) {
  await submitNewPupil(page, pupil);
  await expect(pupilHeading(page, pupil)).toBeVisible();
  await backToPupils(page);
}

/** The "Back to pupils" link at the top of a pupil's page. */
async function backToPupils(page) {
  await page.getByRole('link', { name: 'Back to pupils' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Pupils' })).toBeVisible();
}

/** On the Pupils page: lists everyone on roll, not only the SEN register (only ticks if needed). */
async function showWholeRoll(page) {
  const box = page.getByLabel('Show the whole roll (not only the SEN register)', { exact: true });
  if (!(await box.isChecked())) await box.check();
  await expect(box).toBeChecked();
}

/** The pupils table when the whole roll is shown. */
function rollTable(page) {
  return page.getByRole('table', { name: /^The whole roll\./ });
}

/** Goes to Pupils, shows the whole roll and opens a pupil's page from their name link. */
async function openPupil(page, pupil) {
  await goTo(page, 'Pupils');
  await showWholeRoll(page);
  // The register shows the legal forename beside a different preferred one: "Okafor, Mira (Amira)".
  const name = new RegExp(`^${pupil.surname}, ${pupil.forename}( \\(.*\\))?$`);
  await rollTable(page).getByRole('link', { name }).click();
  await expect(pupilHeading(page, pupil)).toBeVisible();
}

/** Imports `csv` (an MIS pupil export's text) from the Pupils page, all rows, and waits for the result. */
async function importRoll(page, csv) {
  await goTo(page, 'Pupils');
  await page.getByRole('link', { name: 'Import from your MIS' }).click();
  await page.getByLabel('Pupil export (CSV)').setInputFiles({ name: 'roll.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Check the rows' }).click();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Go to the register' })).toBeVisible();
}

/** The value beside `term` in the Summary of a pupil's page. */
function summaryValue(page, term) {
  return page
    .getByRole('region', { name: 'Summary' })
    .getByRole('term')
    .filter({ hasText: new RegExp(`^${term}$`) })
    .locator('xpath=following-sibling::dd[1]');
}

/**
 * Every value the app keeps: localStorage and sessionStorage as they are, and the IndexedDB
 * desk under the keys the localStorage desk used ("senco-desk/header",
 * "senco-desk/record/<id>", records as base64 of their sealed bytes), plus any other
 * IndexedDB value as "idb:<store>/<key>".
 */
async function storedValues(page) {
  return page.evaluate(async () => {
    const out = {};
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      out[k] = localStorage.getItem(k);
    }
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes('senco-desk')) return out;
    const db = await new Promise((ok, bad) => {
      const r = indexedDB.open('senco-desk');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => bad(r.error);
    });
    const text = (v) => {
      if (typeof v === 'string') return v;
      if (v instanceof Uint8Array || v instanceof ArrayBuffer) {
        const bytes = new Uint8Array(v);
        let s = '';
        for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
        return btoa(s);
      }
      return JSON.stringify(v);
    };
    for (const name of db.objectStoreNames) {
      const st = db.transaction(name, 'readonly').objectStore(name);
      const keys = await new Promise((ok) => { const r = st.getAllKeys(); r.onsuccess = () => ok(r.result); });
      const values = await new Promise((ok) => { const r = st.getAll(); r.onsuccess = () => ok(r.result); });
      keys.forEach((k, i) => {
        const key = name === 'meta' && k === 'header' ? 'senco-desk/header'
          : name === 'records' ? `senco-desk/record/${k}` : `idb:${name}/${JSON.stringify(k)}`;
        // localStorage's own header, if an older desk moved, is kept apart.
        if (key in out) out[`localStorage:${key}`] = out[key];
        out[key] = text(values[i]);
      });
    }
    db.close();
    return out;
  });
}

/**
 * Everything the app keeps, as text to search for anything readable: every key, and every
 * value as stored (bytes read as Latin-1 and as UTF-8, so plain text inside them shows).
 */
async function storedText(page) {
  const stored = await storedValues(page);
  const parts = [];
  for (const [key, value] of Object.entries(stored)) {
    parts.push(key, value);
    if (key.startsWith('senco-desk/record/') || key.startsWith('idb:')) {
      try {
        const bytes = Buffer.from(value, 'base64');
        parts.push(bytes.toString('latin1'), bytes.toString('utf8'));
      } catch {
        // Not base64: already text.
      }
    }
  }
  return parts.join('\n');
}

/**
 * Writes one value of the IndexedDB desk (as someone with the laptop could), by the keys
 * storedValues uses; null deletes it. Reload the page afterwards: the app reads the
 * database when it starts.
 */
async function setStored(page, key, value) {
  await page.evaluate(async ([key, value]) => {
    const db = await new Promise((ok, bad) => {
      const r = indexedDB.open('senco-desk');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => bad(r.error);
    });
    let store = 'records';
    let id = key.replace('senco-desk/record/', '');
    let stored = value;
    if (key === 'senco-desk/header') {
      store = 'meta';
      id = 'header';
    } else if (value !== null) {
      stored = Uint8Array.from(atob(value), (c) => c.charCodeAt(0));
    }
    const tx = db.transaction(store, 'readwrite');
    if (value === null) tx.objectStore(store).delete(id);
    else tx.objectStore(store).put(stored, id);
    await new Promise((ok, bad) => { tx.oncomplete = ok; tx.onabort = () => bad(tx.error); });
    db.close();
  }, [key, value]);
}

/**
 * Makes the site's storage full, as a full disk does: from now on every IndexedDB write in
 * this page is refused with QuotaExceededError, as Safari refuses it (at once, from put).
 * Reads still work. (Chromium's DevTools quota override does not reach a site that was
 * granted persistent storage, which the app asks for.)
 */
async function fillStorage(page) {
  await page.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function full(...args) {
      if (this.name === 'records' || this.name === 'meta' || this.name === 'chunks') {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return put.apply(this, args);
    };
  });
}

module.exports = {
  importRoll,
  PASSPHRASE,
  SCHOOL,
  watchPage,
  recordRequests,
  expectOnlyOwnStaticFiles,
  expectNoAxeViolations,
  createDesk,
  confirmRecoveryKey,
  finishRestore,
  unlock,
  unlockOk,
  goTo,
  submitNewPupil,
  pupilHeading,
  addPupil,
  backToPupils,
  showWholeRoll,
  rollTable,
  openPupil,
  summaryValue,
  storedValues,
  storedText,
  setStored,
  fillStorage,
};
