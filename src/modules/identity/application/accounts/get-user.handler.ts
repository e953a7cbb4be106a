import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { User } from '../../domain/user';
import { UserRepository } from '../../infrastructure/user.repository';
import { GetUserQuery } from './account.commands';

@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery> {
  constructor(private readonly users: UserRepository) {}

  execute({ userId }: GetUserQuery): Promise<User | undefined> {
    return this.users.findById(userId);
  }
}
