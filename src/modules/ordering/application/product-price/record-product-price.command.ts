import { Command } from '@nestjs/cqrs';
import { ProductSnapshotV1 } from '../../../../../libs/contracts/catalog';

/** Keep ordering's replica of catalog prices current (newer versions only). */
export class RecordProductPriceCommand extends Command<void> {
  constructor(readonly snapshot: ProductSnapshotV1) {
    super();
  }
}
