// Issue 13, points 3, 7 and 10: telling pupils apart in every list, passports for a
// class, and a timeline that shows each event once.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

// Two Mia Joneses in one class (cousins), a pupil known by a preferred name, and a
// classmate not on the SEN register.
const ROLL = [
  'UPN,Surname,Forename,Preferred Forename,DOB,NC Year,Reg Group,Gender,SEN Status,Primary Need,Secondary Need',
  ',Jones,Mia,,03/04/2018,3,3A,F,K - SEN Support,SLCN,',
  ',Jones,Mia,,09/11/2018,3,3A,F,K - SEN Support,SPLD,',
  ',Smith,Alfred,Alfie,14/05/2018,3,3A,M,K - SEN Support,SLCN,SEMH',
  ',Brown,Chloe,,01/09/2018,3,3A,F,N,,',
].join('\r\n');

function register(page) {
  return page.getByRole('table', { name: /SEN register/ });
}

test('point 3: cousins with one name in one class are told apart in the register and the passports list', async ({ page }) => {
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await h.importRoll(page, ROLL);
  await h.goTo(page, 'Pupils');
  const names = register(page).getByRole('rowheader');
  await expect(register(page).getByRole('link', { name: 'Jones, Mia (born 03/04/2018)', exact: true })).toBeVisible();
  await expect(register(page).getByRole('link', { name: 'Jones, Mia (born 09/11/2018)', exact: true })).toBeVisible();
  // The legal name beside a different preferred one.
  await expect(register(page).getByRole('link', { name: 'Smith, Alfie (Alfred)', exact: true })).toBeVisible();
  expect(new Set(await names.allTextContents()).size).toBe(await names.count());

  // Passports for class 3A: only pupils on the SEN register are missing one, each distinguishable.
  await h.openPupil(page, { forename: 'Chloe', surname: 'Brown' });
  await page.getByRole('link', { name: 'Write the passport' }).click();
  await page.getByRole('link', { name: 'Print passports for a class or year' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Print pupil passports' })).toBeVisible();
  await page.getByLabel('Class or year group').selectOption({ label: 'Class 3A' });
  await page.getByText(/3 pupils on the SEN register without a passport/).click();
  const without = page.getByRole('list', { name: 'Pupils on the SEN register without a passport' });
  // Same names in date-of-birth order.
  await expect(without.getByRole('link')).toHaveText(['Mia Jones (born 03/04/2018)', 'Mia Jones (born 09/11/2018)', 'Alfie Smith']);
  await expect(without).not.toContainText('Chloe Brown');
  await h.expectNoAxeViolations(page, 'passports for a class');
  expect(problems).toEqual([]);
});

test('point 3: adding a pupil with the same name and date of birth asks first, and nothing typed is lost', async ({ page }) => {
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await h.importRoll(page, ROLL);
  await h.goTo(page, 'Pupils');
  await h.submitNewPupil(page, { forename: 'Mia', surname: 'Jones', dob: '03/04/2018', year: '3' });
  const ask = page.getByRole('alert').filter({ hasText: 'already on the desk' });
  await expect(ask).toContainText('A pupil with this name and date of birth is already on the desk: Mia Jones (born 03/04/2018). Add anyway?');
  await expect(ask.getByRole('link', { name: 'Mia Jones (born 03/04/2018)' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Add a pupil' })).toBeVisible();
  await expect(page.getByLabel('Legal forename', { exact: true })).toHaveValue('Mia');
  await expect(page.getByLabel('Date of birth', { exact: true })).toHaveValue('03/04/2018');
  await h.expectNoAxeViolations(page, 'same pupil asked');
  await ask.getByRole('button', { name: 'Add anyway' }).click();
  // Now two Mia Joneses share a date of birth and neither has a UPN: the page says so.
  await expect(page.getByRole('heading', { level: 1, name: 'Mia Jones (born 03/04/2018, no UPN)' })).toBeVisible();
  await h.goTo(page, 'Pupils');
  await h.showWholeRoll(page);
  const mias = h.rollTable(page).getByRole('link', { name: /^Jones, Mia/ });
  await expect(mias).toHaveCount(3);
  expect((await mias.allTextContents()).sort()).toEqual([
    'Jones, Mia (born 03/04/2018, no UPN)',
    'Jones, Mia (born 03/04/2018, no UPN)',
    'Jones, Mia (born 09/11/2018)',
  ]);
  expect(problems).toEqual([]);
});

test('point 7: a printed passport uses the preferred name and plain words for needs; a setting leaves needs out', async ({ page }) => {
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await h.importRoll(page, ROLL);
  await h.openPupil(page, { forename: 'Alfie', surname: 'Smith' });
  await page.getByRole('link', { name: 'Write the passport' }).click();
  await page.getByRole('button', { name: 'Write the passport' }).click();
  await page.getByLabel('About me', { exact: true }).fill('I like trains.');
  await page.getByRole('button', { name: 'Save passport' }).click();
  await expect(page.getByText('The pupil passport is saved.')).toBeVisible();
  const sheet = page.getByRole('article', { name: /^Pupil passport: Alfie Smith/ });
  await page.emulateMedia({ media: 'print' });
  await expect(sheet.getByRole('heading', { level: 2 })).toHaveText('Alfie Smith');
  await expect(sheet).toContainText('Needs: Speech, language and communication; Social, emotional and mental health');
  for (const jargon of ['SLCN', 'SEMH', 'communication needs', 'Alfred']) {
    await expect(sheet).not.toContainText(jargon);
  }
  await page.emulateMedia({ media: null });

  await h.goTo(page, 'Settings');
  const box = page.getByLabel('Leave needs out of printed passports', { exact: true });
  await expect(box).not.toBeChecked();
  await box.check();
  await page.getByRole('button', { name: 'Save passport setting' }).click();
  await expect(page.getByText('Saved. Printed passports leave needs out.')).toBeVisible();
  await h.expectNoAxeViolations(page, 'settings');
  // Kept in the sealed settings: still set after locking.
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await h.unlockOk(page);
  await h.goTo(page, 'Settings');
  await expect(page.getByLabel('Leave needs out of printed passports', { exact: true })).toBeChecked();
  await h.openPupil(page, { forename: 'Alfie', surname: 'Smith' });
  await page.getByRole('link', { name: 'View, print or update the passport' }).click();
  await expect(sheet).toContainText('I like trains.');
  await expect(sheet).not.toContainText('Speech, language');
  await expect(sheet).not.toContainText('Needs:');
  expect(problems).toEqual([]);
});

test('point 10: the timeline shows a change of needs once, with who recorded it', async ({ page }) => {
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await h.importRoll(page, ROLL);
  await h.openPupil(page, { forename: 'Alfie', surname: 'Smith' });
  await page.getByRole('button', { name: 'Change needs' }).click();
  await page.getByLabel('Type of need').nth(2).selectOption('ASD');
  await page.getByRole('button', { name: 'Save needs' }).click();
  await expect(page.locator('ol.needs > li')).toHaveCount(3);
  const timeline = page.getByRole('list', { name: 'Everything recorded, newest first' });
  await expect(timeline.getByRole('listitem').filter({ hasText: 'Need added: ASD, by SENCO.' })).toHaveCount(1);
  await expect(timeline).toContainText('Ranked needs: 1. SLCN, 2. SEMH, 3. ASD.');
  // No second line for the same save.
  await expect(timeline.getByRole('listitem').filter({ hasText: 'Changed' })).toHaveCount(0);
  await expect(timeline).not.toContainText('By SENCO: Needs');
  expect(problems).toEqual([]);
});
