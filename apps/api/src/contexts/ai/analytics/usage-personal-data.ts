import { Injectable, OnModuleInit } from '@nestjs/common';
import { UsageHistoryQuery } from '@sah/infrastructure';
import { PersonalData } from '../../identity/data-export/personal-data';

/** The user's usage records (request logs) for their GDPR export. */
@Injectable()
export class UsagePersonalData implements OnModuleInit {
  constructor(
    private readonly sections: PersonalData,
    private readonly history: UsageHistoryQuery,
  ) {}

  onModuleInit(): void {
    this.sections.register('usageRecords', (userId) => this.history.forUser(userId));
  }
}
