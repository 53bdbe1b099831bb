import { Module } from '@nestjs/common';
import { UsageFiguresQuery, UsageQuery } from '@sah/infrastructure';
import { DataSource } from 'typeorm';

/** The AI context's read side for reports: traffic per day (kept in a rollup) and per entry point, a user's calls. */
@Module({
  providers: [
    { provide: UsageFiguresQuery, inject: [DataSource], useFactory: (dataSource: DataSource) => new UsageFiguresQuery(dataSource) },
    { provide: UsageQuery, inject: [DataSource], useFactory: (dataSource: DataSource) => new UsageQuery(dataSource) },
  ],
  exports: [UsageFiguresQuery, UsageQuery],
})
export class AiFiguresModule {}
