import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { IDENTITY_OPTIONS, IdentityOptions } from '../../identity.options';
import { GrantAdminCommand } from './account.commands';

/** ADMIN_EMAIL and ADMIN_PASSWORD: the first admin of a deployment that cannot run the CLI first. */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('Identity');

  constructor(
    private readonly commandBus: CommandBus,
    @Inject(IDENTITY_OPTIONS) private readonly options: IdentityOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.admin) return;
    const { user, created } = await this.commandBus.execute(new GrantAdminCommand(this.options.admin.email, this.options.admin.password));
    this.logger.log(`admin ${user.id} ${created ? 'created' : 'ensured'} from configuration`);
  }
}
