import { Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, ownerScope, type Principal, Requires } from '../../../../libs/auth';
import { IDEMPOTENCY_KEY_PATTERN, IdParams, ProblemResponses, requiredIdempotencyKey } from '../../../../libs/http';
import { ListNotificationsQuery } from '../application/list-notifications/list-notifications.query';
import { ResendNotificationCommand } from '../application/resend-notification/resend-notification.command';
import { ListNotificationsRequest } from './list-notifications.request';
import { NOTIFICATION_LIST_EXAMPLE, NotificationListResponse, NotificationResponse } from './notification.response';


@ApiTags('notifications')
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly commandBus: CommandBus,
  ) {}

  @Get()
  @Requires('notifications:read-own', 'notifications:read-all')
  @ApiOperation({
    summary: 'Notification history, oldest first: what was sent, how often it was tried, what went wrong',
    description:
      "A customer sees only their own: another customer's id in the filter finds nothing. Staff see everyone's, " +
      'filtered by order or customer.',
  })
  @ApiOkResponse({ type: NotificationListResponse, example: NOTIFICATION_LIST_EXAMPLE })
  @ProblemResponses({ 400: 'Invalid parameter, named in errors[]' })
  async list(@CurrentPrincipal() caller: Principal, @Query() query: ListNotificationsRequest): Promise<NotificationListResponse> {
    const owner = ownerScope(caller, 'notifications:read-all');
    if (owner !== undefined && query.customerId !== undefined && query.customerId !== owner) return { items: [] };
    const notifications = await this.queryBus.execute(
      new ListNotificationsQuery({ orderId: query.orderId, customerId: owner ?? query.customerId, limit: query.limit ?? 100 }),
    );
    return { items: notifications.map((notification) => NotificationResponse.of(notification)) };
  }

  @Post(':id/resend')
  @HttpCode(202)
  @Requires('notifications:resend')
  @ApiOperation({
    summary: 'Send a notification again',
    description:
      "Queued for delivery to the customer's address as known now, with its attempts counted afresh; " +
      'its status shows what became of it.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'The same key answers the first resend again (with `Idempotent-Replayed: true`) and sends nothing more.',
    schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN },
  })
  @ApiAcceptedResponse({
    type: NotificationResponse,
    example: { ...NOTIFICATION_LIST_EXAMPLE.items[0], status: 'PENDING', attempts: 0 },
    headers: { 'Idempotent-Replayed': { description: 'true when this key had resent it before', schema: { type: 'string' } } },
  })
  @ProblemResponses({
    400: 'Idempotency-Key missing or malformed, or id not a UUID',
    404: 'No notification has this id',
    409: "No address is known for the notification's customer",
  })
  async resend(
    @CurrentPrincipal() caller: Principal,
    @Param() { id }: IdParams,
    @Headers('idempotency-key') idempotencyKeyHeader: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<NotificationResponse> {
    const idempotencyKey = requiredIdempotencyKey(idempotencyKeyHeader);
    const { notification, replayed } = await this.commandBus.execute(new ResendNotificationCommand(id, idempotencyKey, caller.id));
    if (replayed) void reply.header('idempotent-replayed', 'true');
    return NotificationResponse.of(notification);
  }
}
