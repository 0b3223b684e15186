// End-to-end journeys through the release build, as a SENCO would use it.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

const AMARA = { forename: 'Amara', surname: 'Okafor', dob: '14/09/2017', year: '4', upn: 'B801200005001' };
const BEN = { forename: 'Ben', surname: 'Hughes', dob: '02/03/2019', year: '2' };

test('first run to unlock: create, add pupils, lock, wrong passphrase, unlock, reload', async ({ page, baseURL }) => {
  const problems = h.watchPage(page);
  const requests = h.recordRequests(page);
  await h.createDesk(page, { axe: true });
  await expect(page.getByText(h.SCHOOL).first()).toBeVisible();
  await h.expectNoAxeViolations(page, 'home');

  await h.goTo(page, 'Pupils');
  await h.expectNoAxeViolations(page, 'pupils (empty)');
  // A refused form keeps what was typed and says why beside each field.
  await page.getByRole('button', { name: 'Add a pupil' }).click();
  await page.getByLabel('Legal forename', { exact: true }).fill('Amara');
  await page.getByLabel('Date of birth', { exact: true }).fill('31/02/2017');
  await page.getByLabel('UPN (optional)', { exact: true }).fill('A801200005001');
  await page.getByRole('button', { name: 'Save pupil' }).click();
  await expect(page.getByRole('alert', { name: 'There is a problem' })).toBeFocused();
  await expect(page.locator('#surname-error')).toContainText("Enter the pupil's surname");
  await expect(page.locator('#date-of-birth-error')).toContainText('not a date');
  await expect(page.locator('#upn-error')).toContainText('check letter is A');
  await expect(page.getByLabel('Legal forename', { exact: true })).toHaveValue('Amara');
  await h.expectNoAxeViolations(page, 'pupil form with errors');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Pupils' })).toBeVisible();

  // A new pupil's page opens; their date of birth (the British way) and UPN are there.
  await h.submitNewPupil(page, AMARA);
  await expect(h.pupilHeading(page, AMARA)).toBeVisible();
  await expect(page.getByRole('status').getByText('Saved Amara Okafor.')).toBeVisible();
  await expect(h.summaryValue(page, 'Date of birth')).toHaveText(/^14\/09\/2017 \(age \d+\)$/);
  await expect(h.summaryValue(page, 'Year group')).toHaveText('Year 4');
  await expect(h.summaryValue(page, 'UPN')).toHaveText('B801200005001');
  await h.backToPupils(page);
  await h.submitNewPupil(page, BEN);
  await expect(h.pupilHeading(page, BEN)).toBeVisible();
  await expect(h.summaryValue(page, 'Date of birth')).toHaveText(/^02\/03\/2019 \(age \d+\)$/);
  await expect(h.summaryValue(page, 'UPN')).toHaveText('Not recorded');
  await h.backToPupils(page);
  // Pupils added by hand have no SEN status, so they show only with the whole roll.
  await expect(page.getByRole('status').filter({ hasText: /No pupils match/ })).toHaveText('No pupils match. 2 pupils on roll.');
  await h.showWholeRoll(page);
  const rows = h.rollTable(page).getByRole('row');
  await expect(rows).toHaveCount(3);
  // Sorted by surname.
  await expect(rows.nth(1)).toContainText('Hughes, Ben');
  await expect(rows.nth(1)).toContainText('Year 2');
  await expect(rows.nth(2)).toContainText('Okafor, Amara');
  await expect(rows.nth(2)).toContainText('Year 4');
  await h.expectNoAxeViolations(page, 'pupils (list)');

  // Nothing identifying is stored in the clear.
  const stored = await h.storedValues(page);
  const everything = await h.storedText(page);
  // The scan can see plain text: the desk's own header is there, readable.
  expect(everything).toContain('senco-desk/store');
  for (const secret of ['Amara', 'Okafor', 'Hughes', 'B801200005001', '2017-09-14', '14/09/2017', '2019-03-02', h.SCHOOL, h.PASSPHRASE]) {
    expect(everything.includes(secret), `${secret} found in the browser's storage`).toBe(false);
  }
  expect(Object.keys(stored).some((k) => k.startsWith('senco-desk/record/pupil-'))).toBe(true);

  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Unlock your desk' })).toBeVisible();
  await expect(page.getByText('Amara')).toHaveCount(0);
  await h.unlock(page, 'not the passphrase at all');
  await expect(page.locator('#secret-error')).toContainText('not right for this desk', { timeout: 30_000 });
  await h.expectNoAxeViolations(page, 'unlock with error');
  await h.unlockOk(page);
  await h.goTo(page, 'Pupils');
  // Locking forgets how the list was shown.
  await expect(page.getByLabel('Show the whole roll (not only the SEN register)')).not.toBeChecked();
  await h.showWholeRoll(page);
  await expect(page.getByRole('row', { name: /Okafor, Amara/ })).toBeVisible();

  await page.reload();
  await h.unlockOk(page);
  await h.goTo(page, 'Pupils');
  await h.showWholeRoll(page);
  await expect(page.getByRole('row', { name: /Hughes, Ben/ })).toBeVisible();
  await h.goTo(page, 'Settings');
  await expect(page.getByTestId('storage-used')).toHaveText(/^\d+ KB of about 10\.5 MB \(0\.\d%\)$/);
  await expect(page.getByTestId('persistence')).not.toHaveText('Checking…');
  await expect(page.getByText('Safari after seven days without a visit')).toBeVisible();
  await h.expectNoAxeViolations(page, 'settings');

  h.expectOnlyOwnStaticFiles(requests, baseURL);
  expect(problems).toEqual([]);
});

