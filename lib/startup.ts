import 'server-only';
import { ConfigError, getConfig } from '@/lib/config';

/** Stops the process with every configuration problem listed, or returns quietly. */
export function checkConfigOrExit(): void {
  try {
    getConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`\nwellview-dashboard cannot start.\n${error.message}\nSee .env.local.example for every variable.\n`);
      process.exit(1);
    }
    throw error;
  }
}
