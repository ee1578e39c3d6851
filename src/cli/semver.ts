/**
 * Semantic-version ordering of tags (`v1.2.3`, `1.2`, `1.2.3-rc.1`); tags that are not versions sort below every version.
 * @module
 */

const SEMVER = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** Compares two tags by semantic version, ascending; non-versions first, among themselves by name. */
export function compareSemver(a: string, b: string): number {
  const x = SEMVER.exec(a);
  const y = SEMVER.exec(b);
  if (!x || !y) return x ? 1 : y ? -1 : a.localeCompare(b);
  for (let i = 1; i <= 3; i++) {
    const d = Number(x[i] ?? 0) - Number(y[i] ?? 0);
    if (d !== 0) return d;
  }
  const [pa, pb] = [x[4], y[4]];
  if (pa === pb) return 0;
  if (pa === undefined) return 1;
  if (pb === undefined) return -1;
  const partsA = pa.split(".");
  const partsB = pb.split(".");
  for (let i = 0; i < Math.max(partsA.length, partsB.length); i++) {
    const [m, n] = [partsA[i], partsB[i]];
    if (m === undefined) return -1;
    if (n === undefined) return 1;
    const numeric = /^\d+$/.test(m) && /^\d+$/.test(n);
    const d = numeric ? Number(m) - Number(n) : m.localeCompare(n);
    if (d !== 0) return d;
  }
  return 0;
}
