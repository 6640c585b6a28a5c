-- Stage one chunk, step 3: the report deck's check attempts and live answers, as compact rows.
-- Items are numbered as in deck_items (an old id reads as its item's current one; an item the
-- deck no longer has is dropped), current_key says whether the answer was given under the
-- item's present answer key, and undone answers are dropped: they never count. seq is the
-- answer's place in the file, which is the learner's log order. A damaged file's rows are
-- removed once the files are judged.
INSERT INTO staged_attempts
SELECT
    file_id, a.uid, coalesce(p.part_id, a.part_id), a."check", coalesce(a.question_ids, []),
    a.choice_orders, a.started_at, try_cast(a.finished_at AS TIMESTAMPTZ),
    try_cast(a.abandoned_at AS TIMESTAMPTZ)
FROM (SELECT file_id, unnest(d.attempts) AS a FROM chunk) AS t
LEFT JOIN part_aliases AS p ON p.alias = t.a.part_id
WHERE t.a.deck_id IN (SELECT deck_id FROM deck_ids);

INSERT INTO staged_reviews
SELECT
    file_id, seq, i.item_no, r.mode, try_cast(r.grade AS TINYINT),
    CASE WHEN r.mode IN ('pre', 'post') THEN list_distinct(coalesce(r.picked, [])) END,
    r.correct, r.learning_day, r.answer_key IS NOT DISTINCT FROM i.answer_key,
    CASE WHEN r.mode IN ('pre', 'post') THEN r.attempt_uid END
FROM (
    SELECT file_id, unnest(range(1, len(d.reviews) + 1)) AS seq, unnest(d.reviews) AS r
    FROM chunk
) AS t
JOIN item_aliases AS i ON i.alias = t.r.item_id
WHERE t.r.deck_id IN (SELECT deck_id FROM deck_ids) AND t.r.undone_at IS NULL;
