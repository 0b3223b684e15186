// The HTTP headers shipped for hosts (dist/_headers, dist/.htaccess, docs/deploy/nginx.conf)
// say the same thing, and the Content-Security-Policy in each is index.html's own plus
// frame-ancestors 'none'. Each file is read here as its host would read it, not through
// the code that writes it. Run: node --test tests/headers.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const headers = createRequire(import.meta.url)(path.join(ROOT, 'scripts', 'security-headers.js'));
const INDEX = fs.readFileSync(path.join(ROOT, 'index.html'), 'utf8');
// A build's file names, as Trunk and the post-build hook write them.
const BUILT = [
  '404.html',
  'boot-c58572ad9352abef.js',
  'index.html',
  'main-2fae1f08bc859d87.css',
  'senco-desk-9e09af10115450c0.js',
  'senco-desk-9e09af10115450c0_bg.wasm',
];
const HASHED = BUILT.filter((f) => !f.endsWith('.html'));

/** What every response must carry, from index.html's meta tag. */
function expectedSecurity() {
  const meta = INDEX.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/)[1];
  assert.doesNotMatch(meta, /frame-ancestors/, 'browsers ignore frame-ancestors in a meta tag');
  return {
    'content-security-policy': `${meta}; frame-ancestors 'none'`,
    'cross-origin-opener-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
}

/** _headers as Netlify and Cloudflare Pages read it: the headers for one path, each name
 * with every value given to it by a matching rule. */
function fromHeadersFile(text, urlPath) {
  const found = {};
  let matches = false;
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      const pattern = line.trim().split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
      matches = new RegExp(`^${pattern}$`).test(urlPath);
    } else if (matches) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      (found[name] ??= []).push(line.slice(colon + 1).trim());
    }
  }
  return found;
}

/** `Header always set Name "value"` lines of .htaccess, the FilesMatch block's applying to
 * file names it matches (Apache merges that block last, so its values win). */
function fromHtaccess(text, fileName) {
  const found = {};
  let block = null;
  for (const line of text.split('\n').map((l) => l.trim())) {
    const opening = line.match(/^<FilesMatch "(.+)">$/);
    if (opening) block = new RegExp(opening[1]);
    else if (line === '</FilesMatch>') block = null;
    const set = line.match(/^Header always set (\S+) "(.*)"$/);
    if (set && (block === null || block.test(fileName))) found[set[1].toLowerCase()] = set[2];
  }
  return found;
}

/** nginx's add_header lines: the server block's, or a location's own (which replace them). */
function fromNginx(text, fileName) {
  const server = {};
  const locations = [];
  let current = server;
  for (const line of text.split('\n').map((l) => l.trim())) {
    const opening = line.match(/^location (~ "(.+)"|\/) \{$/);
    if (opening) {
      current = {};
      locations.push({ pattern: opening[2] ? new RegExp(opening[2]) : null, headers: current });
    } else if (line === '}') current = server;
    const add = line.match(/^add_header (\S+) "(.*)" always;$/);
    if (add) current[add[1].toLowerCase()] = add[2];
  }
  const own = locations.find((l) => l.pattern?.test(`/${fileName}`) && Object.keys(l.headers).length);
  return own ? own.headers : server;
}

test('every host file sends the page\'s own policy, with frame-ancestors, and the other headers', () => {
  const security = expectedSecurity();
  const headersFile = headers.headersFile(INDEX, BUILT);
  const htaccess = headers.htaccess(INDEX);
  const nginx = fs.readFileSync(headers.NGINX_PATH, 'utf8');
  for (const file of BUILT) {
    const cache = HASHED.includes(file) ? 'public, max-age=31536000, immutable' : 'no-cache';
    const expected = { ...security, 'cache-control': cache };
    const netlify = Object.fromEntries(
      Object.entries(fromHeadersFile(headersFile, `/${file}`)).map(([name, values]) => {
        // A name given by two matching rules would be sent joined: never so here.
        assert.equal(values.length, 1, `_headers names ${name} twice for /${file}`);
        return [name, values[0]];
      }),
    );
    assert.deepEqual(netlify, expected, `_headers, /${file}`);
    assert.deepEqual(fromHtaccess(htaccess, file), expected, `.htaccess, ${file}`);
    assert.deepEqual(fromNginx(nginx, file), expected, `nginx.conf, ${file}`);
  }
  // The site root, and an inner page reloaded (index.html on nginx; the host's own
  // revalidating default on Netlify and Cloudflare Pages, since _headers names no cache).
  assert.deepEqual(Object.keys(fromHeadersFile(headersFile, '/')).sort(), [...Object.keys(security), 'cache-control'].sort());
  const inner = fromHeadersFile(headersFile, '/pupils');
  assert.deepEqual(Object.keys(inner).sort(), Object.keys(security).sort());
});

test('docs/deploy/nginx.conf is current with index.html', () => {
  assert.equal(
    fs.readFileSync(headers.NGINX_PATH, 'utf8'),
    headers.nginxConf(INDEX),
    'run: node scripts/security-headers.js --write-nginx',
  );
});

test('the post-build hook writes _headers and .htaccess beside index.html', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'senco-headers-'));
  try {
    // The staging folder as Trunk leaves it: its boot script still inline.
    const staged = INDEX.replace('</head>', '<script type="module">import init from "./app.js"; init();</script></head>');
    fs.writeFileSync(path.join(dir, 'index.html'), staged);
    for (const file of HASHED) fs.writeFileSync(path.join(dir, file), '');
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'externalise-boot.js'), dir], { stdio: 'pipe' });
    const built = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
    const files = fs.readdirSync(dir);
    assert.ok(files.some((f) => /^boot-[0-9a-f]{16}\.js$/.test(f)), files.join(' '));
    assert.equal(fs.readFileSync(path.join(dir, '_headers'), 'utf8'), headers.headersFile(built, files));
    assert.equal(fs.readFileSync(path.join(dir, '.htaccess'), 'utf8'), headers.htaccess(built));
    for (const file of files.filter((f) => headers.HASHED.test(f))) {
      assert.match(fs.readFileSync(path.join(dir, '_headers'), 'utf8'), new RegExp(`^/${file.replace('.', '\\.')}$`, 'm'));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
