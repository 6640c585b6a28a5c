-- Stage one chunk, step 2: one row per file, with what it claims to be and its first damaged
-- attempt (its first damaged review is found once every chunk is staged: review_damage.sql).
INSERT INTO staged_files
SELECT
    file_id,
    d IS NOT NULL,
    d.format,
    d.format_version,
    d.learner,
    d.exported_at,
    NULL,
    list_position(
        list_transform(
            coalesce(d.attempts, []),
            lambda a: a IS NULL OR a.uid IS NULL OR a.deck_id IS NULL OR a.part_id IS NULL
                OR a."check" IS NULL OR a.started_at IS NULL
                OR (a.finished_at IS NOT NULL AND try_cast(a.finished_at AS TIMESTAMPTZ) IS NULL)
        ),
        true
    )
FROM chunk
