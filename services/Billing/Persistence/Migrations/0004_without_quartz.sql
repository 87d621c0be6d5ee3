-- The monthly run moved from Quartz to Hangfire (decision 0031), whose tables live in the schema hangfire. Quartz's
-- tables, created by migration 0003_quartz_job_store (removed with Quartz), go where they exist.
DROP TABLE IF EXISTS qrtz_fired_triggers, qrtz_paused_trigger_grps, qrtz_scheduler_state, qrtz_locks, qrtz_simple_triggers,
    qrtz_simprop_triggers, qrtz_cron_triggers, qrtz_blob_triggers, qrtz_triggers, qrtz_job_details, qrtz_calendars CASCADE;
