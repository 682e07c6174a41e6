/**
 * The one bounded body reader: a webhook request or a Graph reply, read up to `maxBytes`
 * (and within `timeoutMs` when given). It only listens; the caller decides what happens to
 * a refused stream (destroy a Graph reply, drain a webhook request), since only it knows.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- listener types must accept every emitter's (Node's are `any[]`) */
/** The part of a Node readable (IncomingMessage, undici's body, a webhook request) the reader needs. */
export interface ReadableLike {
  on(event: string, listener: (...args: any[]) => void): unknown;
  off?(event: string, listener: (...args: any[]) => void): unknown;
  removeListener?(event: string, listener: (...args: any[]) => void): unknown;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export type BoundedRead =
  | { ok: true; bytes: Buffer }
  | { ok: false; reason: 'too-large' | 'timeout' }
  | { ok: false; reason: 'error'; error: unknown };

export interface ReadBoundedOptions {
  maxBytes: number;
  /** Gives up when the whole body has not arrived in time. Default: no limit (the caller's deadline aborts the stream). */
  timeoutMs?: number;
}

export function readBounded(stream: ReadableLike, { maxBytes, timeoutMs }: ReadBoundedOptions): Promise<BoundedRead> {
  // Listeners rather than async iteration: this runs once per Graph call and per webhook, and is cheaper so.
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: BoundedRead) => {
      if (timer !== undefined) clearTimeout(timer);
      const off = (stream.off ?? stream.removeListener)?.bind(stream);
      off?.('data', onData);
      off?.('end', onEnd);
      off?.('error', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer | string) => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      size += buffer.length;
      if (size > maxBytes) finish({ ok: false, reason: 'too-large' });
      else chunks.push(buffer);
    };
    const onEnd = () => finish({ ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
    const onError = (error?: unknown) => finish({ ok: false, reason: 'error', error });
    if (timeoutMs !== undefined) timer = setTimeout(() => finish({ ok: false, reason: 'timeout' }), timeoutMs);
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}
