// Issue 13, point 2: auto-lock never throws away what is being typed. Playwright's clock
// moves time on; every draft is sealed (never plain text), offered back on the same page.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

const AMARA = { forename: 'Amara', surname: 'Okafor', dob: '14/09/2017', year: '4' };
const NOTE = "Spoke to mum at parents' evening: reading at home every night";

/** Sets the auto-lock time in Settings. */
async function setAutoLock(page, minutes) {
  await h.goTo(page, 'Settings');
  await page.getByLabel('Lock after this many minutes without use').fill(String(minutes));
  await page.getByRole('button', { name: 'Save auto-lock' }).click();
  await expect(page.getByText(`The desk now locks after ${minutes} minute`)).toBeVisible();
}

/** A desk with Amara, the given auto-lock time, open on her page. */
async function deskOnAmara(page, minutes) {
  await h.createDesk(page);
  if (minutes) await setAutoLock(page, minutes);
  await h.goTo(page, 'Pupils');
  await h.addPupil(page, AMARA);
  await h.openPupil(page, AMARA);
}

const lockButton = (page) => page.getByRole('button', { name: 'Lock', exact: true });
const unlockHeading = (page) => page.getByRole('heading', { name: 'Unlock your desk' });
const offer = (page) => page.getByRole('region', { name: 'Unsaved text' });

/** Every key and value in localStorage, sessionStorage and IndexedDB, the address and title. */
async function everythingStored(page) {
  return page.evaluate(async () => {
    const out = [location.href, document.title];
    for (const store of [localStorage, sessionStorage]) {
      for (let i = 0; i < store.length; i++) {
        const k = store.key(i);
        out.push(k, store.getItem(k));
      }
    }
    const dbs = indexedDB.databases ? await indexedDB.databases() : [];
    out.push(`indexedDB databases: ${dbs.length}`);
    return out.join('\n');
  });
}

async function draftKeys(page) {
  return Object.keys(await h.storedValues(page)).filter((k) => k.startsWith('senco-desk/draft/'));
}

/** Unlocks and waits for the page it returns to (not necessarily Home). */
async function unlockBack(page) {
  await h.unlock(page, h.PASSPHRASE);
  await expect(lockButton(page)).toBeVisible({ timeout: 30_000 });
}

