import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isPermission, type Permission } from '../../../../libs/auth';
import { rowsOf } from '../../../../libs/persistence';

export interface Client {
  id: string;
  name: string;
  secretHash: Buffer;
  scopes: Permission[];
  createdAt: Date;
  revokedAt: Date | null;
}

interface ClientRow {
  id: string;
  name: string;
  secret_hash: Buffer;
  scopes: string[];
  created_at: Date;
  revoked_at: Date | null;
}

function toClient(row: ClientRow): Client {
  return {
    id: row.id,
    name: row.name,
    secretHash: Buffer.from(row.secret_hash),
    scopes: row.scopes.filter(isPermission),
    createdAt: new Date(row.created_at),
    revokedAt: row.revoked_at && new Date(row.revoked_at),
  };
}

/** `identity.client`: machine clients (the gateway, other services), their scopes and hashed secrets. */
@Injectable()
export class ClientRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(client: Pick<Client, 'id' | 'name' | 'secretHash' | 'scopes'>): Promise<Client> {
    const [row] = rowsOf<ClientRow>(
      await this.dataSource.query(
        `INSERT INTO identity.client (id, name, secret_hash, scopes) VALUES ($1, $2, $3, $4)
         RETURNING id, name, secret_hash, scopes, created_at, revoked_at`,
        [client.id, client.name, client.secretHash, client.scopes],
      ),
    );
    return toClient(row);
  }

  async findActive(id: string): Promise<Client | undefined> {
    const [row] = await this.dataSource.query<ClientRow[]>(
      'SELECT id, name, secret_hash, scopes, created_at, revoked_at FROM identity.client WHERE id = $1 AND revoked_at IS NULL',
      [id],
    );
    return row && toClient(row);
  }

  /** False when no active client has this id. */
  async revoke(id: string): Promise<boolean> {
    const rows = rowsOf(
      await this.dataSource.query('UPDATE identity.client SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id', [id]),
    );
    return rows.length === 1;
  }
}
