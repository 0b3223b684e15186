// Issue 14, backups with files: a backup carries the attached files (version 2, made as a
// stream and checked), restores into a fresh browser with the same bytes; "records only"
// stays a labelled, small choice. Throughput of making and restoring is printed (MB/s from
// the app's own performance measures).
const { test, expect } = require('@playwright/test');
const fs = require('fs');
const os = require('os');
const path = require('path');
const h = require('./helpers');

const AMARA = { forename: 'Amara', surname: 'Okafor', dob: '14/09/2017', year: '4', upn: 'B801200005001' };
const FILE_NAME = 'EP report Amara Okafor.pdf';
const MARKER = 'UNIQUE-CONTENT-MARKER-7f3a';

/** A PDF-like file of about `size` bytes, the marker near its start, varied bytes after. */
function pdfBytes(size) {
  const head = Buffer.from(`%PDF-1.4\n% ${MARKER}: Amara reads well with support.\n`);
  const body = Buffer.alloc(size - head.length);
  for (let i = 0; i < body.length; i++) body[i] = (i * 31 + 7) % 251;
  return Buffer.concat([head, body]);
}

async function attach(page, buffer) {
  await page.getByRole('button', { name: 'Attach a file', exact: true }).click();
  await page.getByLabel('File to attach').setInputFiles({ name: FILE_NAME, mimeType: 'application/pdf', buffer });
  await page.getByLabel('Date the file is about').fill('15/10/2025');
  await page.getByRole('button', { name: 'Attach file' }).click();
  await expect(page.getByText(`${FILE_NAME} was attached.`)).toBeVisible({ timeout: 60_000 });
}

async function download(page) {
  const waiting = page.waitForEvent('download', { timeout: 120_000 });
  await page.getByRole('button', { name: 'Download backup' }).click();
  const file = await waiting;
  const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'senco-backup-files-')), file.suggestedFilename());
  await file.saveAs(target);
  return target;
}

/** A value in the backup preview's list. */
function previewValue(page, term) {
  return page.getByTestId('backup-preview').getByRole('term')
    .filter({ hasText: new RegExp(`^${term}$`) })
    .locator('xpath=following-sibling::dd[1]');
}

/** The duration (ms) of the app's last performance measure called `name`. */
async function measured(page, name) {
  return page.evaluate((n) => {
    const all = performance.getEntriesByName(n);
    return all.length ? all[all.length - 1].duration : null;
  }, name);
}

