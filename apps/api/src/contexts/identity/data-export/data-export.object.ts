import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { DataExport } from '@sah/infrastructure';

export enum DataExportStatusEnum {
  PENDING = 'PENDING',
  READY = 'READY',
  FAILED = 'FAILED',
}
registerEnumType(DataExportStatusEnum, { name: 'DataExportStatus' });

@ObjectType('DataExport', { description: 'A GDPR export of everything the hub holds about the caller, as a JSON file' })
export class DataExportObject {
  @Field(() => ID) id!: string;
  @Field(() => DataExportStatusEnum) status!: DataExportStatusEnum;
  @Field() requestedAt!: Date;
  @Field(() => Date, { nullable: true }) finishedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'Until then the file can be downloaded' }) expiresAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'GET with the bearer token, while ready and not expired' })
  downloadUrl!: string | null;

  static of(row: DataExport, appUrl: string): DataExportObject {
    const ready = row.status === 'ready' && row.expiresAt !== null && row.expiresAt > new Date();
    return Object.assign(new DataExportObject(), {
      id: row.id,
      status: row.status.toUpperCase() as DataExportStatusEnum,
      requestedAt: row.requestedAt,
      finishedAt: row.finishedAt,
      expiresAt: row.expiresAt,
      downloadUrl: ready ? `${appUrl}/api/v1/me/export` : null,
    });
  }
}
