import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { DomainError, WEBHOOK_EVENT_CATALOGUE } from '@sah/domain';
import type { WebhookDeliveryInfo } from '@sah/infrastructure';
import type { Request } from 'express';
import {
  ApiKeyScope,
  CurrentPrincipal,
  Public,
  RequirePermission,
} from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { restData } from '../../../platform/http/rest-response';
import { WebhookDeliveries } from '../application/webhook-deliveries.service';
import { WebhookEndpoints } from '../application/webhook-endpoints.service';
import { CreateEndpointBody, DeliveriesQuery, RecoverBody, UpdateEndpointBody } from './webhooks.dto';

/** The event catalogue: public, so receivers can generate types from it. */
@Controller('api/v1/webhooks/event-types')
export class WebhookEventTypesController {
  @Get()
  @Public()
  list(@Req() req: Request) {
    return restData(req, WEBHOOK_EVENT_CATALOGUE);
  }
}

/** Partners' scripts: their endpoints, deliveries, replay and recovery (API key scope `webhooks.manage`, or a session). */
@Controller('api/v1/webhooks/endpoints')
@RequirePermission('webhooks:manage')
@ApiKeyScope('webhooks.manage')
export class WebhookEndpointsController {
  constructor(
    private readonly endpoints: WebhookEndpoints,
    private readonly deliveries: WebhookDeliveries,
  ) {}

  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Req() req: Request) {
    return restData(req, await this.endpoints.list(principal));
  }

  @Post()
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateEndpointBody,
    @Req() req: Request,
  ) {
    const { endpoint, secret } = await this.endpoints.create(principal, body);
    return restData(req, { endpoint: endpoint, secret });
  }

  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Req() req: Request) {
    return restData(req, await this.endpoints.get(principal, id));
  }

  @Patch(':id')
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: UpdateEndpointBody,
    @Req() req: Request,
  ) {
    return restData(req, await this.endpoints.update(principal, id, body));
  }

  @Delete(':id')
  async remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Req() req: Request) {
    await this.endpoints.remove(principal, id);
    return restData(req, { deleted: true });
  }

  @Post(':id/rotate-secret')
  @HttpCode(HttpStatus.OK)
  async rotate(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Req() req: Request) {
    const { endpoint, secret } = await this.endpoints.rotateSecret(principal, id);
    return restData(req, { endpoint: endpoint, secret });
  }

  @Post(':id/test')
  @HttpCode(HttpStatus.ACCEPTED)
  async test(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Req() req: Request) {
    const deliveryId = await this.endpoints.sendTest(principal, id);
    return restData(req, deliveryView(await this.deliveries.get(principal, deliveryId)));
  }

  @Post(':id/recover')
  @HttpCode(HttpStatus.ACCEPTED)
  async recover(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: RecoverBody,
    @Req() req: Request,
  ) {
    await this.deliveries.recover(principal, id, new Date(body.since));
    return restData(req, { recovering: true });
  }

  @Get(':id/deliveries')
  async deliveriesOf(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: DeliveriesQuery,
    @Req() req: Request,
  ) {
    const page = query.page ?? 1;
    const perPage = query.per_page ?? 20;
    const { items, total } = await this.deliveries.list(
      principal,
      {
        endpointId: id,
        eventType: query.event_type,
        status: query.status,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      },
      { offset: (page - 1) * perPage, limit: perPage },
    );
    return {
      ...restData(req, items.map(deliveryView)),
      pagination: { page, per_page: perPage, total, total_pages: Math.ceil(total / perPage) },
    };
  }

  @Get(':id/deliveries/:deliveryId')
  async delivery(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('deliveryId') deliveryId: string,
    @Req() req: Request,
  ) {
    const delivery = await this.ownDelivery(principal, id, deliveryId);
    return restData(req, {
      ...deliveryView(delivery),
      attempts: await this.deliveries.attempts(delivery.id),
    });
  }

  @Post(':id/deliveries/:deliveryId/replay')
  @HttpCode(HttpStatus.ACCEPTED)
  async replay(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('deliveryId') deliveryId: string,
    @Req() req: Request,
  ) {
    await this.ownDelivery(principal, id, deliveryId);
    return restData(req, deliveryView(await this.deliveries.replay(principal, deliveryId)));
  }

  /** The delivery, only under its own endpoint's path. */
  private async ownDelivery(
    principal: Principal,
    endpointId: string,
    deliveryId: string,
  ): Promise<WebhookDeliveryInfo> {
    const delivery = await this.deliveries.get(principal, deliveryId);
    if (delivery.endpointId !== endpointId)
      throw DomainError.notFound('Webhook delivery', { id: deliveryId });
    return delivery;
  }
}

function deliveryView(delivery: WebhookDeliveryInfo) {
  const { body, attempts, lastStatus, ...rest } = delivery;
  return { ...rest, attemptCount: attempts, lastResponseStatus: lastStatus, payload: body };
}
