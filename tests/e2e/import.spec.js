// The SEN register journey: import the roll from an MIS export with a few bad rows, fix the
// column mapping, confirm, then use the register, its summary and census check, open a
// pupil, record a concern and decide it; re-import, archive a leaver, export, erase.
const { test, expect } = require('@playwright/test');
const fs = require('fs');
const h = require('./helpers');

// A SIMS-style export with one heading the app cannot guess ("Birthday") and six kinds of row.
const ROLL = [
  'UPN,Legal Surname,Legal Forename,Preferred Forename,Birthday,NC Year,Reg Group,Gender,SEN Status,Primary Need,Secondary Need,FSM,EAL,In Care',
  'B801200005001,Okafor,Amira,Mira,14/05/2018,Year 3,3A,F,K - SEN Support,SLCN,SEMH,N,Y,N',
  'P207000016049,Adams,Benjamin,Ben,2017-02-03,Y4,4B,M,EHC Plan,Autistic spectrum disorder,,Y,N,N',
  'A801200005001,Brown,Chloe,,1/9/18,3,3A,F,N,,,N,N,N',
  ',Patel,Dev,,31/02/2018,3,3B,M,K,SPLD,,N,N,N',
  ',Jones,Ella,,12/12/2019,R,RA,F,SEN Support,XYZ,,N,N,Y',
  ',"O\'Brien, Jr",Finn,,05/06/2016,Year 5,5A,M,N,,,N,N,N',
  ',@Evil,Zed,,05/06/2016,Year 5,5A,M,N,,,N,N,N',
  'B801200005001,Okafor,Amira,Mira,14/05/2018,Year 3,3A,F,K - SEN Support,SLCN,SEMH,N,Y,N',
].join('\r\n');

async function chooseFile(page, name, text) {
  await page.getByLabel('Pupil export (CSV)').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await expect(page.getByRole('heading', { name: 'Check the columns' })).toBeVisible();
}

async function importFile(page, name, text) {
  await h.goTo(page, 'Pupils');
  await page.getByRole('link', { name: 'Import from your MIS' }).click();
  await expect(page.getByRole('heading', { name: 'Import from your MIS' })).toBeVisible();
  await chooseFile(page, name, text);
}

