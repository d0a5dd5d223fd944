-- 0014 people in the field (issue 9): a person's account and a personal token (API key with the field scope) can
-- belong to a staff member, so that what they do is attributed to that staff record; the answers of requests sent
-- with an Idempotency-Key, kept for a day, written in the same transaction as the action they answer.

ALTER TABLE AppUser ADD COLUMN StaffId INTEGER NULL REFERENCES Staff(Id);
-- One account per staff member.
CREATE UNIQUE INDEX UX_AppUser_StaffId ON AppUser(StaffId) WHERE StaffId IS NOT NULL;

ALTER TABLE ApiKey ADD COLUMN StaffId INTEGER NULL REFERENCES Staff(Id);
CREATE INDEX IX_ApiKey_StaffId ON ApiKey(StaffId) WHERE StaffId IS NOT NULL;

-- Caller: 'ApiKey:12', 'User:3'. StatusCode and ResponseBody are NULL between the action's commit and the answer's.
CREATE TABLE IdempotencyRecord (
    Caller          TEXT NOT NULL,
    IdemKey         TEXT NOT NULL,
    RequestHash     TEXT NOT NULL,
    StatusCode      INTEGER NULL,
    ResponseBody    TEXT NULL,
    ResponseHeaders TEXT NULL,
    CreatedAt       TEXT NOT NULL,
    ExpiresAt       TEXT NOT NULL,
    PRIMARY KEY (Caller, IdemKey)
);
CREATE INDEX IX_IdempotencyRecord_ExpiresAt ON IdempotencyRecord(ExpiresAt);

-- Converting an alert or alarm answers the incident it became: found by these links.
CREATE INDEX IX_Incident_SourceAlertId ON Incident(SourceAlertId) WHERE SourceAlertId IS NOT NULL;
CREATE INDEX IX_Incident_SourceAlarmId ON Incident(SourceAlarmId) WHERE SourceAlarmId IS NOT NULL;

-- The queue's first page under one filter, newest first (issue 9, measured in docs/benchmarks.md with 1,000,000
-- incidents): 0008's (X, Step, Id) indexes serve the counts per step, but for the page SQLite read every row of the
-- filter and sorted it; with (X, Id) it walks the filter's range from the newest id and stops after one page.
CREATE INDEX IX_Incident_Category_Id ON Incident(Category, Id);
CREATE INDEX IX_Incident_Source_Id ON Incident(Source, Id);
CREATE INDEX IX_Incident_Cycle_Id ON Incident(Cycle, Id);
CREATE INDEX IX_Incident_Holder_Id ON Incident(HolderKind, HolderId, Id);
