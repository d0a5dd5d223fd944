using System.Net;
using System.Text;
using System.Text.Json;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Tests.Security;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Integration;

/// <summary>GET /api/v1/audit.csv: the audit page's rows as CSV with the page's filters, UTF-8 with BOM, RFC 4180 quoting.</summary>
[Collection(AppCollection.Name)]
public sealed class AuditCsvApiTests(CommandCenterFactory app)
{
    [Fact]
    public async Task Csv_AsLeader_HasBom_QuotesCommasAndQuotes_AndAppliesTheFilters()
    {
        var callers = await Callers.ForAsync(app);
        var marker = "csvtest-" + Guid.NewGuid().ToString("N")[..8];
        var tricky = $"王, \"quoted\" {marker}";
        var db = app.Services.GetRequiredService<DbConnectionFactory>();
        var actor = new Actor(ActorKind.System, "tests", tricky);
        var at = DateTimeOffset.UtcNow;
        await db.WriteAsync(async (c, tx) =>
        {
            await AuditLog.WriteAsync(c, tx, actor, at, marker + ".one", "csv-test", 1, new { note = "a,b" });
            await AuditLog.WriteAsync(c, tx, actor, at, marker + ".two", "csv-test", 2);
            return true;
        });

        using var response = await callers.SendAsync(Caller.Leader, null, HttpMethod.Get,
            $"/api/v1/audit.csv?action={Uri.EscapeDataString(marker + ".one")}&entityType=csv-test");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }), "no UTF-8 BOM");
        var records = Parse(new UTF8Encoding(false).GetString(bytes, 3, bytes.Length - 3));
        Assert.Equal(["id", "at", "actorKind", "actorId", "actorName", "action", "entityType", "entityId", "remoteIp", "details"], records[0]);
        var row = Assert.Single(records.Skip(1));
        Assert.Equal(tricky, row[4]);
        Assert.Equal(marker + ".one", row[5]);
        Assert.Equal("csv-test", row[6]);
        Assert.Equal("1", row[7]);
        Assert.Equal("a,b", JsonDocument.Parse(row[9]).RootElement.GetProperty("note").GetString());

        // A date range that ends before today keeps the rows out; a bad date is a 400 naming the field.
        var yesterday = DateTime.UtcNow.AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        using var before = await callers.SendAsync(Caller.Leader, null, HttpMethod.Get,
            $"/api/v1/audit.csv?entityType=csv-test&to={yesterday}");
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        var beforeText = Encoding.UTF8.GetString(await before.Content.ReadAsByteArrayAsync());
        Assert.DoesNotContain(marker, beforeText, StringComparison.Ordinal);

        using var bad = await callers.SendAsync(Caller.Leader, null, HttpMethod.Get, "/api/v1/audit.csv?from=30/11/2026");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("from", out _), problem.RootElement.ToString());
    }

    /// <summary>An RFC 4180 reader, strict enough to fail on a stray quote.</summary>
    private static List<string[]> Parse(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"' && field.Length == 0)
            {
                i++;
                while (true)
                {
                    Assert.True(i < text.Length, "unterminated quoted field");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }

                    field.Append(text[i++]);
                }

                Assert.True(i >= text.Length || text[i] == ',' || text[i] == '\r', "text after a closing quote");
            }
            else if (text[i] == ',')
            {
                fields.Add(field.ToString()); field.Clear(); i++;
            }
            else if (text[i] == '\r')
            {
                Assert.Equal('\n', text[i + 1]);
                fields.Add(field.ToString()); field.Clear();
                records.Add([.. fields]); fields.Clear();
                i += 2;
            }
            else
            {
                Assert.NotEqual('"', text[i]);
                field.Append(text[i++]);
            }
        }

        Assert.True(fields.Count == 0 && field.Length == 0, "last record not ended by CRLF");
        return records;
    }
}
