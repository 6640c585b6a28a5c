-- The deck ids a sample of files name, most named first: how the report finds its deck when
-- none is given. DuckDB-specific; $files is the sample.
SELECT deck_id, count(DISTINCT filename) AS files
FROM (
    SELECT
        filename,
        unnest(list_concat(
            coalesce(d.reviews, []).list_transform(lambda r: r.deck_id),
            coalesce(d.attempts, []).list_transform(lambda a: a.deck_id)
        )) AS deck_id
    FROM (
        SELECT filename, try(json_transform(content, $structure)) AS d
        FROM read_text($files)
    )
)
WHERE deck_id IS NOT NULL
GROUP BY deck_id
ORDER BY files DESC, deck_id
