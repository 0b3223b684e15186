// The whole first journey by keyboard alone, as a SENCO using no mouse would.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

test('create, add a pupil and lock using only the keyboard', async ({ page }) => {
  const problems = h.watchPage(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Create your desk' })).toBeVisible();
  // The first Tab reaches the skip link, which moves focus to the main content.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
  await page.keyboard.press('Enter');
  // Restoring a backup is offered before the form, for a SENCO on a new laptop.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Restore from a backup' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('School name')).toBeFocused();
  await page.keyboard.type(h.SCHOOL);
  await page.keyboard.press('Tab');
  await page.keyboard.type(h.PASSPHRASE);
  await page.keyboard.press('Tab');
  await page.keyboard.type(h.PASSPHRASE);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Your recovery key' })).toBeVisible({ timeout: 30_000 });
  const key = (await page.getByTestId('recovery-key').textContent()).trim();
  const label = await page.locator('label[for="recovery-check"]').textContent();
  const ordinals = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth'];
  const index = ordinals.findIndex((o) => label.includes(` ${o} group`));
  await page.getByLabel(/Type the \w+ group/).focus();
  await page.keyboard.type(key.split('-')[index]);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();

  // Navigate to Pupils with Tab and Enter only.
  const pupilsLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pupils' });
  for (let i = 0; i < 20 && !(await pupilsLink.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(pupilsLink).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Pupils' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Add a pupil' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Add a pupil' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Legal forename', { exact: true })).toBeFocused();
  await page.keyboard.type('Amara');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Legal surname', { exact: true })).toBeFocused();
  await page.keyboard.type('Okafor');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Preferred forename (optional)', { exact: true })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Date of birth', { exact: true })).toBeFocused();
  await page.keyboard.type('14/09/2017');
  await page.keyboard.press('Tab');
  const year = page.getByLabel('Year group', { exact: true });
  await expect(year).toBeFocused();
  // Typing an option's start chooses it in a closed drop-down list.
  await page.keyboard.type('Year 4');
  await expect(year).toHaveValue('4');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Class or form (optional)', { exact: true })).toBeFocused();
  // Enter in a text field submits the form; the new pupil's page opens with focus on its heading.
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Amara Okafor' })).toBeFocused();
  await expect(page.getByRole('status').getByText('Saved Amara Okafor.')).toBeVisible();
  await expect(h.summaryValue(page, 'Year group')).toHaveText('Year 4');
  // "Back to pupils" is just before the heading.
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('link', { name: 'Back to pupils' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Pupils' })).toBeFocused();
  // A pupil added by hand is on the whole roll, not the SEN register: tick it with Space.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Add a pupil' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Import from your MIS' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Year-end rollover' })).toBeFocused();
  await page.keyboard.press('Tab');
  const wholeRoll = page.getByLabel('Show the whole roll (not only the SEN register)', { exact: true });
  await expect(wholeRoll).toBeFocused();
  await page.keyboard.press('Space');
  await expect(wholeRoll).toBeChecked();
  await expect(page.getByRole('row', { name: /Okafor, Amara/ })).toBeVisible();

  const lock = page.getByRole('button', { name: 'Lock', exact: true });
  await lock.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Unlock your desk' })).toBeVisible();
  await page.getByLabel('Passphrase or recovery key').focus();
  await page.keyboard.type(h.PASSPHRASE);
  await page.keyboard.press('Enter');
  // Back to the page that was open when it locked (issue 13, point 2).
  await expect(page.getByRole('heading', { level: 1, name: 'Pupils' })).toBeVisible({ timeout: 30_000 });
  expect(problems).toEqual([]);
});
