/**
 * Heap per remembered webhook delivery in the adapter's de-duplication ledger, the figure
 * behind `BYTES_PER_DELIVERY`. Run: `node --expose-gc --import tsx bench/dedupeMemory.ts`.
 */
import { deliveryDigest, LocalDeliveryLedger, BYTES_PER_DELIVERY } from '../src/webhook/dedupe.js';

const ENTRIES = 200_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

gc();
const before = process.memoryUsage().heapUsed;
const ledger = new LocalDeliveryLedger(ENTRIES * 1_000, Date.now);
for (let i = 0; i < ENTRIES; i++) ledger.firstTime(deliveryDigest(`message|aWdfTWVzc2FnZUlkOj${i}${'x'.repeat(200)}`), 36 * 3_600_000);
gc();
const perEntry = (process.memoryUsage().heapUsed - before) / ledger.size;
console.log(`${perEntry.toFixed(1)} B per remembered delivery (${ledger.size} entries, 200-character ids); BYTES_PER_DELIVERY = ${BYTES_PER_DELIVERY}`);
