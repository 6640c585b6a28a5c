-- Facility and discrimination per question and check.
-- facility: the share of answers that were right.
-- discrimination: Pearson's r between the question's score (0/1) and the share right of the
-- OTHER questions of the same attempt; NULL when fewer than 5 learners, or either side is
-- constant (everyone right, or everyone alike on the rest).
CREATE OR REPLACE TABLE question_stats AS
WITH per_attempt AS (
    SELECT attempt_uid, count(*) AS answered, sum(score) AS right_answers
    FROM check_answers
    GROUP BY attempt_uid
),
scored AS (
    SELECT
        q.question_id, q."check", q.learner_id, q.score,
        CASE
            WHEN a.answered > 1 THEN (a.right_answers - q.score) / (a.answered - 1)
        END AS rest
    FROM check_answers AS q
    JOIN per_attempt AS a USING (attempt_uid)
)
SELECT
    question_id,
    "check",
    count(*) AS answers,
    count(DISTINCT learner_id) AS learners,
    avg(score) AS facility,
    CASE
        WHEN count(DISTINCT learner_id) FILTER (WHERE rest IS NOT NULL) >= 5
            AND var_pop(score) FILTER (WHERE rest IS NOT NULL) > 0
            AND var_pop(rest) > 0
        THEN corr(score, rest)
    END AS discrimination
FROM scored
GROUP BY question_id, "check";
