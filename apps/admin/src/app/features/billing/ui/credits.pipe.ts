import { inject, LOCALE_ID, Pipe, type PipeTransform } from '@angular/core';

/** How a credit figure is written: balances plain, ledger amounts with their sign. */
export type CreditsStyle = 'plain' | 'signed';

const formats = new Map<string, Intl.NumberFormat>();

/**
 * Formats credits as the API sends them (numbers with at most 3 decimals): thousands separators,
 * no trailing zeros, "+"/"−" on request. Display only: the console never computes with credits.
 */
export function formatCredits(value: number, locale: string, style: CreditsStyle = 'plain'): string {
  const key = `${locale}|${style}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      minimumFractionDigits: 0,
      maximumFractionDigits: 3,
      signDisplay: style === 'signed' ? 'exceptZero' : 'auto',
    });
    formats.set(key, format);
  }
  return format.format(value);
}

/** `1234.5 | credits` → "1,234.5"; `-3 | credits: 'signed'` → "-3"; null → "—". */
@Pipe({ name: 'credits' })
export class CreditsPipe implements PipeTransform {
  private readonly locale = inject(LOCALE_ID);

  transform(value: number | null | undefined, style: CreditsStyle = 'plain'): string {
    return value == null ? '—' : formatCredits(value, this.locale, style);
  }
}
