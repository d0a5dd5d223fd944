using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Live;
using Dapper;

namespace CommandCenter.Data.Tests;

/// <summary>A tiny street for tests: 2 communities, 3 grids, staff, households, a camera and a water point.</summary>
public static class TestStreet
{
    public const string Polygon = "{\"type\":\"Polygon\",\"coordinates\":[[[117.5,34.8],[117.51,34.8],[117.51,34.81],[117.5,34.81],[117.5,34.8]]]}";

    public static async Task InsertAsync(DbConnectionFactory db) => await db.WriteAsync(async (c, tx) =>
    {
        await c.ExecuteAsync("INSERT INTO Street (Id, Code, Name, NameZh) VALUES (1, '370402003', 'Test Street', '测试街道')", transaction: tx);
        await c.ExecuteAsync("INSERT INTO Community (Id, StreetId, Code, Name, NameZh) VALUES (1, 1, '370402003001', 'North', '北社区'), (2, 1, '370402003002', 'South', '南社区')", transaction: tx);
        await c.ExecuteAsync(
            "INSERT INTO Grid (Id, CommunityId, Code, Name, NameZh, Kind, BoundaryGeoJson) VALUES (@Id, @CommunityId, @Code, @Name, @Name, @Kind, @Polygon)",
            new[]
            {
                new { Id = 1, CommunityId = 1, Code = "370402003001001", Name = "Grid 1", Kind = 1, Polygon },
                new { Id = 2, CommunityId = 1, Code = "370402003001002", Name = "Grid 2", Kind = 1, Polygon },
                new { Id = 3, CommunityId = 2, Code = "370402003002001", Name = "Market", Kind = 2, Polygon },
            }, tx);
        await c.ExecuteAsync("INSERT INTO Building (Id, GridId, Number, Name, Floors, Lon, Lat) VALUES (1, 1, '1', 'Building 1', 6, 117.505, 34.805)", transaction: tx);
        await c.ExecuteAsync("INSERT INTO Unit (Id, BuildingId, Number) VALUES (1, 1, 1)", transaction: tx);
        await c.ExecuteAsync("INSERT INTO Household (Id, UnitId, GridId, Room, HeadName, Members, KeyFlags) VALUES (1, 1, 1, '1-101', '张三', 2, 1), (2, 1, 1, '1-102', '李四', 3, 0)", transaction: tx);
        await c.ExecuteAsync("INSERT INTO Staff (Id, Name, Phone, IsPartyMember, Active) VALUES (1, '王五', '138****0001', 1, 1), (2, '赵六', '138****0002', 0, 0)", transaction: tx);
        await c.ExecuteAsync("INSERT INTO StaffAssignment (StaffId, GridId, Role) VALUES (1, 1, 1)", transaction: tx);
        await c.ExecuteAsync("INSERT INTO Camera (Id, Code, Name, GridId, Lon, Lat, IsOnline) VALUES (1, 'CAM-0001', 'Gate', 1, 117.505, 34.805, 1), (2, 'CAM-0002', 'Market', 3, 117.505, 34.805, 1)", transaction: tx);
        await c.ExecuteAsync("INSERT INTO WaterPoint (Id, Code, Name, NameZh, GridId, Lon, Lat, WarningDepthCm, AlarmDepthCm) VALUES (1, 'WL-01', 'Underpass', '下穿隧道', 2, 117.505, 34.805, 15, 30)", transaction: tx);
        return 0;
    });
}

public sealed class RecordingSink : ILiveEventSink
{
    private readonly List<LiveEvent> _events = [];

    public IReadOnlyList<LiveEvent> Events
    {
        get { lock (_events) { return [.. _events]; } }
    }

    public void Publish(LiveEvent liveEvent)
    {
        lock (_events) { _events.Add(liveEvent); }
    }
}
