// What the rest of the cost is, per row that misses its target: from `node --cpu-prof` profiles
// of the built package (see docs/performance.md, "How it is measured"). bench/report.ts prints
// the entry of each row that misses. Update it with each profile.
export const FINDINGS: Record<string, string> = {};
