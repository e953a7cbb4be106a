import { UnitOfWork } from '../../../../libs/messaging/unit-of-work';

export const reserveLater = (uow: UnitOfWork): number => uow.run(() => 1);
