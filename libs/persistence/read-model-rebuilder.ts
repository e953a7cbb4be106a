import { INestApplicationContext, SetMetadata } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { NO_PROGRESS, Progress } from '../progress';

export const READ_MODEL_REBUILDER = Symbol('READ_MODEL_REBUILDER');

/** A provider that can throw its read models away and rebuild them from the source of truth. */
export interface ReadModelRebuilder {
  readonly name: string;
  /** Starts one phase of `progress` with the number of items to rebuild, and reports them as it goes. */
  rebuild(progress: Progress): Promise<{ rebuilt: number }>;
}

/** Marks a provider for `npm run replay`, which finds every marked provider and runs it. */
export const RebuildsReadModel = (): ClassDecorator => SetMetadata(READ_MODEL_REBUILDER, true);

export interface RebuildReport {
  name: string;
  rebuilt: number;
  ms: number;
}

/** Runs every `@RebuildsReadModel()` provider of the application, one after the other. */
export async function rebuildReadModels(
  app: INestApplicationContext,
  progress: Progress = NO_PROGRESS,
): Promise<RebuildReport[]> {
  const rebuilders = app
    .get(DiscoveryService, { strict: false })
    .getProviders()
    .filter(({ metatype, instance }) => metatype && instance && Reflect.getMetadata(READ_MODEL_REBUILDER, metatype))
    .map(({ instance }) => instance as ReadModelRebuilder);
  const reports: RebuildReport[] = [];
  for (const rebuilder of rebuilders) {
    const started = Date.now();
    let rebuilt: number;
    try {
      ({ rebuilt } = await rebuilder.rebuild(progress));
    } finally {
      progress.stop();
    }
    reports.push({ name: rebuilder.name, rebuilt, ms: Date.now() - started });
  }
  return reports;
}
