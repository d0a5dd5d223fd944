-- 0006 per-screen settings of a wall-screen device (SQL Server twin of db/sqlite/0006_device_settings.sql):
-- language (NULL = the configured default culture), page or playlist, dwell time, density. Safe to re-run.

IF COL_LENGTH(N'dbo.WallDevice', N'Language') IS NULL
    ALTER TABLE dbo.WallDevice ADD Language NVARCHAR(20) NULL;
GO
IF COL_LENGTH(N'dbo.WallDevice', N'Pages') IS NULL
    ALTER TABLE dbo.WallDevice ADD Pages NVARCHAR(200) NOT NULL CONSTRAINT DF_WallDevice_Pages DEFAULT N'overview';
GO
IF COL_LENGTH(N'dbo.WallDevice', N'DwellSeconds') IS NULL
    ALTER TABLE dbo.WallDevice ADD DwellSeconds INT NOT NULL CONSTRAINT DF_WallDevice_DwellSeconds DEFAULT 30;
GO
IF COL_LENGTH(N'dbo.WallDevice', N'Density') IS NULL
    ALTER TABLE dbo.WallDevice ADD Density NVARCHAR(10) NOT NULL CONSTRAINT DF_WallDevice_Density DEFAULT N'wall';
GO
