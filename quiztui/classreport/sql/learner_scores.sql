-- Each learner's score per part and check: the share right of the questions answered in the
-- chosen attempts (pooled when --attempts all).
CREATE OR REPLACE TABLE learner_scores AS
SELECT learner_id, part_id, "check", avg(score) AS score, count(*) AS answers
FROM check_answers
GROUP BY ALL;
