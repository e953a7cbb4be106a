import { SetMetadata } from '@nestjs/common';

export const READ_MODEL_REBUILDER = Symbol('READ_MODEL_REBUILDER');

/** A provider that can throw its read models away and rebuild them from the source of truth. */
export interface ReadModelRebuilder {
  readonly name: string;
  rebuild(): Promise<{ rebuilt: number }>;
}

/** Marks a provider for `npm run replay`, which finds every marked provider and runs it. */
export const RebuildsReadModel = (): ClassDecorator => SetMetadata(READ_MODEL_REBUILDER, true);
