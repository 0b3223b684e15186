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
