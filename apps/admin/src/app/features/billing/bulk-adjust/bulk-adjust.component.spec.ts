import { OverlayContainer } from '@angular/cdk/overlay';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { provideHttpClient } from '@angular/common/http';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import { aPreview, aPreviewRow, aTransaction } from '../testing/billing-fixtures';
import { BulkAdjustComponent } from './bulk-adjust.component';

const CSV = 'user,amount,reason\nann@example.com,25,Conference speaker\n';

describe('BulkAdjustComponent', () => {
  let fixture: ComponentFixture<BulkAdjustComponent>;
  let apollo: ApolloTestingController;

  const el = <T extends HTMLElement = HTMLElement>(id: string) =>
    fixture.nativeElement.querySelector(`[data-testid="${id}"]`) as T | null;
  const overlay = () => TestBed.inject(OverlayContainer).getContainerElement();

  async function settle(assertion: () => void): Promise<void> {
    await vi.waitFor(async () => {
      await fixture.whenStable();
      assertion();
    });
  }

  async function upload(content: string, name = 'adjustments.csv'): Promise<void> {
    const input = el<HTMLInputElement>('bulk-file') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [new File([content], name, { type: 'text/csv' })], configurable: true });
    input.dispatchEvent(new Event('change'));
    await fixture.whenStable();
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [provideRouter([]), provideHttpClient()],
    });
    apollo = TestBed.inject(ApolloTestingController);
    fixture = TestBed.createComponent(BulkAdjustComponent);
    await fixture.whenStable();
  });

  it('previews the file with per-row errors and totals, and will not apply it while any row is wrong', async () => {
    await upload(CSV);

    const preview = await vi.waitFor(() => apollo.expectOne('PreviewCreditAdjustments'));
    expect(preview.operation.variables).toEqual({ csv: CSV });
    preview.flushData({
      previewCreditAdjustments: aPreview(
        [
          aPreviewRow(),
          aPreviewRow({ line: 3, user: 'nobody@example.com', userId: null, email: null, name: null, error: 'No such user' }),
        ],
        { totalCredit: 25, totalDebit: 0 },
      ),
    });

    await settle(() => expect(el('bulk-preview')).not.toBeNull());
    expect(el('bulk-row-count')?.textContent).toContain('2');
    expect(el('bulk-error-count')?.textContent).toContain('1');
    expect(el('bulk-total-credit')?.textContent).toContain('25');
    expect(el('bulk-invalid')).not.toBeNull();
    const bad = fixture.nativeElement.querySelector('[data-testid="bulk-row"][data-error="true"]') as HTMLElement;
    expect(bad.dataset['line']).toBe('3');
    expect(bad.textContent).toContain('No such user');
    expect(el<HTMLButtonElement>('bulk-apply')?.disabled).toBe(true);
  });

  it('applies a valid file after confirmation, and a retry reuses the same idempotency key', async () => {
    await upload(CSV);
    (await vi.waitFor(() => apollo.expectOne('PreviewCreditAdjustments'))).flushData({
      previewCreditAdjustments: aPreview([aPreviewRow()]),
    });
    await settle(() => expect(el<HTMLButtonElement>('bulk-apply')?.disabled).toBe(false));

    el('bulk-apply')?.click();
    await settle(() => expect(overlay().textContent).toContain('Apply 1 adjustments?'));
    expect(overlay().textContent).toContain('25 credits are added and 0 taken away');
    (overlay().querySelector('[data-testid="confirm-ok"]') as HTMLElement).click();

    const first = await vi.waitFor(() => apollo.expectOne('ApplyCreditAdjustments'));
    expect(first.operation.variables).toEqual({ input: { csv: CSV, idempotencyKey: expect.any(String) } });
    first.networkError(new Error('Http failure response for /graphql: 0 Unknown Error'));
    await settle(() => expect(el('bulk-apply-error')?.textContent).toContain('could not be reached'));

    el('bulk-apply')?.click();
    await fixture.whenStable();
    (overlay().querySelector('[data-testid="confirm-ok"]') as HTMLElement).click();
    const second = await vi.waitFor(() => apollo.expectOne('ApplyCreditAdjustments'));
    expect(second.operation.variables['input'].idempotencyKey).toBe(first.operation.variables['input'].idempotencyKey);
    second.flushData({
      applyCreditAdjustments: { __typename: 'CreditAdjustmentBatch', applied: 1, transactions: [aTransaction()] },
    });

    await settle(() => expect(el('bulk-applied')?.textContent).toContain('1 adjustments applied from adjustments.csv'));
  });

  it('refuses an empty or oversized file without sending it', async () => {
    await upload('  \n');
    await settle(() => expect(el('bulk-file-error')?.textContent).toContain('is empty'));

    await upload('x'.repeat(200_001), 'big.csv');
    await settle(() => expect(el('bulk-file-error')?.textContent).toContain('big.csv is larger than 200 KB'));
    apollo.expectNone('PreviewCreditAdjustments');
  });
});
