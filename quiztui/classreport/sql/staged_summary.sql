-- Every staged file with its number of reviews and the deck ids its reviews and attempts name.
SELECT
    f.file_id, f.valid_json, f.format, f.format_version, f.learner, f.exported_at,
    coalesce(r.reviews, 0) AS review_count, f.bad_review, f.bad_attempt,
    list_distinct(list_concat(coalesce(r.deck_ids, []), coalesce(a.deck_ids, []))) AS deck_ids
FROM staged_files AS f
LEFT JOIN (
    SELECT file_id, count(*) AS reviews, list(DISTINCT deck_id) AS deck_ids
    FROM staged_reviews
    GROUP BY file_id
) AS r USING (file_id)
LEFT JOIN (
    SELECT file_id, list(DISTINCT deck_id) FILTER (WHERE deck_id IS NOT NULL) AS deck_ids
    FROM staged_attempts
    GROUP BY file_id
) AS a USING (file_id)
ORDER BY f.file_id
