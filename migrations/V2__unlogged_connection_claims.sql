-- Connection claims are soft state: they are renewed every few seconds and lapse by themselves.
-- Unlogged, they cost no WAL write and no fsync on every connect, disconnect and renewal; after a
-- PostgreSQL crash the table comes back empty, which only means nobody is connected.
ALTER TABLE connection_claims SET UNLOGGED;
