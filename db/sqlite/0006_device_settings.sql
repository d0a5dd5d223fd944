-- 0006 per-screen settings of a wall-screen device, set by an Admin on /admin/devices and pushed to its open
-- screens: language (NULL = the configured default CommandCenter:Culture), the page or playlist it shows
-- (comma-separated page keys: overview, incidents, devices, rankings), the dwell time per page in seconds, and the
-- density (desk, wall, hall: the smallest readable text is 1/60, 1/45 or 1/36 of the screen height).
-- The community of a scoped screen is WallDevice.CommunityId (0002).
ALTER TABLE WallDevice ADD COLUMN Language TEXT NULL;
ALTER TABLE WallDevice ADD COLUMN Pages TEXT NOT NULL DEFAULT 'overview';
ALTER TABLE WallDevice ADD COLUMN DwellSeconds INTEGER NOT NULL DEFAULT 30;
ALTER TABLE WallDevice ADD COLUMN Density TEXT NOT NULL DEFAULT 'wall';
