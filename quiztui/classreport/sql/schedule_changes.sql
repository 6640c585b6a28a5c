-- The answers that changed an item's SM-2 schedule, as the store's replay decides: live answers
-- in a scheduling mode (post, learn, review) under the deck's current answer key, each the first
-- of a learning day later than every earlier one. previous_grade is the grade of the change
-- before (NULL for the first).
CREATE OR REPLACE TABLE schedule_changes AS
WITH scheduling AS (
    SELECT
        r.learner_id, r.item_id, r.seq, r.learning_day, r.grade,
        max(r.learning_day) OVER (
            PARTITION BY r.learner_id, r.item_id ORDER BY r.seq
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ) AS latest_before
    FROM reviews AS r
    JOIN deck_items AS i ON i.item_id = r.item_id AND i.answer_key = r.answer_key
    WHERE r.undone_at IS NULL AND r.mode IN ('post', 'learn', 'review')
)
SELECT
    learner_id, item_id, seq, learning_day, grade,
    lag(grade) OVER (PARTITION BY learner_id, item_id ORDER BY seq) AS previous_grade
FROM scheduling
WHERE latest_before IS NULL OR learning_day > latest_before;
