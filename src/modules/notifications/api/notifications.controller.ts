import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, ownerScope, type Principal, Requires } from '../../../../libs/auth';
import { ProblemResponses } from '../../../../libs/http';
import { ListNotificationsQuery } from '../application/list-notifications/list-notifications.query';
import { ListNotificationsRequest } from './list-notifications.request';
import { NOTIFICATION_LIST_EXAMPLE, NotificationListResponse, NotificationResponse } from './notification.response';

@ApiTags('notifications')
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @Requires('notifications:read-own', 'notifications:read-all')
  @ApiOperation({
    summary: 'Notifications sent to the customer about an order, oldest first',
    description: "Empty for an order with none, no such order, or another customer's order.",
  })
  @ApiOkResponse({ type: NotificationListResponse, example: NOTIFICATION_LIST_EXAMPLE })
  @ProblemResponses({ 400: 'orderId missing or not a UUID' })
  async list(@CurrentPrincipal() caller: Principal, @Query() { orderId }: ListNotificationsRequest): Promise<NotificationListResponse> {
    const owner = ownerScope(caller, 'notifications:read-all');
    const notifications = await this.queryBus.execute(new ListNotificationsQuery(orderId, owner));
    return { items: notifications.map((notification) => NotificationResponse.of(notification)) };
  }
}
