// Agencies and referrals (issue 17): an agency added to the directory with traded time; a
// pupil referred with the parents' consent; the referral chased from home when it has had
// no news for the follow-up time; moved through to the report received, the report attached
// and downloaded back byte for byte; its recommendations turned into the plan and the
// passport, one marked not taken up; and the plan showing which came from which report.
//
// The browser's clock is fixed, then moved on, so every date is known.
const fs = require('fs');
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

const AMARA = { forename: 'Amara', surname: 'Okafor', dob: '03/03/2017', year: '4' };
const AGENCY = 'North Locality EP Team';

function dueList(page, heading) {
  return page.getByRole('heading', { level: 3, name: new RegExp(`^${heading}`) });
}

function dueItems(page, heading) {
  return dueList(page, heading).locator('xpath=following-sibling::*[1][self::ul]').getByRole('listitem');
}

function pdfBytes(size) {
  const head = Buffer.from('%PDF-1.4\n% referral report\n');
  const body = Buffer.alloc(size - head.length);
  for (let i = 0; i < body.length; i += 1) body[i] = (i * 31 + 7) % 256;
  return Buffer.concat([head, body]);
}

async function recordStep(page, step) {
  await page.getByLabel('Step', { exact: true }).selectOption({ label: step });
  await page.getByRole('button', { name: 'Record the step' }).click();
  await expect(page.getByText(new RegExp(`^${step} recorded on`))).toBeVisible();
}

