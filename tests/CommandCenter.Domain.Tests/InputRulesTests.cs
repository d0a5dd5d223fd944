using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;

namespace CommandCenter.Domain.Tests;

/// <summary>What the commands accept: exact source names, finite numbers, capped and visible text.</summary>
public sealed class InputRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);

    private static ReportIncident Valid => new()
    {
        Category = "sanitation", GridId = 1, Source = "Resident", ReporterName = "Wang", Title = "Overflowing bin",
    };

    private static InputValidationException Refused(ReportIncident report) =>
        Assert.Throws<InputValidationException>(() => report.Validate(Now));

    [Theory]
    [InlineData("Resident,GridPatrol")] // Enum.TryParse reads it as flags: 2 | 1 = 3, Hotline
    [InlineData("Resident, Camera")]
    [InlineData("3")]
    [InlineData("-1")]
    [InlineData("Hotline,")]
    public void Source_NotExactlyOneName_IsRefusedNamingSource(string source)
    {
        var ex = Refused(Valid with { Source = source });

        Assert.Equal(["source"], ex.Errors.Keys);
    }

    [Theory]
    [InlineData("hotline", IncidentSource.Hotline)]
    [InlineData(" GridPatrol ", IncidentSource.GridPatrol)]
    [InlineData("RESIDENT", IncidentSource.Resident)]
    public void Source_OneNameInAnyCase_IsAccepted(string source, IncidentSource expected)
    {
        Assert.Equal(expected, (Valid with { Source = source }).Validate(Now).Source);
    }

    [Theory]
    [InlineData(double.NaN, 34.8, "lon")]
    [InlineData(117.5, double.NaN, "lat")]
    [InlineData(double.PositiveInfinity, 34.8, "lon")]
    [InlineData(117.5, double.NegativeInfinity, "lat")]
    public void Coordinates_NotFinite_AreRefusedNamingTheField(double lon, double lat, string field)
    {
        var ex = Refused(Valid with { Lon = lon, Lat = lat });

        Assert.Equal([field], ex.Errors.Keys);
        Assert.Contains("finite", ex.Errors[field].Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\u200B")]                    // zero-width space
    [InlineData("\u200E\u200F")]              // LRM, RLM
    [InlineData("\u202A\u202B\u202C\u202D\u202E")]
    [InlineData("\u2066\u2067\u2068\u2069")]
    [InlineData("\uFEFF \u00A0\u3000")]       // BOM, no-break and ideographic spaces
    [InlineData("\u0007\u0000")]              // controls only
    [InlineData("\U000E0041\U000E007F")]      // tag characters (astral, Cf)
    public void RequiredText_OnlyInvisibleCharacters_IsRequired(string title)
    {
        var ex = Refused(Valid with { Title = title });

        Assert.Equal(["title"], ex.Errors.Keys);
        Assert.Equal(["is required."], ex.Errors["title"]);
    }

    [Fact]
    public void OptionalText_OnlyInvisibleCharacters_IsAbsent()
    {
        var report = (Valid with { Address = "\u200B\u2060", ReporterPhone = "\uFEFF" }).Validate(Now);

        Assert.Null(report.Address);
        Assert.Null(report.ReporterPhone);
    }

    [Fact]
    public void Text_BidiControls_AreRemovedBeforeStoring()
    {
        var report = (Valid with { Title = "\u202Egnp.exe\u202C pile of bricks", Description = "a\u2066b\u2069c\u200Fd\u061C" }).Validate(Now);

        Assert.Equal("gnp.exe pile of bricks", report.Title);
        Assert.Equal("abcd", report.Description);
    }

    [Fact]
    public void Text_ZeroWidthInsideVisibleText_IsKeptAndInvisibleEndsTrimmed()
    {
        var report = (Valid with { Title = "\u200B Over\u200Dflow \uFEFF" }).Validate(Now);

        Assert.Equal("Over\u200Dflow", report.Title);
    }

    [Fact]
    public void Text_OverItsCap_IsRefusedNamingEachField()
    {
        var ex = Refused(Valid with
        {
            Title = new string('x', 201), Description = new string('x', 4001), Address = new string('x', 301),
            ReporterName = new string('x', 101), ReporterPhone = new string('x', 33), ExternalId = new string('x', 101),
        });

        Assert.Equal(["address", "description", "externalId", "reporterName", "reporterPhone", "title"], ex.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void UnknownCategory_Huge_IsNotEchoedWhole()
    {
        var ex = Refused(Valid with { Category = new string('c', 1_000_000) });

        Assert.All(ex.Errors["category"], m => Assert.True(m.Length < 1000, $"message of {m.Length} characters"));
    }
}
