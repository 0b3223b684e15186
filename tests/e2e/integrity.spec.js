// Issue 14, tamper evidence: a pupil's file deleted from storage while the desk is locked
// is named at unlock, nothing is saved until the SENCO chooses, accepting the loss is
// recorded, and the next unlock is clean.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

const AMARA = { forename: 'Amara', surname: 'Okafor', dob: '14/09/2017', year: '4' };
const BEN = { forename: 'Ben', surname: 'Hughes', dob: '02/03/2018', year: '3' };

/**
 * Removes a pupil's sealed record from the desk's IndexedDB, as someone with the laptop but
 * no key could, then reloads (the app reads the database as it starts).
 */
async function deletePupilRecord(page, pupilId) {
  await h.setStored(page, `senco-desk/record/pupil-${pupilId}`, null);
  await page.reload();
}

test('a pupil file deleted from storage is named at unlock, and accepting the loss is recorded', async ({ page }) => {
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  await h.addPupil(page, AMARA);
  await h.addPupil(page, BEN);
  await h.openPupil(page, AMARA);
  const amaraId = new URL(page.url()).searchParams.get('id');
  expect(amaraId).toMatch(/^[0-9a-f]{16}$/);
  await h.goTo(page, 'Home');
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Unlock your desk' })).toBeVisible();

  await deletePupilRecord(page, amaraId);
  await h.unlockOk(page);
  await expect(page.getByText('Signs of tampering or damage were found. They are listed on the home page')).toBeVisible();
  const panel = page.getByRole('region', { name: 'Signs of tampering or damage' });
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId('integrity-findings').getByRole('listitem')).toHaveText([
    'Okafor, Amara: their file is missing from storage.',
  ]);
  await expect(panel.getByRole('link', { name: 'Go to Backups to merge or restore a backup' })).toBeVisible();
  await expect(page.getByText('1 pupil is on the desk.')).toBeVisible();
  await h.expectNoAxeViolations(page, 'home with signs of tampering');
  // No pupil name in storage, and this browser's marker is sealed.
  const stored = await h.storedValues(page);
  expect(stored['senco-desk/highest-generation']).toMatch(/^v2\./);
  expect(await h.storedText(page)).not.toContain('Okafor');

  // Elsewhere in the app: the reminder leads back, and nothing is saved.
  await h.goTo(page, 'Settings');
  const reminder = page.getByRole('region', { name: 'Signs of tampering or damage were found at unlock' });
  await expect(reminder).toBeVisible();
  await page.getByLabel('Lock after this many minutes without use').fill('15');
  await page.getByRole('button', { name: 'Save auto-lock' }).click();
  await expect(page.getByText(/Nothing was saved\. When the desk was unlocked it found signs of tampering/).first()).toBeVisible();
  await reminder.getByRole('link', { name: 'See what was found, and choose, on the home page' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();

  // Accept the loss, by keyboard: asked once more, then recorded.
  await panel.getByRole('button', { name: 'Accept the loss' }).click();
  const confirm = panel.getByRole('group', { name: /^Accept the loss as SENCO\?/ });
  await expect(confirm).toBeVisible();
  await expect(page.locator('#integrity-confirm-title')).toBeFocused();
  await h.expectNoAxeViolations(page, 'accept the loss, confirming');
  await confirm.getByRole('button', { name: 'Yes, accept the loss' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText(/^The loss was accepted and recorded in the change history on \d\d\/\d\d\/\d{4} by SENCO\./)).toBeVisible();
  await expect(panel).toHaveCount(0);

  await h.goTo(page, 'Settings');
  await expect(page.getByRole('region', { name: 'Signs of tampering or damage were found at unlock' })).toHaveCount(0);
  const losses = page.getByRole('region', { name: 'Losses accepted after tampering or damage' });
  await expect(losses).toContainText(/\d\d\/\d\d\/\d{4} at \d\d:\d\d, accepted by SENCO:/);
  await expect(losses).toContainText('Okafor, Amara: their file is missing from storage.');

  // Saving works again; after a reload the desk unlocks clean.
  await page.getByLabel('Lock after this many minutes without use').fill('15');
  await page.getByRole('button', { name: 'Save auto-lock' }).click();
  await expect(page.getByText('The desk now locks after 15 minute')).toBeVisible();
  await page.reload();
  await h.unlockOk(page);
  await h.goTo(page, 'Home');
  await expect(page.getByText('1 pupil is on the desk.')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Signs of tampering or damage' })).toHaveCount(0);
  await expect(page.getByText(/tampering/)).toHaveCount(0);
  expect(problems).toEqual([]);
});
