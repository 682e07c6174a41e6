// One variant in a fresh process: `node --import tsx bench/method/variantProcess.ts <module> <variant> <context JSON>`.
// The variant warms up unmeasured, measures, and this prints its metrics on one marked line.
import type { Variant, VariantContext } from './types.js';

const MARK = 'BENCH-METRICS ';
const [module, name, context] = process.argv.slice(2);
const loaded = (await import(new URL(`../${module}`, import.meta.url).href)) as { variants: Record<string, Variant> };
const variant = loaded.variants[name ?? ''];
if (!variant) throw new Error(`${module} has no variant ${name}`);
const metrics = await variant(JSON.parse(context ?? '{}') as VariantContext);
process.stdout.write(`${MARK}${JSON.stringify(metrics)}\n`);
// Keep-alive sockets and adapters' timers would hold the process open: the figure is taken, so leave.
process.exit(0);
