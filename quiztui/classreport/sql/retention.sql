-- Retention per part and week after the learner's first finished post-check of the part: the
-- share of daily-queue reviews (mode 'review') of the part's items recalled (grade 3 or more).
-- Week 1 is the first 7 days from the post-check's end (604,800,000,000 microseconds).
CREATE OR REPLACE TABLE retention AS
WITH post AS (
    SELECT learner_id, part_id, min(finished_at) AS post_at
    FROM attempts
    WHERE "check" = 'post' AND finished_at IS NOT NULL
    GROUP BY ALL
),
after AS (
    SELECT
        i.part_id, r.learner_id, r.grade,
        1 + ((epoch_us(r.reviewed_at) - epoch_us(p.post_at)) // 604800000000)::INTEGER AS week
    FROM reviews AS r
    JOIN deck_items AS i ON i.item_no = r.item_no
    JOIN post AS p ON p.learner_id = r.learner_id AND p.part_id = i.part_id
    WHERE r.mode = 'review' AND r.reviewed_at >= p.post_at
)
SELECT
    part_id, week, count(*) AS reviews, count(DISTINCT learner_id) AS learners,
    avg((grade >= 3)::INTEGER) AS recalled
FROM after
GROUP BY ALL;
