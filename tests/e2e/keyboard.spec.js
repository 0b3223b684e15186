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
  await expect(page.getByRole('searchbox', { name: 'Search by name or UPN' })).toBeFocused();
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

/**
 * Issue 13, "done when": from Home, by keyboard alone, find a pupil by name and record a
 * concern and its decision, counting every key press (each typed character counts as one).
 * KEYS_BEFORE=1 runs the same journey the way the 0.4.0 screens need it (no "Find a pupil"
 * box, no contents list), against a build of that version.
 */
test('point 11: from Home to a concern and its decision by keyboard, counting key presses', async ({ page }) => {
  const before = !!process.env.KEYS_BEFORE;
  const problems = h.watchPage(page);
  await page.setViewportSize({ width: 1366, height: 625 });
  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  for (const p of [
    { forename: 'Amara', surname: 'Okafor', dob: '14/09/2017', year: '4' },
    { forename: 'Grace', surname: 'Okafor', dob: '02/03/2019', year: '2' },
    { forename: 'Ben', surname: 'Hughes', dob: '02/03/2019', year: '2' },
  ]) {
    await h.addPupil(page, p);
  }
  await h.goTo(page, 'Home');
  await expect(page.getByRole('heading', { level: 1, name: 'Home' })).toBeFocused();

  let presses = 0;
  let typed = 0;
  const press = async (key) => {
    presses += 1;
    await page.keyboard.press(key);
  };
  const type = async (text) => {
    typed += text.length;
    await page.keyboard.type(text);
  };
  const focused = (locator) => locator.evaluate((el) => el === document.activeElement);
  /** Tab (or Shift+Tab) until `locator` has the focus, counting each press. */
  const tabTo = async (locator, key = 'Tab') => {
    for (let i = 0; i < 60 && !(await focused(locator)); i++) await press(key);
    await expect(locator).toBeFocused();
  };
  const pupil = page.getByRole('heading', { level: 1, name: 'Amara Okafor' });

  if (before) {
    await tabTo(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pupils' }));
    await press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Pupils' })).toBeFocused();
    // Added by hand, so on the whole roll, not the SEN register.
    await tabTo(page.getByLabel('Show the whole roll (not only the SEN register)', { exact: true }));
    await press('Space');
    await tabTo(page.getByRole('searchbox', { name: 'Find a pupil' }));
    await type('amara');
    await tabTo(page.getByRole('link', { name: 'Okafor, Amara', exact: true }));
    await press('Enter');
    await expect(pupil).toBeFocused();
    await tabTo(page.getByRole('button', { name: 'Record a concern' }));
  } else {
    await press('/');
    await expect(page.getByRole('combobox', { name: 'Find a pupil' })).toBeFocused();
    await type('amara');
    await press('Enter');
    await expect(pupil).toBeFocused();
    await tabTo(page.getByRole('navigation', { name: 'On this page' }).getByRole('link', { name: 'Concerns' }));
    await press('Enter');
    await tabTo(page.getByRole('button', { name: 'Record a concern' }));
  }
  await press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: /^Record a concern/ })).toBeFocused();
  await tabTo(page.getByLabel('Name or role of the person who raised it'));
  await type('Mrs Patel');
  await tabTo(page.getByLabel('What was seen'));
  await type('Struggles to follow two-step instructions.');
  await tabTo(page.getByRole('button', { name: 'Save concern' }));
  await press('Enter');
  const decide = page.getByRole('button', { name: /^Record a decision/ });
  await expect(decide).toBeVisible();
  if (!before) {
    await tabTo(page.getByRole('navigation', { name: 'On this page' }).getByRole('link', { name: 'Concerns' }));
    await press('Enter');
  }
  await tabTo(decide);
  await press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: /^Decide the concern/ })).toBeFocused();
  const outcome = page.getByLabel('Decision', { exact: true });
  await tabTo(outcome);
  // Typing an option's start chooses it in a closed drop-down list.
  await type('Monitor');
  await expect(outcome).toHaveValue(/monitor/i);
  await press('Tab');
  await expect(page.getByLabel('Date of the decision')).toBeFocused();
  // Enter in a text field sends the form.
  await press('Enter');
  await expect(page.getByText(/^Monitor on \d\d\/\d\d\/\d{4}/)).toBeVisible();

  const label = before ? 'before (0.4.0 screens)' : 'after';
  console.log(`keyboard journey ${label}: ${presses + typed} key presses (${presses} presses of Tab, Enter, arrows and the like, plus ${typed} typed characters)`);
  test.info().annotations.push({ type: `key presses ${label}`, description: `${presses + typed} (${presses} + ${typed} typed)` });
  if (!before) expect(presses).toBeLessThanOrEqual(40);
  expect(problems).toEqual([]);
});
