-- The answers that changed an item's SM-2 schedule, as the store's replay decides: answers in
-- a scheduling mode (post, learn, review, exam) under the item's current answer key, each the first
-- of a learning day later than every earlier one. previous_grade is the grade of the change
-- before (NULL for the first).
CREATE OR REPLACE TABLE schedule_changes AS
WITH scheduling AS (
    SELECT
        learner_id, item_no, seq, learning_day, grade,
        max(learning_day) OVER (
            PARTITION BY learner_id, item_no ORDER BY seq
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ) AS latest_before
    FROM reviews
    WHERE current_key AND mode IN ('post', 'learn', 'review', 'exam')
)
SELECT
    learner_id, item_no, seq, learning_day, grade,
    lag(grade) OVER (PARTITION BY learner_id, item_no ORDER BY seq) AS previous_grade
FROM scheduling
WHERE latest_before IS NULL OR learning_day > latest_before;
