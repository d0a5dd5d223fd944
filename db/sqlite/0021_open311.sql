-- 0021 Open311 (issue 9): the e-mail address a resident gives when reporting through Open311 GeoReport v2 (POST
-- requests, field "email"). Personal data: stored for the operators' follow-up, never served by the GeoReport reads
-- (the spec's response has no e-mail field) and never logged. The report's media_url is kept as the incident's photo
-- link (Incident.PhotoLinks, migration 0008).

ALTER TABLE Incident ADD COLUMN ReporterEmail TEXT NULL;