test('a backup with files restores into a fresh browser and the file opens with the same bytes; records only stays small', async ({ page, browser }) => {
  test.setTimeout(240_000);
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  await h.submitNewPupil(page, AMARA);
  await expect(h.pupilHeading(page, AMARA)).toBeVisible();
  const original = pdfBytes(5_000_000);
  await attach(page, original);

  // The choice, labelled, with the files' size; records and files is the usual one.
  await h.goTo(page, 'Backups');
  const holds = page.getByRole('group', { name: 'What the backup holds' });
  await expect(holds.getByLabel('Records and attached files (usual): 1 file of 5.0 MB')).toBeChecked();
  await expect(holds.getByLabel(/^Records only: a small file/)).not.toBeChecked();
  await h.expectNoAxeViolations(page, 'backups with the files choice');

  const withFiles = await download(page);
  await expect(page.getByTestId('backup-result')).toContainText(/Backup downloaded: .* \(\d+\.\d MB\)\. Fingerprint [0-9a-f ]+\. It holds the records and attached files\./);
  const text = fs.readFileSync(withFiles, 'latin1');
  expect(text).toContain('"version":2');
  expect(text).toContain('"chunks":[');
  for (const secret of [FILE_NAME, 'EP report', MARKER, 'Amara', 'Okafor']) expect(text.includes(secret), secret).toBe(false);
  const made = (await measured(page, 'senco:backup-files-write')) + (await measured(page, 'senco:backup-files-check'));
  const mb = fs.statSync(withFiles).size / 1e6;

  // Records only: a labelled choice, a small version 1 file.
  await holds.getByLabel(/^Records only: a small file/).check();
  const recordsOnly = await download(page);
  await expect(page.getByTestId('backup-result')).toContainText('It holds the records only.');
  const small = fs.readFileSync(recordsOnly, 'utf8');
  expect(small).toContain('"version":1');
  expect(small).not.toContain('"chunks"');
  expect(fs.statSync(recordsOnly).size * 50).toBeLessThan(fs.statSync(withFiles).size);

  // A fresh browser restores the backup with files: the file is listed and opens the same.
  const context = await browser.newContext({ acceptDownloads: true });
  const fresh = await context.newPage();
  const freshProblems = h.watchPage(fresh);
  await fresh.goto('/');
  await fresh.getByRole('link', { name: 'Restore from a backup' }).click();
  await fresh.getByLabel('Backup file').setInputFiles(withFiles);
  await expect(fresh.getByText(/It holds the records and 1 attached file\./)).toBeVisible({ timeout: 30_000 });
  await fresh.getByLabel('Passphrase or recovery key for this backup').fill(h.PASSPHRASE);
  await fresh.getByRole('button', { name: 'Open backup' }).click();
  await expect(fresh.getByRole('heading', { name: 'What the backup holds' })).toBeVisible({ timeout: 30_000 });
  await expect(previewValue(fresh, 'Attached files')).toHaveText('1 (5.0 MB)');
  await h.expectNoAxeViolations(fresh, 'restore preview with files');
  await h.finishRestore(fresh);
  const restored = await measured(fresh, 'senco:backup-files-stage');
  await h.openPupil(fresh, AMARA);
  const [file] = await Promise.all([
    fresh.waitForEvent('download'),
    fresh.getByRole('button', { name: `Download ${FILE_NAME}` }).click(),
  ]);
  expect(file.suggestedFilename()).toBe('attachment-2025-10-15.pdf');
  expect(fs.readFileSync(await file.path()).equals(original)).toBe(true);

  // The records-only backup, restored elsewhere, says the files are not included.
  const other = await (await browser.newContext()).newPage();
  await other.goto('/');
  await other.getByRole('link', { name: 'Restore from a backup' }).click();
  await other.getByLabel('Backup file').setInputFiles(recordsOnly);
  await expect(other.getByText(/It holds the records only\./)).toBeVisible();
  await other.getByLabel('Passphrase or recovery key for this backup').fill(h.PASSPHRASE);
  await other.getByRole('button', { name: 'Open backup' }).click();
  await expect(previewValue(other, 'Attached files')).toHaveText('Not included: a records-only backup', { timeout: 30_000 });

  console.log(`backup with files: ${mb.toFixed(1)} MB made and checked in ${made.toFixed(0)} ms (${(mb / (made / 1000)).toFixed(1)} MB/s); staged on restore in ${restored.toFixed(0)} ms (${(mb / (restored / 1000)).toFixed(1)} MB/s)`);
  expect(problems).toEqual([]);
  expect(freshProblems).toEqual([]);
  await context.close();
});

test('when storage is full, the quick backup offered says it holds the records only, and does', async ({ page }) => {
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  await h.submitNewPupil(page, AMARA);
  await expect(h.pupilHeading(page, AMARA)).toBeVisible();
  await attach(page, pdfBytes(40_000));
  await h.fillStorage(page);
  await page.getByRole('button', { name: 'Edit details' }).click();
  await page.getByLabel('Class or form (optional)', { exact: true }).fill('4B');
  await page.getByRole('button', { name: 'Save pupil' }).click();
  const notice = page.locator('.notice-area');
  await expect(notice).toContainText('storage for Senco Desk is full');
  await expect(notice).toContainText('This backup holds the records only. The attached files stay in this browser');
  await expect(notice.getByRole('button', { name: 'Download backup', exact: true })).toHaveCount(0);
  await h.expectNoAxeViolations(page, 'full storage with attached files');
  const waiting = page.waitForEvent('download');
  await notice.getByRole('button', { name: 'Download backup of the records' }).click();
  const text = fs.readFileSync(await (await waiting).path(), 'utf8');
  const backup = JSON.parse(text);
  expect(backup.format).toBe('senco-desk/backup');
  expect(backup.chunks).toBeUndefined();
  expect(text).not.toContain(MARKER);
  await expect(page.getByText(/Backup downloaded: .* It holds the records only\./)).toBeVisible();
  expect(problems).toEqual([]);
});

