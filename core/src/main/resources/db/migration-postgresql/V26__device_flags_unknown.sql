-- jailbroken and encrypted may be unknown (NULL) when the MDM never reported them: the ISE API then omits
-- jail_broken / disk_encryption_on instead of claiming false. Rows stored before keep their value.
ALTER TABLE devices ALTER COLUMN jailbroken DROP NOT NULL;
ALTER TABLE devices ALTER COLUMN encrypted DROP NOT NULL;
