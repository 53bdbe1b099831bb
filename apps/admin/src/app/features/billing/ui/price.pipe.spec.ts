import { TestBed } from '@angular/core/testing';

import { PricePipe } from './price.pipe';

describe('PricePipe', () => {
  const price = (minor: number, currency: string) =>
    TestBed.runInInjectionContext(() => new PricePipe()).transform(minor, currency);

  it('shows integer cents as the currency’s major unit', () => {
    expect(price(1000, 'usd')).toBe('$10.00');
    expect(price(60000, 'USD')).toBe('$600.00');
  });

  it('knows currencies without minor units', () => {
    expect(price(1500, 'jpy')).toBe('¥1,500');
  });
});
