-- 0023 Open311 (issue 9): the sending app's ids of the device and of the reporter's account (GeoReport v2 POST
-- requests, fields "device_id" and "account_id"; POST /api/v1/incidents "reporterDeviceId", "reporterAccountId"). Kept
-- to trace repeated or abusive reports to one install or account; not served by the GeoReport reads (the spec's response
-- has neither) and not logged.

ALTER TABLE Incident ADD COLUMN ReporterDeviceId TEXT NULL;
ALTER TABLE Incident ADD COLUMN ReporterAccountId TEXT NULL;
