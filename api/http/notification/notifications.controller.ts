import { Controller, Get, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { RouteConfig, RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import {
  ListNotificationsQuery,
  type NotificationCriteria,
} from '../../../application/notification/notification.queries.js';
import { actsAsCustomer } from '../platform/hooks/auth.hooks.js';
import { listNotificationsSchema } from './notifications.schemas.js';

@Controller('v1/notifications')
export class NotificationsController {
  constructor(private readonly queries: QueryBus) {}

  /**
   * Staff and admins see every notification; a customer its own (another customer's id: an empty page).
   * Notifications are recorded by the worker, not a projection: `X-Min-Position` does not wait for them.
   */
  @Get()
  @RouteConfig({ access: ['staff', 'admin', 'customer'] as const })
  @RouteSchema(listNotificationsSchema)
  list(@Query() query: NotificationCriteria, @Req() request: FastifyRequest) {
    const owner = actsAsCustomer(request.auth) ? (request.auth?.customerId ?? 'no-customer-record') : undefined;
    if (owner !== undefined && query.customerId !== undefined && query.customerId !== owner)
      return { items: [], nextCursor: null };
    return this.queries.execute(
      new ListNotificationsQuery(owner === undefined ? query : { ...query, customerId: owner }),
    );
  }
}
