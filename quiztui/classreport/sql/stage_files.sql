-- Stage one chunk, step 2: one row per file, with what it claims to be, the decks it names and
-- its first damaged review and attempt: a field every entry has is missing or of the wrong
-- type, a grade is out of 0-5, or an undo time is not a time (it must never read as "not
-- undone").
INSERT INTO staged_files
SELECT
    file_id,
    d IS NOT NULL,
    d.format,
    d.format_version,
    d.learner,
    d.exported_at,
    coalesce(len(d.reviews), 0),
    list_position(
        coalesce(d.reviews, []).list_transform(
            lambda r: r IS NULL OR r.deck_id IS NULL OR r.item_id IS NULL
                OR r.mode IS NULL OR r.grade IS NULL OR r.grade NOT BETWEEN 0 AND 5
                OR r.learning_day IS NULL
                OR (r.undone_at IS NOT NULL AND try_cast(r.undone_at AS TIMESTAMPTZ) IS NULL)
        ),
        true
    ),
    list_position(
        coalesce(d.attempts, []).list_transform(
            lambda a: a IS NULL OR a.uid IS NULL OR a.deck_id IS NULL OR a.part_id IS NULL
                OR a."check" IS NULL OR a.started_at IS NULL
                OR (a.finished_at IS NOT NULL AND try_cast(a.finished_at AS TIMESTAMPTZ) IS NULL)
        ),
        true
    ),
    list_distinct(list_concat(
        coalesce(d.reviews, []).list_transform(lambda r: r.deck_id),
        coalesce(d.attempts, []).list_transform(lambda a: a.deck_id)
    )).list_filter(lambda i: i IS NOT NULL)
FROM chunk
