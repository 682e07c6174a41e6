import type { Dispatcher } from 'undici';

/**
 * Reads a reply body up to `limit` bytes. A longer body is destroyed rather than buffered;
 * either way the body is consumed or destroyed, so the connection is never left hanging.
 */
export function readBodyText(body: Dispatcher.ResponseData['body'], limit: number): Promise<string | undefined> {
  // Listeners rather than async iteration: this runs once per Graph call, and is cheaper so.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      body.destroy();
      resolve(undefined);
    });
    body.on('end', () => resolve(Buffer.concat(chunks, size).toString('utf8')));
    body.on('error', reject);
  });
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
