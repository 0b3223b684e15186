// The test and benchmark server (scripts/serve-dist.js) serves nothing outside its root
// (issue 12 point 9), and sends the headers its root's _headers gives each path.
// Run: node --test tests/server.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'scripts', 'serve-dist.js');
const SECRET = 'SECRET: nothing outside the root may be served';

// <tmp>/dist is the root. Beside it: dist-other/ (its name starts with the root's name),
// a secret file in the parent, and symbolic links inside the root that point out of it.
let tmp;
let server;
let origin;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'senco-serve-'));
  const root = path.join(tmp, 'dist');
  fs.mkdirSync(root);
  fs.mkdirSync(path.join(tmp, 'dist-other'));
  fs.writeFileSync(path.join(tmp, 'dist-other', 'secret.txt'), SECRET);
  fs.writeFileSync(path.join(tmp, 'secret.txt'), SECRET);
  fs.writeFileSync(path.join(root, 'index.html'), '<!DOCTYPE html><title>app</title>');
  fs.writeFileSync(path.join(root, 'app-0123456789abcdef.js'), 'export {};');
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(root, 'linked-secret.txt'));
  fs.symlinkSync(path.join(tmp, 'dist-other'), path.join(root, 'linked-dir'));
  fs.writeFileSync(
    path.join(root, '_headers'),
    [
      '# a comment',
      '/*',
      '  X-Content-Type-Options: nosniff',
      "  Content-Security-Policy: default-src 'none'; frame-ancestors 'none'",
      '',
      '/',
      '  Cache-Control: no-cache',
      '',
      '/app-0123456789abcdef.js',
      '  Cache-Control: public, max-age=31536000, immutable',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(root, '.htaccess'), 'Header always set X-Test "1"\n');
  server = spawn(process.execPath, [SERVER, root, '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  origin = await new Promise((resolve, reject) => {
    server.on('error', reject);
    server.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
    server.stdout.on('data', (chunk) => {
      const found = String(chunk).match(/http:\/\/127\.0\.0\.1:\d+/);
      if (found) resolve(found[0]);
    });
  });
});

after(() => {
  server?.kill();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A GET with the path sent exactly as written (fetch would normalise it first). */
function get(rawPath) {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('point 9: no path reaches a file outside the root, however it is written', async () => {
  const attempts = [
    '/..%2fdist-other/secret.txt',
    '/..%2Fdist-other%2Fsecret.txt',
    '/..%2f..%2f' + encodeURIComponent(path.join(os.tmpdir(), path.basename(tmp), 'secret.txt').slice(1)),
    '/..%2fsecret.txt',
    '/%2e%2e/dist-other/secret.txt',
    '/%2e%2e%2fdist-other%2fsecret.txt',
    '/.%2e/dist-other/secret.txt',
    '/%2e%2e%2f%2e%2e%2fdist-other%2fsecret.txt',
    '/%252e%252e%252fdist-other%252fsecret.txt',
    '/..%252fdist-other%252fsecret.txt',
    '/..%5cdist-other%5csecret.txt',
    '/..\\dist-other\\secret.txt',
    '/../dist-other/secret.txt',
    '/../secret.txt',
    '//..%2fdist-other/secret.txt',
    '/..%2fdist-other/secret.txt%00',
    '/..%c0%afdist-other/secret.txt',
    '/linked-secret.txt',
    '/linked-dir/secret.txt',
    '/linked-dir%2fsecret.txt',
    '/..%2fdist-other',
  ];
  for (const attempt of attempts) {
    const { status, body } = await get(attempt);
    assert.ok(!body.includes('SECRET'), `${attempt} served a file outside the root (${status})`);
    assert.notEqual(status, 500, attempt);
  }
});

test('point 9: a path escaping the root is refused outright, not treated as a page', async () => {
  for (const attempt of ['/..%2fdist-other', '/..%5cdist-other', '/linked-secret.txt', '/linked-dir/secret.txt']) {
    assert.equal((await get(attempt)).status, 403, attempt);
  }
});

test('files inside the root are served, and unknown pages get index.html', async () => {
  const script = await get('/app-0123456789abcdef.js');
  assert.equal(script.status, 200);
  assert.equal(script.body, 'export {};');
  assert.match(script.headers['content-type'], /^text\/javascript/);
  const page = await get('/pupils');
  assert.equal(page.status, 200);
  assert.match(page.body, /<title>app<\/title>/);
  assert.equal((await get('/missing.js')).status, 404);
});

test('each path gets the headers _headers gives it, and the host files are not served', async () => {
  const home = await get('/');
  assert.equal(home.headers['x-content-type-options'], 'nosniff');
  assert.equal(home.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'");
  assert.equal(home.headers['cache-control'], 'no-cache');
  const script = await get('/app-0123456789abcdef.js');
  assert.equal(script.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(script.headers['x-content-type-options'], 'nosniff');
  // A page _headers names no cache for: asked about every time, as the hosts do.
  assert.equal((await get('/pupils')).headers['cache-control'], 'no-cache');
  for (const hidden of ['/_headers', '/.htaccess']) {
    const { status, body } = await get(hidden);
    assert.equal(status, 404, hidden);
    assert.ok(!body.includes('Cache-Control') && !body.includes('X-Test'), hidden);
  }
});
