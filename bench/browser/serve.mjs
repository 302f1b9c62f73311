// The static server of the browser benchmarks (run.mjs, profile.mjs): this page, the built widget
// (`/pkg/`), the camera frames (`/camera/`), the peers' npm packages (`/node_modules/`), plus what
// `route(url)` adds: a file path, `{ json }` for a JSON body, or undefined for the defaults.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.png': 'image/png', '.json': 'application/json' };

/** Listening on 127.0.0.1 on a free port; resolves to the server. */
export async function serveBench({ pkgDir, cameraDir, route = () => undefined }) {
  const server = createServer(async (req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = route(url);
    if (file && typeof file === 'object') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(file.json));
    }
    if (file === undefined) {
      if (url === '/' || url === '/page.html') file = join(here, 'page.html');
      else if (cameraDir && url.startsWith('/camera/')) file = join(cameraDir, url.slice(8));
      else if (url.startsWith('/pkg/')) file = join(pkgDir, url.slice(5));
      else if (url.startsWith('/node_modules/')) file = join(here, url);
    }
    if (!file || file.includes('..')) { res.writeHead(404); return res.end(); }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
      res.end(body);
    } catch { res.writeHead(404); res.end(); }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return server;
}
