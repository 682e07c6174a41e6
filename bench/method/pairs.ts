import { runVariant } from './processes.js';
import type { Progress } from './progress.js';
import type { GroupSpec, Metrics, VariantContext, VariantSpec } from './types.js';

/**
 * Runs a group's variants over `pairs` pairs, each in a fresh process, alternated (A B, B A,
 * …) so that drift and a warming machine hit both sides alike. One map of metrics per pair.
 */
export async function measurePairs(
  group: GroupSpec,
  variants: readonly VariantSpec[],
  { pairs, context, progress, plannedTotal }: { pairs: number; context: VariantContext; progress: Progress; plannedTotal: number },
): Promise<Array<Map<string, Metrics>>> {
  const measured: Array<Map<string, Metrics>> = [];
  for (let pair = 0; pair < pairs; pair++) {
    const order = pair % 2 === 0 ? variants : [...variants].reverse();
    const metrics = new Map<string, Metrics>();
    for (const variant of order) {
      metrics.set(variant.name, await runVariant(group.module, variant.name, context, { nodeArgs: group.nodeArgs ?? [], profileName: `${group.id}-${variant.name}-${pair}` }));
      progress.processDone(`${group.title} ${variant.name}, pair ${pair + 1}/${pairs}`, group.estimate[context.mode], plannedTotal);
    }
    measured.push(metrics);
  }
  return measured;
}
