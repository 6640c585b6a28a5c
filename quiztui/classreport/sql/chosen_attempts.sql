-- The finished check attempts the report counts: each learner's first or last finished attempt
-- of each part's pre- and post-check, or all of them (report_options.attempts).
CREATE OR REPLACE TABLE chosen_attempts AS
WITH finished AS (
    SELECT
        learner_id, uid, part_id, "check", finished_at,
        row_number() OVER (
            PARTITION BY learner_id, part_id, "check" ORDER BY finished_at, started_at, uid
        ) AS nth_first,
        row_number() OVER (
            PARTITION BY learner_id, part_id, "check"
            ORDER BY finished_at DESC, started_at DESC, uid DESC
        ) AS nth_last
    FROM attempts
    WHERE finished_at IS NOT NULL AND "check" IN ('pre', 'post')
)
SELECT f.learner_id, f.uid AS attempt_uid, f.part_id, f."check", f.finished_at
FROM finished AS f, report_options AS o
WHERE o.attempts = 'all'
    OR (o.attempts = 'first' AND f.nth_first = 1)
    OR (o.attempts = 'last' AND f.nth_last = 1);
