import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The package's version, from the nearest package.json above `startDir` that has one: the
 * CLI runs from dist/cjs/emulator or dist/esm/emulator (whose own package.json files only
 * set the module type), or from src/emulator under tsx.
 */
export function packageVersion(startDir: string): string | undefined {
  for (let dir = startDir; ; dir = dirname(dir)) {
    try {
      const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown };
      if (typeof version === 'string') return version;
    } catch {
      // No readable package.json here: look one level up.
    }
    if (dirname(dir) === dir) return undefined;
  }
}
