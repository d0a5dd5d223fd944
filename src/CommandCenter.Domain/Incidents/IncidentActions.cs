using System.Globalization;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;

namespace CommandCenter.Domain.Incidents;

// The validated commands of the loop, and the JSON bodies they come from. Every body names the step it starts from
// (`fromStep`): acting on an incident that someone else moved meanwhile is refused, never applied to the newer step.
// Field names are the JSON names (camelCase) of POST /api/v1/incidents/{id}/actions/{action}.

/// <summary>A validated action; <see cref="IncidentLoop.Apply"/> decides whether it is allowed and what it does.</summary>
public abstract record LoopCommand(IncidentStep FromStep, string? Note)
{
    public const int MaxNoteLength = 1000;

    public abstract LoopAction Action { get; }

    /// <summary>What the timeline row says: the note, or the reason where the action has one.</summary>
    public virtual string? TimelineNote => Note;
}

public sealed record VerifyCommand(IncidentStep FromStep, string? Note = null) : LoopCommand(FromStep, Note)
{
    public override LoopAction Action => LoopAction.Verify;
}

public sealed record RejectCommand(IncidentStep FromStep, RejectReason Reason, long? DuplicateOfId = null, string? Note = null) : LoopCommand(FromStep, Note)
{
    public override LoopAction Action => LoopAction.Reject;

    public override string? TimelineNote => Reason == RejectReason.Duplicate
        ? string.Create(CultureInfo.InvariantCulture, $"duplicate of {DuplicateOfId}") + (Note is null ? "" : ": " + Note)
        : "invalid" + (Note is null ? "" : ": " + Note);
}

/// <summary>Dispatch to <paramref name="Unit"/> (default: the cycle's own unit) with a deadline (default: the settings' hours for the category and cycle).</summary>
public sealed record DispatchCommand(IncidentStep FromStep, HoldingUnit? Unit = null, DateTimeOffset? DueAt = null, string? Note = null) : LoopCommand(FromStep, Note)
{
    public override LoopAction Action => LoopAction.Dispatch;
}

public sealed record AcceptCommand(IncidentStep FromStep, string? Note = null) : LoopCommand(FromStep, Note)
{
    public override LoopAction Action => LoopAction.Accept;
}

/// <summary>What was done (required) and photo links.</summary>
public sealed record FeedbackCommand(IncidentStep FromStep, string Note, IReadOnlyList<string> PhotoLinks) : LoopCommand(FromStep, Note)
{
    public override LoopAction Action => LoopAction.Feedback;
}

/// <summary>Pass (close, with the resident's satisfaction 1–5 when known) or send back for rework.</summary>
public sealed record CheckCommand(IncidentStep FromStep, bool Pass, int? Satisfaction = null, string? Note = null) : LoopCommand(FromStep, Note)
{
    public override LoopAction Action => LoopAction.Check;

    public override string? TimelineNote => (Pass ? "pass" : "rework") + (Satisfaction is { } s ? string.Create(CultureInfo.InvariantCulture, $" (satisfaction {s})") : "") + (Note is null ? "" : ": " + Note);
}

/// <summary>To the next cycle, with a reason; <paramref name="Department"/> only when escalating to the large cycle (default: the street center).</summary>
public sealed record EscalateCommand(IncidentStep FromStep, string Reason, int? Department = null, bool ByDeadline = false) : LoopCommand(FromStep, Reason)
{
    public override LoopAction Action => LoopAction.Escalate;
}

public sealed record ReopenCommand(IncidentStep FromStep, string Reason) : LoopCommand(FromStep, Reason)
{
    public override LoopAction Action => LoopAction.Reopen;
}

/// <summary>Field rules shared by the bodies.</summary>
public static class LoopFields
{
    public const int MaxPhotoLinks = 10;
    public const int MaxPhotoLinkLength = 500;
    public const int MaxReasonLength = 500;

