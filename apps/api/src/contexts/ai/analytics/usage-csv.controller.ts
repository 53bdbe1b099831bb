import { Controller, Get, Query, Res } from '@nestjs/common';
import type { UsageGroupBy } from '@sah/infrastructure';
import type { Response } from 'express';
import { CurrentPrincipal, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { CsvCell, sendCsv } from '../../../platform/http/csv-writer';
import { UsageAnalytics } from './usage-analytics.service';
import { UsageCsvQuery } from './usage-csv.dto';

/** Plenty for a year of days or every user; beyond it the report would not be read as a spreadsheet. */
const MAX_ROWS = 100_000;

const KEY_COLUMN: Record<UsageGroupBy, string> = { day: 'day', model: 'model', provider: 'provider', user: 'user_id', team: 'team_id', member: 'user_id' };

/** The usage summary as a CSV download, with the same reach as `usageSummary`. */
@Controller('api/v1/ai')
export class UsageCsvController {
  constructor(private readonly analytics: UsageAnalytics) {}

  @Get('usage.csv')
  @RequirePermission('ai:use')
  async usage(@CurrentPrincipal() principal: Principal, @Query() query: UsageCsvQuery, @Res() res: Response): Promise<void> {
    const summary = await this.analytics.summary(
      principal,
      {
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        groupBy: query.groupBy?.toLowerCase() as UsageGroupBy | undefined,
        userId: query.userId,
        teamId: query.teamId,
      },
      MAX_ROWS,
    );
    // Per member, the e-mail address follows the id: a spreadsheet reader knows people by address.
    const member = summary.groupBy === 'member';
    const lines: CsvCell[][] = [
      [KEY_COLUMN[summary.groupBy], ...(member ? ['member'] : []), 'requests', 'input_tokens', 'output_tokens', 'credits', 'avg_latency_ms', 'p95_latency_ms', 'error_rate'],
      ...summary.rows.map((row) => [
        row.key,
        ...(member ? [row.member ?? ''] : []),
        row.requests,
        row.inputTokens,
        row.outputTokens,
        row.credits.toNumber(),
        row.avgLatencyMs,
        row.p95LatencyMs,
        row.errorRate,
      ]),
    ];
    await sendCsv(res, `ai-usage-${summary.groupBy}-${day(summary.from)}-${day(summary.to)}.csv`, lines);
  }
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
