// Webhook payloads the variants share, without the frameworks they measure.

let serial = 0;

/**
 * `size` Instagram text messages to `businessId` from 50 customers, as a delivery's
 * `messaging` array: each with a new mid (so de-duplication drops nothing) and the current
 * time (the adapters run no turn for events older than their de-duplication window).
 */
export function textMessaging(size: number, businessId: string, time = Date.now()) {
  return Array.from({ length: size }, (_, i) => ({
    sender: { id: String(6_938_000_000_000_000 + (i % 50)) },
    recipient: { id: businessId },
    timestamp: time,
    message: { mid: `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOj${++serial}`, text: `hello number ${serial}` },
  }));
}
