// The benchmark: loads generated desks into the release build in headless Chromium and
// prints the figures the README reports. Run through scripts/bench.sh.
const { chromium } = require('@playwright/test');
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const root = path.resolve(__dirname, '..');
let ORIGIN; // set once a free port is found
const COLD_LOADS = 5;
const SAVES = 50;
const FLOOR_RUNS = 9;
const BACKUP_RUNS = 5;
const HOME_EDITS = 15;
// localStorage's quota in Chromium, in UTF-16 units (measured at the end of every run).
const QUOTA_ASSUMED = 5_242_877;
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const say = (text) => console.error(`bench: ${text}`);
const ms = (x) => (x === null || x === undefined ? 'n/a' : `${x.toFixed(1)} ms`);

/** A port nothing is listening on, so a test server left running elsewhere cannot answer. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = require('net').createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${ORIGIN}/`);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('static server did not start');
}

function storageState(items) {
  return {
    cookies: [],
    origins: [{ origin: ORIGIN, localStorage: Object.entries(items).map(([name, value]) => ({ name, value })) }],
  };
}

/** localStorage's quota in this Chromium, in UTF-16 units of keys and values. */
async function measureQuota(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${ORIGIN}/`);
  const units = await page.evaluate(() => {
    localStorage.clear();
    let total = 0;
    let i = 0;
    for (let size = 1 << 22; size >= 1; ) {
      const key = `q${i}`;
      try {
        localStorage.setItem(key, 'x'.repeat(size));
        total += key.length + size;
        i++;
      } catch {
        size = Math.floor(size / 2);
      }
    }
    localStorage.clear();
    return total;
  });
  await context.close();
  return units;
}

/**
 * Acts on `handle` in the page (a click, or typing `text` into a field) and times, in the
 * page, how long until the wanted view is in the DOM and until the next frame after that.
 * Timing inside the page leaves out Playwright's own polling. `until` says what to wait
 * for: { heading } (the h1's text), optionally with { link } (a row link with that text
 * in the register) and { text } (an h2 or h3 with that text), or { settled: true } (the app's reactive updates have run: the first
 * macrotask after the action, since Leptos updates the DOM in microtasks).
 */
async function actAndTime(page, handle, action, until) {
  return page.evaluate(([element, action, until]) => new Promise((resolve, reject) => {
    const heading = () => document.querySelector('h1')?.textContent;
    const linked = (name) => [...document.querySelectorAll('tbody a')].some((a) => a.textContent.trim() === name);
    const titled = (text) => [...document.querySelectorAll('h2, h3')].some((h) => h.textContent.trim() === text);
    const done = () => (until.heading === undefined || heading() === until.heading)
      && (until.link === undefined || linked(until.link))
      && (until.text === undefined || titled(until.text));
    const t0 = performance.now();
    let dom = null;
    const finish = () => {
      dom = performance.now() - t0;
      requestAnimationFrame(() => setTimeout(() => resolve({ dom, painted: performance.now() - t0 }), 0));
    };
    if (until.settled) {
      const channel = new MessageChannel();
      channel.port1.onmessage = finish;
      if (action.type === 'type') {
        element.value = action.text;
        element.dispatchEvent(new Event('input', { bubbles: true }));
      } else if (action.type === 'select') {
        element.value = action.value;
        element.dispatchEvent(new Event('change', { bubbles: true }));
      } else {
        element.click();
      }
      channel.port2.postMessage(null);
      return;
    }
    const check = () => {
      if (dom !== null || !done()) return;
      observer.disconnect();
      clearTimeout(timer);
      finish();
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    const timer = setTimeout(() => {
      observer.disconnect();
      const problem = document.querySelector('[role=alert], .error-summary')?.textContent ?? '';
      reject(new Error(`${JSON.stringify(until)} not shown 30 s after ${action.type} on "${element.textContent.trim() || element.id}" ${problem}`));
    }, 30_000);
    if (action.type === 'type') {
      element.value = action.text;
      element.dispatchEvent(new Event('input', { bubbles: true }));
    } else {
      element.click();
    }
    check();
  }), [handle, action, until]);
}

/** UTF-16 units the desk's keys and values take in this page's localStorage. */
function deskUnits(page) {
  return page.evaluate(() => {
    let units = 0;
    for (let k = 0; k < localStorage.length; k++) {
      const key = localStorage.key(k);
      if (key.startsWith('senco-desk/')) units += key.length + localStorage.getItem(key).length;
    }
    return units;
  });
}

/** Headings, alerts and status messages on the page, to explain a failure. */
async function pageText(page) {
  return page.evaluate(() => `${location.pathname}: ` + [...document.querySelectorAll('h1, h2, [role=alert], [role=status]')]
    .map((e) => e.textContent.trim()).filter(Boolean).join(' | '));
}

async function measureDesk(browser, dir) {
  const items = JSON.parse(fs.readFileSync(path.join(dir, 'localstorage.json'), 'utf8'));
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8'));
  const state = storageState(items);
  const coldLoads = [];
  const derives = [];
  const opens = [];
  const longestDuringDerive = [];
  const longestDuringUnlock = [];
  let used;
  let page;
  let context;
  // Each round is a fresh context (empty cache, storage preloaded before the first
  // navigation): a cold load, then an unlock. The last round's page goes on to the saves.
  const expected = Object.entries(items)
    .filter(([key]) => key.startsWith('senco-desk/'))
    .reduce((units, [key, value]) => units + key.length + value.length, 0);
  for (let i = 0, attempts = 0; i < COLD_LOADS; attempts++) {
    if (context) await context.close();
    context = await browser.newContext({ storageState: state });
    page = await context.newPage();
    await page.goto(`${ORIGIN}/`);
    await page.getByRole('heading', { name: 'Unlock your desk' }).waitFor();
    const coldLoad = await page.evaluate(() => performance.getEntriesByName('senco:unlock-ready')[0].startTime);
    used = await deskUnits(page);
    // Playwright occasionally preloads only part of a large storage state (seen after
    // another context filled localStorage); such a round would measure a damaged desk.
    if (used !== expected) {
      if (attempts >= COLD_LOADS * 2) throw new Error(`${path.basename(dir)}: storage preloaded ${used} of ${expected} units`);
      say(`${path.basename(dir)}: storage preloaded ${used} of ${expected} units; trying that round again`);
      continue;
    }
    coldLoads.push(coldLoad);
    i++;
    await page.getByLabel('Passphrase or recovery key').fill(meta.passphrase);
    // Long main-thread tasks (over 50 ms, as the browser reports them) from the click on.
    await page.evaluate(() => {
      window.__sencoLongTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__sencoLongTasks.push({ start: e.startTime, end: e.startTime + e.duration });
      }).observe({ type: 'longtask' });
      window.__sencoUnlockClicked = performance.now();
    });
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    try {
      await page.getByRole('heading', { name: 'Home' }).waitFor({ timeout: 60_000 });
    } catch (e) {
      throw new Error(`unlock ${i} of ${path.basename(dir)} did not reach Home; page shows: ${await pageText(page)}`);
    }
    // Let the observer deliver the last entries before reading them.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)));
    const unlock = await page.evaluate(() => {
      const derive = performance.getEntriesByName('senco:derive-key')[0];
      const open = performance.getEntriesByName('senco:open-and-parse')[0];
      // The longest task overlapping a span; 0 when none took over 50 ms.
      const longest = (from, to) => Math.max(0, ...window.__sencoLongTasks
        .filter((t) => t.end > from && t.start < to)
        .map((t) => t.end - t.start));
      return {
        derive: derive.duration,
        open: open.duration,
        longestDuringDerive: longest(derive.startTime, derive.startTime + derive.duration),
        longestDuringUnlock: longest(window.__sencoUnlockClicked, open.startTime + open.duration),
      };
    });
    derives.push(unlock.derive);
    opens.push(unlock.open);
    longestDuringDerive.push(unlock.longestDuringDerive);
    longestDuringUnlock.push(unlock.longestDuringUnlock);
  }
  const unlock = {
    derive: median(derives), open: median(opens), derives, opens,
    longestDuringDerive: Math.max(...longestDuringDerive), longestDuringDerives: longestDuringDerive,
    longestDuringUnlock: Math.max(...longestDuringUnlock), longestDuringUnlocks: longestDuringUnlock,
  };
  const pupilsLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pupils' });
  const toPupils = await actAndTime(page, await pupilsLink.elementHandle(), { type: 'click' }, { heading: 'Pupils' });
  await page.getByRole('heading', { name: 'Pupils' }).waitFor();
  await page.getByLabel('Show the whole roll').check();
  // Alternate pupils with and without SEN history: a file with history is re-sealed whole.
  const targets = meta.edit_targets || { with_history: [], without_history: [] };
  const groups = [targets.with_history, targets.without_history].filter((g) => g.length > 0);
  if (groups.length === 0) throw new Error(`${dir}/meta.json lists no pupils to edit`);
  const kinds = [];
  const toFound = [];
  const toForm = [];
  const toList = [];
  const toPaint = [];
  for (let i = 0; i < SAVES; i++) {
    const group = groups[i % groups.length];
    const name = group[Math.floor(i / groups.length) % group.length];
    const [forename, ...rest] = name.split(' ');
    const listed = `${rest.join(' ')}, ${forename}`;
    kinds.push(group === targets.with_history ? 'with' : 'without');
    // Find the pupil in the whole roll, open their page and the details form, change the
    // year group and save: the pupil's page comes back. Then back to the list.
    const search = await page.getByLabel('Search by name or UPN').elementHandle();
    toFound.push((await actAndTime(page, search, { type: 'type', text: name }, { heading: 'Pupils', link: listed })).painted);
    // The census check may list the pupil too (a date of birth that does not fit the year).
    await page.getByRole('region', { name: /^The whole roll/ }).getByRole('link', { name: listed, exact: true }).click();
    await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
    const edit = page.getByRole('button', { name: 'Edit details' });
    toForm.push((await actAndTime(page, await edit.elementHandle(), { type: 'click' }, { heading: 'Edit pupil details' })).painted);
    const select = page.getByLabel('Year group');
    const current = await select.inputValue();
    await select.selectOption(current === '3' ? '4' : '3');
    const save = await page.getByRole('button', { name: 'Save pupil' }).elementHandle();
    const trip = await actAndTime(page, save, { type: 'click' }, { heading: name });
    toList.push(trip.dom);
    toPaint.push(trip.painted);
    await page.getByRole('link', { name: 'Back to pupils' }).click();
    await page.getByRole('heading', { level: 1, name: 'Pupils' }).waitFor();
  }
  const saves = await page.evaluate(() => performance.getEntriesByName('senco:save').map((e) => e.duration));
  if (saves.length !== SAVES) throw new Error(`expected ${SAVES} saves, measured ${saves.length}`);
  await context.close();
  const pick = (xs, kind) => xs.filter((_, i) => kinds[i] === kind);
  const saveBy = {
    with_history: pick(saves, 'with').length ? median(pick(saves, 'with')) : null,
    without_history: pick(saves, 'without').length ? median(pick(saves, 'without')) : null,
  };
  return {
    meta, coldLoad: median(coldLoads), coldLoads, unlock, saveMedian: median(saves), saveBy,
    saveToListMedian: median(toList), saveToPaintMedian: median(toPaint), editToFormMedian: median(toForm),
    searchMedian: median(toFound), pupilsPage: toPupils.painted,
    used,
  };
}

/** Opens a preloaded desk in a fresh context and unlocks it; retries partial preloads. */
async function openDesk(browser, dir) {
  const items = JSON.parse(fs.readFileSync(path.join(dir, 'localstorage.json'), 'utf8'));
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8'));
  const expected = Object.entries(items)
    .filter(([key]) => key.startsWith('senco-desk/'))
    .reduce((units, [key, value]) => units + key.length + value.length, 0);
  for (let attempt = 0; attempt < 5; attempt++) {
    const context = await browser.newContext({ storageState: storageState(items) });
    const page = await context.newPage();
    await page.goto(`${ORIGIN}/`);
    await page.getByRole('heading', { name: 'Unlock your desk' }).waitFor();
    const used = await deskUnits(page);
    if (used !== expected) {
      say(`${path.basename(dir)}: storage preloaded ${used} of ${expected} units; trying again`);
      await context.close();
      continue;
    }
    await page.getByLabel('Passphrase or recovery key').fill(meta.passphrase);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.getByRole('heading', { name: 'Home' }).waitFor({ timeout: 60_000 });
    return { context, page, meta };
  }
  throw new Error(`${path.basename(dir)}: storage never preloaded whole`);
}

const REGISTER_KEYSTROKES = ['s', 'sm', 'smi', 'smit', 'smith', 'smit', 'smi', 'sm', 's', '',
  'o', 'ok', 'oka', 'okaf', 'okafo', 'okafor', 'okafo', 'oka', 'o', ''];
const REGISTER_SORT_ROUNDS = 2;

/**
 * The register at the size of the large school: each keystroke in the search box, each
 * filter choice and each click on a column heading, timed from the event to the app's
 * DOM update (and to the next frame), on the whole roll. Also the pure filter-and-sort
 * work ("senco:register-view") and building the register after an edit.
 */
async function measureRegister(browser, dir) {
  const { context, page, meta } = await openDesk(browser, dir);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pupils' }).click();
  await page.getByRole('heading', { level: 1, name: 'Pupils' }).waitFor();
  await page.getByLabel('Show the whole roll').check();
  await page.getByText(/Showing 1 to 50 of 2,000 pupils/).waitFor();
  await page.evaluate(() => performance.clearMeasures('senco:register-view'));
  const keys = [];
  const search = await page.getByLabel('Search by name or UPN').elementHandle();
  for (const text of REGISTER_KEYSTROKES) {
    keys.push(await actAndTime(page, search, { type: 'type', text }, { settled: true }));
  }
  const filters = [];
  // The drop-down filters are folded away until asked for.
  const more = page.getByRole('button', { name: /^More filters/ });
  if ((await more.getAttribute('aria-expanded')) !== 'true') await more.click();
  for (const [label, values] of [['SEN status', ['K', 'E', '']], ['Type of need', ['SLCN', 'ASD', '']],
    ['Broad area of need', ['CL', 'SEMH', '']], ['Year group', ['3', '10', '']], ['Flag', ['PP', 'EAL', '']]]) {
    const select = await page.getByLabel(label, { exact: true }).elementHandle();
    for (const value of values) {
      filters.push(await actAndTime(page, select, { type: 'select', value }, { settled: true }));
    }
  }
  const sorts = [];
  for (let round = 0; round < REGISTER_SORT_ROUNDS; round++) {
    for (const column of ['Year', 'Class', 'SEN status', 'Primary need', 'Secondary need', 'Flags', 'Name']) {
      const button = await page.getByRole('button', { name: column, exact: true }).elementHandle();
      sorts.push(await actAndTime(page, button, { type: 'click' }, { settled: true }));
      sorts.push(await actAndTime(page, button, { type: 'click' }, { settled: true }));
    }
  }
  const status = await page.locator('.register-status').textContent();
  if (!/of 2,000 pupils/.test(status)) throw new Error(`register ended showing "${status}"`);
  const views = await page.evaluate(() => performance.getEntriesByName('senco:register-view').map((e) => e.duration));
  const builds = await page.evaluate(() => performance.getEntriesByName('senco:register-build').map((e) => e.duration));
  await context.close();
  const dom = (xs) => xs.map((x) => x.dom);
  const painted = (xs) => xs.map((x) => x.painted);
  return {
    pupils: meta.pupils,
    keystroke: { median: median(dom(keys)), max: Math.max(...dom(keys)), paintedMedian: median(painted(keys)), runs: dom(keys) },
    filter: { median: median(dom(filters)), max: Math.max(...dom(filters)), paintedMedian: median(painted(filters)), runs: dom(filters) },
    sort: { median: median(dom(sorts)), max: Math.max(...dom(sorts)), paintedMedian: median(painted(sorts)), runs: dom(sorts) },
    view: { median: median(views), max: Math.max(...views), count: views.length },
    build: builds.length ? median(builds) : null,
  };
}

const IMPORT_RUNS = 3;

/**
 * Importing the large school's 2,000-row MIS export: into the small desk (every pupil new),
 * timed from choosing the file to the column check (read and parse), the preview
 * ("senco:import-plan") and the write ("senco:import-write"); then the same file into the
 * large desk it came from, where nothing changes.
 */
async function measureImport(browser, smallDir, largeDir) {
  const csv = fs.readFileSync(path.join(largeDir, 'roll.csv'));
  const runOnce = async (dir, expectNew) => {
    const { context, page } = await openDesk(browser, dir);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pupils' }).click();
    await page.getByRole('link', { name: 'Import from your MIS' }).click();
    await page.getByRole('heading', { name: 'Import from your MIS' }).waitFor();
    const input = await page.getByLabel('Pupil export (CSV)').elementHandle();
    const t0 = await page.evaluate(() => performance.now());
    await input.setInputFiles({ name: 'roll.csv', mimeType: 'text/csv', buffer: csv });
    await page.getByRole('heading', { name: 'Check the columns' }).waitFor();
    // The heading appears in the first frame after parsing: read the time it did.
    const read = (await page.evaluate(() => performance.now())) - t0;
    await page.getByRole('button', { name: 'Check the rows' }).click();
    await page.getByRole('heading', { name: 'Check the import' }).waitFor();
    const counts = await page.getByTestId('import-counts').textContent();
    if (!counts.includes(expectNew)) throw new Error(`import preview said "${counts}"`);
    const problems = await page.getByTestId('import-problems').count() ? await page.getByTestId('import-problems').getByRole('row').count() - 1 : 0;
    let write = null;
    if (await page.getByRole('button', { name: 'Import', exact: true }).isEnabled()) {
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.getByRole('heading', { name: 'Import finished' }).waitFor({ timeout: 60_000 });
      write = await page.evaluate(() => performance.getEntriesByName('senco:import-write')[0].duration);
    }
    const plan = await page.evaluate(() => performance.getEntriesByName('senco:import-plan')[0].duration);
    await context.close();
    return { read, plan, write, counts, problems };
  };
  const fresh = [];
  for (let i = 0; i < IMPORT_RUNS; i++) fresh.push(await runOnce(smallDir, '2,000 rows in the file'));
  const again = [];
  for (let i = 0; i < IMPORT_RUNS; i++) again.push(await runOnce(largeDir, '0 new, 0 updated'));
  const total = (r) => r.read + r.plan + (r.write ?? 0);
  return {
    fresh: { read: median(fresh.map((r) => r.read)), plan: median(fresh.map((r) => r.plan)), write: median(fresh.map((r) => r.write)), total: median(fresh.map(total)), counts: fresh[0].counts, problems: fresh[0].problems },
    again: { read: median(again.map((r) => r.read)), plan: median(again.map((r) => r.plan)), total: median(again.map(total)), counts: again[0].counts, problems: again[0].problems },
  };
}

/**
 * Export and restore of a desk: downloads a backup BACKUP_RUNS times from an unlocked desk
 * (timing the making and checking, "senco:backup-export"), then restores the file into a
 * fresh browser BACKUP_RUNS times, timing the opening ("senco:backup-open") and the writing
 * ("senco:backup-restore-write"), key derivation left out.
 */
async function measureBackup(browser, dir) {
  const items = JSON.parse(fs.readFileSync(path.join(dir, 'localstorage.json'), 'utf8'));
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8'));
  const storedUnits = Object.entries(items)
    .filter(([key]) => key.startsWith('senco-desk/'))
    .reduce((units, [key, value]) => units + key.length + value.length, 0);
  // Playwright sometimes preloads only part of a large storage state (see measureDesk):
  // check, and start again in a fresh context when it did.
  let context;
  let page;
  for (let attempt = 0; ; attempt++) {
    context = await browser.newContext({ storageState: storageState(items), acceptDownloads: true });
    page = await context.newPage();
    await page.goto(`${ORIGIN}/`);
    const loaded = await page.evaluate(() => {
      let units = 0;
      for (let k = 0; k < localStorage.length; k++) {
        const key = localStorage.key(k);
        if (key.startsWith('senco-desk/')) units += key.length + localStorage.getItem(key).length;
      }
      return units;
    });
    if (loaded === storedUnits) break;
    await context.close();
    if (attempt >= 5) throw new Error(`backup: storage preloaded ${loaded} of ${storedUnits} units`);
    say(`backup: storage preloaded ${loaded} of ${storedUnits} units; trying again`);
  }
  await page.getByLabel('Passphrase or recovery key').fill(meta.passphrase);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await page.getByRole('heading', { name: 'Home' }).waitFor({ timeout: 60_000 });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Backups' }).click();
  let file;
  let fileBytes;
  for (let i = 0; i < BACKUP_RUNS; i++) {
    const download = page.waitForEvent('download', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Download backup' }).click();
    const saved = await download;
    file = path.join(root, 'bench/out', `backup-${path.basename(dir)}.json`);
    await saved.saveAs(file);
    fileBytes = fs.statSync(file).size;
    await page.getByText(/Backup downloaded/).waitFor();
  }
  const exports = await page.evaluate(() => performance.getEntriesByName('senco:backup-export').map((e) => e.duration));
  await context.close();
  const opens = [];
  const writes = [];
  for (let i = 0; i < BACKUP_RUNS; i++) {
    context = await browser.newContext();
    page = await context.newPage();
    await page.goto(`${ORIGIN}/restore`);
    await page.getByLabel('Backup file').setInputFiles(file);
    await page.getByLabel('Passphrase or recovery key for this backup').fill(meta.passphrase);
    await page.getByRole('button', { name: 'Open backup' }).click();
    // The restored desk gets keys of its own: a passphrase (derived apart, and left out of
    // the figure like the backup's own key derivation), then its new recovery key is shown.
    await page.getByLabel('Passphrase', { exact: true }).fill(meta.passphrase, { timeout: 60_000 });
    await page.getByLabel('Passphrase again').fill(meta.passphrase);
    await page.getByRole('button', { name: 'Restore this desk' }).click();
    await page.getByRole('heading', { name: 'Your recovery key' }).waitFor({ timeout: 60_000 });
    const timing = await page.evaluate(() => ({
      open: performance.getEntriesByName('senco:backup-open')[0].duration,
      write: performance.getEntriesByName('senco:backup-restore-write')[0].duration,
    }));
    const restoredUnits = await page.evaluate(() => {
      let units = 0;
      for (let k = 0; k < localStorage.length; k++) {
        const key = localStorage.key(k);
        if (key.startsWith('senco-desk/record/pupil-')) units += 1;
      }
      return units;
    });
    if (restoredUnits !== meta.pupils) throw new Error(`restore wrote ${restoredUnits} pupil records, expected ${meta.pupils}`);
    opens.push(timing.open);
    writes.push(timing.write);
    await context.close();
  }
  const restores = opens.map((o, i) => o + writes[i]);
  return {
    exportMs: median(exports), exports,
    restoreMs: median(restores), restores, openMs: median(opens), writeMs: median(writes),
    fileBytes, storedUnits,
  };
}

/** How many "senco:due-lists" measures the page has recorded, and the newest one's duration. */
function dueLists(page) {
  return page.evaluate(() => {
    const all = performance.getEntriesByName('senco:due-lists');
    return { count: all.length, first: all.length ? all[0].duration : null, newest: all.length ? all[all.length - 1].duration : null };
  });
}

/** Waits until the page has recorded more than `count` "senco:due-lists" measures. */
async function waitForDueLists(page, count, what) {
  try {
    await page.waitForFunction((n) => performance.getEntriesByName('senco:due-lists').length > n, count, { timeout: 30_000 });
  } catch (e) {
    throw new Error(`no new "senco:due-lists" measure after ${what}; page shows: ${await pageText(page)}`);
  }
  // A change may recompute the lists more than once; the newest is the one on screen.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  return dueLists(page);
}

/**
 * The home screen's what-is-due lists on the large school with five years of plans
 * ("senco:due-lists", which the UI records each time it computes them): on arriving home
 * after unlocking, and recomputed after each of HOME_EDITS edits, alternating a dismissal
 * on the home screen (which saves the settings) with a saved edit on a pupil's page
 * followed by the way back home. Also times each edit to the lists being in the DOM.
 * A desk over localStorage's quota cannot be preloaded: the step is then skipped, saying so.
 */
async function measureHome(browser, dir, quota) {
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8'));
  const stored = meta.stored_utf16_units;
  const plans = meta.plans || {};
  if (stored > quota) {
    return {
      meta, stored, plans, skipped: `the desk takes ${stored.toLocaleString('en-GB')} UTF-16 units as base64, `
        + `over this Chromium's quota of ${quota.toLocaleString('en-GB')}, so it cannot be loaded`,
    };
  }
  const { context, page } = await openDesk(browser, dir);
  // One unlock of the desk with years of plans: what a SENCO waits for each morning.
  const openParse = await page.evaluate(() => {
    const runs = performance.getEntriesByName('senco:open-and-parse');
    return runs.length ? runs[runs.length - 1].duration : null;
  });
  await page.getByRole('heading', { name: 'What is due' }).waitFor({ timeout: 60_000 });
  const arrival = await waitForDueLists(page, 0, 'arriving home');
  const first = arrival.first;
  const targets = (meta.edit_targets && meta.edit_targets.with_history) || [];
  const kinds = [];
  const recomputed = [];
  const toDom = [];
  const toPaint = [];
  for (let i = 0; i < HOME_EDITS; i++) {
    const dismiss = page.getByRole('button', { name: /^Dismiss/ }).first();
    const canDismiss = i % 2 === 0 && (await dismiss.count()) > 0;
    const before = (await dueLists(page)).count;
    let trip;
    if (canDismiss || targets.length === 0) {
      if (!canDismiss) throw new Error('home: nothing to dismiss and no pupil to edit');
      kinds.push('dismiss');
      trip = await actAndTime(page, await dismiss.elementHandle(), { type: 'click' }, { settled: true });
    } else {
      kinds.push('pupil edit');
      const name = targets[Math.floor(i / 2) % targets.length];
      const [forename, ...rest] = name.split(' ');
      const listed = `${rest.join(' ')}, ${forename}`;
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pupils' }).click();
      await page.getByRole('heading', { level: 1, name: 'Pupils' }).waitFor();
      const whole = page.getByLabel('Show the whole roll');
      if (!(await whole.isChecked())) await whole.check();
      await page.getByLabel('Search by name or UPN').fill(name);
      await page.getByRole('link', { name: listed, exact: true }).click();
      await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
      await page.getByRole('button', { name: 'Edit details' }).click();
      await page.getByRole('heading', { name: 'Edit pupil details' }).waitFor();
      const select = page.getByLabel('Year group');
      await select.selectOption((await select.inputValue()) === '3' ? '4' : '3');
      await page.getByRole('button', { name: 'Save pupil' }).click();
      await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
      const home = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' });
      trip = await actAndTime(page, await home.elementHandle(), { type: 'click' }, { heading: 'Home', text: 'What is due' });
    }
    const after = await waitForDueLists(page, before, kinds[i]);
    recomputed.push(after.newest);
    toDom.push(trip.dom);
    toPaint.push(trip.painted);
  }
  const headings = await page.evaluate(() => [...document.querySelectorAll('h2, h3')].map((h) => h.textContent.trim()));
  await context.close();
  const by = (kind) => recomputed.filter((_, i) => kinds[i] === kind);
  const stats = (xs) => (xs.length ? { median: median(xs), max: Math.max(...xs), runs: xs } : null);
  return {
    meta, stored, plans, first, openParse,
    recompute: stats(recomputed),
    recomputeBy: { dismiss: stats(by('dismiss')), pupil_edit: stats(by('pupil edit')) },
    editToDom: stats(toDom), editToPaint: stats(toPaint), kinds, headings,
  };
}

