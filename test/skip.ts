/**
 * Tests that need something this machine may lack (Debian's chromium, the traces in ../shared, a compiled lib/)
 * skip with the reason in their title, where the summary reporter (test/reporters/summary.js) finds it and names it
 * at the end of the run. Under CI nothing may be missing: each caller throws there instead of skipping.
 */

/** `test` when the condition holds; otherwise `test.skip`, its title ending in `[skipped: <reason>]`. */
export function testIf(condition: boolean, reason: string): jest.It {
  if (condition) return test;
  const skipped = ((name: string, fn?: jest.ProvidesCallback, timeout?: number) =>
    test.skip(`${name} [skipped: ${reason}]`, fn, timeout)) as unknown as jest.It;
  return skipped;
}

/** `describe` when the condition holds; otherwise `describe.skip`, its title ending in `[skipped: <reason>]`. */
export function describeIf(condition: boolean, reason: string): jest.Describe {
  if (condition) return describe;
  return ((name: string, fn: jest.EmptyFunction) => describe.skip(`${name} [skipped: ${reason}]`, fn)) as unknown as jest.Describe;
}
