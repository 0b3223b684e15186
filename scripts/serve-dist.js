// A tiny static server for the built app (tests and benchmark). Serves dist/ on 127.0.0.1,
// and index.html for extensionless paths, as a static host with an SPA fallback would, with
// the headers dist/_headers gives each path (as Netlify and Cloudflare Pages do), so the
// journeys run under the headers a real host sends.
//
// Nothing outside the root is ever served: a path with a `..` segment, a backslash or a NUL
// (however encoded) is refused, and so is a file whose real path (symbolic links followed)
// is not inside the root's real path. `_headers` and dot files are not served, as on those
// hosts.
// Usage: node scripts/serve-dist.js [dir] [port]   (port 0: any free port; the URL is printed)
const http = require('http');
const fs = require('fs');
const path = require('path');

const root = fs.realpathSync(path.resolve(process.argv[2] || 'dist'));
const port = Number(process.argv[3] || 8081);
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** `_headers` as rules: a path pattern (`*` matches anything) and its headers. */
function readHeaderRules(file) {
  if (!fs.existsSync(file)) return [];
  const rules = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      const pattern = line.trim().split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
      rules.push({ pattern: new RegExp(`^${pattern.join('.*')}$`), headers: [] });
    } else {
      const colon = line.indexOf(':');
      if (colon < 0 || rules.length === 0) throw new Error(`_headers: cannot read "${line}"`);
      rules[rules.length - 1].headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
    }
  }
  return rules;
}

const rules = readHeaderRules(path.join(root, '_headers'));

/** Every matching rule's headers; a header named by two rules is joined, as the hosts do. */
function headersFor(urlPath) {
  const headers = {};
  for (const rule of rules.filter((r) => r.pattern.test(urlPath))) {
    for (const [name, value] of rule.headers) {
      const key = name.toLowerCase();
      headers[key] = headers[key] ? `${headers[key]}, ${value}` : value;
    }
  }
  return headers;
}

/** Whether `file` is the root or inside it. */
function inside(file, base) {
  const relative = path.relative(base, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

const HIDDEN = Symbol('hidden');

/** The file for a request path: null when it may not be served, HIDDEN for the host's own
 * files, '' when there is none. */
function fileFor(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const segments = decoded.split('/');
  if (/[\\\0]/.test(decoded) || segments.includes('..')) return null;
  if (segments.some((s) => s.startsWith('.')) || segments.at(-1) === '_headers') return HIDDEN;
  const file = path.resolve(root, `.${decoded}`);
  if (!inside(file, root)) return null;
  let real;
  try {
    real = fs.realpathSync(file);
  } catch {
    return '';
  }
  if (!inside(real, root)) return null;
  return fs.statSync(real).isFile() ? real : '';
}

const server = http.createServer((req, res) => {
  let urlPath;
  try {
    urlPath = new URL(req.url, 'http://localhost').pathname;
  } catch {
    res.writeHead(400).end();
    return;
  }
  let file = fileFor(urlPath);
  if (file === null) {
    res.writeHead(403).end('forbidden');
    return;
  }
  if (file === HIDDEN) {
    res.writeHead(404, headersFor(urlPath)).end('not found');
    return;
  }
  if (file === '') {
    if (path.extname(urlPath) !== '') {
      res.writeHead(404, headersFor(urlPath)).end('not found');
      return;
    }
    file = path.join(root, 'index.html');
  }
  res.writeHead(200, {
    'content-type': types[path.extname(file)] || 'application/octet-stream',
    // What the hosts send when _headers gives no Cache-Control: check with the server first.
    'cache-control': 'no-cache',
    ...headersFor(urlPath),
  });
  fs.createReadStream(file).pipe(res);
});

server.listen(port, '127.0.0.1', () => {
  console.log(`serving ${root} on http://127.0.0.1:${server.address().port}`);
});