test('point 2: a minute before auto-lock a warning with "Stay unlocked" appears, read out, and pressing it keeps the desk open', async ({ page }) => {
  await page.clock.install();
  const problems = h.watchPage(page);
  await deskOnAmara(page, 2);
  await page.getByRole('button', { name: 'Add a note' }).click();
  const note = page.getByLabel('Note', { exact: true });
  await note.click();

  await page.clock.fastForward(50_000);
  await expect(page.getByRole('alert').filter({ hasText: 'will lock in' })).toHaveCount(0);
  await page.clock.fastForward(15_000);
  const warning = page.getByRole('complementary', { name: 'Auto-lock' });
  await expect(warning.getByRole('alert')).toHaveText(/has not been used for a while and will lock in a minute/);
  // It does not take focus from the field being typed in.
  await expect(note).toBeFocused();
  await h.expectNoAxeViolations(page, 'auto-lock warning');

  await warning.getByRole('button', { name: 'Stay unlocked' }).click();
  await expect(warning).toHaveCount(0);
  await expect(note).toBeFocused();
  // A further 1 minute 50 seconds: 2 minutes 55 seconds since the form was used, but not
  // since "Stay unlocked".
  await page.clock.fastForward(110_000);
  await expect(h.pupilHeading(page, AMARA).or(page.getByRole('heading', { name: /Add a note/ }))).toBeVisible();
  await expect(unlockHeading(page)).toHaveCount(0);
  // Left alone, it still locks.
  await page.clock.fastForward(20_000);
  await expect(unlockHeading(page)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Senco Desk locked itself after 2 minutes without use.')).toBeVisible();
  expect(problems).toEqual([]);
});

test('point 2: typing, scrolling and moving focus count as use', async ({ page }) => {
  await page.clock.install();
  const problems = h.watchPage(page);
  await page.setViewportSize({ width: 900, height: 400 });
  await deskOnAmara(page, 1);
  await page.getByRole('button', { name: 'Add a note' }).click();
  const note = page.getByLabel('Note', { exact: true });
  await note.click();
  const stillOpen = async () => {
    await expect(page.getByRole('heading', { name: /Add a note about Amara Okafor/ })).toBeVisible();
    await expect(unlockHeading(page)).toHaveCount(0);
  };

  // Typing (dictation and paste type without key presses: input events only).
  await page.clock.fastForward(40_000);
  await note.fill('Typed with no key pressed');
  await page.clock.fastForward(30_000);
  await stillOpen();
  // Scrolling the page.
  await page.clock.fastForward(10_000);
  // The browser dispatches scroll at its next frame: wait for it before moving the clock on,
  // or the clock can outrun the event.
  const scrolled = await page.evaluate(() => new Promise((resolve) => {
    document.addEventListener('scroll', () => resolve(window.scrollY), { once: true, capture: true });
    window.scrollTo(0, document.body.scrollHeight);
  }));
  expect(scrolled).toBeGreaterThan(0);
  await page.clock.fastForward(30_000);
  await stillOpen();
  // Moving focus (a screen reader's virtual cursor moves focus without keys the page hears).
  await page.clock.fastForward(10_000);
  await page.evaluate(() => document.getElementById('note-date').focus());
  await page.clock.fastForward(30_000);
  await stillOpen();
  // Nothing at all: it locks, and the note is kept.
  await page.clock.fastForward(40_000);
  await expect(unlockHeading(page)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Your unsaved text is kept as an encrypted draft')).toBeVisible();
  expect(problems).toEqual([]);
});

test('point 2: text typed, then auto-lock, then unlock: back on the same page, the draft is offered and Restore fills the form; saving removes it', async ({ page }) => {
  await page.clock.install();
  const problems = h.watchPage(page);
  await deskOnAmara(page, 1);
  const pupilUrl = page.url();
  expect(new URL(pupilUrl).search).toMatch(/^\?id=[0-9a-f]+$/);
  await page.getByRole('button', { name: 'Add a note' }).click();
  await page.getByLabel('Written by', { exact: true }).fill('Mrs Patel');
  await page.getByLabel('Note', { exact: true }).fill(NOTE);
  // Kept within 2 seconds of typing, sealed.
  await page.clock.runFor(2_000);
  expect(await draftKeys(page)).toHaveLength(1);
  let stored = await everythingStored(page);
  for (const secret of ['reading at home', 'Mrs Patel', 'Okafor', 'Amara']) expect(stored).not.toContain(secret);

  await page.clock.fastForward(70_000);
  await expect(unlockHeading(page)).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.notice-area')).toHaveText(
    /Senco Desk locked itself after 1 minute without use\. Your records are safe\. Your unsaved text is kept as an encrypted draft/,
  );
  stored = await everythingStored(page);
  for (const secret of ['reading at home', 'Mrs Patel', 'Okafor', 'Amara']) expect(stored).not.toContain(secret);
  expect(await page.content()).not.toContain('reading at home');

  await unlockBack(page);
  await expect(h.pupilHeading(page, AMARA)).toBeVisible();
  expect(page.url()).toBe(pupilUrl);
  await expect(offer(page)).toContainText(/You have unsaved text from \d\d:\d\d on \d\d\/\d\d\/\d{4}\./);
  await h.expectNoAxeViolations(page, 'draft offer');
  await offer(page).getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByLabel('Note', { exact: true })).toHaveValue(NOTE);
  await expect(page.getByLabel('Written by', { exact: true })).toHaveValue('Mrs Patel');
  await page.getByRole('button', { name: 'Save note' }).click();
  await expect(h.pupilHeading(page, AMARA)).toBeVisible();
  await page.clock.runFor(2_000);
  expect(await draftKeys(page)).toEqual([]);
  // Saved, not offered again.
  await page.reload();
  await unlockBack(page);
  await expect(h.pupilHeading(page, AMARA)).toBeVisible();
  await expect(offer(page)).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('point 2: a reload returns to the page after unlocking and offers the draft; Cancel and Discard remove it', async ({ page }) => {
  const problems = h.watchPage(page);
  await deskOnAmara(page, 0);
  const pupilUrl = page.url();
  await page.getByRole('button', { name: 'Record a concern' }).click();
  await page.getByLabel('What was seen', { exact: true }).fill('Hides under the table at carpet time');
  await expect.poll(() => draftKeys(page), { timeout: 2_000 }).toHaveLength(1);
  await page.reload();
  await expect(unlockHeading(page)).toBeVisible({ timeout: 30_000 });
  expect(new URL(page.url()).pathname).toBe('/unlock');
  await unlockBack(page);
  expect(page.url()).toBe(pupilUrl);
  await offer(page).getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByLabel('What was seen', { exact: true })).toHaveValue('Hides under the table at carpet time');
  // Cancel discards it.
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect.poll(() => draftKeys(page)).toEqual([]);

  // Discard from the offer.
  await page.getByRole('button', { name: 'Record a concern' }).click();
  await page.getByLabel('What was seen', { exact: true }).fill('Another');
  await expect.poll(() => draftKeys(page), { timeout: 2_000 }).toHaveLength(1);
  await page.reload();
  await unlockBack(page);
  await offer(page).getByRole('button', { name: 'Discard' }).click();
  await expect(offer(page)).toHaveCount(0);
  expect(await draftKeys(page)).toEqual([]);
  expect(problems).toEqual([]);
});

test('point 2: Lock in another tab reloads this one, keeping its unsaved text as a draft', async ({ context }) => {
  const tabA = await context.newPage();
  await deskOnAmara(tabA, 0);
  const tabB = await context.newPage();
  const problems = h.watchPage(tabB);
  await tabB.goto(tabA.url());
  await unlockBack(tabB);
  await expect(h.pupilHeading(tabB, AMARA)).toBeVisible();
  await tabB.getByRole('button', { name: 'Add a note' }).click();
  await tabB.getByLabel('Note', { exact: true }).fill(NOTE);
  // At once: the lock keeps it, without waiting for the usual moment.
  await lockButton(tabA).click();
  await expect(unlockHeading(tabB)).toBeVisible();
  await expect(tabB.locator('.notice-area')).toHaveText(
    /Senco Desk was locked in another tab\. Your records are safe\. Your unsaved text is kept as an encrypted draft/,
  );
  await expect(unlockHeading(tabA)).toBeVisible();
  await expect(tabA.locator('.notice-area')).toContainText('Senco Desk is locked. Your records are safe.');
  // Tab A had nothing unsaved: its notice does not say otherwise.
  await expect(tabA.locator('.notice-area')).not.toContainText('draft');
  await unlockBack(tabB);
  await expect(h.pupilHeading(tabB, AMARA)).toBeVisible();
  await offer(tabB).getByRole('button', { name: 'Restore' }).click();
  await expect(tabB.getByLabel('Note', { exact: true })).toHaveValue(NOTE);
  expect(problems).toEqual([]);
});

test('point 2: after Lock the page is reloaded and no surname of the desk is left in its memory', async ({ page }) => {
  // The app's WebAssembly memory, as each load of the page starts it.
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => {
      window.__sencoMemory = e.detail.wasm.memory;
    });
  });
  const problems = h.watchPage(page);
  await deskOnAmara(page, 0);
  await page.getByRole('button', { name: 'Add a note' }).click();
  await page.getByLabel('Note', { exact: true }).fill(NOTE);
  const inMemory = (word) =>
    page.evaluate((word) => {
      const bytes = new Uint8Array(window.__sencoMemory.buffer);
      const find = (needle) => {
        outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
          for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
          return true;
        }
        return false;
      };
      const utf8 = new TextEncoder().encode(word);
      const utf16 = new Uint8Array(new Uint16Array([...word].map((c) => c.charCodeAt(0))).buffer);
      return find(utf8) || find(utf16);
    }, word);
  // The search can find it: the desk is open.
  expect(await inMemory('Okafor')).toBe(true);

  await page.evaluate(() => {
    window.__beforeLock = true;
  });
  await lockButton(page).click();
  await expect(unlockHeading(page)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Your unsaved text is kept as an encrypted draft')).toBeVisible();
  // A fresh page, with its own memory.
  await expect.poll(() => page.evaluate(() => !window.__beforeLock && !!window.__sencoMemory)).toBe(true);
  expect(await inMemory('Okafor')).toBe(false);
  expect(await inMemory('Amara')).toBe(false);
  expect(await inMemory('reading at home')).toBe(false);
  expect(problems).toEqual([]);
});

