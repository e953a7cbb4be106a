import { Command } from '@nestjs/cqrs';

/** Bring the search index in line with the product's current state in the write model. */
export class IndexProductCommand extends Command<void> {
  constructor(readonly productId: string) {
    super();
  }
}
