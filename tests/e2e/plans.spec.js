// The graduated approach: write a support plan from the library, start it, review it,
// start the next cycle from the review, correct a reviewed plan, and watch the home
// screen's "What is due" lists change. Passports print one A4 page each.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

const ROLL = [
  'UPN,Surname,Forename,Preferred Forename,DOB,NC Year,Reg Group,Gender,SEN Status,Primary Need',
  'B801200005001,Okafor,Amira,Mira,14/05/2018,Year 3,3A,F,K - SEN Support,SLCN',
  'P207000016049,Adams,Benjamin,Ben,03/02/2017,Y4,4B,M,EHC Plan,ASD',
  ',Brown,Chloe,,01/09/2018,3,3A,F,N,',
].join('\r\n');

/** A date `days` from today as the app shows it, in the school's time zone. */
function ukDate(days = 0) {
  const d = new Date(Date.now() + days * 86_400_000);
  return d.toLocaleDateString('en-GB', { timeZone: 'Europe/London' });
}

async function goHome(page) {
  await h.goTo(page, 'Home');
}

/** The items of one "What is due" list, by its heading's start. */
function dueList(page, heading) {
  return page.getByRole('heading', { level: 3, name: new RegExp(`^${heading}`) });
}

function dueItems(page, heading) {
  return dueList(page, heading).locator('xpath=following-sibling::*[1][self::ul]').getByRole('listitem');
}

