-- The share of answers that picked each choice, per question and check (a multiple-answer
-- question's shares add up to more than 1). never_picked: a wrong choice no answer picked;
-- misleading: a wrong choice picked by more answers than every right choice.
CREATE OR REPLACE TABLE responses AS
WITH answered AS (
    SELECT question_id, "check", count(*) AS answers
    FROM check_answers
    GROUP BY ALL
),
picks AS (
    SELECT question_id, "check", unnest(picked) AS choice_id
    FROM check_answers
),
counted AS (
    SELECT question_id, "check", choice_id, count(*) AS picked
    FROM picks
    GROUP BY ALL
),
shares AS (
    SELECT
        c.item_id AS question_id, n."check", c.choice_id, c.choice_no, c.correct,
        coalesce(k.picked, 0) AS picked, coalesce(k.picked, 0) / n.answers AS share
    FROM deck_choices AS c
    JOIN answered AS n ON n.question_id = c.item_id
    LEFT JOIN counted AS k
        ON k.question_id = c.item_id AND k."check" = n."check" AND k.choice_id = c.choice_id
)
SELECT
    *,
    NOT correct AND picked = 0 AS never_picked,
    NOT correct AND share > coalesce(
        max(share) FILTER (WHERE correct) OVER (PARTITION BY question_id, "check"), 0
    ) AS misleading
FROM shares;
