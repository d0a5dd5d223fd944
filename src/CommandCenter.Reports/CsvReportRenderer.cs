using System.Globalization;
using System.Text;
using CommandCenter.Domain.Reports;

namespace CommandCenter.Reports;

/// <summary>
/// The CSV: the grid and community rankings with every indicator, one row per area, UTF-8 with a BOM (so Excel reads
/// Chinese), RFC 4180 quoting, CRLF. Numbers are invariant (a dot for decimals); rates are percentages (87.5).
/// </summary>
public sealed class CsvReportRenderer
{
    public void Render(AssessmentReport report, Stream output)
    {
        var t = ReportTexts.For(report.Culture);
        using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        var csv = new Rfc4180Writer(writer);

        string[] header =
        [
            t["Ranking"], t["Rank"], t["Name"], t["Community"], t["Score"], t["Points"], t["Tier"], t["PreviousRank"], t["Movement"],
            .. Enum.GetValues<ReportIndicator>().Select(i => t.Indicator(i) + (IsRate(i) ? " (%)" : "")),
        ];
        foreach (var h in header)
        {
            csv.WriteField(h);
        }

        csv.NextRecord();
        foreach (var (kind, rows) in new[] { (t["GridRanking"], report.GridRanking), (t["CommunityRanking"], report.CommunityRanking) })
        {
            foreach (var r in rows)
            {
                csv.WriteField(kind);
                csv.WriteField(Num(r.Rank));
                csv.WriteField(r.Name);
                csv.WriteField(r.Community ?? "");
                csv.WriteField(r.Score?.ToString("0.##", CultureInfo.InvariantCulture) ?? "");
                csv.WriteField(r.Points.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(t.Tier(r.Tier));
                csv.WriteField(Num(r.PreviousRank));
                csv.WriteField(Num(r.Movement));
                foreach (var i in Enum.GetValues<ReportIndicator>())
                {
                    csv.WriteField(r.Indicators.TryGetValue(i, out var v)
                        ? (IsRate(i) ? v * 100m : v).ToString("0.##", CultureInfo.InvariantCulture)
                        : "");
                }

                csv.NextRecord();
            }
        }

        writer.Flush();
    }

    private static string Num(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    internal static bool IsRate(ReportIndicator i) =>
        i is not (ReportIndicator.MeanAckMinutes or ReportIndicator.Satisfaction or ReportIndicator.PointsPerMember);
}

/// <summary>RFC 4180: fields separated by commas, records by CRLF; a field with a comma, quote, CR or LF is quoted and its quotes doubled.</summary>
internal sealed class Rfc4180Writer(TextWriter writer)
{
    private bool first = true;

    public void WriteField(string value)
    {
        if (!first)
        {
            writer.Write(',');
        }

        first = false;
        if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (value.Length > 0 && (value[0] == ' ' || value[^1] == ' ')))
        {
            writer.Write('"');
            writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
            writer.Write('"');
        }
        else
        {
            writer.Write(value);
        }
    }

    public void NextRecord()
    {
        writer.Write("\r\n");
        first = true;
    }
}
