-- Shared mode (PostgreSQL only): every committed device change is appended to device_changes by a trigger, in the
-- same transaction as the change, and wakes the other nodes with NOTIFY (one per transaction: PostgreSQL folds
-- identical notifications). Nodes apply the changes after the last sequence they applied (ChangeLogFollower).
-- seq is a plain sequence: values are taken at insert and become visible at commit, so a reader may see a higher
-- seq before a lower one commits; the follower re-reads such gaps for a while.
CREATE TABLE device_changes (
    seq          BIGSERIAL PRIMARY KEY,
    device_id    UUID        NOT NULL,
    mdm_modified BIGINT      NOT NULL,
    deleted      BOOLEAN     NOT NULL,
    changed_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX device_changes_changed_at ON device_changes (changed_at);

CREATE FUNCTION nacgw_log_device_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO device_changes (device_id, mdm_modified, deleted) VALUES (OLD.device_id, OLD.mdm_modified, TRUE);
    ELSE
        INSERT INTO device_changes (device_id, mdm_modified, deleted) VALUES (NEW.device_id, NEW.mdm_modified, FALSE);
    END IF;
    PERFORM pg_notify('nacgw_device_changes', current_schema());
    RETURN NULL;
END
$$;

CREATE TRIGGER devices_change_log AFTER INSERT OR UPDATE OR DELETE ON devices
    FOR EACH ROW EXECUTE FUNCTION nacgw_log_device_change();
