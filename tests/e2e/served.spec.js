// Issue 12, "Where the app is served": the app refuses to run in a frame, and its About page
// says where to serve it.
const fs = require('fs');
const path = require('path');
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

const VERSION = fs
  .readFileSync(path.join(__dirname, '..', '..', 'Cargo.toml'), 'utf8')
  .match(/^version = "([^"]+)"/m)[1];

/**
 * The test server may send headers that make the browser itself refuse to frame the app
 * (frame-ancestors, X-Frame-Options). Strip them, so what is tested is the app's own refusal.
 */
async function allowFraming(page, baseURL) {
  await page.route(`${baseURL}/**`, async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['x-frame-options'];
    if (headers['content-security-policy']) {
      headers['content-security-policy'] = headers['content-security-policy']
        .split(';')
        .filter((d) => !/^\s*frame-ancestors\b/i.test(d))
        .join(';');
    }
    await route.fulfill({ response, headers });
  });
}

/** Records, in every frame, each time the page reaches for a browser store. */
function watchStorage(page) {
  return page.addInitScript(() => {
    window.storageUsed = [];
    for (const name of ['localStorage', 'sessionStorage', 'indexedDB']) {
      // The window is the global object: its attributes are its own properties.
      const original = Object.getOwnPropertyDescriptor(window, name);
      Object.defineProperty(window, name, {
        configurable: true,
        get() {
          window.storageUsed.push(name);
          return original.get.call(this);
        },
      });
    }
  });
}

for (const framer of ['http://another-site.test/page.html', 'same origin']) {
  test(`the app refuses to run inside a frame (${framer}) and offers to open it on its own`, async ({ page, baseURL }) => {
    const problems = h.watchPage(page);
    await allowFraming(page, baseURL);
    await watchStorage(page);
    const framerURL = framer === 'same origin' ? `${baseURL}/framer.html` : framer;
    await page.route(framerURL, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!DOCTYPE html><html lang="en"><title>Framer</title><iframe title="app" src="${baseURL}/pupils"></iframe></html>`,
      }),
    );
    await page.goto(framerURL);
    const app = page.frameLocator('iframe');
    await expect(app.getByRole('heading', { level: 1, name: 'Open Senco Desk in a tab of its own' })).toBeVisible();
    const open = app.getByRole('link', { name: 'Open Senco Desk directly' });
    await expect(open).toHaveAttribute('target', '_top');
    await expect(open).toHaveAttribute('href', `${baseURL}/pupils`);
    // Nothing of the app runs: no form, no store read.
    await expect(app.locator('input, form, nav')).toHaveCount(0);
    await expect(app.getByText('Senco Desk is loading')).toHaveCount(0);
    const frame = page.frames().find((f) => f.url().startsWith(baseURL) && f !== page.mainFrame());
    expect(await frame.evaluate(() => window.storageUsed)).toEqual([]);

    // The link opens the app in the whole tab, where it runs (and reaches its store).
    await open.click();
    await expect(page).toHaveURL(new RegExp(`^${baseURL}/`));
    await expect(page.getByRole('heading', { level: 1, name: 'Create your desk' })).toBeVisible();
    expect(await page.evaluate(() => window.storageUsed)).toContain('localStorage');
    expect(problems).toEqual([]);
  });
}

test('the About page gives the version and where to serve the app, locked and unlocked, by keyboard', async ({ page }) => {
  const problems = h.watchPage(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Create your desk' })).toBeVisible();

  // By keyboard alone, from the first-run screen (nothing unlocked).
  const about = page.getByRole('contentinfo').getByRole('link', { name: 'About Senco Desk' });
  await expect(about).toBeVisible();
  for (let i = 0; i < 30 && !(await about.evaluate((a) => a === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(about).toBeFocused();
  await page.keyboard.press('Enter');
  const heading = page.getByRole('heading', { level: 1, name: 'About Senco Desk' });
  await expect(heading).toBeFocused();
  await expect(page).toHaveTitle('About \u2013 Senco Desk');
  await expect(page).toHaveURL(/\/about$/);

  const version = page.getByRole('region', { name: 'Version' });
  await expect(version).toContainText(`Senco Desk version ${VERSION}.`);
  const serving = page.getByRole('region', { name: 'Where to serve Senco Desk' });
  for (const text of [
    'a web address of its own: its own subdomain, such as senco.example-school.org.uk',
    "Never put it in a folder of a site shared with anything else, such as the school's main website, or a user.github.io site shared with other repositories.",
    'the scheme, host and port',
    'Any other page on the same origin can read the desk\'s sealed store, and a page on another origin could show Senco Desk inside a frame',
    'Senco Desk refuses to run in a frame.',
    '_headers for Netlify and Cloudflare Pages, .htaccess for Apache, and docs/deploy/nginx.conf for nginx',
  ]) {
    await expect(serving).toContainText(text);
  }
  await h.expectNoAxeViolations(page, 'about, locked');

  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Back to Senco Desk' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Create your desk' })).toBeVisible();

  // Unlocked: the same page from the footer, with the desk still open behind it.
  await h.createDesk(page);
  await page.getByRole('contentinfo').getByRole('link', { name: 'About Senco Desk' }).click();
  await expect(heading).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(version).toContainText(VERSION);
  await h.expectNoAxeViolations(page, 'about, unlocked');
  await h.goTo(page, 'Home');

  // Its address opens it directly too (a reload locks the desk; About still shows).
  await page.goto('/about');
  await expect(heading).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  expect(problems).toEqual([]);
});