/** How many pieces of attached files the page's IndexedDB holds. */
function storedPieces(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const opening = indexedDB.open('senco-desk');
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
      const db = opening.result;
      const counting = db.transaction('chunks').objectStore('chunks').count();
      counting.onsuccess = () => { resolve(counting.result); db.close(); };
      counting.onerror = () => reject(counting.error);
    };
  }));
}

/** Opens a backup on the restore page of a fresh browser, up to its new passphrase. */
async function openForRestore(page, file) {
  await page.goto('/');
  await page.getByRole('link', { name: 'Restore from a backup' }).click();
  await page.getByLabel('Backup file').setInputFiles(file);
  await expect(page.getByText(/It holds the records and 1 attached file\./)).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Passphrase or recovery key for this backup').fill(h.PASSPHRASE);
  await page.getByRole('button', { name: 'Open backup' }).click();
  await expect(page.getByRole('heading', { name: 'What the backup holds' })).toBeVisible({ timeout: 30_000 });
}

test('a restore that runs out of space while storing the attached files says so, keeps no piece, and can be tried again', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  await h.submitNewPupil(page, AMARA);
  await expect(h.pupilHeading(page, AMARA)).toBeVisible();
  // Five pieces: stored four at a time, so the second write fails while the first may
  // still be finishing, and its failure is only heard at the end of the reading.
  const original = pdfBytes(4_500_000);
  await attach(page, original);
  await h.goTo(page, 'Backups');
  const backup = await download(page);

  const context = await browser.newContext({ acceptDownloads: true });
  const fresh = await context.newPage();
  const freshProblems = h.watchPage(fresh);
  await openForRestore(fresh, backup);
  await fresh.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    let pieces = 0;
    IDBObjectStore.prototype.put = function full(...args) {
      if (this.name === 'chunks' && ++pieces > 4) {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return put.apply(this, args);
    };
  });
  await fresh.getByLabel('Passphrase', { exact: true }).fill(h.PASSPHRASE);
  await fresh.getByLabel('Passphrase again').fill(h.PASSPHRASE);
  await fresh.getByRole('button', { name: 'Restore this desk' }).click();
  const summary = fresh.getByRole('alert', { name: 'There is a problem' });
  await expect(summary).toContainText('The desk was not restored', { timeout: 60_000 });
  await expect(summary).toContainText("attached files could not be stored in this browser");
  await expect(summary).toContainText('Nothing was changed.');
  await expect(fresh.getByRole('heading', { name: 'Your recovery key' })).toHaveCount(0);
  // The four pieces the first write stored are gone again.
  expect(await storedPieces(fresh)).toBe(0);

  // Space again (a reload drops the full store): the same file restores whole.
  await openForRestore(fresh, backup);
  await h.finishRestore(fresh);
  expect(await storedPieces(fresh)).toBe(5);
  await h.openPupil(fresh, AMARA);
  const [file] = await Promise.all([
    fresh.waitForEvent('download'),
    fresh.getByRole('button', { name: `Download ${FILE_NAME}` }).click(),
  ]);
  expect(fs.readFileSync(await file.path()).equals(original)).toBe(true);
  expect(problems).toEqual([]);
  expect(freshProblems).toEqual([]);
  await context.close();
});
