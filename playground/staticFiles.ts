import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join } from 'node:path';

const PUBLIC = join(import.meta.dirname, 'public');
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };
// Browsers ask for /favicon.ico whatever the page links: answer with the SVG one.
const ALIASES: Record<string, string> = { '/': 'index.html', '/favicon.ico': 'favicon.svg' };

/** Serves the page's files from playground/public: flat names only, so no path leaves that folder. */
export async function serveStatic(path: string, res: ServerResponse): Promise<void> {
  const file = ALIASES[path] ?? path.slice(1);
  if (!/^[a-z0-9-]+\.(html|js|css|svg)$/.test(file)) return notFound(res);
  let content: Buffer;
  try {
    content = await readFile(join(PUBLIC, file));
  } catch {
    return notFound(res);
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': content.length, 'cache-control': 'no-store' });
  res.end(content);
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('not found');
}
