import { DomainError } from './domain-error';

const MILLIS_PER_CREDIT = 1000n;
const DECIMAL = /^(\d{1,15})(?:\.(\d{1,3}))?$/;

/**
 * An exact amount of credits, held as integer milli-credits. Never built from float arithmetic:
 * decimals are parsed from their text, and shown by integer division.
 */
export class Credits {
  private constructor(readonly millis: bigint) {}

  static readonly ZERO = new Credits(0n);

  static fromMillis(millis: bigint | string | number): Credits {
    return new Credits(BigInt(millis));
  }

  static whole(credits: number): Credits {
    if (!Number.isSafeInteger(credits)) throw new Error(`not a whole number of credits: ${credits}`);
    return new Credits(BigInt(credits) * MILLIS_PER_CREDIT);
  }

  /**
   * Parses user input (`12`, `0.5`, `"1.125"`): at most 3 decimals, no exponent, no sign unless
   * `allowNegative`. A JSON number reaches us already as a double; its shortest text form is what the
   * caller wrote for any value with 3 decimals or fewer.
   */
  static parse(input: unknown, field = 'amount', options: { allowNegative?: boolean } = {}): Credits {
    const text = typeof input === 'number' ? String(input) : typeof input === 'string' ? input.trim() : undefined;
    if (text === undefined) throw DomainError.badInput(`${field} must be a number`, { field });
    const negative = text.startsWith('-');
    const match = DECIMAL.exec(negative ? text.slice(1) : text);
    if (!match || (negative && !options.allowNegative)) {
      throw DomainError.badInput(`${field} must be a ${options.allowNegative ? '' : 'positive '}number with at most 3 decimals`, {
        field,
      });
    }
    const millis = BigInt(match[1]!) * MILLIS_PER_CREDIT + BigInt((match[2] ?? '').padEnd(3, '0'));
    return new Credits(negative ? -millis : millis);
  }

  /** Like `parse`, and the amount must be above zero. */
  static parsePositive(input: unknown, field = 'amount'): Credits {
    const credits = Credits.parse(input, field);
    if (credits.millis <= 0n) throw DomainError.badInput(`${field} must be greater than zero`, { field });
    return credits;
  }

  plus(other: Credits): Credits {
    return new Credits(this.millis + other.millis);
  }

  minus(other: Credits): Credits {
    return new Credits(this.millis - other.millis);
  }

  negate(): Credits {
    return new Credits(-this.millis);
  }

  isPositive(): boolean {
    return this.millis > 0n;
  }

  isGreaterThan(other: Credits): boolean {
    return this.millis > other.millis;
  }

  /** `1.5`, `-0.125`, `10`: the shortest exact decimal text. */
  toString(): string {
    const negative = this.millis < 0n;
    const abs = negative ? -this.millis : this.millis;
    const whole = abs / MILLIS_PER_CREDIT;
    const fraction = (abs % MILLIS_PER_CREDIT).toString().padStart(3, '0').replace(/0+$/, '');
    return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
  }

  /** For JSON and GraphQL numbers. Exact for any balance below 9 trillion credits. */
  toNumber(): number {
    return Number(this.toString());
  }
}

/** The one wording of "not enough credits", with the figures clients (and partners) read. */
export function insufficientCredits(available: Credits, required: Credits): DomainError {
  return new DomainError('INSUFFICIENT_CREDITS', `Not enough credits: ${available.toString()} available, ${required.toString()} required`, {
    balance: available.toNumber(),
    required: required.toNumber(),
  });
}
