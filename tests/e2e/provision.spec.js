// Issue 15's journey: term dates and two staff; a group provision made from a pupil's
// plan; a second pupil added; a week of sessions recorded with one not delivered; entry
// and exit measures; then the provision page, the pupil's cost against the threshold, the
// map, its print and its CSV, each showing the figures worked out by hand below.
//
// The browser's clock is fixed at Wednesday 2 December 2026, 10:00, so "to date" and
// "projected" are the same on any day the suite runs.
//
// By hand: the provision runs Mondays and Wednesdays at 09:15 for 30 minutes, 7 September
// to 18 December 2026. Mondays: 15, less the INSET day on 2 November = 14; Wednesdays: 15.
// Planned: 29 sessions = 14.5 hours. Mrs Patel, a teaching assistant at the role rate of
// £14.37 an hour: a session costs 30/60 × £14.37 = £7.185. One session delivered (Monday
// 7 September); Wednesday 9 September not delivered (staff absent).
//   Cost to date: £7.185 → £7.19. Projected: the delivered one and the 4 planned after
//   today (7, 9, 14 and 16 December): 5 × £7.185 = £35.925 → £35.93.
//   Each of the two pupils' share: half of each session: to date £3.5925 → £3.59,
//   projected 5 × £3.5925 = £17.9625 → £17.96, which is 75% or more of a £20.00 threshold.
//   Mira's reading age 7y 2m on 07/09/2026, 7y 9m on 30/11/2026: 7 months gained in
//   84 days = 2.76 months: ratio gain 2.5.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');
const { setUpProvision, usualYear } = require('./provision_setup_steps');
const fs = require('fs');

const ROLL = [
  'UPN,Surname,Forename,Preferred Forename,DOB,NC Year,Reg Group,Gender,SEN Status,Primary Need',
  'B801200005001,Okafor,Amira,Mira,14/05/2018,Year 3,3A,F,K - SEN Support,SLCN',
  ',Brown,Chloe,,01/09/2018,3,3A,F,N,',
  ',Shah,Dev,,02/10/2018,3,3B,M,K - SEN Support,SPLD',
].join('\r\n');

const mira = { forename: 'Mira', surname: 'Okafor' };

