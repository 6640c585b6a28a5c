-- Gain per question: the class's pre and post facility, the normalized gain of these class
-- averages, (post - pre) / (1 - pre), and the mean of the learners' own gains, each
-- (post - pre) / (1 - pre) on the learner's 0/1 scores, defined where pre < 1 and both exist.
CREATE OR REPLACE TABLE question_gain AS
WITH own AS (
    SELECT learner_id, question_id, "check", avg(score) AS score
    FROM check_answers
    GROUP BY ALL
),
paired AS (
    SELECT
        learner_id, question_id,
        max(score) FILTER (WHERE "check" = 'pre') AS pre,
        max(score) FILTER (WHERE "check" = 'post') AS post
    FROM own
    GROUP BY ALL
),
learner_gain AS (
    SELECT
        question_id,
        avg((post - pre) / (1 - pre)) AS mean_learner_gain,
        count(*) AS learner_gains
    FROM paired
    WHERE pre < 1 AND post IS NOT NULL
    GROUP BY question_id
)
SELECT
    i.item_id AS question_id,
    pre.facility AS pre,
    post.facility AS post,
    CASE WHEN pre.facility < 1 THEN (post.facility - pre.facility) / (1 - pre.facility) END
        AS normalized_gain,
    g.mean_learner_gain,
    coalesce(g.learner_gains, 0) AS learner_gains
FROM deck_items AS i
LEFT JOIN question_stats AS pre ON pre.question_id = i.item_id AND pre."check" = 'pre'
LEFT JOIN question_stats AS post ON post.question_id = i.item_id AND post."check" = 'post'
LEFT JOIN learner_gain AS g ON g.question_id = i.item_id
WHERE i.kind = 'question';
