// Issue 12, point 5: locking wipes what it says, in every tab, even after a crash.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

const AMARA = { forename: 'Amara', surname: 'Okafor', dob: '14/09/2017', year: '4' };

/** Tab A creates the desk with Amara; both tabs are then unlocked on her page. */
async function twoTabsOnAmara(context) {
  const tabA = await context.newPage();
  await h.createDesk(tabA);
  await h.goTo(tabA, 'Pupils');
  await h.addPupil(tabA, AMARA);
  await h.openPupil(tabA, AMARA);
  const tabB = await context.newPage();
  await tabB.goto('/');
  await h.unlockOk(tabB);
  await h.openPupil(tabB, AMARA);
  return { tabA, tabB };
}

/** Sets the auto-lock time in Settings. */
async function setAutoLock(page, minutes) {
  await h.goTo(page, 'Settings');
  await page.getByLabel('Lock after this many minutes without use').fill(String(minutes));
  await page.getByRole('button', { name: 'Save auto-lock' }).click();
  await expect(page.getByText(`The desk now locks after ${minutes} minute`)).toBeVisible();
}

/**
 * Makes the app panic for real, in the release build, with no switch in the app: the
 * browser's random number source fails, and the app stops rather than seal a record with a
 * guessed nonce (vault::random_bytes). Any save or desk creation needs a fresh nonce.
 */
async function breakRandomness(page) {
  await page.evaluate(() => {
    crypto.getRandomValues = () => {
      throw new Error('no randomness (test)');
    };
  });
}


/** On a pupil's page: changes the year group to 6 and saves, which crashes the app. */
/** A timer of the app that stopped at a crash failed again: expected, and nothing more. */
function stoppedAppFailed(error) {
  if (!/RuntimeError: unreachable/.test(error.message)) throw error;
}

