import { Module } from '@nestjs/common';
import { UserFiguresQuery } from '@sah/infrastructure';
import { DataSource } from 'typeorm';

/** Identity's read side for reports: head counts of users and the newest sign-ups. */
@Module({
  providers: [{ provide: UserFiguresQuery, inject: [DataSource], useFactory: (dataSource: DataSource) => new UserFiguresQuery(dataSource) }],
  exports: [UserFiguresQuery],
})
export class IdentityFiguresModule {}
