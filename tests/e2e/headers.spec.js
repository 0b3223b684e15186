// The served app carries the HTTP headers shipped for hosts (dist/_headers, which
// scripts/serve-dist.js sends as Netlify or Cloudflare Pages would, so every journey runs
// under them), with the page's own policy plus frame-ancestors, and works under them.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

const HASHED = /-[0-9a-f]{16}(_bg)?\.(wasm|js|css)$/;

test('the page and its files carry the host headers, and the app works under them', async ({ page }) => {
  const problems = h.watchPage(page);
  const responses = [];
  page.on('response', (r) => responses.push(r));
  const response = await page.goto('/');
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  const security = {
    'content-security-policy': `${meta}; frame-ancestors 'none'`,
    'cross-origin-opener-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
  const pick = (headers, names) => Object.fromEntries(names.map((n) => [n, headers[n]]));
  expect(pick(response.headers(), [...Object.keys(security), 'cache-control'])).toEqual({
    ...security,
    'cache-control': 'no-cache',
  });
  // An inner page reloaded gets index.html with the same headers.
  const inner = await page.request.get('/pupils');
  expect(pick(inner.headers(), Object.keys(security))).toEqual(security);

  // The app's own files: each has a hash in its name and is cached for good.
  await expect(page.getByRole('heading', { name: 'Create your desk' })).toBeVisible();
  const files = responses.filter((r) => HASHED.test(new URL(r.url()).pathname));
  expect(new Set(files.map((r) => new URL(r.url()).pathname.split('.').pop()))).toEqual(new Set(['js', 'css', 'wasm']));
  for (const file of files) {
    expect(pick(file.headers(), ['cache-control', 'x-content-type-options']), file.url()).toEqual({
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    });
  }

  // Under these headers a desk is made, a pupil added, and the page reloaded and unlocked.
  const amara = { forename: 'Amara', surname: 'Okafor', dob: '14/09/2017', year: '4' };
  await h.createDesk(page);
  await h.goTo(page, 'Pupils');
  await h.addPupil(page, amara);
  await page.reload();
  await h.unlockOk(page);
  await h.openPupil(page, amara);
  expect(problems).toEqual([]);
});
