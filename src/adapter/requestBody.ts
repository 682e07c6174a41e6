import { headerOf, type WebhookRequest } from './http.js';

export type BodyResult =
  | { ok: true; bytes: Buffer }
  | { ok: false; status: 401 | 408 | 413; reason: string };

/**
 * The raw bytes of a webhook body, which the signature covers. Body parsers that ran
 * earlier may have kept them (`req.rawBody`, Botkit and Restify as a string) or left a
 * Buffer/string `req.body`; otherwise the stream is read here. A parsed object alone
 * cannot be verified (re-serialised JSON differs from what Meta signed), hence 401.
 */
export async function readRawBody(req: WebhookRequest, maxBytes: number, timeoutMs: number): Promise<BodyResult> {
  const kept = keptBytes(req.rawBody) ?? keptBytes(req.body);
  if (kept) return kept.length > maxBytes ? tooLarge(maxBytes) : { ok: true, bytes: kept };

  const declared = Number(headerOf(req, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge(maxBytes);

  if (req.body !== undefined || req.readableEnded === true || typeof req.on !== 'function') {
    return {
      ok: false,
      status: 401,
      reason: 'the raw body is gone (a body parser consumed it): mount the adapter before body parsers, or keep req.rawBody',
    };
  }
  return readStream(req, maxBytes, timeoutMs);
}

function keptBytes(value: unknown): Buffer | undefined {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  // Meta escapes non-ASCII as \uXXXX, so a decoded string re-encodes to the signed bytes.
  if (typeof value === 'string' && value.length > 0) return Buffer.from(value, 'utf8');
  return undefined;
}

function tooLarge(maxBytes: number): BodyResult {
  return { ok: false, status: 413, reason: `the body exceeds ${maxBytes} bytes` };
}

function readStream(req: WebhookRequest, maxBytes: number, timeoutMs: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyResult) => {
      clearTimeout(timer);
      req.off?.('data', onData as never);
      req.off?.('end', onEnd);
      req.off?.('error', onError);
      // Let the rest of a refused body drain instead of stalling the socket.
      if (!result.ok) req.resume?.();
      resolve(result);
    };
    const onData = (chunk: Buffer | string) => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      size += buffer.length;
      if (size > maxBytes) finish(tooLarge(maxBytes));
      else chunks.push(buffer);
    };
    const onEnd = () => finish({ ok: true, bytes: Buffer.concat(chunks, size) });
    const onError = () => finish({ ok: false, status: 408, reason: 'the request stream failed before the body was complete' });
    const timer = setTimeout(() => finish({ ok: false, status: 408, reason: `the body did not arrive within ${timeoutMs} ms` }), timeoutMs);
    req.on?.('data', onData as never);
    req.on?.('end', onEnd);
    req.on?.('error', onError);
  });
}
