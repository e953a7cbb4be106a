import { Controller, Get, Header, HttpCode, Inject, NotFoundException, Param, Post, Res, ServiceUnavailableException } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../libs/auth';
import { issueDevelopmentStaffToken } from '../modules/identity';
import { CONSOLE_BUILD_DIRECTORY, ConsoleFiles } from './console-files';
import { CONSOLE_OPTIONS, type ConsoleOptions } from './console.options';

/** Hashed names change with their content, so a browser may keep them for good; the page is asked for again each time. */
const CACHE_HASHED = 'public, max-age=31536000, immutable';
const CACHE_PAGE = 'no-cache';

/** How the console signs in: with a login, or (CONSOLE_AUTH=off) with the staff token handed over here. */
export type ConsoleSession =
  | { login: 'required' }
  | { login: 'off'; accessToken: string; expiresIn: number; tokenType: 'Bearer' };

/**
 * The operations console: its page and files, public like any web page (the data it shows comes
 * from the API, which asks for a staff or admin token), and how it signs in. Not part of the API's
 * OpenAPI document, as /docs is not.
 */
@ApiExcludeController()
@Controller('console')
@Public()
export class ConsoleController {
  private readonly files = new ConsoleFiles(CONSOLE_BUILD_DIRECTORY);

  constructor(
    @Inject(CONSOLE_OPTIONS) private readonly options: ConsoleOptions,
    private readonly commandBus: CommandBus,
  ) {}

  @Get()
  page(@Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.send(reply, '');
  }

  // Fastify's wildcard: the rest of the path, decoded, in the `*` parameter.
  @Get('*')
  file(@Param('*') path: string, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.send(reply, path);
  }

  @Post('session')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  async session(): Promise<ConsoleSession> {
    if (this.options.loginRequired) return { login: 'required' };
    return { login: 'off', ...(await issueDevelopmentStaffToken(this.commandBus)), tokenType: 'Bearer' };
  }

  private async send(reply: FastifyReply, requested: string): Promise<FastifyReply> {
    const found = await this.files.find(requested);
    if (found.kind === 'not-built') {
      throw new ServiceUnavailableException('the operations console was not built: run `npm run build` (or `npm run build:console`) and restart');
    }
    if (found.kind === 'missing') throw new NotFoundException('the operations console has no such file');
    return reply
      .header('cache-control', found.hashed ? CACHE_HASHED : CACHE_PAGE)
      .sendFile(found.path, this.files.directory, { cacheControl: false });
  }
}