test('an agency, a referral with consent to its report, recommendations used, and chasing it from home', async ({ page }) => {
  test.setTimeout(180_000);
  const problems = h.watchPage(page);
  const requests = h.recordRequests(page);
  await page.clock.setFixedTime(new Date('2026-11-02T10:00:00'));
  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  await h.submitNewPupil(page, AMARA);
  await expect(h.pupilHeading(page, AMARA)).toBeVisible();

  // A draft plan with a strategy: what has been tried, and where recommendations go.
  await page.getByRole('button', { name: 'Start a new plan', exact: true }).click();
  await page.getByRole('button', { name: 'Add a strategy' }).click();
  await page.getByLabel('Strategy', { exact: true }).first().fill('Pre-teach vocabulary');
  await page.getByRole('button', { name: 'Save plan' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Support plan 1: Amara Okafor' })).toBeVisible();

  // The directory: an agency with a person and 12 hours bought this year.
  await h.goTo(page, 'Home');
  await page.getByRole('link', { name: /^Agencies:/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Agencies' })).toBeVisible();
  await h.expectNoAxeViolations(page, 'agencies, empty');
  await page.getByRole('button', { name: 'Add an agency' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Add an agency' })).toBeVisible();
  await page.getByRole('button', { name: 'Save the agency' }).click();
  await expect(page.locator('#agency-name-error')).toContainText("Enter the agency's or team's name.");
  await page.getByLabel('Kind of agency').selectOption({ label: 'Educational psychology' });
  await page.getByLabel('Agency or team name').fill(AGENCY);
  await page.getByLabel('Name', { exact: true }).fill('Dr Okonjo');
  await page.getByLabel('Role', { exact: true }).fill('Educational psychologist');
  await page.getByRole('button', { name: 'Add this person' }).click();
  await expect(page.getByText('Dr Okonjo, Educational psychologist')).toBeVisible();
  await page.getByLabel('Time bought this school year').fill('12');
  await h.expectNoAxeViolations(page, 'agency form');
  await page.getByRole('button', { name: 'Save the agency' }).click();
  await expect(page.getByText(`${AGENCY} was saved in the agency directory.`)).toBeVisible();
  const row = page.getByRole('row', { name: new RegExp(AGENCY) });
  await expect(row).toContainText('12 hours left of 12 hours (0 hours used)');
  await expect(row).toContainText('Dr Okonjo (Educational psychologist)');

  // Refer Amara: sending needs the parents' consent first.
  await h.openPupil(page, AMARA);
  await expect(page.getByText('No referrals recorded.')).toBeVisible();
  await page.getByRole('link', { name: 'Refer to an agency' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Refer Amara Okafor to an agency' })).toBeVisible();
  await page.getByLabel('Agency', { exact: true }).selectOption({ label: `${AGENCY} (Educational psychology)` });
  await expect(page.getByText(`Traded time with ${AGENCY}: 12 hours left`)).toBeVisible();
  await page.getByLabel('Professional', { exact: true }).selectOption({ label: 'Dr Okonjo (Educational psychologist)' });
  await page.getByLabel('Reason for the referral').fill('Reading well below age despite two terms of support');
  await page.getByLabel('Pre-teach vocabulary').check();
  await page.getByLabel('Traded time this work used').fill('3');
  await h.expectNoAxeViolations(page, 'referral form');
  await page.getByRole('button', { name: 'Save the referral' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Referral to ${AGENCY}` })).toBeVisible();
  await expect(page.getByText('A draft: not sent yet.')).toBeVisible();
  await page.getByRole('button', { name: 'Record the step' }).click();
  await expect(page.locator('#step-kind-error')).toContainText("Record the parents' consent before sending the referral.");
  await page.getByRole('button', { name: 'Edit the details' }).click();
  await page.getByLabel('Date consent was given').fill('02/11/2026');
  await page.getByLabel('Given by').fill('Mrs Okafor (mother)');
  await page.getByRole('button', { name: 'Save the referral' }).click();
  await expect(page.getByText("Given by Mrs Okafor (mother) on 02/11/2026")).toBeVisible();
  await expect(page.getByText('Pre-teach vocabulary')).toBeVisible();
  await recordStep(page, 'Sent');
  await expect(page.getByRole('listitem').filter({ hasText: 'Sent on 02/11/2026' })).toBeVisible();
  await h.expectNoAxeViolations(page, 'referral sent');

  // Six weeks of school days with no news (no term dates entered: weekdays): chase it.
  await page.clock.setFixedTime(new Date('2026-12-14T10:00:00'));
  await h.goTo(page, 'Home');
  await expect(dueItems(page, 'Referrals to chase')).toHaveCount(0);
  await page.clock.setFixedTime(new Date('2026-12-15T10:00:00'));
  await h.goTo(page, 'Pupils');
  await h.goTo(page, 'Home');
  await expect(dueItems(page, 'Referrals to chase')).toHaveText([
    /^Amara Okafor: Referral to North Locality EP Team: Sent on 02\/11\/2026; no news for 31 school days \(follow up after 6 weeks\)/,
  ]);
  await h.expectNoAxeViolations(page, 'home with a referral to chase');
  await dueItems(page, 'Referrals to chase').getByRole('link', { name: 'Amara Okafor' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Referral to ${AGENCY}` })).toBeVisible();

  // Through to the report, which is attached and downloads back byte for byte.
  await recordStep(page, 'Accepted');
  await page.getByLabel('Step', { exact: true }).selectOption({ label: 'Appointment' });
  await page.getByRole('button', { name: 'Record the step' }).click();
  await expect(page.locator('#appointment-on-error')).toContainText("Enter the appointment's date");
  await recordStep(page, 'Seen');
  await recordStep(page, 'Report received');
  await page.getByRole('button', { name: 'Attach a new file' }).click();
  const original = pdfBytes(5000);
  await page.getByLabel('File to attach').setInputFiles({ name: 'ep-report.pdf', mimeType: 'application/pdf', buffer: original });
  await page.getByLabel('Description', { exact: true }).fill("Educational psychologist's report");
  await page.getByRole('button', { name: 'Attach file' }).click();
  await expect(page.getByText('ep-report.pdf was attached.')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByLabel('The report file')).toHaveValue(/.+/);
  await page.getByRole('button', { name: 'Link this file as the report' }).click();
  await expect(page.getByText('The report file was linked to the referral.')).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download the report' }).click(),
  ]);
  expect(fs.readFileSync(await download.path()).equals(original)).toBe(true);

  // Recommendations, one a line: two used, one not taken up with its reason.
  await page.getByLabel('Add recommendations from the report (one a line)')
    .fill('Use a reading ruler\nDaily precision teaching\nSit near the front');
  await page.getByRole('button', { name: 'Add the recommendations' }).click();
  await expect(page.getByText('0 of 3 recommendations used.')).toBeVisible();
  await h.expectNoAxeViolations(page, 'referral with recommendations');
  await page.getByRole('button', { name: "Add to the plan's strategies (Use a reading ruler)" }).click();
  await expect(page.getByText('Added as a strategy on the support plan.')).toBeVisible();
  await page.getByRole('button', { name: "Add to the passport's key strategies (Sit near the front)" }).click();
  await expect(page.getByText('Added as a key strategy on the passport.')).toBeVisible();
  await page.getByRole('button', { name: 'Not taken up (Daily precision teaching)' }).click();
  await page.getByLabel('Why "Daily precision teaching" is not taken up').fill('Already has daily phonics');
  await page.getByRole('button', { name: 'Save the reason' }).click();
  await expect(page.getByText('2 of 3 recommendations used.')).toBeVisible();
  await expect(page.getByText(/^Not taken up on 15\/12\/2026: Already has daily phonics/)).toBeVisible();

  // The pupil page lists it; the plan shows which strategy came from which report.
  await page.getByRole('link', { name: 'Back to Amara Okafor' }).click();
  await expect(page.getByRole('region', { name: 'Referrals to agencies' }).getByRole('listitem'))
    .toHaveText([`Referral to ${AGENCY}: Report received, sent 02/11/2026; Report from ${AGENCY}, received 15/12/2026; 2 of 3 recommendations used`]);
  await h.expectNoAxeViolations(page, 'pupil page with a referral');
  await expect(page.getByRole('list', { name: 'Everything recorded, newest first' }))
    .toContainText(`Referral to ${AGENCY}: Sent on 02/11/2026`);
  await page.getByRole('link', { name: 'Plan 1', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Support plan 1: Amara Okafor' })).toBeVisible();
  const fromReports = page.getByRole('region', { name: 'From agency reports' });
  await expect(fromReports).toContainText('Use a reading ruler (as a strategy on the support plan)');
  await expect(fromReports.getByRole('link', { name: `Report from ${AGENCY}, received 15/12/2026` })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Strategies every adult should use' })).toContainText('Use a reading ruler');

  // Nothing left to chase; the agency's traded time shows the 3 hours used.
  await h.goTo(page, 'Home');
  await expect(dueItems(page, 'Referrals to chase')).toHaveCount(0);
  await page.getByRole('link', { name: /^Agencies:/ }).click();
  await expect(page.getByRole('row', { name: new RegExp(AGENCY) })).toContainText('9 hours left of 12 hours (3 hours used)');

  expect(problems).toEqual([]);
  h.expectOnlyOwnStaticFiles(requests, page.url());
});
