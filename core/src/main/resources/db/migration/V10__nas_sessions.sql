-- Network sessions keyed by the NAS's own identity instead of the packet's source address (behind a RADIUS proxy
-- every switch has the proxy's address). nas_id is 'ip:<NAS-IP-Address>', 'ipv6:<NAS-IPv6-Address>' or
-- 'id:<NAS-Identifier>' (RFC 2865 §5.4, RFC 2866 §5.1, RFC 5176 §3), or 'ip:'/'ipv6:' of the source address when
-- the NAS sends none of them or its client says nasIdentity: source.
-- A row is created by an Access-Accept (acct_session_id NULL until accounting names the session; active until
-- expires_at) or by accounting (Start/Interim/Stop; active until a Stop or Accounting-On/Off of that NAS), and the
-- two are joined into one row. Times are epoch milliseconds. Plain SQL for H2 and PostgreSQL.
-- The V2 table was keyed by source address; its rows cannot be re-keyed (the NAS attributes were not stored), so
-- it is dropped: the next Access-Accept or Interim of each live session recreates it.
DROP TABLE radius_sessions;

CREATE TABLE nas_sessions (
    id               VARCHAR(32)  NOT NULL,
    nas_id           VARCHAR(260) NOT NULL,
    acct_session_id  VARCHAR(253),
    client           VARCHAR(64)  NOT NULL,
    nas_ip           VARCHAR(45)  NOT NULL,
    source_address   VARCHAR(45)  NOT NULL,
    nas_port         BIGINT,
    nas_port_id      VARCHAR(253),
    mac              BIGINT,
    device_id        VARCHAR(36),
    user_name        VARCHAR(253),
    framed_ip        VARCHAR(45),
    class_value      VARCHAR(253),
    audit_session_id VARCHAR(253),
    profile          VARCHAR(64),
    verdict          VARCHAR(16),
    decision_id      VARCHAR(32),
    authorized_at    BIGINT,
    expires_at       BIGINT,
    started_at       BIGINT       NOT NULL,
    updated_at       BIGINT       NOT NULL,
    stopped_at       BIGINT,
    terminate_cause  INTEGER,
    PRIMARY KEY (id),
    CONSTRAINT nas_sessions_acct UNIQUE (nas_id, acct_session_id)
);
CREATE INDEX nas_sessions_mac ON nas_sessions (mac);
CREATE INDEX nas_sessions_device ON nas_sessions (device_id);
CREATE INDEX nas_sessions_nas ON nas_sessions (nas_id, stopped_at);
