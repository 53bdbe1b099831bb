import { ConfigError } from './config/config-error';
import { EnvironmentConfig, parseEnvironment } from './config/environment';

/** A bad setting stops start-up with exit code 1 and one line naming the variable. */
export function parseEnvironmentOrExit(): EnvironmentConfig {
  try {
    return parseEnvironment(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** Runs a process entry point; any start-up failure ends the process with one line and exit code 1. */
export function runEntryPoint(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
