// Issue 13, points 5, 6 and 11: the recovery key cannot be skipped unnoticed, common
// passwords are refused, the register fits a laptop's page, and a pupil is found from the
// header.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

const AMARA = { forename: 'Amara', surname: 'Okafor', dob: '14/09/2017', year: '4', upn: 'B801200005001' };
const GRACE = { forename: 'Grace', surname: 'Okafor', dob: '02/03/2019', year: '2' };
const BEN = { forename: 'Ben', surname: 'Hughes', dob: '02/03/2019', year: '2' };

const reminder = (page) => page.getByRole('region', { name: 'This desk has no confirmed recovery key' });

test('point 5: a common password is refused beside the field, and leaving the recovery-key step leaves a reminder that leads back to it', async ({ page }) => {
  const problems = h.watchPage(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Create your desk' })).toBeVisible();
  await page.getByLabel('School name').fill(h.SCHOOL);
  await page.getByLabel('Passphrase', { exact: true }).fill('password1234');
  await expect(page.getByText('Strength: Too easy to guess')).toBeVisible();
  await page.getByLabel('Passphrase again').fill('password1234');
  await page.getByRole('button', { name: 'Create desk' }).click();
  await expect(page.locator('#passphrase-error')).toContainText(
    'This passphrase is too easy to guess: \u201cpassword\u201d is one of the most used passwords.',
  );
  // Nothing typed is lost, and no desk was made.
  await expect(page.getByLabel('School name')).toHaveValue(h.SCHOOL);
  await expect(page.getByRole('heading', { name: 'Create your desk' })).toBeVisible();
  // The school's name is among the first guesses too.
  await page.getByLabel('Passphrase', { exact: true }).fill('OakfieldPrimary2026');
  await page.getByLabel('Passphrase again').fill('OakfieldPrimary2026');
  await page.getByRole('button', { name: 'Create desk' }).click();
  await expect(page.locator('#passphrase-error')).toContainText('it contains the school\u2019s name');

  await page.getByLabel('Passphrase', { exact: true }).fill(h.PASSPHRASE);
  await expect(page.getByText('Strength: Strong')).toBeVisible();
  await page.getByLabel('Passphrase again').fill(h.PASSPHRASE);
  await page.getByRole('button', { name: 'Create desk' }).click();
  await expect(page.getByRole('heading', { name: 'Your recovery key' })).toBeVisible({ timeout: 30_000 });
  const key = (await page.getByTestId('recovery-key').textContent()).trim();

  // Skipping the step by the menu: every page says so, with the way back to the same key.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pupils' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Pupils' })).toBeVisible();
  await expect(reminder(page)).toBeVisible();
  await h.goTo(page, 'Settings');
  await expect(reminder(page)).toBeVisible();
  await h.expectNoAxeViolations(page, 'settings with the recovery-key reminder');
  await reminder(page).getByRole('link', { name: 'Finish: keep the recovery key and confirm it' }).click();
  await expect(page.getByRole('heading', { name: 'Your recovery key' })).toBeVisible();
  expect((await page.getByTestId('recovery-key').textContent()).trim()).toBe(key);
  await expect(reminder(page)).toHaveCount(0);

  // A reload (or a lock) loses the key from memory: the reminder stays, and leads to a new key.
  await page.reload();
  await h.unlockOk(page);
  await expect(reminder(page)).toBeVisible();
  await reminder(page).getByRole('link', { name: 'Finish: make a new recovery key in Settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await page.getByLabel('Your passphrase or current recovery key').fill(h.PASSPHRASE);
  await page.getByRole('button', { name: 'Make a new recovery key', exact: true }).click();
  await expect(page.getByTestId('recovery-key')).toBeVisible({ timeout: 30_000 });
  const fresh = (await page.getByTestId('recovery-key').textContent()).trim();
  expect(fresh).not.toBe(key);
  await expect(reminder(page)).toBeVisible();
  await page.getByRole('button', { name: 'I have kept the new recovery key' }).click();
  await expect(reminder(page)).toHaveCount(0);
  // Kept in the desk: still confirmed after a reload (which returns to Settings).
  await page.reload();
  await h.unlockOk(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(reminder(page)).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('point 5: a desk whose key was confirmed at once shows no reminder', async ({ page }) => {
  await h.createDesk(page);
  await expect(reminder(page)).toHaveCount(0);
  await h.goTo(page, 'Pupils');
  await expect(reminder(page)).toHaveCount(0);
});

/** Rows of the register table whose whole box is inside the viewport. */
async function rowsFullyVisible(page) {
  return page.evaluate(() => {
    const height = window.innerHeight;
    const rows = [...document.querySelectorAll('table.register tbody tr')];
    return rows.filter((r) => {
      const box = r.getBoundingClientRect();
      return box.top >= 0 && box.bottom <= height && box.height > 0;
    }).length;
  });
}

test('point 6: ten or more register rows show on a 1366x768 laptop page, the filters fold, and at phone width only the table scrolls', async ({ page }) => {
  const problems = h.watchPage(page);
  await page.setViewportSize({ width: 1366, height: 625 });
  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  const names = ['Adams', 'Brown', 'Clarke', 'Davies', 'Evans', 'Fisher', 'Green', 'Hall', 'Irving', 'Jones', 'Khan', 'Lewis', 'Moss'];
  for (const [i, surname] of names.entries()) {
    await h.addPupil(page, { forename: 'Sam', surname, dob: '01/09/2018', year: String(1 + (i % 6)) });
  }
  await h.showWholeRoll(page);
  await expect(page.getByRole('status').filter({ hasText: /Showing/ })).toContainText('of 13 pupils');

  // Folded by default; the fold is remembered, also after a reload.
  const more = page.getByRole('button', { name: /^More filters/ });
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByLabel('SEN status')).toBeHidden();
  await more.click();
  await expect(page.getByLabel('SEN status')).toBeVisible();
  await h.expectNoAxeViolations(page, 'register with more filters');
  await page.getByLabel('Year group').selectOption('3');
  await expect(page.getByRole('button', { name: 'More filters (1 in use)' })).toBeVisible();
  await h.goTo(page, 'Home');
  await h.goTo(page, 'Pupils');
  await expect(page.getByRole('button', { name: 'More filters (1 in use)' })).toHaveAttribute('aria-expanded', 'true');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByRole('button', { name: 'More filters' }).click();
  await page.reload();
  await h.unlockOk(page);
  await h.goTo(page, 'Pupils');
  await expect(page.getByRole('button', { name: 'More filters' })).toHaveAttribute('aria-expanded', 'false');
  await h.showWholeRoll(page);

  await page.evaluate(() => window.scrollTo(0, 0));
  const laptop = await rowsFullyVisible(page);
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.evaluate(() => window.scrollTo(0, 0));
  const small = await rowsFullyVisible(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => window.scrollTo(0, 0));
  const phone = await rowsFullyVisible(page);
  const widths = await page.evaluate(() => {
    const region = document.querySelector('.table-scroll');
    return {
      page: document.documentElement.scrollWidth,
      viewport: document.documentElement.clientWidth,
      table: region.scrollWidth,
      region: region.clientWidth,
    };
  });
  console.log(`point 6: register rows fully visible: 1366x625 ${laptop}, 1024x768 ${small}, 390x844 ${phone}; at 390 wide the page is ${widths.page}px for ${widths.viewport}px, the table ${widths.table}px in a ${widths.region}px region`);
  test.info().annotations.push({ type: 'rows visible', description: `1366x625: ${laptop}; 1024x768: ${small}; 390x844: ${phone}` });
  expect(laptop).toBeGreaterThanOrEqual(10);
  expect(small).toBeGreaterThanOrEqual(10);
  // At phone width the page never scrolls sideways: the table does, within its own region,
  // which the keyboard can reach (to scroll it with the arrow keys).
  expect(widths.page).toBeLessThanOrEqual(widths.viewport);
  expect(widths.table).toBeGreaterThan(widths.region);
  const region = page.getByRole('region', { name: 'The whole roll' });
  await region.focus();
  await expect(region).toBeFocused();
  await h.expectNoAxeViolations(page, 'register at phone width');
  expect(problems).toEqual([]);
});

test('point 11: Find a pupil in the header, by name or UPN, with the arrow keys, Enter and Escape; and the pupil page has a contents list', async ({ page }) => {
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  for (const p of [AMARA, GRACE, BEN]) await h.addPupil(page, p);
  await h.goTo(page, 'Backups');

  // "/" from anywhere outside a field jumps to the box.
  await page.locator('body').press('/');
  const box = page.getByRole('combobox', { name: 'Find a pupil' });
  await expect(box).toBeFocused();
  await page.keyboard.type('okaf');
  const list = page.getByRole('listbox', { name: 'Pupils found' });
  await expect(list.getByRole('option')).toHaveText(['Okafor, Amara, Year 4', 'Okafor, Grace, Year 2']);
  await expect(box).toHaveAttribute('aria-expanded', 'true');
  await h.expectNoAxeViolations(page, 'find a pupil, open');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(list.getByRole('option', { name: 'Okafor, Grace, Year 2' })).toHaveAttribute('aria-selected', 'true');
  await expect(box).toHaveAttribute('aria-activedescendant', 'find-pupil-option-1');
  // Escape closes the list; the arrow key opens it again.
  await page.keyboard.press('Escape');
  await expect(list).toBeHidden();
  await expect(box).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('ArrowUp');
  await expect(list.getByRole('option', { name: 'Okafor, Grace, Year 2' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  // The pupil's page opens with the focus on its heading.
  await expect(h.pupilHeading(page, GRACE)).toBeFocused();
  await expect(box).toHaveValue('');

  // By UPN, from a pupil's page.
  await box.fill('b80120000');
  await expect(list.getByRole('option')).toHaveText(['Okafor, Amara, Year 4']);
  await box.press('Enter');
  await expect(h.pupilHeading(page, AMARA)).toBeFocused();
  await box.fill('zzz');
  await expect(list).toContainText('No pupil matches');
  await box.press('Enter');
  await expect(h.pupilHeading(page, AMARA)).toBeVisible();
  await box.fill('');

  // The page's sections, one link each; following one moves focus to that section.
  const contents = page.getByRole('navigation', { name: 'On this page' });
  await expect(contents.getByRole('link')).toHaveText([
    'Summary', 'SEN status', 'Needs', 'Support plans', 'Pupil passport', 'Concerns', 'Parents and carers', 'Provision', 'Files', 'Timeline',
  ]);
  // Issue 15: the Provision section's link moves focus to its heading.
  await contents.getByRole('link', { name: 'Provision' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Provision' })).toBeFocused();
  await contents.getByRole('link', { name: 'Concerns' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Concerns' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Record a concern' })).toBeFocused();
  await h.expectNoAxeViolations(page, 'pupil page with contents');
  // Nothing typed into the box is kept once the desk is locked.
  await box.fill('okafor');
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await h.unlockOk(page);
  await expect(page.getByRole('combobox', { name: 'Find a pupil' })).toHaveValue('');
  expect(problems).toEqual([]);
});