    /// <summary>A step by its name (any case) or its number 1–6.</summary>
    public static IncidentStep FromStep(Validator v, string? text)
    {
        ArgumentNullException.ThrowIfNull(v);
        var name = v.RequiredText("fromStep", text, 32);
        if (name is null) return IncidentStep.Reported;
        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && Enum.IsDefined((IncidentStep)n)) return (IncidentStep)n;
        foreach (var step in Enum.GetValues<IncidentStep>())
        {
            if (string.Equals(step.ToString(), name, StringComparison.OrdinalIgnoreCase)) return step;
        }

        v.Add("fromStep", $"'{Validator.Quote(name)}' is not a step; use one of: {string.Join(", ", Enum.GetNames<IncidentStep>())}.");
        return IncidentStep.Reported;
    }

    public static string? Note(Validator v, string? note) => v.OptionalText("note", note, LoopCommand.MaxNoteLength);

    /// <summary>Absolute http(s) links, at most <see cref="MaxPhotoLinks"/>.</summary>
    public static IReadOnlyList<string> PhotoLinks(Validator v, IReadOnlyList<string?>? links)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (links is null) return [];
        if (links.Count > MaxPhotoLinks) v.Add("photoLinks", $"must hold at most {MaxPhotoLinks} links.");
        var result = new List<string>();
        for (var i = 0; i < links.Count && i < MaxPhotoLinks; i++)
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"photoLinks[{i}]");
            var text = v.RequiredText(field, links[i], MaxPhotoLinkLength);
            if (text is null) continue;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                v.Add(field, "must be an absolute http or https link.");
                continue;
            }

            result.Add(text);
        }

        return result;
    }

    public static T? ParseEnum<T>(Validator v, string field, string? text, bool required) where T : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(v);
        var name = required ? v.RequiredText(field, text, 32) : v.OptionalText(field, text, 32);
        if (name is null) return null;
        foreach (var value in Enum.GetValues<T>())
        {
            if (string.Equals(value.ToString(), name, StringComparison.OrdinalIgnoreCase)) return value;
        }

        v.Add(field, $"'{Validator.Quote(name)}' is not valid; use one of: {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");
        return null;
    }
}

public sealed record VerifyBody
{
    public string? FromStep { get; init; }
    public string? Note { get; init; }

    public VerifyCommand Validate()
    {
        var v = new Validator();
        var cmd = new VerifyCommand(LoopFields.FromStep(v, FromStep), LoopFields.Note(v, Note));
        v.ThrowIfInvalid();
        return cmd;
    }
}

public sealed record RejectBody
{
    public string? FromStep { get; init; }
    /// <summary><c>invalid</c> or <c>duplicate</c>.</summary>
    public string? Reason { get; init; }
    /// <summary>Required when the reason is <c>duplicate</c>.</summary>
    public long? DuplicateOfId { get; init; }
    public string? Note { get; init; }

    public RejectCommand Validate()
    {
        var v = new Validator();
        var step = LoopFields.FromStep(v, FromStep);
        var reason = LoopFields.ParseEnum<RejectReason>(v, "reason", Reason, required: true);
        if (reason == RejectReason.Duplicate && DuplicateOfId is null) v.Add("duplicateOfId", "is required when the reason is duplicate.");
        if (reason == RejectReason.Invalid && DuplicateOfId is not null) v.Add("duplicateOfId", "is given only when the reason is duplicate.");
        if (DuplicateOfId is <= 0) v.Add("duplicateOfId", "must be an incident id.");
        var note = LoopFields.Note(v, Note);
        v.ThrowIfInvalid();
        return new RejectCommand(step, reason!.Value, DuplicateOfId, note);
    }
}

public sealed record DispatchBody
{
    public string? FromStep { get; init; }
    /// <summary><c>grid</c>, <c>community</c> or <c>department</c>; with <see cref="UnitId"/>. Both omitted: the cycle's own unit.</summary>
    public string? UnitKind { get; init; }
    public int? UnitId { get; init; }
    /// <summary>Omitted: now plus the deadline settings' hours for the category and cycle.</summary>
    public DateTimeOffset? DueAt { get; init; }
    public string? Note { get; init; }

