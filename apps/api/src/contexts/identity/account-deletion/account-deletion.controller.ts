import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { Request } from 'express';
import { CurrentPrincipal } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { restData, RestResponse } from '../../../platform/http/rest-response';
import { AccountDeletions } from './account-deletions.service';

class DeleteMyAccountBody {
  @IsOptional()
  @IsString()
  @MaxLength(128)
  password?: string;
  @IsOptional()
  @IsString()
  @MaxLength(40)
  code?: string;
}

/** The REST twin of deleteMyAccount, beside the export under /api/v1/me. */
@Controller('api/v1/me')
export class AccountDeletionController {
  constructor(private readonly deletions: AccountDeletions) {}

  @Post('deletion')
  @HttpCode(202)
  async request(
    @CurrentPrincipal() principal: Principal,
    @Body() body: DeleteMyAccountBody,
    @Req() req: Request,
  ): Promise<RestResponse<{ deleteAfter: string }>> {
    return restData(req, { deleteAfter: (await this.deletions.request(principal, body)).toISOString() });
  }
}
