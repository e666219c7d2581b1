-- SpotKeeper store schema version 1 (SQLite), frozen: what a v1 build wrote.
-- tst_storemigration builds a v1 database from this file and upgrades it.
-- One statement per line.
CREATE TABLE schema_meta ( meta_key VARCHAR(64) NOT NULL PRIMARY KEY, meta_value VARCHAR(255) NOT NULL);
CREATE TABLE vms ( id INTEGER PRIMARY KEY AUTOINCREMENT, resource_key VARCHAR(512) NOT NULL UNIQUE, resource_id VARCHAR(512), subscription_id VARCHAR(64), resource_group VARCHAR(128), name VARCHAR(128), vm_id VARCHAR(64), location VARCHAR(64), zone VARCHAR(16), size VARCHAR(128), priority VARCHAR(16), eviction_policy VARCHAR(16), tags TEXT NOT NULL DEFAULT '{}', power_state VARCHAR(32) NOT NULL DEFAULT 'unknown', power_state_at BIGINT, desired_state VARCHAR(16) NOT NULL DEFAULT 'running', auto_restart INTEGER NOT NULL DEFAULT 1, managed_by VARCHAR(16) NOT NULL DEFAULT 'none', agent_last_seen BIGINT, agent_version VARCHAR(64), agent_last_poll_error TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE TABLE events ( id INTEGER PRIMARY KEY AUTOINCREMENT, vm_id BIGINT REFERENCES vms(id), kind VARCHAR(32) NOT NULL, occurred_at BIGINT NOT NULL, source VARCHAR(32), event_type VARCHAR(64), event_id VARCHAR(128), event_status VARCHAR(32), webhook_id VARCHAR(256) UNIQUE, http_status INTEGER, arm_error_code VARCHAR(128), correlation_id VARCHAR(128), message TEXT, evidence TEXT, payload BLOB);
CREATE UNIQUE INDEX events_notice_vm_event ON events(vm_id, event_id) WHERE kind = 'notice' AND event_id IS NOT NULL;
CREATE TABLE jobs ( id INTEGER PRIMARY KEY AUTOINCREMENT, vm_id BIGINT NOT NULL REFERENCES vms(id), state VARCHAR(32) NOT NULL, trigger_source VARCHAR(32), attempt INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT, not_before BIGINT, evicted_at BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, finished_at BIGINT, reason TEXT, last_error_code VARCHAR(128), last_error_message TEXT, async_operation_url TEXT, lease_owner VARCHAR(128), lease_expires_at BIGINT);
CREATE UNIQUE INDEX jobs_one_active_per_vm ON jobs(vm_id) WHERE state <> 'running' AND state <> 'cancelled';
CREATE INDEX jobs_vm ON jobs(vm_id, id);
CREATE TABLE agent_keys ( key_id VARCHAR(128) NOT NULL PRIMARY KEY, vm_resource_key VARCHAR(512) NOT NULL, created_at BIGINT NOT NULL, revoked_at BIGINT);
CREATE TABLE agent_key_secrets ( id INTEGER PRIMARY KEY AUTOINCREMENT, key_id VARCHAR(128) NOT NULL REFERENCES agent_keys(key_id) ON DELETE CASCADE, secret BLOB NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT);
CREATE INDEX agent_key_secrets_key ON agent_key_secrets(key_id);
CREATE TABLE audit_log ( id INTEGER PRIMARY KEY AUTOINCREMENT, occurred_at BIGINT NOT NULL, actor VARCHAR(256) NOT NULL, action VARCHAR(64) NOT NULL, target VARCHAR(512), detail TEXT);
CREATE INDEX audit_log_at ON audit_log(occurred_at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END;
INSERT INTO schema_meta (meta_key, meta_value) VALUES ('schema_version', '0');
UPDATE schema_meta SET meta_value = '1' WHERE meta_key = 'schema_version';
PRAGMA user_version = 1;
