/**
 * Release numbers of the exporters, compared as numbers: `0.12.0`, `v0.5.6.post2`, `0.5.3rc2`, `1.8`,
 * and Triton's container releases `24.11`.
 */

/** The numeric key of a release: major, minor, patch, then post-release (-1 for a release candidate). */
export function versionKey(version: string): number[] | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.?(post|rc)(\d+))?$/.exec(version.trim());
  if (!m) return undefined;
  const tail = m[4] === 'rc' ? -1 : m[4] === 'post' ? Number(m[5]) : 0;
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0), tail];
}

/** Negative when a < b, 0 when equal, positive when a > b; throws on a version it cannot read (a bug in the catalog). */
export function compareVersions(a: string, b: string): number {
  const ka = versionKey(a), kb = versionKey(b);
  if (!ka || !kb) throw new Error(`cannot compare versions '${a}' and '${b}'`);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
  return 0;
}
