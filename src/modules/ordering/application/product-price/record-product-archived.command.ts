import { Command } from '@nestjs/cqrs';

/** Stop selling a product: ordering's replica marks it archived (newer versions only). */
export class RecordProductArchivedCommand extends Command<void> {
  constructor(
    readonly productId: string,
    readonly version: number,
  ) {
    super();
  }
}