test('import a roll, fix the mapping, use the register, decide a concern', async ({ page }) => {
  const problems = h.watchPage(page);
  const requests = h.recordRequests(page);
  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  await page.getByRole('link', { name: 'Import from your MIS' }).click();
  await expect(page.getByRole('heading', { name: 'Import from your MIS' })).toBeVisible();
  await h.expectNoAxeViolations(page, 'import: choose');
  await chooseFile(page, 'roll.csv', ROLL);

  // Headings are matched automatically; "Birthday" is not, so the rows cannot be checked yet.
  await expect(page.getByLabel('Legal Surname')).toHaveValue('surname');
  await expect(page.getByLabel('NC Year')).toHaveValue('year-group');
  await expect(page.getByLabel('Birthday')).toHaveValue('');
  await h.expectNoAxeViolations(page, 'import: columns');
  await page.getByRole('button', { name: 'Check the rows' }).click();
  await expect(page.getByRole('alert')).toContainText('date of birth');
  await page.getByLabel('Birthday').selectOption({ label: 'Date of birth' });
  await page.getByRole('button', { name: 'Check the rows' }).click();

  await expect(page.getByRole('heading', { name: 'Check the import' })).toBeVisible();
  await expect(page.getByTestId('import-counts')).toHaveText(
    '8 rows in the file: 6 new, 0 updated, 0 unchanged, 2 with problems that will be skipped.');
  const bad = page.getByTestId('import-problems');
  await expect(bad.getByRole('row', { name: /^4 / })).toContainText('check letter');
  await expect(bad.getByRole('row', { name: /^4 / })).toContainText('Imported without this detail');
  await expect(bad.getByRole('row', { name: /^5 / })).toContainText('31/02/2018');
  await expect(bad.getByRole('row', { name: /^5 / })).toContainText('Row skipped');
  await expect(bad.getByRole('row', { name: /^6 .*Primary need/ })).toContainText('XYZ');
  // Ella, born 12/12/2019, is two years out of reception: flagged, imported as it is.
  await expect(bad.getByRole('row', { name: /^6 .*Date of birth/ })).toContainText('does not fit Reception');
  await expect(bad.getByRole('row', { name: /^6 .*Date of birth/ })).toContainText('Imported: check this');
  await expect(bad.getByRole('row', { name: /^9 / })).toContainText('Duplicate row');
  await h.expectNoAxeViolations(page, 'import: preview');
  // Nothing is written before the import is confirmed.
  await h.goTo(page, 'Pupils');
  await expect(page.getByRole('status').filter({ hasText: /No pupils/ })).toBeVisible();

  await page.getByRole('link', { name: 'Import from your MIS' }).click();
  await chooseFile(page, 'roll.csv', ROLL);
  await page.getByLabel('Birthday').selectOption({ label: 'Date of birth' });
  await page.getByRole('button', { name: 'Check the rows' }).click();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByTestId('import-done')).toContainText('6 pupils added');
  await page.getByRole('link', { name: 'Go to the register' }).click();

  // The register: everyone not N, with the summary and census check.
  const status = page.getByRole('status').filter({ hasText: /Showing|No pupils/ });
  await expect(status).toHaveText('Showing 1 to 3 of 3 pupils, sorted by name (A to Z).');
  const rows = page.getByRole('table', { name: /SEN register/ }).getByRole('row');
  await expect(rows.nth(1)).toContainText('Adams, Ben');
  await expect(rows.nth(1)).toContainText('EHC plan (E)');
  await expect(rows.nth(1)).toContainText('ASD');
  await expect(rows.nth(3)).toContainText('Okafor, Mira');
  await expect(rows.nth(3)).toContainText('SLCN');
  await expect(rows.nth(3)).toContainText('SEMH');
  await expect(rows.nth(3)).toContainText('EAL');
  await expect(page.getByTestId('register-summary')).toHaveText(
    'On roll: 6. Monitoring: 0 (0.0%). SEN support (K): 2 (33.3%). EHC plan (E): 1 (16.7%).');
  const census = page.getByTestId('census-check');
  await expect(census).toContainText('Jones, Ella');
  await expect(census).toContainText('Brown, Chloe');
  await expect(census).toContainText('A801200005001');
  await h.expectNoAxeViolations(page, 'register');

  // Filter and sort: the sort state is on the column header and in the status line.
  await page.getByRole('button', { name: 'More filters' }).click();
  await page.getByLabel('Type of need').selectOption('SLCN');
  await expect(status).toHaveText('Showing 1 to 1 of 1 pupil, sorted by name (A to Z).');
  await expect(page.getByRole('button', { name: 'More filters (1 in use)' })).toHaveAttribute('aria-expanded', 'true');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByRole('button', { name: 'Year', exact: true }).click();
  await expect(page.getByRole('columnheader', { name: /Year/ })).toHaveAttribute('aria-sort', 'ascending');
  await expect(status).toContainText('sorted by year (ascending)');
  await expect(rows.nth(1)).toContainText('Jones, Ella');
  await page.getByRole('button', { name: 'Year', exact: true }).click();
  await expect(page.getByRole('columnheader', { name: /Year/ })).toHaveAttribute('aria-sort', 'descending');
  await expect(rows.nth(1)).toContainText('Adams, Ben');
  await page.getByLabel('Show the whole roll').check();
  await expect(status).toContainText('of 6 pupils');
  await page.getByRole('searchbox', { name: 'Search by name or UPN' }).fill('chloe');
  await expect(status).toContainText('1 to 1 of 1 pupil');

  // The whole roll, as filtered, as CSV: a name starting with @ cannot become a formula.
  await page.getByRole('searchbox', { name: 'Search by name or UPN' }).fill('');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download this list as CSV' }).click(),
  ]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  expect(csv.split('\r\n')[0]).toBe('\ufeffName,UPN,Year,Class,SEN status,Census code,Primary need,Secondary need,Flags,Archived');
  expect(csv).toContain('"\'@Evil, Zed"');
  expect(csv).toContain('"Okafor, Mira (Amira)",B801200005001,3,3A,SEN support (K),K,SLCN,SEMH,EAL,');
  expect(csv.trim().split('\r\n')).toHaveLength(7);

  // Open a pupil, record a concern and decide it: the status follows the decision.
  await page.getByRole('table', { name: /whole roll/ }).getByRole('link', { name: 'Brown, Chloe' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Chloe Brown' })).toBeVisible();
  await h.expectNoAxeViolations(page, 'pupil page');
  await page.getByRole('button', { name: 'Record a concern' }).click();
  await expect(page.getByRole('heading', { name: 'Record a concern about Chloe Brown' })).toBeVisible();
  await page.getByRole('button', { name: 'Save concern' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter who raised the concern');
  await page.getByLabel('Name or role of the person who raised it').fill('Mrs Patel, Year 3 teacher');
  await page.getByLabel('Area of need').selectOption({ label: 'Communication and interaction' });
  await page.getByLabel('What was seen').fill('Struggles to follow two-step instructions.');
  await h.expectNoAxeViolations(page, 'concern form');
  await page.getByRole('button', { name: 'Save concern' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Chloe Brown' })).toBeVisible();
  await expect(page.getByText('Open for 0 days')).toBeVisible();
  await page.getByRole('button', { name: /Record a decision/ }).click();
  await page.getByLabel('Decision', { exact: true }).selectOption({ label: 'SEN support' });
  await page.getByRole('button', { name: 'Save decision' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Decision recorded' })).toContainText('The status is now SEN support (K)');
  await expect(page.getByRole('table', { name: 'SEN status history, newest first' })).toContainText('SEN support (K)');
  await expect(page.getByRole('list', { name: 'Everything recorded, newest first' })).toContainText('Concern decided');
  await page.getByRole('button', { name: 'Add a note' }).click();
  await page.getByLabel('Note', { exact: true }).fill('Spoke to mum about the speech and language referral.');
  await page.getByRole('button', { name: 'Save note' }).click();
  await expect(page.getByRole('list', { name: 'Everything recorded, newest first' }).getByRole('listitem').first())
    .toContainText('Note: SENCO: Spoke to mum');

  await page.getByRole('link', { name: 'Back to pupils' }).click();
  await page.getByLabel('Show the whole roll').uncheck();
  await expect(status).toContainText('of 4 pupils');
  expect(problems).toEqual([]);
  h.expectOnlyOwnStaticFiles(requests, page.url());
});

test('importing the same file twice changes nothing; leavers are archived, then erased', async ({ page }) => {
  const problems = h.watchPage(page);
  await h.createDesk(page);
  const roll = ROLL.split('\r\n').slice(0, 4).join('\r\n').replace('Birthday', 'DOB');
  await importFile(page, 'roll.csv', roll);
  await page.getByRole('button', { name: 'Check the rows' }).click();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByTestId('import-done')).toContainText('3 pupils added');

  await importFile(page, 'roll.csv', roll);
  await page.getByRole('button', { name: 'Check the rows' }).click();
  await expect(page.getByTestId('import-counts')).toHaveText(
    '3 rows in the file: 0 new, 0 updated, 3 unchanged, 0 with problems that will be skipped.');
  await expect(page.getByRole('button', { name: 'Import', exact: true })).toBeDisabled();

  // A new full roll without Chloe: she is listed first, archived only when ticked.
  const without = roll.split('\r\n').slice(0, 3).join('\r\n').replace('Year 3', 'Year 4');
  await importFile(page, 'roll-2027.csv', without);
  await page.getByRole('button', { name: 'Check the rows' }).click();
  await expect(page.getByTestId('import-counts')).toContainText('0 new, 1 updated, 1 unchanged');
  await expect(page.getByTestId('import-leavers')).toHaveText('Brown, Chloe (Year 3)');
  await page.getByLabel('Also archive these 1 pupil as leavers').check();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByTestId('import-done')).toContainText('1 archived as leavers');

  await page.getByRole('link', { name: 'Go to the register' }).click();
  await page.getByLabel('Show the whole roll').check();
  await expect(page.getByRole('link', { name: 'Brown, Chloe' })).toHaveCount(0);
  await page.getByLabel('Include archived pupils').check();
  await page.getByRole('link', { name: 'Brown, Chloe' }).click();
  await expect(page.getByTestId('archived-banner')).toContainText('Keep until 01/09/2049');
  await expect(page.getByRole('button', { name: 'Edit details' })).toHaveCount(0);
  await h.expectNoAxeViolations(page, 'archived pupil');

  const before = Object.keys(await h.storedValues(page)).filter((k) => k.includes('pupil-')).length;
  await page.getByRole('button', { name: 'Erase completely' }).click();
  await expect(page.getByRole('heading', { name: 'Erase Chloe Brown completely?' })).toBeVisible();
  await page.getByLabel('Type Chloe Brown to confirm').fill('Chloe');
  await page.getByRole('button', { name: 'Erase this pupil' }).click();
  await expect(page.getByRole('alert')).toContainText('Type the pupil\'s name');
  await page.getByLabel('Type Chloe Brown to confirm').fill('chloe brown');
  await page.getByRole('button', { name: 'Erase this pupil' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Pupils' })).toBeVisible();
  const after = Object.keys(await h.storedValues(page)).filter((k) => k.includes('pupil-')).length;
  expect(after).toBe(before - 1);
  await page.reload();
  await h.unlockOk(page);
  await h.goTo(page, 'Pupils');
  await page.getByLabel('Show the whole roll').check();
  await page.getByLabel('Include archived pupils').check();
  await expect(page.getByRole('status').filter({ hasText: /Showing/ })).toContainText('of 2 pupils');
  await expect(page.getByRole('link', { name: 'Brown, Chloe' })).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('year-end rollover moves everyone up and archives the final year', async ({ page }) => {
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await importFile(page, 'roll.csv', ROLL.replace('Birthday', 'DOB'));
  await page.getByRole('button', { name: 'Check the rows' }).click();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByRole('link', { name: 'Go to the register' }).click();
  await page.getByRole('link', { name: 'Year-end rollover' }).click();
  await expect(page.getByRole('heading', { name: 'Year-end rollover' })).toBeVisible();
  await expect(page.getByLabel('The school\'s final year')).toHaveValue('5');
  await expect(page.getByTestId('rollover-moving')).toHaveText('4 pupils will move up a year group.');
  await h.expectNoAxeViolations(page, 'year end');
  // Zed stays on; Finn leaves.
  await page.getByLabel('@Evil, Zed (Year 5)').uncheck();
  await page.getByRole('button', { name: 'Roll over to the next year' }).click();
  await expect(page.getByTestId('rollover-done')).toHaveText('4 pupils moved up a year; 1 pupil archived as leavers.');
  await page.getByRole('link', { name: 'Go to the register' }).click();
  await page.getByLabel('Show the whole roll').check();
  await expect(page.getByRole('row', { name: /Okafor, Mira/ })).toContainText('Year 4');
  await expect(page.getByRole('row', { name: /Jones, Ella/ })).toContainText('Year 1');
  await expect(page.getByRole('row', { name: /Evil, Zed/ })).toContainText('Year 5');
  await expect(page.getByRole('row', { name: /Brien/ })).toHaveCount(0);
  // Run twice in one school year only on purpose.
  await page.getByRole('link', { name: 'Year-end rollover' }).click();
  await expect(page.getByTestId('rollover-warning')).toContainText('already done on');
  await page.getByRole('button', { name: 'Roll over to the next year' }).click();
  await expect(page.getByRole('alert')).toContainText('Tick the box above');
  await page.getByRole('link', { name: 'Cancel' }).click();
  await expect(page.getByRole('row', { name: /Okafor, Mira/ })).toContainText('Year 4');
  expect(problems).toEqual([]);
});

test('a pupil page records a back-dated status, re-ranked needs and a parent, keyboard-checked by axe', async ({ page }) => {
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await importFile(page, 'roll.csv', ROLL.split('\r\n').slice(0, 3).join('\r\n').replace('Birthday', 'DOB'));
  await page.getByRole('button', { name: 'Check the rows' }).click();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByRole('link', { name: 'Go to the register' }).click();
  await page.getByRole('table', { name: /SEN register/ }).getByRole('link', { name: 'Okafor, Mira' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mira Okafor' })).toBeVisible();

  // A status back-dated before the imported one: the history stays in order, no overlaps.
  await page.getByRole('button', { name: 'Record a status change' }).click();
  await h.expectNoAxeViolations(page, 'status form');
  await page.getByLabel('New status').selectOption({ label: 'Monitoring' });
  await page.getByLabel('From').fill('01/09/2025');
  await page.getByLabel('Why (optional)').fill('Teacher concern at start of Year 2');
  await page.getByRole('button', { name: 'Save status' }).click();
  const history = page.getByRole('table', { name: 'SEN status history, newest first' });
  await expect(history.getByRole('row')).toHaveCount(3);
  await expect(history.getByRole('row').nth(2)).toContainText('Monitoring');
  await expect(history.getByRole('row').nth(2)).toContainText('01/09/2025');
  await expect(history.getByRole('row').nth(1)).toContainText('SEN support (K)');
  await expect(history.getByRole('row').nth(1)).toContainText('Current');
  // A future date is refused next to nothing lost.
  await page.getByRole('button', { name: 'Record a status change' }).click();
  await page.getByLabel('New status').selectOption({ label: 'EHC plan (E)' });
  await page.getByLabel('From').fill('01/01/2099');
  await page.getByRole('button', { name: 'Save status' }).click();
  await expect(page.getByRole('alert')).toContainText('in the future');
  await expect(page.getByLabel('New status')).toHaveValue('E');
  await page.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('button', { name: 'Change needs' }).click();
  await h.expectNoAxeViolations(page, 'needs form');
  expect(problems).toEqual([]);
  await expect(page.getByLabel('Type of need').first()).toHaveValue('SLCN');
  await page.getByLabel('Type of need').nth(0).selectOption('ASD');
  await page.getByLabel('Type of need').nth(1).selectOption('SLCN');
  await page.getByLabel('Type of need').nth(2).selectOption('SEMH');
  await page.getByLabel('Description (optional)').nth(0).fill('Diagnosed by the paediatrician');
  await page.getByRole('button', { name: 'Save needs' }).click();
  const needs = page.locator('ol.needs > li');
  await expect(needs).toHaveCount(3);
  await expect(needs.nth(0)).toContainText('ASD');
  await expect(needs.nth(0)).toContainText('Diagnosed by the paediatrician');
  await expect(needs.nth(1)).toContainText('SLCN');
  // A need ranked twice is refused, and the form keeps its choices.
  await page.getByRole('button', { name: 'Change needs' }).click();
  await page.getByLabel('Type of need').nth(1).selectOption('ASD');
  await page.getByRole('button', { name: 'Save needs' }).click();
  await expect(page.getByRole('alert')).toContainText('listed twice');
  await page.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('button', { name: 'Add a parent or carer' }).click();
  await h.expectNoAxeViolations(page, 'contact form');
  await page.getByLabel('Name', { exact: true }).fill('Grace Okafor');
  await page.getByLabel('Relationship (optional)').fill('Mother');
  await page.getByLabel('Email').fill('grace@');
  await page.getByRole('button', { name: 'Save parent or carer' }).click();
  await expect(page.getByRole('alert')).toContainText('phone number');
  await expect(page.getByRole('alert')).toContainText('email address like');
  await page.getByLabel('Phone').fill('07700 900123');
  await page.getByLabel('Email').fill('grace@example.com');
  await page.getByRole('button', { name: 'Save parent or carer' }).click();
  await expect(page.getByRole('table', { name: 'Parents and carers' })).toContainText('Grace Okafor');
  await expect(page.getByRole('table', { name: 'Parents and carers' })).toContainText('07700 900123');

  // Everything survives locking and unlocking.
  await page.getByRole('button', { name: 'Lock' }).click();
  await h.unlockOk(page);
  await h.goTo(page, 'Pupils');
  await expect(page.getByRole('row', { name: /Okafor, Mira/ })).toContainText('ASD');
  await expect(page.getByRole('row', { name: /Okafor, Mira/ })).toContainText('SLCN');
  expect(problems).toEqual([]);
});

// Issue 13 point 1: a pupil on SEN support whose date of birth is mistyped (31/02/2016) in the
// export, with another pupil of the same name, and a row skipped for a missing year group.
const POINT_1 = [
  'UPN,Legal Surname,Legal Forename,Birthday,NC Year,Reg,SEN Status,Primary Need',
  'B801200005001,Okafor,Amara,31/02/2016,5,5A,K,SLCN',
  'P207000016049,Okafor,Amara,14/05/2016,5,5B,N,',
  'Q801200005002,Smith,Jo,02/02/2016,,5A,K,ASD',
].join('\r\n');

test('point 1: a mistyped date of birth never loses a pupil; the report lists every row; no leaver is offered', async ({ page }) => {
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await importFile(page, 'roll.csv', POINT_1);
  // "Reg" is the class; "Birthday" is chosen by hand once.
  await expect(page.getByLabel('Reg', { exact: true })).toHaveValue('class-name');
  await page.getByLabel('Birthday').selectOption({ label: 'Date of birth' });
  await page.getByRole('button', { name: 'Check the rows' }).click();
  await expect(page.getByTestId('import-counts')).toHaveText(
    '3 rows in the file: 2 new, 0 updated, 0 unchanged, 1 with problems that will be skipped.');
  await page.getByRole('button', { name: 'Import', exact: true }).click();

  // The finished screen lists each row with its line, pupil and reason.
  await expect(page.getByTestId('import-done')).toContainText('2 pupils added');
  const report = page.getByTestId('import-problems');
  const line2 = report.getByRole('row', { name: /^2 / });
  await expect(line2).toContainText('Okafor, Amara (UPN B801200005001)');
  await expect(line2).toContainText('Date of birth \u201c31/02/2016\u201d is not a date');
  await expect(line2).toContainText('Imported without this detail');
  const line4 = report.getByRole('row', { name: /^4 / });
  await expect(line4).toContainText('Smith, Jo');
  await expect(line4).toContainText('Year group is blank');
  await expect(line4).toContainText('Row skipped');
  await h.expectNoAxeViolations(page, 'import: finished with a report');

  // The report downloads as CSV with the same rows.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download the import report (CSV)' }).click(),
  ]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  expect(csv).toContain('Line,Pupil,UPN,Problem,What happened');
  expect(csv).toContain('2,"Okafor, Amara",B801200005001,');
  expect(csv).toContain('31/02/2016');
  expect(csv).toContain('4,"Smith, Jo",Q801200005002,');

  // The pupil is on the desk, flagged "to correct" in the census check, with no guessed age
  // and the status "on the register before" the import date, not "since".
  await page.getByRole('link', { name: 'Go to the register' }).click();
  const check = page.getByTestId('census-check');
  await expect(check.getByRole('heading', { name: 'Dates of birth to correct (1)' })).toBeVisible();
  await check.getByRole('link', { name: 'Okafor, Amara' }).click();
  await expect(h.summaryValue(page, 'Date of birth')).toContainText('Unknown (to correct)');
  const today = await page.evaluate(() => new Date().toLocaleDateString('en-GB'));
  await expect(h.summaryValue(page, 'SEN status')).toHaveText(
    `SEN support (K) on the register before ${today} (from the MIS)`);
  await expect(page.getByText(`since ${today}`)).toHaveCount(0);

  // The SENCO adds Jo by hand with the UPN from the skipped row.
  await h.goTo(page, 'Pupils');
  await h.addPupil(page, { forename: 'Jo', surname: 'Smith', dob: '02/02/2016', year: '5', upn: 'Q801200005002' });

  // The report stays on the import page.
  await page.getByRole('link', { name: 'Import from your MIS' }).click();
  await expect(page.getByRole('heading', { name: 'Your last import' })).toBeVisible();
  await expect(page.getByTestId('import-problems').getByRole('row', { name: /^2 / })).toContainText('31/02/2016');

  // Importing the same file again: the columns are remembered, nobody is a second Amara, and
  // neither Amara nor Jo (whose row is still skipped) is offered as a leaver.
  await chooseFile(page, 'roll.csv', POINT_1);
  await expect(page.getByLabel('Birthday')).toHaveValue('date-of-birth');
  await page.getByRole('button', { name: 'Check the rows' }).click();
  await expect(page.getByTestId('import-counts')).toHaveText(
    '3 rows in the file: 0 new, 0 updated, 2 unchanged, 1 with problems that will be skipped.');
  await expect(page.getByTestId('import-leavers')).toHaveCount(0);

  // Setting the date of birth later takes the pupil off the list.
  await h.goTo(page, 'Pupils');
  await page.getByTestId('census-check').getByRole('link', { name: 'Okafor, Amara' }).click();
  await page.getByRole('button', { name: 'Edit details' }).click();
  await expect(page.getByLabel('Date of birth', { exact: true })).toHaveValue('');
  await page.getByLabel('Date of birth', { exact: true }).fill('28/02/2016');
  await page.getByRole('button', { name: 'Save pupil' }).click();
  await expect(h.summaryValue(page, 'Date of birth')).toContainText('28/02/2016 (age 10)');
  await h.goTo(page, 'Pupils');
  await expect(page.getByRole('heading', { name: /Dates of birth to correct/ })).toHaveCount(0);
  expect(problems).toEqual([]);
});
