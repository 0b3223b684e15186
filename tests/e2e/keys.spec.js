// Issue 14: changing the passphrase rotates the desk's data key. Settings says what that
// means for older backups and offers a fresh one; the old passphrase is refused, the new
// one and the recovery key open the desk, and nothing is lost.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

const AMARA = { forename: 'Amara', surname: 'Okafor', dob: '14/09/2017', year: '4' };
const NEW_PASSPHRASE = 'autumn harbour pencil giraffe';

test('changing the passphrase re-seals the desk, says older backups still open with the old one, and offers a fresh backup', async ({ page }) => {
  test.setTimeout(180_000);
  const problems = h.watchPage(page);
  const recoveryKey = await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  await h.addPupil(page, AMARA);

  await h.goTo(page, 'Settings');
  await expect(page.getByText(/^Changing the passphrase also changes the key the desk.s records are sealed with/)).toBeVisible();
  await page.getByLabel('Current passphrase').fill(h.PASSPHRASE);
  await page.getByLabel('New passphrase', { exact: true }).fill(NEW_PASSPHRASE);
  await page.getByLabel('New passphrase again').fill(NEW_PASSPHRASE);
  await page.getByRole('button', { name: 'Change passphrase' }).click();

  const said = page.getByTestId('keys-changed');
  await expect(said).toBeVisible({ timeout: 60_000 });
  await expect(said).toContainText('Passphrase changed.');
  await expect(said).toContainText('Every record is now sealed with a new key, which the old one cannot open.');
  await expect(said).toContainText('Backups made before now still open with the old one');
  // A desk made by this version keeps its recovery key: no new one is shown.
  await expect(page.getByTestId('recovery-key')).toHaveCount(0);
  await h.expectNoAxeViolations(page, 'passphrase changed');
  const fresh = said.getByRole('link', { name: 'Make a fresh backup now' });
  await fresh.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Backups' })).toBeVisible();

  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await h.unlock(page, h.PASSPHRASE);
  await expect(page.locator('#secret-error')).toContainText('not right for this desk', { timeout: 30_000 });
  await h.unlockOk(page, NEW_PASSPHRASE);
  await h.openPupil(page, AMARA);

  // The recovery key was not typed, yet it still opens the re-sealed desk.
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await h.unlockOk(page, recoveryKey);
  await h.openPupil(page, AMARA);
  expect(problems).toEqual([]);
});

test('a draft kept before the passphrase changes is still offered after it, and the re-sealed desk opens with no sign of tampering', async ({ page }) => {
  test.setTimeout(180_000);
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  await h.addPupil(page, AMARA);
  await h.openPupil(page, AMARA);
  const pupilUrl = page.url();
  await page.getByRole('button', { name: 'Record a concern' }).click();
  await page.getByLabel('What was seen', { exact: true }).fill('Hides under the table at carpet time');
  // The text is kept as a sealed draft in localStorage, and a reload offers it back.
  const drafts = async () => Object.keys(await h.storedValues(page)).filter((k) => k.startsWith('senco-desk/draft/'));
  await expect.poll(drafts, { timeout: 2_000 }).toHaveLength(1);
  await page.reload();
  await h.unlock(page, h.PASSPHRASE);
  await expect(page.getByRole('region', { name: 'Unsaved text' })).toBeVisible({ timeout: 30_000 });

  await h.goTo(page, 'Settings');
  await page.getByLabel('Current passphrase').fill(h.PASSPHRASE);
  await page.getByLabel('New passphrase', { exact: true }).fill(NEW_PASSPHRASE);
  await page.getByLabel('New passphrase again').fill(NEW_PASSPHRASE);
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(page.getByTestId('keys-changed')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('keys-changed')).not.toContainText('could not be kept');

  // Locked and opened with the new passphrase: the draft opens under the new key, and the
  // manifest sealed with the rotation agrees with every record.
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await h.unlockOk(page, NEW_PASSPHRASE);
  await expect(page.getByRole('heading', { name: 'Signs of tampering or damage' })).toHaveCount(0);
  await page.goto(pupilUrl);
  await h.unlockOk(page, NEW_PASSPHRASE);
  const offer = page.getByRole('region', { name: 'Unsaved text' });
  await expect(offer).toBeVisible({ timeout: 30_000 });
  await offer.getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByLabel('What was seen', { exact: true })).toHaveValue('Hides under the table at carpet time');
  expect(problems).toEqual([]);
});

test('text typed in a second tab while the first changes the passphrase is kept, and offered after unlocking with the new one', async ({ context }) => {
  test.setTimeout(180_000);
  const tabA = await context.newPage();
  const problems = h.watchPage(tabA);
  await h.createDesk(tabA);
  await h.goTo(tabA, 'Pupils');
  await h.addPupil(tabA, AMARA);
  await h.openPupil(tabA, AMARA);
  const tabB = await context.newPage();
  const problemsB = h.watchPage(tabB);
  await tabB.goto(tabA.url());
  await h.unlockOk(tabB, h.PASSPHRASE);
  await expect(h.pupilHeading(tabB, AMARA)).toBeVisible();
  await tabB.getByRole('button', { name: 'Add a note' }).click();
  await tabB.getByLabel('Note', { exact: true }).fill('Mum rang about the new reading book');

  // Tab A changes the passphrase: the data key changes under tab B, which is told to
  // unlock again and keeps its text as it locks, sealed with the key it had.
  await h.goTo(tabA, 'Settings');
  await tabA.getByLabel('Current passphrase').fill(h.PASSPHRASE);
  await tabA.getByLabel('New passphrase', { exact: true }).fill(NEW_PASSPHRASE);
  await tabA.getByLabel('New passphrase again').fill(NEW_PASSPHRASE);
  await tabA.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(tabA.getByTestId('keys-changed')).toBeVisible({ timeout: 60_000 });
  await expect(tabB.getByRole('heading', { name: 'Unlock your desk' })).toBeVisible({ timeout: 30_000 });

  // Unlocked with the new passphrase, tab B offers the text back.
  await h.unlockOk(tabB, NEW_PASSPHRASE);
  await expect(h.pupilHeading(tabB, AMARA)).toBeVisible();
  const offer = tabB.getByRole('region', { name: 'Unsaved text' });
  await expect(offer).toBeVisible({ timeout: 30_000 });
  await offer.getByRole('button', { name: 'Restore' }).click();
  await expect(tabB.getByLabel('Note', { exact: true })).toHaveValue('Mum rang about the new reading book');
  expect(problems).toEqual([]);
  expect(problemsB).toEqual([]);
});
