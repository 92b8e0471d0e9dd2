import { execFileSync } from 'node:child_process';

/*
 * Tripwire: src/main.ts sets V8's `--heap-growing-percent` at start-up with
 * v8.setFlagsFromString (HEAP_GROWING_PERCENT, default 50: RSS under load ~270–340 → 165–195 MB,
 * list CPU 1.74 → ~1.5 ms per request, issue 6). setFlagsFromString ignores a flag V8 does not
 * know, silently; so the flag must still exist in the V8 of the Node.js that runs the tests.
 */
describe('tripwire: V8’s --heap-growing-percent', () => {
  it('is a flag of this Node.js’s V8', () => {
    const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(options).toMatch(/--heap-growing-percent \(/);
  });
});
