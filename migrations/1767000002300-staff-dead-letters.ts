import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dead letters are operations work, like stock and the catalog: staff may list and replay them,
 * not only admins.
 */
export class StaffDeadLetters1767000002300 implements MigrationInterface {
  name = 'StaffDeadLetters1767000002300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `INSERT INTO identity.role_permission (role, permission) VALUES ('staff', 'dead-letters:manage') ON CONFLICT DO NOTHING`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM identity.role_permission WHERE role = 'staff' AND permission = 'dead-letters:manage'`);
  }
}
