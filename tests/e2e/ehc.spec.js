// EHC plans (issue 16): a needs assessment request recorded through to the final plan (the
// status history gains E), an annual review scheduled, held and decided with its checklist,
// each step appearing on and leaving the home lists, the review report printed, and the
// calendar exported and read back: every event named by the case reference, never the pupil.
//
// The browser's clock is fixed at Wednesday 2 December 2026, 10:00, so every date is known.
const fs = require('fs');
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

const AVA = { forename: 'Ava', surname: 'Hughes', dob: '14/09/2015', year: '6' };

function dueList(page, heading) {
  return page.getByRole('heading', { level: 3, name: new RegExp(`^${heading}`) });
}

function dueItems(page, heading) {
  return dueList(page, heading).locator('xpath=following-sibling::*[1][self::ul]').getByRole('listitem');
}

async function openCase(page) {
  await h.openPupil(page, AVA);
  await page.getByRole('link', { name: 'Open the EHC case' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'EHC: Ava Hughes' })).toBeVisible();
}

async function goHome(page) {
  await h.goTo(page, 'Home');
}

/** The events of an .ics file: lines unfolded (RFC 5545 3.1), each VEVENT's properties. */
function parseIcs(text) {
  expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
  const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n').filter((l) => l !== '');
  const events = [];
  let current = null;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') current = {};
    else if (line === 'END:VEVENT') {
      events.push(current);
      current = null;
    } else if (current) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).split(';')[0];
      current[name] = line.slice(colon + 1);
    }
  }
  return events;
}

