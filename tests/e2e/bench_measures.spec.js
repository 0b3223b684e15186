// Issue 14, the benchmark: the README's figures for reading the desk out of IndexedDB,
// unlocking, attaching and opening a file, a backup with files and rotating the data key
// come from the app's own performance measures (bench/run.js reads them). Each must be
// recorded once per action, and only when the action succeeded.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

const AMARA = { forename: 'Amara', surname: 'Okafor', dob: '14/09/2017', year: '4' };
const NEW_PASSPHRASE = 'autumn harbour pencil giraffe';

const measures = (page, name) => page.evaluate((n) => performance.getEntriesByName(n, 'measure').map((e) => e.duration), name);

test('the benchmark\'s measures: reading the desk at start, attaching and opening a file, and a change of passphrase', async ({ page }) => {
  test.setTimeout(180_000);
  const problems = h.watchPage(page);
  await h.createDesk(page);
  // Read out of IndexedDB once as the app starts (empty then).
  expect(await measures(page, 'senco:read-database')).toHaveLength(1);
  await h.goTo(page, 'Pupils');
  await h.submitNewPupil(page, AMARA);
  await expect(h.pupilHeading(page, AMARA)).toBeVisible();
  // A save, and its two parts: sealing, measured once for each save, and the commit, once
  // for each save that wrote something.
  const saves = (await measures(page, 'senco:save')).length;
  expect(saves).toBeGreaterThan(0);
  expect(await measures(page, 'senco:save-seal')).toHaveLength(saves);
  const commits = (await measures(page, 'senco:save-commit')).length;
  expect(commits).toBeGreaterThan(0);
  expect(commits).toBeLessThanOrEqual(saves);

  await page.getByRole('button', { name: 'Attach a file', exact: true }).click();
  await page.getByLabel('File to attach').setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(1_500_000, 0x41) });
  await page.getByRole('button', { name: 'Attach file' }).click();
  await expect(page.getByText('report.pdf was attached.')).toBeVisible({ timeout: 30_000 });
  expect(await measures(page, 'senco:attach-file')).toHaveLength(1);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download report.pdf' }).click(),
  ]);
  await download.path();
  await expect.poll(() => measures(page, 'senco:open-file')).toHaveLength(1);

  // A backup with the attached file: made, checked and downloaded, measured once as a
  // whole (the benchmark's MB/s) as a records-only backup is.
  await h.goTo(page, 'Backups');
  const [backup] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    page.getByRole('button', { name: 'Download backup' }).click(),
  ]);
  await backup.path();
  await expect(page.getByText(/Backup downloaded/).first()).toBeVisible({ timeout: 60_000 });
  expect(await measures(page, 'senco:backup-export')).toHaveLength(1);

  // A wrong current passphrase: refused, and nothing measured as a key change saved.
  await h.goTo(page, 'Settings');
  await page.getByLabel('Current passphrase').fill('not the passphrase at all');
  await page.getByLabel('New passphrase', { exact: true }).fill(NEW_PASSPHRASE);
  await page.getByLabel('New passphrase again').fill(NEW_PASSPHRASE);
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(page.locator('#current-passphrase-error')).toBeVisible({ timeout: 60_000 });
  expect(await measures(page, 'senco:key-change-save')).toHaveLength(0);

  await page.getByLabel('Current passphrase').fill(h.PASSPHRASE);
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(page.getByTestId('keys-changed')).toBeVisible({ timeout: 60_000 });
  expect(await measures(page, 'senco:key-change-derive')).toHaveLength(2);
  expect(await measures(page, 'senco:key-change-save')).toHaveLength(1);

  // A fresh start reads the desk (now with a pupil and a file) once more.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Unlock your desk' })).toBeVisible();
  expect(await measures(page, 'senco:read-database')).toHaveLength(1);
  // Unlocking reads the summaries in slices, measured once from first to last (and goes
  // back to the page the desk locked on).
  await page.getByLabel('Passphrase or recovery key').fill(NEW_PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible({ timeout: 60_000 });
  expect(await measures(page, 'senco:open-and-parse')).toHaveLength(1);
  expect(problems).toEqual([]);
});
