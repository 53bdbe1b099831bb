import { Injectable, OnModuleInit } from '@nestjs/common';
import { UserRepository } from '@sah/domain';
import { DataSource } from 'typeorm';
import { MailQueue } from '../platform/mail/mail-queue';
import { MailRenderers } from '../platform/mail/mail-renderers';
import { plainMail } from '../platform/mail/plain-mail';
import { DailyFigures, DailySummaryQuery } from './daily-summary.query';

export const DAILY_SUMMARY_MAIL = 'operations.daily-summary';
const ADMIN_ROLES = ['SUPER_ADMIN', 'ADMIN'];

/**
 * Spec FR-5: every active administrator gets one mail a day with the day's figures. The mail's job id
 * is the day and the admin, so a second run for the same day (another worker, a retry) adds nothing.
 */
@Injectable()
export class DailySummaryHandler implements OnModuleInit {
  constructor(
    private readonly query: DailySummaryQuery,
    private readonly mail: MailQueue,
    private readonly renderers: MailRenderers,
    private readonly users: UserRepository,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.renderers.register(DAILY_SUMMARY_MAIL, async (userId, params) => {
      const user = await this.users.findById(userId);
      // Rendered at send time: someone no longer an admin by then gets nothing.
      if (!user || !ADMIN_ROLES.includes(user.role) || user.status !== 'active') return null;
      return summaryMail(user.email.value, params as unknown as DailyFigures);
    });
  }

  async execute(day: string): Promise<{ day: string; admins: number }> {
    const figures = await this.query.figuresFor(day);
    const admins = (await this.dataSource.query(`SELECT id FROM identity_user WHERE role = ANY($1) AND status = 'active'`, [ADMIN_ROLES])) as Array<{
      id: string;
    }>;
    for (const admin of admins) {
      await this.mail.sendOnce(`daily-summary-${day}-${admin.id}`, DAILY_SUMMARY_MAIL, admin.id, { ...figures });
    }
    return { day, admins: admins.length };
  }
}

function summaryMail(to: string, figures: DailyFigures) {
  return plainMail(to, `Smart AI Hub daily summary for ${figures.day}`, [
    `Figures for ${figures.day} (UTC):`,
    `Sign-ups: ${figures.signUps}`,
    `Credits sold: ${figures.creditsSold}`,
    `Credits spent: ${figures.creditsSpent}`,
    `AI requests: ${figures.aiRequests}, of which failed: ${figures.aiErrors}`,
    `Failed jobs: ${figures.failedJobs}`,
    `Failed webhook deliveries: ${figures.failedDeliveries}`,
  ]);
}