test('a request through to the final plan, an annual review held and decided, home lists and the calendar', async ({ page }) => {
  test.setTimeout(180_000);
  const problems = h.watchPage(page);
  const requests = h.recordRequests(page);
  await page.clock.setFixedTime(new Date('2026-12-02T10:00:00'));
  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  await h.addPupil(page, AVA);

  // A request received on 01/06/2026 with nothing back from the local authority: late.
  await openCase(page);
  await h.expectNoAxeViolations(page, 'EHC case, empty');
  await page.getByRole('button', { name: 'Record a needs assessment request' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Record a needs assessment request' })).toBeVisible();
  await page.getByLabel('Who made the request', { exact: true }).selectOption('parent');
  await page.getByLabel('Local authority', { exact: true }).fill('Northshire');
  await page.getByLabel('Date the local authority received it', { exact: true }).fill('01/06/2026');
  await page.getByLabel('Other evidence sent', { exact: true }).fill('Support plans 1 and 2 with their reviews\nEducational psychologist report');
  // A step before the one it follows is refused, beside its field, and nothing is lost.
  await page.getByLabel('Date the final plan was issued', { exact: true }).fill('02/11/2026');
  await page.getByRole('button', { name: 'Save the request' }).click();
  await expect(page.getByText('Record the draft plan first.').first()).toBeVisible();
  await expect(page.getByLabel('Local authority', { exact: true })).toHaveValue('Northshire');
  await page.getByLabel('Date the final plan was issued', { exact: true }).fill('');
  // A Christmas closure is not an exception.
  await page.getByLabel('Exception', { exact: true }).selectOption('school-closure');
  await page.getByLabel('Why it applies', { exact: true }).fill('Christmas holiday');
  await page.getByLabel('First day it covers', { exact: true }).fill('19/12/2026');
  await page.getByLabel('Last day it covers', { exact: true }).fill('03/01/2027');
  await page.getByRole('button', { name: 'Save the request' }).click();
  await expect(page.getByText(/This covers 16 days\. Only a closure or absence of 4 weeks/).first()).toBeVisible();
  await h.expectNoAxeViolations(page, 'request form with errors');
  await page.getByLabel('Exception', { exact: true }).selectOption('');
  await page.getByLabel('Why it applies', { exact: true }).fill('');
  await page.getByLabel('First day it covers', { exact: true }).fill('');
  await page.getByLabel('Last day it covers', { exact: true }).fill('');
  await page.getByRole('button', { name: 'Save the request' }).click();
  await expect(page.getByText('The request is saved.')).toBeVisible();
  await expect(page.getByText('Case reference EHC-0001')).toBeVisible();
  await expect(page.getByText('The local authority is 142 days past a statutory limit.')).toBeVisible();

  await goHome(page);
  await expect(dueItems(page, 'Needs assessment requests past a statutory limit')).toContainText([
    'Ava Hughes: EHC-0001: Request: local authority decides whether to assess: due 13/07/2026, the local authority is 142 days late',
  ]);
  await expect(dueItems(page, 'Needs assessment requests past a statutory limit')).toContainText([
    /Request: final plan issued: due 19\/10\/2026, the local authority is 44 days late/,
  ]);
  await h.expectNoAxeViolations(page, 'home with EHC lists');

  // The steps as they happened, through to the final plan 14 days late.
  await dueItems(page, 'Needs assessment requests').first().getByRole('link', { name: 'Ava Hughes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'EHC: Ava Hughes' })).toBeVisible();
  await page.getByRole('button', { name: 'Update this request' }).click();
  await page.getByLabel('Will the local authority assess?', { exact: true }).selectOption('yes');
  await page.getByLabel('Date of the decision to assess or not', { exact: true }).fill('10/07/2026');
  await page.getByLabel('Date the school was asked for advice', { exact: true }).fill('13/07/2026');
  await page.getByLabel('Date the school sent its advice', { exact: true }).fill('20/08/2026');
  await page.getByLabel('Date the draft plan was issued', { exact: true }).fill('05/10/2026');
  await page.getByLabel('Date the final plan was issued', { exact: true }).fill('02/11/2026');
  await page.getByRole('button', { name: 'Save the request' }).click();
  await expect(page.getByText(/The final plan is recorded: the SEN status history has E from its date/)).toBeVisible();
  const timeline = page.getByRole('table', { name: 'Timeline' });
  await expect(timeline.getByRole('row', { name: /Final plan issued/ })).toContainText('Done 14 days late');
  await expect(timeline.getByRole('row', { name: /Parents' comments on the draft due/ })).toContainText('19/10/2026');

  // The timeline prints on its own, for the parents or a complaint.
  await page.getByRole('button', { name: 'Print the timeline of this request' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Timeline of this request: Ava Hughes' })).toBeVisible();
  await expect(page.getByText('The local authority is 14 days past a statutory limit.')).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: 'Print', exact: true })).toBeHidden();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  await page.emulateMedia({ media: 'screen' });
  await page.getByRole('button', { name: 'Back to the case' }).click();

  // The plan was started from the request: its details are filled in.
  await expect(page.getByText('EHC plan issued') .or(page.getByRole('heading', { name: 'EHC plan' })).first()).toBeVisible();
  await page.getByRole('button', { name: 'Edit the EHC plan' }).click();
  await expect(page.getByLabel('Date the plan was issued', { exact: true })).toHaveValue('02/11/2026');
  await page.getByLabel('Case officer', { exact: true }).fill('J. Okafor');
  await page.getByLabel('Section B: needs, in summary', { exact: true }).fill('Speech, language and communication needs.');
  await page.getByLabel('Section E: outcomes', { exact: true }).fill('Follows a two-step instruction in class | End of Year 6\nReads 100 common words | End of Year 6');
  await page.getByLabel('Section F: provision', { exact: true }).fill('Speech and language programme | 90 | 3 times a week | Trained TA');
  await page.getByLabel('Top-up funding', { exact: true }).fill('02/11/2026 | Band C');
  await page.getByRole('button', { name: 'Save the EHC plan' }).click();
  await expect(page.getByText('The EHC plan is saved.')).toBeVisible();
  await expect(page.getByText('Follows a two-step instruction in class (by End of Year 6)')).toBeVisible();
  await expect(page.getByText('Band C', { exact: true })).toBeVisible();
  // Year 6: the phase transfer, and the review date that meets it already passed.
  await expect(page.getByText('Phase transfer: Primary to secondary school')).toBeVisible();
  await expect(page.getByText(/due by 15\/02\/2027\. Hold the review by 23\/11\/2026/)).toBeVisible();
  await h.expectNoAxeViolations(page, 'EHC case with a plan');

  // The status history gained E from the final plan's date, with its reason.
  await page.getByRole('link', { name: 'Back to Ava Hughes' }).click();
  await expect(h.pupilHeading(page, AVA)).toBeVisible();
  await expect(page.getByText('Final EHC plan issued by Northshire').first()).toBeVisible();
  await expect(page.getByText(/EHC plan \(E\)/).first()).toBeVisible();
  await expect(page.getByText('EHC-0001: EHC plan issued 02/11/2026 by Northshire.')).toBeVisible();

  // Section E outcomes become support plan outcomes with one press.
  await page.getByRole('button', { name: 'Start a new plan', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Edit support plan 1: Ava Hughes' })).toBeVisible();
  await page.getByText('Add outcomes from the EHC plan (section E)').click();
  await page.getByRole('button', { name: 'Add outcome from the EHC plan: Reads 100 common words' }).click();
  await expect(page.getByLabel('What the pupil will achieve', { exact: true }).last()).toHaveValue('Reads 100 common words');
  await expect(page.getByLabel('What the pupil will achieve', { exact: true }).last()).toBeFocused();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('Plan 1 was not made: nothing was saved.')).toBeVisible();

  await goHome(page);
  await expect(dueList(page, 'Needs assessment requests past a statutory limit')).toHaveCount(0);
  await expect(dueItems(page, 'Phase transfers at risk')).toHaveText([
    /^Ava Hughes: EHC-0001: Primary to secondary school: review by 23\/11\/2026, amended plan by 15\/02\/2027; no review is scheduled/,
  ]);
  // An E pupil is not "without an active plan": their plan is the EHC plan.
  await expect(dueList(page, 'SEN support or EHC plan, but no active plan')).toHaveCount(0);

  // An annual review, held on Monday 30/11/2026: its back-planned steps are overdue.
  await dueItems(page, 'Phase transfers at risk').getByRole('link', { name: 'Ava Hughes' }).click();
  await page.getByRole('button', { name: 'Schedule an annual review' }).click();
  await page.getByLabel('Meeting date', { exact: true }).fill('30/11/2026');
  await page.getByRole('button', { name: 'Schedule the review' }).click();
  await expect(page.getByText('The annual review is scheduled for 30/11/2026. Its checklist is below.')).toBeVisible();
  const checklist = page.getByRole('table', { name: 'Checklist' });
  await expect(checklist.getByRole('row', { name: /Ask professionals for advice/ })).toContainText('21/09/2026');
  await expect(checklist.getByRole('row', { name: /Invite everyone/ })).toContainText('05/10/2026');
  await expect(checklist.getByRole('row', { name: /Send the papers/ })).toContainText('16/11/2026');

  await goHome(page);
  await expect(dueItems(page, 'EHC steps overdue')).toHaveCount(4);
  await expect(dueItems(page, 'EHC steps overdue').first()).toContainText('EHC-0001: Review: ask professionals for advice: due 21/09/2026 (72 days ago)');
  await dueItems(page, 'EHC steps overdue').first().getByRole('link', { name: 'Ava Hughes' }).click();
  for (const step of ['Ask professionals for advice', 'Invite everyone', 'Send the papers']) {
    await page.getByRole('button', { name: `Mark done today: ${step}` }).click();
    await expect(page.getByText(`Marked done today: ${step}.`)).toBeVisible();
  }
  await expect(checklist.getByRole('row', { name: /Invite everyone/ })).toContainText('Done 58 days late');

  // The meeting recorded: who came, views, progress, the recommendation.
  await page.getByRole('button', { name: 'Record the review' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Record the annual review' })).toBeVisible();
  await page.getByLabel('Who was invited, and who attended', { exact: true }).fill('Mrs Hughes | parent | attended\nAva Hughes | pupil | attended\nDr Shah | health');
  await page.getByLabel("The pupil's views", { exact: true }).fill('Ava is looking forward to secondary school.');
  await page.getByLabel("Parents' views", { exact: true }).fill('Worried about the move.');
  await page.getByLabel('Progress: Follows a two-step instruction in class', { exact: true }).fill('Does so with a visual prompt.');
  await page.getByLabel("The school's recommendation", { exact: true }).selectOption('amend');
  await page.getByRole('button', { name: 'Save the review' }).click();
  await expect(page.getByText('Say which sections to amend and why, or why the plan should cease.').first()).toBeVisible();
  await page.getByLabel('Sections to amend and why, or why the plan should cease', { exact: true }).fill('Section I: name the secondary school.');
  await h.expectNoAxeViolations(page, 'annual review form');
  await page.getByRole('button', { name: 'Save the review' }).click();
  await expect(page.getByText('The review is saved.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Annual review meeting 30/11/2026 (held)' })).toBeVisible();

  await goHome(page);
  await expect(dueList(page, 'EHC steps overdue')).toHaveCount(0);
  await expect(dueItems(page, 'EHC steps due in the next 14 days')).toHaveText([
    /^Ava Hughes: EHC-0001: Review: review report to the local authority: due 14\/12\/2026 \(in 12 days\)/,
  ]);

  // The local authority's decision, with proposed amendments: the amended plan's date follows.
  await dueItems(page, 'EHC steps due in the next 14 days').getByRole('link', { name: 'Ava Hughes' }).click();
  await page.getByRole('button', { name: 'Mark done today: Review report to the local authority' }).click();
  await expect(page.getByText('Marked done today: Review report to the local authority.')).toBeVisible();
  await page.getByRole('button', { name: 'Record the review' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Update the annual review' })).toBeVisible();
  await page.getByLabel('Decision', { exact: true }).selectOption('amend');
  await page.getByLabel('Date of the decision', { exact: true }).fill('02/12/2026');
  await page.getByLabel('Date the proposed amendments were sent', { exact: true }).fill('02/12/2026');
  await page.getByRole('button', { name: 'Save the review' }).click();
  await expect(page.getByText('The review is saved.')).toBeVisible();
  await expect(checklist.getByRole('row', { name: /Amended final plan/ })).toContainText('27/01/2027');
  await expect(page.getByText('Local authority\'s decision on 02/12/2026: Amend the plan')).toBeVisible();

  await goHome(page);
  await expect(dueList(page, 'EHC steps due in the next 14 days')).toHaveCount(0);
  await expect(dueList(page, 'EHC steps overdue')).toHaveCount(0);

  // The review report prints as a clean page.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'EHC', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'EHC plans' })).toBeVisible();
  const row = page.getByRole('row', { name: /Ava Hughes/ });
  await expect(row).toContainText('EHC-0001');
  await expect(row).toContainText('Review: amended final plan');
  await expect(row).toContainText('27/01/2027');
  await page.getByRole('button', { name: 'Pupil', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Pupil', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await h.expectNoAxeViolations(page, 'EHC page');
  await row.getByRole('link', { name: 'Ava Hughes' }).click();
  await page.getByRole('button', { name: 'Print the review report' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'EHC plan annual review report: Ava Hughes' })).toBeVisible();
  await expect(page.getByText('Mrs Hughes (Parent or carer); Ava Hughes (Pupil)')).toBeVisible();
  await expect(page.getByText('Invited but did not attend: Dr Shah (Health)')).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Does so with a visual prompt.' })).toBeVisible();
  await h.expectNoAxeViolations(page, 'review report');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: 'Print', exact: true })).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: 'EHC plan annual review report: Ava Hughes' })).toBeVisible();
  await page.emulateMedia({ media: 'screen' });
  await page.getByRole('button', { name: 'Back to the case' }).click();

  // The calendar: not encrypted, said so; read back, every event carries the reference only.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'EHC', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'EHC plans' })).toBeVisible();
  await expect(page.getByText('This file is not encrypted.')).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download the calendar file (.ics)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('senco-desk-ehc-2026-12-02.ics');
  const ics = fs.readFileSync(await download.path(), 'utf8');
  const events = parseIcs(ics);
  const byUid = new Map(events.map((e) => [e.UID, e]));
  expect(byUid.size).toBe(events.length);
  for (const event of events) {
    expect(event.SUMMARY).toMatch(/^EHC-0001: /);
    expect(event.UID).toMatch(/^[0-9a-f]{16}-[a-z0-9-]+@senco-desk$/);
  }
  const on = (summary) => events.filter((e) => e.SUMMARY === `EHC-0001: ${summary}`).map((e) => e.DTSTART);
  expect(on('Amended final plan')).toEqual(['20270127']);
  expect(on('Amended plan naming the next placement due')).toEqual(['20270215']);
  expect(on('Review meeting')).toEqual(['20261130']);
  for (const secret of ['Ava', 'Hughes', 'AH', '2015', 'Okafor', 'Shah', 'Northshire']) {
    expect(ics.includes(secret), `the calendar must not hold "${secret}"`).toBe(false);
  }
  await expect(page.getByText(/Calendar file made with \d+ dates\. It is not encrypted/)).toBeVisible();

  // Settings: the school's lead times (never under 2 weeks' notice) and termly plans for EHC
  // pupils, which brings Ava back to "no active plan".
  await h.goTo(page, 'Settings');
  await page.getByLabel('Weeks before the meeting to invite everyone', { exact: true }).fill('1');
  await page.getByRole('button', { name: 'Save EHC settings' }).click();
  await expect(page.getByText('Invitations and papers go at least 2 weeks before the meeting.').first()).toBeVisible();
  await page.getByLabel('Weeks before the meeting to invite everyone', { exact: true }).fill('6');
  await page.getByLabel('We also write termly SEN support plans for pupils with an EHC plan', { exact: true }).check();
  await page.getByRole('button', { name: 'Save EHC settings' }).click();
  await expect(page.getByText('Saved. Every EHC review\'s checklist now uses these.')).toBeVisible();
  await h.expectNoAxeViolations(page, 'settings with EHC reviews');
  await goHome(page);
  await expect(dueItems(page, 'SEN support or EHC plan, but no active plan')).toHaveText([/^Ava Hughes: EHC plan \(E\) since 02\/11\/2026/]);

  h.expectOnlyOwnStaticFiles(requests, page.url());
  expect(problems).toEqual([]);
});

test('a section F line linked to a provision shows the hours given against the hours specified', async ({ page }) => {
  test.setTimeout(180_000);
  const { setUpProvision, usualYear } = require('./provision_setup_steps');
  const problems = h.watchPage(page);
  await page.clock.setFixedTime(new Date('2026-12-02T10:00:00'));
  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  await h.addPupil(page, AVA);
  await setUpProvision(page, { year: usualYear(2026) });

  // The plan, entered straight from the letter: 60 minutes a week of a reading group.
  await openCase(page);
  await page.getByRole('button', { name: 'Record the EHC plan' }).click();
  await page.getByLabel('Local authority', { exact: true }).fill('Northshire');
  await page.getByLabel('Date the plan was issued', { exact: true }).fill('01/09/2026');
  await page.getByLabel('Section F: provision', { exact: true }).fill('Reading catch-up group | 60 | 2 × 30 minutes a week | TA');
  await page.getByRole('button', { name: 'Save the EHC plan' }).click();
  await expect(page.getByText('The EHC plan is saved.')).toBeVisible();
  // No provision on the map for Ava yet: nothing to link.
  await expect(page.getByRole('cell', { name: 'Not linked' })).toBeVisible();

  // The group on the provision map, Mondays and Wednesdays at 09:15 for 30 minutes.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Provision' }).click();
  await page.getByRole('link', { name: 'New provision' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New provision' })).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill('Reading catch-up group');
  await page.getByLabel('Broad area of need').selectOption({ label: 'Cognition and learning' });
  await page.getByLabel('Mrs Patel (Teaching assistant)').check();
  await page.getByLabel('Monday start times').fill('09:15');
  await page.getByLabel('Wednesday start times').fill('09:15');
  await page.getByLabel('Minutes a session').fill('30');
  await page.getByLabel('Start date').fill('07/09/2026');
  await page.getByLabel('End date').fill('18/12/2026');
  await page.getByRole('button', { name: 'Make provision' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reading catch-up group' })).toBeVisible();
  await page.getByLabel('Pupil', { exact: true }).selectOption({ label: 'Hughes, Ava' });
  await page.getByLabel('Joins on').fill('07/09/2026');
  await page.getByRole('button', { name: 'Add pupil' }).click();
  await expect(page.getByText('Pupil added to the provision.')).toBeVisible();
  // The week of 7 September: Monday delivered, Wednesday not (staff absent).
  await page.getByRole('link', { name: 'Record sessions' }).click();
  await page.getByLabel('Go to the week of (any day in it)').fill('8/9/26');
  await page.getByRole('button', { name: 'Show that week' }).click();
  const wednesday = page.getByRole('group', { name: /^Wed 09\/09\/2026 at 09:15/ });
  await wednesday.getByLabel('Not delivered').check();
  await wednesday.getByLabel('Why not').selectOption({ label: 'Staff absent' });
  await page.getByRole('button', { name: "Save this week's sessions" }).click();
  await expect(page.getByText('2 sessions recorded.')).toBeVisible();

  // Linked from the case: 30 minutes given of 60 specified in the one week it ran.
  await openCase(page);
  await page.getByLabel('Provision for: Reading catch-up group', { exact: true }).selectOption({ label: 'Reading catch-up group' });
  await page.getByRole('button', { name: 'Link', exact: true }).click();
  await expect(page.getByText('Linked to the provision map.')).toBeVisible();
  await expect(page.getByRole('cell', { name: /^Reading catch-up group: 30 min given of 1 h specified, over 1 week the provision ran since 01\/09\/2026$/ })).toBeVisible();
  await h.expectNoAxeViolations(page, 'EHC case with a linked provision');
  expect(problems).toEqual([]);
});
