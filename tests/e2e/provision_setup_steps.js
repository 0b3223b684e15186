// Steps on the staff, rates and term dates page, for journeys that need provision set up
// (the provision journeys start from term dates and staff).
const { expect } = require('@playwright/test');

/** The school year (by the year it starts in) that today falls in: September to August. */
function thisSchoolYear(now = new Date()) {
  return now.getMonth() >= 8 ? now.getFullYear() : now.getFullYear() - 1;
}

const pad = (n) => String(n).padStart(2, '0');
const uk = (d) => `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()}`;

/** The first weekday on or after the date given. */
function weekdayFrom(y, m, d) {
  const day = new Date(y, m - 1, d);
  while (day.getDay() === 0 || day.getDay() === 6) day.setDate(day.getDate() + 1);
  return uk(day);
}

/** Three terms for the school year starting in `y`, and one INSET day in November. */
function usualYear(y) {
  return {
    startsIn: y,
    terms: [
      ['Autumn', `01/09/${y}`, `18/12/${y}`],
      ['Spring', `05/01/${y + 1}`, `26/03/${y + 1}`],
      ['Summer', `12/04/${y + 1}`, `21/07/${y + 1}`],
    ],
    closures: [[weekdayFrom(y, 11, 2), 'INSET']],
  };
}

/**
 * Opens the page from Settings and enters a school year's term dates, role rates and staff.
 * `year` is { startsIn, terms: [[name, first, last]], closures: [[date, reason]] } (dates
 * as dd/mm/yyyy); `rates` maps a role's label to pounds ("14.37"); `staff` lists
 * { name, role (its label), rate (optional pounds) }.
 */
async function setUpProvision(page, {
  year = usualYear(thisSchoolYear()),
  rates = { 'Teaching assistant': '14.37' },
  staff = [
    { name: 'Mrs Patel', role: 'Teaching assistant' },
    { name: 'Ms Green', role: 'Higher level teaching assistant (HLTA)', rate: '15.62' },
  ],
} = {}) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Staff, rates and term dates' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Staff, rates and term dates' })).toBeVisible();

  const label = `${year.startsIn} to ${year.startsIn + 1}`;
  await page.getByLabel('School year', { exact: true }).selectOption({ label });
  await page.getByRole('button', { name: 'Add school year' }).click();
  const region = page.getByRole('region', { name: label });
  // Six named rows to start with: the ones not needed are removed.
  for (let n = 6; n > year.terms.length; n -= 1) {
    await region.getByRole('button', { name: `Remove term ${n}` }).click();
  }
  for (const [i, [name, first, last]] of year.terms.entries()) {
    const row = region.getByRole('group', { name: `Term ${i + 1}`, exact: true });
    await row.getByLabel('Name', { exact: true }).fill(name);
    await row.getByLabel('First day').fill(first);
    await row.getByLabel('Last day').fill(last);
  }
  for (const [i, [on, reason]] of year.closures.entries()) {
    await region.getByRole('button', { name: 'Add a closure day' }).click();
    const row = region.getByRole('group', { name: `Closure day ${i + 1}` });
    await row.getByLabel('Date', { exact: true }).fill(on);
    await row.getByLabel('Reason (optional)').fill(reason);
  }
  await region.getByRole('button', { name: `Save term dates for ${label}` }).click();
  await expect(region.getByText(`Saved the term dates for ${label}.`)).toBeVisible();

  for (const [role, pounds] of Object.entries(rates)) {
    await page.getByLabel(`${role}, pounds an hour (optional)`).fill(pounds);
  }
  await page.getByRole('button', { name: 'Save role rates' }).click();
  await expect(page.getByText('Saved the rates for each role.')).toBeVisible();

  const form = page.getByRole('form', { name: 'Add a member of staff' });
  for (const person of staff) {
    await form.getByLabel('Name', { exact: true }).fill(person.name);
    await form.getByLabel('Role', { exact: true }).selectOption({ label: person.role });
    await form.getByLabel('Their own rate an hour, in pounds (optional)').fill(person.rate || '');
    await form.getByRole('button', { name: 'Add member of staff' }).click();
    await expect(page.getByText(`Added ${person.name}.`)).toBeVisible();
  }
}

module.exports = { thisSchoolYear, usualYear, setUpProvision };
