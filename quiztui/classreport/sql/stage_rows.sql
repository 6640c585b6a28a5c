-- Stage one chunk, step 3: every check attempt, and every review (each file's reviews parsed on
-- their own, straight into rows), numbered in file order, which is the learner's log order.
INSERT INTO staged_attempts
SELECT
    file_id, a.uid, a.deck_id, a.part_id, a."check", coalesce(a.question_ids, []),
    a.choice_orders, a.started_at, try_cast(a.finished_at AS TIMESTAMPTZ),
    try_cast(a.abandoned_at AS TIMESTAMPTZ)
FROM (SELECT file_id, unnest(d.attempts) AS a FROM chunk);

INSERT INTO staged_reviews
SELECT
    file_id, seq, r.uid, r.deck_id, r.item_id, r.kind, r.mode, r.grade, r.answered_grade,
    list_distinct(coalesce(r.picked, [])), r.correct, r.seconds, r.reviewed_at, r.learning_day,
    r.answer_key, r.attempt_uid, try_cast(r.amended_at AS TIMESTAMPTZ),
    try_cast(r.undone_at AS TIMESTAMPTZ), r.undone_at IS NOT NULL
FROM (
    SELECT
        f.file_id,
        unnest(range(1, len(p.d.reviews) + 1)) AS seq,
        unnest(p.d.reviews) AS r
    FROM (
        SELECT filename, try(json_transform(content, $reviews_structure)) AS d
        FROM read_text($files)
    ) AS p
    JOIN chunk_files AS f ON f.file = p.filename
);
