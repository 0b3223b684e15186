// Issue 14: a school intranet served over plain http is not a secure context, so the browser
// gives the app no crypto.subtle, navigator.locks or navigator.storage. The whole store
// (IndexedDB, the key worker, sealing in WebAssembly) must work without them.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

const port = Number(process.env.E2E_PORT || 8081);
const INTRANET = `http://senco.intranet.school:${port}`;
const AMARA = { forename: 'Amara', surname: 'Okafor', dob: '14/09/2017', year: '4' };

// The name resolves to the test server, but is not localhost: Chromium treats it as the
// insecure http origin a school's own server would be.
test.use({
  baseURL: INTRANET,
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
      `--host-resolver-rules=MAP senco.intranet.school 127.0.0.1`],
  },
});

test('over plain http on an intranet name the desk is made, saved, locked, unlocked and reloaded with nothing lost', async ({ page }) => {
  test.setTimeout(180_000);
  const problems = h.watchPage(page);
  await page.goto('/');
  const context = await page.evaluate(() => ({
    secure: window.isSecureContext,
    subtle: !!(window.crypto && window.crypto.subtle),
    locks: 'locks' in navigator,
    storage: 'storage' in navigator,
  }));
  expect(context).toEqual({ secure: false, subtle: false, locks: false, storage: false });

  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  await h.addPupil(page, AMARA);
  await h.openPupil(page, AMARA);
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await h.unlockOk(page);
  await page.reload();
  await h.unlockOk(page);
  await h.goTo(page, 'Pupils');
  await expect(page.getByText('On roll: 1.')).toBeVisible();
  await h.openPupil(page, AMARA);

  // Settings shows what it can without navigator.storage, and says so.
  await h.goTo(page, 'Settings');
  await expect(page.getByTestId('browser-storage-used')).toHaveText('This browser does not say (a desk served over plain http cannot ask).');
  await h.expectNoAxeViolations(page, 'settings on an insecure origin');
  // Sealed at rest here too.
  const everything = await h.storedText(page);
  for (const secret of ['Amara', 'Okafor', '2017-09-14']) {
    expect(everything.includes(secret), `${secret} found in the browser's storage`).toBe(false);
  }
  // The browser's own note that it ignores the server's COOP header on plain http is the
  // only thing it may say.
  expect(problems.filter((p) => !p.includes('Cross-Origin-Opener-Policy header has been ignored'))).toEqual([]);
});
