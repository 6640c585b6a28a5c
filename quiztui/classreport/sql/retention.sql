-- Retention per part and week after the learner's first finished post-check of the part: the
-- share of daily-queue reviews (mode 'review') of the part's items recalled (grade 3 or more).
-- Weeks count learning days from the post-check's: week 1 is that day and the 6 after it.
CREATE OR REPLACE TABLE retention AS
WITH first_post AS (
    SELECT learner_id, part_id, arg_min(uid, finished_at) AS attempt_uid
    FROM attempts
    WHERE "check" = 'post' AND finished_at IS NOT NULL
    GROUP BY ALL
),
post AS (
    SELECT p.learner_id, p.part_id, min(r.learning_day) AS post_day
    FROM first_post AS p
    JOIN reviews AS r ON r.learner_id = p.learner_id AND r.attempt_uid = p.attempt_uid
    GROUP BY ALL
),
after AS (
    SELECT
        i.part_id, r.learner_id, r.grade,
        1 + ((r.learning_day - p.post_day) // 7)::INTEGER AS week
    FROM reviews AS r
    JOIN deck_items AS i ON i.item_no = r.item_no
    JOIN post AS p ON p.learner_id = r.learner_id AND p.part_id = i.part_id
    WHERE r.mode = 'review' AND r.learning_day >= p.post_day
)
SELECT
    part_id, week, count(*) AS reviews, count(DISTINCT learner_id) AS learners,
    avg((grade >= 3)::INTEGER) AS recalled
FROM after
GROUP BY ALL;
