/**
 * The attack suite's count of hostile inputs, kept in `test-results/security-inputs.json` (read by
 * `scripts/test.ts`). Several files of `tests/integration/security/` contribute, one after the
 * other (integration files run serially): each replaces its own entry and the totals are summed,
 * so re-running one file never counts it twice.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface AttackCounts {
  inputs: number;
  failures: number;
}

const file = path.resolve(__dirname, '../../test-results/security-inputs.json');

/** Records one file's counts and returns the suite's totals. */
export function recordAttackCounts(suite: string, counts: AttackCounts): AttackCounts {
  let suites: Record<string, AttackCounts> = {};
  if (existsSync(file)) {
    try {
      const previous = JSON.parse(readFileSync(file, 'utf8')) as { suites?: Record<string, AttackCounts> };
      suites = previous.suites ?? {};
    } catch {
      // A broken file from an interrupted run: start again.
    }
  }
  suites[suite] = { inputs: counts.inputs, failures: counts.failures };
  const totals = Object.values(suites).reduce((sum, entry) => ({ inputs: sum.inputs + entry.inputs, failures: sum.failures + entry.failures }), { inputs: 0, failures: 0 });
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...totals, suites })}\n`);
  return totals;
}
