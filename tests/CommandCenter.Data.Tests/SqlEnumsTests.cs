using CommandCenter.Data.Common;
using CommandCenter.Data.Infrastructure;
using System.Globalization;

namespace CommandCenter.Data.Tests;

public sealed class SqlEnumsTests
{
    [Fact]
    public void All_EachConstant_IsTheValueOfItsEnum()
    {
        Assert.All(SqlEnums.All, e => Assert.Equal(e.Value.ToString(CultureInfo.InvariantCulture), e.Sql));
    }

    [Fact]
    public async Task OpenAsync_CommandTimeoutSetting_IsEveryCommandsDefault()
    {
        await using var db = await SqliteDatabase.CreateAsync();
        var factory = new DbConnectionFactory(new DatabaseOptions
        {
            Provider = "Sqlite",
            ConnectionString = $"Data Source={Path.Combine(db.Folder, "test.db")}",
            CommandTimeoutSeconds = 77,
        });

        await using var c = await factory.OpenAsync();
        await using var cmd = c.CreateCommand();

        Assert.Equal(77, cmd.CommandTimeout);
    }
}
