import { Command } from '@nestjs/cqrs';

/** The catalog has this product: stock may be set for it from now on. */
export class RecordProductCommand extends Command<void> {
  constructor(readonly productId: string) {
    super();
  }
}
