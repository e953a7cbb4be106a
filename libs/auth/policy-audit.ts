import { Injectable, OnModuleInit } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { StartupError } from '../startup';
import { POLICY } from './policy';

/** Refuses to start while any route has no policy: a forgotten decorator must not open a route. */
@Injectable()
export class PolicyAudit implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const undeclared: string[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype;
      if (typeof controller !== 'function') continue;
      const prototype = controller.prototype as Record<string, (...args: unknown[]) => unknown>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        if (this.reflector.getAllAndOverride(POLICY, [handler, controller]) === undefined) undeclared.push(`${controller.name}.${name}`);
      }
    }
    if (undeclared.length > 0) {
      throw new StartupError(`routes without a policy (@Public or @Requires): ${undeclared.join(', ')}`);
    }
  }
}
