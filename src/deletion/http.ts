import { respond, type WebhookRequest, type WebhookResponse } from '../webhook/http.js';

/** Answers JSON that no cache keeps: codes and statuses are per request. */
export function respondJson(res: WebhookResponse, status: number, body: unknown): void {
  respond(res, status, JSON.stringify(body), { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
}

/** True when the method is one of `methods`; otherwise answers 405 naming them. */
export function methodAllowed(req: WebhookRequest, res: WebhookResponse, methods: readonly string[]): boolean {
  if (methods.includes((req.method ?? 'GET').toUpperCase())) return true;
  respond(res, 405, 'method not allowed', { allow: methods.join(', ') });
  return false;
}
