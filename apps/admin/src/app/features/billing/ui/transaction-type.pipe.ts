import { Pipe, type PipeTransform } from '@angular/core';

import type { CreditTransactionType } from '../data-access/billing.types';
import { TRANSACTION_TYPE_LABELS } from './transaction-type';

/** `'PROMO'` → "Promo code"; a type this console does not know yet is shown as sent. */
@Pipe({ name: 'transactionType' })
export class TransactionTypePipe implements PipeTransform {
  transform(type: CreditTransactionType | string): string {
    return (TRANSACTION_TYPE_LABELS as Readonly<Record<string, string>>)[type] ?? type;
  }
}
