// What the SENCO sees when stored data is damaged or from a newer app: a plain message,
// the rest of the desk still open, and nothing written.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

async function deskWithTwoPupils(page) {
  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  await h.addPupil(page, { forename: 'Amara', surname: 'Okafor', dob: '14/09/2017', year: '4' });
  await h.addPupil(page, { forename: 'Ben', surname: 'Hughes', dob: '02/03/2019', year: '2' });
}

test('a damaged pupil file is named and the rest of the desk opens', async ({ page }) => {
  const problems = h.watchPage(page);
  await deskWithTwoPupils(page);
  await h.openPupil(page, { forename: 'Ben', surname: 'Hughes' });
  await page.getByRole('button', { name: 'Edit details' }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ben Hughes' })).toBeVisible();
  // Damage Ben's record: the key that changed most recently besides the roster and head.
  // (Locked from Home, so unlocking returns there, to the list of files that did not open.)
  await h.goTo(page, 'Home');
  const before = await h.storedValues(page);
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Unlock your desk' })).toBeVisible();
  const pupilKeys = Object.keys(before).filter((k) => k.startsWith('senco-desk/record/pupil-'));
  expect(pupilKeys).toHaveLength(2);
  // Flip characters in the middle of both candidates' ciphertext one at a time, to find Ben's.
  const v = before[pupilKeys[0]];
  const mid = Math.floor(v.length / 2);
  await h.setStored(page, pupilKeys[0], v.slice(0, mid) + (v[mid] === 'A' ? 'B' : 'A') + v.slice(mid + 1));
  await page.reload();
  const damagedAfter = await h.storedValues(page);
  await h.unlockOk(page);
  await expect(page.getByText('1 pupil file could not be opened')).toBeVisible();
  const list = page.getByRole('heading', { name: 'Pupil files that could not be opened' }).locator('..');
  await expect(list.getByRole('listitem')).toHaveCount(1);
  const damagedName = (await list.getByRole('listitem').textContent()).trim();
  expect(['Okafor, Amara', 'Hughes, Ben']).toContain(damagedName);
  await h.expectNoAxeViolations(page, 'home with a damaged file');
  await h.goTo(page, 'Pupils');
  await h.showWholeRoll(page);
  const other = damagedName === 'Okafor, Amara' ? /Hughes, Ben/ : /Okafor, Amara/;
  await expect(page.getByRole('row', { name: other })).toBeVisible();
  // Opening the desk wrote nothing.
  expect(await h.storedValues(page)).toEqual(damagedAfter);
  expect(problems).toEqual([]);
});

test('a damaged header or a newer format is explained and nothing is written', async ({ page }) => {
  const problems = h.watchPage(page);
  await deskWithTwoPupils(page);
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Unlock your desk' })).toBeVisible();
  const original = (await h.storedValues(page))['senco-desk/header'];

  expect(original).toContain('"version":5');
  await h.setStored(page, 'senco-desk/header', original.replace('"version":5', '"version":6'));
  await page.reload();
  await expect(page.getByRole('heading', { name: 'The desk cannot be opened' })).toBeVisible();
  await expect(page.getByText('saved by a newer version of Senco Desk (format 6)')).toBeVisible();
  await h.expectNoAxeViolations(page, 'newer format');
  // A newer desk only needs the app updated: it is never offered for replacing.
  await expect(page.getByRole('link', { name: 'Restore from a backup' })).toHaveCount(0);

  await h.setStored(page, 'senco-desk/header', '{"format":"senco-desk/store","version":1,"desk_id":');
  const damaged = await h.storedValues(page);
  await page.reload();
  await expect(page.getByText('The desk in this browser is damaged and cannot be opened')).toBeVisible();
  expect(await h.storedValues(page)).toEqual(damaged);

  // Put the header back: everything is still there.
  await h.setStored(page, 'senco-desk/header', original);
  await page.reload();
  await h.unlockOk(page);
  await h.goTo(page, 'Pupils');
  await h.showWholeRoll(page);
  await expect(h.rollTable(page).getByRole('row')).toHaveCount(3);
  expect(problems).toEqual([]);
});

test('a browser that blocks storage gets a plain explanation, not a blank page', async ({ page }) => {
  await page.addInitScript(() => {
    for (const name of ['localStorage', 'indexedDB']) {
      Object.defineProperty(window, name, {
        get() {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        },
      });
    }
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByRole('heading', { name: "Senco Desk cannot use this browser's storage" })).toBeVisible();
  await expect(page.getByText('This browser is not letting Senco Desk use its storage')).toBeVisible();
  await expect(page.getByText('not a private window')).toBeVisible();
  await h.expectNoAxeViolations(page, 'storage blocked');
  expect(errors).toEqual([]);
});
