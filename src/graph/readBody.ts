import type { Dispatcher } from 'undici';

/**
 * Reads a reply body up to `limit` bytes. A longer body is destroyed rather than buffered;
 * either way the body is consumed or destroyed, so the connection is never left hanging.
 */
export async function readBodyText(body: Dispatcher.ResponseData['body'], limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      body.destroy();
      return undefined;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
