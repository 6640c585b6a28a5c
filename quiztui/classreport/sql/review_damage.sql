-- Each file's first damaged review: a field every review has is missing or of the wrong type,
-- a grade is out of 0-5, or an undo time is not a time (it must never read as "not undone").
UPDATE staged_files AS f
SET bad_review = d.seq
FROM (
    SELECT file_id, min(seq) AS seq
    FROM staged_reviews
    WHERE uid IS NULL OR deck_id IS NULL OR item_id IS NULL OR mode IS NULL
        OR grade IS NULL OR grade NOT BETWEEN 0 AND 5
        OR reviewed_at IS NULL OR learning_day IS NULL
        OR (has_undone AND undone_at IS NULL)
    GROUP BY file_id
) AS d
WHERE f.file_id = d.file_id
