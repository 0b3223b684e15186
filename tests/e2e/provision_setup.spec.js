// Issue 15, staff and the school calendar: the SENCO sets up term dates with a closure
// day, two staff and their rates, the notional SEN budget, and hides money, on the page
// reached from Settings; everything stays after locking and unlocking.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');
const { setUpProvision } = require('./provision_setup_steps');

async function openSetup(page) {
  await h.goTo(page, 'Settings');
  await page.getByRole('link', { name: 'Staff, rates and term dates' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Staff, rates and term dates' })).toBeVisible();
  await expect(page).toHaveTitle('Staff, rates and term dates \u2013 Senco Desk');
}

const year = (page, label) => page.getByRole('region', { name: label });
const term = (region, n) => region.getByRole('group', { name: `Term ${n}`, exact: true });

test('term dates, two staff and their rates are set up, kept, copied forward and hidden', async ({ page }) => {
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await openSetup(page);
  await h.expectNoAxeViolations(page, 'staff, rates and term dates (empty)');

  // A school year: two terms and an INSET day.
  await page.getByLabel('School year', { exact: true }).selectOption({ label: '2026 to 2027' });
  await page.getByRole('button', { name: 'Add school year' }).click();
  const y2026 = year(page, '2026 to 2027');
  await expect(y2026.getByText('Not saved yet')).toBeVisible();
  await term(y2026, 1).getByLabel('Name', { exact: true }).fill('Autumn 1');
  await term(y2026, 1).getByLabel('First day').fill('3/9/26');
  await term(y2026, 1).getByLabel('Last day').fill('23/10/2026');
  await term(y2026, 2).getByLabel('First day').fill('20/10/2026');
  await term(y2026, 2).getByLabel('Last day').fill('18.12.2026');
  // The closure day by keyboard alone.
  await y2026.getByRole('button', { name: 'Add a closure day' }).focus();
  await page.keyboard.press('Enter');
  const closure = y2026.getByRole('group', { name: 'Closure day 1' });
  await expect(closure.getByLabel('Date', { exact: true })).toBeFocused();
  await page.keyboard.type('02/11/2026');
  await page.keyboard.press('Tab');
  await expect(closure.getByLabel('Closed for')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(closure.getByLabel('Reason (optional)')).toBeFocused();
  await page.keyboard.type('INSET');
  await page.keyboard.press('Enter');

  // Autumn 2 overlaps Autumn 1: said beside its first day, which keeps what was typed.
  const autumn2Start = term(y2026, 2).getByLabel('First day');
  await expect(autumn2Start).toBeFocused();
  await expect(autumn2Start).toHaveAttribute('aria-invalid', 'true');
  await expect(autumn2Start).toHaveAccessibleDescription(/Autumn 2 starts before Autumn 1 ends/);
  await expect(autumn2Start).toHaveValue('20/10/2026');
  await expect(term(y2026, 2).getByLabel('Last day')).toHaveValue('18/12/2026');
  await expect(closure.getByLabel('Reason (optional)')).toHaveValue('INSET');
  await expect(y2026.getByText('Not saved yet')).toBeVisible();
  await h.expectNoAxeViolations(page, 'term dates with an error');

  await autumn2Start.fill('2/11/26');
  await autumn2Start.press('Tab');
  await expect(autumn2Start).toHaveValue('02/11/2026');
  await y2026.getByRole('button', { name: 'Save term dates for 2026 to 2027' }).click();
  await expect(y2026.getByText('Saved the term dates for 2026 to 2027.')).toBeVisible();
  // 37 weekdays in Autumn 1, 35 in Autumn 2, less the INSET day: 71 days, 14.2 weeks.
  await expect(y2026.getByText('71 teaching days, 14.2 teaching weeks.')).toBeVisible();
  await expect(autumn2Start).not.toHaveAttribute('aria-invalid', 'true');

  // A TA at the role's rate, and an HLTA with her own rate with pence (typed wrong first).
  const addStaff = page.getByRole('form', { name: 'Add a member of staff' });
  await addStaff.getByLabel('Name', { exact: true }).fill('Mrs Patel');
  await addStaff.getByLabel('Role', { exact: true }).selectOption({ label: 'Teaching assistant' });
  await addStaff.getByRole('button', { name: 'Add member of staff' }).click();
  await expect(page.getByText('Added Mrs Patel.')).toBeVisible();
  // Ms Green by keyboard alone.
  const ownRate = addStaff.getByLabel('Their own rate an hour, in pounds (optional)');
  await addStaff.getByLabel('Name', { exact: true }).focus();
  await page.keyboard.type('Ms Green');
  await page.keyboard.press('Tab');
  await expect(addStaff.getByLabel('Role', { exact: true })).toBeFocused();
  await page.keyboard.type('Higher');
  await expect(addStaff.getByLabel('Role', { exact: true })).toHaveValue('hlta');
  await page.keyboard.press('Tab');
  await expect(ownRate).toBeFocused();
  await page.keyboard.type('15.625');
  await page.keyboard.press('Enter');
  await expect(ownRate).toBeFocused();
  await expect(ownRate).toHaveAccessibleDescription(/at most two figures after the point/);
  await expect(ownRate).toHaveValue('15.625');
  await expect(addStaff.getByLabel('Name', { exact: true })).toHaveValue('Ms Green');
  await ownRate.fill('15.62');
  await addStaff.getByRole('button', { name: 'Add member of staff' }).click();
  await expect(page.getByText('Added Ms Green.')).toBeVisible();

  const staffTable = page.getByRole('table', { name: 'Staff who deliver provision' });
  const patel = staffTable.getByRole('row', { name: /Mrs Patel/ });
  const green = staffTable.getByRole('row', { name: /Ms Green/ });
  await expect(patel.getByRole('cell', { name: 'Not set' })).toBeVisible();
  await page.getByLabel('Teaching assistant, pounds an hour (optional)').fill('14.37');
  await page.getByRole('button', { name: 'Save role rates' }).click();
  await expect(page.getByText('Saved the rates for each role.')).toBeVisible();
  await expect(patel.getByRole('cell', { name: '£14.37 (role rate)' })).toBeVisible();
  await expect(green.getByRole('cell', { name: '£15.62', exact: true }).first()).toBeVisible();

  // The budget: £6,000 unless changed, a threshold of nothing refused, counted over the
  // financial year.
  const threshold = page.getByLabel('Threshold a pupil a year, in pounds');
  await expect(threshold).toHaveValue('6000.00');
  await threshold.fill('0');
  await page.getByLabel('The financial year (April to March)').check();
  await page.getByRole('button', { name: 'Save budget settings' }).click();
  await expect(threshold).toBeFocused();
  await expect(threshold).toHaveAccessibleDescription(/Enter a threshold of more than £0/);
  await expect(threshold).toHaveValue('0');
  await threshold.fill('6,500');
  await page.getByRole('button', { name: 'Save budget settings' }).click();
  await expect(page.getByText('Saved the notional SEN budget settings.')).toBeVisible();
  await h.expectNoAxeViolations(page, 'staff, rates and term dates (filled)');

  // Locked and unlocked: everything is still there.
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await h.unlockOk(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Staff, rates and term dates' })).toBeVisible();
  await expect(patel.getByRole('cell', { name: '£14.37 (role rate)' })).toBeVisible();
  await expect(green.getByRole('cell', { name: '£15.62', exact: true }).first()).toBeVisible();
  await expect(green.getByRole('cell', { name: 'Higher level teaching assistant (HLTA)' })).toBeVisible();
  await expect(year(page, '2026 to 2027').getByText('71 teaching days, 14.2 teaching weeks.')).toBeVisible();
  await expect(term(y2026, 2).getByLabel('First day')).toHaveValue('02/11/2026');
  await expect(y2026.getByRole('group', { name: 'Closure day 1' }).getByLabel('Reason (optional)')).toHaveValue('INSET');
  await expect(page.getByLabel('The financial year (April to March)')).toBeChecked();
  await expect(threshold).toHaveValue('6500.00');

  // Ms Green stops delivering provision: kept, with her rate.
  await green.getByRole('button', { name: 'Edit Ms Green' }).click();
  const editGreen = page.getByRole('form', { name: 'Edit Ms Green' });
  await expect(editGreen.getByLabel('Name', { exact: true })).toBeFocused();
  await expect(editGreen.getByLabel('Their own rate an hour, in pounds (optional)')).toHaveValue('15.62');
  await editGreen.getByLabel(/No longer delivers provision/).check();
  await editGreen.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Saved the changes to Ms Green.')).toBeVisible();
  await expect(green.getByRole('cell', { name: 'No longer' })).toBeVisible();

  // Copied forward: the new year is to check until its dates are checked.
  await y2026.getByRole('button', { name: 'Copy to 2027 to 2028' }).click();
  const y2027 = year(page, '2027 to 2028');
  await expect(y2027.getByText('To check:')).toBeVisible();
  await expect(term(y2027, 1).getByLabel('First day')).toHaveValue('02/09/2027');
  await expect(y2027.getByText('71 teaching days, 14.2 teaching weeks.')).toBeVisible();
  await expect(y2026.getByRole('button', { name: 'Copy to 2027 to 2028' })).toHaveCount(0);
  await h.expectNoAxeViolations(page, 'a year to check');
  // The provision pages say so until then, with the way back to the dates.
  const toCheck = page.getByTestId('term-dates-to-check');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Provision' }).click();
  await expect(toCheck).toHaveText('The term dates for 2027 to 2028 were copied from the year before and are still to check: sessions planned, delivery and costs in that year count from them. Check the term dates');
  await h.expectNoAxeViolations(page, 'provisions with term dates to check');
  await page.getByRole('link', { name: 'Provision map' }).click();
  await expect(toCheck).toBeVisible();
  await toCheck.getByRole('link', { name: 'Check the term dates' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Staff, rates and term dates' })).toBeVisible();
  await y2027.getByRole('button', { name: 'Dates checked' }).click();
  await expect(y2027.getByText('To check:')).toHaveCount(0);
  await expect(y2027.getByText('The dates for 2027 to 2028 are marked as checked.')).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Provision' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Provisions' })).toBeVisible();
  await expect(toCheck).toHaveCount(0);
  await openSetup(page);

  // Money hidden: no rate, threshold or amount anywhere on the page.
  await page.getByLabel('Hide all money from screens and prints').check();
  await page.getByRole('button', { name: 'Save money setting' }).click();
  await expect(page.getByText('Saved. Money is hidden from screens and prints.')).toBeVisible();
  await expect(page.getByRole('main')).not.toContainText('£');
  await expect(page.getByRole('columnheader', { name: 'Rate used' })).toHaveCount(0);
  await expect(page.getByLabel('Teaching assistant, pounds an hour (optional)')).toHaveCount(0);
  await expect(page.getByLabel('Threshold a pupil a year, in pounds')).toHaveCount(0);
  await expect(patel.getByRole('cell', { name: 'Teaching assistant' })).toBeVisible();
  await h.expectNoAxeViolations(page, 'money hidden');
  await page.reload();
  await h.unlockOk(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Staff, rates and term dates' })).toBeVisible();
  await expect(page.getByLabel('Hide all money from screens and prints')).toBeChecked();
  await expect(page.getByRole('main')).not.toContainText('£');

  // Edited while money is hidden, Ms Green keeps the rate the form did not show.
  await green.getByRole('button', { name: 'Edit Ms Green' }).click();
  await expect(page.getByRole('form', { name: 'Edit Ms Green' }).getByLabel(/own rate/)).toHaveCount(0);
  await page.getByRole('form', { name: 'Edit Ms Green' }).getByLabel(/No longer delivers provision/).uncheck();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Saved the changes to Ms Green.')).toBeVisible();
  await page.getByLabel('Hide all money from screens and prints').uncheck();
  await page.getByRole('button', { name: 'Save money setting' }).click();
  await expect(green.getByRole('cell', { name: '£15.62', exact: true }).first()).toBeVisible();
  await expect(green.getByRole('cell', { name: 'Yes' })).toBeVisible();
  expect(problems).toEqual([]);
});

test('term dates that cannot be saved say why, and nothing is saved', async ({ page }) => {
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await openSetup(page);
  await page.getByLabel('School year', { exact: true }).selectOption({ label: '2026 to 2027' });
  await page.getByRole('button', { name: 'Add school year' }).click();
  const y2026 = year(page, '2026 to 2027');
  await term(y2026, 1).getByLabel('First day').fill('03/09/2026');
  await term(y2026, 1).getByLabel('Last day').fill('23/10/2026');
  await y2026.getByRole('button', { name: 'Add a closure day' }).click();
  const closure = y2026.getByRole('group', { name: 'Closure day 1' });
  await closure.getByLabel('Date', { exact: true }).fill('05/09/2026');
  await y2026.getByRole('button', { name: 'Save term dates for 2026 to 2027' }).click();
  await expect(closure.getByLabel('Date', { exact: true })).toHaveAccessibleDescription(
    /The closure on 05\/09\/2026 is at a weekend/,
  );
  await expect(closure.getByLabel('Date', { exact: true })).toBeFocused();
  // Every term removed: said beside the save button, as there is no term to say it at.
  for (let n = 6; n >= 1; n -= 1) {
    await y2026.getByRole('button', { name: `Remove term ${n}` }).click();
  }
  await expect(y2026.getByRole('group', { name: /^Term \d/ })).toHaveCount(0);
  await y2026.getByRole('button', { name: 'Save term dates for 2026 to 2027' }).click();
  await expect(y2026.getByRole('alert')).toHaveText(/Enter at least one term/);
  await expect(y2026.getByText('Not saved yet')).toBeVisible();
  await h.expectNoAxeViolations(page, 'term dates refused');
  expect(problems).toEqual([]);
});

test('the provision list asks for term dates until they are entered, and new provisions offer the staff', async ({ page }) => {
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Provision' }).click();
  const noDates = page.getByText("This school year's term dates are not entered yet");
  await expect(noDates).toBeVisible();
  await page.getByRole('link', { name: 'Enter term dates and staff' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Staff, rates and term dates' })).toBeVisible();
  await setUpProvision(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Provision' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Provisions' })).toBeVisible();
  await expect(noDates).toHaveCount(0);
  await page.getByRole('link', { name: 'New provision' }).click();
  const deliveredBy = page.getByRole('group', { name: 'Delivered by' });
  await expect(deliveredBy.getByLabel('Mrs Patel (Teaching assistant)')).toBeVisible();
  await expect(deliveredBy.getByLabel('Ms Green (Higher level teaching assistant (HLTA))')).toBeVisible();
  expect(problems).toEqual([]);
});
