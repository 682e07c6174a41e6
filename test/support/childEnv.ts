/**
 * The environment for a process a test starts (a bot, the playground), with coverage off:
 * such a process compiles `src/` on its own, and c8 merges the coverage of one file by its URL
 * and byte offsets, so another compilation's counts would garble the suite's (a file the
 * suite covers fully read 57 %). What runs there is checked by the test's assertions instead.
 */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  // Empty, not deleted: Node copies the parent's NODE_V8_COVERAGE into a child's env that lacks it.
  return { ...process.env, ...extra, NODE_V8_COVERAGE: '' };
}
