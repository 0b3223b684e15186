// Issue 13, points 8 and 9: plan forms that ask before losing anything and refuse
// impossible dates; long text boxes that count down to their limit; dates typed the way
// people type them; spell check off unless the school chooses it.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

const PUPIL = { forename: 'Ada', surname: 'Okoro', dob: '14/05/2018', year: 'Year 3' };

/** Today `days` on, in the school's time zone: [dd/mm/yyyy, d/m/yy]. */
function dates(days = 0) {
  const d = new Date(Date.now() + days * 86_400_000);
  const long = d.toLocaleDateString('en-GB', { timeZone: 'Europe/London' });
  const [dd, mm, yyyy] = long.split('/');
  return [long, `${Number(dd)}/${Number(mm)}/${yyyy.slice(2)}`];
}

async function deskWithPupil(page) {
  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  await h.addPupil(page, PUPIL);
  await h.openPupil(page, PUPIL);
}

test('point 8: cancelling a new plan leaves no draft, a future agreement date is refused, deleting a draft asks first', async ({ page }) => {
  const problems = h.watchPage(page);
  await deskWithPupil(page);

  // Cancel on a plan just started: back to the pupil, and no draft is left behind.
  await page.getByRole('button', { name: 'Start a new plan', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Edit support plan 1: Ada Okoro' })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(h.pupilHeading(page, PUPIL)).toBeVisible();
  await expect(page.getByText('Plan 1 was not made: nothing was saved.')).toBeVisible();
  await expect(page.getByText('No support plans yet.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Plan 1', exact: true })).toHaveCount(0);
  // Home does not list a draft either.
  await h.goTo(page, 'Home');
  await expect(page.getByText(/plan 1 is a draft/)).toHaveCount(0);
  await h.openPupil(page, PUPIL);

  // The date parents agreed a plan cannot be in the future; what was typed stays.
  await page.getByRole('button', { name: 'Start a new plan', exact: true }).click();
  await page.getByRole('button', { name: 'Add an outcome' }).click();
  await page.getByLabel('What the pupil will achieve').fill('Reads a short book aloud');
  const [tomorrow] = dates(1);
  const [today, todayShort] = dates(0);
  await page.getByLabel('Date parents agreed the plan (optional)').fill(tomorrow);
  await page.getByRole('button', { name: 'Save plan' }).click();
  await expect(page.getByRole('alert')).toContainText(`The date parents agreed the plan cannot be in the future (today is ${today}).`);
  await expect(page.getByLabel('What the pupil will achieve')).toHaveValue('Reads a short book aloud');
  // Point 9 too: a two-digit year is read, and shown back in full on leaving the field.
  await page.getByLabel('Date parents agreed the plan (optional)').fill(todayShort);
  await page.getByLabel('Date parents agreed the plan (optional)').press('Tab');
  await expect(page.getByLabel('Date parents agreed the plan (optional)')).toHaveValue(today);
  await page.getByRole('button', { name: 'Save plan' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Support plan 1: Ada Okoro' })).toBeVisible();
  await expect(page.getByText('Plan 1 is saved.')).toBeVisible();
  // Saved once, Edit then Cancel keeps the draft (it is no longer new).
  await page.getByRole('button', { name: 'Edit plan' }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Support plan 1: Ada Okoro' })).toBeVisible();

  // Deleting a draft asks first; "No, keep it" keeps it.
  await page.getByRole('button', { name: 'Delete this draft' }).click();
  const confirm = page.getByRole('region', { name: 'Delete draft plan 1?' });
  await expect(confirm).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Delete draft plan 1?' })).toBeFocused();
  await h.expectNoAxeViolations(page, 'delete draft confirmation');
  await confirm.getByRole('button', { name: 'No, keep it' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Delete this draft' })).toBeFocused();
  await h.openPupil(page, PUPIL);
  await expect(page.getByRole('link', { name: 'Plan 1', exact: true })).toBeVisible();
  await page.getByRole('link', { name: 'Plan 1', exact: true }).click();
  await page.getByRole('button', { name: 'Delete this draft' }).click();
  await page.getByRole('button', { name: 'Yes, delete draft plan 1' }).click();
  await expect(h.pupilHeading(page, PUPIL)).toBeVisible();
  await expect(page.getByText('Draft plan 1 is deleted.')).toBeVisible();
  await expect(page.getByText('No support plans yet.')).toBeVisible();
  expect(problems).toEqual([]);
});

test('point 9: long text boxes count the characters left, dates take the forms people type, spell check is off until chosen', async ({ page }) => {
  const problems = h.watchPage(page);
  await deskWithPupil(page);
  await page.getByRole('button', { name: 'Record a concern' }).click();

  // The count is under the box, read with it, and follows what is typed.
  const seen = page.getByLabel('What was seen');
  await expect(page.locator('#concern-seen-count')).toHaveText('4,000 characters left');
  await expect(seen).toHaveAttribute('aria-describedby', /concern-seen-count/);
  await seen.fill('Cries at the start of every maths lesson.');
  await expect(page.locator('#concern-seen-count')).toHaveText('3,959 characters left');
  await seen.fill('x'.repeat(4_002));
  await expect(page.locator('#concern-seen-count')).toHaveText('2 characters too many');
  await seen.fill('Cries at the start of every maths lesson.');

  // Dates: d/m/yy and d.m.yyyy are read, and shown back as dd/mm/yyyy.
  const raised = page.getByLabel('Date raised');
  const [today, todayShort] = dates(0);
  await raised.fill(todayShort);
  await raised.press('Tab');
  await expect(raised).toHaveValue(today);
  await raised.fill(todayShort.replace(/\//g, '.').replace(/\.(\d\d)$/, `.20$1`));
  await raised.press('Tab');
  await expect(raised).toHaveValue(today);
  // Nonsense is left as typed, for the error on saving to name.
  await raised.fill('31/02/26');
  await raised.press('Tab');
  await expect(raised).toHaveValue('31/02/26');
  await raised.fill(todayShort);

  // Spell check is off everywhere by default.
  await expect(seen).toHaveAttribute('spellcheck', 'false');
  await expect(page.getByLabel('Name or role of the person who raised it')).toHaveAttribute('spellcheck', 'false');
  await page.getByLabel('Name or role of the person who raised it').fill('Mrs Patel, Year 3 teacher');
  await page.getByRole('button', { name: 'Save concern' }).click();
  await expect(page.getByText('Cries at the start of every maths lesson.').first()).toBeVisible();

  // Settings explains the risk; turned on, long text boxes are spell checked, names never.
  await h.goTo(page, 'Settings');
  const section = page.getByRole('region', { name: 'Spell check' });
  await expect(section).toContainText('send what is typed to a cloud service');
  await expect(section.getByLabel('Check spelling in long text boxes')).not.toBeChecked();
  await section.getByLabel('Check spelling in long text boxes').check();
  await section.getByRole('button', { name: 'Save spell check' }).click();
  await expect(section.getByRole('status')).toContainText('Saved. Long text boxes are spell checked');
  await h.expectNoAxeViolations(page, 'settings with spell check');
  await h.openPupil(page, PUPIL);
  await page.getByRole('button', { name: 'Add a note' }).click();
  await expect(page.getByLabel('Note', { exact: true })).toHaveAttribute('spellcheck', 'true');
  await expect(page.getByLabel('Date', { exact: true })).toHaveAttribute('spellcheck', 'false');
  await expect(page.locator('#note-text-count')).toHaveText('4,000 characters left');
  await h.expectNoAxeViolations(page, 'note form with its count');
  expect(problems).toEqual([]);
});
