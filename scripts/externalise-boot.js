// Trunk post-build hook: moves Trunk's inline boot <script type="module"> into boot-<hash>.js,
// because the page's Content-Security-Policy allows scripts from the site's own files only.
// Also writes 404.html, so static hosts that serve it for unknown paths open the app, and
// the HTTP headers for hosts that read them from the site: _headers (Netlify, Cloudflare
// Pages) and .htaccess (Apache), from the page's own policy (scripts/security-headers.js).
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { writeHostFiles } = require('./security-headers');

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2];
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set');
const indexPath = path.join(dir, 'index.html');
let html = fs.readFileSync(indexPath, 'utf8');

const inline = /<script type="module">([\s\S]*?)<\/script>/g;
const scripts = [...html.matchAll(inline)];
if (scripts.length !== 1) {
  throw new Error(`expected one inline boot script in index.html, found ${scripts.length}`);
}
// Paths in the boot script are relative to the page; make them relative to the script,
// which sits beside the page, so they mean the same.
const body = scripts[0][1];
const hash = crypto.createHash('sha256').update(body).digest('hex').slice(0, 16);
const name = `boot-${hash}.js`;
fs.writeFileSync(path.join(dir, name), body.trim() + '\n');
html = html.replace(scripts[0][0], `<script type="module" src="./${name}"></script>`);
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html)) throw new Error('an inline script is left in index.html');
fs.writeFileSync(indexPath, html);
fs.writeFileSync(path.join(dir, '404.html'), html);
writeHostFiles(dir);
console.log(`boot script moved to ${name}; 404.html, _headers and .htaccess written`);
