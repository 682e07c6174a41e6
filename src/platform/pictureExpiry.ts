/**
 * fbcdn picture URLs carry `oe=<hex Unix seconds>`: the signed link stops working then.
 * Returns that instant in milliseconds, or undefined when the URL has no usable `oe`.
 */
export function pictureExpiresAt(url: string | null | undefined): number | undefined {
  if (!url) return undefined;
  const match = /[?&]oe=([0-9A-Fa-f]{1,12})(?:&|#|$)/.exec(url);
  if (!match) return undefined;
  const seconds = Number.parseInt(match[1]!, 16);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}
