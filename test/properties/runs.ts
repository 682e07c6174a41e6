/** Runs per property: 1 000 in `npm test`, more with `npm run fuzz` (FUZZ_RUNS). */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 1_000);
