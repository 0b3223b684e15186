// The benchmark: loads generated desks into the release build in headless Chromium and
// prints the figures the README reports. Run through scripts/bench.sh.
const { chromium } = require('@playwright/test');
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const root = path.resolve(__dirname, '..');
const PORT = 8082;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const COLD_LOADS = 5;
const SAVES = 50;
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => (x === null || x === undefined ? 'n/a' : `${x.toFixed(1)} ms`);

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

async function measureDesk(browser, dir, quota) {
  const items = JSON.parse(fs.readFileSync(path.join(dir, 'localstorage.json'), 'utf8'));
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8'));
  const state = storageState(items);
  const coldLoads = [];
  let page;
  let context;
  for (let i = 0; i < COLD_LOADS; i++) {
    if (context) await context.close();
    context = await browser.newContext({ storageState: state });
    page = await context.newPage();
    await page.goto(`${ORIGIN}/`);
    await page.getByRole('heading', { name: 'Unlock your desk' }).waitFor();
    coldLoads.push(await page.evaluate(() => performance.getEntriesByName('senco:unlock-ready')[0].startTime));
  }
  const used = await page.evaluate(() => {
    let units = 0;
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k.startsWith('senco-desk/')) units += k.length + localStorage.getItem(k).length;
    }
    return units;
  });
  await page.getByLabel('Passphrase or recovery key').fill(meta.passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('heading', { name: 'Home' }).waitFor({ timeout: 60_000 });
  const unlock = await page.evaluate(() => ({
    derive: performance.getEntriesByName('senco:derive-key')[0].duration,
    open: performance.getEntriesByName('senco:open-and-parse')[0].duration,
  }));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pupils' }).click();
  const addButton = page.getByRole('button', { name: 'Add a pupil' });
  await addButton.waitFor();
  // From submitting the form to the list being back in the DOM (the save plus re-rendering
  // the list), measured in the page so Playwright's own latency is not counted.
  await page.evaluate(() => {
    window.__bench = { trips: [] };
    document.addEventListener('submit', () => {
      const t0 = performance.now();
      const seen = () => [...document.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Add a pupil');
      const observer = new MutationObserver(() => {
        if (seen()) {
          window.__bench.trips.push(performance.now() - t0);
          observer.disconnect();
        }
      });
      observer.observe(document.body, { childList: true, subtree: true });
    }, true);
  });
  // Alternate pupils with and without SEN history: a file with history is re-sealed whole.
  const targets = meta.edit_targets || { with_history: [], without_history: [] };
  const groups = [targets.with_history, targets.without_history].filter((g) => g.length > 0);
  const kinds = [];
  for (let i = 0; i < SAVES; i++) {
    const group = groups[i % groups.length];
    const name = group[Math.floor(i / groups.length) % group.length];
    kinds.push(group === targets.with_history ? 'with' : 'without');
    await page.getByRole('button', { name: `Edit ${name}`, exact: true }).click();
    const select = page.getByLabel('Year group');
    const current = await select.inputValue();
    await select.selectOption(current === '3' ? '4' : '3');
    await page.getByRole('button', { name: 'Save pupil' }).click();
    await addButton.waitFor();
  }
  const saves = await page.evaluate(() => performance.getEntriesByName('senco:save').map((e) => e.duration));
  const trips = await page.evaluate(() => window.__bench.trips);
  if (saves.length !== SAVES) throw new Error(`expected ${SAVES} saves, measured ${saves.length}`);
  await context.close();
  const pick = (xs, kind) => xs.filter((_, i) => kinds[i] === kind);
  const saveBy = {
    with_history: pick(saves, 'with').length ? median(pick(saves, 'with')) : null,
    without_history: pick(saves, 'without').length ? median(pick(saves, 'without')) : null,
  };
  return {
    meta, coldLoad: median(coldLoads), coldLoads, unlock, saveMedian: median(saves), saveBy,
    saveToListMedian: trips.length ? median(trips) : null, used, share: used / quota,
  };
}

/** The browser's own floor for open-and-parse: WebCrypto AES-GCM decrypt + JSON.parse. */
async function measureFloor(browser, dir) {
  const plaintexts = fs.readFileSync(path.join(dir, 'plaintexts.json'), 'utf8');
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${ORIGIN}/`);
  const floor = await page.evaluate(async (json) => {
    const texts = JSON.parse(json);
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const enc = new TextEncoder();
    const sealed = [];
    for (const t of texts) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      sealed.push({ iv, data: await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, enc.encode(t)) });
    }
    // Parallel (the browser may spread decrypts over threads) and one at a time (as the
    // app opens records); the floor is the parallel figure, the lower of the two.
    const time = async (parallel) => {
      const runs = [];
      for (let r = 0; r < 5; r++) {
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
        runs.push(performance.now() - start);
        if (count !== texts.length) throw new Error('floor parse failed');
      }
      runs.sort((a, b) => a - b);
      return runs[2];
    };
    const sequential = await time(false);
    const parallel = await time(true);
    return { parallel, sequential };
  }, plaintexts);
  await context.close();
  return floor;
}

async function main() {
  const dist = path.join(root, 'dist');
  const wasmFile = fs.readdirSync(dist).find((f) => f.endsWith('.wasm'));
  const wasm = fs.readFileSync(path.join(dist, wasmFile));
  const wasmRaw = wasm.length;
  const wasmGzip = zlib.gzipSync(wasm, { level: 9 }).length;

  const server = spawn('node', [path.join(root, 'scripts/serve-dist.js'), dist, String(PORT)], { stdio: 'ignore' });
  try {
    await waitForServer();
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
    const quota = await measureQuota(browser);
    const large = await measureDesk(browser, path.join(root, 'bench/out/large'), quota);
    const small = await measureDesk(browser, path.join(root, 'bench/out/small'), quota);
    const floor = await measureFloor(browser, path.join(root, 'bench/out/large'));
    const browserVersion = browser.version();
    await browser.close();

    const n = (x) => x.toLocaleString('en-GB');
    const saveCell = (d) => `${ms(d.saveMedian)} (with history ${ms(d.saveBy.with_history)}, without ${ms(d.saveBy.without_history)})`;
    const saveGap = Math.abs(large.saveMedian - small.saveMedian);
    const ratio = large.unlock.open / floor.parallel;
    const rows = [
      ['wasm size, gzipped (level 9)', `${n(wasmGzip)} B = ${(wasmGzip / 1000).toFixed(1)} KB (raw ${n(wasmRaw)} B)`, '≤ 300 KB', wasmGzip <= 300_000],
      [`cold load to the unlock screen, ${n(large.meta.pupils)} pupils (median of ${COLD_LOADS})`, ms(large.coldLoad), '≤ 500 ms', large.coldLoad <= 500],
      ['unlock: key derivation (Argon2id)', ms(large.unlock.derive), '–', null],
      [`unlock: open and parse, ${n(large.meta.pupils)} pupils`, ms(large.unlock.open), '≤ 500 ms', large.unlock.open <= 500],
      ['open and parse: browser floor (WebCrypto AES-GCM + JSON.parse)', `${ms(floor.parallel)}; ours is ${ratio.toFixed(1)}× the floor`, '–', null],
      [`save one edit, ${n(large.meta.pupils)} pupils (median of ${SAVES})`, saveCell(large), '≤ 10 ms', large.saveMedian <= 10],
      [`save one edit, ${n(small.meta.pupils)} pupils (median of ${SAVES})`, saveCell(small), '≤ 10 ms', small.saveMedian <= 10],
      [`save: ${n(large.meta.pupils)} vs ${n(small.meta.pupils)} pupils`, `differ by ${ms(saveGap)}`, 'equal (within 1 ms)', saveGap <= 1],
      [`save to list shown again, ${n(large.meta.pupils)} / ${n(small.meta.pupils)} pupils (median)`, `${ms(large.saveToListMedian)} / ${ms(small.saveToListMedian)}`, '–', null],
      [`storage used, ${n(large.meta.pupils)} pupils (${large.meta.with_sen_history} with ~${(large.meta.average_sen_record_json_bytes / 1000).toFixed(1)} KB history)`,
        `${(large.share * 100).toFixed(1)}% (${n(large.used)} of ${n(quota)} UTF-16 units)`, '≤ 30%', large.share <= 0.3],
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
      open_and_parse_ms: d.unlock.open,
      native_open_and_parse_ms: d.meta.native_open_and_parse_ms,
      save_median_ms: d.saveMedian,
      save_median_with_history_ms: d.saveBy.with_history,
      save_median_without_history_ms: d.saveBy.without_history,
      save_to_list_shown_median_ms: d.saveToListMedian,
      storage_used_utf16_units: d.used,
      storage_share_of_quota: d.share,
    });
    const results = {
      date: new Date().toISOString(),
      chromium: browserVersion,
      wasm: { file: wasmFile, raw_bytes: wasmRaw, gzip_bytes: wasmGzip },
      quota_utf16_units: quota,
      large: desk(large),
      small: desk(small),
      floor_open_and_parse_ms: floor.parallel,
      floor_open_and_parse_sequential_ms: floor.sequential,
      open_and_parse_ratio_to_floor: ratio,
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
