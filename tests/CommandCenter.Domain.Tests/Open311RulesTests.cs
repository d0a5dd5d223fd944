using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;

namespace CommandCenter.Domain.Tests;

/// <summary>Open311's rules: what a report keeps (e-mail, media_url), and status_notes from the latest timeline row.</summary>
public sealed class Open311RulesTests
{
    private static Open311ServiceRequest Request(string? email = null, string? media = null) => new()
    {
        ServiceCode = "noise", AddressId = "G1", FirstName = "Li", LastName = "Hua", Phone = "13800001111", Email = email, MediaUrl = media,
    };

    [Fact]
    public void Validate_KeepsEmailAndMedia_AndTheReportCarriesThem()
    {
        var valid = Request("li.hua@example.org", "https://photos.example.org/1.jpg").Validate(chinese: false);

        var report = valid.ToReport(7);

        Assert.Equal("li.hua@example.org", report.ReporterEmail);
        Assert.Equal(["https://photos.example.org/1.jpg"], report.PhotoLinks!);
        Assert.Equal("Li Hua", report.ReporterName);
        Assert.Equal("13800001111", report.ReporterPhone);
        var stored = report.Validate(DateTimeOffset.UtcNow);
        Assert.Equal("li.hua@example.org", stored.ReporterEmail);
        Assert.Equal(["https://photos.example.org/1.jpg"], stored.PhotoLinks);
    }

    [Fact]
    public void Validate_WithoutEmailOrMedia_LeavesThemOut()
    {
        var report = Request().Validate(chinese: true).ToReport(7);

        Assert.Null(report.ReporterEmail);
        Assert.Null(report.PhotoLinks);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("@example.org")]
    [InlineData("li@")]
    [InlineData("li@example")]
    [InlineData("li@@example.org")]
    [InlineData("li hua@example.org")]
    [InlineData("li@example.")]
    public void Email_NotAnAddress_IsRefusedByName_WithoutRepeatingIt(string email)
    {
        var ex = Assert.Throws<InputValidationException>(() => Request(email).Validate(chinese: false));

        var message = Assert.Single(ex.Errors["email"]);
        Assert.DoesNotContain(email, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Email_TooLong_IsRefused_AndReportIncidentNamesItsOwnField()
    {
        var longEmail = new string('a', 250) + "@example.org";

        Assert.Contains("email", Assert.Throws<InputValidationException>(() => Request(longEmail).Validate(false)).Errors.Keys);
        var report = new ReportIncident { Category = "noise", GridId = 1, Source = "Resident", ReporterName = "Li", Title = "t", ReporterEmail = "nope" };
        Assert.Contains("reporterEmail", Assert.Throws<InputValidationException>(() => report.Validate(DateTimeOffset.UtcNow)).Errors.Keys);
    }

    [Fact]
    public void DeviceAndAccountIds_AreKeptOnTheReport_AndALongOneIsRefusedByItsOwnName()
    {
        var report = new ReportIncident { Category = "noise", GridId = 1, Source = "Resident", ReporterName = "Li", Title = "t", ReporterDeviceId = " dev-1 ", ReporterAccountId = "acct-9" };
        var valid = report.Validate(DateTimeOffset.UtcNow);
        Assert.Equal(("dev-1", "acct-9"), (valid.ReporterDeviceId, valid.ReporterAccountId));

        var tooLong = report with { ReporterAccountId = new string('a', 101) };
        Assert.Contains("reporterAccountId", Assert.Throws<InputValidationException>(() => tooLong.Validate(DateTimeOffset.UtcNow)).Errors.Keys);
    }

    [Fact]
    public void MediaUrl_LongerThanAPhotoLink_IsRefused()
    {
        var media = "https://photos.example.org/" + new string('p', LoopFields.MaxPhotoLinkLength);

        Assert.Contains("media_url", Assert.Throws<InputValidationException>(() => Request(media: media).Validate(false)).Errors.Keys);
    }

    [Fact]
    public void StatusNotes_TheNoteWins_ElseTheAction_ElseTheStep()
    {
        Assert.Equal("Filled the pothole.", Open311.StatusNotes(IncidentStep.FeedbackGiven, LoopAction.Feedback, IncidentStep.FeedbackGiven, IncidentCycle.Micro, "  Filled the pothole. ", false));
        Assert.Equal(Open311.StatusOf(IncidentStep.Reported, true).Notes, Open311.StatusNotes(IncidentStep.Reported, null, IncidentStep.Reported, IncidentCycle.Micro, null, true));
        Assert.Equal(Open311.StatusOf(IncidentStep.Processed, false).Notes, Open311.StatusNotes(IncidentStep.Processed, null, null, null, "  ", false));
        Assert.Equal("Checked and closed.", Open311.StatusNotes(IncidentStep.Closed, LoopAction.Check, IncidentStep.Closed, IncidentCycle.Micro, null, false));
        Assert.Equal("Not accepted at the check; sent back to be handled again.",
            Open311.StatusNotes(IncidentStep.Processed, LoopAction.Check, IncidentStep.Processed, IncidentCycle.Micro, null, false));
        Assert.Contains("大循环", Open311.StatusNotes(IncidentStep.Verified, LoopAction.Escalate, IncidentStep.Verified, IncidentCycle.Large, null, true), StringComparison.Ordinal);
        Assert.Contains("小循环", Open311.StatusNotes(IncidentStep.Verified, LoopAction.Escalate, IncidentStep.Verified, IncidentCycle.Small, null, true), StringComparison.Ordinal);
        foreach (var action in Enum.GetValues<LoopAction>())
        {
            Assert.False(string.IsNullOrWhiteSpace(Open311.StatusNotes(IncidentStep.Verified, action, IncidentStep.Verified, IncidentCycle.Small, null, false)));
            Assert.False(string.IsNullOrWhiteSpace(Open311.StatusNotes(IncidentStep.Verified, action, IncidentStep.Verified, IncidentCycle.Small, null, true)));
        }
    }
}
