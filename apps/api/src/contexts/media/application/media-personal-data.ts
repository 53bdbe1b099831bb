import { Injectable, OnModuleInit } from '@nestjs/common';
import { MediaJobRepository } from '@sah/infrastructure';
import { PersonalData } from '../../identity/data-export/personal-data';

const PAGE = 500;

/** The user's media jobs for their GDPR export: what was asked and what came of it (not the files). */
@Injectable()
export class MediaPersonalData implements OnModuleInit {
  constructor(
    private readonly sections: PersonalData,
    private readonly jobs: MediaJobRepository,
  ) {}

  onModuleInit(): void {
    this.sections.register('mediaJobs', async (userId) => {
      const all = [];
      for (let offset = 0; ; offset += PAGE) {
        const { items } = await this.jobs.page({ userId }, offset, PAGE);
        for (const job of items)
          all.push({
            id: job.id,
            kind: job.kind,
            model: job.model,
            prompt: job.prompt,
            size: job.size,
            n: job.n,
            seconds: job.seconds,
            status: job.status,
            credits: job.price.toNumber(),
            error: job.error,
            results: job.results.map((file) => ({ contentType: file.contentType, size: file.size, sha256: file.sha256 })),
            createdAt: job.createdAt,
            finishedAt: job.finishedAt,
          });
        if (items.length < PAGE) return all;
      }
    });
  }
}
