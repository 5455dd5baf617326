import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SERVICE_ROLE } from '../role/service-role';
import { EVENT_ID_CONSTRAINT, STREAM_POSITION_CONSTRAINT } from '../internal/schema-names';

const TABLES = `
CREATE TABLE events (
  global_position    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  stream_id          text        NOT NULL,
  stream_position    integer     NOT NULL CHECK (stream_position >= 1),
  transaction_id     xid8        NOT NULL DEFAULT pg_current_xact_id(),
  event_id           uuid        NOT NULL,
  event_type         text        NOT NULL,
  schema_fingerprint text        NULL CHECK (schema_fingerprint ~* '^[0-9a-f]+$'),
  data               jsonb       NOT NULL,
  metadata           jsonb       NOT NULL DEFAULT '{}',
  recorded_at        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ${EVENT_ID_CONSTRAINT} UNIQUE (event_id),
  CONSTRAINT ${STREAM_POSITION_CONSTRAINT} UNIQUE (stream_id, stream_position)
);
CREATE INDEX events_transaction_id_global_position_idx ON events (transaction_id, global_position);

CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'restrict_violation', HINT = 'append corrective events instead';
END
$fn$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER events_append_only_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();

CREATE TABLE inbox (
  consumer     text        NOT NULL,
  message_id   text        NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_id)
);

CREATE TABLE outbox (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic         text        NOT NULL,
  message_key   text        NULL,
  value         bytea       NOT NULL,
  headers       jsonb       NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now(),
  claimed_until timestamptz NULL,
  sent_at       timestamptz NULL
);
CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;
CREATE INDEX outbox_unsent_key_idx ON outbox (message_key, id) WHERE sent_at IS NULL;

CREATE TABLE timers (
  timer_id   text        PRIMARY KEY,
  stream_id  text        NOT NULL,
  kind       text        NOT NULL,
  due_at     timestamptz NOT NULL,
  payload    jsonb       NOT NULL DEFAULT 'null',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX timers_due_at_idx ON timers (due_at);

CREATE TABLE checkpoints (
  name            text        PRIMARY KEY,
  transaction_id  xid8        NOT NULL,
  global_position bigint      NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);`;

// Roles belong to the whole server, so another database's migration may be creating the
// same role right now: check first, and treat "already exists" as success. The password
// travels as a transaction-local setting, never spliced into SQL text.
const CREATE_ROLE = `
DO $do$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${SERVICE_ROLE}') THEN
    BEGIN
      EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', '${SERVICE_ROLE}', current_setting('baton.service_password'));
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;
END
$do$`;

// Grants belong to this database. No UPDATE, DELETE or TRUNCATE on events: with the
// trigger, that makes the log append-only twice over. INSERT only on the columns a writer
// supplies: global_position, transaction_id and recorded_at always take their defaults, so
// no writer can place an event behind a reader's checkpoint with a forged xid.
const GRANTS = `
DO $do$
BEGIN
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), '${SERVICE_ROLE}');
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), '${SERVICE_ROLE}');
  EXECUTE format('GRANT USAGE ON SEQUENCE %s TO %I', pg_get_serial_sequence('events', 'global_position'), '${SERVICE_ROLE}');
  EXECUTE format('GRANT USAGE ON SEQUENCE %s TO %I', pg_get_serial_sequence('outbox', 'id'), '${SERVICE_ROLE}');
END
$do$;
GRANT SELECT ON events TO ${SERVICE_ROLE};
GRANT INSERT (stream_id, stream_position, event_id, event_type, schema_fingerprint, data, metadata) ON events TO ${SERVICE_ROLE};
GRANT SELECT, INSERT, UPDATE, DELETE ON inbox, outbox, timers, checkpoints TO ${SERVICE_ROLE};`;

/**
 * Builds migration 1 for a given service-role password (TypeORM instantiates migration
 * classes itself, so options reach it through a closure).
 * @internal
 */
export function eventStoreSchemaMigration(servicePassword: string): new () => MigrationInterface {
  return class EventStoreSchema1767225600000 implements MigrationInterface {
    readonly name = 'EventStoreSchema1767225600000';

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(TABLES);
      await queryRunner.query(`SELECT set_config('baton.service_password', $1, true)`, [servicePassword]);
      await queryRunner.query(CREATE_ROLE);
      await queryRunner.query(`SELECT set_config('baton.service_password', '', true)`);
      await queryRunner.query(GRANTS);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      // The role stays: other databases of the server may use it.
      await queryRunner.query(`
        DROP TABLE IF EXISTS checkpoints, timers, outbox, inbox, events;
        DROP FUNCTION IF EXISTS events_append_only();`);
    }
  };
}
