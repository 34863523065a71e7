/**
 * `npm test`: the whole suite, in order: typecheck, lint, build, unit, integration, end-to-end,
 * and a 1-minute soak. `TEST_SKIP=soak` (a comma list of step names) leaves steps out (.ci/run).
 * Every step runs even after a failure, so one run shows everything that is wrong; the exit
 * code is non-zero when any step failed. The last line sums the test counts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildIfNeeded } from './processes';

const root = path.resolve(__dirname, '..');
const reports = path.join(root, 'test-results');
mkdirSync(reports, { recursive: true });

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

function run(label: string, command: string, args: string[], env: Record<string, string> = {}): boolean {
  console.log(`\n=== ${label} ===`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  console.log(`=== ${label}: ${ok ? 'ok' : 'FAILED'} (${Math.round((Date.now() - started) / 1000)} s) ===`);
  return ok;
}

function vitestCounts(file: string): Counts {
  if (!existsSync(file)) return { passed: 0, failed: 0, skipped: 0 };
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    skipped: report.numPendingTests + report.numTodoTests,
  };
}

function playwrightCounts(file: string): Counts {
  if (!existsSync(file)) return { passed: 0, failed: 0, skipped: 0 };
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  };
  return {
    passed: report.stats.expected + report.stats.flaky,
    failed: report.stats.unexpected,
    skipped: report.stats.skipped,
  };
}

async function main(): Promise<void> {
  const only = process.argv[2];
  const steps: { name: string; ok: boolean }[] = [];
  const step = (name: string, ok: boolean) => steps.push({ name, ok });
  const skipped = new Set((process.env.TEST_SKIP ?? '').split(',').map((name) => name.trim()));
  const wants = (name: string) => (!only || only === name) && !skipped.has(name);

  if (wants('static')) {
    step('typecheck', run('typecheck (tsc)', 'npx', ['tsc', '--noEmit', '-p', '.']));
    step('lint', run('lint (eslint)', 'npx', ['eslint', '.', '--max-warnings=0']));
  }
  let built = true;
  if (wants('integration') || wants('e2e')) {
    console.log('\n=== build (next build, when sources changed) ===');
    try {
      await buildIfNeeded(root);
    } catch {
      built = false;
    }
    step('build', built);
  }
  const unitReport = path.join(reports, 'unit.json');
  const integrationReport = path.join(reports, 'integration.json');
  const e2eReport = path.join(reports, 'e2e.json');
  for (const file of [unitReport, integrationReport, e2eReport, path.join(reports, 'security-inputs.json'), path.join(reports, 'security-faults.json')]) {
    rmSync(file, { force: true });
  }

  if (wants('unit')) {
    step(
      'unit',
      run('unit (vitest)', 'npx', ['vitest', 'run', '--project', 'unit', '--reporter=default', '--reporter=json', `--outputFile.json=${unitReport}`]),
    );
  }
  if (built && wants('integration')) {
    step(
      'integration',
      run('integration (vitest, real HTTP)', 'npx', [
        'vitest',
        'run',
        '--project',
        'integration',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${integrationReport}`,
      ]),
    );
  }
  if (built && wants('e2e')) {
    step(
      'e2e',
      run('end-to-end (Playwright, Chromium)', 'npx', ['playwright', 'test'], {
        PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport,
      }),
    );
  }

  let soakOk: boolean | null = null;
  if (built && wants('soak')) {
    // The 1-minute soak (the full one is `npm run soak`): no lost session, no reuse, flat memory.
    soakOk = run('soak (1 minute, 50 sessions, 20 s tokens, 2 % faults)', 'npx', ['tsx', 'bench/soak.ts', '--minutes', '1']);
    step('soak', soakOk);
  }

  const totals = [vitestCounts(unitReport), vitestCounts(integrationReport), playwrightCounts(e2eReport)].reduce(
    (sum, counts) => ({
      passed: sum.passed + counts.passed,
      failed: sum.failed + counts.failed,
      skipped: sum.skipped + counts.skipped,
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  if (soakOk !== null) totals[soakOk ? 'passed' : 'failed'] += 1;
  printSecurityCounts();
  printFailedTests([unitReport, integrationReport], e2eReport);
  const failedSteps = steps.filter((entry) => !entry.ok).map((entry) => entry.name);
  console.log('\n=== summary ===');
  for (const entry of steps) console.log(`  ${entry.ok ? 'ok    ' : 'FAILED'}  ${entry.name}`);
  // A failed step with no failed test (a type error, a crash) still counts as a failure.
  const failed = totals.failed + (failedSteps.length > 0 && totals.failed === 0 ? failedSteps.length : 0);
  console.log(`tests: ${totals.passed} passed, ${failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
  process.exit(failedSteps.length > 0 ? 1 : 0);
}

/** First line of a failure message, without colour codes, short enough for a log's last screen. */
function firstLine(message: string | undefined): string {
  const plain = (message ?? '').replace(/\u001b\[[0-9;]*m/g, '');
  return (plain.split('\n').find((line) => line.trim() !== '') ?? '').trim().slice(0, 300);
}

/**
 * Names every failed test (file, name, first line of its error) again at the end: a CI log is
 * often seen only by its last lines, and the counts alone do not say which test to look at.
 */
function printFailedTests(vitestReports: string[], playwrightReport: string): void {
  const failures: string[] = [];
  for (const file of vitestReports) {
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, 'utf8')) as {
      testResults: { name: string; message?: string; assertionResults: { status: string; fullName: string; failureMessages?: string[] }[] }[];
    };
    for (const result of report.testResults) {
      const where = path.relative(root, result.name);
      const failed = result.assertionResults.filter((test) => test.status === 'failed');
      for (const test of failed) failures.push(`${where} › ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
      // A file that failed to load has no failed test of its own.
      if (failed.length === 0 && result.message) failures.push(`${where}: ${firstLine(result.message)}`);
    }
  }
  if (existsSync(playwrightReport)) {
    interface Suite {
      file?: string;
      suites?: Suite[];
      specs?: { title: string; file: string; ok: boolean; tests: { results: { error?: { message?: string } }[] }[] }[];
    }
    const walk = (suite: Suite) => {
      for (const spec of suite.specs ?? []) {
        if (spec.ok) continue;
        const error = spec.tests.flatMap((test) => test.results).find((result) => result.error)?.error?.message;
        failures.push(`${spec.file} › ${spec.title}: ${firstLine(error)}`);
      }
      for (const child of suite.suites ?? []) walk(child);
    };
    for (const suite of (JSON.parse(readFileSync(playwrightReport, 'utf8')) as { suites?: Suite[] }).suites ?? []) walk(suite);
  }
  if (failures.length === 0) return;
  console.log('\n=== failed tests ===');
  for (const line of failures) console.log(`  ${line}`);
}

/** The attack and fault suites' own counts (written by their tests). */
function printSecurityCounts(): void {
  const read = (name: string) => {
    const file = path.join(reports, name);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>) : null;
  };
  const inputs = read('security-inputs.json');
  const faults = read('security-faults.json');
  if (inputs || faults) {
    console.log(
      `\nsecurity: ${inputs?.inputs ?? 0} hostile inputs tried (${inputs?.failures ?? 0} failures), ${faults?.faultsInjected ?? 0} faults injected`,
    );
  }
}

void main();
