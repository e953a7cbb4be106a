import { defineMessage } from '../message';
import { object, text, uuid } from '../schema';

export interface UserRegisteredV1Payload {
  userId: string;
  /** Normalised (trimmed, lower case): the address to write to. */
  email: string;
  registeredAt: string;
}

export const userRegisteredV1Schema = object<UserRegisteredV1Payload>({
  userId: uuid(),
  email: text(254, { minLength: 3, pattern: '^[^@\\s]+@[^@\\s]+$' }),
  registeredAt: text(40, { minLength: 20 }),
});

/** A customer account was created; its id is the `customerId` of the orders it places. */
export class UserRegisteredV1 extends defineMessage<UserRegisteredV1Payload>(
  {
    type: 'identity.user.registered',
    version: 1,
    kind: 'event',
    context: 'identity',
  },
  userRegisteredV1Schema,
) {}
