// The contact log (issue 17): a phone call with a parent logged from the pupil's page in a
// few presses, with an action due tomorrow that appears on home tomorrow and is ticked off;
// a meeting about two pupils that is one entry shown on both pages; and the desk-wide
// search narrowing as each key is typed.
//
// The browser's clock is fixed at Monday 2 November 2026, 10:00, then moved a day on.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

const AMARA = { forename: 'Amara', surname: 'Okafor', dob: '03/03/2017', year: '4' };
const BEN = { forename: 'Ben', surname: 'Hughes', dob: '05/05/2017', year: '4' };

function dueList(page, heading) {
  return page.getByRole('heading', { level: 3, name: new RegExp(`^${heading}`) });
}

function dueItems(page, heading) {
  return dueList(page, heading).locator('xpath=following-sibling::*[1][self::ul]').getByRole('listitem');
}

test('a phone call with an action due tomorrow, on home tomorrow and ticked off; one entry about two pupils; search', async ({ page }) => {
  test.setTimeout(180_000);
  const problems = h.watchPage(page);
  const requests = h.recordRequests(page);
  await page.clock.setFixedTime(new Date('2026-11-02T10:00:00'));
  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  await h.addPupil(page, BEN);
  await h.submitNewPupil(page, AMARA);
  await expect(h.pupilHeading(page, AMARA)).toBeVisible();
  await expect(page.getByText('No contacts logged.')).toBeVisible();

  // One press from the pupil's page; the pupil is already chosen.
  await page.getByRole('link', { name: 'Log a contact' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Log a contact' })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Pupils it is about' })).toContainText('Amara Okafor');
  await expect(page.getByLabel('Date', { exact: true })).toHaveValue('02/11/2026');
  await expect(page.getByLabel('How', { exact: true })).toHaveValue('phone_call');
  // A summary is needed: the error is beside it, and nothing typed is lost.
  await page.getByLabel('Or type a name').fill('Mrs Okafor (mother)');
  await page.getByRole('button', { name: 'Save the entry' }).click();
  await expect(page.locator('#entry-summary-error')).toContainText('Write a short summary.');
  await h.expectNoAxeViolations(page, 'log a contact');
  await page.getByLabel('Summary', { exact: true }).fill('Mum worried about reading at home; agreed to send a reading ruler.');
  await page.getByLabel('Action', { exact: true }).fill('Send the reading ruler home');
  await page.getByLabel('Who does it').fill('SENCO');
  await page.getByLabel('By when').fill('03/11/2026');
  await page.getByRole('button', { name: 'Save the entry' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Phone call with Mrs Okafor (mother)' })).toBeVisible();
  await expect(page.getByText('Send the reading ruler home (SENCO), by 03/11/2026: To do')).toBeVisible();
  await h.expectNoAxeViolations(page, 'a contact log entry');

  // Not due today; on home tomorrow, with a link to the entry.
  await h.goTo(page, 'Home');
  await expect(dueItems(page, 'Agreed actions and follow-ups due')).toHaveCount(0);
  await page.clock.setFixedTime(new Date('2026-11-03T09:00:00'));
  await h.goTo(page, 'Pupils');
  await h.goTo(page, 'Home');
  await expect(dueItems(page, 'Agreed actions and follow-ups due')).toHaveText([
    /^Amara Okafor: Send the reading ruler home \(SENCO\): due 03\/11\/2026; from Phone call with Mrs Okafor \(mother\) \(02\/11\/2026 at 10:00\)/,
  ]);
  await h.expectNoAxeViolations(page, 'home with an action due');
  await dueItems(page, 'Agreed actions and follow-ups due').getByRole('link', { name: 'Amara Okafor' }).click();
  await page.getByRole('button', { name: 'Mark done today (Send the reading ruler home)' }).click();
  await expect(page.getByText('Send the reading ruler home (SENCO), by 03/11/2026: Done 03/11/2026')).toBeVisible();
  await h.goTo(page, 'Home');
  await expect(dueItems(page, 'Agreed actions and follow-ups due')).toHaveCount(0);

  // A meeting about both pupils, logged from home: one entry, on both pages.
  await page.getByRole('link', { name: 'Log a contact' }).click();
  await page.getByLabel('Add a pupil').selectOption({ label: 'Amara Okafor' });
  await page.getByRole('button', { name: 'Add this pupil' }).click();
  await page.getByLabel('Add a pupil').selectOption({ label: 'Ben Hughes' });
  await page.getByRole('button', { name: 'Add this pupil' }).click();
  await page.getByLabel('How', { exact: true }).selectOption({ label: 'In person' });
  await page.getByLabel('Or type a name').fill('Miss Jones');
  await page.getByLabel('They are').selectOption({ label: 'Staff' });
  await page.getByLabel('Summary', { exact: true }).fill('Planned the Year 4 spelling group');
  await page.getByRole('button', { name: 'Save the entry' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'In person with Miss Jones' })).toBeVisible();
  for (const pupil of [AMARA, BEN]) {
    await h.openPupil(page, pupil);
    const section = page.getByRole('region', { name: 'Contact log' });
    await expect(section.getByRole('link', { name: /In person with Miss Jones/ })).toHaveCount(1);
    await expect(page.getByRole('list', { name: 'Everything recorded, newest first' }))
      .toContainText('In person with Miss Jones: Planned the Year 4 spelling group');
  }

  // The desk-wide search narrows as each key is typed.
  await h.goTo(page, 'Home');
  await page.getByRole('link', { name: /^The contact log/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Contact log' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'entries match' })).toHaveText('2 of 2 entries match.');
  await page.getByLabel('Words in the entry').pressSequentially('ruler');
  await expect(page.getByRole('status').filter({ hasText: 'entries match' })).toHaveText('1 of 2 entries match.');
  await expect(page.getByRole('link', { name: /Phone call with Mrs Okafor/ })).toBeVisible();
  await page.getByLabel('Words in the entry').fill('');
  await page.getByLabel('Pupil', { exact: true }).selectOption({ label: 'Ben Hughes' });
  await expect(page.getByRole('status').filter({ hasText: 'entries match' })).toHaveText('1 of 2 entries match.');
  await expect(page.getByRole('link', { name: /In person with Miss Jones/ })).toBeVisible();
  await h.expectNoAxeViolations(page, 'contact log search');
  // One pupil's whole log prints on paper: the search form is left off.
  await page.getByLabel('Pupil', { exact: true }).selectOption({ label: 'Amara Okafor' });
  await expect(page.getByRole('status').filter({ hasText: 'entries match' })).toHaveText('2 of 2 entries match.');
  await expect(page.getByText('Agreed: Send the reading ruler home (SENCO): done 03/11/2026')).toBeVisible();
  await expect(page.getByRole('button', { name: "Print this pupil's contact log" })).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('search', { name: 'Search the contact log' })).toBeHidden();
  await expect(page.getByRole('link', { name: /Phone call with Mrs Okafor/ })).toBeVisible();
  await page.emulateMedia({ media: 'screen' });

  expect(problems).toEqual([]);
  h.expectOnlyOwnStaticFiles(requests, page.url());
});
