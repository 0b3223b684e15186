// Finding a pupil in a large list: search by name or UPN, and pages of 50.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

/** A desk with Amara (with a UPN) and 52 more pupils, on the Pupils page showing the whole roll. */
async function longList(page) {
  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  await h.addPupil(page, { forename: 'Amara', surname: 'Okafor', dob: '14/09/2017', year: '4', upn: 'B801200005001' });
  for (let i = 0; i < 52; i++) {
    const n = String(i).padStart(2, '0');
    await h.addPupil(page, { forename: `Pupil${n}`, surname: `Smith${n}`, dob: '01/09/2018', year: '3' });
  }
  const status = page.getByRole('status').filter({ hasText: /Showing|No pupils/ });
  // Pupils added by hand are not on the SEN register: the whole roll lists them.
  await expect(status).toHaveText('No pupils match. 53 pupils on roll.');
  await h.showWholeRoll(page);
  const rows = h.rollTable(page).getByRole('row');
  await expect(status).toHaveText('Showing 1 to 50 of 53 pupils, sorted by name (A to Z).');
  await expect(rows).toHaveCount(51);
  await expect(rows.nth(1)).toContainText('Okafor, Amara');
  await expect(page.getByText('Page 1 of 2')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Previous page', exact: true })).toBeDisabled();
  return { status, rows };
}

test('search by name or UPN in a long list', async ({ page }) => {
  const problems = h.watchPage(page);
  const { status } = await longList(page);
  const search = page.getByRole('searchbox', { name: 'Search by name or UPN' });
  await search.fill('amara okafor');
  await expect(status).toHaveText('Showing 1 to 1 of 1 pupil, sorted by name (A to Z).');
  await expect(page.getByRole('row', { name: /Okafor, Amara/ })).toBeVisible();
  await search.fill('');
  await expect(status).toHaveText('Showing 1 to 50 of 53 pupils, sorted by name (A to Z).');
  await search.fill('b8012000');
  await expect(status).toHaveText('Showing 1 to 1 of 1 pupil, sorted by name (A to Z).');
  await expect(page.getByRole('row', { name: /Okafor, Amara/ })).toBeVisible();
  await search.fill('nobody at all');
  await expect(status).toHaveText('No pupils match. 53 pupils on roll.');
  await expect(page.getByRole('table')).toHaveCount(0);
  await h.expectNoAxeViolations(page, 'pupils search with no match');
  expect(problems).toEqual([]);
});

test('page through a long list; editing a pupil from page 2 comes back to page 2', async ({ page }) => {
  const problems = h.watchPage(page);
  const { status, rows } = await longList(page);
  const next = page.getByRole('button', { name: 'Next page', exact: true });
  await expect(next).toBeEnabled();
  await next.click();
  await expect(status).toHaveText('Showing 51 to 53 of 53 pupils, sorted by name (A to Z).');
  await expect(page.getByText('Page 2 of 2')).toBeVisible();
  await expect(next).toBeDisabled();
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(1)).toContainText('Smith49, Pupil49');

  // Opening and editing a pupil from page 2 comes back to page 2.
  await rows.getByRole('link', { name: 'Smith50, Pupil50', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Pupil50 Smith50' })).toBeVisible();
  await page.getByRole('button', { name: 'Edit details' }).click();
  await page.getByLabel('Year group', { exact: true }).selectOption('5');
  await page.getByRole('button', { name: 'Save pupil' }).click();
  await expect(h.summaryValue(page, 'Year group')).toHaveText('Year 5');
  await h.backToPupils(page);
  await expect(page.getByRole('row', { name: /Smith50, Pupil50/ })).toContainText('Year 5');
  await expect(page.getByText('Page 2 of 2')).toBeVisible();
  await expect(status).toHaveText('Showing 51 to 53 of 53 pupils, sorted by name (A to Z).');
  await page.getByRole('button', { name: 'Previous page', exact: true }).click();
  await expect(page.getByText('Page 1 of 2')).toBeVisible();
  expect(problems).toEqual([]);
});
