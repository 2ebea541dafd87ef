-- session-cluster JDBC store, MariaDB 10.6+ / MySQL 8+ (InnoDB). ${table} is the tableName setting.
-- Ids and attribute names are binary: compared byte for byte, case-sensitive, no trailing-space padding.
-- lock_token: the latest grant of the session's lock; lease_end: when its lease ends, epoch ms by the database's
-- clock, NULL once released. principal: the name the session is indexed under (the user's sessions index), NULL
-- when none.
-- principal is binary (UTF-8 bytes, compared exactly, like the ids); its index is on a 255-byte prefix, which
-- fits every InnoDB row format.
-- Tables created before these columns: the store adds them (and the index) when it opens with
-- createSchema="true"; otherwise run
--   ALTER TABLE ${table}_sessions ADD COLUMN lock_token BIGINT NOT NULL DEFAULT 0;
--   ALTER TABLE ${table}_sessions ADD COLUMN lease_end BIGINT;
--   ALTER TABLE ${table}_sessions ADD COLUMN principal VARBINARY(768);
--   CREATE INDEX ${table}_sessions_principal ON ${table}_sessions (principal(255));
CREATE TABLE IF NOT EXISTS ${table}_sessions (
    id            VARBINARY(255) NOT NULL PRIMARY KEY,
    version       BIGINT         NOT NULL,
    creation_time BIGINT         NOT NULL,
    last_access   BIGINT         NOT NULL,
    max_inactive  INT            NOT NULL,
    expires_at    BIGINT         NOT NULL,
    lock_token    BIGINT         NOT NULL DEFAULT 0,
    lease_end     BIGINT,
    principal     VARBINARY(768),
    INDEX ${table}_sessions_expiry (expires_at),
    INDEX ${table}_sessions_principal (principal(255))
) ENGINE = InnoDB;
CREATE TABLE IF NOT EXISTS ${table}_attributes (
    session_id VARBINARY(255)  NOT NULL,
    name       VARBINARY(1024) NOT NULL,
    content    LONGBLOB        NOT NULL,
    PRIMARY KEY (session_id, name),
    FOREIGN KEY (session_id) REFERENCES ${table}_sessions (id) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE = InnoDB;
CREATE TABLE IF NOT EXISTS ${table}_evictions (
    seq        BIGINT         NOT NULL AUTO_INCREMENT PRIMARY KEY,
    node       VARCHAR(36)    NOT NULL,
    session_id VARBINARY(255) NOT NULL,
    created    BIGINT         NOT NULL
) ENGINE = InnoDB;
