// The HTTP headers a host should send with Senco Desk, written for each kind of host from one
// source: the Content-Security-Policy in index.html's <meta> tag.
//
// - dist/_headers (Netlify, Cloudflare Pages) and dist/.htaccess (Apache) are written by the
//   post-build hook (scripts/externalise-boot.js); scripts/serve-dist.js sends what _headers
//   says, so every end-to-end journey runs under these headers.
// - docs/deploy/nginx.conf (nginx reads no file from the site) is written by
//   `node scripts/security-headers.js --write-nginx`; tests/headers.test.mjs checks it is
//   current.
//
// The header policy adds `frame-ancestors 'none'`, which browsers ignore in a <meta> tag:
// no other site may show the app inside a frame.
const fs = require('fs');
const path = require('path');

/** Files whose name carries a hash of their contents: they never change, so cache for good. */
const HASHED = /-[0-9a-f]{16}(_bg)?\.(wasm|js|css)$/;
const HASHED_PATTERN = '-[0-9a-f]{16}(_bg)?\\.(wasm|js|css)$';
const CACHE_HASHED = 'public, max-age=31536000, immutable';
/** The pages (index.html, 404.html and the addresses that serve them): ask every time. */
const CACHE_PAGE = 'no-cache';

/** The policy in index.html's meta tag. */
function metaPolicy(html) {
  const found = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/);
  if (!found) throw new Error('index.html has no Content-Security-Policy meta tag');
  return found[1];
}

/** Every header but Cache-Control, in the order written. */
function securityHeaders(html) {
  const policy = metaPolicy(html).replace(/;\s*$/, '');
  if (/frame-ancestors/.test(policy)) throw new Error('frame-ancestors belongs in the header only');
  return [
    ['Content-Security-Policy', `${policy}; frame-ancestors 'none'`],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'no-referrer'],
    // For browsers that do not know frame-ancestors.
    ['X-Frame-Options', 'DENY'],
  ];
}

const GENERATED = 'Written from index.html by scripts/security-headers.js: do not edit by hand.';

/**
 * Netlify and Cloudflare Pages. When several rules match a path, both hosts send every
 * header of each; a header named in two matching rules would be joined, so each header
 * appears in rules that never overlap: the security headers for every path, Cache-Control
 * for each page and each hashed file by name.
 */
function headersFile(html, fileNames) {
  const lines = [`# Senco Desk: HTTP headers for Netlify and Cloudflare Pages. ${GENERATED}`, '/*'];
  for (const [name, value] of securityHeaders(html)) lines.push(`  ${name}: ${value}`);
  for (const page of ['/', '/index.html', '/404.html']) {
    lines.push('', page, `  Cache-Control: ${CACHE_PAGE}`);
  }
  for (const name of [...fileNames].filter((f) => HASHED.test(f)).sort()) {
    lines.push('', `/${name}`, `  Cache-Control: ${CACHE_HASHED}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Apache. Needs mod_headers and `AllowOverride FileInfo`: without them Apache answers with
 * an error rather than serve the app without its headers. */
function htaccess(html) {
  const set = (name, value) => `Header always set ${name} "${value}"`;
  return [
    `# Senco Desk: HTTP headers for Apache. ${GENERATED}`,
    ...securityHeaders(html).map(([name, value]) => set(name, value)),
    set('Cache-Control', CACHE_PAGE),
    `<FilesMatch "${HASHED_PATTERN}">`,
    `  ${set('Cache-Control', CACHE_HASHED)}`,
    '</FilesMatch>',
    'AddType application/wasm .wasm',
    '',
  ].join('\n');
}

/** nginx: lines for the server block of the app's own origin. */
function nginxConf(html) {
  const add = (indent) => ([name, value]) => `${indent}add_header ${name} "${value}" always;`;
  const security = securityHeaders(html);
  return [
    `# Senco Desk: HTTP headers for nginx. ${GENERATED}`,
    '# nginx reads no file from the site: put these lines in the server { } block that serves',
    "# the app's own origin (its own subdomain), with root set to the folder holding dist/'s",
    '# files. The mime.types nginx ships maps .wasm to application/wasm; check yours does.',
    'index index.html;',
    ...security.map(add('')),
    add('')(['Cache-Control', CACHE_PAGE]),
    '',
    '# Reloading an inner page (/pupils) opens the app.',
    'location / {',
    '    try_files $uri $uri/ /index.html;',
    '}',
    '',
    '# Files with a hash in their name never change. A location with add_header of its own',
    '# drops every add_header above, so the security headers are repeated here.',
    `location ~ "${HASHED_PATTERN}" {`,
    ...security.map(add('    ')),
    add('    ')(['Cache-Control', CACHE_HASHED]),
    '}',
    '',
  ].join('\n');
}

/** Writes _headers and .htaccess beside a built index.html. */
function writeHostFiles(dir) {
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  fs.writeFileSync(path.join(dir, '_headers'), headersFile(html, fs.readdirSync(dir)));
  fs.writeFileSync(path.join(dir, '.htaccess'), htaccess(html));
}

const NGINX_PATH = path.join(__dirname, '..', 'docs', 'deploy', 'nginx.conf');

if (require.main === module) {
  if (process.argv[2] !== '--write-nginx') throw new Error('usage: node scripts/security-headers.js --write-nginx');
  const html = fs.readFileSync(path.join(__dirname, '..', 'index.html'), 'utf8');
  fs.mkdirSync(path.dirname(NGINX_PATH), { recursive: true });
  fs.writeFileSync(NGINX_PATH, nginxConf(html));
  console.log(`wrote ${NGINX_PATH}`);
}

module.exports = {
  HASHED,
  CACHE_HASHED,
  CACHE_PAGE,
  metaPolicy,
  securityHeaders,
  headersFile,
  htaccess,
  nginxConf,
  writeHostFiles,
  NGINX_PATH,
};
