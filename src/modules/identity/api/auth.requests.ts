import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsEmail, IsIn, IsString, Length, Matches, MaxLength, MinLength } from 'class-validator';
import { PERMISSIONS, type Permission, ROLES, type Role } from '../../../../libs/auth';

/** argon2 costs the same for any length, but a bound keeps a request's work bounded. */
const MAX_PASSWORD = 128;
const MIN_PASSWORD = 10;

export class LogInRequest {
  @ApiProperty({ example: 'ann@example.com', format: 'email', maxLength: 254 })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'correct horse battery', maxLength: MAX_PASSWORD })
  @IsString()
  @MaxLength(MAX_PASSWORD)
  password!: string;
}

export class RegisterRequest extends LogInRequest {
  @ApiProperty({ example: 'correct horse battery', minLength: MIN_PASSWORD, maxLength: MAX_PASSWORD })
  @IsString()
  @MinLength(MIN_PASSWORD)
  @MaxLength(MAX_PASSWORD)
  declare password: string;
}

export class RefreshTokenRequest {
  @ApiProperty({ example: 'Zk3v1nq0J8Jd3bq5s0Qe9c2n6YwV9d1Qm3y7lXcT5rA', minLength: 43, maxLength: 43 })
  @IsString()
  @Length(43, 43)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: '$property must be base64url' })
  refreshToken!: string;
}

export class ClientTokenRequest {
  @ApiProperty({ example: '0190a000-0000-7000-8000-0000000000c1', maxLength: 64 })
  @IsString()
  @MaxLength(64)
  clientId!: string;

  @ApiProperty({ maxLength: 64 })
  @IsString()
  @MaxLength(64)
  clientSecret!: string;
}

export class CreateClientRequest {
  @ApiProperty({ example: 'gateway', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ enum: PERMISSIONS, isArray: true, example: ['metrics:read'], maxItems: PERMISSIONS.length })
  @IsArray()
  @ArrayMaxSize(PERMISSIONS.length)
  @ArrayUnique()
  @IsIn(PERMISSIONS, { each: true })
  scopes!: Permission[];
}

export class SetRolesRequest {
  @ApiProperty({ enum: ROLES, isArray: true, example: ['staff'], maxItems: ROLES.length })
  @IsArray()
  @ArrayMaxSize(ROLES.length)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles!: Role[];
}
