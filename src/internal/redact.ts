/**
 * Keeps secrets (access tokens, app secrets) out of everything we print or throw. Graph
 * messages and network errors can echo what was sent, so every such text passes through here.
 */
export type Redact = (text: string) => string;

const REDACTED = '[redacted]';

export function createRedactor(secrets: Iterable<string | undefined>): Redact {
  // Longest first, so a secret that contains another is removed whole.
  const list = [...new Set([...secrets].filter((s): s is string => typeof s === 'string' && s.length >= 4))].sort(
    (a, b) => b.length - a.length,
  );
  if (list.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const secret of list) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  };
}

/**
 * Returns `error` itself when none of its text holds a secret, else a plain copy with the
 * secrets removed (same name, message, code), so it can safely be kept as a `cause`.
 */
export function redactError(error: unknown, redact: Redact): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  const texts = [error.message, error.stack ?? '', typeof code === 'string' ? code : ''];
  if (texts.every((text) => redact(text) === text)) return error;
  const copy = new Error(redact(error.message));
  copy.name = error.name;
  copy.stack = redact(error.stack ?? '');
  if (typeof code === 'string') Object.defineProperty(copy, 'code', { value: redact(code), enumerable: true });
  return copy;
}
