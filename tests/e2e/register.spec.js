// Finding a pupil in a large list: search by name or UPN, and pages of 50.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

test('search by name or UPN and page through a long list', async ({ page }) => {
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  await h.addPupil(page, { forename: 'Amara', surname: 'Okafor', dob: '14/09/2017', year: '4', upn: 'B801200005001' });
  for (let i = 0; i < 52; i++) {
    const n = String(i).padStart(2, '0');
    await h.addPupil(page, { forename: `Pupil${n}`, surname: `Smith${n}`, dob: '01/09/2018', year: '3' });
  }
  const status = page.getByRole('status').filter({ hasText: /Showing|No pupils/ });
  await expect(status).toHaveText('Showing 1 to 50 of 53 pupils');
  await expect(page.getByRole('table').getByRole('row')).toHaveCount(51);
  await expect(page.getByRole('row').nth(1)).toContainText('Okafor, Amara');
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(status).toHaveText('Showing 51 to 53 of 53 pupils');
  await expect(page.getByText('Page 2 of 2')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Next page' })).toBeDisabled();
  await expect(page.getByRole('row').nth(1)).toContainText('Smith49, Pupil49');

  // Editing from page 2 comes back to page 2.
  await page.getByRole('button', { name: 'Edit Pupil50 Smith50' }).click();
  await page.getByLabel('Year group').selectOption('5');
  await page.getByRole('button', { name: 'Save pupil' }).click();
  await expect(page.getByRole('row', { name: /Smith50, Pupil50/ })).toContainText('Year 5');
  await expect(page.getByText('Page 2 of 2')).toBeVisible();

  const search = page.getByRole('searchbox', { name: 'Find a pupil' });
  await search.fill('amara okafor');
  await expect(status).toHaveText('Showing 1 to 1 of 1 pupil');
  await expect(page.getByRole('row', { name: /Okafor, Amara/ })).toBeVisible();
  await search.fill('b8012000');
  await expect(page.getByRole('row', { name: /Okafor, Amara/ })).toBeVisible();
  await search.fill('nobody at all');
  await expect(status).toHaveText('No pupils match your search.');
  await expect(page.getByRole('table')).toHaveCount(0);
  await h.expectNoAxeViolations(page, 'pupils search with no match');
  expect(problems).toEqual([]);
});
