import type { IncomingHttpHeaders } from 'node:http';

/**
 * Who may drive the control API. It changes where webhooks go and what personas do, so a
 * web page open on the developer's machine must not reach it: a cross-site "simple" POST
 * (`text/plain`, no preflight) is refused by the JSON rule, a cross-site request by the
 * Origin rule, and DNS rebinding (a foreign name resolving to 127.0.0.1) by the Host rule.
 */
export type ControlRefusal = { status: 403 | 415; error: string };

const LOOPBACK_NAMES: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `host:port` → its lower-cased host name (IPv6 kept in brackets) and port. */
function splitHost(value: string): { name: string; port: string } {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(value.trim().toLowerCase());
  return { name: match?.[1] ?? '', port: match?.[2] ?? '' };
}

/** A name the emulator answers to: loopback, or the address it listens on. */
function isOwnName(name: string, own: URL): boolean {
  return LOOPBACK_NAMES.has(name) || name === own.hostname.toLowerCase();
}

function hasBody(method: string, headers: IncomingHttpHeaders): boolean {
  if (method === 'GET' || method === 'HEAD') return false;
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
}

/** Why a control request is refused, or undefined when it may proceed. `ownUrl` is the emulator's base URL. */
export function refuseControl(method: string, headers: IncomingHttpHeaders, ownUrl: string): ControlRefusal | undefined {
  const own = new URL(ownUrl);
  const host = headers.host === undefined ? undefined : splitHost(headers.host);
  if (!host || !isOwnName(host.name, own) || host.port !== own.port) return { status: 403, error: 'The control API answers only requests addressed to the emulator itself (Host)' };
  const origin = headers.origin;
  if (origin !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (!url || url.protocol !== own.protocol || !isOwnName(url.hostname.toLowerCase(), own) || url.port !== own.port) {
      return { status: 403, error: 'The control API refuses requests from other origins' };
    }
  }
  const type = headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (hasBody(method, headers) && type !== 'application/json') return { status: 415, error: 'Control requests with a body must be content-type: application/json' };
  return undefined;
}
