/**
 * The few things the adapter needs of a request and a response. Node `http`, Express and
 * Restify objects all fit: their requests are readable streams with `headers`, `method`
 * and `url`; their responses are `http.ServerResponse`s.
 */
export interface WebhookRequest {
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** Raw bytes kept by a body parser (`express.json({ verify })`, Botkit's web server, Restify). */
  rawBody?: unknown;
  /** What a body parser left: a Buffer (`express.raw()`), a string (`express.text()`) or a parsed object. */
  body?: unknown;
  readableEnded?: boolean;
  on?(event: string, listener: (...args: unknown[]) => void): unknown;
  off?(event: string, listener: (...args: unknown[]) => void): unknown;
  resume?(): unknown;
}

export interface WebhookResponse {
  headersSent?: boolean;
  writableEnded?: boolean;
  statusCode?: number;
  setHeader?(name: string, value: string): unknown;
  end?(body?: string): unknown;
  /** Express-style fallback for responses without the Node http API. */
  status?(code: number): { send(body?: string): unknown } | unknown;
  send?(...args: unknown[]): unknown;
}

/** Answers with a status and a short plain-text body, through whichever API the response has. */
export function respond(res: WebhookResponse, status: number, body = '', headers: Record<string, string> = {}): void {
  if (res.headersSent || res.writableEnded) return;
  if (typeof res.end === 'function' && typeof res.setHeader === 'function') {
    res.statusCode = status;
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.setHeader('x-content-type-options', 'nosniff');
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.end(body);
    return;
  }
  const chained = typeof res.status === 'function' ? (res.status(status) as { send?: (body?: string) => unknown }) : undefined;
  if (typeof chained?.send === 'function') chained.send(body);
  else if (typeof res.send === 'function') res.send(status, body);
  else throw new TypeError('The response has neither end() nor send(): pass a Node http, Express or Restify response');
}

export function headerOf(req: WebhookRequest, name: string): string | undefined {
  const value = req.headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The query of the request URL (Express keeps it in `req.url` even under a mount path). */
export function queryOf(req: WebhookRequest): URLSearchParams {
  try {
    return new URL(req.url ?? '/', 'http://localhost').searchParams;
  } catch {
    return new URLSearchParams();
  }
}

/** A request whose raw body a body parser kept, which the signature check reads. */
export interface RawBodyRequest {
  rawBody?: Buffer;
}

/**
 * A body parser `verify` hook that keeps the raw bytes for the signature check, for apps
 * that parse JSON before the adapter: `app.use(express.json({ verify: keepRawBody }))`.
 */
export function keepRawBody(req: object, _res: unknown, buf: Buffer): void {
  (req as RawBodyRequest).rawBody = buf;
}
