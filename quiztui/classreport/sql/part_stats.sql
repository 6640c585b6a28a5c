-- Per part: how many learners took each check, the class's pre and post facility (the mean of
-- the learners' scores), the normalized gain of these averages and the mean of the learners'
-- own gains, (post - pre) / (1 - pre), where a learner has both and pre < 1.
CREATE OR REPLACE TABLE part_stats AS
WITH paired AS (
    SELECT
        learner_id, part_id,
        max(score) FILTER (WHERE "check" = 'pre') AS pre,
        max(score) FILTER (WHERE "check" = 'post') AS post
    FROM learner_scores
    GROUP BY ALL
),
class AS (
    SELECT
        part_id,
        count(pre) AS pre_learners,
        avg(pre) AS pre,
        count(post) AS post_learners,
        avg(post) AS post,
        avg((post - pre) / (1 - pre)) FILTER (WHERE pre < 1 AND post IS NOT NULL)
            AS mean_learner_gain,
        count(*) FILTER (WHERE pre < 1 AND post IS NOT NULL) AS learner_gains
    FROM paired
    GROUP BY part_id
)
SELECT
    p.part_id,
    coalesce(c.pre_learners, 0) AS pre_learners,
    c.pre,
    coalesce(c.post_learners, 0) AS post_learners,
    c.post,
    CASE WHEN c.pre < 1 THEN (c.post - c.pre) / (1 - c.pre) END AS normalized_gain,
    c.mean_learner_gain,
    coalesce(c.learner_gains, 0) AS learner_gains
FROM deck_parts AS p
LEFT JOIN class AS c USING (part_id);
