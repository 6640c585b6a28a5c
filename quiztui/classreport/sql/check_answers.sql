-- One row per question answered in a chosen attempt: score 1 right, 0 wrong, and the choices
-- picked. If a question was answered twice in an attempt, the later answer counts.
CREATE OR REPLACE TABLE check_answers AS
SELECT
    c.learner_id, c.attempt_uid, c.part_id, c."check", i.item_id AS question_id,
    arg_max(coalesce(r.correct, false), r.seq)::INTEGER AS score,
    arg_max(r.picked, r.seq) AS picked
FROM chosen_attempts AS c
JOIN reviews AS r
    ON r.learner_id = c.learner_id AND r.attempt_uid = c.attempt_uid AND r.mode = c."check"
JOIN deck_items AS i ON i.item_no = r.item_no AND i.kind = 'question' AND i.part_id = c.part_id
GROUP BY ALL;
