-- Lapses per item across the class: a schedule change graded below 3 (forgotten) right after
-- one graded 3 or more (the item had been recalled).
CREATE OR REPLACE TABLE lapses AS
SELECT
    item_no,
    count(*) AS lapses,
    count(DISTINCT learner_id) AS learners
FROM schedule_changes
WHERE grade < 3 AND previous_grade >= 3
GROUP BY item_no;