    public DispatchCommand Validate()
    {
        var v = new Validator();
        var step = LoopFields.FromStep(v, FromStep);
        var kind = LoopFields.ParseEnum<UnitKind>(v, "unitKind", UnitKind, required: false);
        if (UnitKind is not null && UnitId is null) v.Add("unitId", "is required with unitKind.");
        if (UnitId is not null && UnitKind is null) v.Add("unitKind", "is required with unitId.");
        if (UnitId is <= 0) v.Add("unitId", "must be a positive id.");
        var note = LoopFields.Note(v, Note);
        v.ThrowIfInvalid();
        return new DispatchCommand(step, kind is { } k && UnitId is { } id ? new HoldingUnit(k, id) : null, DueAt?.ToUniversalTime(), note);
    }
}

public sealed record AcceptBody
{
    public string? FromStep { get; init; }
    public string? Note { get; init; }

    public AcceptCommand Validate()
    {
        var v = new Validator();
        var cmd = new AcceptCommand(LoopFields.FromStep(v, FromStep), LoopFields.Note(v, Note));
        v.ThrowIfInvalid();
        return cmd;
    }
}

public sealed record FeedbackBody
{
    public string? FromStep { get; init; }
    /// <summary>What was done (required).</summary>
    public string? Note { get; init; }
    public IReadOnlyList<string?>? PhotoLinks { get; init; }

    public FeedbackCommand Validate()
    {
        var v = new Validator();
        var step = LoopFields.FromStep(v, FromStep);
        var note = v.RequiredText("note", Note, LoopCommand.MaxNoteLength);
        var links = LoopFields.PhotoLinks(v, PhotoLinks);
        v.ThrowIfInvalid();
        return new FeedbackCommand(step, note!, links);
    }
}

public sealed record CheckBody
{
    public string? FromStep { get; init; }
    /// <summary><c>pass</c> (close) or <c>rework</c> (back to the unit).</summary>
    public string? Result { get; init; }
    /// <summary>The resident's satisfaction 1–5, when known; only with <c>pass</c>.</summary>
    public int? Satisfaction { get; init; }
    public string? Note { get; init; }

    public CheckCommand Validate()
    {
        var v = new Validator();
        var step = LoopFields.FromStep(v, FromStep);
        var result = v.RequiredText("result", Result, 16);
        bool pass = false;
        if (result is not null)
        {
            if (string.Equals(result, "pass", StringComparison.OrdinalIgnoreCase)) pass = true;
            else if (!string.Equals(result, "rework", StringComparison.OrdinalIgnoreCase)) v.Add("result", $"'{Validator.Quote(result)}' is not valid; use pass or rework.");
        }

        if (Satisfaction is < 1 or > 5) v.Add("satisfaction", "must be between 1 and 5.");
        else if (Satisfaction is not null && result is not null && !pass) v.Add("satisfaction", "is given only with the result pass.");
        var note = LoopFields.Note(v, Note);
        v.ThrowIfInvalid();
        return new CheckCommand(step, pass, Satisfaction, note);
    }
}

public sealed record EscalateBody
{
    public string? FromStep { get; init; }
    public string? Reason { get; init; }
    /// <summary>Only when escalating to the large cycle; default the street center.</summary>
    public int? DepartmentId { get; init; }

    public EscalateCommand Validate()
    {
        var v = new Validator();
        var step = LoopFields.FromStep(v, FromStep);
        var reason = v.RequiredText("reason", Reason, LoopFields.MaxReasonLength);
        if (DepartmentId is <= 0) v.Add("departmentId", "must be a positive id.");
        v.ThrowIfInvalid();
        return new EscalateCommand(step, reason!, DepartmentId);
    }
}

public sealed record ReopenBody
{
    public string? FromStep { get; init; }
    public string? Reason { get; init; }

    public ReopenCommand Validate()
    {
        var v = new Validator();
        var step = LoopFields.FromStep(v, FromStep);
        var reason = v.RequiredText("reason", Reason, LoopFields.MaxReasonLength);
        v.ThrowIfInvalid();
        return new ReopenCommand(step, reason!);
    }
}
