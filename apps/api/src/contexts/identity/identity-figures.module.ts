import { Module } from '@nestjs/common';
import { UserFiguresQuery } from '@sah/infrastructure';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { personalDataCodec } from './personal-data/personal-data-codec';

/** Identity's read side for reports: head counts of users and the newest sign-ups. */
@Module({
  providers: [
    {
      provide: UserFiguresQuery,
      inject: [DataSource, AppConfig],
      useFactory: (dataSource: DataSource, config: AppConfig) => new UserFiguresQuery(dataSource, personalDataCodec(config)),
    },
  ],
  exports: [UserFiguresQuery],
})
export class IdentityFiguresModule {}
