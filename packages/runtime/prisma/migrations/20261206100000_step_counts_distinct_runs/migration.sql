-- StepCount now counts distinct runs (per node, per edge, failures per node) instead of step-log
-- rows. Its old rows are row counts: drop them and the watermark, so the next stats request
-- recounts the whole StepLog once in the new form. No data is lost: StepCount is derived.
DELETE FROM "StepCount";
DELETE FROM "StatsWatermark" WHERE "name" = 'steps';
