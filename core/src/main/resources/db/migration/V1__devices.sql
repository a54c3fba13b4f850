-- Device compliance records, one row per MDM device id. Times are epoch milliseconds (portable H2/PostgreSQL).
CREATE TABLE devices (
    device_id        UUID         NOT NULL PRIMARY KEY,
    entra_id         UUID,
    device_name      VARCHAR(256),
    upn              VARCHAR(256),
    platform         VARCHAR(16)  NOT NULL,
    os_version       VARCHAR(64),
    model            VARCHAR(128),
    manufacturer     VARCHAR(128),
    ownership        VARCHAR(16)  NOT NULL,
    management_state VARCHAR(16)  NOT NULL,
    compliance_state VARCHAR(24)  NOT NULL,
    grace_expiry     BIGINT,
    policy_assigned  BOOLEAN      NOT NULL,
    threat_level     VARCHAR(16)  NOT NULL,
    jailbroken       BOOLEAN      NOT NULL,
    encrypted        BOOLEAN      NOT NULL,
    last_check_in    BIGINT,
    macs             VARCHAR(300),
    serial           VARCHAR(64),
    imei             BIGINT,
    meid             BIGINT,
    udid             VARCHAR(40),
    mdm_modified     BIGINT       NOT NULL,
    stored_at        BIGINT       NOT NULL
);
CREATE INDEX devices_entra ON devices (entra_id);
CREATE INDEX devices_serial ON devices (serial);
CREATE INDEX devices_imei ON devices (imei);
CREATE INDEX devices_meid ON devices (meid);
CREATE INDEX devices_udid ON devices (udid);
CREATE INDEX devices_upn ON devices (upn);

-- MAC → device, so a store lookup by MAC is an index seek (a device has several MACs).
CREATE TABLE device_macs (
    mac       BIGINT NOT NULL,
    device_id UUID   NOT NULL REFERENCES devices (device_id) ON DELETE CASCADE,
    PRIMARY KEY (mac, device_id)
);
CREATE INDEX device_macs_device ON device_macs (device_id);
