import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import type { TransactionType } from '@sah/domain';
import { CreditTransactionObject, CreditTransactionType } from '../graphql/credit-transaction.object';
import type { AdjustmentPreview } from './bulk-adjustments.handler';
import type { CreditStatement } from './credit-statements.handler';

@ObjectType('CreditAdjustmentRow', { description: 'One row of a bulk adjustment file, checked' })
export class CreditAdjustmentRowObject {
  @Field(() => Int, { description: 'Line in the file (the header is line 1)' }) line!: number;
  @Field({ description: 'The user column as given: an id or an e-mail address' }) user!: string;
  @Field(() => ID, { nullable: true, description: 'The user it names, when found (and within your reach)' }) userId!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => Float, { nullable: true, description: 'Signed; null when the amount is not valid' }) amount!: number | null;
  @Field() reason!: string;
  @Field(() => String, { nullable: true, description: 'Why the row cannot be applied' }) error!: string | null;
}

@ObjectType('CreditAdjustmentPreview')
export class CreditAdjustmentPreviewObject {
  @Field(() => [CreditAdjustmentRowObject]) rows!: CreditAdjustmentRowObject[];
  @Field({ description: 'True when every row can be applied' }) valid!: boolean;
  @Field(() => Int) errorCount!: number;
  @Field(() => Float, { description: 'Credits added by the valid rows' }) totalCredit!: number;
  @Field(() => Float, { description: 'Credits taken by the valid rows (a positive number)' }) totalDebit!: number;

  static from(preview: AdjustmentPreview): CreditAdjustmentPreviewObject {
    return Object.assign(new CreditAdjustmentPreviewObject(), {
      rows: preview.rows.map((row) =>
        Object.assign(new CreditAdjustmentRowObject(), {
          line: row.line,
          user: row.user,
          userId: row.userId,
          email: row.email,
          name: row.name,
          amount: row.amount?.toNumber() ?? null,
          reason: row.reason,
          error: row.error,
        }),
      ),
      valid: preview.valid,
      errorCount: preview.errorCount,
      totalCredit: preview.totalCredit.toNumber(),
      totalDebit: preview.totalDebit.toNumber(),
    });
  }
}

@ObjectType('CreditAdjustmentBatch', { description: 'An applied bulk adjustment file: every row, or none' })
export class CreditAdjustmentBatchObject {
  @Field(() => Int) applied!: number;
  @Field(() => [CreditTransactionObject], { description: 'One per row, in file order' }) transactions!: CreditTransactionObject[];
}

@ObjectType('CreditTypeTotal')
export class CreditTypeTotalObject {
  @Field(() => CreditTransactionType) type!: TransactionType;
  @Field(() => Float, { description: 'Net effect on the balance' }) amount!: number;
}

@ObjectType('CreditStatement', { description: 'A month of one account, or of a team’s accounts summed' })
export class CreditStatementObject {
  @Field({ description: 'YYYY-MM (UTC)' }) month!: string;
  @Field(() => ID, { nullable: true }) userId!: string | null;
  @Field(() => ID, { nullable: true }) teamId!: string | null;
  @Field({ description: 'First instant of the month' }) from!: Date;
  @Field({ description: 'First instant of the next month (exclusive)' }) to!: Date;
  @Field(() => Float, { description: 'Balance before the month' }) openingBalance!: number;
  @Field(() => Float, { description: 'Balance at the end of the month (so far, for the current month)' }) closingBalance!: number;
  @Field(() => [CreditTypeTotalObject]) totalsByType!: CreditTypeTotalObject[];
  @Field(() => Int) transactionCount!: number;
  /** Kept for the `lines` field; not part of the schema. */
  statement!: CreditStatement;

  static from(statement: CreditStatement): CreditStatementObject {
    return Object.assign(new CreditStatementObject(), {
      month: statement.month,
      userId: statement.userId,
      teamId: statement.teamId,
      from: statement.from,
      to: statement.to,
      openingBalance: statement.openingBalance.toNumber(),
      closingBalance: statement.closingBalance.toNumber(),
      totalsByType: statement.totalsByType.map((total) =>
        Object.assign(new CreditTypeTotalObject(), { type: total.type, amount: total.amount.toNumber() }),
      ),
      transactionCount: statement.transactionCount,
      statement,
    });
  }
}
