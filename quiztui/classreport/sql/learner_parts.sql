-- Per learner and part: pre and post score, and items learned (the item's last schedule change
-- was graded 3 or more, i.e. SM-2's repetition count is at least 1).
CREATE OR REPLACE TABLE learner_parts AS
WITH final AS (
    SELECT learner_id, item_no, arg_max(grade, seq) AS grade
    FROM schedule_changes
    GROUP BY ALL
),
learned AS (
    SELECT f.learner_id, i.part_id, count(*) AS learned
    FROM final AS f
    JOIN deck_items AS i USING (item_no)
    WHERE f.grade >= 3
    GROUP BY ALL
)
SELECT
    l.learner_id, p.part_id, p.part_no,
    pre.score AS pre, post.score AS post, coalesce(n.learned, 0) AS learned
FROM learners AS l
CROSS JOIN deck_parts AS p
LEFT JOIN learner_scores AS pre
    ON pre.learner_id = l.learner_id AND pre.part_id = p.part_id AND pre."check" = 'pre'
LEFT JOIN learner_scores AS post
    ON post.learner_id = l.learner_id AND post.part_id = p.part_id AND post."check" = 'post'
LEFT JOIN learned AS n ON n.learner_id = l.learner_id AND n.part_id = p.part_id;
