-- Stage one chunk of export files, step 1: parse each file once. DuckDB's own SQL (read_text,
-- json_transform); $files is the chunk's paths, $structure the JSON shape to read: unknown
-- fields are ignored, a field of the wrong type reads as NULL, and a file that is not JSON at
-- all reads as NULL throughout.
CREATE OR REPLACE TEMP TABLE chunk AS
SELECT f.file_id, t.d
FROM (SELECT filename, try(json_transform(content, $structure)) AS d FROM read_text($files)) AS t
JOIN chunk_files AS f ON f.file = t.filename
