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
const ms = (x) => `${x.toFixed(1)} ms`;

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
  const edits = page.getByRole('button', { name: /^Edit / });
  await edits.first().waitFor();
  const years = ['1', '2', '3', '4', '5', '6'];
  for (let i = 0; i < SAVES; i++) {
    await edits.nth(i % 10).click();
    await page.getByLabel('Year group').selectOption(years[i % years.length]);
    await page.getByRole('button', { name: 'Save pupil' }).click();
    await page.getByRole('button', { name: 'Add a pupil' }).waitFor();
  }
  const saves = await page.evaluate(() => performance.getEntriesByName('senco:save').map((e) => e.duration));
  if (saves.length !== SAVES) throw new Error(`expected ${SAVES} saves, measured ${saves.length}`);
  await context.close();
  return { meta, coldLoad: median(coldLoads), unlock, saveMedian: median(saves), used, share: used / quota };
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
    const runs = [];
    for (let r = 0; r < 5; r++) {
      const dec = new TextDecoder();
      const start = performance.now();
      const opened = await Promise.all(sealed.map((s) => crypto.subtle.decrypt({ name: 'AES-GCM', iv: s.iv }, key, s.data)));
      let count = 0;
      for (const bytes of opened) count += JSON.parse(dec.decode(bytes)).revision ? 1 : 0;
      runs.push(performance.now() - start);
      if (count !== texts.length) throw new Error('floor parse failed');
    }
    runs.sort((a, b) => a - b);
    return runs[2];
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
    await browser.close();

    const rows = [
      ['wasm size, gzipped', `${(wasmGzip / 1000).toFixed(1)} KB (raw ${(wasmRaw / 1000).toFixed(1)} KB)`, '≤ 300 KB', wasmGzip <= 300_000],
      ['cold load to the unlock screen (median of 5)', ms(large.coldLoad), '≤ 500 ms', large.coldLoad <= 500],
      ['unlock: key derivation (Argon2id 64 MiB, t=3)', ms(large.unlock.derive), '(not set)', null],
      [`unlock: open and parse, ${large.meta.pupils} pupils`, ms(large.unlock.open), '≤ 500 ms', large.unlock.open <= 500],
      ['open and parse: browser floor (WebCrypto + JSON.parse)', `${ms(floor)} (ours is ${(large.unlock.open / floor).toFixed(1)}×)`, '(reference)', null],
      [`save one edit, median of ${SAVES}, ${large.meta.pupils} pupils`, ms(large.saveMedian), '≤ 10 ms', large.saveMedian <= 10],
      [`save one edit, median of ${SAVES}, ${small.meta.pupils} pupils`, ms(small.saveMedian), '≤ 10 ms, equal', small.saveMedian <= 10],
      [`storage used, ${large.meta.pupils} pupils (${large.meta.with_sen_history} with ~${(large.meta.average_sen_record_json_bytes / 1000).toFixed(1)} KB history)`,
        `${(large.share * 100).toFixed(1)}% of ${(quota / 1048576).toFixed(2)} Mi units`, '≤ 30%', large.share <= 0.3],
    ];
    console.log('| Figure | Measured | Target | Met |');
    console.log('| --- | --- | --- | --- |');
    for (const [name, value, target, met] of rows) {
      console.log(`| ${name} | ${value} | ${target} | ${met === null ? '' : met ? 'yes' : 'NO'} |`);
    }
    const results = {
      date: new Date().toISOString(),
      wasm: { raw_bytes: wasmRaw, gzip_bytes: wasmGzip },
      quota_utf16_units: quota,
      large: { ...large, meta: undefined, pupils: large.meta.pupils },
      small: { ...small, meta: undefined, pupils: small.meta.pupils },
      floor_open_and_parse_ms: floor,
      open_and_parse_ratio_to_floor: large.unlock.open / floor,
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