/** The browser's own floor for open-and-parse: WebCrypto AES-GCM decrypt + JSON.parse. */
async function measureFloor(browser, dir) {
  const plaintexts = fs.readFileSync(path.join(dir, 'plaintexts.json'), 'utf8');
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${ORIGIN}/`);
  const floor = await page.evaluate(async ([json, FLOOR_RUNS]) => {
    const texts = JSON.parse(json);
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const enc = new TextEncoder();
    const sealed = [];
    for (const t of texts) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      sealed.push({ iv, data: await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, enc.encode(t)) });
    }
    // Parallel (the browser may spread decrypts over threads) and one at a time (as the
    // app opens records); the floor is the lower of the two.
    const time = async (parallel) => {
      const runs = [];
      for (let r = 0; r < FLOOR_RUNS + 1; r++) {
        const dec = new TextDecoder();
        const start = performance.now();
        let opened;
        if (parallel) {
          opened = await Promise.all(sealed.map((s) => crypto.subtle.decrypt({ name: 'AES-GCM', iv: s.iv }, key, s.data)));
        } else {
          opened = [];
          for (const s of sealed) opened.push(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: s.iv }, key, s.data));
        }
        let count = 0;
        for (const bytes of opened) count += JSON.parse(dec.decode(bytes)).revision ? 1 : 0;
        if (r > 0) runs.push(performance.now() - start); // the first run warms up
        if (count !== texts.length) throw new Error('floor parse failed');
      }
      runs.sort((a, b) => a - b);
      return runs[Math.floor(runs.length / 2)];
    };
    const sequential = await time(false);
    const parallel = await time(true);
    return { best: Math.min(parallel, sequential), parallel, sequential };
  }, [plaintexts, FLOOR_RUNS]);
  await context.close();
  return floor;
}

/** The table's rows for the home lists on the desk with plans (or why they are missing). */
function homeRows(home, quota, n) {
  if (!home) return [['home: what-is-due lists (bench/out/large-plans missing)', 'not measured', '≤ 16 ms', null]];
  const p = home.plans || {};
  const size = [`storage used, ${n(home.meta.pupils)} pupils with five years of plans (${n(p.total || 0)} plans, `
    + `${p.average_per_sen_pupil} per SEN pupil; ~${(home.meta.average_sen_record_json_bytes / 1000).toFixed(1)} KB JSON per SEN pupil)`,
  `${(100 * home.stored / quota).toFixed(1)}% (${n(home.stored)} of ${n(quota)} UTF-16 units)`,
  '≤ 100%', home.stored <= quota];
  const rotation = [`rotating the data key (change of passphrase: every record re-sealed in one save), ${n(home.meta.pupils)} pupils with five years of plans, natively`,
    `${ms(home.meta.native_rotation_ms)} (of which two key derivations, ${ms(home.meta.native_key_derivation_ms)} each)`, '–', null];
  if (home.skipped) {
    return [size, rotation, [`home: what-is-due lists computed after an edit (median / worst of ${HOME_EDITS})`,
      `not measured: ${home.skipped} (natively ${ms(home.meta.native_due_lists_ms)})`, '≤ 16 ms', null]];
  }
  const r = home.recompute;
  const d = home.editToDom;
  return [
    size,
    rotation,
    [`unlock: open and parse, ${n(home.meta.pupils)} pupils with five years of plans (one run)`,
      `${ms(home.openParse)} (natively ${ms(home.meta.native_open_and_parse_ms)})`, '≤ 500 ms (set for the desk without plans)', home.openParse <= 500],
    [`home: what-is-due lists computed on arriving home, ${n(p.total || 0)} plans`, `${ms(home.first)} (natively ${ms(home.meta.native_due_lists_ms)})`, '–', null],
    [`home: what-is-due lists computed after an edit (median / worst of ${r.runs.length})`,
      `${ms(r.median)} / ${ms(r.max)} (after a dismissal ${home.recomputeBy.dismiss ? ms(home.recomputeBy.dismiss.median) : 'n/a'}, `
      + `after a pupil edit ${home.recomputeBy.pupil_edit ? ms(home.recomputeBy.pupil_edit.median) : 'n/a'})`, '≤ 16 ms', r.max <= 16],
    [`home: edit to lists in the DOM (dismissal: click to updated; pupil edit: Home link to lists shown), median / worst of ${d.runs.length}`,
      `${ms(d.median)} / ${ms(d.max)} (to next frame ${ms(home.editToPaint.median)})`, '–', null],
  ];
}

async function main() {
  for (const desk of ['large', 'small']) {
    if (!fs.existsSync(path.join(root, 'bench/out', desk, 'localstorage.json'))) {
      throw new Error(`bench/out/${desk} is missing: run scripts/bench.sh (or senco-desk-gen) first`);
    }
  }
  const dist = path.join(root, 'dist');
  const wasmFile = fs.readdirSync(dist).find((f) => /^senco-desk-[0-9a-f]{16}_bg\.wasm$/.test(f));
  // The key-derivation worker's own wasm (Argon2 only), loaded at unlock.
  const kdfWasmGzip = zlib.gzipSync(fs.readFileSync(path.join(dist, 'senco-desk-kdf_bg.wasm')), { level: 9 }).length;
  const wasm = fs.readFileSync(path.join(dist, wasmFile));
  const wasmRaw = wasm.length;
  const wasmGzip = zlib.gzipSync(wasm, { level: 9 }).length;

  const port = Number(process.env.BENCH_PORT) || (await freePort());
  ORIGIN = `http://127.0.0.1:${port}`;
  const server = spawn('node', [path.join(root, 'scripts/serve-dist.js'), dist, String(port)], { stdio: 'ignore' });
  server.on('exit', (code) => {
    if (code) console.error(`bench: static server exited with ${code}`);
  });
  try {
    await waitForServer();
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
    say(`Chromium ${browser.version()}; large desk: cold loads, unlocks, saves`);
    const large = await measureDesk(browser, path.join(root, 'bench/out/large'));
    say('small desk: cold loads, unlocks, saves');
    const small = await measureDesk(browser, path.join(root, 'bench/out/small'));
    say('large desk: backup export and restore');
    const backup = await measureBackup(browser, path.join(root, 'bench/out/large'));
    say('large desk: register filter and sort');
    const register = await measureRegister(browser, path.join(root, 'bench/out/large'));
    say('MIS import of 2,000 rows');
    const imports = await measureImport(browser, path.join(root, 'bench/out/small'), path.join(root, 'bench/out/large'));
    // The quota is measured last (filling localStorage upsets later preloads), so the
    // check before loading the desk with plans uses the figure the app assumes.
    const plansDir = path.join(root, 'bench/out/large-plans');
    let home = null;
    if (fs.existsSync(path.join(plansDir, 'meta.json'))) {
      say('large desk with five years of plans: the home screen\'s what-is-due lists');
      home = await measureHome(browser, plansDir, QUOTA_ASSUMED);
      if (home.skipped) say(`home lists not measured: ${home.skipped}`);
    } else {
      say('bench/out/large-plans is missing: the home lists are not measured');
    }
    say('browser floor for open-and-parse');
    const floor = await measureFloor(browser, path.join(root, 'bench/out/large'));
    // Last: a context filled to the quota can upset the storage preloading of later ones.
    say('localStorage quota');
    const quota = await measureQuota(browser);
    large.share = large.used / quota;
    small.share = small.used / quota;
    const browserVersion = browser.version();
    await browser.close();

    const n = (x) => x.toLocaleString('en-GB');
    const saveCell = (d) => `${ms(d.saveMedian)} (with history ${ms(d.saveBy.with_history)}, without ${ms(d.saveBy.without_history)})`;
    const saveGap = Math.abs(large.saveMedian - small.saveMedian);
    const ratio = large.unlock.open / floor.best;
    const backupRows = [
      [`backup: make, check and download, ${n(large.meta.pupils)} pupils (median of ${BACKUP_RUNS})`, ms(backup.exportMs), '≤ 1,000 ms', backup.exportMs <= 1000],
      [`backup: restore into a fresh browser, ${n(large.meta.pupils)} pupils, without key derivation (median of ${BACKUP_RUNS})`,
        `${ms(backup.restoreMs)} (open and check ${ms(backup.openMs)}, write ${ms(backup.writeMs)})`, '≤ 1,000 ms', backup.restoreMs <= 1000],
      [`backup file size vs the stored desk, ${n(large.meta.pupils)} pupils`,
        `${n(backup.fileBytes)} B vs ${n(backup.storedUnits * 2)} B stored (${n(backup.storedUnits)} UTF-16 units × 2 bytes); ${(100 * backup.fileBytes / (backup.storedUnits * 2)).toFixed(0)}%`,
        '≤ the stored desk', backup.fileBytes <= backup.storedUnits * 2],
    ];
    const rows = [
      ['wasm size, gzipped (level 9)', `${n(wasmGzip)} B = ${(wasmGzip / 1000).toFixed(1)} KB (raw ${n(wasmRaw)} B)`, '≤ 300 KB', wasmGzip <= 300_000],
      [`cold load to the unlock screen, ${n(large.meta.pupils)} pupils (median of ${COLD_LOADS})`, ms(large.coldLoad), '≤ 500 ms', large.coldLoad <= 500],
      [`unlock: key derivation (Argon2id, in its worker, median of ${COLD_LOADS})`, ms(large.unlock.derive), '–', null],
      [`unlock: longest main-thread task during key derivation (worst of ${COLD_LOADS}; 0 = none over 50 ms)`, ms(large.unlock.longestDuringDerive), '≤ 200 ms', large.unlock.longestDuringDerive <= 200],
      [`unlock: longest main-thread task during unlock, click to Home, ${n(large.meta.pupils)} pupils (worst of ${COLD_LOADS})`, ms(large.unlock.longestDuringUnlock), '≤ 200 ms', large.unlock.longestDuringUnlock <= 200],
      ['key-derivation worker wasm, gzipped (level 9)', `${n(kdfWasmGzip)} B`, '–', null],
      [`unlock: open and parse, ${n(large.meta.pupils)} pupils (median of ${COLD_LOADS})`, ms(large.unlock.open), '≤ 500 ms', large.unlock.open <= 500],
      [`open and parse: browser floor, same ${n(large.meta.pupils)} files (WebCrypto AES-GCM + JSON.parse, median of ${FLOOR_RUNS})`, `${ms(floor.best)}; ours is ${ratio.toFixed(1)}× the floor`, '–', null],
      [`save one edit, ${n(large.meta.pupils)} pupils (median of ${SAVES})`, saveCell(large), '≤ 10 ms', large.saveMedian <= 10],
      [`save one edit, ${n(small.meta.pupils)} pupils (median of ${SAVES})`, saveCell(small), '≤ 10 ms', small.saveMedian <= 10],
      [`save: ${n(large.meta.pupils)} vs ${n(small.meta.pupils)} pupils`, `differ by ${ms(saveGap)}`, 'equal (within 1 ms)', saveGap <= 1],
      [`save and show the pupil's page again, to next frame, ${n(large.meta.pupils)} / ${n(small.meta.pupils)} pupils (median)`, `${ms(large.saveToPaintMedian)} / ${ms(small.saveToPaintMedian)}`, '–', null],
      [`open Pupils, then find one by name on the whole roll, to next frame, ${n(large.meta.pupils)} pupils`, `${ms(large.pupilsPage)}, then ${ms(large.searchMedian)} (median)`, '–', null],
      [`storage used, ${n(large.meta.pupils)} pupils (${large.meta.with_sen_history} with ~${(large.meta.average_sen_record_json_bytes / 1000).toFixed(1)} KB history)`,
        `${(large.share * 100).toFixed(1)}% (${n(large.used)} of ${n(quota)} UTF-16 units)`, '≤ 30%', large.share <= 0.3],
      ...backupRows,
      [`register: a keystroke in the search, event to DOM updated, ${n(register.pupils)} pupils (median / worst of ${REGISTER_KEYSTROKES.length})`,
        `${ms(register.keystroke.median)} / ${ms(register.keystroke.max)} (to next frame ${ms(register.keystroke.paintedMedian)})`, '≤ 16 ms', register.keystroke.median <= 16],
      [`register: a filter choice (status, need, area, year, flag), event to DOM updated (median / worst of ${register.filter.runs.length})`,
        `${ms(register.filter.median)} / ${ms(register.filter.max)} (to next frame ${ms(register.filter.paintedMedian)})`, '≤ 16 ms', register.filter.median <= 16],
      [`register: sort by a column, click to DOM updated (median / worst of ${register.sort.runs.length})`,
        `${ms(register.sort.median)} / ${ms(register.sort.max)} (to next frame ${ms(register.sort.paintedMedian)})`, '≤ 16 ms', register.sort.median <= 16],
      [`register: filter and sort work alone ("senco:register-view", median / worst of ${register.view.count})`,
        `${ms(register.view.median)} / ${ms(register.view.max)}; rebuilding the register after an edit ${ms(register.build)}`, '–', null],
      ...homeRows(home, quota, n),
      [`MIS import: a 2,000-row export into the 20-pupil desk (median of ${IMPORT_RUNS})`,
        `${ms(imports.fresh.total)}: read and parse ${ms(imports.fresh.read)}, preview ${ms(imports.fresh.plan)}, write ${ms(imports.fresh.write)}; "${imports.fresh.counts}"`, '≤ 2,000 ms', imports.fresh.total <= 2000],
      [`MIS import: the same file again into the desk it came from (median of ${IMPORT_RUNS})`,
        `${ms(imports.again.total)}: read and parse ${ms(imports.again.read)}, preview ${ms(imports.again.plan)}; "${imports.again.counts}"`, '≤ 2,000 ms', imports.again.total <= 2000],
    ];
    console.log('| Figure | Measured | Target | Met? |');
    console.log('| --- | --- | --- | --- |');
    for (const [name, value, target, met] of rows) {
      console.log(`| ${name} | ${value} | ${target} | ${met === null ? '' : met ? 'yes' : 'NO'} |`);
    }
    const desk = (d) => ({
      pupils: d.meta.pupils,
      with_sen_history: d.meta.with_sen_history,
      average_sen_record_json_bytes: d.meta.average_sen_record_json_bytes,
      sen_record_deflate_ratio: d.meta.sen_record_deflate_ratio,
      cold_load_ms: d.coldLoad,
      cold_loads_ms: d.coldLoads,
      derive_key_ms: d.unlock.derive,
      derive_key_runs_ms: d.unlock.derives,
      longest_main_thread_task_during_derive_ms: d.unlock.longestDuringDerive,
      longest_main_thread_task_during_derive_runs_ms: d.unlock.longestDuringDerives,
      longest_main_thread_task_during_unlock_ms: d.unlock.longestDuringUnlock,
      longest_main_thread_task_during_unlock_runs_ms: d.unlock.longestDuringUnlocks,
      open_and_parse_ms: d.unlock.open,
      open_and_parse_runs_ms: d.unlock.opens,
      native_open_and_parse_ms: d.meta.native_open_and_parse_ms,
      save_median_ms: d.saveMedian,
      save_median_with_history_ms: d.saveBy.with_history,
      save_median_without_history_ms: d.saveBy.without_history,
      save_to_list_in_dom_median_ms: d.saveToListMedian,
      save_to_list_next_frame_median_ms: d.saveToPaintMedian,
      edit_to_form_next_frame_median_ms: d.editToFormMedian,
      search_to_row_next_frame_median_ms: d.searchMedian,
      open_pupils_page_next_frame_ms: d.pupilsPage,
      storage_used_utf16_units: d.used,
      storage_share_of_quota: d.share,
    });
    const results = {
      date: new Date().toISOString(),
      chromium: browserVersion,
      wasm: { file: wasmFile, raw_bytes: wasmRaw, gzip_bytes: wasmGzip, kdf_worker_gzip_bytes: kdfWasmGzip },
      quota_utf16_units: quota,
      large: desk(large),
      small: desk(small),
      floor_open_and_parse_ms: floor.best,
      floor_open_and_parse_parallel_ms: floor.parallel,
      floor_open_and_parse_sequential_ms: floor.sequential,
      open_and_parse_ratio_to_floor: ratio,
      register,
      import: imports,
      home: home && {
        dir: 'bench/out/large-plans',
        skipped: home.skipped || null,
        stored_utf16_units: home.stored,
        stored_share_of_quota: home.stored / quota,
        open_and_parse_ms: home.openParse,
        plans: home.plans,
        passports: home.meta.passports,
        average_sen_record_json_bytes: home.meta.average_sen_record_json_bytes,
        native_due_lists_ms: home.meta.native_due_lists_ms,
        native_rotation_ms: home.meta.native_rotation_ms,
        native_key_derivation_ms: home.meta.native_key_derivation_ms,
        home_lists: home.meta.home_lists,
        first_due_lists_ms: home.first ?? null,
        due_lists_after_edit_median_ms: home.recompute ? home.recompute.median : null,
        due_lists_after_edit_worst_ms: home.recompute ? home.recompute.max : null,
        due_lists_after_edit_runs_ms: home.recompute ? home.recompute.runs : null,
        due_lists_after_edit_by_kind: home.recomputeBy || null,
        edit_kinds: home.kinds || null,
        edit_to_lists_in_dom: home.editToDom || null,
        edit_to_lists_next_frame: home.editToPaint || null,
      },
      backup: {
        export_median_ms: backup.exportMs,
        export_runs_ms: backup.exports,
        restore_without_derivation_median_ms: backup.restoreMs,
        restore_runs_ms: backup.restores,
        restore_open_median_ms: backup.openMs,
        restore_write_median_ms: backup.writeMs,
        file_bytes: backup.fileBytes,
        stored_desk_utf16_units: backup.storedUnits,
      },
      targets_met: Object.fromEntries(rows.filter((r) => r[3] !== null).map((r) => [r[0], r[3]])),
    };
    console.log(JSON.stringify(results, null, 2));
    fs.writeFileSync(path.join(root, 'bench/out/results.json'), JSON.stringify(results, null, 2));
  } finally {
    server.kill();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