async function crashOnSave(page) {
  await breakRandomness(page);
  await page.getByRole('button', { name: 'Edit details' }).click();
  await page.getByLabel('Year group', { exact: true }).selectOption('6');
  await page.getByRole('button', { name: 'Save pupil' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Something went wrong in Senco Desk' })).toBeVisible();
}

test('point 5: Lock in one tab locks every tab of the desk, leaving no pupil name in the other', async ({ context }) => {
  const { tabA, tabB } = await twoTabsOnAmara(context);
  const problems = h.watchPage(tabB);
  await expect(tabB.locator('body')).toContainText('Okafor');

  await tabA.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(tabA.getByRole('heading', { name: 'Unlock your desk' })).toBeVisible();
  await expect(tabA.getByText('Senco Desk is locked. Your records are safe.')).toBeVisible();

  await expect(tabB.getByRole('heading', { name: 'Unlock your desk' })).toBeVisible();
  await expect(tabB.locator('.notice-area').getByText('Senco Desk was locked in another tab. Your records are safe.', { exact: true })).toBeVisible();
  const html = await tabB.content();
  expect(html).not.toContain('Okafor');
  expect(html).not.toContain('Amara');
  expect(html).not.toContain(h.SCHOOL);

  // Both unlock again on their own.
  await h.unlockOk(tabB);
  await h.unlockOk(tabA);
  expect(problems).toEqual([]);
});

test('point 5: a tab that has crashed clears itself at once when another tab is locked', async ({ context }) => {
  const { tabA, tabB } = await twoTabsOnAmara(context);
  await crashOnSave(tabB);
  await tabA.getByRole('button', { name: 'Lock', exact: true }).click();
  // Long before B's own auto-lock time (10 minutes) has passed.
  await expect(tabB.getByRole('heading', { name: 'Unlock your desk' })).toBeVisible();
  expect(await tabB.content()).not.toContain('Okafor');
});

test('point 5: a tab that auto-locks when idle leaves the tab in use unlocked', async ({ context }) => {
  await context.clock.install();
  const { tabA, tabB } = await twoTabsOnAmara(context);
  await setAutoLock(tabA, 1);
  await h.openPupil(tabA, AMARA);
  // B has the new setting from the save in A.
  await expect(tabB.getByText('Changes saved in another tab or window have been loaded here.')).toBeVisible();

  await context.clock.fastForward(40_000);
  await tabA.keyboard.press('Shift');
  await context.clock.fastForward(30_000);
  // B, unused for 70 seconds, locked itself; A, used 30 seconds ago, is still open.
  await expect(tabB.getByRole('heading', { name: 'Unlock your desk' })).toBeVisible();
  await expect(tabB.getByText('locked itself after 1 minute without use')).toBeVisible();
  await expect(h.pupilHeading(tabA, AMARA)).toBeVisible();
  await context.clock.fastForward(10_000);
  await expect(h.pupilHeading(tabA, AMARA)).toBeVisible();
  await expect(tabA.getByRole('heading', { name: 'Unlock your desk' })).toHaveCount(0);
});

test('point 5: a crash clears and reloads the page after the auto-lock time, leaving no record on screen', async ({ page }) => {
  await page.clock.install();
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await setAutoLock(page, 1);
  await h.goTo(page, 'Pupils');
  await h.addPupil(page, AMARA);
  await h.openPupil(page, AMARA);
  expect(problems).toEqual([]);

  await crashOnSave(page);
  expect(problems.join('\n')).toContain('no secure random number source');

  // Within the auto-lock time the page stays, so what was typed can still be copied. (After a
  // crash, the stopped app's own timers may fail again, as report_crash expects; the fake
  // clock passes such a failure on here. Only that is let through.)
  await page.clock.fastForward(30_000).catch(stoppedAppFailed);
  await expect(page.getByLabel('Year group', { exact: true })).toHaveValue('6');
  // Then it clears itself and reloads: the unlock screen, with nothing of the desk.
  await page.clock.fastForward(40_000).catch(stoppedAppFailed);
  await expect(page.getByRole('heading', { name: 'Unlock your desk' })).toBeVisible();
  const html = await page.content();
  expect(html).not.toContain('Okafor');
  expect(html).not.toContain(h.SCHOOL);
  await expect(page.getByText('Something went wrong')).toHaveCount(0);

  // The reloaded app works, and the failed save changed nothing.
  problems.length = 0;
  await h.unlockOk(page);
  await h.openPupil(page, AMARA);
  await expect(h.summaryValue(page, 'Year group')).toHaveText('Year 4');
  expect(problems).toEqual([]);
});

test('point 5: a crash while locked clears and reloads the page at once, but never in a loop', async ({ page }) => {
  await page.clock.install();
  const problems = h.watchPage(page);
  const createFails = async () => {
    await expect(page.getByRole('heading', { name: 'Create your desk' })).toBeVisible();
    await page.getByLabel('School name').fill(h.SCHOOL);
    await page.getByLabel('Passphrase', { exact: true }).fill(h.PASSPHRASE);
    await page.getByLabel('Passphrase again').fill(h.PASSPHRASE);
    await breakRandomness(page);
    await page.getByRole('button', { name: 'Create desk' }).click();
  };
  await page.goto('/');
  await createFails();
  // Reloaded at once: a fresh form, the passphrase typed before gone from the page.
  await expect(page.getByLabel('Passphrase', { exact: true })).toHaveValue('');
  await expect(page.getByLabel('School name')).toHaveValue('');
  // The crash lock reloaded it (and noted when, so as never to reload in a loop).
  expect(await page.evaluate(() => sessionStorage.getItem('senco-desk:crash-reloaded-at'))).toMatch(/^\d+$/);

  // A second crash straight after clears the page but does not reload again by itself.
  await createFails();
  await expect(page.getByRole('heading', { level: 1, name: 'Senco Desk is locked' })).toBeFocused();
  await expect(page).toHaveTitle('Senco Desk is locked');
  await expect(page.locator('input')).toHaveCount(0);
  expect(await page.content()).not.toContain(h.PASSPHRASE);
  // axe needs randomness itself.
  await page.evaluate(() => delete crypto.getRandomValues);
  await h.expectNoAxeViolations(page, 'locked after a crash');
  await page.clock.fastForward(120_000);
  await expect(page.getByRole('heading', { level: 1, name: 'Senco Desk is locked' })).toBeVisible();
  problems.length = 0;
  await page.getByRole('link', { name: 'Reload Senco Desk and unlock' }).click();
  await expect(page.getByRole('heading', { name: 'Create your desk' })).toBeVisible();
  expect(problems).toEqual([]);
});
