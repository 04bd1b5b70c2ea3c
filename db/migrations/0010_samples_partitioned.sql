-- Raw readings partitioned by time on plain PostgreSQL and PGlite (db/samples-partitions.ts makes the
-- partitions as readings arrive). One index over every reading ever stored outgrows the buffer cache
-- at a province's rate and each insert then costs a page written out; a partition's index stays small.
-- With TimescaleDB available the hypertable does the same (db/timescale.ts), so nothing happens here.
-- Readings stored before this migration stay where they are, as the partition of everything before
-- the day after the newest of them.
DO $$
DECLARE
  newest timestamptz;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
    RETURN;
  END IF;
  IF (SELECT relkind FROM pg_class WHERE oid = 'samples'::regclass) = 'p' THEN
    RETURN;
  END IF;
  ALTER TABLE samples RENAME TO samples_before_partitioning;
  ALTER TABLE samples_before_partitioning RENAME CONSTRAINT samples_series_id_ts_pk TO samples_before_partitioning_pk;
  ALTER INDEX samples_ts_brin RENAME TO samples_before_partitioning_ts_brin;
  CREATE TABLE samples (
    series_id integer NOT NULL,
    ts timestamp with time zone NOT NULL,
    value_num double precision,
    value_bool boolean,
    value_text text,
    quality text NOT NULL,
    reason text,
    CONSTRAINT samples_series_id_ts_pk PRIMARY KEY (series_id, ts)
  ) PARTITION BY RANGE (ts);
  CREATE INDEX samples_ts_brin ON samples USING brin (ts);
  SELECT max(ts) INTO newest FROM samples_before_partitioning;
  IF newest IS NULL THEN
    DROP TABLE samples_before_partitioning;
  ELSE
    EXECUTE format('ALTER TABLE samples ATTACH PARTITION samples_before_partitioning FOR VALUES FROM (MINVALUE) TO (%L)',
      date_trunc('day', newest, 'UTC') + interval '1 day');
  END IF;
END $$;