test('a group provision from a plan: sessions, measures, cost against the threshold, the map, its print and CSV', async ({ page }) => {
  test.setTimeout(180_000);
  await page.clock.setFixedTime(new Date('2026-12-02T10:00:00'));
  const problems = h.watchPage(page);
  await h.createDesk(page);
  await h.importRoll(page, ROLL);

  // Term dates (an INSET day on Monday 2 November), two staff, and a low threshold.
  await setUpProvision(page, { year: usualYear(2026) });
  await page.getByLabel('Threshold a pupil a year, in pounds').fill('20');
  await page.getByRole('button', { name: 'Save budget settings' }).click();
  await expect(page.getByLabel('Threshold a pupil a year, in pounds')).toHaveValue(/^20(\.00)?$/);

  // Mira's plan names the group; the plan's row is made into a provision.
  await h.openPupil(page, mira);
  await page.getByRole('button', { name: 'Start a new plan', exact: true }).click();
  await page.getByLabel('Start date').fill('07/09/2026');
  await page.getByRole('button', { name: 'Add provision' }).click();
  await page.getByLabel('What', { exact: true }).fill('Reading catch-up group');
  await page.getByLabel('Who', { exact: true }).fill('Teaching assistant');
  await page.getByLabel('How often').fill('2 × 30 minutes a week');
  await page.getByLabel('Review date').fill('18/12/2026');
  await page.getByRole('button', { name: 'Save plan' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Support plan 1: Mira Okafor' })).toBeVisible();
  await page.getByRole('link', { name: /^Make a provision from this/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New provision' })).toBeVisible();
  await expect(page.getByText("Made from Mira Okafor's support plan")).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Reading catch-up group');
  await h.expectNoAxeViolations(page, 'new provision');
  // Refused without dates, everything typed kept.
  await page.getByLabel('Broad area of need').selectOption({ label: 'Cognition and learning' });
  await page.getByLabel('Mrs Patel (Teaching assistant)').check();
  await page.getByLabel('Monday start time').fill('09:15');
  await page.getByLabel('Wednesday start time').fill('9.15');
  await page.getByLabel('Start date').fill('07/09/2026');
  await page.getByRole('button', { name: 'Make provision' }).click();
  await expect(page.getByRole('alert')).toContainText("Enter Wednesday's start time");
  await expect(page.getByLabel('Wednesday start time')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Monday start time')).toHaveValue('09:15');
  await page.getByLabel('Wednesday start time').fill('09:15');
  await page.getByLabel('End date').fill('18/12/2026');
  await page.getByLabel('Intended outcome').fill('Reading age up by six months');
  await page.getByRole('button', { name: 'Make provision' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reading catch-up group' })).toBeVisible();
  const pupils = page.getByRole('table', { name: 'Pupils in this provision' });
  await expect(pupils.getByRole('row')).toHaveCount(2);
  await expect(pupils.getByRole('row', { name: /Okafor, Mira \(Amira\)/ })).toContainText('From 07/09/2026');

  // A second pupil, not on the register, joins on the same day.
  await page.getByLabel('Pupil', { exact: true }).selectOption({ label: 'Brown, Chloe' });
  await page.getByLabel('Joins on').fill('07/09/2026');
  await page.getByRole('button', { name: 'Add pupil' }).click();
  await expect(pupils.getByRole('row')).toHaveCount(3);
  await h.expectNoAxeViolations(page, 'provision page');

  // The week of 7 September: Monday delivered to both, Wednesday not (staff absent).
  await page.getByRole('link', { name: 'Record sessions' }).click();
  await page.getByLabel('Go to the week of (any day in it)').fill('8/9/26');
  await page.getByRole('button', { name: 'Show that week' }).click();
  await expect(page.getByText('Week beginning 07/09/2026')).toBeVisible();
  const monday = page.getByRole('group', { name: /^Mon 07\/09\/2026 at 09:15/ });
  const wednesday = page.getByRole('group', { name: /^Wed 09\/09\/2026 at 09:15/ });
  await expect(monday.getByLabel('Delivered', { exact: true })).toBeChecked();
  await expect(monday.getByLabel('Okafor, Mira (Amira)')).toBeChecked();
  await expect(monday.getByLabel('Brown, Chloe')).toBeChecked();
  await wednesday.getByLabel('Not delivered').check();
  await wednesday.getByLabel('Why not').selectOption({ label: 'Staff absent' });
  await h.expectNoAxeViolations(page, 'record sessions');
  await page.getByRole('button', { name: "Save this week's sessions" }).click();
  await expect(page.getByText('2 sessions recorded.')).toBeVisible();
  // A second save from the same screen (a correction) is its own, not "another tab's".
  await wednesday.getByLabel('Why not').selectOption({ label: 'Trip' });
  await page.getByRole('button', { name: "Save this week's sessions" }).click();
  await expect(page.getByText('1 session recorded.')).toBeVisible();

  // Mira's entry and exit measures and rating.
  await page.getByRole('link', { name: 'Back to the provision' }).click();
  await pupils.getByRole('link', { name: 'Okafor, Mira (Amira)' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mira Okafor in Reading catch-up group' })).toBeVisible();
  const entry = page.getByRole('group', { name: 'Entry measure' });
  const exit = page.getByRole('group', { name: 'Exit measure' });
  await entry.getByLabel('What was measured').selectOption({ label: 'Reading age (years and months)' });
  await entry.getByLabel('Result').fill('7y 2m');
  await entry.getByLabel('Date taken').fill('07/09/2026');
  await exit.getByLabel('What was measured').selectOption({ label: 'Reading age (years and months)' });
  await exit.getByLabel('Result').fill('7y 9m');
  await exit.getByLabel('Date taken').fill('01/09/2026');
  await page.getByLabel('Outcome rating, against the intended outcome').selectOption('1');
  await h.expectNoAxeViolations(page, 'a pupil in a provision');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toContainText('The exit measure must be taken on or after the entry measure');
  await exit.getByLabel('Date taken').fill('30/11/2026');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reading catch-up group' })).toBeVisible();

  // The provision page: delivered against planned, the cost and how it was made, impact with n.
  const miraRow = pupils.getByRole('row', { name: /Okafor, Mira \(Amira\)/ });
  await expect(miraRow).toContainText('Reading age 7y 2m on 07/09/2026');
  await expect(miraRow).toContainText('Ratio gain 2.5 (7 months gained in 2.8 months)');
  await expect(miraRow).toContainText('1 of 29 planned in all (0.5 hours of 14.5 hours)');
  await expect(miraRow).toContainText('+1: more than expected');
  await expect(miraRow).toContainText('£3.59 to date, £17.96 projected this year');
  await expect(page.getByText('1 delivered of 29 planned in all (0.5 hours of 14.5 hours).')).toBeVisible();
  await expect(page.getByText('To date: 1 delivered, 1 not delivered, 2 of 25 planned sessions recorded.')).toBeVisible();
  const cost = page.getByRole('region', { name: 'Cost' });
  await expect(cost.getByRole('definition').first()).toHaveText('£7.19');
  await expect(cost.getByRole('definition').nth(1)).toHaveText('£35.93');
  await cost.getByText('How this was worked out').click();
  await expect(cost).toContainText('Each session: 30 minutes of Mrs Patel at £14.37 an hour = £7.19. Delivered: 1 session (0.5 hours).');
  await expect(cost).toContainText('Okafor, Mira (Amira), this year: £3.59 to date: 1 delivered session while in it, each £7.19 shared by 2; then 4 planned after today, shared by 2. Projected: £17.96.');
  const impact = page.getByRole('region', { name: 'Impact' });
  await expect(impact).toContainText('Only 1 pupil with both measures: too few to judge the provision by.');
  await expect(impact).toContainText('Median ratio gain 2.5, from 2.5 to 2.5 (n = 1).');
  await expect(impact).toContainText('Against the intended outcome (n = 1): 1 exceeded, 0 met, 0 fell short.');

  // The pupils as CSV: the same figures, a rating of +1 kept as text by the formula guard.
  const [pupilsCsv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download pupils as CSV' }).click(),
  ]);
  expect(pupilsCsv.suggestedFilename()).toBe('provision-2026-12-02.csv');
  expect(fs.readFileSync(await pupilsCsv.path(), 'utf8')).toContain(
    '"Okafor, Mira (Amira)",From 07/09/2026,Reading age 7y 2m on 07/09/2026,Reading age 7y 9m on 30/11/2026,'
    + "Ratio gain 2.5 (7 months gained in 2.8 months),1 of 29 planned in all (0.5 hours of 14.5 hours),'+1: more than expected,"
    + '"£3.59 to date, £17.96 projected this year"',
  );

  // A provision prints on A4 portrait with the school's name and the date.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByText('Printed 02/12/2026').first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Record sessions' }).or(page.getByRole('link', { name: 'Record sessions' }))).toBeHidden();
  const portrait = (await page.pdf({ preferCSSPageSize: true })).toString('latin1').match(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/);
  expect([Math.round(Number(portrait[1])), Math.round(Number(portrait[2]))]).toEqual([595, 842]);
  await page.emulateMedia({ media: 'screen' });

  // The plan shows the provision's entry, exit and attendance for Mira beside its row.
  await h.openPupil(page, mira);
  const pupilProvision = page.getByRole('table', { name: 'Provision' });
  await expect(pupilProvision).toContainText('Reading catch-up group');
  await expect(page.getByTestId('pupil-provision-cost')).toHaveText(
    'Additional cost this year (01/09/2026 to 31/08/2027): £17.96 against the notional SEN budget threshold of £20.00. This is 75% of the threshold or more.',
  );
  await expect(page.getByRole('list', { name: 'Everything recorded, newest first' })).toContainText('Reading catch-up group: exit measure, Reading age 7y 9m on 30/11/2026');

  // The map for Year 3 in the autumn term: Dev (SEN support, nothing) stands out.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Provision' }).click();
  const list = page.getByRole('table', { name: 'Provisions' });
  await expect(list.getByRole('row', { name: /Reading catch-up group/ })).toContainText('Median ratio gain 2.5 (n = 1)');
  await expect(list.getByRole('row', { name: /Reading catch-up group/ })).toContainText('£7.19');
  await h.expectNoAxeViolations(page, 'provisions');
  await page.getByRole('link', { name: 'Provision map' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Provision map' })).toBeVisible();
  await page.getByLabel('Year group or class').selectOption({ label: 'Year 3' });
  await page.getByLabel('Period').selectOption({ label: 'Autumn 2026 to 2027' });
  const map = page.getByRole('table', { name: 'Provision map' });
  await expect(map.getByRole('row')).toHaveCount(4);
  await expect(map.getByRole('row', { name: /Okafor, Mira/ })).toContainText('Reading catch-up group (60 min a week)');
  await expect(map.getByRole('row', { name: /Okafor, Mira/ })).toContainText('£17.96');
  await expect(map.getByRole('row', { name: /Brown, Chloe/ })).toContainText('£17.96');
  await expect(map.getByRole('row', { name: /Shah, Dev/ })).toContainText('No provision');
  await expect(page.getByText('1 pupil with SEN has no provision in this period')).toBeVisible();
  await expect(page.getByTestId('near-threshold')).toContainText('Okafor, Mira (Amira): £17.96 of £20.00');
  await h.expectNoAxeViolations(page, 'provision map');

  // The CSV has the same figures, with the formula guard on every cell.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download as CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('provision-map-2026-12-02.csv');
  const csv = fs.readFileSync(await download.path(), 'utf8');
  expect(csv).toContain('"Okafor, Mira (Amira)",SEN support (K),Reading catch-up group (60 min a week),60,17.96');
  expect(csv).toContain('"Shah, Dev",SEN support (K),None,0,0.00');

  // The print: A4 landscape, the school's name and the date, no navigation or filters.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  await expect(page.getByLabel('Year group or class')).toBeHidden();
  await expect(page.getByText('Printed 02/12/2026').first()).toBeVisible();
  await expect(page.getByText('Year 3, 01/09/2026 to 18/12/2026')).toBeVisible();
  // Printed (print media, as the browser prints): the page is A4 landscape, 842 × 595 points.
  const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
  const box = pdf.match(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/);
  expect(box, 'the PDF names its page size').not.toBeNull();
  expect([Math.round(Number(box[1])), Math.round(Number(box[2]))]).toEqual([842, 595]);
  await page.emulateMedia({ media: 'screen' });

  // Home: Dev has no provision this term.
  await h.goTo(page, 'Home');
  await expect(page.getByRole('region', { name: 'Provision' })).toContainText('On SEN support with no provision this term (1)');
  await expect(page.getByRole('region', { name: 'Provision' })).toContainText('Dev Shah: On SEN support with no provision in Autumn');
  expect(problems).toEqual([]);
});

// A year group of 30 with SEN: the map shows its first rows at once and the rest over the
// next few frames, the table marked busy meanwhile. A quick change of year group while the
// rows are still coming must never mix the two year groups' pupils.
test('the map of a large year group draws every pupil, and a quick change of year group never mixes two', async ({ page }) => {
  test.setTimeout(120_000);
  const problems = h.watchPage(page);
  const header = 'UPN,Surname,Forename,Preferred Forename,DOB,NC Year,Reg Group,Gender,SEN Status,Primary Need';
  const year4 = Array.from({ length: 30 }, (_, i) => `,Fourth${String(i + 1).padStart(2, '0')},Pupil,,01/02/2017,4,4A,F,K - SEN Support,SLCN`);
  const year5 = Array.from({ length: 3 }, (_, i) => `,Fifth${i + 1},Pupil,,01/02/2016,5,5A,M,K - SEN Support,SEMH`);
  await h.createDesk(page);
  await h.importRoll(page, [header, ...year4, ...year5].join('\r\n'));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Provision' }).click();
  await page.getByRole('link', { name: 'Provision map' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Provision map' })).toBeVisible();
  const scope = page.getByLabel('Year group or class');
  const map = page.getByRole('table', { name: 'Provision map' });

  await scope.selectOption({ label: 'Year 4' });
  // Every one of the 30, in order, and a header row; then the table is no longer busy.
  await expect(map.getByRole('row')).toHaveCount(31);
  await expect(map).not.toHaveAttribute('aria-busy', /.*/);
  await expect(map.getByRole('row').nth(1)).toContainText('Fourth01, Pupil');
  await expect(map.getByRole('row').nth(30)).toContainText('Fourth30, Pupil');
  await expect(map.getByRole('row', { name: /Fourth/ }).filter({ hasText: 'No provision' })).toHaveCount(30);
  await expect(page.getByText('30 pupils with SEN have no provision in this period')).toBeVisible();
  await h.expectNoAxeViolations(page, 'provision map of a large year group');

  // Year 5 chosen in the same task as Year 4, so Year 4's later rows are still to come.
  await page.evaluate(() => {
    const select = document.querySelector('#map-scope');
    const choose = (label) => {
      select.value = [...select.options].find((o) => o.text === label).value;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    };
    choose('Year 5');
    choose('Year 4');
    requestAnimationFrame(() => setTimeout(() => choose('Year 5'), 0));
  });
  await expect(map.getByRole('row')).toHaveCount(4);
  await expect(map).not.toHaveAttribute('aria-busy', /.*/);
  // Long enough for any of Year 4's batches still waiting to have landed.
  await page.evaluate(() => new Promise((r) => { let n = 0; const f = () => (++n > 10 ? r() : requestAnimationFrame(f)); f(); }));
  await expect(map.getByRole('row')).toHaveCount(4);
  await expect(map).not.toContainText('Fourth');
  expect(problems).toEqual([]);
});
