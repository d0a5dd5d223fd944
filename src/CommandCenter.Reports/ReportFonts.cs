using SkiaSharp;

namespace CommandCenter.Reports;

/// <summary>Where the CJK font comes from: <c>Reports:CjkFontPath</c> (a .ttc/.otf/.ttf file) or Debian's fonts-noto-cjk.</summary>
public sealed class ReportFontOptions
{
    public const string Section = "Reports";

    /// <summary>A regular-weight CJK font file; empty = look for Noto Sans CJK under /usr/share/fonts.</summary>
    public string? CjkFontPath { get; set; }

    /// <summary>Bold companion; empty = the bold Noto file beside the regular one, else synthetic bold.</summary>
    public string? CjkBoldFontPath { get; set; }
}

/// <summary>
/// The two faces (regular, bold) every report text is set in, embedded into the PDF by Skia (subset). Loaded once per
/// path. A missing font is a clear error naming the Debian package, never a PDF of empty boxes.
/// </summary>
public sealed class ReportFonts
{
    public const string FamilyName = "CommandCenter Report CJK";

    private static readonly string[] Candidates =
    [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    ];

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, ReportFonts> Loaded = [];

    private ReportFonts(SKTypeface regular, SKTypeface bold, string path)
    {
        Regular = regular;
        Bold = bold;
        Path = path;
    }

    public SKTypeface Regular { get; }
    public SKTypeface Bold { get; }
    public string Path { get; }

    public static ReportFonts Load(ReportFontOptions? options = null)
    {
        var path = options?.CjkFontPath;
        if (string.IsNullOrWhiteSpace(path))
        {
            path = Candidates.FirstOrDefault(File.Exists) ?? throw new ReportFontMissingException(
                "No CJK font found for the reports: install the Debian package fonts-noto-cjk "
                + "(apt-get install fonts-noto-cjk) or set Reports:CjkFontPath to a .ttc/.otf file with Simplified Chinese.");
        }
        else if (!File.Exists(path))
        {
            throw new ReportFontMissingException(
                $"Reports:CjkFontPath '{path}' does not exist: install fonts-noto-cjk or correct the setting.");
        }

        lock (Gate)
        {
            if (Loaded.TryGetValue(path, out var fonts))
            {
                return fonts;
            }

            var regular = LoadFace(path);
            var boldPath = options?.CjkBoldFontPath;
            if (string.IsNullOrWhiteSpace(boldPath))
            {
                var candidate = path.Replace("-Regular.", "-Bold.", StringComparison.Ordinal);
                boldPath = candidate != path && File.Exists(candidate) ? candidate : null;
            }

            var bold = boldPath is null ? regular : LoadFace(boldPath);
            fonts = new ReportFonts(regular, bold, path);
            Loaded[path] = fonts;
            return fonts;
        }
    }

    /// <summary>
    /// The face of a collection that covers Simplified Chinese (Noto's SC face is index 2), else the first face, taken out
    /// as a standalone font with its cmap cleaned (<see cref="FontCmapRewriter"/>) so the PDF's text reads back right.
    /// </summary>
    private static SKTypeface LoadFace(string path)
    {
        (SKTypeface Face, int Index)? first = null;
        for (var index = 0; index < 16; index++)
        {
            var face = SKTypeface.FromFile(path, index);
            if (face is null)
            {
                break;
            }

            first ??= (face, index);
            if (face.FamilyName.EndsWith(" SC", StringComparison.Ordinal))
            {
                first = (face, index);
                break;
            }
        }

        var (chosen, chosenIndex) = first ?? throw new ReportFontMissingException($"The font file '{path}' could not be read (install fonts-noto-cjk).");
        var rewritten = FontCmapRewriter.Rewrite(File.ReadAllBytes(path), chosenIndex);
        if (rewritten is not null && SKTypeface.FromData(SKData.CreateCopy(rewritten)) is { } standalone && standalone.GetGlyph('网') != 0)
        {
            chosen = standalone;
        }

        if (chosen.GetGlyph('网') == 0)
        {
            throw new ReportFontMissingException($"The font '{path}' has no Chinese glyphs: install fonts-noto-cjk or set Reports:CjkFontPath.");
        }

        return chosen;
    }
}

public sealed class ReportFontMissingException(string message) : InvalidOperationException(message);
