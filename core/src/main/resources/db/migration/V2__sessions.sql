-- RADIUS accounting sessions, one row per (NAS address, Acct-Session-Id): a NAS is identified by its source
-- address, since one configured client may be a whole network of switches. Times are epoch milliseconds.
-- Live sessions (stopped_at IS NULL) are what CoA/Disconnect targets when a device's compliance changes.
CREATE TABLE radius_sessions (
    nas              VARCHAR(64)  NOT NULL,
    acct_session_id  VARCHAR(253) NOT NULL,
    mac              BIGINT,
    device_id        UUID,
    user_name        VARCHAR(253),
    framed_ip        VARCHAR(45),
    class_value      VARCHAR(253),
    audit_session_id VARCHAR(253),
    nas_address      VARCHAR(45)  NOT NULL,
    started_at       BIGINT       NOT NULL,
    updated_at       BIGINT       NOT NULL,
    stopped_at       BIGINT,
    terminate_cause  INTEGER,
    PRIMARY KEY (nas_address, acct_session_id)
);
CREATE INDEX radius_sessions_mac ON radius_sessions (mac);
CREATE INDEX radius_sessions_device ON radius_sessions (device_id);
CREATE INDEX radius_sessions_live ON radius_sessions (nas_address, stopped_at);
