-- Per learner: the last learning day with an answer on the deck, and every answer counted.
CREATE OR REPLACE TABLE learner_activity AS
SELECT l.learner_id, max(r.learning_day) AS last_active_day, count(r.seq) AS answers
FROM learners AS l
LEFT JOIN reviews AS r ON r.learner_id = l.learner_id
GROUP BY l.learner_id;
