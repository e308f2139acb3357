-- Raceway storage schema, version 3: the trace list's `operation` filter (text the operation contains, any case) is
-- indexed.
--
-- The filter is `operation ILIKE '%text%'`, which only a trigram index can serve: pg_trgm's GIN operator class. The
-- extension ships with PostgreSQL (contrib) and is trusted since PostgreSQL 13, so a database owner may create it;
-- Supabase has it. If it is installed already, in whatever schema (Supabase keeps extensions in `extensions`), that
-- installation's operator class is used. If it cannot be had, the migration still succeeds without the index and the
-- filter scans the `traces` table (one row per trace), as before.
DO $$
DECLARE
    trgm_schema name;
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'pg_trgm is not available (%): the operation filter of the trace list will not be indexed',
            SQLERRM;
    END;
    SELECT n.nspname INTO trgm_schema
    FROM pg_opclass c JOIN pg_namespace n ON n.oid = c.opcnamespace JOIN pg_am a ON a.oid = c.opcmethod
    WHERE c.opcname = 'gin_trgm_ops' AND a.amname = 'gin'
    LIMIT 1;
    IF trgm_schema IS NOT NULL THEN
        EXECUTE format('CREATE INDEX traces_by_operation ON traces USING gin (operation %I.gin_trgm_ops)',
            trgm_schema);
    END IF;
END
$$;