test('edit and delete a pupil, with confirmation', async ({ page }) => {
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  await h.addPupil(page, AMARA);
  await h.addPupil(page, BEN);
  await h.openPupil(page, BEN);
  await page.getByRole('button', { name: 'Edit details' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Edit pupil details' })).toBeVisible();
  await expect(page.getByLabel('Date of birth', { exact: true })).toHaveValue('02/03/2019');
  await page.getByLabel('Year group', { exact: true }).selectOption('R');
  await page.getByRole('button', { name: 'Save pupil' }).click();
  await expect(h.pupilHeading(page, BEN)).toBeVisible();
  await expect(h.summaryValue(page, 'Year group')).toHaveText('Reception');
  await h.backToPupils(page);
  await expect(page.getByRole('row', { name: /Hughes, Ben/ })).toContainText('Reception');

  // Erasing asks for the pupil's name; cancelling, or a wrong name, keeps the pupil.
  await h.openPupil(page, AMARA);
  await page.getByRole('button', { name: 'Erase completely' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Erase Amara Okafor completely?' })).toBeVisible();
  await h.expectNoAxeViolations(page, 'erase confirmation');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(h.pupilHeading(page, AMARA)).toBeVisible();
  await h.backToPupils(page);
  await expect(page.getByRole('row', { name: /Okafor, Amara/ })).toBeVisible();
  await h.openPupil(page, AMARA);
  await page.getByRole('button', { name: 'Erase completely' }).click();
  await page.getByLabel('Type Amara Okafor to confirm', { exact: true }).fill('Amara');
  await page.getByRole('button', { name: 'Erase this pupil' }).click();
  await expect(page.getByRole('alert', { name: 'There is a problem' })).toContainText(
    "Type the pupil's name, Amara Okafor, exactly to confirm.");
  await h.goTo(page, 'Pupils');
  await expect(page.getByRole('row', { name: /Okafor, Amara/ })).toBeVisible();
  await h.openPupil(page, AMARA);
  await page.getByRole('button', { name: 'Erase completely' }).click();
  await page.getByLabel('Type Amara Okafor to confirm', { exact: true }).fill('Amara Okafor');
  await page.getByRole('button', { name: 'Erase this pupil' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Pupils' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'erased' })).toContainText(
    "Amara Okafor's file was erased from this desk. Backup files made before today still hold it: merging or restoring them here will not bring it back");
  await expect(page.getByRole('row', { name: /Okafor, Amara/ })).toHaveCount(0);

  await page.reload();
  await h.unlockOk(page);
  await h.goTo(page, 'Pupils');
  await h.showWholeRoll(page);
  await expect(page.getByRole('row', { name: /Hughes, Ben/ })).toContainText('Reception');
  await expect(page.getByRole('row', { name: /Okafor/ })).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('the recovery key unlocks, changing the passphrase refuses the old one, and a new recovery key needs the current secret', async ({ page }) => {
  const problems = h.watchPage(page);
  const key = await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  await h.addPupil(page, AMARA);
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await h.unlockOk(page, key.toLowerCase().replaceAll('-', ' '));
  await h.goTo(page, 'Pupils');
  await h.showWholeRoll(page);
  await expect(page.getByRole('row', { name: /Okafor, Amara/ })).toBeVisible();

  await h.goTo(page, 'Settings');
  await page.getByLabel('Current passphrase').fill(h.PASSPHRASE);
  await page.getByLabel('New passphrase', { exact: true }).fill('autumn harbour pencil giraffe');
  await page.getByLabel('New passphrase again').fill('autumn harbour pencil giraffe');
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(page.getByText('Passphrase changed.')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await h.unlock(page, h.PASSPHRASE);
  await expect(page.locator('#secret-error')).toContainText('not right for this desk', { timeout: 30_000 });
  await h.unlockOk(page, 'autumn harbour pencil giraffe');

  // A new recovery key needs the current passphrase or recovery key (point 4 of issue 12):
  // someone at an unlocked desk cannot make one. Then the old key no longer unlocks.
  await h.goTo(page, 'Settings');
  await page.getByRole('button', { name: 'Make a new recovery key…' }).click();
  const current = page.getByLabel('Your passphrase or current recovery key');
  await page.getByRole('button', { name: 'Make a new recovery key', exact: true }).click();
  await expect(page.locator('#recovery-current-error')).toContainText('Enter your passphrase or current recovery key');
  await current.fill('not the passphrase at all');
  await page.getByRole('button', { name: 'Make a new recovery key', exact: true }).click();
  await expect(page.locator('#recovery-current-error')).toContainText('not right for this desk', { timeout: 30_000 });
  await expect(page.getByTestId('recovery-key')).toHaveCount(0);
  await h.expectNoAxeViolations(page, 'new recovery key refused');
  await current.fill('autumn harbour pencil giraffe');
  await page.getByRole('button', { name: 'Make a new recovery key', exact: true }).click();
  const fresh = (await page.getByTestId('recovery-key').textContent({ timeout: 30_000 })).trim();
  await expect(page.getByText(/Backups made before now still open with the old one/)).toBeVisible();
  expect(fresh).not.toBe(key);
  await page.getByRole('button', { name: 'I have kept the new recovery key' }).click();
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await h.unlock(page, key);
  await expect(page.locator('#secret-error')).toContainText('not right for this desk', { timeout: 30_000 });
  await h.unlockOk(page, fresh);
  expect(problems).toEqual([]);
});

test('a pupil named like markup shows as text and runs nothing', async ({ page }) => {
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  const name = '<img src=x onerror=alert(1)>';
  const pupil = { forename: name, surname: 'Test', dob: '01/01/2018', year: '3' };
  await h.submitNewPupil(page, pupil);
  await expect(h.pupilHeading(page, pupil)).toHaveText(`${name} Test`);
  await expect(h.summaryValue(page, 'Legal name')).toContainText(name);
  await expect(page.locator('main img')).toHaveCount(0);
  await h.backToPupils(page);
  await h.showWholeRoll(page);
  await expect(page.getByRole('row', { name: /Test, / })).toContainText(`Test, ${name}`);
  await expect(page.locator('main img')).toHaveCount(0);
  expect(problems).toEqual([]);
});

/** Tab B opens Amara's edit form; tab A then changes her year group to 6 and saves. */
async function twoTabsEditingAmara(context) {
  const tabA = await context.newPage();
  const problems = h.watchPage(tabA);
  await h.createDesk(tabA);
  await h.goTo(tabA, 'Pupils');
  await h.addPupil(tabA, AMARA);

  const tabB = await context.newPage();
  await tabB.goto('/');
  await h.unlockOk(tabB);
  await h.openPupil(tabB, AMARA);
  await tabB.getByRole('button', { name: 'Edit details' }).click();
  await expect(tabB.getByRole('heading', { level: 1, name: 'Edit pupil details' })).toBeVisible();
  await h.openPupil(tabA, AMARA);
  await tabA.getByRole('button', { name: 'Edit details' }).click();
  await tabA.getByLabel('Year group', { exact: true }).selectOption('6');
  await tabA.getByRole('button', { name: 'Save pupil' }).click();
  await expect(h.summaryValue(tabA, 'Year group')).toHaveText('Year 6');
  await h.backToPupils(tabA);
  await expect(tabA.getByRole('row', { name: /Okafor, Amara/ })).toContainText('Year 6');
  await expect(tabB.getByText('Changes saved in another tab or window have been loaded here.')).toBeVisible();
  return { tabA, tabB, problems };
}

test('two tabs on one desk never overwrite each other', async ({ context }) => {
  const { tabA, tabB, problems } = await twoTabsEditingAmara(context);
  // B saves from the form it opened before A's save: refused, so B stays on the form.
  await tabB.getByLabel('Year group', { exact: true }).selectOption('1');
  await tabB.getByRole('button', { name: 'Save pupil' }).click();
  await expect(tabB.getByRole('heading', { level: 1, name: 'Edit pupil details' })).toBeVisible();
  await tabB.getByRole('button', { name: 'Cancel' }).click();
  await expect(h.pupilHeading(tabB, AMARA)).toBeVisible();
  await expect(h.summaryValue(tabB, 'Year group')).toHaveText('Year 6');

  await tabA.reload();
  await h.unlockOk(tabA);
  await h.goTo(tabA, 'Pupils');
  await h.showWholeRoll(tabA);
  await expect(tabA.getByRole('row', { name: /Okafor, Amara/ })).toContainText('Year 6');
  expect(problems).toEqual([]);
});

test('a save refused because another tab saved first says why and keeps what was typed', async ({ context }) => {
  const { tabB, problems } = await twoTabsEditingAmara(context);
  await tabB.getByLabel('Year group', { exact: true }).selectOption('1');
  await tabB.getByRole('button', { name: 'Save pupil' }).click();
  await expect(tabB.getByRole('alert', { name: 'There is a problem' })).toContainText(/changed in another tab while you were editing/);
  // Nothing typed in B is lost: the form is still open with B's choice.
  await expect(tabB.getByRole('heading', { level: 1, name: 'Edit pupil details' })).toBeVisible();
  await expect(tabB.getByLabel('Year group', { exact: true })).toHaveValue('1');
  // Having been told, saving again applies B's choice over the newer record.
  await tabB.getByRole('button', { name: 'Save pupil' }).click();
  await expect(tabB.getByRole('heading', { level: 1, name: 'Amara Okafor' })).toBeVisible();
  await expect(tabB.getByText('Year 1', { exact: true })).toBeVisible();
  expect(problems).toEqual([]);
});

test('a full storage refuses the save clearly and keeps earlier records', async ({ page }) => {
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  await h.addPupil(page, AMARA);
  // Leave the site no room for another pupil: the next IndexedDB write fails as on a full disk.
  await h.fillStorage(page);
  await h.submitNewPupil(page, BEN);
  await expect(page.getByText(/storage for Senco Desk is full/).first()).toBeVisible();
  // A problem with the whole form, not with any field: in the summary, beside no field.
  await expect(page.getByRole('alert', { name: 'There is a problem' })).toContainText('full');
  await expect(page.locator('#forename-error')).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: 'Add a pupil' })).toBeVisible();
  await expect(page.getByLabel('Legal forename', { exact: true })).toHaveValue('Ben');
  await expect(page.getByLabel('Legal surname', { exact: true })).toHaveValue('Hughes');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download backup' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^senco-desk-oakfield-primary-\d{4}-\d{2}-\d{2}-\d{4}\.json$/);
  const text = require('fs').readFileSync(await file.path(), 'utf8');
  expect(text).not.toContain('Amara');
  expect(JSON.parse(text).format).toBe('senco-desk/backup');
  await expect(page.getByText(/Backup downloaded: senco-desk-oakfield-primary/)).toBeVisible();

  await page.reload();
  await h.unlockOk(page);
  await h.goTo(page, 'Pupils');
  await h.showWholeRoll(page);
  await expect(page.getByRole('row', { name: /Okafor, Amara/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /Hughes/ })).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('the desk locks itself after the configured idle time', async ({ page }) => {
  await page.clock.install();
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await h.goTo(page, 'Settings');
  await page.getByLabel('Lock after this many minutes without use').fill('1');
  await page.getByRole('button', { name: 'Save auto-lock' }).click();
  await expect(page.getByText('The desk now locks after 1 minute without use.')).toBeVisible();
  await page.clock.fastForward(30_000);
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await page.clock.fastForward(40_000);
  await expect(page.getByRole('heading', { name: 'Unlock your desk' })).toBeVisible();
  await expect(page.getByText('locked itself after 1 minute without use')).toBeVisible();
  await expect(page.getByText(h.SCHOOL)).toHaveCount(0);
  await h.unlockOk(page);
  expect(problems).toEqual([]);
});

test('locking while the recovery key is shown takes it off the screen', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('School name').fill(h.SCHOOL);
  await page.getByLabel('Passphrase', { exact: true }).fill(h.PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(h.PASSPHRASE);
  await page.getByRole('button', { name: 'Create desk' }).click();
  await expect(page.getByTestId('recovery-key')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Unlock your desk' })).toBeVisible();
  await expect(page.getByTestId('recovery-key')).toHaveCount(0);
  await expect(page.getByText(h.SCHOOL)).toHaveCount(0);
});
