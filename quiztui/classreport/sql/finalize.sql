-- The merged class, made from the staged tables in place (a copy would cost seconds for
-- thousands of learners): only the kept learners' rows of the report's deck stay, renamed item
-- and part ids read as the deck's current ones, and the tables take the names --parquet writes.
-- A learner's learner_id is the number of their file among those given.
DELETE FROM staged_reviews
WHERE file_id NOT IN (SELECT learner_id FROM learners)
    OR deck_id NOT IN (SELECT deck_id FROM deck_ids);

DELETE FROM staged_attempts
WHERE file_id NOT IN (SELECT learner_id FROM learners)
    OR deck_id NOT IN (SELECT deck_id FROM deck_ids);

UPDATE staged_reviews AS r
SET item_id = a.item_id
FROM item_aliases AS a
WHERE a.alias = r.item_id AND a.alias <> a.item_id;

UPDATE staged_attempts AS t
SET part_id = a.part_id
FROM part_aliases AS a
WHERE a.alias = t.part_id AND a.alias <> a.part_id;

ALTER TABLE staged_reviews RENAME COLUMN file_id TO learner_id;

ALTER TABLE staged_reviews RENAME TO reviews;

ALTER TABLE staged_attempts RENAME COLUMN file_id TO learner_id;

ALTER TABLE staged_attempts RENAME TO attempts;
