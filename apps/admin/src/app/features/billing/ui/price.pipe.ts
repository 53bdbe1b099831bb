import { CurrencyPipe, getNumberOfCurrencyDigits } from '@angular/common';
import { inject, LOCALE_ID, Pipe, type PipeTransform } from '@angular/core';

/**
 * A price held as integer minor units (Stripe's `amount`: cents for USD, whole yen for JPY),
 * shown in its currency. Display only: prices are never computed with in the console.
 */
@Pipe({ name: 'price' })
export class PricePipe implements PipeTransform {
  private readonly currency = new CurrencyPipe(inject(LOCALE_ID));

  transform(minorUnits: number | null | undefined, currencyCode: string | null | undefined): string {
    if (minorUnits == null || !currencyCode) return '—';
    const code = currencyCode.toUpperCase();
    const major = minorUnits / 10 ** getNumberOfCurrencyDigits(code);
    return this.currency.transform(major, code, 'symbol') ?? '—';
  }
}
