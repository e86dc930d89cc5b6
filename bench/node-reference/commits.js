// The database work Tableside does for a status change before it tells any socket, for the
// reference server (server.js) when DATABASE_URL names Tableside's migrated `bench` database.
// Plain SQL, one statement per round trip, in Tableside's order: nothing here without DATABASE_URL.
"use strict";

const LOCK_KEY = 74221001; // Tableside's commit-order lock (app/services/commit_order.py)
const url = process.env.DATABASE_URL;
const { Pool } = url ? require("pg") : {};
const pool = url ? new Pool({ connectionString: url, max: 10 }) : null;
let lockClient = null;

// The table the benchmark changes (id 1 in a freshly migrated database), made as Tableside makes it.
async function prepareTable() {
  if (!pool) return;
  await pool.query(
    `INSERT INTO tables (table_number, floor, capacity, status, shape, x, y, width, height, rotation,
                         status_changed_at, version, created_at, updated_at)
     VALUES ('T-001', 1, 4, 'available', 'rect', 40, 40, 80, 80, 0, now(), 1, now(), now())
     ON CONFLICT DO NOTHING`,
  );
  lockClient = await pool.connect();
}

// Commit `change` as Tableside would; null without a database. The caller broadcasts, then unlocks.
async function commitChange(change) {
  if (!pool) return null;
  const user = await pool.query("SELECT id, active, session_generation FROM users WHERE username = $1", [
    change.updatedBy,
  ]);
  if (!user.rows.length || !user.rows[0].active) throw new Error("no such user in the bench database");
  await lockClient.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const row = await client.query("SELECT status FROM tables WHERE id = $1 FOR UPDATE", [change.tableId]);
    if (row.rows.length) change.oldStatus = row.rows[0].status;
    const event = await client.query(
      `INSERT INTO events (type, table_id, floor, payload, actor, created_at)
       VALUES ('table:status_changed', $1, $2, $3, $4, now()) RETURNING id`,
      [change.tableId, change.floor, JSON.stringify(change), change.updatedBy],
    );
    await client.query(
      `UPDATE tables SET status = $1, notes = $2, version = version + 1, status_changed_at = now(),
                         updated_at = now() WHERE id = $3`,
      [change.newStatus, change.notes, change.tableId],
    );
    await client.query("COMMIT");
    return {
      eventId: event.rows[0].id,
      unlock: () => lockClient.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]),
    };
  } catch (error) {
    await client.query("ROLLBACK");
    await lockClient.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]);
    throw error;
  } finally {
    client.release();
  }
}

module.exports = { commitChange, prepareTable };
