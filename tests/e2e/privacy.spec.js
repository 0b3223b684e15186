// Issue 12, point 2: nothing the browser keeps for itself (page titles in its history, the
// addresses visited, form history, a cloud translator's copy of the page) holds a pupil's
// name, UPN or date of birth. Every screen about a pupil is visited, every title the app
// sets is recorded, and every field is checked for autocomplete="off".
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

const PUPIL = {
  forename: 'Zephyrine',
  surname: 'Quillfeather',
  dob: '14/09/2017',
  year: '4',
  upn: 'B801200005001',
};
const SECRETS = ['Zephyrine', 'Quillfeather', 'Zeph', 'B801200005001', '14/09/2017', '2017-09-14', '14%2F09%2F2017'];

/** Wraps document.title's setter in every page, so every title set is recorded. */
async function recordTitles(page) {
  await page.addInitScript(() => {
    window.__titles = [];
    const own = Object.getOwnPropertyDescriptor(Document.prototype, 'title');
    Object.defineProperty(Document.prototype, 'title', {
      configurable: true,
      get() {
        return own.get.call(this);
      },
      set(value) {
        window.__titles.push(String(value));
        own.set.call(this, value);
      },
    });
  });
}

test('point 2: no title, address or form history holds a pupil name, UPN or date of birth', async ({ page }) => {
  const problems = h.watchPage(page);
  await recordTitles(page);
  const urls = new Set();
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) urls.add(frame.url());
  });
  const titles = new Set();
  const fieldsSeen = new Set();

  /** Records the titles set so far and checks every field on the screen. */
  async function check(screen) {
    for (const t of await page.evaluate(() => window.__titles)) titles.add(t);
    titles.add(await page.title());
    urls.add(page.url());
    const fields = await page.evaluate(() =>
      [...document.querySelectorAll('input, textarea, select')]
        .filter((f) => f.type !== 'file' && f.type !== 'hidden')
        .map((f) => ({ id: f.id || f.name, type: f.type, autocomplete: f.getAttribute('autocomplete') })),
    );
    for (const field of fields) {
      fieldsSeen.add(`${screen}: ${field.id}`);
      const allowed = field.type === 'password' ? ['current-password', 'new-password'] : ['off'];
      expect(allowed, `${screen}: ${field.id} has autocomplete=${field.autocomplete}`).toContain(field.autocomplete);
    }
  }

  await h.createDesk(page);
  expect(await page.evaluate(() => document.documentElement.getAttribute('translate'))).toBe('no');
  await h.goTo(page, 'Pupils');
  await check('pupils');
  await page.getByRole('button', { name: 'Add a pupil' }).click();
  await check('add a pupil');
  await page.getByLabel('Legal forename', { exact: true }).fill(PUPIL.forename);
  await page.getByLabel('Legal surname', { exact: true }).fill(PUPIL.surname);
  await page.getByLabel('Preferred forename (optional)').fill('Zeph');
  await page.getByLabel('Date of birth', { exact: true }).fill(PUPIL.dob);
  await page.getByLabel('Year group', { exact: true }).selectOption(PUPIL.year);
  await page.getByLabel('UPN (optional)', { exact: true }).fill(PUPIL.upn);
  await page.getByRole('button', { name: 'Save pupil' }).click();
  const heading = page.getByRole('heading', { level: 1, name: 'Zeph Quillfeather' });
  await expect(heading).toBeVisible();
  await check('pupil page');

  // Every form on the pupil's page.
  for (const [button, screen] of [
    ['Edit details', 'Edit pupil details'],
    ['Record a status change', 'Record a status change'],
    ['Change needs', 'Change needs'],
    ['Record a concern', 'Record a concern'],
    ['Add a parent or carer', 'Add a parent or carer'],
    ['Add a note', 'Add a note'],
    ['Attach a file', 'Attach a file'],
    ['Erase completely', 'Erase a pupil'],
  ]) {
    await page.getByRole('button', { name: button, exact: true }).first().click();
    await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Zeph Quillfeather');
    await check(screen);
    await expect(page).toHaveTitle(`${screen} – Senco Desk`);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(heading).toBeVisible();
  }
  // A concern, so its decision form can be visited too.
  await page.getByRole('button', { name: 'Record a concern' }).click();
  await page.getByLabel('Name or role of the person who raised it').fill('Mrs Patel, Year 4 teacher');
  await page.getByLabel('What was seen').fill(`${PUPIL.forename} struggles with reading`);
  await page.getByRole('button', { name: 'Save concern' }).click();
  await page.getByRole('button', { name: /^Record a decision/ }).click();
  await check('Record a decision');
  await page.getByRole('button', { name: 'Cancel' }).click();

  // A support plan: its form, its page, its review form.
  await page.getByRole('button', { name: 'Start a new plan', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Edit support plan 1/ })).toBeVisible();
  await check('plan form');
  await page.getByRole('button', { name: 'Add an outcome' }).click();
  await page.getByLabel('What the pupil will achieve').fill(`${PUPIL.forename} reads a short book`);
  await page.getByRole('button', { name: 'Save plan' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Support plan 1/ })).toBeVisible();
  await check('plan page');
  await page.getByRole('button', { name: 'Start this plan' }).click();
  await page.getByRole('button', { name: 'Record the review' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Review of plan 1/ })).toBeVisible();
  await check('review form');
  await page.getByRole('button', { name: 'Cancel' }).click();

  // The passport, its form, and the passports of the year group.
  await page.getByRole('link', { name: /^Back to / }).click();
  await expect(heading).toBeVisible();
  await page.getByRole('link', { name: 'Write the passport' }).click();
  await check('passport page');
  await page.getByRole('button', { name: 'Write the passport' }).click();
  await check('passport form');
  await page.getByLabel('About me', { exact: true }).fill(`${PUPIL.forename} likes trains`);
  await page.getByRole('button', { name: 'Save passport' }).click();
  await expect(page.getByText('The pupil passport is saved.')).toBeVisible();
  await page.getByRole('link', { name: 'Print passports for a class or year' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Print pupil passports' })).toBeVisible();
  await check('passports');

  // Lock and unlock, then the register's search by name.
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await h.unlockOk(page);
  await h.goTo(page, 'Pupils');
  await page.getByLabel('Search by name or UPN').fill(PUPIL.surname);
  await check('register search');

  const leaks = [];
  for (const text of [...titles, ...urls]) {
    for (const secret of SECRETS) if (text.includes(secret)) leaks.push(`${secret} in ${text}`);
  }
  expect(leaks).toEqual([]);
  expect(titles.size).toBeGreaterThan(10);
  expect(fieldsSeen.size).toBeGreaterThan(30);
  expect(problems).toEqual([]);
});
