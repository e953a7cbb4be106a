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

  @ApiProperty({ example: 'ann@example.com' })
  email!: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['customer'] })
  roles!: Role[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  static of(user: User): UserResponse {
    return { id: user.id, email: user.email, roles: user.roles, createdAt: user.createdAt.toISOString() };
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
