// Issue 14, "Unlocking fast, however long the history": unlock shows the register and home
// from each pupil's sealed summary, and opens the full files after; a pupil's page shows
// their whole history. Summaries are sealed, go with their files, and a missing one is
// written again from the file.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

const AMARA = { forename: 'Amara', surname: 'Okafor', dob: '14/09/2017', year: '4' };
const BEN = { forename: 'Ben', surname: 'Hughes', dob: '02/03/2018', year: '3' };
const NOTE = 'Reads well with a coloured overlay; practise blending at home.';

/** Record ids of the IndexedDB desk that start with `prefix`. */
async function recordIds(page, prefix) {
  const stored = await h.storedValues(page);
  return Object.keys(stored)
    .filter((k) => k.startsWith(`senco-desk/record/${prefix}`))
    .map((k) => k.replace('senco-desk/record/', ''))
    .sort();
}

test('after unlock the register and home show from summaries, and a pupil page opens with its whole history', async ({ page }) => {
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  await h.addPupil(page, AMARA);
  await h.addPupil(page, BEN);
  await h.openPupil(page, AMARA);
  await page.getByRole('button', { name: 'Add a note' }).click();
  await page.getByLabel('Written by', { exact: true }).fill('Mrs Patel');
  await page.getByLabel('Note', { exact: true }).fill(NOTE);
  await page.getByRole('button', { name: 'Save note' }).click();
  await expect(h.pupilHeading(page, AMARA)).toBeVisible();
  await expect(page.getByText(NOTE)).toBeVisible();

  // Each pupil's file has its summary beside it, sealed: no name or note in storage.
  const pupils = await recordIds(page, 'pupil-');
  expect(pupils).toHaveLength(2);
  expect(await recordIds(page, 'summary-')).toEqual(pupils.map((id) => id.replace('pupil-', 'summary-')));
  const stored = await h.storedText(page);
  for (const secret of ['Okafor', 'Amara', 'Hughes', 'coloured overlay', 'Mrs Patel']) expect(stored).not.toContain(secret);

  // Unlock again: home, then the register, then Amara's page with her note.
  await page.goto('/');
  await h.unlockOk(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
  await expect(page.getByText('2 pupils are on the desk.')).toBeVisible();
  const marks = await page.evaluate(() => ({
    summaries: performance.getEntriesByName('senco:open-and-parse').length,
    // Measured once every full file is open, after home showed.
    full: performance.getEntriesByName('senco:open-full-files').length,
  }));
  expect(marks.summaries).toBe(1);
  await expect.poll(() => page.evaluate(() => performance.getEntriesByName('senco:open-full-files').length)).toBe(1);
  await h.goTo(page, 'Pupils');
  await h.showWholeRoll(page);
  await expect(h.rollTable(page).getByRole('link', { name: 'Okafor, Amara' })).toBeVisible();
  await expect(h.rollTable(page).getByRole('link', { name: 'Hughes, Ben' })).toBeVisible();
  await h.rollTable(page).getByRole('link', { name: 'Okafor, Amara' }).click();
  await expect(h.pupilHeading(page, AMARA)).toBeVisible();
  await expect(page.getByText(NOTE)).toBeVisible();

  // A save from that page keeps the note (it is built on the full file).
  await page.getByRole('button', { name: 'Edit details' }).click();
  await page.getByLabel('Year group', { exact: true }).selectOption('5');
  await page.getByRole('button', { name: 'Save pupil' }).click();
  await expect(h.pupilHeading(page, AMARA)).toBeVisible();
  await page.goto('/');
  await h.unlockOk(page);
  await h.openPupil(page, AMARA);
  await expect(page.getByText(NOTE)).toBeVisible();
  expect(problems).toEqual([]);
});

test('a summary missing or moved to another pupil is not shown: the file is, and its summary is written again', async ({ page }) => {
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  await h.addPupil(page, AMARA);
  await h.addPupil(page, BEN);
  const [first, second] = await recordIds(page, 'summary-');
  const stored = await h.storedValues(page);
  // Someone with the laptop copies one pupil's summary over the other's, and deletes it.
  await h.setStored(page, `senco-desk/record/${first}`, stored[`senco-desk/record/${second}`]);
  await page.goto('/');
  await h.unlockOk(page);
  await h.goTo(page, 'Pupils');
  await h.showWholeRoll(page);
  // Sealed to its own pupil, the copied summary does not open: both show as they are.
  await expect(h.rollTable(page).getByRole('link', { name: 'Okafor, Amara' })).toBeVisible();
  await expect(h.rollTable(page).getByRole('link', { name: 'Hughes, Ben' })).toBeVisible();
  await expect(h.rollTable(page).getByRole('row')).toHaveCount(3);
  // Written again from the file at once, so it opens next time.
  await expect.poll(async () => (await h.storedValues(page))[`senco-desk/record/${first}`])
    .not.toBe(stored[`senco-desk/record/${second}`]);

  await h.setStored(page, `senco-desk/record/${second}`, null);
  await page.goto('/');
  await h.unlockOk(page);
  await expect(page.getByText('2 pupils are on the desk.')).toBeVisible();
  await expect.poll(() => recordIds(page, 'summary-')).toEqual([first, second].sort());
  // Nothing was reported as tampering: a summary is only a copy of part of its file.
  await expect(page.getByText(/tampering or damage/)).toHaveCount(0);
  expect(problems).toEqual([]);
});
