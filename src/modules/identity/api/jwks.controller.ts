import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { JsonWebKey } from 'node:crypto';
import { Public, SigningKey } from '../../../../libs/auth';

@ApiTags('identity')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly key: SigningKey) {}

  @Get('jwks.json')
  @Public()
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'The public keys access tokens are signed with (RFC 7517), for other processes and gateways' })
  @ApiOkResponse({
    description: 'A JSON Web Key Set',
    schema: { type: 'object', properties: { keys: { type: 'array', items: { type: 'object' } } } },
    example: {
      keys: [
        {
          kty: 'EC',
          crv: 'P-256',
          x: '1zwO1FG9V1c6b43v3vvagdV0ivxXXNouWVFwx6qu2KI',
          y: 'b_lDZbBc_QuaBvr_UZJDjp7x9JAPKRB-RmeH5S17Eeo',
          kid: 'uArk79R92SRiXrq0VWELCJDAuitpKau5i8agR8lpf40',
          alg: 'ES256',
          use: 'sig',
        },
      ],
    },
  })
  jwks(): { keys: JsonWebKey[] } {
    return this.key.jwks();
  }
}
