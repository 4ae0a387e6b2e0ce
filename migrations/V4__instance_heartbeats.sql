-- Instances say they are alive here; a connection claim holds while its instance does.
-- One row per instance is renewed every few seconds, instead of every claim: a claim no longer
-- expires by itself. A claim whose instance has not renewed for chat.cluster.claim-ttl (15 s) is
-- taken over at once; one whose instance is alive is taken over only when that instance finds the
-- connection dead (it does not answer a ping within 2 s).
-- Logged, unlike the claims: after a PostgreSQL crash the claims come back empty and each instance
-- inserts those of its live connections again at its next renewal.
CREATE TABLE cluster_instances (
    instance_id  VARCHAR(64) PRIMARY KEY,
    heartbeat_at TIMESTAMPTZ NOT NULL
);

ALTER TABLE connection_claims DROP COLUMN expires_at;
