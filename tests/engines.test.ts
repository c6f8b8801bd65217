import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/*
 * The Node the portal supports (`engines` in package.json, the README's "Run it") is one the
 * installed tree supports too: no package of the lock file asks for a newer one. CI installs with
 * `npm ci --engine-strict`, which fails on the same; this says which package, and why, sooner.
 */
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { version?: string; engines?: unknown }> };

describe('the supported Node', () => {
  it('includes the Node running the tests', () => {
    expect(semver.satisfies(process.versions.node, pkg.engines.node), `${process.versions.node} in ${pkg.engines.node}`).toBe(true);
  });

  it('is supported by every installed package, from its lowest version up', () => {
    const lowest = semver.minVersion(pkg.engines.node)!.version;
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .flatMap(([path, p]) => {
        const range = (p.engines as { node?: unknown } | undefined)?.node;
        if (typeof range !== 'string') return [];
        return [lowest, process.versions.node].some((v) => !semver.satisfies(v, range)) ? [`${path.replace(/^.*node_modules\//, '')}@${p.version}: node ${range}`] : [];
      });
    expect(refusing).toEqual([]);
  });
});
