import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PERMISSIONS, type Permission, ROLES, type Role } from '../../../../libs/auth';
import type { User } from '../domain/user';
import type { Client } from '../infrastructure/client.repository';

export class AccessTokenResponse {
  @ApiProperty({ description: 'A JWT (ES256) to send as `Authorization: Bearer <accessToken>`' })
  accessToken!: string;

  @ApiProperty({ type: 'integer', example: 900, description: 'Seconds until the access token expires' })
  expiresIn!: number;

  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  tokenType!: 'Bearer';
}

export class SessionResponse extends AccessTokenResponse {
  @ApiProperty({ description: 'Opaque, single use: trade it at /auth/refresh for a new pair before it expires' })
  refreshToken!: string;
}

export class UserResponse {
  @ApiProperty({ format: 'uuid', description: 'Also the customerId of the orders this user places' })
  id!: string;

  @ApiPropertyOptional({ example: 'ann@example.com', description: 'Absent on an account made by signing in with a wallet' })
  email?: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['customer'] })
  roles!: Role[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  static of(user: User): UserResponse {
    return { id: user.id, ...(user.email === undefined ? {} : { email: user.email }), roles: user.roles, createdAt: user.createdAt.toISOString() };
  }
}

export class ClientResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'gateway' })
  name!: string;

  @ApiProperty({ enum: PERMISSIONS, isArray: true, example: ['metrics:read'] })
  scopes!: Permission[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiPropertyOptional({ description: 'Shown once, at creation; only its hash is kept' })
  secret?: string;

  static of(client: Client, secret?: string): ClientResponse {
    return {
      id: client.id,
      name: client.name,
      scopes: client.scopes,
      createdAt: client.createdAt.toISOString(),
      ...(secret === undefined ? {} : { secret }),
    };
  }
}

/** A customer's access token as issued (its signature elided): the claims are readable, not secret. */
const ACCESS_TOKEN =
  'eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCIsImtpZCI6InVBcms3OVI5MlNSaVhycTBWV0VMQ0pEQXVpdHBLYXU1aThhZ1I4bHBmNDAifQ.' +
  'eyJpc3MiOiJjb21tZXJjZS1jb3JlIiwiYXVkIjoiY29tbWVyY2UtYXBpIiwic3ViIjoiMDE5MGEwMDAtMDAwMC03MDAwLTgwMDAtMDAwMDAwMDAwMGExIiwicm9sZXMiOlsiY3VzdG9tZXIiXSwic2NvcGUiOiJwcm9maWxlOnJlYWQgb3JkZXJzOnBsYWNlIG9yZGVyczpyZWFkLW93biBwYXltZW50czpyZWFkLW93biBub3RpZmljYXRpb25zOnJlYWQtb3duIiwiaWF0IjoxNzY4NDY5NDAwLCJleHAiOjE3Njg0NzAzMDB9.' +
  'signature';

export const ACCESS_TOKEN_EXAMPLE: AccessTokenResponse = { accessToken: ACCESS_TOKEN, expiresIn: 900, tokenType: 'Bearer' };

export const SESSION_EXAMPLE: SessionResponse = { ...ACCESS_TOKEN_EXAMPLE, refreshToken: 'OXl-aGBR2QiP8wh06qPhiWvLkl0gV_Zc-9tQ02lF91s' };

export const USER_EXAMPLE: UserResponse = {
  id: '0190a000-0000-7000-8000-0000000000a1',
  email: 'ann@example.com',
  roles: ['customer'],
  createdAt: '2026-01-15T09:30:00.000Z',
};

export const CLIENT_EXAMPLE: ClientResponse = {
  id: '0190a000-0000-7000-8000-0000000000c1',
  name: 'gateway',
  scopes: ['metrics:read'],
  createdAt: '2026-01-15T09:30:00.000Z',
  secret: 'x7Vq2mJf0c9LrT4sWb8nYe1kHa6GpZ3uDi5oQw_NlXE',
};
