// Issue 14, "Unlocking fast": key derivation (Argon2id, 64 MiB, three passes) runs in a Web
// Worker of its own, so the page keeps painting while it runs. The proof cannot flake on a
// busy machine: frames are counted while the key is derived (a derivation on the page's
// thread blocks every frame), and the app marks which way the key was derived.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

/** Counts animation frames (their times) and long tasks from now on. */
async function watchFrames(page) {
  await page.evaluate(() => {
    window.__frames = [];
    const tick = (t) => {
      window.__frames.push(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask' });
  });
}

/** The last measure `name`, the frames painted inside it and the marks of how keys were derived. */
async function during(page, name) {
  return page.evaluate((name) => {
    const all = performance.getEntriesByName(name);
    const m = all[all.length - 1];
    const end = m.startTime + m.duration;
    return {
      ms: m.duration,
      frames: window.__frames.filter((t) => t > m.startTime && t < end).length,
      // Reported, not asserted (a busy machine stretches any task): 0 = none over 50 ms.
      longestTask: Math.max(0, ...window.__longTasks
        .filter((t) => t.start + t.duration > m.startTime && t.start < end)
        .map((t) => t.duration)),
      inWorker: performance.getEntriesByName('senco:kdf-worker').length,
      onPage: performance.getEntriesByName('senco:kdf-main-thread').length,
    };
  }, name);
}

test('the key is derived in a worker: the page paints frames while Argon2 runs, and unlocks', async ({ page, baseURL }) => {
  const problems = h.watchPage(page);
  const requests = h.recordRequests(page);
  await h.createDesk(page);
  // Both keys of a new desk (passphrase and recovery key) came from the worker.
  expect(await page.evaluate(() => performance.getEntriesByName('senco:kdf-worker').length)).toBe(2);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Unlock your desk' })).toBeVisible();
  await watchFrames(page);

  // A wrong passphrase is still told apart, beside its field.
  await h.unlock(page, 'not the passphrase at all');
  await expect(page.getByText(/passphrase or recovery key is not right|not right/i).first()).toBeVisible({ timeout: 30_000 });

  await h.unlockOk(page);
  const unlock = await during(page, 'senco:derive-key');
  console.log(`unlock: key derived in ${unlock.ms.toFixed(0)} ms, ${unlock.frames} frames painted meanwhile, longest main-thread task ${unlock.longestTask.toFixed(0)} ms`);
  expect(unlock.onPage).toBe(0);
  expect(unlock.inWorker).toBe(2);
  // Argon2 at 64 MiB takes a few hundred milliseconds: on the page's thread no frame could
  // be painted meanwhile; in the worker the page paints on (about 60 a second).
  expect(unlock.ms).toBeGreaterThan(50);
  expect(unlock.frames).toBeGreaterThanOrEqual(3);

  // Changing the passphrase checks the current one and derives the new slot's key, both in
  // the worker, and the new passphrase opens the desk.
  await h.goTo(page, 'Settings');
  await watchFrames(page);
  await page.getByLabel('Current passphrase').fill(h.PASSPHRASE);
  await page.getByLabel('New passphrase', { exact: true }).fill('orange kettle dancing harbour');
  await page.getByLabel('New passphrase again').fill('orange kettle dancing harbour');
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(page.getByText(/^Passphrase changed/)).toBeVisible({ timeout: 30_000 });
  expect(await page.evaluate(() => performance.getEntriesByName('senco:kdf-worker').length)).toBe(4);
  await page.reload();
  await h.unlockOk(page, 'orange kettle dancing harbour');
  expect(problems).toEqual([]);
  // The worker loads only the site's own files, and nothing is sent anywhere.
  const paths = requests.map((r) => new URL(r.url).pathname);
  expect(paths).toContain('/kdf-worker.js');
  expect(paths).toContain('/senco-desk-kdf_bg.wasm');
  h.expectOnlyOwnStaticFiles(requests, baseURL);
});

test('if the worker cannot be started the key is derived on the page, and the desk still unlocks', async ({ page }) => {
  await h.createDesk(page);
  // A host that does not serve the worker's file.
  await page.route('**/kdf-worker.js', (route) => route.fulfill({ status: 404, body: '' }));
  await page.reload();
  await h.unlockOk(page);
  const marks = await page.evaluate(() => ({
    inWorker: performance.getEntriesByName('senco:kdf-worker').length,
    onPage: performance.getEntriesByName('senco:kdf-main-thread').length,
  }));
  expect(marks).toEqual({ inWorker: 0, onPage: 1 });
});
