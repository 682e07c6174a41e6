import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface LockEntry {
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  [field: string]: unknown;
}

export interface PackedPackage {
  /** `file:` path of the tarball, relative to the consumer project. */
  tarball: string;
  /** The tarball's integrity, as `npm pack --json` prints it. */
  integrity: string;
}

/**
 * package.json and package-lock.json of a fresh consumer project that depends on the packed
 * tarball and on `wanted` (botbuilder, express…), every version taken from the repository's
 * own lockfile. With a lockfile npm needs no registry metadata, only the tarballs `npm ci`
 * already put in npm's cache, so `npm ci --offline` installs it without reaching any host.
 * (Without one, npm 11 asks the registry for each package's full metadata, which the cache
 * does not hold.)
 */
export function consumerManifests(root: string, packed: PackedPackage, wanted: readonly string[]): { manifest: object; lock: object } {
  const self = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const packages: Record<string, LockEntry> = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages;

  /** Node's resolution inside the lockfile's tree: the nearest node_modules first. */
  const resolveFrom = (from: string, name: string): string | undefined => {
    for (let base = from; ; ) {
      const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (packages[candidate]) return candidate;
      if (!base) return undefined;
      const parent = base.lastIndexOf('/node_modules/');
      base = parent < 0 ? '' : base.slice(0, parent);
    }
  };

  const kept = new Set<string>();
  const queue = [...wanted, ...Object.keys(self.dependencies ?? {})].map((name) => resolveFrom('', name));
  while (queue.length) {
    const path = queue.pop();
    if (path === undefined || kept.has(path)) continue;
    kept.add(path);
    const entry = packages[path]!;
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) queue.push(resolveFrom(path, name));
  }
  for (const name of wanted) if (!packages[`node_modules/${name}`]) throw new Error(`${name} is not in the repository's lockfile`);

  const dependencies: Record<string, string> = Object.fromEntries(wanted.map((name) => [name, packages[`node_modules/${name}`]!.version]));
  dependencies[self.name] = `file:${packed.tarball}`;
  const lockPackages: Record<string, unknown> = {
    '': { name: 'consumer', dependencies },
    [`node_modules/${self.name}`]: {
      version: self.version,
      resolved: `file:${packed.tarball}`,
      integrity: packed.integrity,
      license: self.license,
      dependencies: self.dependencies,
      peerDependencies: self.peerDependencies,
      peerDependenciesMeta: self.peerDependenciesMeta,
      bin: self.bin,
      engines: self.engines,
    },
  };
  for (const path of [...kept].sort()) {
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = packages[path]!;
    lockPackages[path] = entry;
  }
  return {
    manifest: { name: 'consumer', private: true, type: 'module', dependencies },
    lock: { name: 'consumer', lockfileVersion: 3, requires: true, packages: lockPackages },
  };
}
