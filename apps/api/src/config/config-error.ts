/** A bad or missing setting. Its message is the one line printed before the process exits with 1. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
    shownValue?: string,
  ) {
    super(`Invalid configuration: ${variable}${shownValue === undefined ? '' : `=${shownValue}`} (${reason})`);
    this.name = 'ConfigError';
  }
}
