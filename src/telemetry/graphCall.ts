import createDebug from 'debug';
import type { Attributes, Span, Tracer, TracerProvider } from '@opentelemetry/api';
import { isIgsid } from '../platform/igsid.js';
import { type OpenTelemetryApi, telemetryApi } from './api.js';
import { activeInstruments, type Instruments } from './instruments.js';
import { ATTR, SCOPE } from './names.js';

const log = createDebug('instagram-profile:telemetry');

/** Where a transport sends, worked out once per transport. */
export interface GraphTarget {
  readonly serverAddress: string;
  readonly serverPort: number;
  readonly apiVersion: string;
}

export function graphTarget(graphUrl: string, apiVersion: string): GraphTarget {
  try {
    const url = new URL(graphUrl);
    const port = url.port === '' ? (url.protocol === 'http:' ? 80 : 443) : Number(url.port);
    return { serverAddress: url.hostname, serverPort: port, apiVersion };
  } catch {
    return { serverAddress: 'unknown', serverPort: 0, apiVersion };
  }
}

export type GraphEndpoint = 'profile' | 'send' | 'other';

/**
 * The route of a call without anything personal: an IGSID (or any id) becomes a
 * placeholder, an unexpected segment too. `1001` → `profile`, `/{version}/{igsid}`;
 * `me/messages` → `send`, `/{version}/me/messages`.
 */
export function routeOf(method: string, path: string): { endpoint: GraphEndpoint; template: string } {
  const segments = path.split('?', 1)[0]!.split('/');
  if (method === 'GET' && segments.length === 1 && isIgsid(segments[0])) return { endpoint: 'profile', template: '/{version}/{igsid}' };
  if (method === 'POST' && path === 'me/messages') return { endpoint: 'send', template: '/{version}/me/messages' };
  const named = segments.map((segment) => (isIgsid(segment) ? '{id}' : /^[a-z_]{1,40}$/.test(segment) ? segment : '{segment}'));
  return { endpoint: 'other', template: `/{version}/${named.join('/')}` };
}

/** One Graph call being observed: a span, a duration, and what the replies said. */
export interface GraphCallObservation {
  /** Runs the call (inside the span's context) and records how it ended. */
  around<T>(call: () => Promise<T>): Promise<T>;
  /** A reply arrived with this HTTP status. */
  replied(status: number): void;
  /** The request is being sent again. */
  resent(): void;
}

/**
 * Our tracer from the SDK's TracerProvider, or undefined while none is registered. The
 * global provider is a proxy whose delegate an SDK sets (at any time), and which answers no
 * delegate tracer until then: so no span, not even a no-op one, is made without an SDK.
 */
function activeTracer(api: OpenTelemetryApi): Tracer | undefined {
  const provider = api.trace.getTracerProvider() as TracerProvider & { getDelegateTracer?: (name: string) => Tracer | undefined };
  return typeof provider.getDelegateTracer === 'function' ? provider.getDelegateTracer(SCOPE) : provider.getTracer(SCOPE);
}

/**
 * Starts observing a Graph call, or answers undefined (and costs nothing more) when there is
 * neither a MeterProvider nor a sampled span to record into. The span is a CLIENT span named
 * `{method} {url.template}`; nothing in it or in the metric names a person or holds a token.
 */
export function observeGraphCall(method: string, path: string, target: GraphTarget): GraphCallObservation | undefined {
  const api = telemetryApi();
  if (api === undefined) return undefined;
  try {
    const instruments = activeInstruments();
    const tracer = activeTracer(api);
    if (instruments === undefined && tracer === undefined) return undefined;
    const route = routeOf(method, path);
    const attributes: Attributes = {
      [ATTR.method]: method,
      [ATTR.serverAddress]: target.serverAddress,
      [ATTR.serverPort]: target.serverPort,
      [ATTR.urlTemplate]: route.template,
      [ATTR.endpoint]: route.endpoint,
    };
    let span = tracer?.startSpan(`${method} ${route.template}`, { kind: api.SpanKind.CLIENT, attributes: { ...attributes, [ATTR.apiVersion]: target.apiVersion } });
    if (span !== undefined && !span.isRecording()) {
      // Not sampled: nothing to add to it.
      span.end();
      span = undefined;
    }
    if (instruments === undefined && span === undefined) return undefined;
    return new Observation(api, instruments, span, attributes);
  } catch (error) {
    log('a Graph call is not observed: %O', error);
    return undefined;
  }
}

class Observation implements GraphCallObservation {
  readonly #api: OpenTelemetryApi;
  readonly #instruments: Instruments | undefined;
  readonly #span: Span | undefined;
  readonly #attributes: Attributes;
  readonly #startedAt = performance.now();
  #status: number | undefined;
  #resends = 0;

  constructor(api: OpenTelemetryApi, instruments: Instruments | undefined, span: Span | undefined, attributes: Attributes) {
    this.#api = api;
    this.#instruments = instruments;
    this.#span = span;
    this.#attributes = attributes;
  }

  async around<T>(call: () => Promise<T>): Promise<T> {
    const { context, trace } = this.#api;
    try {
      // The span is the parent of whatever the call does (an undici instrumentation's span, the token function's).
      const value = await (this.#span ? context.with(trace.setSpan(context.active(), this.#span), call) : call());
      this.#end(undefined);
      return value;
    } catch (error) {
      this.#end(error);
      throw error;
    }
  }

  replied(status: number): void {
    this.#status = status;
  }

  resent(): void {
    this.#resends++;
  }

  #end(error: unknown): void {
    try {
      const errorType = error === undefined ? undefined : errorTypeOf(error);
      const attributes: Attributes = { ...this.#attributes };
      if (this.#status !== undefined) attributes[ATTR.statusCode] = this.#status;
      if (errorType !== undefined) attributes[ATTR.errorType] = errorType;
      this.#instruments?.graphDuration.record((performance.now() - this.#startedAt) / 1000, attributes);
      const span = this.#span;
      if (span === undefined) return;
      if (this.#status !== undefined) span.setAttribute(ATTR.statusCode, this.#status);
      if (this.#resends > 0) span.setAttribute(ATTR.resendCount, this.#resends);
      if (errorType !== undefined) {
        // The code only: messages may quote an id Meta echoed back, and a stack says nothing here.
        span.setAttribute(ATTR.errorType, errorType);
        span.setStatus({ code: this.#api.SpanStatusCode.ERROR, message: errorType });
      }
      span.end();
    } catch (failure) {
      log('a Graph call could not be recorded: %O', failure);
    }
  }
}

/** The error's stable `code` (`GRAPH_TIMEOUT`, `CONSENT_REQUIRED`, …), else its class name, else `_OTHER` (OpenTelemetry's fallback). */
export function errorTypeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code)) return code;
  const name = (error as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(name) ? name : '_OTHER';
}