test('point 2: when storage is full the form keeps its text and says so; locking then keeps it in this tab', async ({ page }) => {
  const problems = h.watchPage(page);
  await deskOnAmara(page, 0);
  await page.getByRole('button', { name: 'Add a note' }).click();
  // Fill the rest of this site's storage.
  await page.evaluate(() => {
    let size = 1 << 20;
    let n = 0;
    while (size >= 16) {
      try {
        localStorage.setItem(`filler-${n}`, 'x'.repeat(size));
        n += 1;
      } catch {
        size = Math.floor(size / 2);
      }
    }
  });
  await page.getByLabel('Note', { exact: true }).fill(NOTE);
  await expect(page.getByText("Your unsaved text could not be kept as a draft, because the browser's storage is full.")).toBeVisible();
  await expect(page.getByLabel('Note', { exact: true })).toHaveValue(NOTE);

  await lockButton(page).click();
  await expect(unlockHeading(page)).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.notice-area')).toContainText('your unsaved text is kept, encrypted, in this tab only');
  await expect(page.locator('.notice-area')).not.toContainText('kept as an encrypted draft');
  // Room again (a backup downloaded, space freed); the text comes back.
  await page.evaluate(() => {
    for (const k of Object.keys(localStorage)) if (k.startsWith('filler-')) localStorage.removeItem(k);
  });
  await unlockBack(page);
  await expect(h.pupilHeading(page, AMARA)).toBeVisible();
  await offer(page).getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByLabel('Note', { exact: true })).toHaveValue(NOTE);
  expect(problems).toEqual([]);
});
