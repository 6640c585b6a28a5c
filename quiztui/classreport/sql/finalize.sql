-- The merged class, made from the staged tables in place (a copy would cost seconds for
-- thousands of learners): only the kept learners' rows stay, and the tables take the names
-- --parquet writes. A learner's learner_id is the number of their file among those given.
DELETE FROM staged_reviews WHERE learner_id NOT IN (SELECT learner_id FROM learners);

DELETE FROM staged_attempts WHERE learner_id NOT IN (SELECT learner_id FROM learners);

ALTER TABLE staged_reviews RENAME TO reviews;

ALTER TABLE staged_attempts RENAME TO attempts;