test('a plan written from the library is started, reviewed and carried into the next cycle; home lists follow', async ({ page }) => {
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await h.importRoll(page, ROLL);
  await goHome(page);

  // The K pupil waits for a plan; the E pupil's plan is their EHC plan (issue 16), so
  // they are not listed. The K pupil has had no parent meeting.
  await expect(dueList(page, 'SEN support or EHC plan, but no active plan')).toHaveText('SEN support or EHC plan, but no active plan (1)');
  await expect(dueItems(page, 'SEN support or EHC plan')).toHaveText([new RegExp(`^Mira Okafor: SEN support \\(K\\) on the register before ${ukDate()} \\(from the MIS\\)`)]);
  await expect(dueItems(page, 'Fewer than three meetings')).toHaveText([/^Mira Okafor: 0 of 3 meetings with parents recorded/]);
  await h.expectNoAxeViolations(page, 'home with what is due');
  // Dismissing an item hides it for a week, and says so.
  await page.getByRole('button', { name: /^Dismiss for a week: Mira Okafor, 0 of 3/ }).click();
  await expect(page.getByRole('status').or(page.getByText(/Dismissed for a week/)).first()).toContainText('Dismissed for a week');
  await expect(dueItems(page, 'Fewer than three meetings')).toHaveCount(0);
  await expect(page.getByText('1 item dismissed for a week.')).toBeVisible();
  await expect(dueList(page, 'Fewer than three meetings')).toBeFocused();

  // From the list to the pupil, and a new plan.
  await dueItems(page, 'SEN support or EHC plan').getByRole('link', { name: 'Mira Okafor' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mira Okafor' })).toBeVisible();
  await page.getByRole('button', { name: 'Start a new plan', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Edit support plan 1: Mira Okafor' })).toBeVisible();
  await expect(page.getByLabel('Start date')).toHaveValue(ukDate(0));
  await expect(page.getByLabel('SLCN – Speech, language and communication needs')).toBeChecked();

  // One press adds an outcome (with its success criteria) or a strategy from the library.
  await page.getByText('Add outcomes from the library').click();
  await page.getByRole('button', { name: 'Add outcome: Follow a two-part instruction in class' }).click();
  await expect(page.getByLabel('What the pupil will achieve')).toHaveValue('Follow a two-part instruction in class');
  await expect(page.getByLabel('What the pupil will achieve')).toBeFocused();
  await expect(page.getByLabel('Success criteria')).toHaveValue(/four out of five occasions/);
  await page.getByText('Add strategies from the library').click();
  await page.getByRole('button', { name: 'Add strategy: Use a visual timetable and show changes to the day in advance' }).click();
  await page.getByRole('button', { name: 'Add a strategy' }).click();
  await page.getByLabel('Strategy', { exact: true }).nth(1).fill('Sit near the door');
  await page.getByRole('button', { name: 'Add provision' }).click();
  await page.getByLabel('What', { exact: true }).fill('Talk Boost group');
  await page.getByLabel('Who', { exact: true }).fill('Teaching assistant');
  await page.getByLabel('How often').fill('3 × 20 minutes a week');
  await page.getByLabel("Parents' views").fill('Mira is happier when she knows what is next.');
  await page.getByLabel('Review date').fill(ukDate(7));
  // A target before the start is refused beside the field, and nothing typed is lost.
  await page.getByLabel('Target date (optional)').fill('01/01/2020');
  await h.expectNoAxeViolations(page, 'plan form');
  await page.getByRole('button', { name: 'Save plan' }).click();
  await expect(page.getByRole('alert')).toContainText("Outcome 1's target date must be on or after the plan's start");
  await expect(page.getByLabel('Target date (optional)')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Strategy', { exact: true }).nth(1)).toHaveValue('Sit near the door');
  await page.getByLabel('Target date (optional)').fill(ukDate(7));
  await page.getByRole('button', { name: 'Save plan' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Support plan 1: Mira Okafor' })).toBeVisible();
  await expect(page.getByText('Draft', { exact: true })).toBeVisible();
  await h.expectNoAxeViolations(page, 'plan view');
  await page.getByRole('button', { name: 'Start this plan' }).click();
  await expect(page.getByText('Plan 1 is now active.', { exact: false })).toBeVisible();
  expect(problems).toEqual([]);
  await expect(page.getByText('Active', { exact: true })).toBeVisible();
  await expect(page.getByText(`Plan 1 is now active. Its review is due on ${ukDate(7)}.`)).toBeVisible();

  // Home: the pupil no longer waits for a plan, and the review is coming up.
  await goHome(page);
  await expect(dueItems(page, 'SEN support or EHC plan')).toHaveCount(0);
  await expect(dueItems(page, 'Reviews due in the next 14 days')).toHaveText([
    new RegExp(`^Mira Okafor: Plan 1: review due ${ukDate(7).replace(/\//g, '\\/')} \\(in 7 days\\)`),
  ]);

  // The review: every outcome needs a decision; the cycle closes when it is saved.
  await dueItems(page, 'Reviews due').getByRole('link', { name: 'Mira Okafor' }).click();
  await page.getByRole('button', { name: 'Record the review' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Review of plan 1: Mira Okafor' })).toBeVisible();
  await page.getByLabel('Who attended').fill('Mrs Okafor (mum), Miss Jones (class teacher), SENCO');
  await page.getByLabel('Parents or carers attended').check();
  // Issue 13 point 8: no strategy starts as "worked"; each is a decision, like progress.
  for (const strategy of ['Strategy 1: Use a visual timetable', 'Strategy 2: Sit near the door']) {
    const group = page.getByRole('group', { name: new RegExp(`^${strategy}`) });
    await expect(group.getByLabel('Worked', { exact: true })).not.toBeChecked();
    await expect(group.getByLabel('Did not work')).not.toBeChecked();
  }
  await page.getByRole('button', { name: 'Save the review and close the cycle' }).click();
  await expect(page.getByRole('alert')).toContainText('Choose the progress on outcome 1');
  await expect(page.getByRole('alert')).toContainText('Say whether strategy 1 worked: Use a visual timetable');
  await expect(page.getByRole('alert')).toContainText('Say whether strategy 2 worked: Sit near the door');
  await h.expectNoAxeViolations(page, 'review form with an error');
  await page.getByRole('group', { name: /^Strategy 1:/ }).getByLabel('Worked', { exact: true }).check();
  await page.getByRole('group', { name: /^Strategy 2:/ }).getByLabel('Did not work').check();
  await page.getByRole('group', { name: /^Outcome 1:/ }).getByLabel('Partly achieved').check();
  await page.getByLabel('Evidence for outcome 1').fill('Follows two-part instructions in maths, not yet in PE.');
  await page.getByLabel('Next steps').fill('Keep the visual timetable; add PE.');
  await page.getByRole('button', { name: 'Save the review and close the cycle' }).click();
  await expect(page.getByText('Plan 1 is reviewed and its cycle is closed.')).toBeVisible();
  await expect(page.getByText('Reviewed', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Edit plan' })).toHaveCount(0);
  await expect(page.getByRole('listitem').filter({ hasText: 'Sit near the door' })).toContainText('(did not work)');

  // The next plan carries forward what was not achieved and what worked.
  await page.getByRole('button', { name: 'Start plan 2 from this review' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Edit support plan 2: Mira Okafor' })).toBeVisible();
  await expect(page.getByLabel('What the pupil will achieve')).toHaveValue('Follow a two-part instruction in class');
  await expect(page.getByLabel('Target date (optional)')).toHaveValue('');
  await expect(page.getByLabel('Strategy', { exact: true })).toHaveCount(1);
  await expect(page.getByLabel('Strategy', { exact: true })).toHaveValue('Use a visual timetable and show changes to the day in advance');
  await expect(page.getByLabel('What', { exact: true })).toHaveValue('Talk Boost group');
  await page.getByRole('button', { name: 'Save plan' }).click();
  await expect(page.getByText('Draft', { exact: true })).toBeVisible();

  // Home again: the review has gone, a parent meeting counts, the draft is waiting.
  await goHome(page);
  await expect(dueItems(page, 'Reviews due')).toHaveCount(0);
  await expect(dueItems(page, 'Fewer than three meetings')).toHaveText([/^Mira Okafor: 1 of 3 meetings with parents recorded/]);
  await expect(dueItems(page, 'SEN support or EHC plan')).toHaveText([/plan 2 is a draft/]);

  // A reviewed plan is read-only: a correction needs a reason and is recorded.
  await dueItems(page, 'SEN support or EHC plan').getByRole('link', { name: 'Mira Okafor' }).click();
  await page.getByRole('link', { name: 'Back to Mira Okafor' }).click();
  await page.getByRole('link', { name: 'Plan 1', exact: true }).click();
  await page.getByRole('button', { name: 'Correct this plan' }).click();
  await page.getByLabel('Strengths').fill('Loves drawing and building.');
  await page.getByRole('button', { name: 'Record the correction' }).click();
  await expect(page.getByRole('alert')).toContainText('Say why the reviewed plan is being corrected');
  await expect(page.getByLabel('Strengths')).toHaveValue('Loves drawing and building.');
  await page.getByLabel('Why is the plan being corrected?').fill('Strengths were left out by mistake.');
  await page.getByRole('button', { name: 'Record the correction' }).click();
  const corrections = page.getByRole('table').filter({ hasText: 'What changed' });
  await expect(corrections.getByRole('row')).toHaveCount(2);
  await expect(corrections.getByRole('row').nth(1)).toContainText('SENCO');
  await expect(corrections.getByRole('row').nth(1)).toContainText('strengths');
  await expect(corrections.getByRole('row').nth(1)).toContainText('Strengths were left out by mistake.');
  await expect(page.getByText('Loves drawing and building.')).toBeVisible();
  // The plan and its review print with the school's name and date, without the app around them.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByText(`Printed ${ukDate(0)}`)).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Correct this plan' })).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Review', exact: true })).toBeVisible();
  await page.emulateMedia({ media: null });

  // The pupil's timeline shows every change, who made it (by key slot) and what changed.
  await page.getByRole('link', { name: 'Back to Mira Okafor' }).click();
  const timeline = page.getByRole('list', { name: 'Everything recorded, newest first' });
  // Each event once: the change history's "who" is merged into the event it recorded.
  await expect(timeline).toContainText('Plan 1: 0 of 1 outcomes achieved or exceeded; parents attended, by SENCO.');
  await expect(timeline).toContainText('Plan 1 corrected by');
  await expect(timeline).not.toContainText('Support plan 1 reviewed');
  await expect(timeline).not.toContainText('Support plan 1 corrected');
  expect(problems).toEqual([]);
});

/** Pages in a PDF Chromium printed. */
function pageCount(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
}

async function writePassport(page, pupil, fill) {
  await h.openPupil(page, pupil);
  await page.getByRole('link', { name: 'Write the passport' }).click();
  await page.getByRole('button', { name: 'Write the passport' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Update pupil passport: ${pupil.forename} ${pupil.surname}` })).toBeVisible();
  await fill();
  await page.getByRole('button', { name: 'Save passport' }).click();
  await expect(page.getByText('The pupil passport is saved.')).toBeVisible();
}

test('a full passport prints on one A4 page, and a year group prints one page each', async ({ page }) => {
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await h.importRoll(page, ROLL);
  const mira = { forename: 'Mira', surname: 'Okafor' };
  const chloe = { forename: 'Chloe', surname: 'Brown' };
  const long = (words) => Array.from({ length: 200 }, (_, i) => words[i % words.length]).join(' ');
  await writePassport(page, mira, async () => {
    const sections = ['About me', 'What is important to me', 'What people like about me', 'What helps me', 'What does not help me'];
    for (const label of sections) {
      // The most each section allows: 400 characters.
      await page.getByLabel(label, { exact: true }).fill(long(['I', 'like', 'drawing', 'dinosaurs', 'and', 'quiet', 'places']).slice(0, 400));
    }
    // A section over the limit is refused beside it, with the reason.
    await page.getByLabel('About me', { exact: true }).fill('x'.repeat(401));
    await page.getByRole('button', { name: 'Save passport' }).click();
    await expect(page.getByRole('alert')).toContainText('"About me" is 401 characters: at most 400');
    await page.getByLabel('About me', { exact: true }).fill(long(['I', 'am', 'seven', 'and', 'love', 'my', 'dog']).slice(0, 400));
    await page.getByText('Add strategies from the library').click();
    await page.getByRole('button', { name: 'Add strategy: Say their name before giving an instruction' }).click();
    for (let i = 2; i <= 8; i++) {
      await page.getByRole('button', { name: 'Add a key strategy' }).click();
      await page.getByLabel('Key strategy').nth(i - 1).fill(`Strategy ${i}: ${'give me time to think and show me a picture '.repeat(4)}`.slice(0, 120));
    }
    await h.expectNoAxeViolations(page, 'passport form');
  });
  await expect(page.getByRole('article', { name: 'Pupil passport: Mira Okafor' })).toContainText('Say their name before giving an instruction');
  await h.expectNoAxeViolations(page, 'passport');

  // Printing: the school's name and the date, no app navigation, one A4 page.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print', exact: true })).toBeHidden();
  const sheet = page.getByRole('article', { name: 'Pupil passport: Mira Okafor' });
  await expect(sheet).toContainText(h.SCHOOL);
  await expect(sheet).toContainText(`Printed ${ukDate(0)}`);
  // page.pdf() prints with the media emulated: print, as a browser's Print does.
  const one = await page.pdf({ format: 'A4', printBackground: true });
  await page.emulateMedia({ media: null });
  expect(pageCount(one)).toBe(1);

  // A second pupil in Year 3, then every Year 3 passport at once: one page each.
  await writePassport(page, chloe, async () => {
    await page.getByLabel('About me', { exact: true }).fill('I am Chloe and I like horses.');
    await page.getByLabel('What helps me').fill('A quiet space to work.');
  });
  await page.getByRole('link', { name: 'Print passports for a class or year' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Print pupil passports' })).toBeVisible();
  await page.getByLabel('Class or year group').selectOption({ label: 'Year 3' });
  await expect(page.getByText('2 passports to print.')).toBeVisible();
  await expect(page.getByRole('article')).toHaveCount(2);
  await h.expectNoAxeViolations(page, 'print passports');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByLabel('Class or year group')).toBeHidden();
  const both = await page.pdf({ format: 'A4', printBackground: true });
  await page.emulateMedia({ media: null });
  expect(pageCount(both)).toBe(2);
  await page.getByLabel('Class or year group').selectOption({ label: 'Year 4' });
  await expect(page.getByText('0 passports to print.')).toBeVisible();
  await expect(page.getByText('1 pupil on the SEN register without a passport')).toBeVisible();
  expect(problems).toEqual([]);
});

test('the school edits its library and a plan offers the new entry', async ({ page }) => {
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await h.importRoll(page, ROLL);
  await goHome(page);
  await page.getByRole('link', { name: 'The strategy and outcome library for plans and passports' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Strategy and outcome library' })).toBeVisible();
  await h.expectNoAxeViolations(page, 'library');
  // The area must be chosen; a duplicate is refused by name.
  await page.getByLabel('Wording').fill('Use the wobble cushion at carpet time');
  await page.getByRole('button', { name: 'Add to the library' }).click();
  await expect(page.getByRole('alert')).toContainText('Choose the broad area of need');
  await page.getByLabel('Broad area of need').selectOption({ label: 'Sensory and/or physical' });
  await page.getByRole('button', { name: 'Add to the library' }).click();
  await expect(page.getByText('Added to the library.')).toBeVisible();
  await page.getByLabel('Broad area of need').selectOption({ label: 'Sensory and/or physical' });
  await page.getByLabel('Wording').fill('Use the wobble cushion at carpet time');
  await page.getByRole('button', { name: 'Add to the library' }).click();
  await expect(page.getByRole('alert')).toContainText('already in the library under Sensory and/or physical');
  await page.getByLabel('Wording').fill('');
  // Edit one of the examples and remove another.
  await page.getByRole('button', { name: 'Edit: Offer movement breaks between tasks' }).click();
  await expect(page.getByLabel('Wording')).toBeFocused();
  await page.getByLabel('Wording').fill('Offer a movement break every 20 minutes');
  await page.getByRole('button', { name: 'Save entry' }).click();
  await page.getByRole('button', { name: 'Remove: Provide a sloped board, pencil grip or adapted scissors' }).click();
  await expect(page.getByText('Removed from the library: Provide a sloped board')).toBeVisible();

  // Survives locking, and the plan form offers it.
  await page.getByRole('button', { name: 'Lock' }).click();
  await h.unlockOk(page);
  await h.openPupil(page, { forename: 'Mira', surname: 'Okafor' });
  await page.getByRole('button', { name: 'Start a new plan', exact: true }).click();
  await page.getByText('Add strategies from the library').click();
  await expect(page.getByRole('button', { name: 'Add strategy: Use the wobble cushion at carpet time' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add strategy: Offer a movement break every 20 minutes' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Add strategy: Provide a sloped board/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Add strategy: Offer movement breaks between tasks/ })).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('a plan or passport form refused because another tab saved first says why and keeps what was typed', async ({ context }) => {
  const tabA = await context.newPage();
  const problems = h.watchPage(tabA);
  await h.createDesk(tabA);
  await h.importRoll(tabA, ROLL);
  await h.openPupil(tabA, { forename: 'Mira', surname: 'Okafor' });
  await tabA.getByRole('button', { name: 'Start a new plan', exact: true }).click();
  await tabA.getByRole('button', { name: 'Save plan' }).click();
  await expect(tabA.getByRole('heading', { level: 1, name: 'Support plan 1: Mira Okafor' })).toBeVisible();
  const planUrl = tabA.url();

  const tabB = await context.newPage();
  problems.push(...h.watchPage(tabB));
  await tabB.goto(planUrl);
  await h.unlockOk(tabB);
  await h.openPupil(tabB, { forename: 'Mira', surname: 'Okafor' });
  await tabB.getByRole('link', { name: 'Plan 1', exact: true }).click();
  await expect(tabB.getByRole('heading', { level: 1, name: 'Support plan 1: Mira Okafor' })).toBeVisible();

  // A opens the form; B edits and saves first; A's save is refused and keeps A's text.
  await tabA.getByRole('button', { name: 'Edit plan' }).click();
  await tabA.getByLabel('Strengths').fill('Typed in tab A');
  await tabB.getByRole('button', { name: 'Edit plan' }).click();
  await tabB.getByLabel('Strengths').fill('Saved in tab B');
  await tabB.getByRole('button', { name: 'Save plan' }).click();
  await expect(tabB.getByText('Plan 1 is saved.')).toBeVisible();
  await tabA.getByRole('button', { name: 'Save plan' }).click();
  await expect(tabA.getByRole('alert', { name: 'There is a problem' })).toContainText('changed in another tab while this form was open');
  await expect(tabA.getByLabel('Strengths')).toHaveValue('Typed in tab A');
  await tabA.getByRole('button', { name: 'Cancel' }).click();
  await expect(tabA.getByText('Saved in tab B')).toBeVisible();

  // The same for the passport.
  await tabA.getByRole('link', { name: 'Back to Mira Okafor' }).click();
  await tabA.getByRole('link', { name: 'Write the passport' }).click();
  await tabA.getByRole('button', { name: 'Write the passport' }).click();
  await tabA.getByLabel('About me', { exact: true }).fill('Written in tab A');
  await tabB.getByRole('link', { name: 'Back to Mira Okafor' }).click();
  await tabB.getByRole('link', { name: 'Write the passport' }).click();
  await tabB.getByRole('button', { name: 'Write the passport' }).click();
  await tabB.getByLabel('About me', { exact: true }).fill('Written in tab B');
  await tabB.getByRole('button', { name: 'Save passport' }).click();
  await expect(tabB.getByText('The pupil passport is saved.')).toBeVisible();
  await tabA.getByRole('button', { name: 'Save passport' }).click();
  await expect(tabA.getByRole('alert', { name: 'There is a problem' })).toContainText('changed in another tab');
  await expect(tabA.getByLabel('About me', { exact: true })).toHaveValue('Written in tab A');
  expect(problems).toEqual([]);
});
